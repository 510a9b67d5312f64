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
 * request), and a streamed answer is measured incrementally (leak-stream.ts). Copying 40 characters of the prompt is not always a leak — a prompt that embeds
 * policy text the model is meant to quote will score ~0.4–0.6 — which is why the verbatim score
 * starts below 0.5 and the policy's threshold decides.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import {
  findCanary,
  indexPrompt,
  type LeakMeasures,
  longestCopy,
  normalise,
  type PromptIndex,
  shingles,
} from './leak-prompt.js';
import { LeakStream } from './leak-stream.js';
import { textUnits } from './text-units.js';

export type { LeakMeasures } from './leak-prompt.js';

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
  // A growing output stream (one context, rescanned) is measured incrementally (leak-stream.ts).
  const streams = new StreamStates(() => new LeakStream({ k, wordN, cjkN }));
  const measureStream = (output: string, context: ScanContext): LeakMeasures | null => {
    const stream = streams.get(context, output);
    const prompt = context.systemPrompt ? prompts(context.systemPrompt) : null;
    const measures = stream.measure(output, prompt, context.canary);
    streams.seen(context, output);
    return measures;
  };
  const measureWhole = (output: string, context: ScanContext): LeakMeasures => {
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
    findingTypes: ['canary', 'verbatim_overlap', 'ngram_overlap'],
    scan(text: string, context: ScanContext): ScanResult {
      const measures =
        (context.stage === 'output' ? measureStream(text, context) : null) ?? measureWhole(text, context);
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

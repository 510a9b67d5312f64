/**
 * The repetition (degeneration) scanner for the output stage. The streaming guard rescans the
 * whole growing answer every few characters; to keep that O(new text) the scanner remembers
 * one tracker per ScanContext object (a stream passes the same context on every rescan,
 * ../stream-cache.ts) and only feeds it the characters added since the previous scan.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import { type RepetitionResult, RepetitionTracker } from './repetition-tracker.js';

export interface RepetitionScannerOptions {
  /** Scanner name in results (default "repetition"). */
  name?: string;
  /** Stages (default output only; add "input" to catch flooding prompts). */
  stages?: readonly GuardStage[];
}

/** Longest `value` excerpt in a finding: repeated regions can be the whole answer. */
const MAX_VALUE_CHARS = 200;

interface StreamState {
  tracker: RepetitionTracker;
  consumed: number;
}

/** Scores one complete text (no caching). */
export function detectRepetition(text: string): RepetitionResult {
  const tracker = new RepetitionTracker();
  tracker.push(text);
  return tracker.result();
}

export function createRepetitionScanner(options: RepetitionScannerOptions = {}): Scanner {
  const name = options.name ?? 'repetition';
  const streams = new StreamStates<StreamState>(() => ({ tracker: new RepetitionTracker(), consumed: 0 }));
  return {
    name,
    stages: options.stages ?? ['output'],
    findingTypes: ['loop', 'line_repeat', 'low_diversity', 'ngram_repeat', 'char_run'],
    scan(text: string, context: ScanContext): ScanResult {
      const state = streams.get(context, text);
      state.tracker.push(text.slice(state.consumed));
      state.consumed = text.length;
      streams.seen(context, text);
      const result = state.tracker.result();
      const findings: Finding[] = result.signals.map((signal) => ({
        scanner: name,
        type: signal.type,
        score: signal.score,
        start: signal.start,
        end: signal.end,
        value: text.slice(signal.start, Math.min(signal.end, signal.start + MAX_VALUE_CHARS)),
      }));
      return { scanner: name, score: result.score, findings };
    },
  };
}

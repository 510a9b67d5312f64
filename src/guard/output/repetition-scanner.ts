/**
 * The repetition (degeneration) scanner for the output stage. The streaming guard rescans the
 * whole growing answer every few characters; to keep that O(new text) the scanner remembers
 * one tracker per ScanContext object (a stream passes the same context on every rescan) and
 * only feeds it the characters added since the previous scan, after checking that the old
 * text is still a prefix (its last characters must match). Any other call starts afresh.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { type RepetitionResult, RepetitionTracker } from './repetition-tracker.js';

export interface RepetitionScannerOptions {
  /** Scanner name in results (default "repetition"). */
  name?: string;
  /** Stages (default output only; add "input" to catch flooding prompts). */
  stages?: readonly GuardStage[];
}

/** Longest `value` excerpt in a finding: repeated regions can be the whole answer. */
const MAX_VALUE_CHARS = 200;
const CHECK_CHARS = 32;

interface StreamState {
  tracker: RepetitionTracker;
  consumed: number;
  tail: string;
}

/** Scores one complete text (no caching). */
export function detectRepetition(text: string): RepetitionResult {
  const tracker = new RepetitionTracker();
  tracker.push(text);
  return tracker.result();
}

export function createRepetitionScanner(options: RepetitionScannerOptions = {}): Scanner {
  const name = options.name ?? 'repetition';
  const streams = new WeakMap<ScanContext, StreamState>();
  return {
    name,
    stages: options.stages ?? ['output'],
    scan(text: string, context: ScanContext): ScanResult {
      let state = streams.get(context);
      const continues =
        state !== undefined &&
        text.length >= state.consumed &&
        text.startsWith(state.tail, state.consumed - state.tail.length);
      if (!state || !continues) {
        state = { tracker: new RepetitionTracker(), consumed: 0, tail: '' };
        streams.set(context, state);
      }
      state.tracker.push(text.slice(state.consumed));
      state.consumed = text.length;
      state.tail = text.slice(Math.max(0, text.length - CHECK_CHARS));
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

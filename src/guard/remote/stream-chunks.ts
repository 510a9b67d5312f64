/**
 * How a remote guard model judges a streamed answer: in chunks, not at every rescan. The
 * streaming guard rescans the growing answer every 24 new characters for the local scanners;
 * asking the model each time, about the whole answer so far, made an 800-character answer about
 * 20 calls one after another, with the characters sent growing with the square of the answer.
 *
 * Instead the model is asked once `firstChunkChars` characters have arrived (so the first bytes
 * go out soon), then each time `chunkChars` more have arrived, and at the end of the stream
 * about whatever is left. Each call gets the new text plus the `contextChars` characters before
 * it (already judged), so that a sentence cut by a chunk boundary is read whole by the next call
 * — NeMo Guardrails' streaming output rails do the same with `chunk_size` / `context_size`
 * tokens. A call never sends more than `maxChars` (the scanner's clip would cut the middle out
 * of it, unjudged): a longer stretch of new text (one huge delta, the end of a long stream) is
 * split into several windows, asked about together.
 *
 * A window's findings cover the new text it judged, not its context (the context was judged,
 * and released, before): a block stops the stream at the first character the model had not
 * already cleared, and a redaction never reaches back into released text.
 */
import { splitsSurrogatePair } from '../../core/index.js';
import type { Finding } from '../scanner.js';

export interface StreamChunking {
  firstChunkChars: number;
  chunkChars: number;
  contextChars: number;
  /** The longest text one call sends (the scanner's `maxChars`); at least twice `contextChars`. */
  maxChars: number;
}

/** One call: it sends `text.slice(start, end)`, of which `[from, end)` is judged for the first time. */
export interface StreamWindow {
  start: number;
  from: number;
  end: number;
}

/** What a stream's calls have found so far, in the whole answer's offsets. */
export interface StreamJudgement {
  /** The end of the text judged so far. */
  judgedTo: number;
  findings: Finding[];
  score: number;
  calls: number;
  sentChars: number;
}

export function newStreamJudgement(): StreamJudgement {
  return { judgedTo: 0, findings: [], score: 0, calls: 0, sentChars: 0 };
}

/**
 * The calls due now for an answer of `length` characters of which `judgedTo` are judged: none
 * until enough new text has arrived (the first chunk before the first call, a full chunk after),
 * and at the end of the stream (`final`) whatever is left.
 */
export function dueWindows(
  length: number,
  judgement: Pick<StreamJudgement, 'judgedTo' | 'calls'>,
  chunking: StreamChunking,
  final: boolean,
  text?: string,
): StreamWindow[] {
  const pending = length - judgement.judgedTo;
  if (pending <= 0) return [];
  const due = judgement.calls === 0 ? chunking.firstChunkChars : chunking.chunkChars;
  if (!final && pending < due) return [];
  const windows: StreamWindow[] = [];
  let from = judgement.judgedTo;
  while (from < length) {
    let start = Math.max(0, from - chunking.contextChars);
    let end = Math.min(length, start + chunking.maxChars);
    if (text !== undefined) {
      // Between characters, never inside a surrogate pair (an emoji): half of one is sent as a
      // lone `\ud83d` escape, which strict JSON readers refuse (a failed call). The context loses
      // the orphan half; the new text ends one unit early (or late, for a one-unit window).
      if (start < from && splitsSurrogatePair(text, start)) start++;
      if (end < length && splitsSurrogatePair(text, end)) end = end - 1 > from ? end - 1 : end + 1;
    }
    windows.push({ start, from, end });
    from = end;
  }
  return windows;
}

/** Counts the calls made for `windows` (answered or not). */
export function countCalls(judgement: StreamJudgement, windows: readonly StreamWindow[]): void {
  for (const window of windows) {
    judgement.calls++;
    judgement.sentChars += window.end - window.start;
  }
}

/** Adds a judged window's findings (offsets in the window's text) to the judgement, in the answer's offsets. */
export function recordWindow(judgement: StreamJudgement, window: StreamWindow, findings: Finding[]): void {
  for (const finding of findings) {
    judgement.findings.push({ ...finding, start: window.from, end: window.end });
    if (finding.score > judgement.score) judgement.score = finding.score;
  }
  if (window.end > judgement.judgedTo) judgement.judgedTo = window.end;
}

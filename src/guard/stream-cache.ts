/**
 * Per-stream state for scanners that the streaming guard calls again and again on a growing
 * answer, always with the same ScanContext object. The pattern of the toxicity and repetition
 * scanners: state is kept in a WeakMap keyed by that context (it goes with the stream), and it is
 * reused only when the new text continues the old one — at least as long, and the old text's
 * last characters still in place. Any other call starts afresh.
 */
import type { ScanContext } from './scanner.js';

const CHECK_CHARS = 32;

interface Entry<S> {
  length: number;
  tail: string;
  state: S;
}

export class StreamStates<S> {
  readonly #streams = new WeakMap<ScanContext, Entry<S>>();

  constructor(private readonly create: (context: ScanContext) => S) {}

  /** The state of the stream that `text` continues, or a fresh one. */
  get(context: ScanContext, text: string): S {
    const entry = this.#streams.get(context);
    if (
      entry !== undefined &&
      text.length >= entry.length &&
      text.startsWith(entry.tail, entry.length - entry.tail.length)
    ) {
      return entry.state;
    }
    const state = this.create(context);
    this.#streams.set(context, { length: 0, tail: '', state });
    return state;
  }

  /** Records that `text` has been scanned with the state `get` returned. */
  seen(context: ScanContext, text: string): void {
    const entry = this.#streams.get(context);
    if (!entry) return;
    entry.length = text.length;
    entry.tail = text.slice(Math.max(0, text.length - CHECK_CHARS));
  }
}

/**
 * @module providers/shared/sse-parser
 *
 * A small, allocation-light Server-Sent Events parser (WHATWG "event stream interpretation").
 * It is fed decoded text as it arrives from the socket, in arbitrary pieces, and appends every
 * complete event to `events` for the caller to drain. It handles LF, CRLF and lone-CR line
 * endings (including a CRLF split across two reads), `:` comment lines (keep-alives),
 * multi-line `data:` fields (joined with "\n"), `event:` and `id:` fields. As the spec says, an
 * event that is not terminated by a blank line before the end of the stream is discarded, so a
 * cut stream never yields a half event. An event (or line) past `maxEventLength` throws an
 * `UpstreamError`: a broken upstream must not grow the buffer until the memory runs out.
 */
import { UpstreamError } from '../../core/index.js';

export interface SseEvent {
  /** The `event:` field, or undefined for the default "message" event. */
  event: string | undefined;
  data: string;
  /** The last `id:` seen so far (the spec's "last event ID"). */
  id: string | undefined;
}

/** Far past any chunk of an LLM stream (a few KB), low enough that one broken stream is harmless. */
const DEFAULT_MAX_EVENT_LENGTH = 16 * 1024 * 1024;

export interface SseParserOptions {
  /** Characters an event (its data so far plus the unfinished line) may reach. */
  maxEventLength?: number;
}

const LF = 10;
const COLON = 58;
const SPACE = 32;

export class SseParser {
  /** Complete events, in order. The caller drains (and may clear) this array after each `feed`. */
  readonly events: SseEvent[] = [];
  #buffer = '';
  #data: string | undefined;
  #event: string | undefined;
  #id: string | undefined;
  readonly #maxEventLength: number;

  constructor(options: SseParserOptions = {}) {
    this.#maxEventLength = options.maxEventLength ?? DEFAULT_MAX_EVENT_LENGTH;
  }

  /**
   * Parses as many complete lines as `text` (appended to what is left from before) holds.
   * With `final`, the stream has ended: a trailing CR counts as a line end and whatever event
   * is still open is discarded.
   */
  feed(text: string, final = false): void {
    const previousLength = this.#buffer.length;
    const buffer = previousLength === 0 ? text : this.#buffer + text;
    const length = buffer.length;
    let position = 0;
    // The leftover never holds a LF and holds a CR only as its last character, so the first
    // searches can start where the previous feed stopped: no rescanning of a long partial line.
    let lineFeed = buffer.indexOf('\n', previousLength);
    let carriageReturn = buffer.indexOf('\r', previousLength === 0 ? 0 : previousLength - 1);
    while (position < length) {
      if (lineFeed !== -1 && lineFeed < position) lineFeed = buffer.indexOf('\n', position);
      if (carriageReturn !== -1 && carriageReturn < position) carriageReturn = buffer.indexOf('\r', position);
      let end: number;
      let next: number;
      if (carriageReturn !== -1 && (lineFeed === -1 || carriageReturn < lineFeed)) {
        end = carriageReturn;
        if (carriageReturn + 1 < length) {
          next = buffer.charCodeAt(carriageReturn + 1) === LF ? carriageReturn + 2 : carriageReturn + 1;
        } else if (final) {
          next = length;
        } else {
          break; // a CR at the very end: wait to see whether a LF follows
        }
      } else if (lineFeed !== -1) {
        end = lineFeed;
        next = lineFeed + 1;
      } else {
        break;
      }
      this.#line(buffer, position, end);
      position = next;
    }
    if (final) {
      this.#buffer = '';
      this.#data = undefined;
      this.#event = undefined;
    } else {
      this.#buffer = position === 0 ? buffer : position >= length ? '' : buffer.slice(position);
      if (this.#buffer.length + (this.#data?.length ?? 0) > this.#maxEventLength) {
        throw new UpstreamError(
          'upstream_error',
          `stream event larger than ${this.#maxEventLength} characters`,
          { retryable: false },
        );
      }
    }
  }

  #line(buffer: string, start: number, end: number): void {
    if (start === end) {
      this.#dispatch();
      return;
    }
    const first = buffer.charCodeAt(start);
    if (first === COLON) return; // comment, e.g. ": keep-alive"
    // Fast path: almost every line of an LLM stream is "data: {...}".
    if (first === 100 /* d */ && buffer.startsWith('data:', start)) {
      let valueStart = start + 5;
      if (buffer.charCodeAt(valueStart) === SPACE) valueStart++;
      this.#appendData(valueStart >= end ? '' : buffer.slice(valueStart, end));
      return;
    }
    const colon = buffer.indexOf(':', start);
    let field: string;
    let value: string;
    if (colon === -1 || colon > end) {
      field = buffer.slice(start, end);
      value = '';
    } else {
      field = buffer.slice(start, colon);
      let valueStart = colon + 1;
      if (buffer.charCodeAt(valueStart) === SPACE) valueStart++;
      value = valueStart >= end ? '' : buffer.slice(valueStart, end);
    }
    if (field === 'data') this.#appendData(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.#id = value;
    // "retry" and unknown fields are ignored, as the spec says.
  }

  #appendData(value: string): void {
    this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = undefined;
    this.#event = undefined;
    if (data === undefined || data === '') return;
    this.events.push({ event: event === '' ? undefined : event, data, id: this.#id });
  }
}

/**
 * A string's UTF-16 code units in a reusable typed array, copied by one native call.
 *
 * Why: the guard's hot loops read every character several times. Read with `text.charCodeAt`,
 * each loop's property loads (`length`, `charCodeAt`) remember the string maps they have seen;
 * a long-running gateway hands them flat, sliced and concatenated strings, one- and two-byte,
 * so after a few thousand varied texts those loads go megamorphic (seen with `--log-ic`) and
 * the same 2 KB prompt takes up to 1.7× as long (docs/guardrails-latency.md). A typed array
 * has one map whatever string it came from; `Buffer#write(…, 'utf16le')` copies the code units
 * (lone surrogates included) without a per-character JavaScript call.
 */

export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export class CodeUnits {
  #bytes: Buffer;
  /** The code units of the last loaded text, from index 0; longer than the text. */
  units: Uint16Array;

  constructor(capacity = 1024) {
    this.#bytes = Buffer.alloc(2 * capacity);
    this.units = new Uint16Array(this.#bytes.buffer, this.#bytes.byteOffset, capacity);
  }

  /**
   * Makes room for `capacity` units (and a sentinel) and returns `units`; what they held before
   * is kept only when no room had to be made.
   */
  reserve(capacity: number): Uint16Array {
    if (this.units.length < capacity + 1) {
      // Buffer.alloc, not allocUnsafe: its own (even-aligned) ArrayBuffer, never the shared pool.
      this.#bytes = Buffer.alloc(2 * Math.max(capacity + 1, this.units.length * 2));
      this.units = new Uint16Array(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.length / 2);
    }
    return this.units;
  }

  /**
   * Copies `text` to `units[at … at + text.length)` and returns `units`, which has room for at
   * least one more unit after the text (a sentinel).
   */
  load(text: string, at = 0): Uint16Array {
    const length = text.length;
    this.reserve(at + length);
    // Short texts (streamed chunks) are copied in JavaScript: the native call costs more.
    if (LITTLE_ENDIAN && length >= 32) this.#bytes.write(text, 2 * at, 2 * length, 'utf16le');
    else {
      const units = this.units;
      for (let index = 0; index < length; index++) units[at + index] = text.charCodeAt(index);
    }
    return this.units;
  }

  /** The string of `units[0 … length)` (lone surrogates included, as they were loaded). */
  decode(length: number): string {
    if (LITTLE_ENDIAN) return this.#bytes.toString('utf16le', 0, 2 * length);
    let text = '';
    const units = this.units;
    for (let index = 0; index < length; index++) text += String.fromCharCode(units[index]!);
    return text;
  }
}

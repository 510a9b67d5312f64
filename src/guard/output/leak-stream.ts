/**
 * The leak measures of a growing answer (a stream rescanned every few characters) at the cost
 * of the new text plus a bounded look-back, equal to leak-prompt.ts's measures of the whole
 * text each time.
 *
 * Lower-casing and whitespace collapsing are per character here, so the normalised text only
 * grows: a prefix's normalised text is a prefix of the whole's. Except for 'Σ', whose lower case
 * (σ, or final ς) depends on its neighbours: it is decided here as toLowerCase decides it
 * (Unicode Final_Sigma) and stays unsettled while only case-ignorable characters follow it; and
 * 'İ', lower-cased to two characters, which sends a stream back to whole-text measuring. A
 * trailing high surrogate is normalised again with its pair. On top of the normalised text:
 * - the longest copy walks window starts in order (rolling hash, greedy tiling); a start is
 *   settled when its window and every comparison it made stopped inside the settled text, and
 *   the walk resumes at the first unsettled start with the state it had there;
 * - shingles: settled units (a word that ended, a CJK character) feed running rings of the
 *   last n hashes and a set of the prompt's shingles seen; the unit still being written only
 *   adds to this scan's count;
 * - the canary is searched only from canary length − 1 before the old end (or after the last
 *   hit); its spelled-out form in the letters and digits of the new text plus the same overlap.
 */
import {
  BASE,
  commonRun,
  type EncodedCanaryForms,
  encodedCanaryForms,
  findEncodedCanary,
  type LeakMeasures,
  type PromptIndex,
  power,
  shingleKey,
  spelledOutNeedles,
} from './leak-prompt.js';
import { FNV_OFFSET, fnvStep, foldCase, isCjk, isSpace, isWordChar, MAX_WORD_UNIT } from './text-units.js';

const LENGTH_CHANGING = /\u0130/;
const CASED = /\p{Cased}/u;
const CASE_IGNORABLE = /\p{Case_Ignorable}/u;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Whether the 'Σ' at `at` lower-cases to final 'ς': a cased letter before it and none after it,
 * case-ignorable characters skipped (Unicode Final_Sigma, which toLowerCase applies); null while
 * it depends on text not written yet (only case-ignorable characters follow so far).
 */
function finalSigma(text: string, at: number): boolean | null {
  let before = false;
  for (let index = at; index > 0; ) {
    const size =
      index >= 2 && isHighSurrogate(text.charCodeAt(index - 2)) && isLowSurrogate(text.charCodeAt(index - 1))
        ? 2
        : 1;
    const character = text.slice(index - size, index);
    index -= size;
    if (CASE_IGNORABLE.test(character)) continue;
    before = CASED.test(character);
    break;
  }
  if (!before) return false;
  for (let index = at + 1; index < text.length; ) {
    const character = String.fromCodePoint(text.codePointAt(index)!);
    index += character.length;
    if (character.length === 1 && isHighSurrogate(character.charCodeAt(0))) return null;
    if (!CASE_IGNORABLE.test(character)) return !CASED.test(character);
  }
  return null;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** text[from, to) lower-cased as part of the whole text (a Σ by its context, ς at the end). */
function lowerCase(text: string, from: number, to: number): string {
  let lower = text.slice(from, to).toLowerCase();
  for (let at = text.indexOf('Σ', from); at !== -1 && at < to; at = text.indexOf('Σ', at + 1)) {
    const sigma = finalSigma(text, at) === false ? 'σ' : 'ς';
    lower = lower.slice(0, at - from) + sigma + lower.slice(at - from + 1);
  }
  return lower;
}

/** Where the settled normalisation must stop: before a Σ whose case is still open, or a trailing high surrogate. */
function settledEnd(text: string, from: number): number {
  for (let at = text.indexOf('Σ', from); at !== -1; at = text.indexOf('Σ', at + 1)) {
    if (finalSigma(text, at) === null) return at;
  }
  return isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.length - 1 : text.length;
}

/** Normalised characters with the original offset of each. */
interface Piece {
  text: string;
  offsets: number[];
}

export interface LeakStreamOptions {
  k: number;
  wordN: number;
  cjkN: number;
}

interface CopyState {
  next: number;
  skipUntil: number;
  best: { length: number; start: number; end: number };
}

export class LeakStream {
  /** Set once the text holds a character whose lower case is not per character. */
  whole = false;
  #checked = 0;
  // Normalisation, settled up to `#processed` original characters.
  #processed = 0;
  #space = false;
  /** Normalised index of `#norm.text[0]`; `#norm` is kept from the earliest index still read. */
  #base = 0;
  #norm: Piece = { text: '', offsets: [] };
  #copy: CopyState = { next: 0, skipUntil: 0, best: { length: 0, start: 0, end: 0 } };
  #unitNext = 0;
  #rings = { word: [] as number[], cjk: [] as number[] };
  #matched = new Set<number>();
  #canaryFrom = 0;
  #canaryHits: LeakMeasures['canary'] = [];
  #encoded = {
    forms: null as EncodedCanaryForms | null,
    from: 0,
    found: null as LeakMeasures['canary'][0] | null,
  };
  #squeezed = {
    from: 0,
    letters: '',
    positions: [] as number[],
    found: null as LeakMeasures['canary'][0] | null,
    needles: null as string[] | null,
  };

  constructor(private readonly options: LeakStreamOptions) {}

  /** The measures of `text`, or null when this stream must be measured as a whole text. */
  measure(text: string, prompt: PromptIndex | null, canary: string | undefined): LeakMeasures | null {
    if (!this.whole) {
      this.whole = LENGTH_CHANGING.test(text.slice(this.#checked)) || /[^ -~]/.test(canary ?? '');
      this.#checked = text.length;
    }
    if (this.whole) return null;
    const measures: LeakMeasures = {
      canary: canary ? this.#findCanary(text, canary.toLowerCase(), canary) : [],
      verbatim: { length: 0, start: 0, end: 0, promptShare: 0 },
      overlapRatio: 0,
      promptShingles: 0,
    };
    if (!prompt || prompt.text.length === 0) return measures;
    const end = Math.max(this.#processed, settledEnd(text, this.#processed));
    this.#space = this.#normalise(text, this.#processed, end, this.#norm, this.#space);
    this.#processed = end;
    const settled = this.#base + this.#norm.text.length;
    const tail: Piece = { text: '', offsets: [] };
    this.#normalise(text, end, text.length, tail, this.#space);
    const full: Piece =
      tail.text === ''
        ? this.#norm
        : { text: this.#norm.text + tail.text, offsets: this.#norm.offsets.concat(tail.offsets) };
    const copy = this.#longestCopy(full, settled, prompt);
    if (copy.length > 0) {
      measures.verbatim = { ...copy, promptShare: copy.length / prompt.text.length };
    }
    measures.promptShingles = prompt.shingles.size;
    if (prompt.shingles.size > 0)
      measures.overlapRatio = this.#overlap(full, settled, prompt) / prompt.shingles.size;
    this.#trim();
    return measures;
  }

  /** Appends the normalised text[from, to) to `out`; returns the pending-space flag after it. */
  #normalise(text: string, from: number, to: number, out: Piece, pendingSpace: boolean): boolean {
    if (to <= from) return pendingSpace;
    const lower = lowerCase(text, from, to);
    let space = pendingSpace;
    // Leading whitespace is dropped: a space is kept only after some other character.
    let started = this.#base + this.#norm.text.length + (out === this.#norm ? 0 : out.text.length) > 0;
    let added = '';
    for (let index = 0; index < lower.length; index++) {
      const code = lower.charCodeAt(index);
      if (isSpace(code)) {
        if (started) space = true;
        continue;
      }
      if (space) {
        out.offsets.push(from + index);
        added += ' ';
        space = false;
      }
      out.offsets.push(from + index);
      added += lower[index];
      started = true;
    }
    out.text += added;
    return space;
  }

  #longestCopy(full: Piece, settled: number, prompt: PromptIndex): CopyState['best'] {
    const { k } = this.options;
    const text = full.text;
    const base = this.#base;
    const end = base + text.length;
    const top = power(k - 1);
    let { skipUntil, best } = this.#copy;
    let settling = true;
    let hash = 0;
    const first = this.#copy.next;
    for (let start = first; start + k <= end; start++) {
      const at = start - base;
      if (start === first) {
        for (let index = at; index < at + k; index++)
          hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
      } else {
        hash = (hash - Math.imul(text.charCodeAt(at - 1), top)) | 0;
        hash = (Math.imul(hash, BASE) + text.charCodeAt(at + k - 1)) | 0;
      }
      let final = start + k <= settled;
      const positions = start < skipUntil ? undefined : prompt.windows.get(hash);
      for (const position of positions ?? []) {
        const length = commonRun(text, at, prompt.text, position);
        // Settled when the comparison stopped at a settled character or at the prompt's end.
        const stop = start + length;
        if (position + length < prompt.text.length ? stop >= settled : stop > settled) final = false;
        if (length < k) continue;
        if (length > best.length) {
          best = { length, start: full.offsets[at]!, end: full.offsets[at + length - 1]! + 1 };
        }
        skipUntil = Math.max(skipUntil, start + length - k + 1);
      }
      if (settling && final) this.#copy = { next: start + 1, skipUntil, best };
      else settling = false;
    }
    return best;
  }

  /** Prompt shingles seen: the settled ones plus those the unit still being written completes. */
  #overlap(full: Piece, settled: number, prompt: PromptIndex): number {
    const text = full.text;
    const base = this.#base;
    const end = base + text.length;
    let settling = true;
    let rings = this.#rings;
    const extra = new Set<number>();
    for (let index = this.#unitNext; index < end; ) {
      const code = text.charCodeAt(index - base);
      let unitEnd = index + 1;
      let kind: 'word' | 'cjk' | null = null;
      let hash = 0;
      let final = unitEnd <= settled;
      if (isSpace(code)) {
        // nothing
      } else if (isCjk(code)) {
        kind = 'cjk';
        hash = fnvStep(FNV_OFFSET, code) | 0;
      } else if (isWordChar(code)) {
        kind = 'word';
        let value = FNV_OFFSET;
        unitEnd = index;
        while (
          unitEnd < end &&
          unitEnd - index < MAX_WORD_UNIT &&
          isWordChar(text.charCodeAt(unitEnd - base))
        ) {
          value = fnvStep(value, foldCase(text.charCodeAt(unitEnd - base)));
          unitEnd++;
        }
        hash = value | 0;
        final = unitEnd - index === MAX_WORD_UNIT ? unitEnd <= settled : unitEnd < settled;
      } else if (isHighSurrogate(code)) {
        if (index + 1 < end) unitEnd = index + 2;
        final = index + 1 < settled;
      }
      if (settling && !final) {
        settling = false;
        rings = { word: [...rings.word], cjk: [...rings.cjk] };
      }
      if (kind !== null) {
        const ring = rings[kind];
        const n = kind === 'word' ? this.options.wordN : this.options.cjkN;
        ring.push(hash);
        if (ring.length > n) ring.shift();
        if (ring.length === n) {
          const key = shingleKey(kind, ring, 0, n);
          if (prompt.shingles.has(key)) (settling ? this.#matched : extra).add(key);
        }
      }
      index = unitEnd;
      if (settling) this.#unitNext = index;
    }
    let count = this.#matched.size;
    for (const key of extra) if (!this.#matched.has(key)) count++;
    return count;
  }

  /** Drops normalised text no later scan reads. */
  #trim(): void {
    const keep = Math.min(this.#copy.next, this.#unitNext);
    const drop = keep - this.#base;
    if (drop < 1024) return;
    this.#norm = { text: this.#norm.text.slice(drop), offsets: this.#norm.offsets.slice(drop) };
    this.#base = keep;
  }

  #findCanary(text: string, needle: string, canary: string): LeakMeasures['canary'] {
    const from = this.#canaryFrom;
    const lower = text.slice(from).toLowerCase();
    let searched = 0;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      this.#canaryHits.push({ start: from + at, end: from + at + needle.length, spelledOut: false });
      searched = at + needle.length;
    }
    this.#canaryFrom = Math.max(from + searched, text.length - needle.length + 1, from);
    if (this.#canaryHits.length > 0) return [...this.#canaryHits];
    const encoded = this.#findEncoded(text, canary);
    if (encoded !== null) return [encoded];
    return this.#spelledOut(text, canary);
  }

  /**
   * findEncodedCanary over the text not yet searched: an encoded form that starts before
   * `from` ended before the previous end (it was found then) or not yet. The first hit is kept:
   * it is the one that ends first, as over the whole text.
   */
  #findEncoded(text: string, canary: string): LeakMeasures['canary'][0] | null {
    const state = this.#encoded;
    if (state.found !== null) return state.found;
    state.forms ??= encodedCanaryForms(canary);
    const from = state.from;
    // The stream is measured whole when lower-casing changes a length, so this has the same offsets.
    const tail = text.slice(from);
    const hit = findEncodedCanary(tail, tail.toLowerCase(), state.forms);
    state.from = Math.max(from, text.length - state.forms.longest + 1);
    if (hit !== null) state.found = { start: from + hit.start, end: from + hit.end, spelledOut: true };
    return state.found;
  }

  /**
   * The first spelled-out canary (spelledOutNeedles: its letters and digits, or its hex, in the
   * text's letters and digits): the one that ends first, as over the whole text.
   */
  #spelledOut(text: string, canary: string): LeakMeasures['canary'] {
    const state = this.#squeezed;
    state.needles ??= spelledOutNeedles(canary);
    const needles = state.needles;
    if (needles.length === 0) return [];
    if (state.found === null && text.length > state.from) {
      const lower = text.slice(state.from).toLowerCase();
      for (let index = 0; index < lower.length; index++) {
        const char = lower[index]!;
        if ((char >= '0' && char <= '9') || (char >= 'a' && char <= 'z')) {
          state.letters += char;
          state.positions.push(state.from + index);
        }
      }
      state.from = text.length;
      for (const letters of needles) {
        const at = state.letters.indexOf(letters);
        if (at < 0) continue;
        const end = state.positions[at + letters.length - 1]! + 1;
        if (state.found === null || end < state.found.end)
          state.found = { start: state.positions[at]!, end, spelledOut: true };
      }
      if (state.found === null) {
        const longest = needles.reduce((max, needle) => Math.max(max, needle.length), 0);
        const keep = Math.max(0, state.letters.length - longest + 1);
        state.letters = state.letters.slice(keep);
        state.positions = state.positions.slice(keep);
      }
    }
    return state.found ? [state.found] : [];
  }
}

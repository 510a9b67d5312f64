/**
 * Sentence spans for the context stage. An indirect injection is usually one or two sentences
 * put into a retrieved document (BIPIA inserts its attacks at the start, middle or end of an
 * email, a table or code); scored inside a 512-character window of the document, its n-grams are
 * diluted by the host's. Scoring each sentence on its own as well recovers most of that:
 * on the tune data, BIPIA train attacks inside HaluEval answers went from 56 % to 77 % recall
 * (the bare attacks: 79 %), with benign answers scanned as context at 0 → 0.2 %
 * (scripts/injection-context-sentences-tune.ts).
 */

/** Whitespace that may follow a sentence end. */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0xa0 || code === 0x3000;
}

/**
 * [start, end) spans that together cover `text`: pieces end at a line break, or at `.`, `!`,
 * `?` followed by whitespace or the end, or at a CJK full stop, exclamation or question mark;
 * pieces shorter than `minimum` characters are joined with the next, and a short remainder with
 * the previous one. Fewer than two spans means there is nothing to split.
 */
export function sentenceSpans(text: string, minimum = 24): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    let ends = code === 0x0a || code === 0x3002 || code === 0xff01 || code === 0xff1f;
    if (!ends && (code === 0x2e || code === 0x21 || code === 0x3f))
      ends = index + 1 === length || isSpace(text.charCodeAt(index + 1));
    if (ends && index + 1 - start >= minimum) {
      spans.push([start, index + 1]);
      start = index + 1;
    }
  }
  if (start < length) {
    const last = spans.at(-1);
    if (last !== undefined && length - start < minimum) last[1] = length;
    else spans.push([start, length]);
  }
  return spans;
}

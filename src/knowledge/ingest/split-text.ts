/**
 * The structure the chunker packs: markdown sections (a heading and its body, with the path of
 * headings above it), then units inside a section that each fit a chunk — whole paragraphs when
 * they fit, else sentences, else lines, else clauses, else words, else character runs. Everything is offsets
 * into the original text; nothing is copied or rewritten.
 */
import {
  clauseStarts,
  lineStarts,
  sentenceStarts,
  splitsSurrogatePair,
  trimSpan,
  wordStarts,
} from '../context/index.js';
import { matchAtxHeading } from './atx-heading.js';

export interface Section {
  start: number;
  end: number;
  /** Heading path, outermost first, without the `#` markers; empty before the first heading. */
  headings: string[];
}

export interface TextUnit {
  start: number;
  end: number;
  /** True when the unit begins a paragraph, sentence or line: a good place to start an overlap. */
  boundary: boolean;
}

/** Measures `text[start, end)` in (estimated) tokens. */
export type SpanMeasure = (start: number, end: number) => number;

const FENCE = /^ {0,3}(```|~~~)/;

interface Line {
  start: number;
  end: number;
}

function* lines(text: string, start: number, end: number): Generator<Line> {
  let position = start;
  while (position < end) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline < 0 || newline >= end ? end : newline;
    yield { start: position, end: lineEnd };
    position = lineEnd + 1;
  }
}

function isBlank(text: string, line: Line): boolean {
  const [from, to] = trimSpan(text, line.start, line.end);
  return from === to;
}

/**
 * Splits markdown into sections at ATX headings (`#`…`######`, not inside code fences). A
 * heading with no body of its own is kept with the section that follows, so no chunk is
 * a bare heading unless the document ends with one.
 */
export function splitSections(text: string): Section[] {
  const raw: Array<Section & { hasBody: boolean }> = [];
  const path: Array<{ level: number; title: string }> = [];
  let current: Section & { hasBody: boolean } = { start: 0, end: text.length, headings: [], hasBody: false };
  let inFence = false;
  for (const line of lines(text, 0, text.length)) {
    const content = text.slice(line.start, line.end);
    if (FENCE.test(content)) inFence = !inFence;
    const heading = inFence ? null : matchAtxHeading(content.trimEnd(), 6, false);
    const title = heading?.content.trim();
    if (heading && title) {
      current.end = line.start;
      raw.push(current);
      const level = heading.hashes.length;
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, title });
      current = {
        start: line.start,
        end: text.length,
        headings: path.map((entry) => entry.title),
        hasBody: false,
      };
    } else if (!current.hasBody && !isBlank(text, line)) {
      current.hasBody = true;
    }
  }
  raw.push(current);

  const sections: Section[] = [];
  let pendingStart: number | null = null;
  raw.forEach((section, index) => {
    const isHeadingOnly = !section.hasBody && section.headings.length > 0;
    if (!section.hasBody && section.headings.length === 0) return;
    if (isHeadingOnly && index < raw.length - 1) {
      pendingStart ??= section.start;
      return;
    }
    const [start, end] = trimSpan(text, pendingStart ?? section.start, section.end);
    pendingStart = null;
    if (start < end) sections.push({ start, end, headings: section.headings });
  });
  return sections;
}

/** Paragraphs of `[start, end)`: blank-line separated, a fenced code block stays whole. */
function paragraphSpans(text: string, start: number, end: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let paragraphStart = -1;
  let paragraphEnd = -1;
  let inFence = false;
  for (const line of lines(text, start, end)) {
    if (FENCE.test(text.slice(line.start, Math.min(line.end, line.start + 8)))) inFence = !inFence;
    if (!inFence && isBlank(text, line)) {
      if (paragraphStart >= 0) spans.push([paragraphStart, paragraphEnd]);
      paragraphStart = -1;
    } else {
      if (paragraphStart < 0) paragraphStart = line.start;
      paragraphEnd = line.end;
    }
  }
  if (paragraphStart >= 0) spans.push([paragraphStart, paragraphEnd]);
  return spans;
}

function spansBetween(text: string, start: number, end: number, cuts: number[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = start;
  for (const cut of [...cuts, end]) {
    const [spanStart, spanEnd] = trimSpan(text, from, cut);
    if (spanStart < spanEnd) spans.push([spanStart, spanEnd]);
    from = cut;
  }
  return spans;
}

/**
 * Cuts `[start, end)` into runs of at most `limit` tokens at code point boundaries (binary
 * search on `measure`): the last resort for a word or an unspaced CJK sentence that is too long.
 * A single code point is never split, even if it alone exceeds `limit`.
 */
export function splitByMeasure(
  text: string,
  start: number,
  end: number,
  limit: number,
  measure: SpanMeasure,
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = start;
  while (from < end) {
    let low = from + 1;
    let high = end;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (measure(from, middle) <= limit) low = middle;
      else high = middle - 1;
    }
    let cut = low;
    if (splitsSurrogatePair(text, cut)) cut = cut + 1 <= end && cut - 1 === from ? cut + 1 : cut - 1;
    spans.push([from, cut]);
    from = cut;
  }
  return spans;
}

type Level = 'paragraph' | 'sentence' | 'line' | 'clause' | 'word' | 'character';
const NEXT_LEVEL: Record<Exclude<Level, 'character'>, Level> = {
  paragraph: 'sentence',
  sentence: 'line',
  line: 'clause',
  clause: 'word',
  word: 'character',
};

function piecesAt(text: string, start: number, end: number, level: Level): Array<[number, number]> {
  if (level === 'sentence') return spansBetween(text, start, end, sentenceStarts(text, start, end));
  if (level === 'line') return spansBetween(text, start, end, lineStarts(text, start, end));
  if (level === 'clause') return spansBetween(text, start, end, clauseStarts(text, start, end));
  return spansBetween(text, start, end, wordStarts(text, start, end));
}

function pushUnits(
  text: string,
  span: [number, number],
  level: Level,
  boundary: boolean,
  limit: number,
  measure: SpanMeasure,
  units: TextUnit[],
): void {
  const [start, end] = span;
  if (measure(start, end) <= limit) {
    units.push({ start, end, boundary });
    return;
  }
  if (level === 'character') {
    splitByMeasure(text, start, end, limit, measure).forEach(([from, to], index) => {
      units.push({ start: from, end: to, boundary: boundary && index === 0 });
    });
    return;
  }
  const next = NEXT_LEVEL[level];
  const pieces = level === 'paragraph' ? [span] : piecesAt(text, start, end, level);
  // Words and characters are not boundaries; sentences and lines are.
  const piecesAreBoundaries = level === 'sentence' || level === 'line';
  pieces.forEach((piece, index) => {
    pushUnits(text, piece, next, index === 0 ? boundary : piecesAreBoundaries, limit, measure, units);
  });
}

/**
 * Re-splits one unit that turned out too long (by sentences, lines, words, then characters)
 * into units measuring at most `limit`.
 */
export function splitUnit(text: string, unit: TextUnit, limit: number, measure: SpanMeasure): TextUnit[] {
  const units: TextUnit[] = [];
  pushUnits(text, [unit.start, unit.end], 'sentence', unit.boundary, limit, measure, units);
  return units;
}

/** Units of a section, each measuring at most `limit` (except a single oversized code point). */
export function splitUnits(text: string, section: Section, limit: number, measure: SpanMeasure): TextUnit[] {
  const units: TextUnit[] = [];
  for (const paragraph of paragraphSpans(text, section.start, section.end)) {
    pushUnits(text, paragraph, 'paragraph', true, limit, measure, units);
  }
  return units;
}

/**
 * Keeps a section's leading heading line(s) in one unit with the text that follows, re-splitting
 * that text if needed, so no chunk is a bare heading followed by its own body elsewhere.
 */
export function attachHeading(text: string, units: TextUnit[], limit: number, measure: SpanMeasure): void {
  let count = 0;
  while (count < units.length && isHeadingLine(text, units[count]!)) count++;
  if (count === 0 || count === units.length) return;
  const start = units[0]!.start;
  const headingTokens = measure(start, units[count - 1]!.end);
  if (headingTokens >= limit / 2) return;
  const body = units[count]!;
  if (headingTokens + measure(units[count - 1]!.end, body.end) > limit) {
    const pieces = splitUnit(text, body, limit - headingTokens - 1, measure);
    units.splice(count, 1, ...pieces);
  }
  units.splice(0, count + 1, { start, end: units[count]!.end, boundary: true });
}

function isHeadingLine(text: string, unit: TextUnit): boolean {
  if (text[unit.start] !== '#' && text[unit.start] !== ' ') return false;
  const line = text.slice(unit.start, unit.end);
  return !line.includes('\n') && matchAtxHeading(line, 6, false) !== null;
}

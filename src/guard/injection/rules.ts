/**
 * Runs the rule tables over one canonical view. Script checks pick the tables (Chinese and
 * Japanese/Korean rules only when the view has CJK characters, Russian only with Cyrillic),
 * and each rule's gate substrings (found in one Aho–Corasick pass) gate its regular expression,
 * which keeps dozens of rules cheap on every window.
 */

import { CodeUnits } from '../normalize/code-units.js';
import type { ScanViewKind } from '../normalize/index.js';
import { AhoCorasick } from '../words/aho-corasick.js';
import type { InjectionRule } from './rule-types.js';
import { CHINESE_PUBLISHED_RULES } from './rules-chinese-published.js';
import { ENGLISH_RULES as ENGLISH_OVERRIDE_RULES } from './rules-english.js';
import { ENGLISH_EXTRACTION_RULES, SQUASHED_RULES } from './rules-english-extraction.js';
import { ENGLISH_PUBLISHED_RULES } from './rules-english-published.js';
import { CHINESE_RULES, OTHER_LANGUAGE_RULES } from './rules-multilingual.js';
import { PremultipliedTransitions } from './transitions.js';

export interface RuleHit {
  rule: InjectionRule;
  /** The matched text of the view. */
  match: string;
}

const ENGLISH_RULES = [...ENGLISH_OVERRIDE_RULES, ...ENGLISH_EXTRACTION_RULES, ...ENGLISH_PUBLISHED_RULES];
const language = (rule: InjectionRule): string => rule.id.slice(0, rule.id.indexOf('.'));
// Rules whose gates alone pick the views they run on (Latin-script languages, and the Indic,
// Arabic and Thai rules, whose needles are in their own scripts).
const LATIN_OTHER = OTHER_LANGUAGE_RULES.filter((rule) =>
  ['es', 'fr', 'de', 'pt', 'it', 'id', 'vi', 'tr', 'tl', 'hi', 'bn', 'ar', 'th'].includes(language(rule)),
);
const CYRILLIC_RULES = OTHER_LANGUAGE_RULES.filter((rule) => language(rule) === 'ru');
const CJK_RULES = [
  ...CHINESE_RULES,
  ...CHINESE_PUBLISHED_RULES,
  ...OTHER_LANGUAGE_RULES.filter((rule) => ['ja', 'ko'].includes(language(rule))),
];

/** Every rule, for documentation and tests. */
export const ALL_RULES: readonly InjectionRule[] = [
  ...ENGLISH_RULES,
  ...OTHER_LANGUAGE_RULES,
  ...CHINESE_RULES,
  ...CHINESE_PUBLISHED_RULES,
  ...SQUASHED_RULES,
];

/**
 * Attack words written backwards ("FlipAttack": ".snoitcurtsni suoiverp lla erongI", or each
 * word reversed in place). No English text contains them, so finding one in the needle pass the
 * rules make anyway costs nothing, and it is what lets the detector read the view reversed
 * (reversedWordsOfLastMatch). English only: reversed CJK bigrams occur in ordinary text.
 */
const REVERSED_NEEDLES = [
  'erongi',
  'snoitcurtsni',
  'tpmorp metsys',
  'drowssap',
  'suoiverp',
  'laever',
  'tegrof',
];

// Every gate string in one Aho–Corasick automaton: one pass over the view marks each gate
// string present, instead of hundreds of `includes` calls (or one big alternation, which
// allocated a match per hit of the one-character gates such as ':').
const NEEDLES = [
  ...new Set([...ALL_RULES.flatMap((rule) => (rule.gates ?? []).flat()), ...REVERSED_NEEDLES]),
];
const NEEDLE_INDEX = new Map(NEEDLES.map((needle, index) => [needle, index]));
const AUTOMATON = new AhoCorasick(NEEDLES);

// Views are mostly ASCII: one table lookup per character instead of walking failure links.
const STEP = new PremultipliedTransitions(AUTOMATON, NEEDLES);

/** Position of each rule in ALL_RULES. */
const RULE_INDEX = new Map(ALL_RULES.map((rule, index) => [rule, index]));

/**
 * Gate bits: bit g of a rule's mask is set when its gate g (a list of needles) is open, i.e.
 * one of the gate's needles is in the view; the rule's expression runs when every gate is open
 * (mask = FULL_GATES, 0 for a rule without gates). Each needle lists the (rule, gate) pairs it
 * opens, so a pass opens gates only for the needles it finds (about 7 per benign window), and
 * `runTable` compares one mask per rule instead of looking the needles of every gate up.
 */
const FULL_GATES = Int32Array.from(ALL_RULES, (rule) => {
  const count = rule.gates?.length ?? 0;
  if (count > 30) throw new Error(`rule ${rule.id} has more than 30 gates`);
  return (1 << count) - 1;
});
/** For each needle: entries rule index × 32 + gate bit number, of the gates it opens. */
const NEEDLE_OPENS: Int32Array[] = (() => {
  const opens: number[][] = NEEDLES.map(() => []);
  ALL_RULES.forEach((rule, ruleIndex) => {
    (rule.gates ?? []).forEach((gate, gateIndex) => {
      for (const needle of gate) opens[NEEDLE_INDEX.get(needle)!]!.push(ruleIndex * 32 + gateIndex);
    });
  });
  return opens.map((entries) => Int32Array.from(entries));
})();
/** Open gates per rule in the last markPresentNeedles view (see FULL_GATES). */
const openGates = new Int32Array(ALL_RULES.length);

/**
 * Needles present in the view, as flags by needle index (one scratch array: matching is
 * synchronous). Returns how many distinct needles were found.
 */
const present = new Uint8Array(NEEDLES.length);
// Automaton nodes whose outputs were already marked during the current pass.
const nodeSeen = new Uint32Array(AUTOMATON.size);
let pass = 0;
// Scripts seen by the last markPresentNeedles pass (the CJK and CYRILLIC classes), so the
// script checks need no second scan of the view.
let sawCjk = false;
let sawCyrillic = false;
// Whether the view had a code unit at or above U+3040, where every range cjkShare counts starts.
let sawWide = false;

const needleUnits = new CodeUnits(1024);

function markPresentNeedles(text: string): number {
  present.fill(0);
  openGates.fill(0);
  if (++pass === 0xffffffff) {
    nodeSeen.fill(0);
    pass = 1;
  }
  let found = 0;
  // The current state's row in the step table (see PremultipliedTransitions).
  let row = 0;
  let cjk = false;
  let cyrillic = false;
  let wide = false;
  const { table, column, columns } = STEP;
  // Read from one copy (see CodeUnits): views come in every string representation.
  const units = needleUnits.load(text);
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = units[index]!;
    if (code < 128) {
      const entry = table[row + column[code]!]!;
      row = entry >> 1;
      // Most characters end no needle.
      if ((entry & 1) === 0) continue;
    } else {
      row = AUTOMATON.next((row / columns) | 0, code) * columns;
      if (code >= 0x3040) wide = true;
      if (
        (code >= 0x3040 && code <= 0x30ff) ||
        (code >= 0x3400 && code <= 0x9fff) ||
        (code >= 0xac00 && code <= 0xd7af)
      )
        cjk = true;
      else if (code >= 0x0400 && code <= 0x04ff) cyrillic = true;
    }
    const state = (row / columns) | 0;
    let node = AUTOMATON.terminal[state] !== -1 ? state : AUTOMATON.outputLink[state]!;
    while (node !== -1 && nodeSeen[node] !== pass) {
      nodeSeen[node] = pass;
      for (
        let pattern = AUTOMATON.terminal[node]!;
        pattern !== -1;
        pattern = AUTOMATON.samePattern[pattern]!
      ) {
        if (present[pattern] === 0) {
          present[pattern] = 1;
          found++;
          const opens = NEEDLE_OPENS[pattern]!;
          for (let entry = 0; entry < opens.length; entry++) {
            const packed = opens[entry]!;
            openGates[packed >> 5]! |= 1 << (packed & 31);
          }
        }
      }
      node = AUTOMATON.outputLink[node]!;
    }
  }
  sawCjk = cjk;
  sawCyrillic = cyrillic;
  sawWide = wide;
  return found;
}

/** A table of rules: the rules and their positions in ALL_RULES. */
interface RuleTable {
  rules: readonly InjectionRule[];
  indexes: Int32Array;
}

function ruleTable(rules: readonly InjectionRule[]): RuleTable {
  return { rules, indexes: Int32Array.from(rules, (rule) => RULE_INDEX.get(rule)!) };
}

const ENGLISH_TABLE = ruleTable(ENGLISH_RULES);
const LATIN_OTHER_TABLE = ruleTable(LATIN_OTHER);
const CJK_TABLE = ruleTable(CJK_RULES);
const CYRILLIC_TABLE = ruleTable(CYRILLIC_RULES);
const SQUASHED_TABLE = ruleTable(SQUASHED_RULES);

/** Runs the rules of `table` whose gates the last needle pass opened, in table order. */
function runTable(table: RuleTable, text: string, hits: RuleHit[]): void {
  const { rules, indexes } = table;
  for (let position = 0; position < rules.length; position++) {
    const index = indexes[position]!;
    if (openGates[index] !== FULL_GATES[index]) continue;
    const rule = rules[position]!;
    const found = rule.pattern.exec(text);
    if (found !== null) hits.push({ rule, match: found[0] });
  }
}

/** Length of each needle. */
const NEEDLE_LENGTH = Int32Array.from(NEEDLES, (needle) => needle.length);

/**
 * Every needle occurrence in the last whole text read by wholeOccurrences: end offset and
 * needle, in order of their ends. The windows of a long text are slices of one canonical string
 * for most texts (normalize/inert-views.ts); one automaton pass over that string serves all of
 * them, instead of one pass per window (which read the overlaps twice).
 */
let occurrenceWhole: string | null = null;
let occurrenceEnds = new Int32Array(256);
let occurrenceNeedles = new Int32Array(256);
let occurrenceCount = 0;
/** The last whole text has a Cyrillic unit or one at or above U+3040 (never an inert text). */
let occurrenceWide = false;
const wholeUnits = new CodeUnits(4096);

function wholeOccurrences(whole: string): void {
  if (occurrenceWhole === whole) return;
  const { table, column, columns } = STEP;
  const units = wholeUnits.load(whole);
  const length = whole.length;
  let count = 0;
  let wide = false;
  let row = 0;
  for (let index = 0; index < length; index++) {
    const code = units[index]!;
    if (code < 128) {
      const entry = table[row + column[code]!]!;
      row = entry >> 1;
      if ((entry & 1) === 0) continue;
    } else {
      row = AUTOMATON.next((row / columns) | 0, code) * columns;
      // The units the script checks look for (markPresentNeedles): CJK and kana from U+3040 on,
      // Cyrillic.
      if (code >= 0x3040 || (code >= 0x0400 && code <= 0x04ff)) wide = true;
    }
    const state = (row / columns) | 0;
    for (
      let node = AUTOMATON.terminal[state] !== -1 ? state : AUTOMATON.outputLink[state]!;
      node !== -1;
      node = AUTOMATON.outputLink[node]!
    ) {
      for (
        let pattern = AUTOMATON.terminal[node]!;
        pattern !== -1;
        pattern = AUTOMATON.samePattern[pattern]!
      ) {
        if (count === occurrenceEnds.length) {
          const ends = new Int32Array(2 * count);
          ends.set(occurrenceEnds);
          occurrenceEnds = ends;
          const needles = new Int32Array(2 * count);
          needles.set(occurrenceNeedles);
          occurrenceNeedles = needles;
        }
        occurrenceEnds[count] = index + 1;
        occurrenceNeedles[count] = pattern;
        count++;
      }
    }
  }
  occurrenceCount = count;
  occurrenceWide = wide;
  occurrenceWhole = whole;
}

/**
 * markPresentNeedles of `whole.slice(from, to)` from the whole text's occurrences: a needle is
 * in the slice when one of its occurrences lies inside it. Null when the whole text has units
 * the script checks care about (then the caller reads the slice itself).
 */
function markPresentInSlice(whole: string, from: number, to: number): number | null {
  wholeOccurrences(whole);
  if (occurrenceWide) return null;
  present.fill(0);
  openGates.fill(0);
  let found = 0;
  // The first occurrence ending after `from` (ends are in order).
  let low = 0;
  let high = occurrenceCount;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (occurrenceEnds[middle]! <= from) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < occurrenceCount; index++) {
    const end = occurrenceEnds[index]!;
    if (end > to) break;
    const pattern = occurrenceNeedles[index]!;
    if (end - NEEDLE_LENGTH[pattern]! < from || present[pattern] !== 0) continue;
    present[pattern] = 1;
    found++;
    const opens = NEEDLE_OPENS[pattern]!;
    for (let entry = 0; entry < opens.length; entry++) {
      const packed = opens[entry]!;
      openGates[packed >> 5]! |= 1 << (packed & 31);
    }
  }
  // No Cyrillic unit and none at or above U+3040 in the whole text, so none in the slice.
  sawCjk = false;
  sawCyrillic = false;
  sawWide = false;
  return found;
}

let lastNeedles = 0;

/** How many distinct needles (rule gate strings, reversed attack words) the last `matchRules` call found in its view. */
export function needlesOfLastMatch(): number {
  return lastNeedles;
}

const REVERSED_INDEXES = Int32Array.from(REVERSED_NEEDLES, (needle) => NEEDLE_INDEX.get(needle)!);

/** Whether the last `matchRules` view had an attack word written backwards (REVERSED_NEEDLES). */
export function reversedWordsOfLastMatch(): boolean {
  for (let index = 0; index < REVERSED_INDEXES.length; index++)
    if (present[REVERSED_INDEXES[index]!] !== 0) return true;
  return false;
}

/**
 * False when the last `matchRules` (or `countNeedles`) view had no character at or above
 * U+3040: then it has no CJK, kana or Hangul, and its CJK share is 0 (the detector skips that
 * count, a pass over the view, for such views).
 */
export function mayBeCjkOfLastMatch(): boolean {
  return sawWide;
}

/** How many distinct rule gate strings (the words attacks are made of) occur in `text`. */
export function countNeedles(text: string): number {
  return markPresentNeedles(text);
}

/** Rules that fire on one canonical view. */
export function matchRules(text: string, kind: ScanViewKind = 'text'): RuleHit[] {
  return matchMarked(text, kind, markPresentNeedles(text));
}

/**
 * matchRules(text, kind) for a view `text` that is `whole.slice(from, to)`, with its needles
 * found by one automaton pass over `whole` shared by all its slices (see wholeOccurrences).
 */
export function matchRulesInSlice(
  text: string,
  kind: ScanViewKind,
  whole: string,
  from: number,
  to: number,
): RuleHit[] {
  return matchMarked(text, kind, markPresentInSlice(whole, from, to) ?? markPresentNeedles(text));
}

/** The rules of the view whose needles were just marked (`needles` distinct ones). */
function matchMarked(text: string, kind: ScanViewKind, needles: number): RuleHit[] {
  const hits: RuleHit[] = [];
  lastNeedles = needles;
  if (lastNeedles > 0) {
    runTable(ENGLISH_TABLE, text, hits);
    runTable(LATIN_OTHER_TABLE, text, hits);
    if (sawCjk) runTable(CJK_TABLE, text, hits);
    if (sawCyrillic) runTable(CYRILLIC_TABLE, text, hits);
  }
  // The squashed rules are gated on the needles of the view itself, not of the squashed text.
  if (kind === 'despaced') runTable(SQUASHED_TABLE, text.replace(/[^a-z]/g, ''), hits);
  return hits;
}

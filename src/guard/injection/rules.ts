/**
 * Runs the rule tables over one canonical view. Script checks pick the tables (Chinese and
 * Japanese/Korean rules only when the view has CJK characters, Russian only with Cyrillic),
 * and each rule's `anyOf` substrings gate its regular expression, which keeps dozens of rules
 * cheap on every window.
 */

import type { ScanViewKind } from '../normalize/index.js';
import type { InjectionRule } from './rule-types.js';
import { ENGLISH_RULES as ENGLISH_OVERRIDE_RULES } from './rules-english.js';
import { ENGLISH_EXTRACTION_RULES, SQUASHED_RULES } from './rules-english-extraction.js';
import { CHINESE_RULES, OTHER_LANGUAGE_RULES } from './rules-multilingual.js';

export interface RuleHit {
  rule: InjectionRule;
  /** The matched text of the view. */
  match: string;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
const CYRILLIC = /[\u0400-\u04ff]/;
const ENGLISH_RULES = [...ENGLISH_OVERRIDE_RULES, ...ENGLISH_EXTRACTION_RULES];
const language = (rule: InjectionRule): string => rule.id.slice(0, rule.id.indexOf('.'));
const LATIN_OTHER = OTHER_LANGUAGE_RULES.filter((rule) =>
  ['es', 'fr', 'de', 'pt', 'it'].includes(language(rule)),
);
const CYRILLIC_RULES = OTHER_LANGUAGE_RULES.filter((rule) => language(rule) === 'ru');
const CJK_RULES = [
  ...CHINESE_RULES,
  ...OTHER_LANGUAGE_RULES.filter((rule) => ['ja', 'ko'].includes(language(rule))),
];

/** Every rule, for documentation and tests. */
export const ALL_RULES: readonly InjectionRule[] = [
  ...ENGLISH_RULES,
  ...OTHER_LANGUAGE_RULES,
  ...CHINESE_RULES,
  ...SQUASHED_RULES,
];

// All gate strings in one alternation (longest first): one pass over the view finds every
// gate string present, instead of hundreds of `includes` calls.
const NEEDLES = [...new Set(ALL_RULES.flatMap((rule) => (rule.gates ?? []).flat()))].sort(
  (left, right) => right.length - left.length,
);
const NEEDLE_PATTERN = new RegExp(
  NEEDLES.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'g',
);
// A match of one needle also contains the shorter needles inside it ("you are" ⊃ "you ").
const CONTAINED = new Map(
  NEEDLES.map((needle) => [needle, NEEDLES.filter((other) => needle.includes(other))]),
);

function presentNeedles(text: string): Set<string> {
  const found = new Set<string>();
  const pattern = new RegExp(NEEDLE_PATTERN);
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    for (const needle of CONTAINED.get(match[0]) ?? []) found.add(needle);
    pattern.lastIndex = match.index + 1;
  }
  return found;
}

function passesGates(gates: readonly (readonly string[])[], present: ReadonlySet<string>): boolean {
  return gates.every((gate) => gate.some((needle) => present.has(needle)));
}

function runTable(
  rules: readonly InjectionRule[],
  text: string,
  hits: RuleHit[],
  present: ReadonlySet<string>,
): void {
  for (const rule of rules) {
    if (rule.gates !== undefined && !passesGates(rule.gates, present)) continue;
    const found = rule.pattern.exec(text);
    if (found !== null) hits.push({ rule, match: found[0] });
  }
}

/** Rules that fire on one canonical view. */
export function matchRules(text: string, kind: ScanViewKind = 'text'): RuleHit[] {
  const hits: RuleHit[] = [];
  const present = presentNeedles(text);
  if (present.size > 0) {
    runTable(ENGLISH_RULES, text, hits, present);
    runTable(LATIN_OTHER, text, hits, present);
    if (CJK.test(text)) runTable(CJK_RULES, text, hits, present);
    if (CYRILLIC.test(text)) runTable(CYRILLIC_RULES, text, hits, present);
  }
  if (kind === 'despaced') runTable(SQUASHED_RULES, text.replace(/[^a-z]/g, ''), hits, present);
  return hits;
}

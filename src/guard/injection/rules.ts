/**
 * Runs the rule tables over one canonical view. Script checks pick the tables (Chinese and
 * Japanese/Korean rules only when the view has CJK characters, Russian only with Cyrillic),
 * and each rule's `anyOf` substrings gate its regular expression, which keeps dozens of rules
 * cheap on every window.
 */

import type { ScanViewKind } from '../normalize/index.js';
import { ENGLISH_RULES, SQUASHED_RULES } from './rules-english.js';
import { CHINESE_RULES, OTHER_LANGUAGE_RULES } from './rules-multilingual.js';
import type { InjectionRule } from './rule-types.js';

export interface RuleHit {
  rule: InjectionRule;
  /** The matched text of the view. */
  match: string;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN_OTHER = OTHER_LANGUAGE_RULES.filter((rule) => rule.anyOf !== undefined && !rule.id.startsWith('ru.'));
const CYRILLIC_RULES = OTHER_LANGUAGE_RULES.filter((rule) => rule.id.startsWith('ru.'));
const CJK_RULES = [...CHINESE_RULES, ...OTHER_LANGUAGE_RULES.filter((rule) => rule.anyOf === undefined)];

/** Every rule, for documentation and tests. */
export const ALL_RULES: readonly InjectionRule[] = [...ENGLISH_RULES, ...OTHER_LANGUAGE_RULES, ...CHINESE_RULES, ...SQUASHED_RULES];

function runTable(rules: readonly InjectionRule[], text: string, hits: RuleHit[]): void {
  for (const rule of rules) {
    if (rule.anyOf !== undefined && !rule.anyOf.some((needle) => text.includes(needle))) continue;
    const found = rule.pattern.exec(text);
    if (found !== null) hits.push({ rule, match: found[0] });
  }
}

/** Rules that fire on one canonical view. */
export function matchRules(text: string, kind: ScanViewKind = 'text'): RuleHit[] {
  const hits: RuleHit[] = [];
  runTable(ENGLISH_RULES, text, hits);
  runTable(LATIN_OTHER, text, hits);
  if (CJK.test(text)) runTable(CJK_RULES, text, hits);
  if (CYRILLIC.test(text)) runTable(CYRILLIC_RULES, text, hits);
  if (kind === 'despaced') runTable(SQUASHED_RULES, text.replace(/[^a-z]/g, ''), hits);
  return hits;
}

/**
 * For rule tests: the injection scanner's input-stage score of a text, and the ids of the rules
 * that fire on any of its scan views.
 */
import { createInjectionScanner } from '../../src/guard/injection/index.js';
import { matchRules } from '../../src/guard/injection/rules.js';
import { buildScanViews } from '../../src/guard/normalize/index.js';
import type { ScanResult } from '../../src/guard/scanner.js';

const scanner = createInjectionScanner();

export const injectionScore = (text: string): number =>
  (scanner.scan(text, { stage: 'input' }) as ScanResult).score;

/** The ids of the rules that fire on any view of the text. */
export const firedRules = (text: string): Set<string> =>
  new Set(
    buildScanViews(text, {}).flatMap((view) => matchRules(view.text, view.kind).map((hit) => hit.rule.id)),
  );

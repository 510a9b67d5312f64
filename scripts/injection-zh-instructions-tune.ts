/**
 * `node --import tsx scripts/injection-zh-instructions-tune.ts`: the committed injection scanner
 * (input stage, flagged = score ≥ 0.5) on TUNE data only — the authored ordinary Chinese
 * instructions (`ZH_BENIGN_INSTRUCTIONS`, all rows and the validation rows the training split
 * assigns them), the English ones for reference (never trained on), and every tune source's
 * validation rows whose text has kana or hangul (the Japanese/Korean threshold question).
 * Docs: docs/guardrails-injection.md, "Session 8: ordinary Chinese instructions".
 */
import { createInjectionScanner } from '../src/guard/injection/index.js';
import { hasKanaOrHangul } from '../src/guard/injection/script.js';
import type { ScanResult } from '../src/guard/scanner.js';
import { authoredSources, zhInstructionBenignSource } from './injection-authored.js';
import { EN_BENIGN_INSTRUCTIONS, ZH_BENIGN_INSTRUCTIONS } from './injection-authored-benign-instructions.js';
import { loadTuneSources } from './injection-data.js';
import { SEED, splitSources } from './train-injection.js';

const scanner = createInjectionScanner();
const score = (text: string) => (scanner.scan(text, { stage: 'input' }) as ScanResult).score;
const flaggedOf = (texts: readonly string[]) => texts.filter((text) => score(text) >= 0.5);

const zhAll = Object.values(ZH_BENIGN_INSTRUCTIONS).flat();
const enAll = Object.values(EN_BENIGN_INSTRUCTIONS).flat();
const sources = [...loadTuneSources(), ...authoredSources()];
if (!sources.some((source) => source.name === 'authored-zh-instruction-benign'))
  sources.push(zhInstructionBenignSource());
const { validation } = splitSources(sources, SEED);
const zhValidation = validation
  .filter((example) => example.source === 'authored-zh-instruction-benign')
  .map((example) => example.text);

const zhFlagged = flaggedOf(zhAll);
const zhValidationFlagged = flaggedOf(zhValidation);
console.log(`zh instructions, all rows:        ${zhFlagged.length} / ${zhAll.length} flagged`);
console.log(
  `zh instructions, validation rows: ${zhValidationFlagged.length} / ${zhValidation.length} flagged (${((zhValidationFlagged.length / zhValidation.length) * 100).toFixed(1)} %)`,
);
console.log(`en instructions, all rows:        ${flaggedOf(enAll).length} / ${enAll.length} flagged`);
for (const text of zhFlagged)
  console.log(`  ${score(text).toFixed(2)} ${zhValidation.includes(text) ? '[val]' : '     '} ${text}`);

const kanaHangul = new Map<string, { count: number; flagged: number }>();
for (const example of validation) {
  if (!hasKanaOrHangul(example.text)) continue;
  const entry = kanaHangul.get(example.source) ?? { count: 0, flagged: 0 };
  entry.count++;
  if (score(example.text) >= 0.5) entry.flagged++;
  kanaHangul.set(example.source, entry);
}
console.log('validation rows with kana or hangul, per source:');
for (const [source, entry] of kanaHangul)
  console.log(`  ${source}: ${entry.flagged} / ${entry.count} flagged`);

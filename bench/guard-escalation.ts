/**
 * `npm run bench:guard-escalation`: what escalating to a remote guard model (`when: { scanner:
 * injection, min_score }` on a `remote` rule) can buy, read off the local injection scanner's
 * scores on the measure-only sets (scored only; nothing is chosen here — min_score is the
 * policy author's). For each min_score:
 * - the share of benign prompts that would be sent to the guard model (its cost: one call each);
 * - the share of the attacks the local scanner misses (score < 0.5) that would reach it: the
 *   most recall a guard model can add behind this condition;
 * - the balanced accuracy of "local OR guard model" if the guard model were perfect on what it
 *   sees (every escalated attack caught, no escalated benign prompt flagged): a ceiling, not a
 *   forecast — a real model also misses and over-flags.
 * Input only (no system prompt), English and Chinese paired sets as in bench:guard. The scanner
 * runs with `minScore: 0.01` (a policy option): with the default 0.2 every score below 0.2 is 0,
 * so the rows under 0.2 need that option; the rows from 0.2 up are the same either way.
 */
import { createInjectionScanner } from '../src/guard/injection/index.js';
import { loadMeasureSets } from './guard-injection-measure.js';

// The scanner as a policy with `options: { minScore: 0.01 }` runs it: windows down to 0.01 are
// reported (the default, 0.2, reports none below it, so a condition under 0.2 sees 0).
const scanner = createInjectionScanner({ minScore: 0.01 });
const MIN_SCORES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4];
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const bench: Record<string, number> = {};
for (const language of ['en', 'zh'] as const) {
  const sets = loadMeasureSets().filter(
    (set) => set.paired && set.language === language && set.stage === 'input',
  );
  const attacks: number[] = [];
  const benign: number[] = [];
  for (const set of sets) {
    for (const text of set.texts) {
      const result = scanner.scan(text, { stage: 'input' });
      if (result instanceof Promise) throw new Error('the injection scanner is synchronous');
      (set.label === 1 ? attacks : benign).push(result.score);
    }
  }
  const caught = attacks.filter((score) => score >= 0.5).length;
  const falsePositives = benign.filter((score) => score >= 0.5).length;
  const missed = attacks.filter((score) => score < 0.5);
  const passed = benign.filter((score) => score < 0.5);
  const localBa = (caught / attacks.length + 1 - falsePositives / benign.length) / 2;
  console.log(
    `## ${language}: ${attacks.length} attacks (${caught} caught locally, ${missed.length} missed), ${benign.length} benign; local BA ${localBa.toFixed(3)}`,
  );
  console.log(
    '| min_score | benign prompts sent to the guard model | missed attacks that reach it | BA ceiling, perfect guard model |',
  );
  console.log('|---|---|---|---|');
  for (const minScore of MIN_SCORES) {
    const escalatedBenign = passed.filter((score) => score >= minScore).length;
    const escalatedMissed = missed.filter((score) => score >= minScore).length;
    const ceiling = ((caught + escalatedMissed) / attacks.length + 1 - falsePositives / benign.length) / 2;
    console.log(
      `| ${minScore} | ${round((100 * escalatedBenign) / benign.length)} % | ${escalatedMissed} of ${missed.length} (${round((100 * escalatedMissed) / Math.max(1, missed.length))} %) | ${ceiling.toFixed(3)} |`,
    );
    if (minScore === 0.05 || minScore === 0.2) {
      bench[`${language}_benign_sent_pct_${minScore}`] = round((100 * escalatedBenign) / benign.length);
      bench[`${language}_ba_ceiling_${minScore}`] = Math.round(ceiling * 1000) / 1000;
    }
  }
  bench[`${language}_local_ba`] = Math.round(localBa * 1000) / 1000;
  console.log('');
}
console.log(
  `BENCH guard-escalation ${Object.entries(bench)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}`,
);

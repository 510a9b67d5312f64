/**
 * `node --import tsx scripts/injection-system-prompt-tune.ts [benign-source]`: the injection
 * scanner's system-prompt check (src/guard/injection/system-context.ts) on TUNE data only.
 * Tensor Trust attacks are scored against their own `pre_prompt`; every benign tune source with
 * a Tensor Trust prompt drawn at random (seeded) — benign users of a password-guarding bot.
 * Prints, per set: the classifier alone, the check alone (score ≥ 0.5), the shipped
 * combination (max), a noisy-OR combination (tried, not shipped) and the share of weak hits
 * (0 < score < 0.5). With a source name, lists that source's texts the check flags.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../src/core/random.js';
import { createInjectionScanner } from '../src/guard/injection/index.js';
import { scoreAgainstSystemPrompt } from '../src/guard/injection/system-context.js';
import type { ScanResult } from '../src/guard/scanner.js';
import { datasetsRoot, loadTuneSources } from './injection-data.js';

interface TensorTrustRow {
  pre_prompt: string;
  attack: string;
}

const scanner = createInjectionScanner({ systemPrompt: false });
const rows = (file: string): TensorTrustRow[] =>
  readFileSync(join(datasetsRoot(), file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TensorTrustRow);
const extraction = rows('sysprompt-leak-tensortrust/extraction_robustness_dataset.jsonl');
const hijacking = rows('sysprompt-leak-tensortrust/hijacking_robustness_dataset.jsonl');
const prompts = [...extraction, ...hijacking].map((row) => row.pre_prompt);
const random = createRandom(7);
const draw = (): string => prompts[Math.floor(random() * prompts.length)]!;

function rates(pairs: Array<{ text: string; system: string }>): string {
  let classifier = 0;
  let check = 0;
  let shipped = 0;
  let noisyOr = 0;
  let weak = 0;
  for (const { text, system } of pairs) {
    const base = (scanner.scan(text, { stage: 'input' }) as ScanResult).score;
    const hit = scoreAgainstSystemPrompt(text, system)?.score ?? 0;
    if (base >= 0.5) classifier++;
    if (hit >= 0.5) check++;
    if (Math.max(base, hit) >= 0.5) shipped++;
    if (1 - (1 - base) * (1 - hit) >= 0.5) noisyOr++;
    if (hit > 0 && hit < 0.5) weak++;
  }
  const share = (count: number) => `${((count / pairs.length) * 100).toFixed(1)}%`;
  return `n=${pairs.length} classifier=${share(classifier)} check=${share(check)} max=${share(shipped)} noisy-or=${share(noisyOr)} weak=${share(weak)}`;
}

console.log(
  'tensortrust-extraction',
  rates(extraction.map((row) => ({ text: row.attack, system: row.pre_prompt }))),
);
console.log(
  'tensortrust-hijacking',
  rates(hijacking.map((row) => ({ text: row.attack, system: row.pre_prompt }))),
);
const sources = loadTuneSources().filter((source) => source.family === 'benign');
for (const source of sources) {
  console.log(
    `benign ${source.name}`,
    rates(source.examples.map((example) => ({ text: example.text, system: draw() }))),
  );
}
const listed = process.argv[2];
const chosen = sources.find((source) => source.name === listed);
if (chosen) {
  for (const example of chosen.examples) {
    const hit = scoreAgainstSystemPrompt(example.text, draw());
    if (hit && hit.score >= 0.5) console.log(hit.score, hit.terms, '|', example.text.slice(0, 120));
  }
}

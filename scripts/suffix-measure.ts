/**
 * FINAL READING of the adversarial-suffix detector on MEASURE-ONLY sets, run once the model and
 * its threshold are fixed. Nothing here feeds back into training, thresholds or rules.
 *   recall: jailbreakbench-artifacts GCG/transfer/*.json, jailbreaks[].prompt
 *   FPR:    notinject-injecguard NotInject_*.json and wildguard.json (benign prompts), xstest
 *           prompts labelled safe, and (since session 3) the benign rows of notinject-injecguard
 *           valid.json (label 0: WildGuard, NotInject and PINT benign samples)
 * Run: node --import tsx scripts/suffix-measure.ts
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreAdversarialSuffix } from '../src/guard/injection/suffix/index.js';
import { datasetsRoot, parseCsv } from './injection-data.js';

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(datasetsRoot(), path), 'utf8'));
}

function prompts(rows: unknown, keep: (row: Record<string, unknown>) => boolean = () => true): string[] {
  if (!Array.isArray(rows)) return [];
  return rows
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
    .filter(keep)
    .map((row) => row.prompt)
    .filter((prompt): prompt is string => typeof prompt === 'string' && prompt.length > 0);
}

function rate(texts: string[]): { flagged: number; total: number; rate: number } {
  const flagged = texts.filter((text) => (scoreAdversarialSuffix(text)?.score ?? 0) >= 0.5).length;
  return {
    flagged,
    total: texts.length,
    rate: Math.round((flagged / Math.max(1, texts.length)) * 1e4) / 1e4,
  };
}

const gcgFolder = 'jailbreakbench-artifacts/GCG/transfer';
const gcg = readdirSync(join(datasetsRoot(), gcgFolder))
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => {
    const artifact = readJson(join(gcgFolder, file)) as { jailbreaks?: unknown };
    return { file, texts: prompts(artifact.jailbreaks) };
  });
for (const { file, texts } of gcg) console.log(`recall  GCG/transfer/${file}`, rate(texts));
console.log('recall  GCG/transfer (all)', rate(gcg.flatMap(({ texts }) => texts)));

const notInject = readdirSync(join(datasetsRoot(), 'notinject-injecguard'))
  .filter((file) => /^NotInject_.*\.json$/.test(file))
  .sort()
  .flatMap((file) => prompts(readJson(join('notinject-injecguard', file))));
console.log('FPR     NotInject_*', rate(notInject));
const benignLabel = (row: Record<string, unknown>): boolean =>
  row.label === undefined ||
  row.label === 0 ||
  row.label === 'benign' ||
  row.label === 'safe' ||
  row.label === false;
const wildguard = prompts(readJson('notinject-injecguard/wildguard.json'), benignLabel);
console.log('FPR     wildguard (benign rows)', rate(wildguard));
const [header, ...rows] = parseCsv(readFileSync(join(datasetsRoot(), 'xstest/xstest_prompts.csv'), 'utf8'));
const promptColumn = header?.indexOf('prompt') ?? -1;
const labelColumn = header?.indexOf('label') ?? -1;
const xstest = rows.filter((row) => row[labelColumn] === 'safe').map((row) => row[promptColumn] ?? '');
console.log('FPR     xstest safe', rate(xstest));
console.log('FPR     pooled', rate([...notInject, ...wildguard, ...xstest]));
const validBenign = prompts(readJson('notinject-injecguard/valid.json'), (row) => row.label === 0);
console.log('FPR     injecguard valid.json (benign rows)', rate(validBenign));

/**
 * `node --import tsx scripts/injection-context-sentences-tune.ts`: the injection scanner at the
 * context stage with and without sentence views (src/guard/injection/sentences.ts), on TUNE
 * data only: every tune source scanned as a retrieved chunk, validation split and all rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInjectionScanner } from '../src/guard/injection/index.js';
import type { ScanResult } from '../src/guard/scanner.js';
import { loadTuneSources } from './injection-data.js';
import type { SplitManifest } from './train-injection.js';

const withSentences = createInjectionScanner();
const without = createInjectionScanner({ contextSentences: false });
const manifest = JSON.parse(
  readFileSync(join(import.meta.dirname, 'train-injection.split.json'), 'utf8'),
) as SplitManifest;
const validation = new Map(manifest.sources.map((source) => [source.name, new Set(source.validation)]));
const flagged = (scanner: typeof without, text: string) =>
  (scanner.scan(text, { stage: 'context' }) as ScanResult).score >= 0.5;

console.log('| source | family | split | n | flagged without → with sentence views |\n|---|---|---|---|---|');
for (const source of loadTuneSources()) {
  const rows = validation.get(source.name);
  const parts = [
    ['validation', source.examples.filter((example) => rows?.has(example.row))],
    ['all', source.examples],
  ] as const;
  for (const [split, examples] of parts) {
    if (examples.length === 0) continue;
    let before = 0;
    let after = 0;
    for (const example of examples) {
      if (flagged(without, example.text)) before++;
      if (flagged(withSentences, example.text)) after++;
    }
    const share = (count: number) => `${((count / examples.length) * 100).toFixed(1)} %`;
    console.log(
      `| ${source.name} | ${source.family} | ${split} | ${examples.length} | ${share(before)} → ${share(after)} |`,
    );
  }
}

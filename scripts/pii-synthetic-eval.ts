/**
 * @module scripts/pii-synthetic-eval
 *
 * `node --import tsx scripts/pii-synthetic-eval.ts [--seed 1] [--count 4000] [--misses WHAT]
 * [--detector other/pii/index.ts] [--speed]`: scores the PII scanner's PHONE and CREDIT_CARD detectors on our own synthetic
 * texts (scripts/pii-synthetic.ts), with the bench's span rule (a prediction of the same type
 * covering ≥ 50 % of a gold span recalls it and is correct); every other PHONE / CREDIT_CARD
 * prediction is a false positive, attributed to the negative it overlaps. Prints P / R / F2 per
 * type, the share of exact spans, recall per source and false positives per negative kind.
 * `--misses PHONE|CREDIT_CARD|FP|<source part>` lists examples (this is tune data, ours to read).
 * `--speed [--compare other/pii/index.ts]` times the scanner on 2 KB prompts: PII-dense ones built from these texts and
 * ordinary ones (faker prose with a few prose numbers), µs per prompt as the median over
 * prompts of each prompt's best of 15 rounds.
 * `--records` scores one-sentence contact records instead (phones and near misses in the same
 * record templates, session 13).
 * `--ordinary` counts the flags of the bench's scored types per 100 KB of ordinary text, on the
 * same tune rows as bench/guard-pii.ts (HaluEval general questions and answers; COLD's even
 * rows), and lists them: these rows are tune data.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allFakers } from '@faker-js/faker';
import { loadOrdinary } from '../bench/guard-pii.js';
import { createPiiScanner, findPii } from '../src/guard/pii/index.js';
import {
  generateRecordTexts,
  generateSyntheticTexts,
  NUMBER_HEAVY_TUNE_FILES,
  type SyntheticSpan,
  type SyntheticText,
} from './pii-synthetic.js';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : (process.argv[index + 1] ?? '');
};
const seed = Number(argument('seed') ?? 1);
const count = Number(argument('count') ?? 4000);
const misses = argument('misses');
// `--limit N`: how many misses or false positives to list (60).
const limit = Number(argument('limit') ?? 60);
// `--detector <path of another pii/index.ts>` scores that copy instead (e.g. an older commit's).
const detectorPath = argument('detector');
const detector = detectorPath
  ? ((await import(detectorPath)) as { findPii: typeof findPii }).findPii
  : findPii;

const TYPES = ['PHONE', 'CREDIT_CARD'] as const;
type Tally = { gold: number; recalled: number; exact: number; predicted: number; correct: number };
const tallies = new Map<string, Tally>(
  TYPES.map((type) => [type, { gold: 0, recalled: 0, exact: 0, predicted: 0, correct: 0 }]),
);
const bySource = new Map<string, { gold: number; recalled: number }>();
const falsePositives = new Map<string, number>();
const shown: string[] = [];

const covers = (prediction: { start: number; end: number }, gold: SyntheticSpan): boolean =>
  Math.min(prediction.end, gold.end) - Math.max(prediction.start, gold.start) >= (gold.end - gold.start) / 2;

function score(item: SyntheticText): void {
  const predictions = detector(item.text).filter(
    (finding) => finding.type === 'PHONE' || finding.type === 'CREDIT_CARD',
  );
  for (const gold of item.spans) {
    if (gold.type === 'NEGATIVE') continue;
    const tally = tallies.get(gold.type)!;
    const hit = predictions.find((prediction) => prediction.type === gold.type && covers(prediction, gold));
    tally.gold++;
    if (hit) tally.recalled++;
    if (hit && hit.start === gold.start && hit.end === gold.end) tally.exact++;
    const source = bySource.get(gold.source) ?? { gold: 0, recalled: 0 };
    source.gold++;
    if (hit) source.recalled++;
    bySource.set(gold.source, source);
    const value = item.text.slice(gold.start, gold.end);
    const wanted = misses === gold.type || (misses !== undefined && gold.source.includes(misses));
    if (wanted && (!hit || hit.start !== gold.start || hit.end !== gold.end) && shown.length < limit) {
      shown.push(
        `${gold.source}  ${JSON.stringify(value)}  got ${hit ? JSON.stringify(item.text.slice(hit.start, hit.end)) : '-'}  in ${JSON.stringify(item.text)}`,
      );
    }
  }
  for (const prediction of predictions) {
    const tally = tallies.get(prediction.type)!;
    tally.predicted++;
    if (item.spans.some((gold) => gold.type === prediction.type && covers(prediction, gold))) {
      tally.correct++;
      continue;
    }
    const negative = item.spans.find((gold) => gold.start < prediction.end && prediction.start < gold.end);
    const key = `${prediction.type} on ${negative ? (negative.type === 'NEGATIVE' ? negative.source : `${negative.type} ${negative.source}`) : 'plain text'}`;
    falsePositives.set(key, (falsePositives.get(key) ?? 0) + 1);
    if (misses === 'FP' && shown.length < limit) {
      shown.push(
        `${key}  ${JSON.stringify(item.text.slice(prediction.start, prediction.end))}  in ${JSON.stringify(item.text)}`,
      );
    }
  }
}

// `--records`: the contact-record check (generateRecordTexts) instead of the main texts.
const texts = process.argv.includes('--records')
  ? generateRecordTexts(seed, count)
  : generateSyntheticTexts(seed, count);
for (const item of texts) score(item);

const fixed = (value: number): string => value.toFixed(3);
console.log(`synthetic seed ${seed}, ${texts.length} texts`);
console.log('| type | gold | predicted | P | R | F2 | exact spans |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [type, tally] of tallies) {
  const precision = tally.predicted === 0 ? 1 : tally.correct / tally.predicted;
  const recall = tally.recalled / tally.gold;
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
  console.log(
    `| ${type} | ${tally.gold} | ${tally.predicted} | ${fixed(precision)} | ${fixed(recall)} | ${fixed(f2)} | ${fixed(tally.exact / tally.gold)} |`,
  );
}
for (const [label, test] of [
  [
    'PHONE with a cue word',
    (source: string) =>
      source.endsWith(':no-cue') === false &&
      !source.startsWith('iin') &&
      !source.includes(':bare') &&
      !source.includes(':spaced') &&
      !source.includes(':dashed'),
  ],
  ['PHONE without one', (source: string) => source.endsWith(':no-cue')],
] as const) {
  let gold = 0;
  let recalled = 0;
  for (const [source, tally] of bySource) {
    if (!test(source)) continue;
    gold += tally.gold;
    recalled += tally.recalled;
  }
  console.log(`recall, ${label}: ${fixed(recalled / gold)} (${recalled}/${gold})`);
}
const sources = [...bySource].sort(
  (left, right) => left[1].recalled / left[1].gold - right[1].recalled / right[1].gold,
);
console.log('\nrecall by source (worst first):');
for (const [source, tally] of sources.slice(0, 40)) {
  if (tally.recalled < tally.gold)
    console.log(`  ${fixed(tally.recalled / tally.gold)}  ${tally.recalled}/${tally.gold}  ${source}`);
}
console.log('\nfalse positives:');
for (const [key, value] of [...falsePositives].sort((left, right) => right[1] - left[1]))
  console.log(`  ${value}  ${key}`);
if (shown.length > 0) console.log(`\n${shown.join('\n')}`);

if (process.argv.includes('--speed')) {
  // `--compare <path of another pii/index.ts>` (e.g. an older commit's copy) is timed in the
  // same rounds, interleaved, so that machine load hits both alike.
  const compare = argument('compare');
  const scanners: Array<[string, { scan(text: string): unknown }]> = [['current', createPiiScanner()]];
  if (compare) {
    const other = (await import(compare)) as { createPiiScanner(): { scan(text: string): unknown } };
    scanners.push([compare, other.createPiiScanner()]);
  }
  const chunk = (pieces: string[]): string[] => {
    const chunks: string[] = [];
    let current = '';
    for (const piece of pieces) {
      current += `${piece} `;
      if (current.length >= 2048) {
        chunks.push(current.slice(0, 2048));
        current = '';
      }
    }
    return chunks;
  };
  const faker = allFakers.en;
  faker.seed(seed);
  const ordinary = Array.from({ length: 3000 }, (_, index) =>
    index % 7 === 0
      ? `In ${1990 + (index % 30)} we sold ${index * 13} units for $${index * 7}.50.`
      : faker.lorem.sentence(),
  );
  for (const [name, chunks] of [
    ['PII-dense', chunk(texts.map((item) => item.text))],
    ['ordinary', chunk(ordinary)],
  ] as const) {
    const best = scanners.map(() => chunks.map(() => Number.POSITIVE_INFINITY));
    for (let round = 0; round < 15; round++) {
      scanners.forEach(([, scanner], which) => {
        chunks.forEach((text, index) => {
          const start = process.hrtime.bigint();
          for (let repeat = 0; repeat < 5; repeat++) scanner.scan(text);
          const microseconds = Number(process.hrtime.bigint() - start) / 5000;
          if (microseconds < best[which]![index]!) best[which]![index] = microseconds;
        });
      });
    }
    scanners.forEach(([label], which) => {
      const times = best[which]!.sort((left, right) => left - right);
      const at = (quantile: number): string => times[Math.floor(quantile * (times.length - 1))]!.toFixed(1);
      console.log(
        `speed ${name} (${label}): ${chunks.length} prompts of 2 KB, best-of-15 µs p50 ${at(0.5)} p99 ${at(0.99)}`,
      );
    });
  }
}

if (process.argv.includes('--ordinary')) {
  // The bench's ordinary text (HaluEval queries and answers; COLD even rows).
  const { en, zh } = loadOrdinary();
  const data = resolve(
    process.env.STACKOPS_DATASETS ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets'),
  );
  for (const [name, rows, types] of [
    ['en', en, ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS']],
    ['zh', zh, ['EMAIL', 'PHONE', 'CN_ID']],
  ] as const) {
    // The bench's sample: the first 2,000 rows (also all rows, to see more of the tail).
    for (const limit of [2000, rows.length]) {
      const sample = rows.slice(0, limit);
      const flagged: string[] = [];
      for (const text of sample) {
        for (const finding of detector(text)) {
          if (!(types as readonly string[]).includes(finding.type)) continue;
          const around = text.slice(Math.max(0, finding.start - 40), finding.end + 40).replace(/\s+/g, ' ');
          flagged.push(`${finding.type} ${JSON.stringify(finding.value)}  …${around}…`);
        }
      }
      const kilobytes = sample.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1024;
      console.log(
        `\nordinary ${name}, ${sample.length} rows, ${kilobytes.toFixed(0)} KB: ${flagged.length} flags, ${((flagged.length / kilobytes) * 100).toFixed(2)} per 100 KB`,
      );
      if (limit === rows.length) for (const line of flagged.slice(0, 40)) console.log(`  ${line}`);
    }
  }
  // More English tune text with numbers in it (tweets, jailbreak prompts, prompt-injection game
  // rows, benign security questions), line by line: PHONE flags only, all listed.
  const files = NUMBER_HEAVY_TUNE_FILES;
  let kilobytes = 0;
  const phones: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(data, file), 'utf8');
    kilobytes += Buffer.byteLength(text) / 1024;
    for (const line of text.split('\n')) {
      for (const finding of detector(line)) {
        if (finding.type !== 'PHONE') continue;
        const around = line.slice(Math.max(0, finding.start - 40), finding.end + 40).replace(/\s+/g, ' ');
        phones.push(`${file.split('/')[0]}  ${JSON.stringify(finding.value)}  …${around}…`);
      }
    }
  }
  console.log(
    `\nmore English tune text, ${kilobytes.toFixed(0)} KB: ${phones.length} PHONE flags, ${((phones.length / kilobytes) * 100).toFixed(2)} per 100 KB`,
  );
  for (const line of phones) console.log(`  ${line}`);
}

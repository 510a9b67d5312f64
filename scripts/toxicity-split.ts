/**
 * @module scripts/toxicity-split
 *
 * The train / validation / tune-test split of the toxicity tune pool and its committed
 * manifest (`scripts/train-toxicity.split.json`), shared by the trainer and the benchmark.
 * Rows are split 70/15/15 by a seeded hash of their *prepared* text, so duplicates always fall
 * on the same side; the manifest lists the validation and test row indexes per source and the
 * sha256 of every data file, and readers refuse to use it when a file has changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareText } from '../src/guard/toxicity/prepare-text.js';
import { type LabelledText, tuneFileDigests } from './toxicity-datasets.js';

export const MANIFEST_PATH = join(dirname(fileURLToPath(import.meta.url)), 'train-toxicity.split.json');
export const SPLIT_SEED = 20240611;

/** Negatives-only sets: trained on, reported, never used to choose the threshold. */
export const BENIGN_SOURCES = new Set([
  'halueval-query',
  'mitre-frr',
  'benign-zh',
  'benign-en',
  'jade-v1-request',
  'jade-easy-request',
  'jade-medium-request',
]);

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitManifest {
  rule: string;
  seed: number;
  digests: Record<string, string>;
  counts: Record<string, Record<SplitName, number>>;
  /** Per source: comma-separated row indexes in validation / test (train = the rest). */
  validation: Record<string, string>;
  test: Record<string, string>;
}

export function splitOf(row: LabelledText, seed: number): SplitName {
  const digest = createHash('sha256')
    .update(`${seed}|${prepareText(row.text)}`)
    .digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  return unit < 0.7 ? 'train' : unit < 0.85 ? 'validation' : 'test';
}

export function sourceGroup(source: string): string {
  return source.split(':')[0]!;
}

/** Sets that count as one in threshold balancing (the three JADE files are one set). */
export function thresholdGroup(source: string): string {
  return source.startsWith('jade') ? 'jade' : sourceGroup(source);
}

export function buildManifest(pool: LabelledText[]): SplitManifest {
  const lists: Record<'validation' | 'test', Record<string, number[]>> = { validation: {}, test: {} };
  const counts: SplitManifest['counts'] = {};
  for (const row of pool) {
    const split = splitOf(row, SPLIT_SEED);
    const group = sourceGroup(row.source);
    counts[group] ??= { train: 0, validation: 0, test: 0 };
    counts[group][split]++;
    if (split === 'train') continue;
    const list = lists[split][row.source] ?? [];
    list.push(row.index);
    lists[split][row.source] = list;
  }
  const join = (table: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(table).map(([source, indexes]) => [source, indexes.join(',')]));
  return {
    rule: 'u = first 32 bits of sha256(seed + "|" + prepareText(text)) / 2^32: < 0.70 train, < 0.85 validation, else test',
    seed: SPLIT_SEED,
    digests: tuneFileDigests(),
    counts,
    validation: join(lists.validation),
    test: join(lists.test),
  };
}

export function assignSplits(pool: LabelledText[], manifest: SplitManifest): Map<LabelledText, SplitName> {
  const lookup = (table: Record<string, string>) =>
    new Map(Object.entries(table).map(([source, list]) => [source, new Set(list.split(',').map(Number))]));
  const validation = lookup(manifest.validation);
  const test = lookup(manifest.test);
  return new Map(
    pool.map((row) => [
      row,
      validation.get(row.source)?.has(row.index)
        ? 'validation'
        : test.get(row.source)?.has(row.index)
          ? 'test'
          : 'train',
    ]),
  );
}

/** The committed manifest (after checking the data files), or a fresh one written to disk. */
export function loadOrBuildManifest(pool: LabelledText[], rebuild = false): SplitManifest {
  if (rebuild || !existsSync(MANIFEST_PATH)) {
    const manifest = buildManifest(pool);
    writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }
  return readManifest();
}

export function readManifest(): SplitManifest {
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as SplitManifest;
  const digests = tuneFileDigests();
  for (const [file, digest] of Object.entries(manifest.digests)) {
    if (digests[file] !== digest) throw new Error(`data file changed since the split was made: ${file}`);
  }
  return manifest;
}

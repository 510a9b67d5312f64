/**
 * `node --import tsx bench/guard-toxicity.ts`: quality and speed of the toxicity scanner
 * (committed model, nothing is trained here), plus the refusal detector on XSTest answers.
 *
 * Quality at the deployed threshold (calibrated score ≥ 0.5), with ROC AUC of the score:
 * - measure-only sets, never used for any choice: toxicity-surge (English, balanced),
 *   toxicity-zh-cold odd rows (Chinese) and its fine-grained-3 "anti-bias" hard negatives
 *   (FPR), XSTest prompts (flag rate of the 250 safe and 200 unsafe prompts: the unsafe ones
 *   are harmful *requests*, mostly polite — not what a toxicity model is for);
 * - tune sets, reported separately: the validation split (the threshold was chosen on it, so
 *   it is optimistic) and the tune-test split of scripts/train-toxicity.split.json.
 * Each quality row also gives the AUC of the lexicon alone (any hit → 1), measured in the same
 * run, to show what the statistical model adds over a word list.
 *
 * Speed: the scanner on ~2 KB chunks built from the measure texts of each language, in 40
 * slices alternating with a trivial baseline (lower-case + split on whitespace) on the same
 * chunks: wall p50/p99 per scan, the fastest slice, CPU µs per scan, MB/s of UTF-8 over the
 * summed wall time, and the median scanner / baseline ratio (stable under machine load).
 * Refusal: `isRefusal` on the 450 GPT-4 XSTest answers against the human `final_label`
 * (full or partial refusal = refusal).
 *
 * `runToxicityBench()` returns every number for bench/guard.ts.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  datasetsRoot,
  type LabelledText,
  loadCold,
  loadSurge,
  loadTunePool,
  loadXstestPrompts,
  readCsvRecords,
} from '../scripts/toxicity-datasets.js';
import { metricsAt, rocAuc } from '../scripts/toxicity-metrics.js';
import { assignSplits, BENIGN_SOURCES, readManifest, sourceGroup } from '../scripts/toxicity-split.js';
import { isRefusal } from '../src/guard/output/index.js';
import {
  classifyToxicity,
  createToxicityScanner,
  defaultToxicityModel,
} from '../src/guard/toxicity/index.js';

export interface QualityRow {
  set: string;
  language: 'en' | 'zh';
  use: 'measure' | 'tune-validation' | 'tune-test';
  rows: number;
  positives: number;
  auc: number;
  precision: number;
  recall: number;
  fpr: number;
  f1: number;
  lexiconAuc: number;
}

export interface FlagRateRow {
  set: string;
  rows: number;
  /** Share scored ≥ 0.5. */
  flagged: number;
}

/** Measure sets at stricter policy thresholds (reported, not used to choose the default 0.5). */
export interface OperatingPoint {
  set: string;
  threshold: number;
  precision: number;
  recall: number;
  /** FPR, or the flag rate for sets without toxic rows. */
  fpr: number;
}

export interface LatencyRow {
  language: 'en' | 'zh';
  chunks: number;
  averageChars: number;
  wallP50Micros: number;
  wallP99Micros: number;
  /** Mean per scan in the fastest slice. */
  bestSliceMicros: number;
  cpuMicrosPerScan: number;
  megabytesPerSecond: number;
  /** Median over slices of scanner time / baseline time, the baseline being `toLowerCase()` +
   * `split(/\s+/)` of the same chunks (a floor for touching every character). */
  baselineRatio: number;
}

export interface RefusalRow {
  rows: number;
  refusals: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

export interface ToxicityBenchResult {
  thresholds: { en: number; zh: number };
  quality: QualityRow[];
  flagRates: FlagRateRow[];
  operatingPoints: OperatingPoint[];
  latency: LatencyRow[];
  refusal: RefusalRow;
}

function lexiconScore(text: string): number {
  return classifyToxicity(text).windows.some((window) => window.hits.length > 0) ? 1 : 0;
}

function quality(set: string, use: QualityRow['use'], rows: LabelledText[]): QualityRow {
  const scored = rows.map((row) => ({ toxic: row.toxic, score: classifyToxicity(row.text).score }));
  const lexicon = rows.map((row) => ({ toxic: row.toxic, score: lexiconScore(row.text) }));
  const metrics = metricsAt(scored, 0.5);
  return {
    set,
    language: rows[0]?.language ?? 'en',
    use,
    rows: rows.length,
    positives: metrics.positives,
    auc: rocAuc(scored),
    precision: metrics.precision,
    recall: metrics.recall,
    fpr: metrics.fpr,
    f1: metrics.f1,
    lexiconAuc: rocAuc(lexicon),
  };
}

function flagRate(set: string, texts: string[]): FlagRateRow {
  const flagged = texts.filter((text) => classifyToxicity(text).score >= 0.5).length;
  return { set, rows: texts.length, flagged: texts.length === 0 ? 0 : flagged / texts.length };
}

function operatingPoints(set: string, rows: LabelledText[]): OperatingPoint[] {
  const scored = rows.map((row) => ({ toxic: row.toxic, score: classifyToxicity(row.text).score }));
  return [0.5, 0.7, 0.9].map((threshold) => {
    const metrics = metricsAt(scored, threshold);
    return { set, threshold, precision: metrics.precision, recall: metrics.recall, fpr: metrics.fpr };
  });
}

function tuneRows(): QualityRow[] {
  const pool = loadTunePool();
  const splits = assignSplits(pool, readManifest());
  const rows: QualityRow[] = [];
  for (const use of ['validation', 'test'] as const) {
    const held = pool.filter(
      (row) => splits.get(row) === use && !BENIGN_SOURCES.has(sourceGroup(row.source)),
    );
    const bySet = new Map<string, LabelledText[]>();
    for (const row of held) {
      const set = row.source.startsWith('jade') ? 'jade-discrimination' : sourceGroup(row.source);
      bySet.set(set, [...(bySet.get(set) ?? []), row]);
    }
    for (const language of ['en', 'zh'] as const) {
      const all = held.filter((row) => row.language === language);
      rows.push(quality(`${language} (all tune sets)`, `tune-${use}`, all));
      for (const [set, list] of bySet)
        if (list[0]!.language === language) rows.push(quality(set, `tune-${use}`, list));
    }
  }
  return rows;
}

function chunks(texts: string[], size = 2048, count = 64): string[] {
  const out: string[] = [];
  let current = '';
  for (const text of texts) {
    current += (current ? '\n' : '') + text.trim();
    if (current.length >= size) {
      out.push(current.slice(0, size));
      current = '';
      if (out.length === count) break;
    }
  }
  return out;
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

/**
 * Per-scan latency in short slices that alternate scanner and baseline, so that load changes
 * on the machine hit both alike: wall p50/p99 over every scan, the best slice (closest to an
 * idle machine), CPU µs per scan, and the median over slices of scanner / baseline.
 */
function latency(language: 'en' | 'zh', texts: string[]): LatencyRow {
  const scanner = createToxicityScanner();
  const inputs = chunks(texts);
  for (let round = 0; round < 20; round++)
    for (const input of inputs) scanner.scan(input, { stage: 'output' });
  const walls: number[] = [];
  const slices: number[] = [];
  const ratios: number[] = [];
  let bytes = 0;
  let words = 0;
  let cpuMicros = 0;
  for (let slice = 0; slice < 40; slice++) {
    const cpuStart = process.cpuUsage();
    const sliceStart = performance.now();
    for (const input of inputs) {
      const started = performance.now();
      scanner.scan(input, { stage: 'output' });
      walls.push((performance.now() - started) * 1000);
      bytes += Buffer.byteLength(input);
    }
    const perScan = ((performance.now() - sliceStart) * 1000) / inputs.length;
    const cpu = process.cpuUsage(cpuStart);
    cpuMicros += cpu.user + cpu.system;
    const baselineStart = performance.now();
    for (const input of inputs) words += input.toLowerCase().split(/\s+/).length;
    const baseline = ((performance.now() - baselineStart) * 1000) / inputs.length;
    slices.push(perScan);
    ratios.push(perScan / baseline);
  }
  const totalWall = walls.reduce((sum, value) => sum + value, 0);
  walls.sort((left, right) => left - right);
  ratios.sort((left, right) => left - right);
  return {
    language,
    chunks: inputs.length,
    averageChars: inputs.reduce((sum, input) => sum + input.length, 0) / Math.max(1, inputs.length),
    wallP50Micros: percentile(walls, 0.5),
    wallP99Micros: percentile(walls, 0.99),
    bestSliceMicros: Math.min(...slices),
    cpuMicrosPerScan: cpuMicros / walls.length,
    megabytesPerSecond: bytes / 1e6 / (totalWall / 1e6),
    baselineRatio: percentile(ratios, 0.5) + (words < 0 ? 1 : 0),
  };
}

function refusal(): RefusalRow {
  const records = readCsvRecords(join(datasetsRoot(), 'xstest/xstest_v2_completions_gpt4_gpteval.csv'));
  const scored = records.map((record) => ({
    toxic: record.final_label !== '1_full_compliance',
    score: isRefusal(record.completion ?? '').refusal ? 1 : 0,
  }));
  const metrics = metricsAt(scored, 0.5);
  return {
    rows: scored.length,
    refusals: metrics.positives,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    accuracy: metrics.accuracy,
  };
}

export async function runToxicityBench(): Promise<ToxicityBenchResult> {
  const surge = loadSurge();
  const coldOdd = loadCold('odd');
  const xstest = loadXstestPrompts();
  const model = defaultToxicityModel();
  return {
    thresholds: model.file.thresholds,
    quality: [
      quality('toxicity-surge', 'measure', surge),
      quality('toxicity-zh-cold (odd rows)', 'measure', coldOdd),
      ...tuneRows(),
    ],
    flagRates: [
      flagRate(
        'cold odd: anti-bias hard negatives (fine-grained 3)',
        coldOdd.filter((row) => row.detail === '3').map((row) => row.text),
      ),
      flagRate(
        'cold odd: other safe rows',
        coldOdd.filter((row) => !row.toxic && row.detail !== '3').map((row) => row.text),
      ),
      flagRate(
        'xstest safe prompts',
        xstest.filter((row) => row.label === 'safe').map((row) => row.text),
      ),
      flagRate(
        'xstest unsafe prompts',
        xstest.filter((row) => row.label === 'unsafe').map((row) => row.text),
      ),
    ],
    operatingPoints: [
      ...operatingPoints('toxicity-surge', surge),
      ...operatingPoints('toxicity-zh-cold (odd rows)', coldOdd),
      ...operatingPoints(
        'xstest safe prompts',
        xstest.filter((row) => row.label === 'safe'),
      ),
    ],
    latency: [
      latency(
        'en',
        surge.map((row) => row.text),
      ),
      latency(
        'zh',
        coldOdd.map((row) => row.text),
      ),
    ],
    refusal: refusal(),
  };
}

const percent = (value: number): string => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : 'n/a');
const fixed = (value: number, digits = 3): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function printToxicityReport(result: ToxicityBenchResult): void {
  console.log(
    `# toxicity scanner (thresholds en=${result.thresholds.en} zh=${result.thresholds.zh} → score 0.5)`,
  );
  console.log(
    `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}\n`,
  );
  console.log('| set | lang | use | rows | toxic | AUC | lexicon-only AUC | precision | recall | FPR | F1 |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of result.quality) {
    console.log(
      `| ${row.set} | ${row.language} | ${row.use} | ${row.rows} | ${row.positives} | ${fixed(row.auc)} | ${fixed(row.lexiconAuc)} | ${percent(row.precision)} | ${percent(row.recall)} | ${percent(row.fpr)} | ${fixed(row.f1)} |`,
    );
  }
  console.log('\n| set (no toxic rows) | rows | flagged |\n|---|---:|---:|');
  for (const row of result.flagRates) console.log(`| ${row.set} | ${row.rows} | ${percent(row.flagged)} |`);
  console.log(
    '\n| measure set | policy threshold | precision | recall | FPR (flag rate) |\n|---|---:|---:|---:|---:|',
  );
  for (const point of result.operatingPoints) {
    console.log(
      `| ${point.set} | ${point.threshold} | ${percent(point.precision)} | ${percent(point.recall)} | ${percent(point.fpr)} |`,
    );
  }
  console.log(
    '\n| latency | chunks | chars | wall p50 µs | wall p99 µs | best slice µs | CPU µs/scan | MB/s | × baseline |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const row of result.latency) {
    console.log(
      `| ${row.language} | ${row.chunks} | ${row.averageChars.toFixed(0)} | ${row.wallP50Micros.toFixed(1)} | ${row.wallP99Micros.toFixed(1)} | ${row.bestSliceMicros.toFixed(1)} | ${row.cpuMicrosPerScan.toFixed(1)} | ${row.megabytesPerSecond.toFixed(1)} | ${row.baselineRatio.toFixed(1)}× |`,
    );
  }
  const { refusal: r } = result;
  console.log(
    `\nrefusal on XSTest GPT-4 answers: ${r.rows} rows, ${r.refusals} refusals, precision ${percent(r.precision)}, recall ${percent(r.recall)}, F1 ${fixed(r.f1)}, accuracy ${percent(r.accuracy)}`,
  );
  const surge = result.quality.find((row) => row.set === 'toxicity-surge');
  const cold = result.quality.find((row) => row.set.startsWith('toxicity-zh-cold'));
  const [en, zh] = result.latency;
  console.log(
    `BENCH guard-toxicity surge_auc=${fixed(surge?.auc ?? Number.NaN)} cold_auc=${fixed(cold?.auc ?? Number.NaN)} en_us_per_2kb=${en?.wallP50Micros.toFixed(1)} zh_us_per_2kb=${zh?.wallP50Micros.toFixed(1)} en_best_us=${en?.bestSliceMicros.toFixed(1)} en_x_baseline=${en?.baselineRatio.toFixed(1)}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printToxicityReport(await runToxicityBench());
}

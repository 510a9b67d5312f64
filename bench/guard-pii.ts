/**
 * `node --import tsx bench/guard-pii.ts`: PII recognition quality and speed of the guard's PII
 * scanner against three npm peers, on two measure-only sets (never used to choose rules):
 * pii-presidio-synth (English, 1,500 texts) and pii-zh-multipriv (Chinese, 975 records).
 *
 * Matching: a predicted span matches a gold span when its type maps to the gold span's type
 * and it covers at least 50% of the gold span's characters. A gold span is recalled if some
 * prediction matches it; a prediction is correct if it matches some gold span (so one wide
 * prediction may recall two neighbours). "Untyped" recall ignores the type (any prediction of
 * any kind covering 50%: was the value hidden at all). Predictions of types a set does not
 * label (SECRET, names, addresses…) are left out of precision. F2 = 5PR / (4P + R).
 *
 * Peers run with their documented defaults: `redact-pii` `new SyncRedactor().redact(text)`,
 * `@redactpii/node` `new Redactor().redact(text)`, `openredaction` `await new
 * OpenRedaction().detect(text)`, `@presidio-dev/hai-guardrails` (1.11.1: 1.12.0 fails on
 * import) `new GuardrailsEngine({ guards: [piiGuard({ selection: SelectionType.All })] })`,
 * the redacted user message. redact-pii, @redactpii/node and hai-guardrails return only
 * redacted text: their spans are
 * derived by aligning it with the original (each replacement token becomes a lazy wildcard in
 * an anchored regex of the redacted text, so a span is the shortest original text consistent
 * with everything around it). openredaction returns positions. Latency: per ~2 KB chunk of
 * the same data and of ordinary text (HaluEval queries and answers; COLD's tune rows): wall
 * p50/p99 over all calls, the p99 over chunks of each chunk's best time (what the input costs,
 * without a busy machine's noise), mean process CPU per chunk, MB/s of UTF-8 over the summed
 * wall time; on the ordinary text also how often each system flags something.
 * `runPiiBench()` returns every number for bench/guard.ts. Data: STACKOPS_DATASETS, else
 * ../shared/datasets beside the repository.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { GuardrailsEngine, piiGuard, SelectionType } from '@presidio-dev/hai-guardrails';
import { Redactor } from '@redactpii/node';
import { OpenRedaction } from 'openredaction';
import redactPii from 'redact-pii';
import { createPiiScanner } from '../src/guard/pii/index.js';
import { createSensitiveWordsScanner } from '../src/guard/words/index.js';

const DATA = resolve(
  process.env.STACKOPS_DATASETS ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets'),
);
const ENGLISH_TYPES = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS'];
const CHINESE_TYPES = ['EMAIL', 'PHONE', 'CN_ID'];
/** 'A:B C:D' → { A: 'B', C: 'D' }. */
const table = (pairs: string): Record<string, string> =>
  Object.fromEntries(pairs.split(' ').map((pair) => pair.split(':') as [string, string]));
const GOLD_LABELS = table(
  'EMAIL_ADDRESS:EMAIL PHONE_NUMBER:PHONE CREDIT_CARD:CREDIT_CARD IBAN_CODE:IBAN US_SSN:US_SSN ' +
    'IP_ADDRESS:IP_ADDRESS EMAIL:EMAIL CN_PHONE:PHONE CN_ID_CARD:CN_ID',
);

type Span = { type: string; start: number; end: number };
/** `checksumValid` (Chinese set): the record's ID has a valid GB 11643 check digit. */
type Document = { text: string; gold: Span[]; checksumValid?: boolean | undefined };
interface System {
  name: string;
  /** Spans with raw peer types; `mapType` turns them into ours (null = a type we do not score). */
  detect(text: string): Span[] | Promise<Span[]>;
  mapType(type: string): string | null;
}

export type TypeScore = { type: string; gold: number; predicted: number } & Record<Metric, number>;
type Metric = 'precision' | 'recall' | 'f2' | 'untypedRecall';
export interface SystemScore {
  system: string;
  dataset: 'en' | 'zh';
  types: TypeScore[];
  /** Micro-average over the set's scored types. */
  overall: TypeScore;
  /** Chinese set only: CN_ID typed recall on IDs with a valid / an invalid check digit. */
  cnIdRecallChecksumValid?: number;
  cnIdRecallChecksumInvalid?: number;
}
/** PII-dense measure sets, or ordinary text (HaluEval queries and answers; COLD tune rows). */
export type LatencyData = 'en' | 'zh' | 'en-ordinary' | 'zh-ordinary';
export interface LatencyRow {
  name: string;
  dataset: LatencyData;
  p50Ms: number;
  p99Ms: number;
  /** Mean process CPU per chunk (all threads, so GC included). */
  cpuMicrosecondsPerPrompt: number;
  /**
   * p99 over chunks of each chunk's fastest time in all rounds: the cost of the input itself,
   * without the other processes, GC and compiler threads that inflate p99Ms on a busy machine.
   */
  bestP99Ms: number;
  megabytesPerSecond: number;
}
export interface PiiBenchResult {
  scores: SystemScore[];
  latency: LatencyRow[];
  words: { terms: number; buildMs: number } & Timing;
  /** Findings of the scored types per 100 KB of ordinary text (few are real PII there). */
  ordinaryFlags: Array<{ system: string; dataset: 'en' | 'zh'; per100KB: number }>;
  loadAverage: number;
}

/** Dataset offsets are Python code-point offsets; JS strings index UTF-16 units. */
function utf16Offsets(text: string): (codePointOffset: number) => number {
  const map: number[] = [];
  let unit = 0;
  for (const character of text) {
    map.push(unit);
    unit += character.length;
  }
  map.push(unit);
  return (offset) => map[offset] ?? unit;
}

function toDocument(text: string, spans: Array<[string, number, number]>, checksumValid?: boolean): Document {
  const at = utf16Offsets(text);
  const gold = spans
    .filter(([label]) => GOLD_LABELS[label] !== undefined)
    .map(([label, start, end]) => ({ type: GOLD_LABELS[label]!, start: at(start), end: at(end) }));
  return { text, gold, checksumValid };
}

function loadEnglish(): Document[] {
  type Span = { entity_type: string; start_position: number; end_position: number };
  const file = join(DATA, 'pii-presidio-synth/synth_dataset_v2.json');
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<{ full_text: string; spans: Span[] }>;
  return rows.map((row) =>
    toDocument(
      row.full_text,
      row.spans.map((span) => [span.entity_type, span.start_position, span.end_position]),
    ),
  );
}

function loadChinese(): Document[] {
  type Row = { text: string; spans: Array<{ entity_type: string; start: number; end: number }> };
  const file = join(DATA, 'pii-zh-multipriv/data_person_1000_zh.spans.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as Row & { id_card_checksum_valid: boolean };
      const spans = row.spans.map((span): [string, number, number] => [
        span.entity_type,
        span.start,
        span.end,
      ]);
      return toDocument(row.text, spans, row.id_card_checksum_valid);
    });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Spans of the original that a redact-only peer replaced with one of `tokens`. */
export function spansFromRedacted(original: string, redacted: string, tokens: readonly string[]): Span[] {
  const tokenPattern = new RegExp(tokens.map(escapeRegExp).join('|'), 'g');
  const found: string[] = [];
  let source = '^';
  let cursor = 0;
  for (const match of redacted.matchAll(tokenPattern)) {
    source += `${escapeRegExp(redacted.slice(cursor, match.index))}([\\s\\S]+?)`;
    found.push(match[0]);
    cursor = match.index + match[0].length;
  }
  if (found.length === 0) return [];
  source += `${escapeRegExp(redacted.slice(cursor))}$`;
  const aligned = new RegExp(source, 'd').exec(original);
  if (aligned?.indices === undefined) return [];
  return found.map((type, index) => {
    const [start, end] = aligned.indices![index + 1]!;
    return { type, start, end };
  });
}

function createSystems(): System[] {
  const ours = createPiiScanner();
  const oursStrict = createPiiScanner({ cnIdRequireChecksum: true });
  const spansOf = (scanner: typeof ours) => (text: string) => scanner.scan(text).findings;
  const identity = (type: string): string | null => type;
  const legacy = new redactPii.SyncRedactor();
  const legacyTokens = (
    'CREDIT_CARD_NUMBER STREET_ADDRESS ZIPCODE PHONE_NUMBER IP_ADDRESS US_SOCIAL_SECURITY_NUMBER EMAIL_ADDRESS ' +
    'USERNAME PASSWORD CREDENTIALS DIGITS URL PERSON_NAME'
  ).split(' ');
  const fork = new Redactor();
  const forkTokens =
    'CREDIT_CARD_NUMBER EMAIL_ADDRESS PERSON_NAME PHONE_NUMBER US_SOCIAL_SECURITY_NUMBER'.split(' ');
  const tokenTypes = table(
    'EMAIL_ADDRESS:EMAIL PHONE_NUMBER:PHONE CREDIT_CARD_NUMBER:CREDIT_CARD US_SOCIAL_SECURITY_NUMBER:US_SSN IP_ADDRESS:IP_ADDRESS',
  );
  const openRedaction = new OpenRedaction();
  const openTypes = table(
    'EMAIL:EMAIL CREDIT_CARD:CREDIT_CARD IBAN:IBAN UK_BANK_ACCOUNT_IBAN:IBAN SSN:US_SSN IPV4:IP_ADDRESS IPV6:IP_ADDRESS',
  );
  const haiEngine = new GuardrailsEngine({ guards: [piiGuard({ selection: SelectionType.All })] });
  const haiTypes = table(
    '[REDACTED-EMAIL]:EMAIL [REDACTED-PHONE]:PHONE [REDACTED-SSN]:US_SSN [REDACTED-CREDIT-CARD]:CREDIT_CARD [REDACTED-IP-ADDRESS]:IP_ADDRESS',
  );
  return [
    { name: 'stackops', detect: spansOf(ours), mapType: identity },
    { name: 'stackops (CN ID checksum required)', detect: spansOf(oursStrict), mapType: identity },
    {
      name: 'redact-pii',
      detect: (text) => spansFromRedacted(text, legacy.redact(text), legacyTokens),
      mapType: (type) => tokenTypes[type] ?? null,
    },
    {
      name: '@redactpii/node',
      detect: (text) => spansFromRedacted(text, fork.redact(text), forkTokens),
      mapType: (type) => tokenTypes[type] ?? null,
    },
    {
      name: 'openredaction',
      detect: async (text) => {
        const result = await openRedaction.detect(text);
        return result.detections.map((detection) => ({
          type: detection.type,
          start: detection.position[0],
          end: detection.position[1],
        }));
      },
      mapType: (type) => (type.startsWith('PHONE') ? 'PHONE' : (openTypes[type] ?? null)),
    },
    {
      name: 'hai-guardrails',
      detect: async (text) => {
        const result = await haiEngine.run([{ role: 'user', content: text }]);
        const redacted = result.messages[0]?.content;
        return typeof redacted === 'string' ? spansFromRedacted(text, redacted, Object.keys(haiTypes)) : [];
      },
      mapType: (type) => haiTypes[type] ?? null,
    },
  ];
}

const overlap = (left: Span, right: Span): number =>
  Math.max(0, Math.min(left.end, right.end) - Math.max(left.start, right.start));
const covers = (predicted: Span, gold: Span): boolean =>
  overlap(predicted, gold) * 2 >= gold.end - gold.start;
const f2 = (precision: number, recall: number): number =>
  precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);

type Tally = Record<'gold' | 'recalled' | 'untyped' | 'predicted' | 'correct', number>;

function toScore(type: string, tally: Tally): TypeScore {
  const precision = tally.predicted === 0 ? 0 : tally.correct / tally.predicted;
  const recall = tally.gold === 0 ? 0 : tally.recalled / tally.gold;
  return {
    type,
    gold: tally.gold,
    predicted: tally.predicted,
    precision,
    recall,
    f2: f2(precision, recall),
    untypedRecall: tally.gold === 0 ? 0 : tally.untyped / tally.gold,
  };
}

async function score(system: System, documents: Document[], dataset: 'en' | 'zh'): Promise<SystemScore> {
  const types = dataset === 'en' ? ENGLISH_TYPES : CHINESE_TYPES;
  const tallies = new Map(
    types.map((type) => [type, { gold: 0, recalled: 0, untyped: 0, predicted: 0, correct: 0 }]),
  );
  const idRecall = { valid: [0, 0], invalid: [0, 0] };
  for (const document of documents) {
    const raw = await system.detect(document.text);
    const predicted = raw.map((span) => ({
      ...span,
      type: system.mapType(span.type) ?? `other:${span.type}`,
    }));
    for (const gold of document.gold) {
      const tally = tallies.get(gold.type)!;
      tally.gold++;
      const hit = predicted.some((span) => span.type === gold.type && covers(span, gold));
      if (hit) tally.recalled++;
      if (predicted.some((span) => covers(span, gold))) tally.untyped++;
      if (gold.type === 'CN_ID') {
        const bucket = document.checksumValid ? idRecall.valid : idRecall.invalid;
        bucket[0]!++;
        if (hit) bucket[1]!++;
      }
    }
    for (const span of predicted) {
      const tally = tallies.get(span.type);
      if (tally === undefined) continue;
      tally.predicted++;
      if (document.gold.some((gold) => gold.type === span.type && covers(span, gold))) tally.correct++;
    }
  }
  const total: Tally = { gold: 0, recalled: 0, untyped: 0, predicted: 0, correct: 0 };
  for (const tally of tallies.values())
    for (const key of Object.keys(total) as Array<keyof Tally>) total[key] += tally[key];
  const result: SystemScore = {
    system: system.name,
    dataset,
    types: types.map((type) => toScore(type, tallies.get(type)!)),
    overall: toScore('all', total),
  };
  if (dataset === 'zh') {
    result.cnIdRecallChecksumValid = idRecall.valid[1]! / Math.max(1, idRecall.valid[0]!);
    result.cnIdRecallChecksumInvalid = idRecall.invalid[1]! / Math.max(1, idRecall.invalid[0]!);
  }
  return result;
}

/** Ordinary English (HaluEval queries + answers, a tune set) and Chinese (COLD even rows). */
export function loadOrdinary(): { en: string[]; zh: string[] } {
  const halu = readFileSync(join(DATA, 'hallucination-halueval-general/general_data.json'), 'utf8');
  const en = halu
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const row = JSON.parse(line) as { user_query: string; chatgpt_response: string };
      return [row.user_query, row.chatgpt_response];
    });
  // COLD: id,split,topic,label,fine-grained-label,TEXT; only even row indices are tune data.
  const cold = readFileSync(join(DATA, 'toxicity-zh-cold/test.csv'), 'utf8').split('\n').slice(1);
  const zh = cold
    .filter((line, index) => index % 2 === 0 && line.trim() !== '')
    .map((line) => line.split(',').slice(5).join(',').replace(/^"|"$/g, '').replaceAll('""', '"'));
  return { en, zh };
}

/** Texts joined into ~2 KB chunks (2,048 UTF-16 units or just over). */
function chunks(texts: string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const text of texts) {
    current += `${text}\n`;
    if (current.length >= 2048) {
      out.push(current);
      current = '';
    }
  }
  return out;
}

type Timing = Omit<LatencyRow, 'name' | 'dataset'>;
const percentile = (sorted: number[], share: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;

/** Times `call` over the chunks, round after round, for at most ~3 s (and 20 rounds). */
async function timeCalls(call: (text: string) => unknown, texts: string[]): Promise<Timing> {
  for (let index = 0; index < Math.min(texts.length, 50); index++) await call(texts[index]!);
  const wall: number[] = [];
  const best = texts.map(() => Number.POSITIVE_INFINITY);
  let bytes = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let round = 0; round < 20 && performance.now() - started < 3000; round++) {
    for (let index = 0; index < texts.length; index++) {
      const before = performance.now();
      const result = call(texts[index]!);
      // Synchronous systems are timed without an await: a microtask turn is not their cost.
      if (result instanceof Promise) await result;
      const elapsed = performance.now() - before;
      wall.push(elapsed);
      best[index] = Math.min(best[index]!, elapsed);
      bytes += Buffer.byteLength(texts[index]!);
    }
  }
  const used = process.cpuUsage(cpu);
  wall.sort((left, right) => left - right);
  const measured = best.filter(Number.isFinite).sort((left, right) => left - right);
  return {
    p50Ms: percentile(wall, 0.5),
    p99Ms: percentile(wall, 0.99),
    bestP99Ms: percentile(measured, 0.99),
    cpuMicrosecondsPerPrompt: (used.user + used.system) / wall.length,
    megabytesPerSecond: bytes / 1e6 / (wall.reduce((sum, value) => sum + value, 0) / 1000),
  };
}

/** 10,000 generated terms (half Latin words, half CJK): build time and 2 KB scan time. */
async function benchWords(texts: string[]): Promise<PiiBenchResult['words']> {
  let seed = 7;
  const random = (): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 4_294_967_296;
  };
  const latin = ['ka', 'ri', 'to', 'ne', 'su', 'mo', 'la', 'pe', 'dor', 'vin', 'str', 'ex'];
  const cjk = [...'机密敏感词违禁内部资料赌博诈骗药品账户密码泄露'];
  const pick = (pool: string[], count: number): string =>
    Array.from({ length: count }, () => pool[Math.floor(random() * pool.length)]).join('');
  const terms = Array.from({ length: 10_000 }, (_, index) =>
    pick(index % 2 === 0 ? latin : cjk, 2 + Math.floor(random() * 3)),
  );
  const builds: number[] = [];
  let scanner = createSensitiveWordsScanner({ terms });
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    scanner = createSensitiveWordsScanner({ terms });
    builds.push(performance.now() - started);
  }
  builds.sort((left, right) => left - right);
  return {
    terms: terms.length,
    buildMs: builds[2]!,
    ...(await timeCalls((text) => scanner.scan(text, { stage: 'input' }), texts)),
  };
}

export async function runPiiBench(): Promise<PiiBenchResult> {
  const english = loadEnglish();
  const chinese = loadChinese();
  const systems = createSystems();
  const scores: SystemScore[] = [];
  for (const system of systems) {
    scores.push(await score(system, english, 'en'));
    scores.push(await score(system, chinese, 'zh'));
  }
  const ordinary = loadOrdinary();
  const sets: Array<[LatencyData, string[]]> = [
    ['en', chunks(english.map((document) => document.text))],
    ['zh', chunks(chinese.map((document) => document.text))],
    ['en-ordinary', chunks(ordinary.en).slice(0, 300)],
    ['zh-ordinary', chunks(ordinary.zh).slice(0, 300)],
  ];
  const latency: LatencyRow[] = [];
  const ordinaryFlags: PiiBenchResult['ordinaryFlags'] = [];
  for (const system of systems.filter((entry) => !entry.name.includes('required'))) {
    for (const [dataset, texts] of sets) {
      latency.push({ name: system.name, dataset, ...(await timeCalls(system.detect, texts)) });
    }
    for (const dataset of ['en', 'zh'] as const) {
      const texts = ordinary[dataset].slice(0, 2000);
      const scored = new Set(dataset === 'en' ? ENGLISH_TYPES : CHINESE_TYPES);
      let flags = 0;
      for (const text of texts) {
        for (const span of await system.detect(text))
          if (scored.has(system.mapType(span.type) ?? '')) flags++;
      }
      const kilobytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1024;
      ordinaryFlags.push({ system: system.name, dataset, per100KB: (flags / kilobytes) * 100 });
    }
  }
  const words = await benchWords([...sets[0]![1].slice(0, 50), ...sets[1]![1].slice(0, 50)]);
  return { scores, latency, words, ordinaryFlags, loadAverage: loadavg()[0] ?? 0 };
}

const fixed = (value: number | undefined, digits = 2): string =>
  value === undefined ? '–' : value.toFixed(digits);
const line = (...cells: Array<string | number>): void => console.log(`| ${cells.join(' | ')} |`);
const header = (...cells: string[]): void => {
  line(...cells);
  line(...cells.map(() => '---'));
};

export function printPiiReport(result: PiiBenchResult): void {
  for (const dataset of ['en', 'zh'] as const) {
    const title = dataset === 'en' ? 'pii-presidio-synth (English)' : 'pii-zh-multipriv (Chinese)';
    console.log(`\n## ${title}: span P / R / F2 (typed), untyped recall`);
    header('type', 'gold', 'system', 'predicted', 'P', 'R', 'F2', 'untyped R');
    for (const entry of result.scores.filter((row) => row.dataset === dataset)) {
      for (const row of [...entry.types, entry.overall]) {
        const metrics = [row.precision, row.recall, row.f2, row.untypedRecall].map((value) => fixed(value));
        line(row.type, row.gold, entry.system, row.predicted, ...metrics);
      }
    }
  }
  console.log('\n## Chinese ID typed recall by check digit');
  header('system', 'all', 'valid check digit', 'invalid check digit');
  for (const entry of result.scores.filter((row) => row.dataset === 'zh')) {
    const id = entry.types.find((row) => row.type === 'CN_ID')!;
    line(
      entry.system,
      ...[id.recall, entry.cnIdRecallChecksumValid, entry.cnIdRecallChecksumInvalid].map((value) =>
        fixed(value, 3),
      ),
    );
  }
  console.log(`\n## Latency per ~2 KB chunk (load average ${result.loadAverage.toFixed(1)} on this machine)`);
  header('system', 'data', 'p50 ms', 'p99 ms', 'p99 of best ms', 'CPU µs/chunk (mean)', 'MB/s');
  for (const row of result.latency) {
    line(
      row.name,
      row.dataset,
      fixed(row.p50Ms, 3),
      fixed(row.p99Ms, 3),
      fixed(row.bestP99Ms, 3),
      fixed(row.cpuMicrosecondsPerPrompt, 0),
      fixed(row.megabytesPerSecond, 1),
    );
  }
  console.log('\n## Flags of the scored types per 100 KB of ordinary text (HaluEval Q&A; COLD tune rows)');
  header('system', 'en', 'zh');
  for (const entry of result.ordinaryFlags.filter((row) => row.dataset === 'en')) {
    const chinese = result.ordinaryFlags.find((row) => row.system === entry.system && row.dataset === 'zh');
    line(entry.system, fixed(entry.per100KB, 1), fixed(chinese?.per100KB, 1));
  }
  const { words } = result;
  console.log(
    `\n## Sensitive words: ${words.terms} terms, build ${fixed(words.buildMs, 1)} ms, 2 KB scan p50 ${fixed(words.p50Ms, 3)} ms / p99 ${fixed(words.p99Ms, 3)} ms (p99 of best ${fixed(words.bestP99Ms, 3)} ms), ${fixed(words.megabytesPerSecond, 1)} MB/s`,
  );
  const ours = (dataset: 'en' | 'zh') =>
    result.scores.find((row) => row.system === 'stackops' && row.dataset === dataset)!;
  const speed = result.latency.find((row) => row.name === 'stackops' && row.dataset === 'en')!;
  const idRecall = ours('zh').types.find((row) => row.type === 'CN_ID')!.recall;
  console.log(
    `\nBENCH guard-pii en_f2=${fixed(ours('en').overall.f2, 3)} zh_f2=${fixed(ours('zh').overall.f2, 3)} cn_id_recall=${fixed(idRecall, 3)} p99_ms_2kb=${fixed(speed.p99Ms, 3)} best_p99_ms_2kb=${fixed(speed.bestP99Ms, 3)}`,
  );
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  printPiiReport(await runPiiBench());
}

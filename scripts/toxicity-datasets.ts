/**
 * @module scripts/toxicity-datasets
 *
 * Readers for the labelled toxicity data under /work/shared/datasets (override with
 * STACKOPS_DATASETS), shared by `scripts/train-toxicity.ts` and `bench/guard-toxicity.ts`.
 * Each reader returns rows `{ source, index, text, toxic, language }` where `index` is the
 * 0-based position of the row among the data rows of its file (the header is not a row), so
 * that split manifests and the tune/measure rule ("COLD: even row index = tune") are stable.
 *
 * The data is read from the shared folder and never copied into the repository: several
 * sets are licensed for research use only. Tune sets: davidson, toxigen, jade (discrimination
 * discrimination rows as positives, the other rows as negatives, see below), cold-even, plus
 * benign prompts (HaluEval queries, MITRE FRR) and hand-written sentences as negatives.
 * Measure sets: surge, cold-odd, xstest.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benignChineseSentences, benignEnglishSentences } from './toxicity-benign-synthetic.js';

export type DatasetLanguage = 'en' | 'zh';

export interface LabelledText {
  /** Source key, e.g. "davidson", "cold", "jade-easy". */
  source: string;
  /** 0-based data-row position within the source file (or a stable running number). */
  index: number;
  text: string;
  toxic: boolean;
  language: DatasetLanguage;
  /** Sub-label kept for reporting (e.g. COLD fine-grained label, xstest type). */
  detail?: string;
}

export function datasetsRoot(): string {
  return process.env.STACKOPS_DATASETS ?? '/work/shared/datasets';
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. A BOM is dropped. */
export function parseCsv(content: string): string[][] {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Header-keyed records of a CSV file. */
export function readCsvRecords(path: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  return rows
    .filter((row) => row.length > 1 || (row[0] ?? '') !== '')
    .map((row) => Object.fromEntries(header.map((name, column) => [name.trim(), row[column] ?? ''])));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Tweet clean-up done on the data, not in the product: HTML entities (the file stores emoji as
 * `&#128514;`) are decoded and the retweet marker "RT" is dropped — it is a collection
 * artefact that would otherwise become a strong feature.
 */
export function cleanTweet(text: string): string {
  return text
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/(^|\s)RT(?=\s|:|$)/g, '$1')
    .trim();
}

export function loadDavidson(): LabelledText[] {
  const records = readCsvRecords(join(datasetsRoot(), 'toxicity-davidson/labeled_data.csv'));
  return records.map((record, index) => ({
    source: 'davidson',
    index,
    text: cleanTweet(record.tweet ?? ''),
    toxic: record.class !== '2',
    language: 'en',
    detail: record.class === '0' ? 'hate' : record.class === '1' ? 'offensive' : 'neither',
  }));
}

/** ToxiGen demonstrations: one sentence a line; the file name (hate_/neutral_) is the label. */
export function loadToxigen(): LabelledText[] {
  const root = join(datasetsRoot(), 'toxigen-demonstrations');
  const rows: LabelledText[] = [];
  for (const group of readdirSync(root, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const file of readdirSync(join(root, group.name)).sort()) {
      if (!file.endsWith('.txt')) continue;
      const lines = readFileSync(join(root, group.name, file), 'utf8').split(/\r?\n/);
      lines.forEach((line, lineIndex) => {
        const text = line.replace(/^-\s*/, '').trim();
        if (!text) return;
        rows.push({
          source: `toxigen:${group.name}/${file}`,
          index: lineIndex,
          text,
          toxic: file.startsWith('hate'),
          language: 'en',
        });
      });
    }
  }
  return rows.sort((left, right) =>
    left.source === right.source ? left.index - right.index : left.source < right.source ? -1 : 1,
  );
}

const JADE_FILES = {
  'jade-v1': 'jade_v1_benchmark_zh.csv',
  'jade-easy': 'jade_benchmark_easy_zh.csv',
  'jade-medium': 'jade_benchmark_medium_zh.csv',
} as const;

/**
 * JADE holds harmful *questions* (crime, privacy, discrimination). The discrimination rows
 * (违规类型 歧视偏见, or a 歧视 sub-type) are toxic language and are positives. The other rows —
 * how to commit fraud, find someone's address — are harmful *requests* written in a neutral
 * register: toxicity (abusive, hateful, demeaning language) is a different question, answered
 * for them by a harm classifier such as Llama Guard (src/guard/remote). They are kept as
 * negatives (`harmful` = 'request'): they are the only ordinary Chinese question-register text
 * in the tune data, and without them a plain "如何…？" sat at the threshold.
 */
export function loadJade(): LabelledText[] {
  const rows: LabelledText[] = [];
  for (const [source, file] of Object.entries(JADE_FILES)) {
    const records = readCsvRecords(join(datasetsRoot(), 'harmful-zh-jade', file));
    records.forEach((record, index) => {
      const type = (record.违规类型 ?? '').trim();
      const subtype = record.违规子类 ?? '';
      const discrimination = type === '歧视偏见' || subtype.includes('歧视');
      rows.push({
        source: discrimination ? source : `${source}-request`,
        index,
        text: (record.问题 ?? '').trim(),
        toxic: discrimination,
        language: 'zh',
        detail: subtype,
      });
    });
  }
  return rows;
}

/** All COLD test rows; `parity` keeps even (tune) or odd (measure) 0-based data-row indexes. */
export function loadCold(parity: 'even' | 'odd'): LabelledText[] {
  const records = readCsvRecords(join(datasetsRoot(), 'toxicity-zh-cold/test.csv'));
  const rows: LabelledText[] = [];
  records.forEach((record, index) => {
    if ((index % 2 === 0) !== (parity === 'even')) return;
    rows.push({
      source: 'cold',
      index,
      text: (record.TEXT ?? '').trim(),
      toxic: record.label === '1',
      language: 'zh',
      detail: record['fine-grained-label'] ?? '',
    });
  });
  return rows;
}

/** Measure only. */
export function loadSurge(): LabelledText[] {
  const records = readCsvRecords(join(datasetsRoot(), 'toxicity-surge/toxicity_en.csv'));
  return records.map((record, index) => ({
    source: 'surge',
    index,
    text: record.text ?? '',
    toxic: record.is_toxic === 'Toxic',
    language: 'en',
  }));
}

/** Measure only: XSTest prompts; `toxic` is false for all (safe and unsafe prompts are requests, not insults). */
export function loadXstestPrompts(): Array<LabelledText & { label: string }> {
  const records = readCsvRecords(join(datasetsRoot(), 'xstest/xstest_prompts.csv'));
  return records.map((record, index) => ({
    source: 'xstest',
    index,
    text: record.prompt ?? '',
    toxic: false,
    language: 'en',
    label: record.label ?? '',
    detail: record.type ?? '',
  }));
}

/**
 * Benign prompts: English from two tune sets (HaluEval `user_query`, i.e. Alpaca instructions,
 * and CyberSecEval MITRE FRR requests: ordinary and scary-looking assistant traffic, the
 * negatives the tweet data lacks) and the hand-written sentences of
 * toxicity-benign-synthetic.ts. Only used as non-toxic examples; never their other labels.
 */
export function loadBenignPrompts(): LabelledText[] {
  const root = datasetsRoot();
  const rows: LabelledText[] = [];
  const lines = readFileSync(join(root, 'hallucination-halueval-general/general_data.json'), 'utf8').split(
    '\n',
  );
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const record = JSON.parse(line) as { user_query?: unknown };
    if (typeof record.user_query !== 'string') return;
    rows.push({
      source: 'halueval-query',
      index,
      text: record.user_query.trim(),
      toxic: false,
      language: 'en',
    });
  });
  const mitre = JSON.parse(
    readFileSync(join(root, 'benign-frr-cyberseceval/mitre_frr.json'), 'utf8'),
  ) as Array<{
    mutated_prompt?: unknown;
  }>;
  mitre.forEach((record, index) => {
    if (typeof record.mutated_prompt !== 'string') return;
    rows.push({
      source: 'mitre-frr',
      index,
      text: record.mutated_prompt.trim(),
      toxic: false,
      language: 'en',
    });
  });
  benignChineseSentences().forEach((text, index) => {
    rows.push({ source: 'benign-zh', index, text, toxic: false, language: 'zh' });
  });
  benignEnglishSentences().forEach((text, index) => {
    rows.push({ source: 'benign-en', index, text, toxic: false, language: 'en' });
  });
  return rows;
}

/** The tune pool: every row the trainer may split into train / validation / tune-test. */
export function loadTunePool(): LabelledText[] {
  return [
    ...loadDavidson(),
    ...loadToxigen(),
    ...loadJade(),
    ...loadCold('even'),
    ...loadBenignPrompts(),
  ].filter((row) => row.text.length > 0);
}

/** sha256 of each data file the trainer reads, recorded in the split manifest. */
export function tuneFileDigests(): Record<string, string> {
  const root = datasetsRoot();
  const files = [
    'toxicity-davidson/labeled_data.csv',
    'toxicity-zh-cold/test.csv',
    'hallucination-halueval-general/general_data.json',
    'benign-frr-cyberseceval/mitre_frr.json',
    ...Object.values(JADE_FILES).map((file) => `harmful-zh-jade/${file}`),
  ];
  const toxigenRoot = join(root, 'toxigen-demonstrations');
  for (const group of readdirSync(toxigenRoot, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const file of readdirSync(join(toxigenRoot, group.name)).sort()) {
      if (file.endsWith('.txt')) files.push(`toxigen-demonstrations/${group.name}/${file}`);
    }
  }
  return Object.fromEntries(
    files.sort().map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(root, file)))
        .digest('hex'),
    ]),
  );
}

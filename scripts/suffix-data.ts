/**
 * Benign text for the adversarial-suffix detector, TUNE data only, with its three-way split:
 *   model        trains the character n-gram language model
 *   calibration  trains the window logistic regression (text the language model never saw)
 *   validation   picks the threshold and gives the reported numbers
 * Sources: the benign tune sets of the injection scanner (scripts/injection-data.ts), the
 * Davidson tweets (scripts/toxicity-datasets.ts, cleaned), all HaluEval answers, and technical
 * text that is not a data set at all — Markdown, JavaScript/TypeScript and JSON files of this
 * repository's own node_modules — so that code, URLs, JSON and hashes read as normal. Packages
 * that embed attack or PII lists (guardrail libraries) and gpt-tokenizer (its vocabulary is
 * where the synthetic positives come from) are excluded. Measure-only sets are never read here.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRandom, shuffled } from '../src/guard/injection/train-logistic.js';
import { haluevalRows, loadTuneSources } from './injection-data.js';
import { loadDavidson } from './toxicity-datasets.js';

export type SplitPart = 'model' | 'calibration' | 'validation';

export interface BenignSource {
  name: string;
  files: string[];
  note: string;
  texts: string[];
  /** Part of each text, by index. */
  parts: SplitPart[];
}

export const VALIDATION_SHARE = 0.2;
export const CALIBRATION_SHARE = 0.2;
/** Technical files are cut into chunks of this many characters (one chunk = one text). */
export const CHUNK_CHARACTERS = 2000;

export function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** Per source: rows shuffled by mulberry32(seed XOR fnv(name)); first 20 % validation, next 20 % calibration. */
function splitParts(name: string, count: number, seed: number): SplitPart[] {
  const order = shuffled(
    Array.from({ length: count }, (_value, index) => index),
    createRandom((seed ^ fnv(name)) >>> 0),
  );
  const parts: SplitPart[] = new Array(count).fill('model');
  const validation = Math.ceil(count * VALIDATION_SHARE);
  const calibration = Math.ceil(count * CALIBRATION_SHARE);
  order.forEach((row, position) => {
    if (position < validation) parts[row] = 'validation';
    else if (position < validation + calibration) parts[row] = 'calibration';
  });
  return parts;
}

function unique(texts: string[]): string[] {
  return [...new Set(texts.map((text) => text.trim()).filter((text) => text.length > 0))];
}

const EXCLUDED_PACKAGES = [
  'gpt-tokenizer',
  'llm-guard',
  '@portkey-ai',
  'openredaction',
  '@openredaction',
  'redact-pii',
  '@redactpii',
];
const TECHNICAL_KINDS: Array<{ name: string; pattern: RegExp; budget: number; note: string }> = [
  { name: 'technical-markdown', pattern: /\.md$/i, budget: 2_500_000, note: 'READMEs, changelogs, docs' },
  {
    name: 'technical-code',
    pattern: /(?<!\.min)\.(?:js|mjs|cjs|ts|mts|cts)$/,
    budget: 2_500_000,
    note: 'JavaScript/TypeScript sources and .d.ts',
  },
  { name: 'technical-minified', pattern: /\.min\.js$/, budget: 400_000, note: 'minified bundles' },
  { name: 'technical-json', pattern: /\.json$/, budget: 600_000, note: 'package.json and data JSON' },
];
/** Characters taken from each language's TypeScript message file. */
const LOCALE_BUDGET = 160_000;
/** At most this much of one file, so that a few big files do not dominate. */
const FILE_BUDGET = 24_000;

function listFiles(root: string, out: string[]): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/**
 * The node_modules files each technical kind was read from, in reading order, with the sha256
 * of the part read (scripts/train-suffix.files.json). The seeded pick below depends on every
 * file in node_modules, so adding any dependency (recheck, session 5) changed the training
 * set; with this list the same files are read whatever else is installed, and a file that is
 * missing or reads differently (a package upgraded) stops the training with its name.
 */
export type PinnedTechnicalFiles = Record<string, Array<{ file: string; sha256: string }>>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function pinnedSource(
  repositoryRoot: string,
  seed: number,
  kind: (typeof TECHNICAL_KINDS)[number],
  files: Array<{ file: string; sha256: string }>,
): BenignSource {
  const texts: string[] = [];
  const parts: SplitPart[] = [];
  for (const { file, sha256: expected } of files) {
    let content: string;
    try {
      content = readFileSync(join(repositoryRoot, file), 'utf8').slice(0, FILE_BUDGET);
    } catch {
      throw new Error(`${file} (pinned in train-suffix.files.json) is missing: run npm ci, or --repick`);
    }
    if (sha256(content) !== expected)
      throw new Error(`${file} differs from the pinned one (a package changed version): npm ci, or --repick`);
    addFileChunks(file, content, seed, texts, parts);
  }
  return technicalSource(kind, files.length, texts, parts);
}

/**
 * A file's chunks, all in the part its name draws: the file decides the part, so chunks of one
 * file never straddle the split.
 */
function addFileChunks(
  file: string,
  content: string,
  seed: number,
  texts: string[],
  parts: SplitPart[],
): void {
  const draw = (fnv(file) ^ seed) % 10;
  const part: SplitPart = draw < 2 ? 'validation' : draw < 4 ? 'calibration' : 'model';
  for (let start = 0; start < content.length; start += CHUNK_CHARACTERS) {
    const chunk = content.slice(start, start + CHUNK_CHARACTERS);
    if (chunk.trim().length < 100) continue;
    texts.push(chunk);
    parts.push(part);
  }
}

function technicalSource(
  kind: (typeof TECHNICAL_KINDS)[number],
  fileCount: number,
  texts: string[],
  parts: SplitPart[],
): BenignSource {
  return {
    name: kind.name,
    files: [`node_modules (${fileCount} files)`],
    note: `${kind.note}; ≤ ${FILE_BUDGET} chars a file, cut in ${CHUNK_CHARACTERS}-char chunks; the file's fnv1a hash XOR seed picks its part`,
    texts,
    parts,
  };
}

/**
 * Technical text from node_modules: the pinned files when `pinned` is given, else files picked
 * in a seeded order until each kind's budget (and `picked`, when given, receives them).
 */
export function technicalSources(
  repositoryRoot: string,
  seed: number,
  pinned?: PinnedTechnicalFiles,
  picked?: PinnedTechnicalFiles,
): BenignSource[] {
  if (pinned !== undefined)
    return TECHNICAL_KINDS.map((kind) => pinnedSource(repositoryRoot, seed, kind, pinned[kind.name] ?? []));
  const modulesRoot = join(repositoryRoot, 'node_modules');
  const files: string[] = [];
  for (const entry of readdirSync(modulesRoot, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || EXCLUDED_PACKAGES.includes(entry.name))
      continue;
    listFiles(join(modulesRoot, entry.name), files);
  }
  const relativeFiles = files
    .map((file) => relative(repositoryRoot, file))
    .filter((file) => !EXCLUDED_PACKAGES.some((name) => file.includes(`/${name}/`)))
    .sort();
  const sources: BenignSource[] = [];
  for (const kind of TECHNICAL_KINDS) {
    const candidates = relativeFiles.filter((file) => kind.pattern.test(file));
    const order = shuffled(candidates, createRandom((seed ^ fnv(kind.name)) >>> 0));
    const texts: string[] = [];
    const parts: SplitPart[] = [];
    const used: string[] = [];
    let total = 0;
    for (const file of order) {
      if (total >= kind.budget) break;
      const size = statSync(join(repositoryRoot, file)).size;
      if (size < 200) continue;
      const content = readFileSync(join(repositoryRoot, file), 'utf8').slice(0, FILE_BUDGET);
      addFileChunks(file, content, seed, texts, parts);
      used.push(file);
      if (picked !== undefined) {
        picked[kind.name] ??= [];
        picked[kind.name]?.push({ file, sha256: sha256(content) });
      }
      total += content.length;
    }
    sources.push(technicalSource(kind, used.length, texts, parts));
  }
  return sources;
}

/**
 * TypeScript's translated compiler messages (cs, de, es, fr, it, pl, pt-br, tr, and the
 * non-Latin ja, ko, ru, zh): benign prose in other languages, as JSON. Every language must be
 * in the language model, so these are split per chunk rather than per file.
 */
export function localeSource(repositoryRoot: string, seed: number): BenignSource {
  const root = join(repositoryRoot, 'node_modules/typescript/lib');
  const languages = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const texts: string[] = [];
  for (const language of languages) {
    const path = join(root, language, 'diagnosticMessages.generated.json');
    let content: string;
    try {
      content = readFileSync(path, 'utf8').slice(0, LOCALE_BUDGET);
    } catch {
      continue;
    }
    for (let start = 0; start < content.length; start += CHUNK_CHARACTERS)
      texts.push(content.slice(start, start + CHUNK_CHARACTERS));
  }
  return {
    name: 'technical-locale',
    files: languages.map(
      (language) => `node_modules/typescript/lib/${language}/diagnosticMessages.generated.json`,
    ),
    note: `TypeScript compiler messages per language, first ${LOCALE_BUDGET} chars, ${CHUNK_CHARACTERS}-char chunks split like a data set`,
    texts,
    parts: splitParts('technical-locale', texts.length, seed),
  };
}

/** Benign tune sets. */
export function datasetSources(seed: number): BenignSource[] {
  const sources: BenignSource[] = [];
  const add = (name: string, files: string[], note: string, texts: string[]): void => {
    const kept = unique(texts);
    sources.push({ name, files, note, texts: kept, parts: splitParts(name, kept.length, seed) });
  };
  for (const source of loadTuneSources()) {
    if (source.family !== 'benign' || source.name === 'halueval-response') continue;
    add(
      source.name,
      source.files,
      source.note,
      source.examples.map((example) => example.text),
    );
  }
  add(
    'halueval-response-all',
    ['hallucination-halueval-general/general_data.json'],
    '`chatgpt_response`, every row',
    haluevalRows().map((row) => row.response),
  );
  add(
    'davidson',
    ['toxicity-davidson/labeled_data.csv'],
    'tweets (all classes), HTML entities decoded, RT marker removed',
    loadDavidson().map((row) => row.text),
  );
  return sources;
}

/** Requests per part (calibration, validation) that end in a pasted line of code or data. */
const REQUEST_CODE_COUNT = 800;
const REQUEST_CODE_JOINS = [' ', ': ', ' ', ': ', ' — ', ' `', '\n'];

/**
 * A benign near miss built here from tune text: an ordinary request (halueval-query, frr-en,
 * frr-multilingual) followed by one line of code, JSON or Markdown from node_modules, as people
 * paste a line and ask about it ("What does this do: arr.map(…)"). That is the shape of a GCG
 * prompt — prose, then a run of odd tokens at the end — so it is the tail layer's hardest
 * negative. Requests and lines come from the same part (calibration or validation) as the
 * source they were taken from; the language model never sees these texts.
 */
export function requestCodeSource(sources: BenignSource[], seed: number): BenignSource {
  const texts: string[] = [];
  const parts: SplitPart[] = [];
  const of = (names: string[], part: SplitPart): string[] =>
    sources
      .filter((source) => names.includes(source.name))
      .flatMap((source) => source.texts.filter((_text, index) => source.parts[index] === part));
  for (const part of ['calibration', 'validation'] as const) {
    const random = createRandom((seed ^ fnv(`request-code-${part}`)) >>> 0);
    const requests = of(['halueval-query', 'frr-en', 'frr-multilingual'], part).filter(
      (text) => text.length <= 400,
    );
    const lines = of(['technical-code', 'technical-minified', 'technical-json', 'technical-markdown'], part)
      .flatMap((text) => text.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line.length >= 16 && /[^\sA-Za-z0-9]/.test(line));
    for (let index = 0; index < REQUEST_CODE_COUNT; index++) {
      const request = requests[Math.floor(random() * requests.length)]!.trim();
      let line = lines[Math.floor(random() * lines.length)]!;
      // Long lines (minified code) are cut to a piece of 30–160 characters.
      if (line.length > 160) {
        const length = 30 + Math.floor(random() * 131);
        const start = Math.floor(random() * (line.length - length));
        line = line.slice(start, start + length);
      }
      const join = REQUEST_CODE_JOINS[Math.floor(random() * REQUEST_CODE_JOINS.length)]!;
      texts.push(`${request}${join}${line}${join === ' `' ? '`' : ''}`);
      parts.push(part);
    }
  }
  return {
    name: 'request-code',
    files: [],
    note: `built here: a calibration / validation request of halueval-query, frr-en or frr-multilingual (≤ 400 chars) + one line (16+ chars, cut to ≤ 160) of technical-code/-minified/-json/-markdown of the same part, joined by a space, colon, dash, backticks or a line break; ${REQUEST_CODE_COUNT} per part`,
    texts,
    parts,
  };
}

/**
 * The engines the retrieval bench compares, behind one small interface: StackOps (through its
 * public engine API) and three npm peers in their documented English setups.
 *
 * - wink-bm25-text-search 3: the wink-nlp-utils pipeline of its 3.0.1 README — lowerCase,
 *   tokenize0, removeWords (wink's stopword list), stem (Porter2), propagateNegations — one
 *   field, default BM25 parameters (k1 = 1.2, b = 0.75, k = 1).
 * - lunr 2: `lunr()`'s default pipeline (trimmer, stopWordFilter, stemmer; search pipeline
 *   stemmer), built through `lunr.Builder` exactly as `lunr()` does so that adds can be timed
 *   batch by batch; queries through `index.search` (OR of terms, lunr's BM25).
 * - MiniSearch 7: default tokenizer; `processTerm` lowercases, drops the same stopwords as
 *   StackOps and Porter-stems with the same `stemmer` package (its README's documented way to
 *   add stopwords and stemming), memoized per raw term as StackOps' analyzer is (stemming every
 *   token otherwise costs it ~40% of its build time); default BM25+ parameters (k = 1.2,
 *   b = 0.7, d = 0.5), default OR combination, no fuzzy or prefix search.
 */

import { createRequire } from 'node:module';
import lunr from 'lunr';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { Bm25Index, ENGLISH_STOPWORDS } from '../src/knowledge/retrieval/index.js';

export type EngineName = 'stackops' | 'wink' | 'lunr' | 'minisearch';
export const PEER_NAMES: readonly EngineName[] = ['wink', 'lunr', 'minisearch'];

/** An engine being built and then searched; ordinals are insertion positions. */
export interface BenchEngine {
  readonly name: EngineName;
  add(texts: readonly string[]): void;
  /** Ends building (consolidate, commit…); searches may follow. */
  finish(): void;
  search(query: string, topK: number): number[];
  /** Bytes the engine reports about itself, when it can. */
  selfReportedBytes(): number | null;
}

interface WinkEngine {
  defineConfig(config: { fldWeights: Record<string, number> }): void;
  definePrepTasks(tasks: Array<(input: never) => unknown>): void;
  addDoc(document: Record<string, string>, id: number): void;
  consolidate(): void;
  search(text: string, limit?: number): Array<[number | string, number]>;
}

interface WinkNlpUtilities {
  string: { lowerCase(text: string): string; tokenize0(text: string): string[] };
  tokens: {
    removeWords(tokens: string[]): string[];
    stem(tokens: string[]): string[];
    propagateNegations(tokens: string[]): string[];
  };
}

const require = createRequire(import.meta.url);

function createStackOps(): BenchEngine {
  const index = new Bm25Index();
  return {
    name: 'stackops',
    add: (texts) => index.add(texts),
    finish: () => index.commit(),
    search: (query, topK) => index.search(query, topK).map((hit) => hit.ordinal),
    selfReportedBytes: () => index.memoryBytes(),
  };
}

function createWink(): BenchEngine {
  const createEngine = require('wink-bm25-text-search') as () => WinkEngine;
  const nlp = require('wink-nlp-utils') as WinkNlpUtilities;
  const engine = createEngine();
  engine.defineConfig({ fldWeights: { body: 1 } });
  engine.definePrepTasks([
    nlp.string.lowerCase,
    nlp.string.tokenize0,
    nlp.tokens.removeWords,
    nlp.tokens.stem,
    nlp.tokens.propagateNegations,
  ] as Array<(input: never) => unknown>);
  let next = 0;
  return {
    name: 'wink',
    add: (texts) => {
      for (const text of texts) engine.addDoc({ body: text }, next++);
    },
    finish: () => engine.consolidate(),
    search: (query, topK) => engine.search(query, topK).map(([id]) => Number(id)),
    selfReportedBytes: () => null,
  };
}

function createLunr(): BenchEngine {
  const builder = new lunr.Builder();
  builder.pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
  builder.searchPipeline.add(lunr.stemmer);
  builder.ref('id');
  builder.field('body');
  let next = 0;
  let index: lunr.Index | null = null;
  return {
    name: 'lunr',
    add: (texts) => {
      for (const text of texts) builder.add({ id: String(next++), body: text });
    },
    finish: () => {
      index = builder.build();
    },
    search: (query, topK) =>
      index!
        .search(query)
        .slice(0, topK)
        .map((hit) => Number(hit.ref)),
    selfReportedBytes: () => null,
  };
}

function createMiniSearch(): BenchEngine {
  const memo = new Map<string, string | null>();
  const processTerm = (term: string): string | null => {
    let processed = memo.get(term);
    if (processed === undefined) {
      const lower = term.toLowerCase();
      processed = ENGLISH_STOPWORDS.has(lower) ? null : stemmer(lower);
      if (memo.size >= 1_000_000) memo.clear();
      memo.set(term, processed);
    }
    return processed;
  };
  const engine = new MiniSearch<{ id: number; body: string }>({ fields: ['body'], processTerm });
  let next = 0;
  return {
    name: 'minisearch',
    add: (texts) => {
      engine.addAll(texts.map((body) => ({ id: next++, body })));
    },
    finish: () => {},
    search: (query, topK) =>
      engine
        .search(query)
        .slice(0, topK)
        .map((hit) => Number(hit.id)),
    selfReportedBytes: () => null,
  };
}

export function createEngine(name: EngineName): BenchEngine {
  if (name === 'stackops') return createStackOps();
  if (name === 'wink') return createWink();
  if (name === 'lunr') return createLunr();
  return createMiniSearch();
}

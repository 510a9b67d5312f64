/**
 * Loads the Vaswani (NPL) test collection from /work/shared/datasets/vaswani (or
 * STACKOPS_VASWANI_DIR): 11,429 documents in TREC SGML, 93 queries, binary qrels.
 * Measure-only data: nothing in the engine is tuned on it.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VaswaniCollection {
  documents: Array<{ id: string; text: string }>;
  queries: Array<{ id: string; text: string }>;
  /** query id → relevant document ids (relevance > 0). */
  relevant: Map<string, Set<string>>;
}

export const VASWANI_DIR =
  process.env.STACKOPS_VASWANI_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'vaswani');

export function loadVaswani(directory = VASWANI_DIR): VaswaniCollection {
  const corpus = readFileSync(join(directory, 'corpus', 'doc-text.trec'), 'utf8');
  const documents: VaswaniCollection['documents'] = [];
  for (const match of corpus.matchAll(/<DOC>\s*<DOCNO>\s*(\S+?)\s*<\/DOCNO>([\s\S]*?)<\/DOC>/g)) {
    documents.push({ id: match[1]!, text: match[2]!.trim() });
  }
  const topics = readFileSync(join(directory, 'query-text.trec'), 'utf8');
  const queries: VaswaniCollection['queries'] = [];
  for (const match of topics.matchAll(/<num>\s*(\S+?)\s*<\/num>\s*<title>([\s\S]*?)<\/title>/gi)) {
    queries.push({ id: match[1]!, text: match[2]!.trim() });
  }
  const relevant = new Map<string, Set<string>>();
  for (const line of readFileSync(join(directory, 'qrels'), 'utf8').split('\n')) {
    const [queryId, , documentId, relevance] = line.trim().split(/\s+/);
    if (queryId === undefined || documentId === undefined || relevance === undefined) continue;
    if (Number(relevance) <= 0) continue;
    let set = relevant.get(queryId);
    if (set === undefined) {
      set = new Set();
      relevant.set(queryId, set);
    }
    set.add(documentId);
  }
  if (documents.length !== 11_429 || queries.length !== 93) {
    throw new Error(`unexpected Vaswani counts: ${documents.length} documents, ${queries.length} queries`);
  }
  return { documents, queries, relevant };
}

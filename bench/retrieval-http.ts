/**
 * The Vaswani run through StackOps's public HTTP API: a real server on an ephemeral port over
 * a temp SQLite file; documents ingested in batches over REST into a knowledge base whose
 * chunks hold whole abstracts, one snapshot, then every query through
 * `POST /api/knowledge/:kb/search`. Chunk ids map back to document ids (first hit wins).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/index.js';
import type { VaswaniCollection } from './retrieval-vaswani.js';

const BATCH = 1000;

export interface HttpRunResult {
  run: Map<string, string[]>;
  ingestChunksPerSecond: number;
  ingestSeconds: number;
}

export async function vaswaniThroughHttp(
  collection: VaswaniCollection,
  depth: number,
): Promise<HttpRunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackops-bench-retrieval-'));
  const adminKey = 'sk-so-bench-retrieval-0000000000';
  const server = await startServer({
    settings: { port: 0, dataDir, adminKey, demo: false },
    configFile: {},
    env: {},
    quiet: true,
  });
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  try {
    await call('POST', '/api/knowledge', { name: 'vaswani', chunk_tokens: 2048, overlap_tokens: 0 });
    const started = performance.now();
    for (let start = 0; start < collection.documents.length; start += BATCH) {
      const documents = collection.documents
        .slice(start, start + BATCH)
        .map((document) => ({ id: document.id, text: document.text }));
      await call('POST', '/api/knowledge/vaswani/documents', { documents });
    }
    const snapshot = (await call('POST', '/api/knowledge/vaswani/snapshots')) as { chunks: number };
    const ingestSeconds = (performance.now() - started) / 1000;
    const run = new Map<string, string[]>();
    for (const query of collection.queries) {
      const answer = (await call('POST', '/api/knowledge/vaswani/search', {
        query: query.text,
        top_k: depth,
      })) as {
        results: Array<{ document_id: string }>;
      };
      const seen = new Set<string>();
      const ranked: string[] = [];
      for (const hit of answer.results) {
        if (seen.has(hit.document_id)) continue;
        seen.add(hit.document_id);
        ranked.push(hit.document_id);
      }
      run.set(query.id, ranked);
    }
    return { run, ingestSeconds, ingestChunksPerSecond: snapshot.chunks / ingestSeconds };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Knowledge REST: bases, document ingest (batches, content-hash dedupe), immutable snapshots,
 * snapshot diff, staleness, search against any snapshot, and deleting a snapshot or a base
 * (refused with 409 while a stack version pins it).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, parseInput, ValidationError } from '../../core/index.js';
import type { KnowledgeService, MetadataFilter } from '../../knowledge/index.js';
import { assertName } from '../../registry/index.js';
import { authorize } from '../access.js';
import { audit, type ControlPlane } from './control-plane-context.js';

const createBody = z.strictObject({
  name: z.string().min(1),
  chunk_tokens: z.number().int().min(32).max(8192).default(300),
  overlap_tokens: z.number().int().min(0).max(2048).default(40),
  embedding_model: z.string().min(1).nullish(),
});

const documentsBody = z.strictObject({
  documents: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(1024),
        text: z.string(),
        source: z.string().max(4096).optional(),
        title: z.string().max(1024).nullish(),
        metadata: z.record(z.string(), z.unknown()).default({}),
        source_updated_at: z
          .union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })])
          .nullish(),
      }),
    )
    .min(1)
    .max(5000),
});

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).optional(),
});

const searchBody = z.strictObject({
  query: z.string().min(1, 'query must not be empty').max(10_000),
  top_k: z.number().int().min(1).max(1000).default(5),
  snapshot: z.number().int().positive().optional(),
  min_score: z.number().min(0).optional(),
  filter: z.record(z.string(), z.unknown()).optional(),
  mode: z.enum(['bm25', 'vector', 'hybrid']).optional(),
});

const diffQuery = z.strictObject({
  from: z.coerce.number().int().positive(),
  to: z.coerce.number().int().positive(),
});
const staleQuery = z.strictObject({
  days: z.coerce.number().min(0).default(90),
  snapshot: z.coerce.number().int().positive().optional(),
});

const versionParams = z.strictObject({
  base: z.string(),
  version: z.coerce.number().int().positive(),
});

const iso = (milliseconds: number | null) =>
  milliseconds === null ? null : new Date(milliseconds).toISOString();

export function registerKnowledgeRoutes(
  app: FastifyInstance,
  controlPlane: ControlPlane,
  knowledge: KnowledgeService,
): void {
  const { store, authenticator, catalog } = controlPlane;

  app.post('/api/knowledge', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'developer');
    const body = parseInput(createBody, request.body);
    assertName(body.name, 'Knowledge base');
    if (body.overlap_tokens >= body.chunk_tokens) {
      throw new ValidationError('overlap_tokens must be smaller than chunk_tokens', {
        param: 'overlap_tokens',
      });
    }
    if (body.embedding_model && catalog.kindOf(body.embedding_model) !== 'embedding') {
      throw new NotFoundError(`Embedding model "${body.embedding_model}"`, { param: 'embedding_model' });
    }
    const base = await store.knowledge.createBase(caller.actingProjectId, {
      name: body.name,
      settings: {
        chunk_tokens: body.chunk_tokens,
        overlap_tokens: body.overlap_tokens,
        embedding_model: body.embedding_model ?? null,
      },
    });
    await audit(controlPlane, caller, 'knowledge.create', 'knowledge_base', base.name);
    reply.code(201);
    return {
      name: base.name,
      settings: base.settings,
      latest_snapshot: null,
      created_at: iso(base.createdAt),
    };
  });

  app.get('/api/knowledge', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const bases = await store.knowledge.listBases(caller.actingProjectId);
    return {
      data: bases.map((base) => ({
        name: base.name,
        settings: base.settings,
        latest_snapshot: base.latestSnapshot || null,
        created_at: iso(base.createdAt),
      })),
    };
  });

  app.get('/api/knowledge/:base', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { base: name } = request.params as { base: string };
    const base = await knowledge.requireBase(caller.actingProjectId, name);
    const [snapshots, documents] = await Promise.all([
      store.knowledge.listSnapshots(caller.actingProjectId, name),
      store.knowledge.countDocuments(caller.actingProjectId, name),
    ]);
    return {
      name,
      settings: base.settings,
      documents,
      latest_snapshot: base.latestSnapshot || null,
      snapshots: snapshots.map((snapshot) => ({
        version: snapshot.version,
        documents: snapshot.documentCount,
        chunks: snapshot.chunkCount,
        embedding_dimensions: snapshot.embeddingDimensions,
        created_at: iso(snapshot.createdAt),
        created_by: snapshot.createdBy,
      })),
    };
  });

  app.post('/api/knowledge/:base/documents', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { base } = request.params as { base: string };
    const body = parseInput(documentsBody, request.body);
    const counts = await knowledge.ingest(
      caller.actingProjectId,
      base,
      body.documents.map((document) => ({
        id: document.id,
        text: document.text,
        source: document.source,
        title: document.title ?? null,
        metadata: document.metadata,
        sourceUpdatedAt:
          document.source_updated_at == null
            ? null
            : typeof document.source_updated_at === 'number'
              ? document.source_updated_at
              : Date.parse(document.source_updated_at),
      })),
    );
    if (counts.inserted + counts.updated > 0) {
      await audit(controlPlane, caller, 'knowledge.ingest', 'knowledge_base', base, { ...counts });
    }
    return counts;
  });

  app.get('/api/knowledge/:base/documents', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { base } = request.params as { base: string };
    await knowledge.requireBase(caller.actingProjectId, base);
    const query = parseInput(listQuery, request.query, 'query');
    const page = await store.knowledge.listDocuments(caller.actingProjectId, base, {
      ...query,
      withText: false,
    });
    return {
      data: page.data.map((document) => ({
        id: document.id,
        source: document.source,
        title: document.title,
        metadata: document.metadata,
        content_hash: document.contentHash,
        source_updated_at: iso(document.sourceUpdatedAt),
        updated_at: iso(document.updatedAt),
      })),
      next_cursor: page.nextCursor,
    };
  });

  app.delete('/api/knowledge/:base/documents/:id', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { base, id } = request.params as { base: string; id: string };
    await knowledge.requireBase(caller.actingProjectId, base);
    if ((await store.knowledge.deleteDocuments(caller.actingProjectId, base, [id])) === 0) {
      throw new NotFoundError(`Document "${id}"`);
    }
    await audit(controlPlane, caller, 'knowledge.delete_document', 'knowledge_base', base, { id });
    return { id, deleted: true };
  });

  app.post('/api/knowledge/:base/snapshots', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { base } = request.params as { base: string };
    const snapshot = await knowledge.snapshot(caller.actingProjectId, base, caller.keyId);
    await audit(controlPlane, caller, 'knowledge.snapshot', 'knowledge_base', `${base}@${snapshot.version}`, {
      documents: snapshot.documentCount,
      chunks: snapshot.chunkCount,
    });
    reply.code(201);
    return {
      name: base,
      version: snapshot.version,
      documents: snapshot.documentCount,
      chunks: snapshot.chunkCount,
      embedding_dimensions: snapshot.embeddingDimensions,
      created_at: iso(snapshot.createdAt),
    };
  });

  app.delete('/api/knowledge/:base/snapshots/:version', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { base, version } = parseInput(versionParams, request.params, 'path');
    await knowledge.deleteSnapshot(caller.actingProjectId, base, version);
    await audit(controlPlane, caller, 'knowledge.delete_snapshot', 'knowledge_base', `${base}@${version}`);
    // Acknowledged once marked: a purge that fails half-way is finished by the cleanup sweep.
    await knowledge
      .purgeSnapshot(caller.actingProjectId, base, version)
      .catch((error: unknown) =>
        request.log.warn({ err: error }, 'snapshot purge left to the cleanup sweep'),
      );
    return { name: base, version, deleted: true };
  });

  app.delete('/api/knowledge/:base', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { base } = request.params as { base: string };
    await knowledge.deleteBase(caller.actingProjectId, base);
    await audit(controlPlane, caller, 'knowledge.delete', 'knowledge_base', base);
    await knowledge
      .purgeBase(caller.actingProjectId, base)
      .catch((error: unknown) => request.log.warn({ err: error }, 'base purge left to the cleanup sweep'));
    return { name: base, deleted: true };
  });

  app.get('/api/knowledge/:base/diff', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { base } = request.params as { base: string };
    await knowledge.requireBase(caller.actingProjectId, base);
    const query = parseInput(diffQuery, request.query, 'query');
    return knowledge.diff(caller.actingProjectId, base, query.from, query.to);
  });

  app.get('/api/knowledge/:base/stale', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { base } = request.params as { base: string };
    await knowledge.requireBase(caller.actingProjectId, base);
    const query = parseInput(staleQuery, request.query, 'query');
    return knowledge.stale(caller.actingProjectId, base, {
      olderThanDays: query.days,
      snapshot: query.snapshot,
    });
  });

  app.post('/api/knowledge/:base/search', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { base } = request.params as { base: string };
    await knowledge.requireBase(caller.actingProjectId, base);
    const body = parseInput(searchBody, request.body);
    const found = await knowledge.search(caller.actingProjectId, base, {
      query: body.query,
      topK: body.top_k,
      snapshot: body.snapshot,
      minScore: body.min_score,
      filter: body.filter as MetadataFilter | undefined,
      mode: body.mode,
    });
    return {
      snapshot: found.snapshot,
      results: found.results.map((hit) => ({
        document_id: hit.documentId,
        chunk_id: hit.chunkId,
        score: hit.score,
        text: hit.text,
        metadata: hit.metadata,
      })),
    };
  });
}

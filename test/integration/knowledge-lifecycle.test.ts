/**
 * Knowledge lifecycle through the real server, on both backends: deleting a snapshot (refused
 * with 409 naming the stack versions that pin it, or when it is the latest; audited; its rows
 * purged; other snapshots and a deployed stack keep answering), deleting a whole base under
 * the same rules, and the cleanup sweep removing builds that crashed mid-way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const documents = (edition: number) => [
  { id: 'refunds', text: `Refunds are issued within ${edition + 13} days of the return.` },
  { id: 'shipping', text: 'Standard shipping takes three to five business days.' },
];

/** A base `faq` with `count` snapshots, each after an edit of the refunds document. */
async function faqWithSnapshots(api: Harness['api'], count: number): Promise<void> {
  expect(
    (await api('POST', '/api/knowledge', { name: 'faq', chunk_tokens: 64, overlap_tokens: 8 })).status,
  ).toBe(201);
  for (let edition = 1; edition <= count; edition++) {
    await api('POST', '/api/knowledge/faq/documents', { documents: documents(edition) });
    expect((await api('POST', '/api/knowledge/faq/snapshots')).status).toBe(201);
  }
}

/** Rows the store still holds for a snapshot, read the way the server reads them. */
async function chunkRows(server: Harness['server'], projectId: string, version: number): Promise<number> {
  const page = await server.store.knowledge.snapshotChunks(projectId, 'faq', version, { limit: 1000 });
  return page.data.length;
}

describe.each(['sqlite', 'postgres'] as const)('knowledge lifecycle on %s', (backend) => {
  it('deletes an unpinned snapshot, refusing pinned and latest ones with 409; stacks keep answering', async () => {
    harness = await startHarness({}, { backend });
    const { api } = harness;
    await faqWithSnapshots(api, 3);
    const stack = await api('POST', '/api/stacks', {
      name: 'kb-bot',
      model: 'local-extractive',
      knowledge: 'faq@1',
    });
    expect(stack.status).toBe(201);
    await api('POST', '/api/stacks/kb-bot/deploy', { environment: 'production', version: 1 });
    // Load snapshot 2 into this replica's cache first.
    expect((await api('POST', '/api/knowledge/faq/search', { query: 'refunds', snapshot: 2 })).status).toBe(
      200,
    );

    const pinned = await api('DELETE', '/api/knowledge/faq/snapshots/1');
    expect(pinned.status).toBe(409);
    expect(pinned.body.error).toMatchObject({ type: expect.any(String), code: 'conflict' });
    expect(pinned.body.error.message).toContain('kb-bot@1');
    expect(pinned.body.error.details).toEqual({ stack_versions: [{ stack: 'kb-bot', version: 1 }] });
    const latest = await api('DELETE', '/api/knowledge/faq/snapshots/3');
    expect(latest.status).toBe(409);
    expect(latest.body.error.message).toContain('latest');
    expect((await api('DELETE', '/api/knowledge/faq/snapshots/9')).status).toBe(404);
    expect((await api('DELETE', '/api/knowledge/faq/snapshots/x')).status).toBe(400);

    const deleted = await api('DELETE', '/api/knowledge/faq/snapshots/2');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ name: 'faq', version: 2, deleted: true });
    const base = await api('GET', '/api/knowledge/faq');
    expect(base.body.snapshots.map((snapshot: { version: number }) => snapshot.version)).toEqual([1, 3]);
    // The cached index of the deleted snapshot answers nothing more.
    expect((await api('POST', '/api/knowledge/faq/search', { query: 'refunds', snapshot: 2 })).status).toBe(
      404,
    );
    expect((await api('POST', '/api/knowledge/faq/search', { query: 'refunds', snapshot: 1 })).status).toBe(
      200,
    );
    expect((await api('POST', '/api/knowledge/faq/search', { query: 'refunds' })).body.snapshot).toBe(3);
    const projectId = (await api('GET', '/api/projects')).body.data[0].id;
    expect(await chunkRows(harness.server, projectId, 1)).toBeGreaterThan(0);
    expect(await harness.server.store.knowledge.listDeletedSnapshots(10)).toEqual([]);

    const answer = await harness.client.chat.completions.create({
      model: 'kb-bot',
      messages: [{ role: 'user', content: 'How many days until refunds are issued?' }],
    });
    expect(answer.choices[0]?.message.content).toContain('14 days');
    // A new stack version cannot pin the deleted snapshot.
    const repin = await api('POST', '/api/stacks', {
      name: 'kb-bot',
      model: 'local-extractive',
      knowledge: 'faq@2',
    });
    expect(repin.status).toBe(404);

    const audit = await api('GET', '/api/audit?limit=100');
    const entry = audit.body.data.find(
      (item: { action: string }) => item.action === 'knowledge.delete_snapshot',
    );
    expect(entry).toMatchObject({ target_type: 'knowledge_base', target_id: 'faq@2' });
  });

  it('deletes a whole base unless a stack version pins one of its snapshots', async () => {
    harness = await startHarness({}, { backend });
    const { api } = harness;
    await faqWithSnapshots(api, 2);
    await api('POST', '/api/stacks', { name: 'kb-bot', model: 'local-extractive', knowledge: 'faq@2' });
    const refused = await api('DELETE', '/api/knowledge/faq');
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ stack_versions: [{ stack: 'kb-bot', version: 1 }] });
    expect((await api('GET', '/api/knowledge/faq')).status).toBe(200);

    expect((await api('POST', '/api/knowledge', { name: 'scratch' })).status).toBe(201);
    await api('POST', '/api/knowledge/scratch/documents', { documents: documents(1) });
    await api('POST', '/api/knowledge/scratch/snapshots');
    const deleted = await api('DELETE', '/api/knowledge/scratch');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ name: 'scratch', deleted: true });
    expect((await api('GET', '/api/knowledge/scratch')).status).toBe(404);
    expect((await api('GET', '/api/knowledge')).body.data.map((item: { name: string }) => item.name)).toEqual(
      ['faq'],
    );
    expect(await harness.server.store.knowledge.listDeletedBases(10)).toEqual([]);
    // Purged: the name is free again, and starts empty.
    expect((await api('POST', '/api/knowledge', { name: 'scratch' })).status).toBe(201);
    expect((await api('GET', '/api/knowledge/scratch')).body).toMatchObject({
      documents: 0,
      snapshots: [],
      latest_snapshot: null,
    });
    // Numbers go on from the deleted base's: no replica can mistake its cached scratch@1 for this one.
    await api('POST', '/api/knowledge/scratch/documents', { documents: documents(2) });
    expect((await api('POST', '/api/knowledge/scratch/snapshots')).body.version).toBe(2);
    expect((await api('DELETE', '/api/knowledge/missing')).status).toBe(404);
    const audit = await api('GET', '/api/audit?limit=100');
    expect(audit.body.data.map((item: { action: string }) => item.action)).toContain('knowledge.delete');
  });

  it('the cleanup sweep removes a build that stopped heartbeating, and leaves a live one', async () => {
    harness = await startHarness({ knowledge: { stale_build_minutes: 30 } }, { backend });
    const { api, server } = harness;
    await faqWithSnapshots(api, 1);
    const projectId = (await api('GET', '/api/projects')).body.data[0].id;
    // A build that crashed after its first batch: begun and written, never finished.
    const crashed = await server.store.knowledge.beginSnapshot(projectId, 'faq', {
      settings: { chunk_tokens: 64, overlap_tokens: 8, embedding_model: null },
      createdBy: null,
    });
    expect(await server.knowledgeCleanup.sweep(Date.now())).toMatchObject({ expiredBuilds: 0 });
    const later = Date.now() + 31 * 60_000;
    expect(await server.knowledgeCleanup.sweep(later)).toMatchObject({ expiredBuilds: 1 });
    await expect(
      server.store.knowledge.finishSnapshot(projectId, 'faq', crashed.version, {
        documentCount: 0,
        chunkCount: 0,
        embeddingDimensions: null,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await server.store.knowledge.listDeletedSnapshots(10)).toEqual([]);
    // The next snapshot still works and gets a new number.
    await api('POST', '/api/knowledge/faq/documents', { documents: documents(5) });
    expect((await api('POST', '/api/knowledge/faq/snapshots')).body.version).toBe(3);
    expect(await chunkRows(server, projectId, 1)).toBeGreaterThan(0);
  });

  it('refuses a stale_build_minutes below 1 at start', async () => {
    await expect(startHarness({ knowledge: { stale_build_minutes: 0 } }, { backend })).rejects.toThrow(
      /stale_build_minutes/,
    );
  });
});

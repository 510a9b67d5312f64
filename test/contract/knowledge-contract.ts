/**
 * The knowledge part of the Store contract: bases (unique name per project), the working set
 * of documents (upsert by id with content-hash dedupe, paged listing, delete), and snapshots:
 * numbered latest+1 atomically, built in batches while `building`, immutable once `ready`,
 * invisible to readers until then; chunks page in (document id, ordinal) order with their
 * embeddings bit-exact. Everything is scoped by project and goes with it.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  type KnowledgeChunk,
  NotFoundError,
  type Project,
  ValidationError,
} from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import {
  BASE_TIME,
  collectPages,
  embeddingBytes,
  KNOWLEDGE_SETTINGS,
  makeChunk,
  makeDocumentInput,
  makeManifestEntry,
  makeSnapshotContent,
  uniqueName,
} from './contract-fixtures.js';

const PARALLEL_SNAPSHOTS = 10;
const oneTo = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);
const byteOrder = (names: readonly string[]): string[] =>
  [...names].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
const totals = (documentCount: number, chunkCount: number, embeddingDimensions: number | null = null) => ({
  documentCount,
  chunkCount,
  embeddingDimensions,
});

/**
 * Asserts two chunk lists are identical, embeddings compared byte for byte. Compares with
 * node's deep equality and reports the first differing chunk: vitest's element-wise equality
 * over 10,000 × 384 floats would take a minute.
 */
function expectSameChunks(actual: readonly KnowledgeChunk[], expected: readonly KnowledgeChunk[]): void {
  expect(actual).toHaveLength(expected.length);
  const differing = expected.findIndex((want, index) => {
    const { embedding: gotEmbedding, ...got } = actual[index]!;
    const { embedding: wantEmbedding, ...rest } = want;
    if (!isDeepStrictEqual(got, rest)) return true;
    if (wantEmbedding === null || gotEmbedding === null) return wantEmbedding !== gotEmbedding;
    return !(gotEmbedding instanceof Float32Array) || !sameBytes(gotEmbedding, wantEmbedding);
  });
  if (differing !== -1) expect(actual[differing]).toEqual(expected[differing]);
  expect(differing).toBe(-1);
}

const sameBytes = (left: Float32Array, right: Float32Array): boolean =>
  Buffer.from(embeddingBytes(left)!).equals(embeddingBytes(right)!);

export function describeKnowledgeContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  const knowledge = () => current().knowledge;

  /** A project with one empty base. */
  const withBase = async (label = 'kb'): Promise<{ project: Project; base: string }> => {
    const project = await newProject();
    const base = uniqueName(label);
    await knowledge().createBase(project.id, { name: base, settings: KNOWLEDGE_SETTINGS });
    return { project, base };
  };

  /** Reads every chunk of a snapshot, following the cursor. */
  const readAllChunks = async (projectId: string, base: string, version: number, limit: number) =>
    (
      await collectPages((cursor) => knowledge().snapshotChunks(projectId, base, version, { limit, cursor }))
    ).flat();

  describe('knowledge bases', () => {
    it('creates a base with no snapshot yet, reads it back, lists bases by name', async () => {
      const project = await newProject();
      const before = Date.now();
      const base = await knowledge().createBase(project.id, {
        name: 'handbook',
        settings: KNOWLEDGE_SETTINGS,
      });
      expect(base).toEqual({
        id: expect.stringMatching(/^kb_/),
        projectId: project.id,
        name: 'handbook',
        settings: KNOWLEDGE_SETTINGS,
        latestSnapshot: 0,
        createdAt: expect.any(Number),
      });
      expect(base.createdAt).toBeGreaterThanOrEqual(before);
      expect(await knowledge().getBase(project.id, 'handbook')).toEqual(base);

      const bm25Only = { chunk_tokens: 120, overlap_tokens: 0, embedding_model: null };
      const names = ['zeta', 'Alpha', 'alpha-2', 'alpha-10'];
      for (const name of names) await knowledge().createBase(project.id, { name, settings: bm25Only });
      const listed = await knowledge().listBases(project.id);
      expect(listed.map((each) => each.name)).toEqual(byteOrder([...names, 'handbook']));
      expect(listed.find((each) => each.name === 'zeta')?.settings).toEqual(bm25Only);
    });

    it('refuses a duplicate name in the project (ConflictError), and a missing project (NotFoundError)', async () => {
      const { project, base } = await withBase();
      const original = await knowledge().getBase(project.id, base);
      await expect(
        knowledge().createBase(project.id, {
          name: base,
          settings: { ...KNOWLEDGE_SETTINGS, chunk_tokens: 1 },
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await knowledge().getBase(project.id, base)).toEqual(original);
      await expect(
        knowledge().createBase('proj_missing', { name: base, settings: KNOWLEDGE_SETTINGS }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('returns null and empty lists for unknown bases', async () => {
      const project = await newProject();
      expect(await knowledge().getBase(project.id, 'nope')).toBeNull();
      expect(await knowledge().listBases(project.id)).toEqual([]);
      expect(await knowledge().getDocument(project.id, 'nope', 'doc')).toBeNull();
      expect(await knowledge().countDocuments(project.id, 'nope')).toBe(0);
      expect(await knowledge().listDocuments(project.id, 'nope', { limit: 10 })).toEqual({
        data: [],
        nextCursor: null,
      });
      expect(await knowledge().deleteDocuments(project.id, 'nope', ['doc'])).toBe(0);
      expect(await knowledge().getSnapshot(project.id, 'nope')).toBeNull();
      expect(await knowledge().listSnapshots(project.id, 'nope')).toEqual([]);
      expect(await knowledge().snapshotDocuments(project.id, 'nope', 1)).toEqual([]);
      expect(await knowledge().snapshotChunks(project.id, 'nope', 1, { limit: 10 })).toEqual({
        data: [],
        nextCursor: null,
      });
    });
  });

  describe('knowledge documents', () => {
    it('inserts documents and round-trips every field exactly', async () => {
      const { project, base } = await withBase();
      const plain = makeDocumentInput('plain');
      const rich = makeDocumentInput('rich', {
        source: 'https://example.com/wiki/Ünïcødé?x=1',
        title: null,
        text: 'Réponds en 中文 🧪\nligne 2 «quotes» \\ "double"\n\ttab',
        metadata: { nested: { deep: [1, 2.5, { flag: true, none: null }], empty: {} }, 'clé é': 'valeur' },
        sourceUpdatedAt: null,
      });
      const before = Date.now();
      expect(await knowledge().upsertDocuments(project.id, base, [plain, rich])).toEqual({
        inserted: 2,
        updated: 0,
        unchanged: 0,
      });
      for (const input of [plain, rich]) {
        const stored = await knowledge().getDocument(project.id, base, input.id);
        expect(stored).toEqual({
          ...input,
          projectId: project.id,
          knowledgeBase: base,
          updatedAt: expect.any(Number),
        });
        expect(stored!.updatedAt).toBeGreaterThanOrEqual(before);
      }
      expect(await knowledge().countDocuments(project.id, base)).toBe(2);
      expect(await knowledge().getDocument(project.id, base, 'missing')).toBeNull();
    });

    it('counts unchanged, updated and inserted documents; unchanged ones are not touched', async () => {
      const { project, base } = await withBase();
      const [kept, changed] = [makeDocumentInput('kept'), makeDocumentInput('changed')];
      await knowledge().upsertDocuments(project.id, base, [kept, changed]);
      const keptBefore = await knowledge().getDocument(project.id, base, 'kept');
      const changedBefore = await knowledge().getDocument(project.id, base, 'changed');

      // Same hash: left alone even though other fields differ (the hash is the caller's identity).
      const keptAgain = { ...kept, text: 'ignored', title: 'ignored', sourceUpdatedAt: BASE_TIME + 5 };
      const changedNow = makeDocumentInput('changed', {
        text: 'new text',
        title: null,
        metadata: { lang: 'de' },
        contentHash: 'hash-changed-2',
        sourceUpdatedAt: BASE_TIME + 60_000,
      });
      const added = makeDocumentInput('added');
      expect(await knowledge().upsertDocuments(project.id, base, [keptAgain, changedNow, added])).toEqual({
        inserted: 1,
        updated: 1,
        unchanged: 1,
      });
      expect(await knowledge().getDocument(project.id, base, 'kept')).toEqual(keptBefore);
      const changedAfter = await knowledge().getDocument(project.id, base, 'changed');
      expect(changedAfter).toEqual({
        ...changedNow,
        projectId: project.id,
        knowledgeBase: base,
        updatedAt: expect.any(Number),
      });
      expect(changedAfter!.updatedAt).toBeGreaterThanOrEqual(changedBefore!.updatedAt);
      expect(await knowledge().countDocuments(project.id, base)).toBe(3);

      // Re-sending the same batch changes nothing.
      expect(await knowledge().upsertDocuments(project.id, base, [keptAgain, changedNow, added])).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 3,
      });
      expect(await knowledge().upsertDocuments(project.id, base, [])).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 0,
      });
    });

    it('refuses upserts into a missing base, even an empty batch (NotFoundError)', async () => {
      const project = await newProject();
      await expect(
        knowledge().upsertDocuments(project.id, 'nope', [makeDocumentInput('a')]),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(knowledge().upsertDocuments(project.id, 'nope', [])).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rejects a batch naming an id twice, holding a NUL character or a lone surrogate in JSON, writing nothing', async () => {
      const { project, base } = await withBase();
      const twice = [
        makeDocumentInput('a'),
        makeDocumentInput('b'),
        makeDocumentInput('a', { contentHash: 'x' }),
      ];
      await expect(knowledge().upsertDocuments(project.id, base, twice)).rejects.toBeInstanceOf(
        ValidationError,
      );
      for (const bad of [
        makeDocumentInput('c', { text: 'before\u0000after' }),
        makeDocumentInput('c', { metadata: { key: 'nul\u0000' } }),
        makeDocumentInput('c', { title: '\u0000' }),
        // Postgres jsonb cannot hold a lone surrogate; both dialects refuse it.
        makeDocumentInput('c', { metadata: { title: 'broken \ud800 pair' } }),
      ]) {
        await expect(
          knowledge().upsertDocuments(project.id, base, [makeDocumentInput('ok'), bad]),
        ).rejects.toBeInstanceOf(ValidationError);
      }
      expect(await knowledge().countDocuments(project.id, base)).toBe(0);
    });

    it('stores source times as whole milliseconds', async () => {
      const { project, base } = await withBase();
      await knowledge().upsertDocuments(project.id, base, [
        makeDocumentInput('mtime', { sourceUpdatedAt: BASE_TIME + 123.987 }),
      ]);
      expect((await knowledge().getDocument(project.id, base, 'mtime'))?.sourceUpdatedAt).toBe(
        BASE_TIME + 123,
      );
      await expect(
        knowledge().upsertDocuments(project.id, base, [
          makeDocumentInput('bad', { sourceUpdatedAt: Number.NaN }),
        ]),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it('upserts 1,000 documents of ~2 KB in one call, then updates half of them', async () => {
      const { project, base } = await withBase();
      const documents = Array.from({ length: 1_000 }, (_, index) =>
        makeDocumentInput(`doc-${String(index).padStart(4, '0')}`, {
          text: `${index} `.padEnd(2_048, 'lorem ipsum dolor sit amet '),
        }),
      );
      expect(await knowledge().upsertDocuments(project.id, base, documents)).toEqual({
        inserted: 1_000,
        updated: 0,
        unchanged: 0,
      });
      const revised = documents.map((document, index) =>
        index % 2 === 0
          ? { ...document, text: `${document.text}!`, contentHash: `${document.contentHash}-2` }
          : document,
      );
      expect(await knowledge().upsertDocuments(project.id, base, revised)).toEqual({
        inserted: 0,
        updated: 500,
        unchanged: 500,
      });
      expect(await knowledge().countDocuments(project.id, base)).toBe(1_000);
      expect((await knowledge().getDocument(project.id, base, 'doc-0998'))?.text).toBe(revised[998]!.text);
      expect((await knowledge().getDocument(project.id, base, 'doc-0999'))?.text).toBe(documents[999]!.text);
    });

    it('deletes by id, returning how many existed', async () => {
      const { project, base } = await withBase();
      await knowledge().upsertDocuments(
        project.id,
        base,
        ['a', 'b', 'c', 'd'].map((id) => makeDocumentInput(id)),
      );
      expect(await knowledge().deleteDocuments(project.id, base, ['b', 'd', 'missing', 'b'])).toBe(2);
      expect(await knowledge().deleteDocuments(project.id, base, [])).toBe(0);
      expect(await knowledge().getDocument(project.id, base, 'b')).toBeNull();
      expect(await knowledge().countDocuments(project.id, base)).toBe(2);
      // Deleted documents come back as inserts.
      expect(await knowledge().upsertDocuments(project.id, base, [makeDocumentInput('b')])).toMatchObject({
        inserted: 1,
      });
    });

    it('lists documents by id (byte order) across pages, with or without their text', async () => {
      const { project, base } = await withBase();
      const ids = [
        ...Array.from({ length: 22 }, (_, index) => `doc-${String(index).padStart(2, '0')}`),
        'Zulu',
        'alpha',
        'doc/10',
      ];
      await knowledge().upsertDocuments(
        project.id,
        base,
        ids.map((id) => makeDocumentInput(id)),
      );
      const full = await collectPages((cursor) =>
        knowledge().listDocuments(project.id, base, { limit: 10, cursor }),
      );
      expect(full.map((page) => page.length)).toEqual([10, 10, 5]);
      const documents = full.flat();
      expect(documents.map((document) => document.id)).toEqual(byteOrder(ids));
      for (const document of documents)
        expect(document).toEqual(await knowledge().getDocument(project.id, base, document.id));

      const lean = await collectPages((cursor) =>
        knowledge().listDocuments(project.id, base, { limit: 7, cursor, withText: false }),
      );
      expect(lean.flat()).toEqual(documents.map((document) => ({ ...document, text: '' })));

      const exact = await knowledge().listDocuments(project.id, base, { limit: ids.length });
      expect(exact.nextCursor).toBeNull();
      const first = await knowledge().listDocuments(project.id, base, { limit: 3 });
      expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      // A cursor survives deletion of the row it points at.
      await knowledge().deleteDocuments(project.id, base, [first.data[2]!.id]);
      const next = await knowledge().listDocuments(project.id, base, { limit: 2, cursor: first.nextCursor! });
      expect(next.data.map((document) => document.id)).toEqual(byteOrder(ids).slice(3, 5));
    });

    it('rejects a foreign cursor and a bad limit (ValidationError)', async () => {
      const { project, base } = await withBase();
      for (const cursor of [
        'not-a-cursor',
        Buffer.from('[1]').toString('base64url'),
        Buffer.from('{}').toString('base64url'),
      ]) {
        await expect(
          knowledge().listDocuments(project.id, base, { limit: 5, cursor }),
        ).rejects.toBeInstanceOf(ValidationError);
      }
      await expect(knowledge().listDocuments(project.id, base, { limit: 0 })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });
  });

  describe('knowledge snapshots', () => {
    it('builds a snapshot: building is invisible, ready carries counts and moves latestSnapshot', async () => {
      const { project, base } = await withBase();
      const before = Date.now();
      const building = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: 'key_ci',
      });
      expect(building).toEqual({
        projectId: project.id,
        knowledgeBase: base,
        version: 1,
        status: 'building',
        settings: KNOWLEDGE_SETTINGS,
        documentCount: 0,
        chunkCount: 0,
        embeddingDimensions: null,
        createdAt: expect.any(Number),
        createdBy: 'key_ci',
      });
      expect(building.createdAt).toBeGreaterThanOrEqual(before);

      const content = makeSnapshotContent('doc', 3, 4, 8);
      await knowledge().addSnapshotContent(project.id, base, 1, content);
      // Not visible until ready.
      expect(await knowledge().getSnapshot(project.id, base)).toBeNull();
      expect(await knowledge().getSnapshot(project.id, base, 1)).toBeNull();
      expect(await knowledge().listSnapshots(project.id, base)).toEqual([]);
      expect(await knowledge().snapshotDocuments(project.id, base, 1)).toEqual([]);
      expect((await knowledge().snapshotChunks(project.id, base, 1, { limit: 100 })).data).toEqual([]);
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(0);

      const ready = await knowledge().finishSnapshot(project.id, base, 1, totals(3, 12, 8));
      expect(ready).toEqual({
        ...building,
        status: 'ready',
        documentCount: 3,
        chunkCount: 12,
        embeddingDimensions: 8,
      });
      expect(await knowledge().getSnapshot(project.id, base)).toEqual(ready);
      expect(await knowledge().getSnapshot(project.id, base, 1)).toEqual(ready);
      expect(await knowledge().listSnapshots(project.id, base)).toEqual([ready]);
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(1);
      expect(await knowledge().snapshotDocuments(project.id, base, 1)).toEqual(content.documents);
      expectSameChunks(await readAllChunks(project.id, base, 1, 100), content.chunks);
    });

    it('numbers snapshots latest+1, lists ready ones oldest first, getSnapshot() is the newest ready', async () => {
      const { project, base } = await withBase();
      const finished = [];
      for (const expected of [1, 2, 3]) {
        const snapshot = await knowledge().beginSnapshot(project.id, base, {
          settings: { ...KNOWLEDGE_SETTINGS, chunk_tokens: 100 * expected },
          createdBy: null,
        });
        expect(snapshot.version).toBe(expected);
        await knowledge().addSnapshotContent(
          project.id,
          base,
          expected,
          makeSnapshotContent(`v${expected}`, 1, 1, null),
        );
        finished.push(await knowledge().finishSnapshot(project.id, base, expected, totals(1, 1)));
      }
      expect(finished.map((snapshot) => snapshot.settings.chunk_tokens)).toEqual([100, 200, 300]);
      const building = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      expect(building.version).toBe(4);
      expect(await knowledge().listSnapshots(project.id, base)).toEqual(finished);
      expect(await knowledge().getSnapshot(project.id, base)).toEqual(finished[2]);
      expect(await knowledge().getSnapshot(project.id, base, 2)).toEqual(finished[1]);
      expect(await knowledge().getSnapshot(project.id, base, 4)).toBeNull();
      expect(await knowledge().getSnapshot(project.id, base, 9)).toBeNull();
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(3);
    });

    it(`gives ${PARALLEL_SNAPSHOTS} concurrent beginSnapshot calls distinct versions 1..${PARALLEL_SNAPSHOTS}`, async () => {
      const { project, base } = await withBase();
      const begun = await Promise.all(
        oneTo(PARALLEL_SNAPSHOTS).map((index) =>
          knowledge().beginSnapshot(project.id, base, {
            settings: KNOWLEDGE_SETTINGS,
            createdBy: `builder-${index}`,
          }),
        ),
      );
      expect(begun.map((snapshot) => snapshot.version).sort((left, right) => left - right)).toEqual(
        oneTo(PARALLEL_SNAPSHOTS),
      );
      // Each reserved number is usable by the call that got it, in any order.
      await Promise.all(
        begun.map(async (snapshot) => {
          await knowledge().addSnapshotContent(
            project.id,
            base,
            snapshot.version,
            makeSnapshotContent(`v${snapshot.version}`, 1, 2, 4),
          );
          return knowledge().finishSnapshot(project.id, base, snapshot.version, totals(1, 2, 4));
        }),
      );
      const listed = await knowledge().listSnapshots(project.id, base);
      expect(listed.map((snapshot) => snapshot.version)).toEqual(oneTo(PARALLEL_SNAPSHOTS));
      for (const snapshot of begun) expect(listed[snapshot.version - 1]?.createdBy).toBe(snapshot.createdBy);
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(PARALLEL_SNAPSHOTS);
    });

    it('keeps latestSnapshot at the newest ready version when snapshots finish out of order', async () => {
      const { project, base } = await withBase();
      const first = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      const second = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      await knowledge().finishSnapshot(project.id, base, second.version, totals(0, 0));
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(2);
      await knowledge().finishSnapshot(project.id, base, first.version, totals(0, 0));
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(2);
      expect((await knowledge().getSnapshot(project.id, base))?.version).toBe(2);
    });

    it('makes a ready snapshot immutable (ConflictError) and leaves its content as it was', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      const content = makeSnapshotContent('doc', 2, 3, 4);
      await knowledge().addSnapshotContent(project.id, base, 1, content);
      const ready = await knowledge().finishSnapshot(project.id, base, 1, totals(2, 6, 4));

      const extra = makeSnapshotContent('late', 1, 1, 4);
      await expect(knowledge().addSnapshotContent(project.id, base, 1, extra)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(
        knowledge().addSnapshotContent(project.id, base, 1, { documents: [], chunks: [] }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(knowledge().finishSnapshot(project.id, base, 1, totals(9, 9))).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(knowledge().abandonSnapshot(project.id, base, 1)).rejects.toBeInstanceOf(ConflictError);

      expect(await knowledge().getSnapshot(project.id, base, 1)).toEqual(ready);
      expect(await knowledge().snapshotDocuments(project.id, base, 1)).toEqual(content.documents);
      expectSameChunks(await readAllChunks(project.id, base, 1, 4), content.chunks);
    });

    it('refuses snapshot writes on a missing base or version (NotFoundError)', async () => {
      const { project, base } = await withBase();
      await expect(
        knowledge().beginSnapshot(project.id, 'nope', { settings: KNOWLEDGE_SETTINGS, createdBy: null }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        knowledge().addSnapshotContent(project.id, base, 1, makeSnapshotContent('doc', 1, 1, null)),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(knowledge().finishSnapshot(project.id, base, 1, totals(0, 0))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      // A chunk must belong to a document of the snapshot's manifest.
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      await expect(
        knowledge().addSnapshotContent(project.id, base, 1, {
          documents: [],
          chunks: [makeChunk('orphan', 0, null)],
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('writes a content batch atomically: a duplicate chunk fails the whole call (ConflictError)', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      const first = makeSnapshotContent('first', 1, 2, 4);
      await knowledge().addSnapshotContent(project.id, base, 1, first);
      const second = makeSnapshotContent('second', 2, 2, 4);
      const clash = { documents: second.documents, chunks: [...second.chunks, first.chunks[1]!] };
      await expect(knowledge().addSnapshotContent(project.id, base, 1, clash)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(knowledge().addSnapshotContent(project.id, base, 1, first)).rejects.toBeInstanceOf(
        ConflictError,
      );
      // The failed calls left nothing behind: the second batch still goes in whole.
      await knowledge().addSnapshotContent(project.id, base, 1, second);
      await knowledge().finishSnapshot(project.id, base, 1, totals(3, 6, 4));
      expect((await knowledge().snapshotDocuments(project.id, base, 1)).map((entry) => entry.id)).toEqual([
        ...first.documents.map((entry) => entry.id),
        ...second.documents.map((entry) => entry.id),
      ]);
      expectSameChunks(await readAllChunks(project.id, base, 1, 50), [...first.chunks, ...second.chunks]);
    });

    it('rejects invalid content and totals (ValidationError)', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      const entry = makeManifestEntry('doc', 1);
      for (const chunk of [
        makeChunk('doc', 0, null, { text: 'nul\u0000' }),
        makeChunk('doc', 0, null, { metadata: { nul: '\u0000' } }),
        makeChunk('doc', 0, null, { metadata: { heading: '\udc00' } }),
        makeChunk('doc', -1, null),
        makeChunk('doc', 0.5, null),
        makeChunk('doc', 2 ** 31, null),
        makeChunk('doc', 0, null, { tokenCount: Number.NaN }),
      ]) {
        await expect(
          knowledge().addSnapshotContent(project.id, base, 1, { documents: [entry], chunks: [chunk] }),
        ).rejects.toBeInstanceOf(ValidationError);
      }
      for (const bad of [totals(-1, 0), totals(0, 1.5), totals(0, 0, 0)]) {
        await expect(knowledge().finishSnapshot(project.id, base, 1, bad)).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
      expect(await knowledge().getSnapshot(project.id, base, 1)).toBeNull();
    });

    it('treats versions no snapshot can have as missing, and non-integer versions as invalid', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      await knowledge().finishSnapshot(project.id, base, 1, totals(0, 0));
      for (const version of [0, -1, 2 ** 31, 2 ** 53]) {
        expect(await knowledge().getSnapshot(project.id, base, version)).toBeNull();
        expect(await knowledge().snapshotDocuments(project.id, base, version)).toEqual([]);
        expect(await knowledge().snapshotChunks(project.id, base, version, { limit: 5 })).toEqual({
          data: [],
          nextCursor: null,
        });
        await expect(
          knowledge().addSnapshotContent(project.id, base, version, { documents: [], chunks: [] }),
        ).rejects.toBeInstanceOf(NotFoundError);
        await expect(
          knowledge().finishSnapshot(project.id, base, version, totals(0, 0)),
        ).rejects.toBeInstanceOf(NotFoundError);
        await knowledge().abandonSnapshot(project.id, base, version);
      }
      for (const version of [1.5, Number.NaN]) {
        await expect(knowledge().getSnapshot(project.id, base, version)).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(knowledge().snapshotDocuments(project.id, base, version)).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(knowledge().abandonSnapshot(project.id, base, version)).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
      expect((await knowledge().listSnapshots(project.id, base)).map((snapshot) => snapshot.version)).toEqual(
        [1],
      );
    });

    it('abandons a building snapshot with its rows; its number is not handed out again', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      await knowledge().addSnapshotContent(project.id, base, 1, makeSnapshotContent('doc', 2, 2, 4));
      await knowledge().abandonSnapshot(project.id, base, 1);
      // Gone: no more writes, nothing to read, abandoning again (or an unknown version) is a no-op.
      await expect(
        knowledge().addSnapshotContent(project.id, base, 1, makeSnapshotContent('more', 1, 1, 4)),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(knowledge().finishSnapshot(project.id, base, 1, totals(2, 4, 4))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await knowledge().abandonSnapshot(project.id, base, 1);
      await knowledge().abandonSnapshot(project.id, base, 42);

      const next = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      expect(next.version).toBe(2);
      // The same document and chunk ids go into the new snapshot without a clash.
      const content = makeSnapshotContent('doc', 2, 2, 4);
      await knowledge().addSnapshotContent(project.id, base, 2, content);
      await knowledge().finishSnapshot(project.id, base, 2, totals(2, 4, 4));
      expect((await knowledge().listSnapshots(project.id, base)).map((snapshot) => snapshot.version)).toEqual(
        [2],
      );
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(2);
      expectSameChunks(await readAllChunks(project.id, base, 2, 3), content.chunks);
    });

    it('round-trips embeddings bit-exactly: 384 and 1536 dimensions, array views, null', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      // A view at an odd float offset into a larger buffer must store only its own values.
      const backing = new Float32Array(1_536 + 3).map(
        (_, index) => (index % 2 === 0 ? -1 : 1) * (index + 0.125),
      );
      const chunks = [
        makeChunk('a', 0, 384),
        makeChunk('a', 1, 1_536),
        makeChunk('a', 2, null),
        makeChunk('a', 3, 1, { embedding: new Float32Array([-0]) }),
        makeChunk('b', 0, 0, { embedding: backing.subarray(3) }),
        makeChunk('b', 1, 4, {
          embedding: new Float32Array([3.4028234663852886e38, -1.1754943508222875e-38, 1e-45, -2.5]),
        }),
      ];
      const documents = [makeManifestEntry('a', 4), makeManifestEntry('b', 2)];
      await knowledge().addSnapshotContent(project.id, base, 1, { documents, chunks });
      await knowledge().finishSnapshot(project.id, base, 1, totals(2, 6, null));
      const read = await readAllChunks(project.id, base, 1, 2);
      expectSameChunks(read, chunks);
      expect(read[1]!.embedding).toHaveLength(1_536);
      expect(Object.is(read[3]!.embedding![0], -0)).toBe(true);
      for (const chunk of read) {
        if (chunk.embedding === null) continue;
        // Each embedding owns its memory: writing one cannot corrupt another.
        expect(chunk.embedding.byteOffset).toBe(0);
        expect(chunk.embedding.buffer.byteLength).toBe(chunk.embedding.byteLength);
      }
    });

    it('pages chunks in (document id, ordinal) order across pages, whatever the write order', async () => {
      const { project, base } = await withBase();
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      const ids = ['b', 'a', 'B', 'a-1', 'a/1'];
      const documents = ids.map((id) => makeManifestEntry(id, 12));
      // Ordinals 0..11, so ordering by ordinal as a number (10 after 9) is visible.
      const chunks = documents.flatMap((entry) =>
        [11, 3, 0, 7, 10, 1, 9, 2, 8, 4, 6, 5].map((ordinal) => makeChunk(entry.id, ordinal, 3)),
      );
      await knowledge().addSnapshotContent(project.id, base, 1, {
        documents: documents.slice(0, 2),
        chunks: [],
      });
      await knowledge().addSnapshotContent(project.id, base, 1, { documents: documents.slice(2), chunks });
      await knowledge().finishSnapshot(project.id, base, 1, totals(5, 60, 3));

      const expected = byteOrder(ids).flatMap((id) =>
        oneTo(12).map((ordinal) => makeChunk(id, ordinal - 1, 3)),
      );
      const pages = await collectPages((cursor) =>
        knowledge().snapshotChunks(project.id, base, 1, { limit: 7, cursor }),
      );
      expect(pages.map((page) => page.length)).toEqual([...Array(8).fill(7), 4]);
      expectSameChunks(pages.flat(), expected);
      expect((await knowledge().snapshotChunks(project.id, base, 1, { limit: 60 })).nextCursor).toBeNull();
      expect((await knowledge().snapshotDocuments(project.id, base, 1)).map((entry) => entry.id)).toEqual(
        byteOrder(ids),
      );
      for (const cursor of [
        'nope',
        Buffer.from('["a"]').toString('base64url'),
        Buffer.from('["a","1"]').toString('base64url'),
      ]) {
        await expect(
          knowledge().snapshotChunks(project.id, base, 1, { limit: 5, cursor }),
        ).rejects.toBeInstanceOf(ValidationError);
      }
      await expect(knowledge().snapshotChunks(project.id, base, 1, { limit: 0 })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    // Correctness at size only: how fast it writes is a benchmark's question (bench/), never a
    // timed assertion here, where a loaded CI machine would make it flaky.
    it('writes a 10,000-chunk snapshot (384 dimensions) in 5 batches and reads it back whole', {
      timeout: 60_000,
    }, async () => {
      const { project, base } = await withBase();
      const batches = oneTo(5).map((batch) => makeSnapshotContent(`batch${batch}`, 100, 20, 384));
      const snapshot = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      for (const batch of batches)
        await knowledge().addSnapshotContent(project.id, base, snapshot.version, batch);
      const ready = await knowledge().finishSnapshot(
        project.id,
        base,
        snapshot.version,
        totals(500, 10_000, 384),
      );
      expect(ready).toMatchObject({ documentCount: 500, chunkCount: 10_000, embeddingDimensions: 384 });

      const read = await readAllChunks(project.id, base, snapshot.version, 2_000);
      expectSameChunks(
        read,
        batches.flatMap((batch) => batch.chunks),
      );
      expect(await knowledge().snapshotDocuments(project.id, base, snapshot.version)).toEqual(
        batches.flatMap((batch) => batch.documents),
      );
    });
  });

  describe('knowledge tenancy', () => {
    /** A base named `name` with 2 documents and a ready snapshot of 2 documents × 2 chunks. */
    const seed = async (projectId: string, name: string, text: string) => {
      await knowledge().createBase(projectId, { name, settings: KNOWLEDGE_SETTINGS });
      await knowledge().upsertDocuments(projectId, name, [
        makeDocumentInput('a', { text }),
        makeDocumentInput('b', { text }),
      ]);
      await knowledge().beginSnapshot(projectId, name, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      await knowledge().addSnapshotContent(projectId, name, 1, makeSnapshotContent('doc', 2, 2, 4));
      return knowledge().finishSnapshot(projectId, name, 1, totals(2, 4, 4));
    };

    const view = async (projectId: string, name: string) => ({
      base: await knowledge().getBase(projectId, name),
      bases: await knowledge().listBases(projectId),
      documents: await knowledge().listDocuments(projectId, name, { limit: 10 }),
      count: await knowledge().countDocuments(projectId, name),
      snapshots: await knowledge().listSnapshots(projectId, name),
      manifest: await knowledge().snapshotDocuments(projectId, name, 1),
      chunks: await knowledge().snapshotChunks(projectId, name, 1, { limit: 10 }),
    });

    it("keeps another project's base of the same name invisible and untouchable", async () => {
      const mine = await newProject('mine');
      const theirs = await newProject('theirs');
      const name = 'handbook';
      await seed(mine.id, name, 'my text');
      const mineBefore = await view(mine.id, name);

      // Invisible.
      expect(await knowledge().getBase(theirs.id, name)).toBeNull();
      expect(await knowledge().listBases(theirs.id)).toEqual([]);
      expect(await knowledge().getDocument(theirs.id, name, 'a')).toBeNull();
      expect((await knowledge().listDocuments(theirs.id, name, { limit: 10 })).data).toEqual([]);
      expect(await knowledge().countDocuments(theirs.id, name)).toBe(0);
      expect(await knowledge().getSnapshot(theirs.id, name)).toBeNull();
      expect(await knowledge().getSnapshot(theirs.id, name, 1)).toBeNull();
      expect(await knowledge().listSnapshots(theirs.id, name)).toEqual([]);
      expect(await knowledge().snapshotDocuments(theirs.id, name, 1)).toEqual([]);
      expect((await knowledge().snapshotChunks(theirs.id, name, 1, { limit: 10 })).data).toEqual([]);
      // Untouchable.
      await expect(
        knowledge().upsertDocuments(theirs.id, name, [makeDocumentInput('a', { contentHash: 'x' })]),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await knowledge().deleteDocuments(theirs.id, name, ['a', 'b'])).toBe(0);
      await expect(
        knowledge().beginSnapshot(theirs.id, name, { settings: KNOWLEDGE_SETTINGS, createdBy: null }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        knowledge().addSnapshotContent(theirs.id, name, 1, makeSnapshotContent('x', 1, 1, null)),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(knowledge().finishSnapshot(theirs.id, name, 1, totals(0, 0))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await knowledge().abandonSnapshot(theirs.id, name, 1);

      // Theirs creates the same name and numbers its own snapshots from 1.
      const theirSnapshot = await seed(theirs.id, name, 'their text');
      expect(theirSnapshot.version).toBe(1);
      expect((await knowledge().getDocument(theirs.id, name, 'a'))?.text).toBe('their text');
      expect(await view(mine.id, name)).toEqual(mineBefore);
    });

    it('deleting a project removes its bases, documents and snapshots, and only its own', async () => {
      const doomed = await newProject('doomed');
      const kept = await newProject('kept');
      await seed(doomed.id, 'handbook', 'doomed text');
      await seed(kept.id, 'handbook', 'kept text');
      const keptBefore = await view(kept.id, 'handbook');

      expect(await current().projects.delete(doomed.id)).toBe(true);
      // Re-created with the same id, the project starts empty: the rows are gone, not hidden.
      await current().projects.create({ id: doomed.id, name: doomed.name });
      expect(await view(doomed.id, 'handbook')).toEqual({
        base: null,
        bases: [],
        documents: { data: [], nextCursor: null },
        count: 0,
        snapshots: [],
        manifest: [],
        chunks: { data: [], nextCursor: null },
      });
      const again = await seed(doomed.id, 'handbook', 'new text');
      expect(again.version).toBe(1);
      expect((await knowledge().getDocument(doomed.id, 'handbook', 'a'))?.text).toBe('new text');
      expect(await view(kept.id, 'handbook')).toEqual(keptBefore);
    });
  });
}

/**
 * The knowledge lifecycle part of the Store contract: deleting a snapshot (refused while a
 * stack version pins it, or while it is the base's latest; invisible at once, rows purged in
 * bounded batches), expiring builds that stopped heartbeating (a crashed build), and deleting
 * a whole base under the same refusal rules. Both dialects must behave alike.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, type Project } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import {
  collectPages,
  KNOWLEDGE_SETTINGS,
  makeDocumentInput,
  makeSnapshotContent,
  makeStackInput,
  makeStackSpec,
  uniqueName,
} from './contract-fixtures.js';

const totals = (documentCount: number, chunkCount: number) => ({
  documentCount,
  chunkCount,
  embeddingDimensions: 4,
});

export function describeKnowledgeLifecycleContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  const knowledge = () => current().knowledge;

  /** A project with one base holding `count` ready snapshots of 3 documents × 4 chunks. */
  const withSnapshots = async (count: number): Promise<{ project: Project; base: string }> => {
    const project = await newProject();
    const base = uniqueName('kb');
    await knowledge().createBase(project.id, { name: base, settings: KNOWLEDGE_SETTINGS });
    for (let index = 0; index < count; index++) {
      const snapshot = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      await knowledge().addSnapshotContent(
        project.id,
        base,
        snapshot.version,
        makeSnapshotContent('doc', 3, 4, 4),
      );
      await knowledge().finishSnapshot(project.id, base, snapshot.version, totals(3, 12));
    }
    return { project, base };
  };

  const chunksOf = async (projectId: string, base: string, version: number) =>
    (
      await collectPages((cursor) =>
        knowledge().snapshotChunks(projectId, base, version, { limit: 5, cursor }),
      )
    ).flat();

  /** Purges a deleted snapshot batch by batch; returns the batch sizes. */
  const purge = async (projectId: string, base: string, version: number, batchSize: number) => {
    const batches: number[] = [];
    for (;;) {
      const deleted = await knowledge().purgeSnapshot(projectId, base, version, batchSize);
      if (deleted === 0) return batches;
      batches.push(deleted);
    }
  };

  describe('knowledge snapshot deletion', () => {
    it('hides a deleted snapshot at once, purges its rows in bounded batches, keeps the others', async () => {
      const { project, base } = await withSnapshots(3);
      await knowledge().deleteSnapshot(project.id, base, 2);
      expect(await knowledge().getSnapshot(project.id, base, 2)).toBeNull();
      expect((await knowledge().listSnapshots(project.id, base)).map((snapshot) => snapshot.version)).toEqual(
        [1, 3],
      );
      expect(await chunksOf(project.id, base, 2)).toEqual([]);
      expect(await knowledge().snapshotDocuments(project.id, base, 2)).toEqual([]);
      expect(await knowledge().listDeletedSnapshots(10)).toContainEqual({
        projectId: project.id,
        base,
        version: 2,
      });

      // 12 chunks + 3 manifest entries + the snapshot row, never more than 5 rows at a time.
      const batches = await purge(project.id, base, 2, 5);
      expect(batches.every((size) => size <= 5)).toBe(true);
      expect(batches.reduce((sum, size) => sum + size, 0)).toBe(16);
      expect(await knowledge().listDeletedSnapshots(1000)).not.toContainEqual({
        projectId: project.id,
        base,
        version: 2,
      });
      // The other snapshots are whole.
      expect(await chunksOf(project.id, base, 1)).toHaveLength(12);
      expect(await chunksOf(project.id, base, 3)).toHaveLength(12);
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(3);
      // Deleting it again: not found.
      await expect(knowledge().deleteSnapshot(project.id, base, 2)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses a snapshot pinned by stack versions (ConflictError naming them) and changes nothing', async () => {
      const { project, base } = await withSnapshots(2);
      const stack = uniqueName('bot');
      const pinned = makeStackSpec({ knowledge: { name: base, snapshot: 1 } });
      await current().stacks.createVersion(project.id, makeStackInput(stack, { spec: pinned }));
      await current().stacks.createVersion(project.id, makeStackInput(stack));
      await current().stacks.createVersion(project.id, makeStackInput(stack, { spec: pinned }));
      const refused = await knowledge()
        .deleteSnapshot(project.id, base, 1)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConflictError);
      expect((refused as ConflictError).message).toContain(`${stack}@1`);
      expect((refused as ConflictError).message).toContain(`${stack}@3`);
      expect((refused as ConflictError).details).toEqual({
        stack_versions: [
          { stack, version: 1 },
          { stack, version: 3 },
        ],
      });
      expect(await knowledge().getSnapshot(project.id, base, 1)).not.toBeNull();
      expect(await chunksOf(project.id, base, 1)).toHaveLength(12);
    });

    it("ignores another project's stack pinning the same base name and version", async () => {
      const { project, base } = await withSnapshots(2);
      const other = await newProject();
      await knowledge().createBase(other.id, { name: base, settings: KNOWLEDGE_SETTINGS });
      await knowledge().beginSnapshot(other.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      await knowledge().addSnapshotContent(other.id, base, 1, makeSnapshotContent('doc', 1, 1, 4));
      await knowledge().finishSnapshot(other.id, base, 1, totals(1, 1));
      await current().stacks.createVersion(
        other.id,
        makeStackInput(uniqueName('bot'), {
          spec: makeStackSpec({ knowledge: { name: base, snapshot: 1 } }),
        }),
      );
      await knowledge().deleteSnapshot(project.id, base, 1);
      expect(await knowledge().getSnapshot(project.id, base, 1)).toBeNull();
    });

    it('refuses the latest snapshot (ConflictError), and unknown or building versions (NotFoundError)', async () => {
      const { project, base } = await withSnapshots(2);
      await expect(knowledge().deleteSnapshot(project.id, base, 2)).rejects.toBeInstanceOf(ConflictError);
      await expect(knowledge().deleteSnapshot(project.id, base, 7)).rejects.toBeInstanceOf(NotFoundError);
      await expect(knowledge().deleteSnapshot(project.id, base, 0)).rejects.toBeInstanceOf(NotFoundError);
      await knowledge().beginSnapshot(project.id, base, { settings: KNOWLEDGE_SETTINGS, createdBy: null });
      await expect(knowledge().deleteSnapshot(project.id, base, 3)).rejects.toBeInstanceOf(NotFoundError);
      expect((await knowledge().listSnapshots(project.id, base)).map((snapshot) => snapshot.version)).toEqual(
        [1, 2],
      );
    });

    it('refuses to pin a deleted snapshot in a new stack version (NotFoundError)', async () => {
      const { project, base } = await withSnapshots(2);
      await knowledge().deleteSnapshot(project.id, base, 1);
      await expect(
        current().stacks.createVersion(
          project.id,
          makeStackInput(uniqueName('bot'), {
            spec: makeStackSpec({ knowledge: { name: base, snapshot: 1 } }),
          }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('snapshot deletion racing a new pin', () => {
    it('never lets a stack version pin a snapshot that is deleted at the same time', async () => {
      const rounds = 8;
      const { project, base } = await withSnapshots(rounds + 1);
      for (let version = 1; version <= rounds; version++) {
        const [deleted, pinned] = await Promise.allSettled([
          knowledge().deleteSnapshot(project.id, base, version),
          current().stacks.createVersion(
            project.id,
            makeStackInput(uniqueName('race'), {
              spec: makeStackSpec({ knowledge: { name: base, snapshot: version } }),
            }),
          ),
        ]);
        // Exactly one wins: deleted (the pin is refused), or pinned (the deletion is refused).
        expect([deleted.status, pinned.status].sort()).toEqual(['fulfilled', 'rejected']);
        const snapshot = await knowledge().getSnapshot(project.id, base, version);
        expect(snapshot === null).toBe(deleted.status === 'fulfilled');
      }
    });
  });

  describe('stale building snapshots', () => {
    it('expires builds with no heartbeat since the cutoff; later writes to them fail (NotFoundError)', async () => {
      const { project, base } = await withSnapshots(1);
      const crashed = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      await knowledge().addSnapshotContent(
        project.id,
        base,
        crashed.version,
        makeSnapshotContent('doc', 2, 2, 4),
      );
      // A cutoff before the last heartbeat expires nothing.
      expect(await knowledge().expireStaleBuilds(crashed.createdAt - 1)).not.toContainEqual({
        projectId: project.id,
        base,
        version: crashed.version,
      });
      const expired = await knowledge().expireStaleBuilds(Date.now() + 1);
      expect(expired).toContainEqual({ projectId: project.id, base, version: crashed.version });
      await expect(
        knowledge().addSnapshotContent(
          project.id,
          base,
          crashed.version,
          makeSnapshotContent('late', 1, 1, 4),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        knowledge().finishSnapshot(project.id, base, crashed.version, totals(2, 4)),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await purge(project.id, base, crashed.version, 3)).not.toEqual([]);
      // Ready snapshots are never expired.
      expect(await chunksOf(project.id, base, 1)).toHaveLength(12);
      expect((await knowledge().getBase(project.id, base))?.latestSnapshot).toBe(1);
    });

    it('counts each content batch as a heartbeat: a build still writing is not expired', async () => {
      const { project, base } = await withSnapshots(0);
      const building = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      // Let the clock move past the creation time, then heartbeat.
      while (Date.now() <= building.createdAt + 1) await new Promise((resolve) => setImmediate(resolve));
      await knowledge().addSnapshotContent(
        project.id,
        base,
        building.version,
        makeSnapshotContent('doc', 1, 1, 4),
      );
      expect(await knowledge().expireStaleBuilds(building.createdAt + 1)).not.toContainEqual({
        projectId: project.id,
        base,
        version: building.version,
      });
      const ready = await knowledge().finishSnapshot(project.id, base, building.version, totals(1, 1));
      expect(ready.status).toBe('ready');
    });
  });

  describe('knowledge base deletion', () => {
    it('deletes a base with its documents and snapshots; the name can be used again', async () => {
      const { project, base } = await withSnapshots(2);
      await knowledge().upsertDocuments(project.id, base, [makeDocumentInput('a'), makeDocumentInput('b')]);
      await knowledge().deleteBase(project.id, base);
      expect(await knowledge().getBase(project.id, base)).toBeNull();
      expect(await knowledge().listBases(project.id)).toEqual([]);
      for (const ref of (await knowledge().listDeletedSnapshots(1000)).filter(
        (ref) => ref.projectId === project.id,
      )) {
        await purge(ref.projectId, ref.base, ref.version, 4);
      }
      while ((await knowledge().purgeBase(project.id, base, 4)) > 0) {}
      const again = await knowledge().createBase(project.id, { name: base, settings: KNOWLEDGE_SETTINGS });
      expect(again.latestSnapshot).toBe(0);
      expect(await knowledge().countDocuments(project.id, base)).toBe(0);
      expect(await knowledge().listSnapshots(project.id, base)).toEqual([]);
      // Snapshot numbers are never reused under one name: a replica may still hold the old
      // base's snapshot 1 in memory, and must not take it for the new one's.
      const next = await knowledge().beginSnapshot(project.id, base, {
        settings: KNOWLEDGE_SETTINGS,
        createdBy: null,
      });
      expect(next.version).toBe(3);
      await expect(
        knowledge().createBase(project.id, { name: base, settings: KNOWLEDGE_SETTINGS }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(knowledge().deleteBase(project.id, uniqueName('missing'))).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('keeps the name taken (ConflictError) while the deleted base is not purged yet', async () => {
      const { project, base } = await withSnapshots(1);
      await knowledge().deleteBase(project.id, base);
      await expect(
        knowledge().createBase(project.id, { name: base, settings: KNOWLEDGE_SETTINGS }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await knowledge().listDeletedBases(1000)).toContainEqual({ projectId: project.id, base });
      while ((await knowledge().purgeBase(project.id, base, 100)) > 0) {}
      expect(await knowledge().listDeletedBases(1000)).not.toContainEqual({ projectId: project.id, base });
      expect(
        (await knowledge().createBase(project.id, { name: base, settings: KNOWLEDGE_SETTINGS })).name,
      ).toBe(base);
    });

    it('refuses a base any of whose snapshots a stack version pins (ConflictError), changing nothing', async () => {
      const { project, base } = await withSnapshots(2);
      const stack = uniqueName('bot');
      await current().stacks.createVersion(
        project.id,
        makeStackInput(stack, { spec: makeStackSpec({ knowledge: { name: base, snapshot: 2 } }) }),
      );
      const refused = await knowledge()
        .deleteBase(project.id, base)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConflictError);
      expect((refused as ConflictError).message).toContain(`${stack}@1`);
      expect(await knowledge().getBase(project.id, base)).not.toBeNull();
      expect(await chunksOf(project.id, base, 1)).toHaveLength(12);
    });
  });
}

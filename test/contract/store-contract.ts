/**
 * The one Store contract suite, run against every backend (sqlite.test.ts, postgres.test.ts).
 * `makeStore(name)` opens a store on a database of that name (default: the suite's main one),
 * migrated; every test works in projects with unique names, so tests share one database
 * without seeing each other. Trace behaviour lives in trace-contract.ts; the registry (prompts,
 * adapters, stacks) in registry-contract.ts, deployment-contract.ts and
 * registry-tenancy-contract.ts; knowledge bases, documents and snapshots in knowledge-contract.ts;
 * guard policies in guard-policy-contract.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  hashApiKey,
  NotFoundError,
  newApiKeySecret,
  ValidationError,
} from '../../src/core/index.js';
import type { CreateApiKeyInput, Store } from '../../src/store/index.js';
import { collectPages, type MakeStore, makeSpan, makeTrace, uniqueName } from './contract-fixtures.js';
import { describeDeploymentContract } from './deployment-contract.js';
import { describeGuardPolicyContract } from './guard-policy-contract.js';
import { describeKnowledgeContract } from './knowledge-contract.js';
import { describeKnowledgeLifecycleContract } from './knowledge-lifecycle-contract.js';
import { describeRegistryContract } from './registry-contract.js';
import { describeRegistryTenancyContract } from './registry-tenancy-contract.js';
import { describeTraceContract } from './trace-contract.js';

export function runStoreContract(name: 'sqlite' | 'postgres', makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    const opened: Store[] = [];
    const current = (): Store => {
      if (store === undefined) throw new Error('store not opened');
      return store;
    };
    const open: MakeStore = async (database) => {
      const next = await makeStore(database);
      opened.push(next);
      return next;
    };

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await Promise.all(opened.map((each) => each.close()));
    });

    const newProject = (label = 'project') => current().projects.create({ name: uniqueName(label) });
    const keyInput = (projectId: string, extra: Partial<CreateApiKeyInput> = {}): CreateApiKeyInput => {
      const secret = newApiKeySecret();
      return {
        projectId,
        name: 'ci',
        role: 'developer',
        prefix: secret.slice(0, 10),
        hash: hashApiKey(secret),
        ...extra,
      };
    };

    it('reports its dialect', () => {
      expect(current().dialect).toBe(name);
    });

    describe('projects', () => {
      it('creates, reads by id and by name', async () => {
        const before = Date.now();
        const project = await newProject();
        expect(project.id).toMatch(/^proj_/);
        expect(project.isDemo).toBe(false);
        expect(project.createdAt).toBeGreaterThanOrEqual(before);
        expect(await current().projects.get(project.id)).toEqual(project);
        expect(await current().projects.getByName(project.name)).toEqual(project);
      });

      it('accepts a fixed id and the demo flag', async () => {
        const id = uniqueName('proj_fixed');
        const project = await current().projects.create({ id, name: uniqueName('demo'), isDemo: true });
        expect(project).toMatchObject({ id, isDemo: true });
        expect(await current().projects.get(id)).toEqual(project);
      });

      it('returns null for unknown ids and names', async () => {
        expect(await current().projects.get('proj_missing')).toBeNull();
        expect(await current().projects.getByName(uniqueName('missing'))).toBeNull();
      });

      it('maps a taken name or id to ConflictError (409)', async () => {
        const project = await newProject();
        const byName = await current()
          .projects.create({ name: project.name })
          .catch((error: unknown) => error);
        expect(byName).toBeInstanceOf(ConflictError);
        expect(byName).toMatchObject({ code: 'conflict', status: 409 });
        const byId = await current()
          .projects.create({ id: project.id, name: uniqueName('other') })
          .catch((error: unknown) => error);
        expect(byId).toBeInstanceOf(ConflictError);
      });

      it('lists projects ordered by name', async () => {
        const second = await newProject('zz-second');
        const first = await newProject('aa-first');
        const listed = await current().projects.list();
        expect(listed).toContainEqual(first);
        const names = listed.map((project) => project.name);
        expect(names.indexOf(first.name)).toBeLessThan(names.indexOf(second.name));
        expect(names).toEqual([...names].sort());
      });

      it('deletes a project with every row scoped to it, and only those', async () => {
        const doomed = await newProject('doomed');
        const kept = await newProject('kept');
        const seed = async (projectId: string) => {
          const key = await current().apiKeys.create(keyInput(projectId));
          await current().audit.append({
            projectId,
            actorKeyId: key.id,
            action: 'key.create',
            targetType: 'api_key',
            targetId: key.id,
          });
          const trace = makeTrace(projectId);
          await current().traces.writeBatch({ traces: [trace], spans: [makeSpan(trace)] });
          return { key, trace };
        };
        const doomedRows = await seed(doomed.id);
        const keptRows = await seed(kept.id);

        expect(await current().projects.delete(doomed.id)).toBe(true);
        expect(await current().projects.delete(doomed.id)).toBe(false);
        expect(await current().projects.get(doomed.id)).toBeNull();
        expect(await current().apiKeys.findByHash(doomedRows.key.hash)).toBeNull();
        expect(await current().apiKeys.list(doomed.id)).toEqual([]);
        expect((await current().audit.list(doomed.id, { limit: 10 })).data).toEqual([]);
        expect((await current().traces.list(doomed.id, { limit: 10 })).data).toEqual([]);
        expect(await current().traces.get(doomed.id, doomedRows.trace.id)).toBeNull();

        expect(await current().apiKeys.findByHash(keptRows.key.hash)).toEqual(keptRows.key);
        expect((await current().audit.list(kept.id, { limit: 10 })).data).toHaveLength(1);
        expect((await current().traces.get(kept.id, keptRows.trace.id))?.spans).toHaveLength(1);

        // A project re-created with the same id starts empty: nothing survived in trace_parts either.
        await current().projects.create({ id: doomed.id, name: doomed.name });
        await current().traces.writeBatch({ traces: [doomedRows.trace], spans: [] });
        const again = await current().traces.get(doomed.id, doomedRows.trace.id);
        expect(again?.trace.inputTokens).toBe(doomedRows.trace.inputTokens);
        expect(again?.spans).toEqual([]);
      });
    });

    describe('api keys', () => {
      it('creates, finds by hash, gets and lists within the project', async () => {
        const project = await newProject();
        const input = keyInput(project.id, { role: 'admin', name: 'admin key' });
        const key = await current().apiKeys.create(input);
        expect(key).toMatchObject({ ...input, instanceAdmin: false, revokedAt: null });
        expect(key.id).toMatch(/^key_/);
        expect(await current().apiKeys.findByHash(input.hash)).toEqual(key);
        expect(await current().apiKeys.get(project.id, key.id)).toEqual(key);
        const second = await current().apiKeys.create(keyInput(project.id, { role: 'client' }));
        expect((await current().apiKeys.list(project.id)).map((each) => each.id)).toEqual([
          key.id,
          second.id,
        ]);
        expect(await current().apiKeys.findByHash(hashApiKey('sk-so-unknown'))).toBeNull();
      });

      it('maps a duplicate hash to ConflictError and an unknown project to NotFoundError', async () => {
        const project = await newProject();
        const input = keyInput(project.id);
        await current().apiKeys.create(input);
        await expect(current().apiKeys.create(input)).rejects.toBeInstanceOf(ConflictError);
        const missing = await current()
          .apiKeys.create(keyInput('proj_missing'))
          .catch((error: unknown) => error);
        expect(missing).toBeInstanceOf(NotFoundError);
        expect(missing).toMatchObject({ status: 404 });
      });

      it('revokes idempotently, keeping the first time, and still finds revoked keys by hash', async () => {
        const project = await newProject();
        const key = await current().apiKeys.create(keyInput(project.id));
        const revoked = await current().apiKeys.revoke(project.id, key.id);
        expect(revoked?.revokedAt).toEqual(expect.any(Number));
        await new Promise((resolve) => setTimeout(resolve, 5));
        const again = await current().apiKeys.revoke(project.id, key.id);
        expect(again?.revokedAt).toBe(revoked?.revokedAt);
        expect((await current().apiKeys.findByHash(key.hash))?.revokedAt).toBe(revoked?.revokedAt);
        expect(await current().apiKeys.revoke(project.id, 'key_missing')).toBeNull();
      });

      it('keeps project B away from project A keys', async () => {
        const a = await newProject('a');
        const b = await newProject('b');
        const key = await current().apiKeys.create(keyInput(a.id));
        expect(await current().apiKeys.get(b.id, key.id)).toBeNull();
        expect(await current().apiKeys.list(b.id)).toEqual([]);
        expect(await current().apiKeys.revoke(b.id, key.id)).toBeNull();
        expect((await current().apiKeys.get(a.id, key.id))?.revokedAt).toBeNull();
      });

      it('counts active instance admins across projects', async () => {
        const baseline = await current().apiKeys.countActiveInstanceAdmins();
        const a = await newProject('a');
        const b = await newProject('b');
        const adminA = await current().apiKeys.create(keyInput(a.id, { role: 'admin', instanceAdmin: true }));
        await current().apiKeys.create(keyInput(b.id, { role: 'admin', instanceAdmin: true }));
        await current().apiKeys.create(keyInput(b.id, { role: 'admin' }));
        expect(await current().apiKeys.countActiveInstanceAdmins()).toBe(baseline + 2);
        await current().apiKeys.revoke(a.id, adminA.id);
        expect(await current().apiKeys.countActiveInstanceAdmins()).toBe(baseline + 1);
        await current().projects.delete(b.id);
        expect(await current().apiKeys.countActiveInstanceAdmins()).toBe(baseline);
      });
    });

    describe('audit', () => {
      it('appends with defaults and lists newest first', async () => {
        const project = await newProject();
        const entry = await current().audit.append({
          projectId: project.id,
          actorKeyId: null,
          action: 'project.create',
          targetType: 'project',
          targetId: project.id,
        });
        expect(entry).toMatchObject({ projectId: project.id, actorKeyId: null, details: {} });
        expect(entry.id).toMatch(/^aud_/);
        const details = { before: { role: 'viewer' }, after: { role: 'admin' }, tags: ['a', 1, null] };
        await new Promise((resolve) => setTimeout(resolve, 2));
        const later = await current().audit.append({
          projectId: project.id,
          actorKeyId: 'key_actor',
          action: 'key.update',
          targetType: 'api_key',
          targetId: 'key_x',
          details,
        });
        const page = await current().audit.list(project.id, { limit: 10 });
        expect(page).toEqual({ data: [later, entry], nextCursor: null });
        expect(page.data[0]?.details).toEqual(details);
      });

      it('paginates with cursors, never repeating or skipping, scoped to the project', async () => {
        const a = await newProject('a');
        const b = await newProject('b');
        const appended = [];
        for (let index = 0; index < 23; index++) {
          const entry = {
            actorKeyId: null,
            action: `step.${index}`,
            targetType: 'test',
            targetId: String(index),
          };
          appended.push(await current().audit.append({ projectId: a.id, ...entry }));
          if (index % 5 === 0) await current().audit.append({ projectId: b.id, ...entry });
        }
        const pages = await collectPages((cursor) => current().audit.list(a.id, { limit: 10, cursor }));
        expect(pages.map((page) => page.length)).toEqual([10, 10, 3]);
        const listed = pages.flat();
        expect(new Set(listed.map((entry) => entry.id)).size).toBe(23);
        expect(listed.map((entry) => entry.id).sort()).toEqual(appended.map((entry) => entry.id).sort());
        for (let index = 1; index < listed.length; index++) {
          expect(listed[index - 1]!.createdAt).toBeGreaterThanOrEqual(listed[index]!.createdAt);
        }
        expect(listed.every((entry) => entry.projectId === a.id)).toBe(true);
        // A cursor taken from A's listing reveals nothing of A when used for B.
        const first = await current().audit.list(a.id, { limit: 1 });
        const other = await current().audit.list(b.id, { limit: 50, cursor: first.nextCursor ?? undefined });
        expect(other.data.every((entry) => entry.projectId === b.id)).toBe(true);
      });

      it('rejects malformed cursors and limits with ValidationError, unknown projects with NotFoundError', async () => {
        const project = await newProject();
        await expect(
          current().audit.list(project.id, { limit: 10, cursor: 'not-a-cursor' }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(current().audit.list(project.id, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
        await expect(
          current().audit.append({
            projectId: 'proj_missing',
            actorKeyId: null,
            action: 'x',
            targetType: 'x',
            targetId: 'x',
          }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('lifecycle', () => {
      it('migrate() is idempotent and data survives reopening', async () => {
        const project = await newProject();
        await current().migrate();
        await current().migrate();
        const reopened = await open();
        expect(await reopened.projects.get(project.id)).toEqual(project);
        await reopened.close();
        await reopened.close();
      });

      it('migrates a fresh database once when several instances start together', async () => {
        const database = uniqueName('fresh').replace('-', '_');
        const stores = await Promise.all([open(database), open(database), open(database)]);
        const project = await stores[0]!.projects.create({ name: 'shared' });
        for (const each of stores) expect(await each.projects.get(project.id)).toEqual(project);
        expect(await current().projects.getByName('shared')).toBeNull();
      });

      it('close() waits for trace batches in flight', async () => {
        const project = await newProject();
        const closing = await open();
        const trace = makeTrace(project.id);
        const spans = Array.from({ length: 500 }, () => makeSpan(trace));
        const written = closing.traces.writeBatch({ traces: [trace], spans });
        await closing.close();
        await written;
        expect((await current().traces.get(project.id, trace.id))?.spans).toHaveLength(500);
      });
    });

    describeTraceContract(current, newProject);
    describeRegistryContract(current, newProject);
    describeDeploymentContract(current, newProject);
    describeRegistryTenancyContract(current, newProject);
    describeKnowledgeContract(current, newProject);
    describeKnowledgeLifecycleContract(current, newProject);
    describeGuardPolicyContract(current, newProject);
  });
}

/**
 * The registry part of the Store contract: prompts (append-only versions, movable labels),
 * adapters and stack versions. Version numbers are latest+1 with no gap or duplicate, also
 * under concurrent pushes; JSON content round-trips exactly; everything is scoped by project
 * and goes with it. Deployments live in deployment-contract.ts.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, type Project } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import {
  KNOWLEDGE_SETTINGS,
  makeAdapterInput,
  makePromptInput,
  makeSnapshotContent,
  makeStackInput,
  makeStackSpec,
  uniqueName,
} from './contract-fixtures.js';

const PARALLEL_PUSHES = 20;
const oneTo = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);
const byteOrder = (names: readonly string[]): string[] =>
  [...names].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));

export function describeRegistryContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  describe('prompts', () => {
    it('creates the prompt on first push and appends versions latest+1, oldest first', async () => {
      const project = await newProject();
      const name = uniqueName('prompt');
      const before = Date.now();
      const first = await current().prompts.createVersion(project.id, makePromptInput(name));
      const second = await current().prompts.createVersion(
        project.id,
        makePromptInput(name, { commitMessage: 'tighter', contentHash: 'd'.repeat(64) }),
      );
      expect(first).toMatchObject({ projectId: project.id, promptName: name, version: 1 });
      expect(first.promptId).toMatch(/^prompt_/);
      expect(first.createdAt).toBeGreaterThanOrEqual(before);
      expect(second).toMatchObject({ promptId: first.promptId, version: 2, commitMessage: 'tighter' });

      const prompt = await current().prompts.get(project.id, name);
      expect(prompt).toEqual({
        id: first.promptId,
        projectId: project.id,
        name,
        latestVersion: 2,
        labels: {},
        createdAt: first.createdAt,
      });
      expect(await current().prompts.getVersion(project.id, name, 1)).toEqual(first);
      expect(await current().prompts.getVersion(project.id, name, 2)).toEqual(second);
      expect(await current().prompts.listVersions(project.id, name)).toEqual([first, second]);
    });

    it('round-trips content exactly: unicode, nested params, null message and author', async () => {
      const project = await newProject();
      const input = makePromptInput(uniqueName('prompt-ünïcødé'), {
        messages: [
          { role: 'system', content: 'Réponds en 中文 et en emoji 🧪👋\nligne 2 «{{tone}}» \\ "quotes"' },
          { role: 'developer', content: '' },
          { role: 'assistant', content: 'Ok {{name}}' },
        ],
        variables: {
          tone: { required: false, default: 'poli', description: 'ton — registre' },
          name: { required: true },
        },
        params: {
          temperature: 0.7,
          stop: ['\n\n', '###'],
          nested: { deep: [1, 2.5, { flag: true, none: null }], empty: {}, list: [] },
        },
        commitMessage: null,
        author: null,
      });
      const created = await current().prompts.createVersion(project.id, input);
      const read = await current().prompts.getVersion(project.id, input.name, 1);
      expect(read).toEqual(created);
      expect(read).toMatchObject({
        messages: input.messages,
        variables: input.variables,
        params: input.params,
        commitMessage: null,
        author: null,
        contentHash: input.contentHash,
      });
    });

    it(`gives ${PARALLEL_PUSHES} concurrent pushes of a new prompt distinct versions 1..${PARALLEL_PUSHES}`, async () => {
      const project = await newProject();
      const name = uniqueName('contended');
      const created = await Promise.all(
        oneTo(PARALLEL_PUSHES).map((index) =>
          current().prompts.createVersion(
            project.id,
            makePromptInput(name, { commitMessage: `push ${index}` }),
          ),
        ),
      );
      expect(created.map((version) => version.version).sort((left, right) => left - right)).toEqual(
        oneTo(PARALLEL_PUSHES),
      );
      expect(new Set(created.map((version) => version.promptId)).size).toBe(1);
      const listed = await current().prompts.listVersions(project.id, name);
      expect(listed.map((version) => version.version)).toEqual(oneTo(PARALLEL_PUSHES));
      // Each stored version holds the content of the call that got its number.
      for (const version of created) expect(listed[version.version - 1]).toEqual(version);
      expect((await current().prompts.get(project.id, name))?.latestVersion).toBe(PARALLEL_PUSHES);
    });

    it('returns null or empty for unknown prompts and versions', async () => {
      const project = await newProject();
      const name = uniqueName('prompt');
      expect(await current().prompts.get(project.id, name)).toBeNull();
      expect(await current().prompts.getVersion(project.id, name, 1)).toBeNull();
      expect(await current().prompts.listVersions(project.id, name)).toEqual([]);
      expect(await current().prompts.list(project.id)).toEqual([]);
      await current().prompts.createVersion(project.id, makePromptInput(name));
      expect(await current().prompts.getVersion(project.id, name, 2)).toBeNull();
      expect(await current().prompts.getVersion(project.id, name, 0)).toBeNull();
    });

    it('lists prompts by name (byte order) with their labels', async () => {
      const project = await newProject();
      const names = ['beta', 'Alpha', 'alpha', 'gamma-2', 'gamma-10'];
      for (const name of names) await current().prompts.createVersion(project.id, makePromptInput(name));
      await current().prompts.createVersion(project.id, makePromptInput('beta'));
      await current().prompts.setLabel(project.id, 'beta', 'production', 1);
      await current().prompts.setLabel(project.id, 'beta', 'staging', 2);
      await current().prompts.setLabel(project.id, 'alpha', 'production', 1);
      const listed = await current().prompts.list(project.id);
      expect(listed.map((prompt) => prompt.name)).toEqual(byteOrder(names));
      const byName = new Map(listed.map((prompt) => [prompt.name, prompt]));
      expect(byName.get('beta')).toMatchObject({ latestVersion: 2, labels: { production: 1, staging: 2 } });
      expect(byName.get('alpha')?.labels).toEqual({ production: 1 });
      expect(byName.get('Alpha')?.labels).toEqual({});
      for (const prompt of listed)
        expect(await current().prompts.get(project.id, prompt.name)).toEqual(prompt);
    });

    it('creates and moves labels, and deletes them', async () => {
      const project = await newProject();
      const name = uniqueName('prompt');
      for (const _ of oneTo(3)) await current().prompts.createVersion(project.id, makePromptInput(name));

      const labelled = await current().prompts.setLabel(project.id, name, 'production', 1);
      expect(labelled).toMatchObject({ name, latestVersion: 3, labels: { production: 1 } });
      await current().prompts.setLabel(project.id, name, 'staging', 3);
      const moved = await current().prompts.setLabel(project.id, name, 'production', 2);
      expect(moved.labels).toEqual({ production: 2, staging: 3 });
      expect(await current().prompts.get(project.id, name)).toEqual(moved);
      // Setting a label to where it already points is a no-op, not an error.
      expect((await current().prompts.setLabel(project.id, name, 'production', 2)).labels).toEqual(
        moved.labels,
      );

      expect(await current().prompts.deleteLabel(project.id, name, 'staging')).toBe(true);
      expect(await current().prompts.deleteLabel(project.id, name, 'staging')).toBe(false);
      expect(await current().prompts.deleteLabel(project.id, uniqueName('missing'), 'staging')).toBe(false);
      expect((await current().prompts.get(project.id, name))?.labels).toEqual({ production: 2 });
      // Labels point at versions; they never change the versions themselves.
      expect(
        (await current().prompts.listVersions(project.id, name)).map((version) => version.version),
      ).toEqual([1, 2, 3]);
    });

    it('setLabel: NotFoundError (404) for an unknown prompt or version, and writes nothing', async () => {
      const project = await newProject();
      const name = uniqueName('prompt');
      const unknownPrompt = await current()
        .prompts.setLabel(project.id, name, 'production', 1)
        .catch((error: unknown) => error);
      expect(unknownPrompt).toBeInstanceOf(NotFoundError);
      expect(unknownPrompt).toMatchObject({ code: 'not_found', status: 404 });
      expect(await current().prompts.get(project.id, name)).toBeNull();

      await current().prompts.createVersion(project.id, makePromptInput(name));
      await current().prompts.setLabel(project.id, name, 'production', 1);
      for (const version of [2, 0, -1]) {
        await expect(
          current().prompts.setLabel(project.id, name, 'production', version),
        ).rejects.toBeInstanceOf(NotFoundError);
        await expect(current().prompts.setLabel(project.id, name, 'canary', version)).rejects.toBeInstanceOf(
          NotFoundError,
        );
      }
      expect((await current().prompts.get(project.id, name))?.labels).toEqual({ production: 1 });
    });

    it('createVersion: NotFoundError for a project that does not exist', async () => {
      await expect(
        current().prompts.createVersion('proj_missing', makePromptInput(uniqueName('prompt'))),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('adapters', () => {
    it('appends versions per name; get returns the newest or the asked version', async () => {
      const project = await newProject();
      const name = uniqueName('lora');
      const before = Date.now();
      const first = await current().adapters.create(project.id, makeAdapterInput(name));
      const second = await current().adapters.create(
        project.id,
        makeAdapterInput(name, { upstreamAdapter: `${name}-v2`, contentHash: 'e'.repeat(64) }),
      );
      const other = await current().adapters.create(project.id, makeAdapterInput(uniqueName('lora')));
      expect(first).toMatchObject({ projectId: project.id, name, version: 1, baseModel: 'qwen2.5-7b' });
      expect(first.id).toMatch(/^adapter_/);
      expect(first.createdAt).toBeGreaterThanOrEqual(before);
      expect(second).toMatchObject({ name, version: 2, upstreamAdapter: `${name}-v2` });
      expect(second.id).not.toBe(first.id);
      expect(other.version).toBe(1);

      expect(await current().adapters.get(project.id, name)).toEqual(second);
      expect(await current().adapters.get(project.id, name, 1)).toEqual(first);
      expect(await current().adapters.get(project.id, name, 2)).toEqual(second);
      expect(await current().adapters.get(project.id, name, 3)).toBeNull();
      expect(await current().adapters.get(project.id, uniqueName('missing'))).toBeNull();
    });

    it('lists every version of every adapter by name, then version', async () => {
      const project = await newProject();
      expect(await current().adapters.list(project.id)).toEqual([]);
      const created = [];
      for (const name of ['zeta', 'Beta', 'alpha', 'zeta', 'alpha', 'zeta']) {
        created.push(await current().adapters.create(project.id, makeAdapterInput(name)));
      }
      const listed = await current().adapters.list(project.id);
      expect(listed.map((adapter) => `${adapter.name}@${adapter.version}`)).toEqual([
        'Beta@1',
        'alpha@1',
        'alpha@2',
        'zeta@1',
        'zeta@2',
        'zeta@3',
      ]);
      expect(listed).toEqual(expect.arrayContaining(created));
    });

    it('round-trips metadata exactly', async () => {
      const project = await newProject();
      const metadata = {
        dataset: 'support-tickets-🇫🇷',
        trainedAt: '2025-06-01T00:00:00Z',
        metrics: { loss: 0.0123, accuracy: 0.9, perClass: [{ label: 'billing', f1: 0.88 }] },
        notes: null,
        tags: [],
      };
      const created = await current().adapters.create(project.id, makeAdapterInput('meta', { metadata }));
      expect(created.metadata).toEqual(metadata);
      expect(await current().adapters.get(project.id, 'meta', 1)).toEqual(created);
    });

    it(`gives ${PARALLEL_PUSHES} concurrent creates distinct versions 1..${PARALLEL_PUSHES}`, async () => {
      const project = await newProject();
      const name = uniqueName('contended-lora');
      const created = await Promise.all(
        oneTo(PARALLEL_PUSHES).map(() => current().adapters.create(project.id, makeAdapterInput(name))),
      );
      expect(created.map((adapter) => adapter.version).sort((left, right) => left - right)).toEqual(
        oneTo(PARALLEL_PUSHES),
      );
      expect((await current().adapters.list(project.id)).map((adapter) => adapter.version)).toEqual(
        oneTo(PARALLEL_PUSHES),
      );
      expect((await current().adapters.get(project.id, name))?.version).toBe(PARALLEL_PUSHES);
    });

    it('create: NotFoundError for a project that does not exist', async () => {
      await expect(
        current().adapters.create('proj_missing', makeAdapterInput(uniqueName('lora'))),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('stack versions', () => {
    it('creates the stack on first push and appends versions latest+1, oldest first', async () => {
      const project = await newProject();
      const name = uniqueName('stack');
      const before = Date.now();
      const first = await current().stacks.createVersion(project.id, makeStackInput(name));
      const second = await current().stacks.createVersion(
        project.id,
        makeStackInput(name, { spec: makeStackSpec({ model: 'llama-3' }), message: null, author: null }),
      );
      expect(first).toMatchObject({ projectId: project.id, stackName: name, version: 1 });
      expect(first.stackId).toMatch(/^stack_/);
      expect(first.createdAt).toBeGreaterThanOrEqual(before);
      expect(second).toMatchObject({ stackId: first.stackId, version: 2, message: null, author: null });

      expect(await current().stacks.get(project.id, name)).toEqual({
        id: first.stackId,
        projectId: project.id,
        name,
        latestVersion: 2,
        createdAt: first.createdAt,
      });
      expect(await current().stacks.getVersion(project.id, name, 1)).toEqual(first);
      expect(await current().stacks.getVersion(project.id, name, 2)).toEqual(second);
      expect(await current().stacks.getVersion(project.id, name, 3)).toBeNull();
      expect(await current().stacks.listVersions(project.id, name)).toEqual([first, second]);
    });

    it('round-trips specs exactly: every component pinned, or null components', async () => {
      const project = await newProject();
      // A pinned knowledge snapshot must exist (and not be deleted) when the version is written.
      await current().knowledge.createBase(project.id, { name: 'docs-知识', settings: KNOWLEDGE_SETTINGS });
      for (let version = 1; version <= 4; version++) {
        await current().knowledge.beginSnapshot(project.id, 'docs-知识', {
          settings: KNOWLEDGE_SETTINGS,
          createdBy: null,
        });
        await current().knowledge.addSnapshotContent(
          project.id,
          'docs-知识',
          version,
          makeSnapshotContent('doc', 1, 1, null),
        );
        await current().knowledge.finishSnapshot(project.id, 'docs-知识', version, {
          documentCount: 1,
          chunkCount: 1,
          embeddingDimensions: null,
        });
      }
      const full = makeStackSpec({
        model: 'qwen2.5-7b',
        adapter: { name: 'support-lora', version: 3 },
        prompt: { name: 'support-système', version: 12 },
        knowledge: { name: 'docs-知识', snapshot: 4 },
        guard: { name: 'pii', version: 1 },
        params: { temperature: 0, top_p: 0.95, stop: ['</s>'], extra: { nested: [{ a: null }, 'ü', 1e-9] } },
        retrieval: { topK: 8, rerank: { model: 'bge', threshold: 0.35 } },
      });
      const bare = makeStackSpec();
      const fullVersion = await current().stacks.createVersion(
        project.id,
        makeStackInput('full', { spec: full, message: 'pins — all 🎯' }),
      );
      const bareVersion = await current().stacks.createVersion(
        project.id,
        makeStackInput('bare', { spec: bare }),
      );
      expect(await current().stacks.getVersion(project.id, 'full', 1)).toEqual(fullVersion);
      expect((await current().stacks.getVersion(project.id, 'full', 1))?.spec).toEqual(full);
      const readBare = await current().stacks.getVersion(project.id, 'bare', 1);
      expect(readBare).toEqual(bareVersion);
      expect(readBare?.spec).toEqual({
        model: 'qwen-max',
        adapter: null,
        prompt: null,
        knowledge: null,
        guard: null,
        params: { temperature: 0.1 },
        retrieval: null,
      });
    });

    it(`gives ${PARALLEL_PUSHES} concurrent pushes of a new stack distinct versions 1..${PARALLEL_PUSHES}`, async () => {
      const project = await newProject();
      const name = uniqueName('contended-stack');
      const created = await Promise.all(
        oneTo(PARALLEL_PUSHES).map((index) =>
          current().stacks.createVersion(project.id, makeStackInput(name, { message: `push ${index}` })),
        ),
      );
      expect(created.map((version) => version.version).sort((left, right) => left - right)).toEqual(
        oneTo(PARALLEL_PUSHES),
      );
      const listed = await current().stacks.listVersions(project.id, name);
      for (const version of created) expect(listed[version.version - 1]).toEqual(version);
      expect((await current().stacks.get(project.id, name))?.latestVersion).toBe(PARALLEL_PUSHES);
    });

    it('lists stacks by name (byte order); unknown names read as null or empty', async () => {
      const project = await newProject();
      expect(await current().stacks.list(project.id)).toEqual([]);
      const names = ['support', 'Sales', 'search-2', 'search-10'];
      for (const name of names) await current().stacks.createVersion(project.id, makeStackInput(name));
      const listed = await current().stacks.list(project.id);
      expect(listed.map((stack) => stack.name)).toEqual(byteOrder(names));
      for (const stack of listed) expect(await current().stacks.get(project.id, stack.name)).toEqual(stack);
      expect(await current().stacks.get(project.id, 'absent')).toBeNull();
      expect(await current().stacks.getVersion(project.id, 'absent', 1)).toBeNull();
      expect(await current().stacks.listVersions(project.id, 'absent')).toEqual([]);
    });

    it('createVersion: NotFoundError for a project that does not exist', async () => {
      await expect(
        current().stacks.createVersion('proj_missing', makeStackInput(uniqueName('stack'))),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}

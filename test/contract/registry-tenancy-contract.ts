/**
 * Tenancy of the registry: two projects using the same prompt, adapter and stack names never
 * see or change each other's rows, and deleting a project removes all of its registry rows
 * (a project re-created with the same id starts from version 1 with no labels or deployments).
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, type Project } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import { makeAdapterInput, makePromptInput, makeStackInput } from './contract-fixtures.js';

/** One of everything under fixed names: prompt v1..2 labelled, adapter v1, stack v1..2 deployed. */
async function seedRegistry(store: Store, projectId: string): Promise<void> {
  await store.prompts.createVersion(projectId, makePromptInput('assistant'));
  await store.prompts.createVersion(projectId, makePromptInput('assistant'));
  await store.prompts.setLabel(projectId, 'assistant', 'production', 2);
  await store.adapters.create(projectId, makeAdapterInput('support-lora'));
  await store.stacks.createVersion(projectId, makeStackInput('support'));
  await store.stacks.createVersion(projectId, makeStackInput('support'));
  await store.stacks.setDeployment(projectId, {
    stackName: 'support',
    environment: 'production',
    version: 2,
    action: 'deploy',
    actor: null,
  });
}

export function describeRegistryTenancyContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  describe('registry tenancy', () => {
    it('keeps same-named prompts, adapters and stacks of two projects apart', async () => {
      const mine = await newProject('mine');
      const theirs = await newProject('theirs');
      await seedRegistry(current(), mine.id);

      // Nothing of mine is visible from theirs.
      expect(await current().prompts.get(theirs.id, 'assistant')).toBeNull();
      expect(await current().prompts.list(theirs.id)).toEqual([]);
      expect(await current().prompts.getVersion(theirs.id, 'assistant', 1)).toBeNull();
      expect(await current().adapters.get(theirs.id, 'support-lora')).toBeNull();
      expect(await current().adapters.list(theirs.id)).toEqual([]);
      expect(await current().stacks.get(theirs.id, 'support')).toBeNull();
      expect(await current().stacks.getVersion(theirs.id, 'support', 1)).toBeNull();
      expect(await current().stacks.listDeployments(theirs.id)).toEqual([]);
      expect(await current().stacks.history(theirs.id, 'support')).toEqual([]);
      // Nor can theirs act on my names.
      await expect(
        current().prompts.setLabel(theirs.id, 'assistant', 'production', 1),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await current().prompts.deleteLabel(theirs.id, 'assistant', 'production')).toBe(false);
      await expect(
        current().stacks.setDeployment(theirs.id, {
          stackName: 'support',
          environment: 'production',
          version: 1,
          action: 'deploy',
          actor: null,
        }),
      ).rejects.toBeInstanceOf(NotFoundError);

      // Theirs numbers its own versions from 1 and moves its own labels and deployments.
      const theirPrompt = await current().prompts.createVersion(theirs.id, makePromptInput('assistant'));
      expect(theirPrompt.version).toBe(1);
      await current().prompts.setLabel(theirs.id, 'assistant', 'production', 1);
      expect((await current().adapters.create(theirs.id, makeAdapterInput('support-lora'))).version).toBe(1);
      expect((await current().stacks.createVersion(theirs.id, makeStackInput('support'))).version).toBe(1);
      const theirDeploy = await current().stacks.setDeployment(theirs.id, {
        stackName: 'support',
        environment: 'production',
        version: 1,
        action: 'deploy',
        actor: null,
        expectedFromVersion: null,
      });
      expect(theirDeploy.event.fromVersion).toBeNull();

      // Mine is unchanged.
      const myPrompt = await current().prompts.get(mine.id, 'assistant');
      expect(myPrompt).toMatchObject({ latestVersion: 2, labels: { production: 2 } });
      expect(myPrompt?.id).not.toBe(theirPrompt.promptId);
      expect((await current().adapters.list(mine.id)).map((adapter) => adapter.version)).toEqual([1]);
      expect((await current().stacks.get(mine.id, 'support'))?.latestVersion).toBe(2);
      expect((await current().stacks.listDeployments(mine.id)).map((each) => each.version)).toEqual([2]);
      expect(await current().stacks.history(mine.id, 'support')).toHaveLength(1);
    });

    it('deleting a project removes its registry rows, and only its own', async () => {
      const doomed = await newProject('doomed');
      const kept = await newProject('kept');
      await seedRegistry(current(), doomed.id);
      await seedRegistry(current(), kept.id);
      const keptBefore = {
        prompts: await current().prompts.list(kept.id),
        adapters: await current().adapters.list(kept.id),
        stacks: await current().stacks.list(kept.id),
        deployments: await current().stacks.listDeployments(kept.id),
        history: await current().stacks.history(kept.id, 'support'),
      };

      expect(await current().projects.delete(doomed.id)).toBe(true);
      // Re-created with the same id, the project starts empty: the rows are gone, not hidden.
      await current().projects.create({ id: doomed.id, name: doomed.name });
      expect(await current().prompts.list(doomed.id)).toEqual([]);
      expect(await current().prompts.listVersions(doomed.id, 'assistant')).toEqual([]);
      expect(await current().adapters.list(doomed.id)).toEqual([]);
      expect(await current().stacks.list(doomed.id)).toEqual([]);
      expect(await current().stacks.listDeployments(doomed.id)).toEqual([]);
      expect(await current().stacks.history(doomed.id, 'support')).toEqual([]);
      await seedRegistry(current(), doomed.id);
      expect(await current().prompts.get(doomed.id, 'assistant')).toMatchObject({
        latestVersion: 2,
        labels: { production: 2 },
      });
      expect(await current().stacks.history(doomed.id, 'support')).toHaveLength(1);

      expect({
        prompts: await current().prompts.list(kept.id),
        adapters: await current().adapters.list(kept.id),
        stacks: await current().stacks.list(kept.id),
        deployments: await current().stacks.listDeployments(kept.id),
        history: await current().stacks.history(kept.id, 'support'),
      }).toEqual(keptBefore);
    });
  });
}

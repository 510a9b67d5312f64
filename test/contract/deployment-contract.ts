/**
 * The deployment part of the Store contract: pointing a stack's environment at a version
 * writes the deployment and its history event together, refuses unknown stacks and versions,
 * honours `expectedFromVersion` (optimistic concurrency, also under a race), and history reads
 * newest first with insertion order kept inside one millisecond and against a clock that reads
 * earlier than the last event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, NotFoundError, type Project } from '../../src/core/index.js';
import type { SetDeploymentInput, Store } from '../../src/store/index.js';
import { BASE_TIME, makeStackInput, uniqueName } from './contract-fixtures.js';

const deploy = (
  stackName: string,
  environment: string,
  version: number,
  extra: Partial<SetDeploymentInput> = {},
): SetDeploymentInput => ({ stackName, environment, version, action: 'deploy', actor: 'key_ci', ...extra });

export function describeDeploymentContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  describe('deployments', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** A project with a stack of `versions` versions. */
    const withStack = async (versions = 3): Promise<{ project: Project; stack: string }> => {
      const project = await newProject();
      const stack = uniqueName('stack');
      for (let index = 0; index < versions; index++) {
        await current().stacks.createVersion(project.id, makeStackInput(stack));
      }
      return { project, stack };
    };

    it('points an environment at a version and records the event, from null then from the previous', async () => {
      const { project, stack } = await withStack();
      const before = Date.now();
      const first = await current().stacks.setDeployment(project.id, deploy(stack, 'production', 1));
      expect(first.deployment).toEqual({
        projectId: project.id,
        stackName: stack,
        environment: 'production',
        version: 1,
        updatedAt: first.event.createdAt,
        updatedBy: 'key_ci',
      });
      expect(first.event).toMatchObject({
        projectId: project.id,
        stackName: stack,
        environment: 'production',
        fromVersion: null,
        toVersion: 1,
        action: 'deploy',
        actor: 'key_ci',
      });
      expect(first.event.id).toMatch(/^dep_/);
      expect(first.event.createdAt).toBeGreaterThanOrEqual(before);

      const second = await current().stacks.setDeployment(project.id, deploy(stack, 'production', 3));
      const back = await current().stacks.setDeployment(
        project.id,
        deploy(stack, 'production', 1, { action: 'rollback', actor: null }),
      );
      expect(second.event).toMatchObject({ fromVersion: 1, toVersion: 3, action: 'deploy' });
      expect(back.event).toMatchObject({ fromVersion: 3, toVersion: 1, action: 'rollback', actor: null });
      expect(back.deployment).toMatchObject({ version: 1, updatedBy: null });
      expect(new Set([first.event.id, second.event.id, back.event.id]).size).toBe(3);

      expect(await current().stacks.listDeployments(project.id, stack)).toEqual([back.deployment]);
      expect(await current().stacks.history(project.id, stack)).toEqual([
        back.event,
        second.event,
        first.event,
      ]);
    });

    it('NotFoundError (404) for an unknown stack or version; nothing is recorded', async () => {
      const { project, stack } = await withStack(2);
      const missingStack = await current()
        .stacks.setDeployment(project.id, deploy(uniqueName('absent'), 'production', 1))
        .catch((error: unknown) => error);
      expect(missingStack).toBeInstanceOf(NotFoundError);
      expect(missingStack).toMatchObject({ code: 'not_found', status: 404 });
      for (const version of [3, 0]) {
        await expect(
          current().stacks.setDeployment(project.id, deploy(stack, 'production', version)),
        ).rejects.toBeInstanceOf(NotFoundError);
      }
      expect(await current().stacks.listDeployments(project.id)).toEqual([]);
      expect(await current().stacks.history(project.id, stack)).toEqual([]);
    });

    it('expectedFromVersion: writes only when the environment is where the caller expects', async () => {
      const { project, stack } = await withStack();
      const env = 'production';
      const conflict = async (input: SetDeploymentInput) => {
        const error = await current()
          .stacks.setDeployment(project.id, input)
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConflictError);
        expect(error).toMatchObject({ code: 'conflict', status: 409 });
      };

      await conflict(deploy(stack, env, 1, { expectedFromVersion: 2 }));
      await current().stacks.setDeployment(project.id, deploy(stack, env, 1, { expectedFromVersion: null }));
      await conflict(deploy(stack, env, 2, { expectedFromVersion: null }));
      await conflict(deploy(stack, env, 2, { expectedFromVersion: 3 }));
      const moved = await current().stacks.setDeployment(
        project.id,
        deploy(stack, env, 2, { expectedFromVersion: 1 }),
      );
      expect(moved.event).toMatchObject({ fromVersion: 1, toVersion: 2 });
      // Omitted: no check at all.
      await current().stacks.setDeployment(project.id, deploy(stack, env, 3));

      // Refused writes changed nothing: three events, the environment at 3.
      expect((await current().stacks.history(project.id, stack)).map((event) => event.toVersion)).toEqual([
        3, 2, 1,
      ]);
      expect((await current().stacks.listDeployments(project.id, stack))[0]?.version).toBe(3);
    });

    it('expectedFromVersion under a race: exactly one of many concurrent deploys wins', async () => {
      const { project, stack } = await withStack(10);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, index) =>
          current().stacks.setDeployment(
            project.id,
            deploy(stack, 'production', index + 1, { expectedFromVersion: null }),
          ),
        ),
      );
      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result) => result.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const result of lost) expect(result.reason).toBeInstanceOf(ConflictError);
      const history = await current().stacks.history(project.id, stack);
      expect(history).toHaveLength(1);
      expect((await current().stacks.listDeployments(project.id, stack))[0]?.version).toBe(
        history[0]?.toVersion,
      );
    });

    it('keeps history in the order deployments happened when a clock reads earlier than the last event', async () => {
      // What a race does under load: the later deployment read the clock before it was granted
      // the stack lock (or another replica's clock is behind).
      const { project, stack } = await withStack(2);
      const clock = vi.spyOn(Date, 'now').mockReturnValue(BASE_TIME + 60_000);
      await current().stacks.setDeployment(project.id, deploy(stack, 'staging', 1));
      clock.mockReturnValue(BASE_TIME);
      await current().stacks.setDeployment(project.id, deploy(stack, 'staging', 2));
      clock.mockRestore();
      const [newest, oldest] = await current().stacks.history(project.id, stack);
      expect(newest).toMatchObject({ fromVersion: 1, toVersion: 2 });
      expect(oldest).toMatchObject({ fromVersion: null, toVersion: 1 });
      expect(newest!.createdAt).toBeGreaterThanOrEqual(oldest!.createdAt);
    });

    it('concurrent deploys without expectation chain fromVersion through every event', async () => {
      const { project, stack } = await withStack(8);
      await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          current().stacks.setDeployment(project.id, deploy(stack, 'staging', index + 1)),
        ),
      );
      const oldestFirst = (await current().stacks.history(project.id, stack)).reverse();
      expect(oldestFirst).toHaveLength(8);
      expect(oldestFirst[0]?.fromVersion).toBeNull();
      for (let index = 1; index < oldestFirst.length; index++) {
        expect(oldestFirst[index]?.fromVersion).toBe(oldestFirst[index - 1]?.toVersion);
      }
      const deployment = (await current().stacks.listDeployments(project.id, stack))[0];
      expect(deployment?.version).toBe(oldestFirst.at(-1)?.toVersion);
    });

    it('lists deployments of one stack or of every stack, by stack then environment', async () => {
      const project = await newProject();
      for (const name of ['web', 'api']) {
        await current().stacks.createVersion(project.id, makeStackInput(name));
        await current().stacks.createVersion(project.id, makeStackInput(name));
      }
      await current().stacks.setDeployment(project.id, deploy('web', 'staging', 2));
      await current().stacks.setDeployment(project.id, deploy('web', 'production', 1));
      await current().stacks.setDeployment(project.id, deploy('api', 'production', 2));
      await current().stacks.setDeployment(project.id, deploy('web', 'production', 2));

      const all = await current().stacks.listDeployments(project.id);
      expect(all.map((each) => `${each.stackName}/${each.environment}@${each.version}`)).toEqual([
        'api/production@2',
        'web/production@2',
        'web/staging@2',
      ]);
      expect(await current().stacks.listDeployments(project.id, 'web')).toEqual(
        all.filter((each) => each.stackName === 'web'),
      );
      expect(await current().stacks.listDeployments(project.id, 'absent')).toEqual([]);
    });

    it('history: newest first by time, insertion order within one millisecond, per environment', async () => {
      const { project, stack } = await withStack();
      const clock = vi.spyOn(Date, 'now');
      // Two events in an earlier millisecond, then four sharing one later millisecond.
      const steps: Array<[number, string, number]> = [
        [BASE_TIME, 'production', 1],
        [BASE_TIME, 'staging', 1],
        [BASE_TIME + 5, 'staging', 2],
        [BASE_TIME + 5, 'production', 2],
        [BASE_TIME + 5, 'staging', 3],
        [BASE_TIME + 5, 'production', 3],
      ];
      const events = [];
      for (const [time, environment, version] of steps) {
        clock.mockReturnValue(time);
        events.push(
          (await current().stacks.setDeployment(project.id, deploy(stack, environment, version))).event,
        );
      }
      clock.mockRestore();
      expect(events.map((event) => event.createdAt)).toEqual(steps.map(([time]) => time));

      const newestFirst = [...events].reverse();
      expect(await current().stacks.history(project.id, stack)).toEqual(newestFirst);
      expect(await current().stacks.history(project.id, stack, 'staging')).toEqual(
        newestFirst.filter((event) => event.environment === 'staging'),
      );
      expect(await current().stacks.history(project.id, stack, 'canary')).toEqual([]);
      expect(await current().stacks.history(project.id, uniqueName('absent'))).toEqual([]);
    });
  });
}

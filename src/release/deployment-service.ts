/**
 * Deploy, roll back and read history. Every switch is one store transaction (deployment +
 * history event); callers then reload the directory so the gateway swaps atomically.
 */
import { AppError, type DeploymentEvent, NotFoundError, ValidationError } from '../core/index.js';
import type { Store } from '../store/index.js';

export function assertEnvironment(environment: string): void {
  if (!/^[a-z][a-z0-9_-]{0,31}$/.test(environment)) {
    throw new ValidationError(
      `"${environment}" is not a valid environment name (lowercase letters, digits, - and _)`,
      {
        param: 'environment',
      },
    );
  }
}

export async function deploy(
  store: Store,
  projectId: string,
  stackName: string,
  environment: string,
  version: number | 'latest',
  actor: string | null,
): Promise<DeploymentEvent> {
  assertEnvironment(environment);
  const stack = await store.stacks.get(projectId, stackName);
  if (!stack) throw new NotFoundError(`Stack "${stackName}"`);
  const target = version === 'latest' ? stack.latestVersion : version;
  if (!(await store.stacks.getVersion(projectId, stackName, target))) {
    throw new NotFoundError(`Stack "${stackName}" version ${target}`, { param: 'version' });
  }
  const { event } = await store.stacks.setDeployment(projectId, {
    stackName,
    environment,
    version: target,
    action: 'deploy',
    actor,
  });
  return event;
}

/** Rolls back to `version`, or to the version deployed before the current one. */
export async function rollback(
  store: Store,
  projectId: string,
  stackName: string,
  environment: string,
  version: number | undefined,
  actor: string | null,
): Promise<DeploymentEvent> {
  assertEnvironment(environment);
  const stack = await store.stacks.get(projectId, stackName);
  if (!stack) throw new NotFoundError(`Stack "${stackName}"`);
  const current = (await store.stacks.listDeployments(projectId, stackName)).find(
    (deployment) => deployment.environment === environment,
  );
  if (!current)
    throw new AppError('conflict', `Stack "${stackName}" has no deployment in "${environment}" to roll back`);
  let target = version;
  if (target === undefined) {
    const events = await store.stacks.history(projectId, stackName, environment);
    // The event that put the current version in place tells what was there before it. A deploy
    // of the version already there (a pipeline deploying `latest` on every push) is recorded
    // but switched nothing, so it is not that event: taking it rolled back to the same version.
    const arrival = events.find(
      (event) => event.toVersion === current.version && event.fromVersion !== event.toVersion,
    );
    if (!arrival || arrival.fromVersion === null) {
      throw new AppError(
        'conflict',
        `Stack "${stackName}" in "${environment}" has no earlier version to roll back to`,
      );
    }
    target = arrival.fromVersion;
  }
  if (!(await store.stacks.getVersion(projectId, stackName, target))) {
    throw new NotFoundError(`Stack "${stackName}" version ${target}`, { param: 'version' });
  }
  const { event } = await store.stacks.setDeployment(projectId, {
    stackName,
    environment,
    version: target,
    action: 'rollback',
    actor,
    expectedFromVersion: current.version,
  });
  return event;
}

/**
 * Stack REST: adapters, immutable stack versions, component diff, deploy, rollback and
 * history. A deploy/rollback answers only after the gateway's directory has swapped to the
 * new table, so the next request is served by the new version.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  contentHash,
  type DeploymentEvent,
  diffStackSpecs,
  NotFoundError,
  parseInput,
  pinnedParamsSchema,
  promptTextDiff,
  ValidationError,
} from '../../core/index.js';
import { assertName, createStackVersion, lineage } from '../../registry/index.js';
import { deploy, rollback } from '../../release/index.js';
import { authorize, type Caller } from '../access.js';
import {
  deploymentMap,
  serializeAdapter,
  serializeDeploymentEvent,
  serializeStackVersion,
} from '../serializers.js';
import { audit, type ControlPlane } from './control-plane-context.js';

const adapterBody = z.strictObject({
  name: z.string().min(1),
  base_model: z.string().min(1),
  upstream_adapter: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

const stackBody = z.strictObject({
  name: z.string().min(1),
  model: z.string().min(1),
  adapter: z.string().min(1).nullish(),
  prompt: z.string().min(1).nullish(),
  knowledge: z.string().min(1).nullish(),
  guard: z.string().min(1).nullish(),
  retrieval: z.record(z.string(), z.unknown()).nullish(),
  params: pinnedParamsSchema.default({}),
  message: z.string().max(2000).optional(),
  only_if_changed: z.boolean().default(true),
});

const deployBody = z.strictObject({
  environment: z.string().min(1).default('production'),
  version: z.union([z.literal('latest'), z.number().int().positive()]),
});
const rollbackBody = z.strictObject({
  environment: z.string().min(1).default('production'),
  version: z.number().int().positive().optional(),
});
const diffQuery = z.strictObject({
  from: z.coerce.number().int().positive(),
  to: z.coerce.number().int().positive(),
});
const historyQuery = z.strictObject({ environment: z.string().min(1).optional() });

export function registerStackRoutes(app: FastifyInstance, controlPlane: ControlPlane): void {
  const { store, authenticator, directory, catalog } = controlPlane;

  /** After a deploy or rollback: audit it, and answer once the gateway serves the new version. */
  const switched = async (
    caller: Caller,
    action: 'stack.deploy' | 'stack.rollback',
    name: string,
    event: DeploymentEvent,
  ) => {
    await audit(controlPlane, caller, action, 'stack', name, {
      environment: event.environment,
      from: event.fromVersion,
      to: event.toVersion,
    });
    await directory.reload(caller.actingProjectId);
    return serializeDeploymentEvent(event);
  };

  app.post('/api/adapters', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'developer');
    const body = parseInput(adapterBody, request.body);
    assertName(body.name, 'Adapter');
    if (catalog.kindOf(body.base_model) !== 'chat') {
      throw new NotFoundError(`Chat model "${body.base_model}"`, { param: 'base_model' });
    }
    const adapter = await store.adapters.create(caller.actingProjectId, {
      name: body.name,
      baseModel: body.base_model,
      upstreamAdapter: body.upstream_adapter,
      metadata: body.metadata,
      contentHash: contentHash({
        baseModel: body.base_model,
        upstreamAdapter: body.upstream_adapter,
        metadata: body.metadata,
      }),
    });
    await audit(controlPlane, caller, 'adapter.create', 'adapter', `${adapter.name}@${adapter.version}`);
    reply.code(201);
    return serializeAdapter(adapter);
  });

  app.get('/api/adapters', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    return { data: (await store.adapters.list(caller.actingProjectId)).map(serializeAdapter) };
  });

  app.post('/api/stacks', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'developer');
    const body = parseInput(stackBody, request.body);
    const { version, created } = await createStackVersion(store, caller.actingProjectId, catalog, {
      name: body.name,
      model: body.model,
      adapter: body.adapter ?? null,
      prompt: body.prompt ?? null,
      knowledge: body.knowledge ?? null,
      guard: body.guard ?? null,
      retrieval: body.retrieval ?? null,
      params: body.params,
      message: body.message ?? null,
      author: caller.keyId,
      onlyIfChanged: body.only_if_changed,
    });
    if (created) {
      await audit(controlPlane, caller, 'stack.create', 'stack', `${version.stackName}@${version.version}`, {
        fingerprint: version.fingerprint,
      });
      await directory.reload(caller.actingProjectId);
    }
    reply.code(created ? 201 : 200);
    return { ...serializeStackVersion(version, lineage(version.spec)), created };
  });

  app.get('/api/stacks', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const [stacks, deployments] = await Promise.all([
      store.stacks.list(caller.actingProjectId),
      store.stacks.listDeployments(caller.actingProjectId),
    ]);
    return {
      data: stacks.map((stack) => ({
        name: stack.name,
        latest_version: stack.latestVersion,
        deployments: deploymentMap(deployments.filter((deployment) => deployment.stackName === stack.name)),
        created_at: new Date(stack.createdAt).toISOString(),
      })),
    };
  });

  app.get('/api/stacks/:name', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const stack = await store.stacks.get(caller.actingProjectId, name);
    if (!stack) throw new NotFoundError(`Stack "${name}"`);
    const [versions, deployments] = await Promise.all([
      store.stacks.listVersions(caller.actingProjectId, name),
      store.stacks.listDeployments(caller.actingProjectId, name),
    ]);
    return {
      name,
      latest_version: stack.latestVersion,
      deployments: deploymentMap(deployments),
      versions: versions.map((version) => serializeStackVersion(version, lineage(version.spec))),
    };
  });

  app.get('/api/stacks/:name/versions/:version', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name, version } = request.params as { name: string; version: string };
    const stack = await store.stacks.get(caller.actingProjectId, name);
    if (!stack) throw new NotFoundError(`Stack "${name}"`);
    const number = version === 'latest' ? stack.latestVersion : Number(version);
    if (!Number.isInteger(number) || number < 1)
      throw new ValidationError(`"${version}" is not a version number`, { param: 'version' });
    const found = await store.stacks.getVersion(caller.actingProjectId, name, number);
    if (!found) throw new NotFoundError(`Stack "${name}" version ${number}`);
    return serializeStackVersion(found, lineage(found.spec));
  });

  app.get('/api/stacks/:name/diff', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const query = parseInput(diffQuery, request.query, 'query');
    const [from, to] = await Promise.all([
      store.stacks.getVersion(caller.actingProjectId, name, query.from),
      store.stacks.getVersion(caller.actingProjectId, name, query.to),
    ]);
    if (!from) throw new NotFoundError(`Stack "${name}" version ${query.from}`);
    if (!to) throw new NotFoundError(`Stack "${name}" version ${query.to}`);
    let promptDiff = '';
    if (from.spec.prompt && to.spec.prompt) {
      const [before, after] = await Promise.all([
        store.prompts.getVersion(caller.actingProjectId, from.spec.prompt.name, from.spec.prompt.version),
        store.prompts.getVersion(caller.actingProjectId, to.spec.prompt.name, to.spec.prompt.version),
      ]);
      if (before && after) {
        promptDiff = promptTextDiff(
          `${before.promptName}@${before.version}`,
          before.messages,
          `${after.promptName}@${after.version}`,
          after.messages,
        );
      }
    }
    return {
      from: query.from,
      to: query.to,
      same_fingerprint: from.fingerprint === to.fingerprint,
      changes: diffStackSpecs(from.spec, to.spec),
      prompt_diff: promptDiff,
    };
  });

  app.post('/api/stacks/:name/deploy', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { name } = request.params as { name: string };
    const body = parseInput(deployBody, request.body);
    const event = await deploy(
      store,
      caller.actingProjectId,
      name,
      body.environment,
      body.version,
      caller.keyId,
    );
    return switched(caller, 'stack.deploy', name, event);
  });

  app.post('/api/stacks/:name/rollback', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { name } = request.params as { name: string };
    const body = parseInput(rollbackBody, request.body);
    const event = await rollback(
      store,
      caller.actingProjectId,
      name,
      body.environment,
      body.version,
      caller.keyId,
    );
    return switched(caller, 'stack.rollback', name, event);
  });

  app.get('/api/stacks/:name/history', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const query = parseInput(historyQuery, request.query, 'query');
    if (!(await store.stacks.get(caller.actingProjectId, name))) throw new NotFoundError(`Stack "${name}"`);
    const events = await store.stacks.history(caller.actingProjectId, name, query.environment);
    return { data: events.map(serializeDeploymentEvent) };
  });
}

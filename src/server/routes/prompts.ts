/**
 * Prompt REST: push immutable versions, list, show by number/label/latest, diff, labels,
 * and a render preview. Writes need the developer role and are audited.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  compileTemplate,
  NotFoundError,
  parseInput,
  pinnedParamsSchema,
  promptTextDiff,
  renderSegments,
  resolveVariables,
} from '../../core/index.js';
import {
  assertLabelName,
  assertName,
  parseRef,
  pushPrompt,
  resolvePromptVersion,
} from '../../registry/index.js';
import { authorize } from '../access.js';
import { serializePrompt, serializePromptVersion } from '../serializers.js';
import { audit, type ControlPlane } from './control-plane-context.js';

const variableSpec = z.strictObject({
  required: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  description: z.string().max(500).optional(),
});

const pushBody = z.strictObject({
  name: z.string().min(1),
  messages: z
    .array(
      z.strictObject({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string() }),
    )
    .min(1, 'a prompt needs at least one message'),
  variables: z.record(z.string(), variableSpec).default({}),
  params: pinnedParamsSchema.default({}),
  commit_message: z.string().max(2000).optional(),
  labels: z.array(z.string()).default([]),
  /** Return the newest version (200, created:false) instead of a new one when nothing changed. */
  only_if_changed: z.boolean().default(true),
});

const labelBody = z.strictObject({ version: z.number().int().positive() });
const diffQuery = z.strictObject({ from: z.string().min(1), to: z.string().min(1) });
const renderBody = z.strictObject({
  version: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
  variables: z.record(z.string(), z.unknown()).default({}),
  input: z.string().default(''),
});

function selectorOf(reference: string): number | string | null {
  return parseRef(`x@${reference}`, 'version').selector;
}

export function registerPromptRoutes(app: FastifyInstance, controlPlane: ControlPlane): void {
  const { store, authenticator } = controlPlane;

  app.post('/api/prompts', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'developer');
    const body = parseInput(pushBody, request.body);
    assertName(body.name, 'Prompt');
    for (const label of body.labels) assertLabelName(label);
    const variables = Object.fromEntries(
      Object.entries(body.variables).map(([name, spec]) => [
        name,
        { ...spec, required: spec.required ?? spec.default === undefined },
      ]),
    );
    const { version, created } = await pushPrompt(store, caller.actingProjectId, {
      name: body.name,
      messages: body.messages,
      variables,
      params: body.params,
      commitMessage: body.commit_message ?? null,
      author: caller.keyId,
      labels: body.labels,
      onlyIfChanged: body.only_if_changed,
    });
    if (created || body.labels.length > 0) {
      await audit(
        controlPlane,
        caller,
        created ? 'prompt.push' : 'prompt.label',
        'prompt',
        `${body.name}@${version.version}`,
        {
          labels: body.labels,
        },
      );
    }
    const prompt = await store.prompts.get(caller.actingProjectId, body.name);
    reply.code(created ? 201 : 200);
    return { ...serializePromptVersion(version, prompt?.labels), created };
  });

  app.get('/api/prompts', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    return { data: (await store.prompts.list(caller.actingProjectId)).map(serializePrompt) };
  });

  app.get('/api/prompts/:name', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const prompt = await store.prompts.get(caller.actingProjectId, name);
    if (!prompt) throw new NotFoundError(`Prompt "${name}"`);
    const versions = await store.prompts.listVersions(caller.actingProjectId, name);
    return {
      ...serializePrompt(prompt),
      versions: versions.map((version) => serializePromptVersion(version, prompt.labels)),
    };
  });

  app.get('/api/prompts/:name/versions/:reference', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name, reference } = request.params as { name: string; reference: string };
    const version = await resolvePromptVersion(store, caller.actingProjectId, name, selectorOf(reference));
    const prompt = await store.prompts.get(caller.actingProjectId, name);
    return serializePromptVersion(version, prompt?.labels);
  });

  app.get('/api/prompts/:name/diff', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const query = parseInput(diffQuery, request.query, 'query');
    const from = await resolvePromptVersion(store, caller.actingProjectId, name, selectorOf(query.from));
    const to = await resolvePromptVersion(store, caller.actingProjectId, name, selectorOf(query.to));
    return {
      from: from.version,
      to: to.version,
      diff: promptTextDiff(`${name}@${from.version}`, from.messages, `${name}@${to.version}`, to.messages),
      params_changed: JSON.stringify(from.params) !== JSON.stringify(to.params),
      variables_changed: JSON.stringify(from.variables) !== JSON.stringify(to.variables),
    };
  });

  app.put('/api/prompts/:name/labels/:label', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { name, label } = request.params as { name: string; label: string };
    assertLabelName(label);
    const body = parseInput(labelBody, request.body);
    const prompt = await store.prompts.setLabel(caller.actingProjectId, name, label, body.version);
    await audit(controlPlane, caller, 'prompt.label', 'prompt', `${name}@${body.version}`, { label });
    return serializePrompt(prompt);
  });

  app.delete('/api/prompts/:name/labels/:label', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { name, label } = request.params as { name: string; label: string };
    if (!(await store.prompts.deleteLabel(caller.actingProjectId, name, label))) {
      throw new NotFoundError(`Label "${label}" of prompt "${name}"`);
    }
    await audit(controlPlane, caller, 'prompt.unlabel', 'prompt', name, { label });
    const prompt = await store.prompts.get(caller.actingProjectId, name);
    return prompt ? serializePrompt(prompt) : { name };
  });

  app.post('/api/prompts/:name/render', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const body = parseInput(renderBody, request.body);
    const version = await resolvePromptVersion(
      store,
      caller.actingProjectId,
      name,
      body.version === undefined
        ? null
        : typeof body.version === 'number'
          ? body.version
          : selectorOf(body.version),
    );
    const template = compileTemplate(version.messages, version.variables);
    const values = resolveVariables(
      template,
      body.variables,
      { input: body.input },
      `prompt ${name}@${version.version}`,
    );
    return {
      name,
      version: version.version,
      messages: template.messages.map((message) => ({
        role: message.role,
        content: renderSegments(message.segments, values),
      })),
    };
  });
}

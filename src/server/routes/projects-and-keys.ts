/**
 * Tenancy REST: projects (instance admins) and API keys (project admins). Secrets are shown
 * once, at creation; only their SHA-256 is stored. Every change writes an audit entry.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  API_KEY_PREFIX,
  AppError,
  hashApiKey,
  NotFoundError,
  newApiKeySecret,
  parseInput,
  ROLES,
} from '../../core/index.js';
import { authorize, requireInstanceAdmin } from '../access.js';
import { serializeAudit, serializeKey, serializeProject } from '../serializers.js';
import { audit, type ControlPlane } from './control-plane-context.js';

const projectName = z.string().trim().min(1).max(100);
const createProjectBody = z.strictObject({ name: projectName });
const createKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES as [string, ...string[]]).default('client'),
});
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

export async function createKeyFor(
  controlPlane: ControlPlane,
  projectId: string,
  name: string,
  role: string,
  instanceAdmin = false,
) {
  const secret = newApiKeySecret();
  const key = await controlPlane.store.apiKeys.create({
    projectId,
    name,
    role: role as (typeof ROLES)[number],
    prefix: secret.slice(0, API_KEY_PREFIX.length + 4),
    hash: hashApiKey(secret),
    instanceAdmin,
  });
  return { key, secret };
}

export function registerProjectAndKeyRoutes(app: FastifyInstance, controlPlane: ControlPlane): void {
  const { store, authenticator } = controlPlane;

  app.post('/api/projects', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'admin');
    requireInstanceAdmin(caller);
    const body = parseInput(createProjectBody, request.body);
    const project = await store.projects.create({ name: body.name });
    const { key, secret } = await createKeyFor(controlPlane, project.id, 'admin', 'admin');
    // Recorded where the actor works and in the new project's own history.
    const details = { name: project.name };
    await audit(controlPlane, caller, 'project.create', 'project', project.id, details);
    await audit(controlPlane, caller, 'project.create', 'project', project.id, details, project.id);
    reply.code(201);
    return { ...serializeProject(project), admin_key: { ...serializeKey(key), secret } };
  });

  app.get('/api/projects', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    if (caller.instanceAdmin) return { data: (await store.projects.list()).map(serializeProject) };
    const own = await store.projects.get(caller.projectId);
    return { data: own ? [serializeProject(own)] : [] };
  });

  app.delete('/api/projects/:projectId', async (request) => {
    const caller = await authorize(request, authenticator, 'admin');
    requireInstanceAdmin(caller);
    const { projectId } = request.params as { projectId: string };
    if (projectId === caller.projectId)
      throw new AppError('invalid_request', 'An instance admin cannot delete its own project.');
    const project = await store.projects.get(projectId);
    if (!project) throw new NotFoundError(`Project ${projectId}`);
    await store.projects.delete(projectId);
    controlPlane.directory.drop(projectId);
    authenticator.invalidate();
    await audit(
      controlPlane,
      caller,
      'project.delete',
      'project',
      projectId,
      { name: project.name },
      caller.projectId,
    );
    return { id: projectId, deleted: true };
  });

  app.post('/api/keys', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'admin');
    const body = parseInput(createKeyBody, request.body);
    if (!(await store.projects.get(caller.actingProjectId)))
      throw new NotFoundError(`Project ${caller.actingProjectId}`);
    const { key, secret } = await createKeyFor(controlPlane, caller.actingProjectId, body.name, body.role);
    await audit(controlPlane, caller, 'key.create', 'api_key', key.id, { name: key.name, role: key.role });
    reply.code(201);
    return { ...serializeKey(key), secret };
  });

  app.get('/api/keys', async (request) => {
    const caller = await authorize(request, authenticator, 'admin');
    return { data: (await store.apiKeys.list(caller.actingProjectId)).map(serializeKey) };
  });

  app.delete('/api/keys/:keyId', async (request) => {
    const caller = await authorize(request, authenticator, 'admin');
    const { keyId } = request.params as { keyId: string };
    if (keyId === caller.keyId) throw new AppError('invalid_request', 'A key cannot revoke itself.');
    const key = await store.apiKeys.revoke(caller.actingProjectId, keyId);
    if (!key) throw new NotFoundError(`API key ${keyId}`);
    authenticator.invalidate();
    await audit(controlPlane, caller, 'key.revoke', 'api_key', key.id, { name: key.name });
    return serializeKey(key);
  });

  app.get('/api/audit', async (request) => {
    const caller = await authorize(request, authenticator, 'admin');
    const query = parseInput(listQuery, request.query, 'query');
    const page = await store.audit.list(caller.actingProjectId, query);
    return { data: page.data.map(serializeAudit), next_cursor: page.nextCursor };
  });
}

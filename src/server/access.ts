/**
 * Control-plane authorisation. Roles: admin (everything in its project), developer (read +
 * write registry, no keys), viewer (read only), client (gateway only). Instance admins (the
 * bootstrap key) manage every project and may act in another with `x-stackops-project`.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, type Role } from '../core/index.js';
import type { AuthenticatedKey, KeyAuthenticator } from '../gateway/index.js';

export interface Caller extends AuthenticatedKey {
  /** The project this call acts on. */
  actingProjectId: string;
}

const RANK: Record<Role, number> = { client: 0, viewer: 1, developer: 2, admin: 3 };

export async function authorize(
  request: FastifyRequest,
  authenticator: KeyAuthenticator,
  minimumRole: Exclude<Role, 'client'>,
): Promise<Caller> {
  const key = await authenticator.authenticate(request.headers);
  if (key.role === 'client') throw new AppError('forbidden', 'Client keys may only call the gateway (/v1).');
  if (RANK[key.role] < RANK[minimumRole]) {
    throw new AppError('forbidden', `This action needs the ${minimumRole} role; this key is ${key.role}.`);
  }
  const requested = request.headers['x-stackops-project'];
  let actingProjectId = key.projectId;
  if (typeof requested === 'string' && requested !== '' && requested !== key.projectId) {
    if (!key.instanceAdmin)
      throw new AppError('forbidden', 'Only instance admins may act in another project.');
    actingProjectId = requested;
  }
  return { ...key, actingProjectId };
}

export function requireInstanceAdmin(caller: Caller): void {
  if (!caller.instanceAdmin) throw new AppError('forbidden', 'Only instance admins may manage projects.');
}

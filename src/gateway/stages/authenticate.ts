/** Stage 1: who is calling. Any role but `viewer` may use the gateway. */
import { AppError, NotFoundError } from '../../core/index.js';
import type { AuthenticatedKey, RequestContext } from '../context.js';
import type { KeyAuthenticator } from '../key-authenticator.js';

export async function authenticate(context: RequestContext, authenticator: KeyAuthenticator): Promise<void> {
  const auth = await authenticator.authenticate(context.headers);
  if (auth.role === 'viewer') throw new AppError('forbidden', 'Viewer keys cannot call the gateway.');
  context.auth = await actingIn(auth, context.headers, authenticator);
}

/** actingAs, and the project acted in must exist: a request in none would leave no trace. */
export async function actingIn(
  auth: AuthenticatedKey,
  headers: RequestContext['headers'],
  authenticator: KeyAuthenticator,
): Promise<AuthenticatedKey> {
  const acting = actingAs(auth, headers);
  if (acting.projectId !== auth.projectId && !(await authenticator.projectExists(acting.projectId)))
    throw new NotFoundError(`Project ${acting.projectId}`, { param: 'x-stackops-project' });
  return acting;
}

/** Instance admins may call the gateway on behalf of another project (demo, support). */
export function actingAs(auth: AuthenticatedKey, headers: RequestContext['headers']): AuthenticatedKey {
  const acting = headers['x-stackops-project'];
  if (typeof acting === 'string' && acting !== '' && acting !== auth.projectId) {
    if (!auth.instanceAdmin)
      throw new AppError('forbidden', 'Only instance admins may act in another project.');
    return { ...auth, projectId: acting };
  }
  return auth;
}

/** Stage 1: who is calling. Any role but `viewer` may use the gateway. */
import { AppError } from '../../core/index.js';
import type { AuthenticatedKey, RequestContext } from '../context.js';
import type { KeyAuthenticator } from '../key-authenticator.js';

export async function authenticate(context: RequestContext, authenticator: KeyAuthenticator): Promise<void> {
  const auth = await authenticator.authenticate(context.headers);
  if (auth.role === 'viewer') throw new AppError('forbidden', 'Viewer keys cannot call the gateway.');
  context.auth = actingAs(auth, context.headers);
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

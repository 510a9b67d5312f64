/** Stage 1: who is calling. Any role but `viewer` may use the gateway. */
import { AppError } from '../../core/index.js';
import type { RequestContext } from '../context.js';
import type { KeyAuthenticator } from '../key-authenticator.js';

export async function authenticate(context: RequestContext, authenticator: KeyAuthenticator): Promise<void> {
  const auth = await authenticator.authenticate(context.headers);
  if (auth.role === 'viewer') throw new AppError('forbidden', 'Viewer keys cannot call the gateway.');
  // Instance admins may call the gateway on behalf of another project (demo, support).
  const acting = context.headers['x-stackops-project'];
  if (typeof acting === 'string' && acting !== '' && acting !== auth.projectId) {
    if (!auth.instanceAdmin)
      throw new AppError('forbidden', 'Only instance admins may act in another project.');
    context.auth = { ...auth, projectId: acting };
    return;
  }
  context.auth = auth;
}

/** What control-plane routes need: the store, the authenticator and an audit helper. */
import type { KeyAuthenticator } from '../../gateway/index.js';
import type { ScannerRegistry } from '../../guard/index.js';
import type { ModelCatalog, StackDirectory } from '../../registry/index.js';
import type { Store } from '../../store/index.js';
import type { Caller } from '../access.js';

export interface ControlPlane {
  store: Store;
  authenticator: KeyAuthenticator;
  /** Reloaded after every stack or deployment change, before the answer is sent. */
  directory: StackDirectory;
  catalog: ModelCatalog;
  scanners: ScannerRegistry;
}

export async function audit(
  controlPlane: ControlPlane,
  caller: Caller,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {},
  projectId: string = caller.actingProjectId,
): Promise<void> {
  await controlPlane.store.audit.append({
    projectId,
    actorKeyId: caller.keyId,
    action,
    targetType,
    targetId,
    details,
  });
}

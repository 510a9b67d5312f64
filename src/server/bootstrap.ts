/**
 * First-start bootstrap: the `default` project and an instance-admin key. A key given in
 * STACKOPS_ADMIN_KEY is registered (hashed) if new; with none given and no admin yet, one is
 * generated and returned so the banner can print it once.
 */
import { ConflictError, hashApiKey, type Project } from '../core/index.js';
import type { Store } from '../store/index.js';
import { createKeyFor } from './routes/projects-and-keys.js';

export const DEFAULT_PROJECT_ID = 'proj_default';

export interface BootstrapResult {
  project: Project;
  /** The admin secret when it was generated now (print once) or given in settings. */
  adminKey: string | null;
  generated: boolean;
  /** The id of the key generated now: revoked if this start fails before printing it. */
  generatedKeyId?: string;
  /** The default project did not exist before this start (a new data dir or database). */
  createdProject: boolean;
}

export async function bootstrap(store: Store, adminKey: string | undefined): Promise<BootstrapResult> {
  let project = await store.projects.get(DEFAULT_PROJECT_ID);
  const createdProject = !project;
  if (!project) {
    try {
      project = await store.projects.create({ id: DEFAULT_PROJECT_ID, name: 'default' });
    } catch (error) {
      // Another replica created it first.
      project = await store.projects.get(DEFAULT_PROJECT_ID);
      if (!project) throw error;
    }
  }
  const controlPlane = { store };
  if (adminKey) {
    const existing = await store.apiKeys.findByHash(hashApiKey(adminKey));
    if (!existing && (await registerAdminKey(store, project.id, adminKey))) {
      await store.audit.append({
        projectId: project.id,
        actorKeyId: null,
        action: 'key.bootstrap',
        targetType: 'api_key',
        targetId: 'env',
        details: { source: 'STACKOPS_ADMIN_KEY' },
      });
    }
    return { project, adminKey, generated: false, createdProject };
  }
  if ((await store.apiKeys.countActiveInstanceAdmins()) > 0)
    return { project, adminKey: null, generated: false, createdProject };
  const { key, secret } = await createKeyFor(
    controlPlane as Parameters<typeof createKeyFor>[0],
    project.id,
    'bootstrap admin',
    'admin',
    true,
  );
  await store.audit.append({
    projectId: project.id,
    actorKeyId: null,
    action: 'key.bootstrap',
    targetType: 'api_key',
    targetId: key.id,
    details: { source: 'generated' },
  });
  return { project, adminKey: secret, generated: true, generatedKeyId: key.id, createdProject };
}

/**
 * Registers the given admin key; false when another replica starting at the same time (with
 * the same STACKOPS_ADMIN_KEY) registered it first — that start used to fail on the conflict.
 */
async function registerAdminKey(store: Store, projectId: string, adminKey: string): Promise<boolean> {
  try {
    await store.apiKeys.create({
      projectId,
      name: 'bootstrap admin (STACKOPS_ADMIN_KEY)',
      role: 'admin',
      prefix: adminKey.slice(0, 10),
      hash: hashApiKey(adminKey),
      instanceAdmin: true,
    });
    return true;
  } catch (error) {
    if (error instanceof ConflictError && (await store.apiKeys.findByHash(hashApiKey(adminKey))))
      return false;
    throw error;
  }
}

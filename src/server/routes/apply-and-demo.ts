/** Declarative apply (GitOps) and removal of the seeded demo project. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, parseInput } from '../../core/index.js';
import { applyDocument } from '../../release/index.js';
import { authorize, requireInstanceAdmin } from '../access.js';
import { DEMO_PROJECT_ID } from '../demo-seed.js';
import { audit, type ControlPlane } from './control-plane-context.js';

const applyBody = z.strictObject({ document: z.unknown(), dry_run: z.boolean().default(false) });

export function registerApplyAndDemoRoutes(app: FastifyInstance, controlPlane: ControlPlane): void {
  const { store, authenticator, directory, catalog } = controlPlane;

  app.post('/api/apply', async (request) => {
    const caller = await authorize(request, authenticator, 'developer');
    const body = parseInput(applyBody, request.body);
    const changes = await applyDocument(store, caller.actingProjectId, catalog, body.document, {
      actor: caller.keyId,
      dryRun: body.dry_run,
      scanners: controlPlane.scanners,
    });
    const changed = changes.filter((change) => change.action !== 'unchanged');
    if (!body.dry_run && changed.length > 0) {
      await audit(controlPlane, caller, 'apply', 'document', 'stackops.yaml', { changes: changed });
      await directory.reload(caller.actingProjectId);
    }
    return { dry_run: body.dry_run, changes };
  });

  app.delete('/api/demo', async (request) => {
    const caller = await authorize(request, authenticator, 'admin');
    requireInstanceAdmin(caller);
    const demo = await store.projects.get(DEMO_PROJECT_ID);
    if (!demo?.isDemo) throw new NotFoundError('Demo project');
    await store.projects.delete(demo.id);
    directory.drop(demo.id);
    authenticator.invalidate();
    await audit(controlPlane, caller, 'demo.remove', 'project', demo.id);
    return { removed: true, project_id: demo.id };
  });
}

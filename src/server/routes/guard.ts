/**
 * Guard REST: versioned policies and the scan playground (`POST /api/guard/scan`), which runs
 * a policy — by default the project's default policy with every built-in scanner on — over a
 * text at one stage.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AppError,
  type GuardPolicyVersion,
  NotFoundError,
  parseInput,
  ValidationError,
} from '../../core/index.js';
import { compilePolicy, defaultPolicy, evaluateStage, scanLimits } from '../../guard/index.js';
import { parseRef, pushGuardPolicy, resolveGuardPolicyVersion } from '../../registry/index.js';
import { authorize } from '../access.js';
import { withDeadline } from '../deadline.js';
import { MAX_REPLAY_TRACES, replayGuardPolicy } from '../guard-replay.js';
import { audit, type ControlPlane } from './control-plane-context.js';

const scanBody = z.strictObject({
  text: z.string().max(1_000_000),
  stage: z.enum(['input', 'context', 'output']).default('input'),
  policy: z.string().min(1).optional(),
  system_prompt: z.string().optional(),
  // A planted canary is 26 characters; the leak scanner looks for every encoding of it, and one
  // of megabytes held the event loop for seconds.
  canary: z.string().max(1000).optional(),
});

const replayBody = z.strictObject({
  policy: z.string().min(1),
  stack: z.string().min(1).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(MAX_REPLAY_TRACES).default(200),
});

const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

/** How long a replay and a scan may take before they answer 504 `upstream_timeout`. */
const REPLAY_DEADLINE_MS = 120_000;
const SCAN_DEADLINE_MS = 30_000;

/**
 * The policy a scan or replay names in its `policy` field: a stored version, or `default@0`,
 * the built-in default policy under the name scan answers give it (no stored policy has a
 * version 0, so the name is free even in a project with a policy called `default`).
 */
async function namedPolicy(controlPlane: ControlPlane, projectId: string, reference: string) {
  if (reference.trim() === 'default@0') return defaultPolicy(controlPlane.scanners);
  return compilePolicy(
    await namedPolicyVersion(controlPlane.store, projectId, reference),
    controlPlane.scanners,
  );
}

/**
 * The policy version a scan or replay names in its `policy` field. The registry's 404 names
 * `guard` (a stack's field); here the caller sent `policy`.
 */
async function namedPolicyVersion(
  store: ControlPlane['store'],
  projectId: string,
  reference: string,
): Promise<GuardPolicyVersion> {
  const ref = parseRef(reference, 'policy');
  if (typeof ref.selector === 'string')
    throw new ValidationError('policy: use name or name@version', { param: 'policy' });
  try {
    return await resolveGuardPolicyVersion(store, projectId, ref.name, ref.selector);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new AppError('not_found', error.message, { param: 'policy', cause: error });
    throw error;
  }
}

export function registerGuardRoutes(app: FastifyInstance, controlPlane: ControlPlane): void {
  const { store, authenticator, scanners } = controlPlane;

  app.post('/api/guard/policies', async (request, reply) => {
    const caller = await authorize(request, authenticator, 'developer');
    const { version, created } = await pushGuardPolicy(
      store,
      caller.actingProjectId,
      scanners,
      request.body ?? {},
      {
        actor: caller.keyId,
        onlyIfChanged: true,
      },
    );
    if (created)
      await audit(
        controlPlane,
        caller,
        'guard.policy.push',
        'guard_policy',
        `${version.policyName}@${version.version}`,
      );
    reply.code(created ? 201 : 200);
    return {
      name: version.policyName,
      version: version.version,
      rules: version.rules,
      hold_back_chars: version.settings.hold_back_chars,
      ...scanLimits(version.settings),
      content_hash: version.contentHash,
      created,
      created_at: iso(version.createdAt),
    };
  });

  app.get('/api/guard/policies', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const policies = await store.guardPolicies.list(caller.actingProjectId);
    return {
      data: policies.map((policy) => ({
        name: policy.name,
        latest_version: policy.latestVersion,
        created_at: iso(policy.createdAt),
      })),
    };
  });

  app.get('/api/guard/policies/:name', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const { name } = request.params as { name: string };
    const policy = await store.guardPolicies.get(caller.actingProjectId, name);
    if (!policy) throw new NotFoundError(`Guard policy "${name}"`);
    const versions = await store.guardPolicies.listVersions(caller.actingProjectId, name);
    return {
      name,
      latest_version: policy.latestVersion,
      versions: versions.map((version) => ({
        version: version.version,
        rules: version.rules,
        hold_back_chars: version.settings.hold_back_chars,
        ...scanLimits(version.settings),
        content_hash: version.contentHash,
        message: version.message,
        created_at: iso(version.createdAt),
      })),
    };
  });

  // What would this policy have done to recent traffic? (guard-replay.ts)
  app.post('/api/guard/replay', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const body = parseInput(replayBody, request.body);
    const policy = await namedPolicy(controlPlane, caller.actingProjectId, body.policy);
    // A misspelt stack would read as "no traffic", i.e. "this policy changes nothing".
    if (body.stack && !(await store.stacks.get(caller.actingProjectId, body.stack)))
      throw new NotFoundError(`Stack "${body.stack}"`, { param: 'stack' });
    const report = await withDeadline(
      REPLAY_DEADLINE_MS,
      'The replay',
      'Replay fewer traces (limit, since, stack); a remote guard model that is down costs its timeout per text.',
      (signal) =>
        replayGuardPolicy(store, caller.actingProjectId, policy, {
          limit: body.limit,
          ...(body.stack ? { stack: body.stack } : {}),
          ...(body.since ? { from: Date.parse(body.since) } : {}),
          signal,
        }),
    );
    return {
      policy: `${policy.name}@${policy.version}`,
      traces: report.traces,
      without_content: report.withoutContent,
      without_system_prompt: report.withoutSystemPrompt,
      input: report.input,
      output: report.output,
      findings: report.findings,
      examples: report.examples.map((example) => ({
        trace_id: example.traceId,
        stage: example.stage,
        action: example.action,
        rules: example.rules,
      })),
    };
  });

  app.post('/api/guard/scan', async (request) => {
    const caller = await authorize(request, authenticator, 'viewer');
    const body = parseInput(scanBody, request.body);
    const policy = body.policy
      ? await namedPolicy(controlPlane, caller.actingProjectId, body.policy)
      : defaultPolicy(scanners);
    const started = performance.now();
    const verdict = await withDeadline(
      SCAN_DEADLINE_MS,
      'The scan',
      'A remote guard model in the policy may be slow: see its timeoutMs.',
      (signal) =>
        evaluateStage(policy, body.stage, body.text, {
          systemPrompt: body.system_prompt,
          canary: body.canary,
          signal,
        }),
    );
    return {
      flagged: verdict.flagged,
      action: verdict.action,
      policy: `${policy.name}@${policy.version}`,
      message: verdict.blockedBy?.message ?? null,
      findings: verdict.findings.map((finding) => ({
        scanner: finding.scanner,
        type: finding.type,
        score: Math.round(finding.score * 1e4) / 1e4,
        start: finding.start,
        end: finding.end,
        value: finding.value,
        action: finding.action,
      })),
      text: verdict.action === 'redact' ? verdict.text : undefined,
      // Placeholder → value of a `reversible` rule's redactions (the caller's own text).
      mapping: Object.keys(verdict.mapping).length > 0 ? verdict.mapping : undefined,
      scanners: verdict.timings.map((timing) => ({
        scanner: timing.scanner,
        score: Math.round(timing.score * 1e4) / 1e4,
        latency_ms: Math.round(timing.latencyMs * 1000) / 1000,
        ...(timing.skipped ? { skipped: true } : {}),
      })),
      latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
    };
  });
}

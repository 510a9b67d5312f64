/**
 * One guard span per evaluated stage: the policy, the verdict, every scanner's score and
 * latency, and the findings' types and positions — never the matched values (a trace must
 * not become a copy of the PII it caught).
 */
import { newSpanId, type SpanRecord } from '../core/index.js';
import type { CompiledPolicy, GuardVerdict } from '../guard/index.js';
import type { RequestContext } from './context.js';

export function recordGuardSpan(
  context: RequestContext,
  policy: CompiledPolicy,
  stage: 'input' | 'context' | 'output',
  verdict: GuardVerdict,
  startTime: number,
  extra: Record<string, unknown> = {},
): SpanRecord {
  const span: SpanRecord = {
    traceId: context.traceId,
    spanId: newSpanId(),
    parentSpanId: context.rootSpanId,
    projectId: context.auth?.projectId ?? '',
    name: `guard ${stage}`,
    kind: 'guard',
    startTime,
    endTime: Date.now(),
    status: verdict.action === 'block' ? 'error' : 'ok',
    statusMessage: verdict.blockedBy?.message ?? null,
    attributes: {
      'stackops.guard.stage': stage,
      'stackops.guard.policy': `${policy.name}@${policy.version}`,
      'stackops.guard.verdict': verdict.action,
      'stackops.guard.scanners': verdict.timings.map((timing) => ({
        scanner: timing.scanner,
        score: Math.round(timing.score * 1e4) / 1e4,
        latency_ms: Math.round(timing.latencyMs * 1000) / 1000,
        ...(timing.skipped ? { skipped: true } : {}),
      })),
      'stackops.guard.findings': verdict.findings
        .filter((finding) => finding.score > 0)
        .map((finding) => ({
          scanner: finding.scanner,
          type: finding.type,
          score: Math.round(finding.score * 1e4) / 1e4,
          start: finding.start,
          end: finding.end,
          action: finding.action,
        })),
      ...extra,
    },
  };
  context.spans.push(span);
  const previous = context.attributes['stackops.guard.verdict'];
  const rank = { allow: 0, flag: 1, redact: 2, block: 3 } as const;
  if (previous === undefined || rank[verdict.action] > rank[previous as keyof typeof rank]) {
    context.attributes['stackops.guard.verdict'] = verdict.action;
  }
  return span;
}

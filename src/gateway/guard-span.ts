/**
 * One guard span per evaluated stage: the policy, the verdict, every scanner's score and
 * latency, and the findings' types and positions — never the matched values (a trace must
 * not become a copy of the PII it caught); a remote guard model's outage with its reason.
 */
import { newSpanId, type SpanRecord } from '../core/index.js';
import type { CompiledPolicy, GuardVerdict } from '../guard/index.js';
import type { RequestContext } from './context.js';

const RANK = { flag: 1, redact: 2, block: 3 } as const;

/**
 * A remote guard model that gave no verdict. Failing open, its finding scores 0 — kept all the
 * same: the request went on unguarded by that model, and the trace is where an outage shows.
 */
const UNAVAILABLE = 'guard_unavailable';

/**
 * `x-stackops-guard: input=redact, context=block` — what the guard did to this request, for
 * the caller (only stages where it did something; `context=block` means retrieved chunks were
 * dropped). Set before the answer's headers go out: a streamed answer's own output verdict
 * arrives in the stream (an error event on a block), not here.
 */
export function guardHeader(context: RequestContext): string | null {
  const actions = context.guardActions;
  if (!actions) return null;
  const parts = (['input', 'context', 'output'] as const)
    .filter((stage) => actions[stage])
    .map((stage) => `${stage}=${actions[stage]}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function recordGuardSpan(
  context: RequestContext,
  policy: CompiledPolicy,
  stage: 'input' | 'context' | 'output',
  verdict: GuardVerdict,
  startTime: number,
  extra: Record<string, unknown> = {},
): SpanRecord {
  if (verdict.action !== 'allow') {
    context.guardActions ??= {};
    const actions = context.guardActions;
    const previous = actions[stage];
    if (!previous || RANK[verdict.action] > RANK[previous]) actions[stage] = verdict.action;
  }
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
        // A remote guard model on a stream: how many calls the stream cost, and what they sent.
        ...(timing.calls !== undefined ? { calls: timing.calls, sent_chars: timing.sentChars } : {}),
      })),
      'stackops.guard.findings': verdict.findings
        .filter((finding) => finding.score > 0 || finding.type === UNAVAILABLE)
        .map((finding) => ({
          scanner: finding.scanner,
          type: finding.type,
          score: Math.round(finding.score * 1e4) / 1e4,
          start: finding.start,
          end: finding.end,
          action: finding.action,
          // The value of this one finding is why the guard model gave no verdict (`http 503`,
          // `timeout after 800 ms`), not the user's text.
          ...(finding.type === UNAVAILABLE ? { reason: finding.value } : {}),
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

/**
 * The attributes that name the tool call an output guard span is about (its index in the
 * answer, its id and function name); its findings' positions are offsets in the arguments'
 * scanned text (see tool-call-arguments), not in the answer's.
 */
export function toolCallAttributes(index: number, id: string, name: string): Record<string, unknown> {
  return {
    'stackops.guard.target': 'tool_call',
    'stackops.guard.tool_call.index': index,
    'stackops.guard.tool_call.id': id,
    'stackops.guard.tool_call.function': name,
  };
}

/**
 * Replays a guard policy over a project's recent traffic — what would this policy have done to
 * the last N requests? — before a stack pins it. Reads the content the gateway recorded on
 * generation spans (`tracing.capture_content`, on by default): the messages the model was sent
 * (after the old policy's input guard and the template) and its answer (before the output
 * guard), runs the policy's input stage on each user message (and assistant message, when the
 * policy's `input_roles` lists `assistant`) and its output stage on the answer, and counts.
 * System and developer messages are not judged even when listed: the recorded request holds the
 * stack prompt's system text with the caller's, and the gateway judges only the caller's. Nothing is written; no model is called (remote guard scanners in the
 * policy are, once per text).
 */
import { type ChatMessage, messageText, type SpanRecord, type TraceRecord } from '../core/index.js';
import { type CompiledPolicy, evaluateStage, type GuardVerdict } from '../guard/index.js';
import { ATTR } from '../observe/index.js';
import type { Store } from '../store/index.js';

export const MAX_REPLAY_TRACES = 1000;
const PAGE = 100;
const EXAMPLES = 20;
/**
 * The scans run on the event loop, up to a thousand traces of up to max_scan_chars each: the
 * replay gives the loop a turn at least this often, so that the gateway's requests (and the
 * replay's own timeout) are served during it rather than after it.
 */
const YIELD_EVERY_MS = 10;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ReplayOptions {
  /** Only traces served by this stack. */
  stack?: string;
  /** Only traces that started at or after this time (ms since the epoch). */
  from?: number;
  /** How many traces to read, newest first (at most MAX_REPLAY_TRACES). */
  limit: number;
  signal?: AbortSignal;
}

type Action = GuardVerdict['action'];
type Tally = Record<Action, number> & { evaluated: number };

export interface ReplayReport {
  traces: number;
  /** Traces with no recorded content (capture off, embeddings, failed before the model). */
  withoutContent: number;
  /**
   * Traces of requests with retrieved context, replayed without their system prompt: the
   * recorded one has the retrieved chunks in it, and the gateway compares answers (leaks) and
   * messages (the system-prompt check) with the prompt as it was before retrieval, which no
   * span records. Their answers are not checked for system-prompt leaks.
   */
  withoutSystemPrompt: number;
  /** Per trace: the strongest action over its user messages. */
  input: Tally;
  output: Tally;
  /** Triggered findings (action other than none) by stage, scanner and type. */
  findings: Array<{ stage: 'input' | 'output'; scanner: string; type: string; count: number }>;
  /** The first traces the policy would have changed, newest first. */
  examples: Array<{ traceId: string; stage: 'input' | 'output'; action: Action; rules: string[] }>;
}

const RANK: Record<Action, number> = { allow: 0, flag: 1, redact: 2, block: 3 };

const emptyTally = (): Tally => ({ evaluated: 0, allow: 0, flag: 0, redact: 0, block: 0 });

interface Recorded {
  userTexts: string[];
  systemPrompt: string | undefined;
  answer: string | null;
  /** The request retrieved context into its prompt. */
  retrieved: boolean;
}

/** What the first generation span was sent and what the last one answered. */
function recorded(spans: SpanRecord[], judgesAssistant: boolean): Recorded | null {
  const generations = spans.filter((span) => span.kind === 'generation');
  const sent = generations.find((span) => Array.isArray(span.attributes[ATTR.inputMessages]));
  const answered = [...generations]
    .reverse()
    .find((span) => Array.isArray(span.attributes[ATTR.outputMessages]));
  if (!sent && !answered) return null;
  const messages = (sent?.attributes[ATTR.inputMessages] ?? []) as Array<{
    role?: unknown;
    content?: unknown;
  }>;
  const userTexts = messages
    .filter((message) => message.role === 'user' || (judgesAssistant && message.role === 'assistant'))
    .map((message) => messageText(message.content as ChatMessage['content']));
  const system = messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => messageText(message.content as ChatMessage['content']))
    .join('\n')
    .trim();
  const output = (answered?.attributes[ATTR.outputMessages] ?? []) as Array<{ content?: unknown }>;
  const answer = output.length > 0 ? messageText(output[0]!.content as ChatMessage['content']) : null;
  return {
    userTexts: userTexts.filter((text) => text !== ''),
    systemPrompt: system || undefined,
    answer,
    retrieved: spans.some((span) => span.kind === 'retrieval'),
  };
}

export async function replayGuardPolicy(
  store: Store,
  projectId: string,
  policy: CompiledPolicy,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const report: ReplayReport = {
    traces: 0,
    withoutContent: 0,
    withoutSystemPrompt: 0,
    input: emptyTally(),
    output: emptyTally(),
    findings: [],
    examples: [],
  };
  const findingCounts = new Map<
    string,
    { stage: 'input' | 'output'; scanner: string; type: string; count: number }
  >();
  const limit = Math.min(options.limit, MAX_REPLAY_TRACES);
  const record = (traceId: string, stage: 'input' | 'output', verdicts: GuardVerdict[]): void => {
    const tally = stage === 'input' ? report.input : report.output;
    let action: Action = 'allow';
    const rules = new Set<string>();
    for (const verdict of verdicts) {
      if (RANK[verdict.action] > RANK[action]) action = verdict.action;
      for (const finding of verdict.findings) {
        if (finding.action === 'none') continue;
        rules.add(`${finding.scanner}:${finding.type}→${finding.action}`);
        const key = `${stage}\u0000${finding.scanner}\u0000${finding.type}`;
        const entry = findingCounts.get(key) ?? {
          stage,
          scanner: finding.scanner,
          type: finding.type,
          count: 0,
        };
        entry.count++;
        findingCounts.set(key, entry);
      }
    }
    tally.evaluated++;
    tally[action]++;
    if (action !== 'allow' && report.examples.length < EXAMPLES) {
      report.examples.push({ traceId, stage, action, rules: [...rules] });
    }
  };

  let cursor: string | undefined;
  let lastTurn = performance.now();
  while (report.traces < limit) {
    options.signal?.throwIfAborted();
    const page = await store.traces.list(projectId, {
      limit: Math.min(PAGE, limit - report.traces),
      ...(options.stack ? { stack: options.stack } : {}),
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(cursor ? { cursor } : {}),
    });
    for (const trace of page.data as TraceRecord[]) {
      if (performance.now() - lastTurn >= YIELD_EVERY_MS) {
        await nextTurn();
        options.signal?.throwIfAborted();
        lastTurn = performance.now();
      }
      report.traces++;
      const full = await store.traces.get(projectId, trace.id);
      const content = full ? recorded(full.spans, policy.inputRoles?.has('assistant') ?? false) : null;
      if (!content || (content.userTexts.length === 0 && content.answer === null)) {
        report.withoutContent++;
        continue;
      }
      if (content.retrieved) report.withoutSystemPrompt++;
      const scanContext = {
        systemPrompt: content.retrieved ? undefined : content.systemPrompt,
        signal: options.signal,
      };
      if (policy.stages.input.length > 0 && content.userTexts.length > 0) {
        const verdicts: GuardVerdict[] = [];
        for (const text of content.userTexts)
          verdicts.push(await evaluateStage(policy, 'input', text, scanContext));
        record(trace.id, 'input', verdicts);
      }
      if (policy.stages.output.length > 0 && content.answer) {
        record(trace.id, 'output', [await evaluateStage(policy, 'output', content.answer, scanContext)]);
      }
      if (report.traces >= limit) break;
    }
    if (!page.nextCursor || page.data.length === 0) break;
    cursor = page.nextCursor;
  }
  report.findings = [...findingCounts.values()].sort(
    (left, right) => right.count - left.count || left.stage.localeCompare(right.stage),
  );
  return report;
}

/**
 * `stackops traces` and `stackops trace ID`: what the gateway recorded. The list is one row
 * per request (tokens in→out, cost, latency, time to first token); one trace prints its spans
 * as a tree, children under their parent in start order.
 */
import { type Command, Option } from 'commander';
import { segment } from './api-client.js';
import type { ListResponse, SpanJson, TraceDetailJson, TraceJson } from './api-types.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { formatCost, formatDuration, formatTable, formatTime } from './output.js';
import { positiveInteger } from './parse-arguments.js';

/** `support-bot@3 (qwen-max)` for a stack request, else the model. */
export function traceTarget(trace: TraceJson): string {
  if (trace.stack) {
    const version =
      trace.stack_version === null || trace.stack_version === undefined ? '' : `@${trace.stack_version}`;
    // The trace's `model` is what the request named (`support-bot`, `support-bot@3`); the model
    // that served it is the `stackops.model` attribute, absent when the request was refused first.
    const served = trace.attributes?.['stackops.model'];
    const named = trace.model && trace.model !== trace.stack && trace.model !== `${trace.stack}${version}`;
    const model = typeof served === 'string' ? ` (${served})` : named ? ` (${trace.model})` : '';
    return `${trace.stack}${version}${model}`;
  }
  return trace.model ?? '-';
}

const tokens = (trace: TraceJson): string =>
  trace.input_tokens === null || trace.input_tokens === undefined
    ? '-'
    : `${trace.input_tokens}→${trace.output_tokens ?? '-'}`;

export function renderTraces(answer: ListResponse<TraceJson>): string {
  if (answer.data.length === 0) return 'no traces';
  return formatTable(
    ['TIME', 'STATUS', 'MODEL/STACK', 'TOKENS', 'COST', 'LATENCY', 'TTFT', 'ID'],
    answer.data.map((trace) => [
      formatTime(trace.start_time),
      trace.status,
      traceTarget(trace),
      tokens(trace),
      formatCost(trace.cost),
      formatDuration(trace.latency_ms),
      formatDuration(trace.ttft_ms),
      trace.id,
    ]),
    { align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'] },
  );
}

function spanDuration(span: SpanJson): number | null {
  if (!span.start_time || !span.end_time) return null;
  const duration = Date.parse(span.end_time) - Date.parse(span.start_time);
  return Number.isFinite(duration) ? duration : null;
}

function spanDetail(span: SpanJson): string {
  if (span.status_message) return span.status_message;
  const model = span.attributes?.['gen_ai.response.model'] ?? span.attributes?.['gen_ai.request.model'];
  return typeof model === 'string' ? model : '';
}

/**
 * Rows of the span tree; a span whose parent is not in the trace is a root. Spans caught in a
 * parent cycle (a malformed trace) have no root: they are shown as roots rather than dropped.
 */
export function spanTreeRows(spans: SpanJson[]): string[][] {
  const ids = new Set(spans.map((span) => span.span_id));
  const children = new Map<string, SpanJson[]>();
  const roots: SpanJson[] = [];
  for (const span of spans) {
    if (span.parent_span_id && ids.has(span.parent_span_id))
      children.set(span.parent_span_id, [...(children.get(span.parent_span_id) ?? []), span]);
    else roots.push(span);
  }
  const byStart = (a: SpanJson, b: SpanJson) =>
    (a.start_time ?? '').localeCompare(b.start_time ?? '') || a.name.localeCompare(b.name);
  const rows: string[][] = [];
  const visited = new Set<string>();
  const visit = (span: SpanJson, prefix: string, childPrefix: string) => {
    visited.add(span.span_id);
    rows.push([
      `${prefix}${span.name}`,
      span.kind ?? '',
      span.status ?? '',
      formatDuration(spanDuration(span)),
      spanDetail(span),
    ]);
    const list = (children.get(span.span_id) ?? [])
      .filter((child) => !visited.has(child.span_id))
      .sort(byStart);
    list.forEach((child, index) => {
      const last = index === list.length - 1;
      visit(child, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`);
    });
  };
  for (const root of roots.sort(byStart)) visit(root, '', '');
  for (const span of [...spans].sort(byStart)) if (!visited.has(span.span_id)) visit(span, '', '');
  return rows;
}

export function renderTrace(trace: TraceDetailJson): string {
  const summary = formatTable(null, [
    ['trace:', trace.id],
    ['name:', trace.name ?? '-'],
    ['status:', trace.status],
    ['model/stack:', traceTarget(trace)],
    ['started:', formatTime(trace.start_time)],
    ['tokens:', tokens(trace)],
    ['cost:', formatCost(trace.cost)],
    ['latency:', formatDuration(trace.latency_ms)],
    ['ttft:', formatDuration(trace.ttft_ms)],
  ]);
  const tree = trace.spans.length === 0 ? 'no spans' : formatTable(null, spanTreeRows(trace.spans));
  return `${summary}\n\n${tree}`;
}

interface TracesOptions extends ClientFlags {
  model?: string;
  stack?: string;
  stackVersion?: number;
  from?: string;
  to?: string;
  status?: string;
  limit?: number;
  cursor?: string;
}

export function registerTraceCommands(program: Command): void {
  addClientOptions(
    program
      .command('traces')
      .description('recent requests, newest first (times in UTC)')
      .option('--model <model>', 'only this model')
      .option('--stack <stack>', 'only this stack')
      .option('--stack-version <n>', 'only this stack version', positiveInteger(2_147_483_647))
      // Passed as given: the server says what it accepts when it refuses one.
      .option('--from <time>', 'from this time (epoch ms, or ISO-8601 with its offset: 2026-01-31T00:00:00Z)')
      .option('--to <time>', 'up to this time, inclusive (same forms)')
      .addOption(new Option('--status <status>', 'only this status').choices(['ok', 'error', 'interrupted']))
      .option('-n, --limit <n>', 'how many (1-500, server default 50)', positiveInteger(500))
      .option('--cursor <cursor>', 'continue after a previous page'),
  ).action(async (options: TracesOptions) => {
    const context = createContext(options);
    const answer = await context.client.get<ListResponse<TraceJson>>('/api/traces', {
      model: options.model,
      stack: options.stack,
      stack_version: options.stackVersion,
      from: options.from,
      to: options.to,
      status: options.status,
      limit: options.limit,
      cursor: options.cursor,
    });
    present(context, answer, renderTraces);
    if (!context.json && answer.next_cursor)
      context.output.note(`more: repeat with --cursor ${answer.next_cursor}`);
  });

  addClientOptions(
    program.command('trace').description('one trace and its span tree').argument('<id>', 'trace id (32 hex)'),
  ).action(async (id: string, options: ClientFlags) => {
    const context = createContext(options);
    present(context, await context.client.get<TraceDetailJson>(`/api/traces/${segment(id)}`), renderTrace);
  });
}

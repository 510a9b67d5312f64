/**
 * Stage: input guard. Scans each of the caller's user messages (and the caller's messages of the
 * other roles the policy's `input_roles` lists) and the template variables the stack's prompt
 * renders with the stack's policy (blocks answer 400 `content_filter` in the OpenAI error shape;
 * redactions rewrite the message or variable before rendering), and plants a canary token in the
 * rendered system prompt when the policy watches the output for system-prompt leaks.
 */
import {
  AppError,
  type ChatCompletionRequest,
  type ChatMessage,
  messageText,
  renderSegments,
} from '../../core/index.js';
import {
  type CompiledPolicy,
  evaluateStage,
  type GuardVerdict,
  PseudonymVault,
  plantCanary,
} from '../../guard/index.js';
import type { RequestContext } from '../context.js';
import { recordGuardSpan } from '../guard-span.js';
import { REMOTE_FAN_OUT, startLimited } from '../start-limited.js';

export async function guardInput(
  context: RequestContext,
  body: ChatCompletionRequest,
): Promise<ChatCompletionRequest> {
  const policy = context.stack?.guard;
  if (!policy || policy.stages.input.length === 0) return body;
  const systemPrompt = policy.stages.input.some((rule) => rule.scanner.name === 'injection')
    ? inputSystemPrompt(context, body)
    : undefined;
  // A reversible redaction pseudonymises: the model sees `[EMAIL_1]`, the caller gets the
  // value back in the answer. One vault for all the request's messages keeps placeholders
  // consistent across them.
  const pseudonyms = policy.stages.input.some(
    ({ rule }) => rule.reversible === true && rule.action === 'redact',
  )
    ? new PseudonymVault()
    : undefined;
  // The user messages are judged together when nothing ties one verdict to the next: a remote
  // guard model is then asked about every turn of a conversation at once, not one turn after
  // another. A pseudonym vault numbers placeholders in message order, so it keeps the order.
  const early = pseudonyms ? null : judgeTogether(policy, body, systemPrompt, context.signal);
  try {
    return await judgeMessages(context, policy, body, systemPrompt, pseudonyms, early?.verdicts ?? null);
  } finally {
    // A block answers at once: the verdicts still queued are not asked for.
    early?.done.abort(new AppError('client_closed', 'The input was judged already.'));
  }
}

async function judgeMessages(
  context: RequestContext,
  policy: CompiledPolicy,
  body: ChatCompletionRequest,
  systemPrompt: string | undefined,
  pseudonyms: PseudonymVault | undefined,
  early: Array<GuardVerdict | Promise<GuardVerdict> | undefined> | null,
): Promise<ChatCompletionRequest> {
  let messages: ChatMessage[] | null = null;
  for (let index = 0; index < body.messages.length; index++) {
    const message = body.messages[index]!;
    if (!judged(policy, message)) continue;
    const text = messageText(message.content);
    if (!text) continue;
    const startTime = Date.now();
    const verdict = early
      ? await early[index]!
      : await evaluateStage(policy, 'input', text, {
          signal: context.signal,
          systemPrompt: message.role === 'user' ? systemPrompt : undefined,
          pseudonyms,
        });
    recordGuardSpan(context, policy, 'input', verdict, startTime, {
      'stackops.guard.message_index': index,
      ...(message.role === 'user' ? {} : { 'stackops.guard.message_role': message.role }),
    });
    if (verdict.action === 'block') {
      throw new AppError(
        'content_filter',
        verdict.blockedBy?.message ?? 'The input was blocked by the guard policy.',
        {
          param: `messages[${index}].content`,
        },
      );
    }
    if (verdict.action === 'redact') {
      const redacting = redactingRules(policy, false, verdict.skippedRules ?? null);
      const rewritten = await redactedMessage(message, verdict.text, redacting, {
        signal: context.signal,
        pseudonyms,
      });
      if (rewritten !== message) {
        messages ??= [...body.messages];
        messages[index] = rewritten;
      }
    }
  }
  const variables = await guardVariables(context, policy, body, pseudonyms);
  if (pseudonyms) {
    // The caller sends earlier turns back: an answer or a tool call that carried their restored
    // values, a tool result with them. The model must not see those either.
    const history = redactingRules(policy, true, null);
    for (let index = 0; index < body.messages.length; index++) {
      const message = (messages ?? body.messages)[index]!;
      if (message.role !== 'assistant' && message.role !== 'tool') continue;
      const rewritten = await pseudonymiseHistory(message, history, { signal: context.signal, pseudonyms });
      if (rewritten !== message) {
        messages ??= [...body.messages];
        messages[index] = rewritten;
      }
    }
  }
  if (pseudonyms && pseudonyms.size > 0) {
    context.pseudonyms = pseudonyms;
    context.attributes['stackops.guard.pseudonyms'] = pseudonyms.size;
  }
  if (!messages && !variables) return body;
  return { ...body, ...(messages ? { messages } : {}), ...(variables ? { variables } : {}) };
}

/**
 * The request's template variables, judged like user messages: each value the stack's prompt
 * renders (a string, or the JSON text a non-string renders as; not `input` and `context`, which
 * the stage fills, nor a default, which is the prompt's own text) is one input text. Variables
 * often carry end-user text (`{{question}}`, a pasted document), so a block answers 400
 * `content_filter` naming `variables.<name>`, and a redaction rewrites the value before it is
 * rendered. The system-prompt check is not applied: the template's system messages may hold the
 * variable itself. Returns the rewritten variables, or null when none changed.
 */
async function guardVariables(
  context: RequestContext,
  policy: CompiledPolicy,
  body: ChatCompletionRequest,
  pseudonyms: PseudonymVault | undefined,
): Promise<Record<string, unknown> | null> {
  const given = body.variables;
  const template = context.stack?.prompt?.template;
  if (!template || given === null || typeof given !== 'object' || Array.isArray(given)) return null;
  const values = given as Record<string, unknown>;
  let rewritten: Record<string, unknown> | null = null;
  for (const name of Object.keys(template.variables)) {
    if (name === 'input' || name === 'context' || !Object.hasOwn(values, name)) continue;
    const value = values[name];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!text) continue;
    const startTime = Date.now();
    const verdict = await evaluateStage(policy, 'input', text, { signal: context.signal, pseudonyms });
    recordGuardSpan(context, policy, 'input', verdict, startTime, { 'stackops.guard.variable': name });
    if (verdict.action === 'block') {
      throw new AppError(
        'content_filter',
        verdict.blockedBy?.message ?? 'The input was blocked by the guard policy.',
        { param: `variables.${name}` },
      );
    }
    if (verdict.action === 'redact') {
      rewritten ??= { ...values };
      rewritten[name] = verdict.text;
    }
  }
  return rewritten;
}

/**
 * Whether the input rules judge this caller message: a user message always; another role when
 * the policy lists it in `input_roles`. The system-prompt check is for user messages only (a
 * system message compared with itself would find what it protects).
 */
function judged(policy: CompiledPolicy, message: ChatMessage): boolean {
  return message.role === 'user' || (policy.inputRoles?.has(message.role) ?? false);
}

/**
 * Every judged message's verdict, started at once (by message index; undefined for the others).
 * Only when the stage waits on a remote scanner: local scanners answer synchronously, and
 * starting them all would only scan messages after a block for nothing. Aborting `done` stops
 * the verdicts not started yet and the calls still running.
 */
function judgeTogether(
  policy: CompiledPolicy,
  body: ChatCompletionRequest,
  systemPrompt: string | undefined,
  clientSignal: AbortSignal,
): { verdicts: Array<Promise<GuardVerdict> | undefined>; done: AbortController } | null {
  if (policy.stages.input.every(({ rule }) => rule.scanner !== 'remote')) return null;
  const done = new AbortController();
  const signal = AbortSignal.any([clientSignal, done.signal]);
  const texts = body.messages.map((message) => (judged(policy, message) ? messageText(message.content) : ''));
  const scanned = texts.map((text, index) => ({ text, index })).filter(({ text }) => text !== '');
  const verdicts: Array<Promise<GuardVerdict> | undefined> = new Array(texts.length);
  // At most REMOTE_FAN_OUT at once: a request may carry thousands of user messages.
  const started = startLimited(
    scanned,
    REMOTE_FAN_OUT,
    ({ text, index }) =>
      evaluateStage(policy, 'input', text, {
        signal,
        systemPrompt: body.messages[index]!.role === 'user' ? systemPrompt : undefined,
      }),
    signal,
  );
  scanned.forEach(({ index }, position) => {
    verdicts[index] = started[position];
  });
  // A verdict not awaited because an earlier message blocked must not reject unhandled.
  for (const verdict of started) verdict.catch(() => undefined);
  return { verdicts, done };
}

type RedactContext = { signal: AbortSignal; pseudonyms: PseudonymVault | undefined };

/**
 * A user message with the stage's redactions applied. String content takes the verdict's text;
 * content in parts has each text part redacted on its own by `redacting` (the rules that
 * rewrite, so no other scanner runs twice and no block found in a part alone skips the
 * redaction; the same vault keeps placeholders consistent), images and other parts untouched.
 */
async function redactedMessage(
  message: ChatMessage,
  redacted: string,
  redacting: CompiledPolicy,
  context: RedactContext,
): Promise<ChatMessage> {
  if (typeof message.content === 'string') return { ...message, content: redacted };
  if (!Array.isArray(message.content)) return message;
  const parts = [];
  for (const part of message.content) {
    if (typeof part.text !== 'string' || part.text === '') {
      parts.push(part);
      continue;
    }
    const verdict = await evaluateStage(redacting, 'input', part.text, context);
    parts.push(verdict.action === 'redact' ? { ...part, text: verdict.text } : part);
  }
  return { ...message, content: parts };
}

/** The policy's input rules that rewrite text, as a policy of their own, by policy and kind. */
const rewriting = new WeakMap<CompiledPolicy, Map<string, CompiledPolicy>>();

/**
 * The input rules that redact or mask (`reversibleOnly`: only the reversible redactions, which
 * pseudonymise), for rewriting the parts of a message or earlier turns. A rule that waits for
 * another scanner (`when`) runs on each part iff its condition was met on the whole message
 * (`skipped`, from that message's verdict): the condition's scanner is not in the subset, and a
 * part alone may not meet it — the second part of "confidential" + "mail bob@example.com" would
 * otherwise go upstream unredacted. Earlier turns (`skipped` null with `reversibleOnly`) take the
 * reversible rules whatever their condition: pseudonymising a value too many is restored in the
 * answer, one too few reaches the model.
 */
function redactingRules(
  policy: CompiledPolicy,
  reversibleOnly: boolean,
  skipped: readonly boolean[] | null,
): CompiledPolicy {
  let cached = rewriting.get(policy);
  if (!cached) {
    cached = new Map();
    rewriting.set(policy, cached);
  }
  const rules = policy.stages.input;
  let key = reversibleOnly ? 'r' : 'a';
  for (let index = 0; index < rules.length; index++)
    if (rules[index]!.rule.when)
      key += skipped?.[index] === false || (reversibleOnly && !skipped) ? '1' : '0';
  let subset = cached.get(key);
  if (!subset) {
    const input = [];
    for (let index = 0; index < rules.length; index++) {
      const compiled = rules[index]!;
      const { rule } = compiled;
      const rewrites = reversibleOnly
        ? rule.reversible === true && rule.action === 'redact'
        : rule.action === 'redact' || rule.action === 'mask';
      if (!rewrites) continue;
      if (!rule.when) input.push(compiled);
      else if (skipped?.[index] === false || (reversibleOnly && !skipped))
        input.push({ ...compiled, rule: { ...rule, when: undefined } });
    }
    subset = { ...policy, stages: { input, context: [], output: [] } };
    cached.set(key, subset);
  }
  return subset;
}

/** An earlier assistant or tool message with the caller's values replaced by their placeholders. */
async function pseudonymiseHistory(
  message: ChatMessage,
  history: CompiledPolicy,
  context: RedactContext,
): Promise<ChatMessage> {
  let rewritten = message;
  const text = messageText(message.content);
  if (text) {
    const verdict = await evaluateStage(history, 'input', text, context);
    if (verdict.action === 'redact')
      rewritten = await redactedMessage(message, verdict.text, history, context);
  }
  if (message.tool_calls?.length) {
    const calls = [];
    let changed = false;
    for (const call of message.tool_calls) {
      const args = call.function?.arguments;
      if (typeof args !== 'string' || args === '') {
        calls.push(call);
        continue;
      }
      // Placeholders hold no quote or backslash, so JSON arguments stay valid JSON.
      const verdict = await evaluateStage(history, 'input', args, context);
      if (verdict.action === 'redact') {
        changed = true;
        calls.push({ ...call, function: { ...call.function, arguments: verdict.text } });
      } else calls.push(call);
    }
    if (changed) rewritten = { ...rewritten, tool_calls: calls };
  }
  return rewritten;
}

/**
 * The system prompt a user message will be answered under, for the injection scanner's
 * system-prompt check: the stack template's system messages (with the request's string
 * variables; {{input}} and {{context}} empty) and the caller's own system/developer messages.
 */
function inputSystemPrompt(context: RequestContext, body: ChatCompletionRequest): string | undefined {
  const parts: string[] = [];
  const template = context.stack?.prompt?.template;
  if (template) {
    const values = new Map<string, string>();
    const variables = body.variables;
    if (variables !== null && typeof variables === 'object' && !Array.isArray(variables)) {
      for (const [name, value] of Object.entries(variables as Record<string, unknown>))
        if (typeof value === 'string') values.set(name, value);
    }
    values.delete('input');
    values.delete('context');
    for (const message of template.messages)
      if (message.role === 'system' || message.role === 'developer')
        parts.push(renderSegments(message.segments, values));
  }
  for (const message of body.messages)
    if (message.role === 'system' || message.role === 'developer') parts.push(messageText(message.content));
  const joined = parts.join('\n').trim();
  return joined === '' ? undefined : joined;
}

/**
 * Plants the canary in the first system message and remembers it for the output scan, with the
 * text the answer must not copy: the first system message of `instructions` — the request as
 * rendered before retrieval, so that the retrieved context, which answers are meant to quote,
 * is not part of it (a RAG answer citing its source is not a system-prompt leak).
 */
export function plantLeakCanary(
  context: RequestContext,
  request: ChatCompletionRequest,
  instructions: ChatCompletionRequest = request,
): ChatCompletionRequest {
  const policy = context.stack?.guard;
  if (!policy?.stages.output.some((rule) => rule.scanner.name === 'leak')) return request;
  const isSystem = (message: ChatMessage): boolean =>
    message.role === 'system' || message.role === 'developer';
  const index = request.messages.findIndex(isSystem);
  if (index === -1) return request;
  const planted = plantCanary(messageText(request.messages[index]!.content));
  const reference = instructions.messages.find(isSystem);
  const systemPrompt = messageText((reference ?? request.messages[index]!).content);
  context.guard = { systemPrompt, canary: planted.canary };
  const messages = [...request.messages];
  messages[index] = { ...messages[index]!, content: planted.prompt };
  return { ...request, messages };
}

/**
 * Stage: tool results. In an agent loop the caller sends back what its tools returned — `tool`
 * messages holding a fetched web page, an e-mail, a search hit, a file —, text that neither the
 * user nor the developer wrote and that the model reads as part of the conversation: the main
 * road of indirect prompt injection (AgentDojo's "important instructions" arrive this way). Such
 * text is scanned like a retrieved chunk, by the policy's context-stage rules:
 * - `drop` (or `block`) withholds the result: its content is replaced by a short notice saying
 *   why. The message itself stays, because the tool call it answers must keep an answer (a
 *   conversation with an unanswered tool call is refused by every OpenAI-compatible server);
 * - `flag` keeps it, and the trace says so;
 * - `redact` / `mask` rewrite it.
 * Every result is scanned, earlier turns included (a caller can rewrite its history), and the
 * verdicts of local scanners are cached by text per policy version, as for chunks: the same
 * results come back with every turn of a conversation. The guard span of a result acted on names
 * its message index and tool call id; the request's attributes count what was scanned.
 */
import type { ChatCompletionRequest, ChatMessage } from '../../core/index.js';
import { messageText } from '../../core/index.js';
import { evaluateStage, type GuardVerdict } from '../../guard/index.js';
import type { RequestContext } from '../context.js';
import { recordGuardSpan } from '../guard-span.js';
import { REMOTE_FAN_OUT, startLimited } from '../start-limited.js';
import { contextCache } from './guard-output.js';

/** What the model reads instead of a withheld tool result. */
export function withheldNotice(reason: string): string {
  return `[This tool result was withheld by the guard policy: ${reason}]`;
}

export async function guardToolResults(
  context: RequestContext,
  body: ChatCompletionRequest,
): Promise<ChatCompletionRequest> {
  const policy = context.stack?.guard;
  if (!policy || policy.stages.context.length === 0) return body;
  const indices: number[] = [];
  for (let index = 0; index < body.messages.length; index++) {
    const message = body.messages[index]!;
    if (message.role === 'tool' && messageText(message.content) !== '') indices.push(index);
  }
  if (indices.length === 0) return body;
  const cache = contextCache(policy);
  // Together: a remote guard model is asked about them at once, not one by one — at most
  // REMOTE_FAN_OUT at a time, as a request may carry thousands.
  const judged = await Promise.all(
    startLimited(indices, REMOTE_FAN_OUT, async (index) => {
      const text = messageText(body.messages[index]!.content);
      const startTime = Date.now();
      let verdict: GuardVerdict | undefined = cache?.get(text);
      const cached = verdict !== undefined;
      if (verdict === undefined) {
        verdict = await evaluateStage(policy, 'context', text, { signal: context.signal });
        cache?.remember(text, verdict);
      }
      return { index, verdict, cached, startTime };
    }),
  );
  let messages: ChatMessage[] | null = null;
  let withheld = 0;
  let flagged = 0;
  let redacted = 0;
  for (const { index, verdict, cached, startTime } of judged) {
    if (verdict.action === 'allow') continue;
    const message = body.messages[index]!;
    recordGuardSpan(context, policy, 'context', verdict, startTime, {
      'stackops.guard.source': 'tool',
      'stackops.guard.message_index': index,
      ...(message.tool_call_id ? { 'stackops.guard.tool_call_id': message.tool_call_id } : {}),
      ...(cached ? { 'stackops.guard.cached': true } : {}),
    });
    if (verdict.action === 'flag') {
      flagged++;
      continue;
    }
    let content: string;
    if (verdict.action === 'block') {
      withheld++;
      content = withheldNotice(verdict.blockedBy?.message ?? 'it looks like a prompt injection');
    } else {
      redacted++;
      content = verdict.text;
    }
    messages ??= [...body.messages];
    messages[index] = { ...message, content };
  }
  context.attributes['stackops.guard.tool_results.scanned'] = indices.length;
  if (withheld > 0) context.attributes['stackops.guard.tool_results.withheld'] = withheld;
  if (flagged > 0) context.attributes['stackops.guard.tool_results.flagged'] = flagged;
  if (redacted > 0) context.attributes['stackops.guard.tool_results.redacted'] = redacted;
  return messages ? { ...body, messages } : body;
}

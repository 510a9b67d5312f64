/**
 * Stage: retrieve and budget context for a stack with a knowledge snapshot. Searches the
 * pinned snapshot (loaded once per replica), passes the hits through the context scanner
 * seam (indirect-injection scanning plugs in here), then fits the best chunks into the
 * model's window: budget = context window − rendered prompt − max output tokens. The user's
 * question is part of the rendered prompt and is never cut. Records one retrieval span, with
 * counts of what the context guard scanned.
 */
import {
  AppError,
  type ChatCompletionRequest,
  messageText,
  newSpanId,
  type SpanRecord,
} from '../../core/index.js';
import {
  budgetContext,
  formatContext,
  type KnowledgeService,
  searchLoaded,
  tokenizerFor,
} from '../../knowledge/index.js';
import { ATTR } from '../../observe/index.js';
import type { RequestContext } from '../context.js';

export interface RetrievedChunk {
  chunkId: string;
  documentId: string;
  text: string;
  score: number;
  tokenCount: number;
  metadata: Record<string, unknown>;
}

/** A chunk the context scanner acted on, and why. */
export interface ScannedChunkNote {
  chunkId: string;
  reason: string;
}

/** How many chunks a scanner looked at; absent when it looked at none (no context rule). */
export interface ContextScanCounts {
  scanned: number;
  redacted: number;
  /** Verdicts reused from an identical chunk scanned before, not computed again. */
  cacheHits: number;
}

/**
 * Scans retrieved chunks before they reach the prompt. Returns the chunks to keep, those it
 * dropped, and those it flagged but kept (a policy decides which): the retrieval span lists
 * them apart, so a flagged chunk that did reach the model is never recorded as dropped. The
 * counts let the span tell "scanned, all clean" from "not scanned".
 */
export type ContextScanner = (
  chunks: RetrievedChunk[],
  context: RequestContext,
) => Promise<{
  chunks: RetrievedChunk[];
  dropped: ScannedChunkNote[];
  flagged: ScannedChunkNote[];
  counts?: ContextScanCounts;
}>;

export const passThroughScanner: ContextScanner = async (chunks) => ({ chunks, dropped: [], flagged: [] });

export interface Citation {
  index: number;
  document_id: string;
  chunk_id: string;
  snapshot: string;
  score: number;
}

export interface RetrievalOutcome {
  /** Renders the prompt with a given context text; returns the request to send. */
  contextText: string;
  citations: Citation[];
}

const DEFAULT_MAX_OUTPUT = 1024;

export async function retrieveContext(
  context: RequestContext,
  body: ChatCompletionRequest,
  knowledge: KnowledgeService,
  scanner: ContextScanner,
  render: (contextText: string) => ChatCompletionRequest,
  /** tracing.capture_content: the query is the user's text, recorded only when content is. */
  captureContent: boolean,
): Promise<{ request: ChatCompletionRequest; citations: Citation[] } | null> {
  const stack = context.stack;
  const pinned = stack?.spec.knowledge;
  if (!stack || !pinned || !context.model) return null;
  const settings = (stack.spec.retrieval ?? {}) as {
    top_k?: number;
    min_score?: number;
    mode?: 'bm25' | 'vector' | 'hybrid';
    filter?: Record<string, unknown>;
    max_context_tokens?: number;
  };
  const startTime = Date.now();
  const snapshotLabel = `${pinned.name}@${pinned.snapshot}`;
  let query = '';
  for (let index = body.messages.length - 1; index >= 0; index--) {
    if (body.messages[index]!.role === 'user') {
      query = messageText(body.messages[index]!.content);
      break;
    }
  }
  const loaded = await knowledge.loadVersion(context.auth!.projectId, pinned.name, pinned.snapshot);
  const hits = query
    ? await searchLoaded(loaded, {
        query,
        topK: settings.top_k ?? 5,
        minScore: settings.min_score,
        mode: settings.mode,
        filter: settings.filter as never,
      })
    : [];
  const scanned = await scanner(
    hits.map((hit) => ({ ...hit, chunkId: hit.chunkId })),
    context,
  );

  // Count the prompt as it will be sent, minus the context, with the model's tokenizer.
  const tokenizer = tokenizerFor(context.model.upstreamModel);
  const withoutContext = render('');
  const promptTokens = withoutContext.messages.reduce(
    (sum, message) => sum + tokenizer.count(messageText(message.content)) + 4,
    0,
  );
  const requestedOutput = withoutContext.max_completion_tokens ?? withoutContext.max_tokens;
  const maxOutputTokens = typeof requestedOutput === 'number' ? requestedOutput : DEFAULT_MAX_OUTPUT;
  let contextWindow = context.model.contextWindow;
  if (settings.max_context_tokens !== undefined) {
    contextWindow = Math.min(contextWindow, promptTokens + maxOutputTokens + settings.max_context_tokens);
  }
  const budget = budgetContext({
    chunks: scanned.chunks.map((chunk) => ({
      id: chunk.chunkId,
      documentId: chunk.documentId,
      text: chunk.text,
      score: chunk.score,
    })),
    contextWindow,
    promptTokens,
    maxOutputTokens,
    counter: tokenizer,
  });
  // The prompt and the output asked for do not fit the window at all: the upstream would refuse
  // the request, or answer it without any of the knowledge (every chunk dropped for want of
  // room) — neither is what the caller meant, so say which number to lower.
  if (budget.overflow > 0 && typeof requestedOutput === 'number' && scanned.chunks.length > 0) {
    const field = withoutContext.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
    throw new AppError(
      'context_length_exceeded',
      `${field} ${requestedOutput} and the prompt's ${promptTokens} tokens do not fit model "${context.model.name}"'s ${context.model.contextWindow}-token window, leaving no room for the retrieved context; lower ${field}.`,
      { param: field },
    );
  }
  const formatted = formatContext(budget.included);
  const citations: Citation[] = formatted.citations.map((citation) => ({
    index: citation.index,
    document_id: citation.documentId,
    chunk_id: citation.chunkId,
    snapshot: snapshotLabel,
    score: scanned.chunks.find((chunk) => chunk.chunkId === citation.chunkId)?.score ?? 0,
  }));

  const span: SpanRecord = {
    traceId: context.traceId,
    spanId: newSpanId(),
    parentSpanId: context.rootSpanId,
    projectId: context.auth!.projectId,
    name: `retrieve ${snapshotLabel}`,
    kind: 'retrieval',
    startTime,
    endTime: Date.now(),
    status: 'ok',
    statusMessage: null,
    attributes: {
      'gen_ai.operation.name': 'retrieval',
      'stackops.kb.snapshot': snapshotLabel,
      ...(captureContent && { 'stackops.retrieval.query': query }),
      'stackops.retrieval.top_k': settings.top_k ?? 5,
      'stackops.retrieval.chunks': hits.map((hit) => ({ chunk_id: hit.chunkId, score: hit.score })),
      'stackops.retrieval.included': budget.included.map((item) => ({
        chunk_id: item.chunk.id,
        tokens: item.tokens,
        trimmed: item.trimmed,
      })),
      'stackops.retrieval.dropped': [
        ...budget.dropped.map((item) => ({ chunk_id: item.id, reason: item.reason })),
        ...scanned.dropped.map((item) => ({ chunk_id: item.chunkId, reason: `scanner: ${item.reason}` })),
      ],
      'stackops.retrieval.flagged': scanned.flagged.map((item) => ({
        chunk_id: item.chunkId,
        reason: `scanner: ${item.reason}`,
      })),
      'stackops.retrieval.budget_tokens': budget.budget,
      'stackops.retrieval.context_tokens': budget.used,
      'stackops.retrieval.prompt_tokens': promptTokens,
      ...(scanned.counts && {
        [ATTR.retrievalGuardScanned]: scanned.counts.scanned,
        [ATTR.retrievalGuardFlagged]: scanned.flagged.length,
        [ATTR.retrievalGuardRedacted]: scanned.counts.redacted,
        [ATTR.retrievalGuardDropped]: scanned.dropped.length,
        [ATTR.retrievalGuardCacheHits]: scanned.counts.cacheHits,
      }),
    },
  };
  context.spans.push(span);
  return { request: render(formatted.text), citations };
}

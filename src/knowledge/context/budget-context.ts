/**
 * Context-window budgeting for retrieved chunks. The space for knowledge is
 * `contextWindow − promptTokens − maxOutputTokens` (never negative), where `promptTokens`
 * is the fully rendered prompt including the user's question — so the question is never cut;
 * only retrieved text is. Chunks arrive best first and are taken in order; the first one that
 * does not fit is trimmed at a sentence boundary (else a word boundary) if at least
 * `minTrimTokens` fit, else dropped, and so are all after it. Chunks repeating an included
 * chunk (same id, or the same text up to whitespace and case) are dropped as duplicates.
 */
import { ValidationError } from '../../core/index.js';
import { sentenceStarts, wordStarts } from './text-boundaries.js';
import type { Tokenizer } from './token-counter.js';

export interface ContextChunk {
  id: string;
  documentId: string;
  text: string;
  score: number;
}

export type TokenCounter = Pick<Tokenizer, 'count'> | ((text: string) => number);

export interface BudgetContextOptions<T extends ContextChunk> {
  /** Retrieved chunks, best first. */
  chunks: readonly T[];
  contextWindow: number;
  /** Tokens of the rendered prompt (system, template, history and the user's question). */
  promptTokens: number;
  maxOutputTokens: number;
  counter: TokenCounter;
  /**
   * Tokens each included chunk costs besides its text (its `[n] ` label and the blank line
   * between sources). Default: counted with `counter` for each label.
   */
  separatorTokens?: number;
  /** The smallest useful trimmed chunk. Default 32. */
  minTrimTokens?: number;
}

export interface IncludedChunk<T extends ContextChunk> {
  chunk: T;
  /** The chunk's text, or its trimmed prefix. */
  text: string;
  tokens: number;
  trimmed: boolean;
}

export interface DroppedChunk {
  id: string;
  reason: 'budget' | 'duplicate';
}

export interface ContextBudget<T extends ContextChunk> {
  included: IncludedChunk<T>[];
  dropped: DroppedChunk[];
  /** Tokens available for knowledge. */
  budget: number;
  /** Tokens spent: included texts plus separators; never above `budget`. */
  used: number;
  /** How far `promptTokens + maxOutputTokens` exceeds the window (0 when it fits). */
  overflow: number;
}

export const DEFAULT_MIN_TRIM_TOKENS = 32;

function counterFunction(counter: TokenCounter): (text: string) => number {
  return typeof counter === 'function' ? counter : (text) => counter.count(text);
}

function requireCount(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0)
    throw new ValidationError(`${name} must be a number ≥ 0`, { param: name });
  return Math.floor(value);
}

function duplicateKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The longest prefix of `text` ending at one of `cuts` that fits `limit`, by binary search. */
function longestPrefix(text: string, cuts: number[], limit: number, count: (text: string) => number) {
  let best: { text: string; tokens: number } | null = null;
  let low = 0;
  let high = cuts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const prefix = text.slice(0, cuts[middle]).trimEnd();
    const tokens = count(prefix);
    if (tokens <= limit) {
      best = { text: prefix, tokens };
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

/**
 * The longest prefix of `text` within `limit` tokens: ending at a sentence if that keeps at
 * least `minimum` tokens, else at a word; null if neither reaches `minimum`.
 */
export function trimToTokens(
  text: string,
  limit: number,
  minimum: number,
  count: (text: string) => number,
): { text: string; tokens: number } | null {
  const sentence = longestPrefix(text, sentenceStarts(text), limit, count);
  if (sentence && sentence.tokens >= minimum) return sentence;
  const word = longestPrefix(text, wordStarts(text), limit, count);
  if (word && word.tokens >= minimum) return word;
  return null;
}

/**
 * Picks and trims retrieved chunks to fit the context window (see the module comment).
 *
 * @example
 * const tokenizer = tokenizerFor('gpt-4o');
 * const { included } = budgetContext({ chunks, contextWindow: 128_000, promptTokens: tokenizer.count(prompt),
 *   maxOutputTokens: 1024, counter: tokenizer });
 * const { text, citations } = formatContext(included);
 */
export function budgetContext<T extends ContextChunk>(options: BudgetContextOptions<T>): ContextBudget<T> {
  const count = counterFunction(options.counter);
  const contextWindow = requireCount(options.contextWindow, 'contextWindow');
  const promptTokens = requireCount(options.promptTokens, 'promptTokens');
  const maxOutputTokens = requireCount(options.maxOutputTokens, 'maxOutputTokens');
  const minTrim = Math.max(
    1,
    requireCount(options.minTrimTokens ?? DEFAULT_MIN_TRIM_TOKENS, 'minTrimTokens'),
  );
  const overflow = Math.max(0, promptTokens + maxOutputTokens - contextWindow);
  const budget = Math.max(0, contextWindow - promptTokens - maxOutputTokens);
  const separatorFor = (index: number): number =>
    options.separatorTokens !== undefined
      ? requireCount(options.separatorTokens, 'separatorTokens')
      : count(`[${index}] `) + (index > 1 ? count('\n\n') : 0);

  const included: IncludedChunk<T>[] = [];
  const dropped: DroppedChunk[] = [];
  const seenIds = new Set<string>();
  const seenTexts = new Set<string>();
  let used = 0;
  let full = false;
  for (const chunk of options.chunks) {
    const key = duplicateKey(chunk.text);
    if (seenIds.has(chunk.id) || seenTexts.has(key)) {
      dropped.push({ id: chunk.id, reason: 'duplicate' });
      continue;
    }
    seenIds.add(chunk.id);
    seenTexts.add(key);
    if (full) {
      dropped.push({ id: chunk.id, reason: 'budget' });
      continue;
    }
    const separator = separatorFor(included.length + 1);
    const room = budget - used - separator;
    const tokens = count(chunk.text);
    if (tokens <= room) {
      included.push({ chunk, text: chunk.text, tokens, trimmed: false });
      used += tokens + separator;
      continue;
    }
    full = true;
    const trimmed = room >= minTrim ? trimToTokens(chunk.text, room, minTrim, count) : null;
    if (trimmed) {
      included.push({ chunk, text: trimmed.text, tokens: trimmed.tokens, trimmed: true });
      used += trimmed.tokens + separator;
    } else {
      dropped.push({ id: chunk.id, reason: 'budget' });
    }
  }
  return { included, dropped, budget, used, overflow };
}

export interface Citation {
  /** The `[n]` label in the context text, from 1. */
  index: number;
  documentId: string;
  chunkId: string;
}

/** Numbered sources for the prompt — `[1] …\n\n[2] …` — and what each number cites. */
export function formatContext<T extends ContextChunk>(
  included: readonly IncludedChunk<T>[],
): { text: string; citations: Citation[] } {
  const citations = included.map((entry, position) => ({
    index: position + 1,
    documentId: entry.chunk.documentId,
    chunkId: entry.chunk.id,
  }));
  const text = included.map((entry, position) => `[${position + 1}] ${entry.text}`).join('\n\n');
  return { text, citations };
}

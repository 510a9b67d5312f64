/**
 * @module providers/local-extractive/extract-answer
 *
 * The "reasoning" of the built-in responder, which has no model: find the context in the
 * conversation, then return the 1–3 context sentences sharing the most words with the last
 * user message. Context is every system/developer message, every tool result, and any
 * `<context>…</context>` block, `Context:` section (up to a `Question:` line) or numbered
 * source line (`[1] …`) in a user message. Scoring counts the distinct non-stop-words a
 * sentence shares with the question; ties keep document order; sentences scoring half the best
 * or less are dropped; the chosen ones are returned in document order. With no matching
 * sentence the reply is `You said: <last user message>`, or, when the conversation carried
 * explicit context (not just a system prompt), a fixed "could not find" sentence.
 */
import { type ChatMessage, messageText } from '../../core/index.js';
import { terms } from './text-terms.js';

export const NOT_FOUND_ANSWER = 'I could not find an answer to that in the provided context.';
const MAX_SENTENCES = 3;

const CONTEXT_TAG_NAMES = ['context', 'documents', 'document', 'sources', 'source'] as const;
const CONTEXT_HEADING = /^[ \t]*(?:#+[ \t]*)?(?:context|sources|documents)[ \t]*:[ \t]*/im;
const QUESTION_HEADING = /^[ \t]*(?:#+[ \t]*)?(?:question|query|q)[ \t]*:[ \t]*/im;
const NUMBERED_SOURCE = /^[ \t]*\[\d+\][ \t]*(.+)$/gm;
const LINE_MARKER = /^[ \t]*(?:\[\d+\]|[-*•]|\d+[.)])[ \t]+/;
const SENTENCE_BREAK = /(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'([])/u;

/**
 * `text.replace(/<(context|documents?|sources?)>([\s\S]*?)<\/\1>/gi, '\n')`, collecting each
 * block's inner text, in O(n log n): that regular expression scanned from every unclosed tag to
 * the end of the text (quadratic; 0.5 s on 100 KB of `<source>`). Case folding is ASCII-only,
 * as the regular expression's (without the u flag, no other character folds to a-z).
 */
export function replaceContextTags(text: string, blocks: string[]): string {
  if (!text.includes('<')) return text;
  const lower = text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  const closings = new Map<string, number[]>();
  for (const name of CONTEXT_TAG_NAMES) {
    const positions: number[] = [];
    for (let at = lower.indexOf(`</${name}>`); at >= 0; at = lower.indexOf(`</${name}>`, at + 1))
      positions.push(at);
    closings.set(name, positions);
  }
  let out = '';
  let copied = 0;
  for (let at = lower.indexOf('<'); at >= 0; at = lower.indexOf('<', at + 1)) {
    for (const name of CONTEXT_TAG_NAMES) {
      if (!lower.startsWith(`<${name}>`, at)) continue;
      const innerStart = at + name.length + 2;
      const positions = closings.get(name)!;
      let low = 0;
      let high = positions.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (positions[middle]! < innerStart) low = middle + 1;
        else high = middle;
      }
      if (low === positions.length) continue;
      const close = positions[low]!;
      blocks.push(text.slice(innerStart, close));
      out += `${text.slice(copied, at)}\n`;
      copied = close + name.length + 3;
      at = copied - 1;
      break;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Splits a text into its delimited context blocks and the rest (the question). */
export function splitContext(text: string): { blocks: string[]; rest: string } {
  const blocks: string[] = [];
  let rest = replaceContextTags(text, blocks);
  const heading = CONTEXT_HEADING.exec(rest);
  if (heading) {
    const start = heading.index;
    const contentStart = start + heading[0].length;
    const question = QUESTION_HEADING.exec(rest.slice(contentStart));
    const end = question ? contentStart + question.index : rest.length;
    blocks.push(rest.slice(contentStart, end));
    rest = rest.slice(0, start) + rest.slice(end);
  }
  rest = rest.replace(NUMBERED_SOURCE, (_match, line: string) => {
    blocks.push(line);
    return '';
  });
  return { blocks, rest: rest.replace(QUESTION_HEADING, '').trim() };
}

/** Sentences of a context block; wrapped lines are rejoined, list markers and `[n]` dropped. */
export function splitSentences(block: string): string[] {
  const units: string[] = [];
  let current = '';
  for (const rawLine of block.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line) {
      if (current) units.push(current);
      current = '';
      continue;
    }
    const marked = LINE_MARKER.test(rawLine);
    const cleaned = rawLine.replace(LINE_MARKER, '').trim();
    if (current && !marked && !/[.!?:]$/.test(current)) current += ` ${cleaned}`;
    else {
      if (current) units.push(current);
      current = cleaned;
    }
  }
  if (current) units.push(current);
  const sentences: string[] = [];
  for (const unit of units) {
    for (const sentence of unit.split(SENTENCE_BREAK)) {
      const trimmed = sentence.trim();
      if (trimmed) sentences.push(trimmed);
    }
  }
  return sentences;
}

interface GatheredContext {
  /** Delimited context, tool results. */
  explicit: string[];
  /** System prompts: context, but not evidence that the user supplied any. */
  weak: string[];
  query: string;
  lastUserText: string;
}

export function gatherContext(messages: readonly ChatMessage[]): GatheredContext {
  const explicit: string[] = [];
  const weak: string[] = [];
  let lastUser = -1;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.role === 'user') {
      lastUser = index;
      break;
    }
  }
  let query = '';
  let lastUserText = '';
  messages.forEach((message, index) => {
    const text = messageText(message.content);
    if (!text) return;
    if (message.role === 'tool') {
      explicit.push(text);
      return;
    }
    if (message.role === 'assistant') return;
    const { blocks, rest } = splitContext(text);
    explicit.push(...blocks);
    if (message.role === 'system' || message.role === 'developer') {
      if (rest) weak.push(rest);
    } else if (index === lastUser) {
      lastUserText = text;
      query = rest || text;
    }
  });
  return { explicit, weak, query, lastUserText };
}

/** The responder's whole answer for a conversation. */
export function extractAnswer(messages: readonly ChatMessage[]): string {
  const { explicit, weak, query, lastUserText } = gatherContext(messages);
  const queryTerms = new Set(terms(query));
  const seen = new Set<string>();
  const scored: Array<{ sentence: string; score: number; position: number }> = [];
  for (const block of [...explicit, ...weak]) {
    for (const sentence of splitSentences(block)) {
      if (seen.has(sentence)) continue;
      seen.add(sentence);
      let score = 0;
      for (const term of new Set(terms(sentence))) if (queryTerms.has(term)) score++;
      scored.push({ sentence, score, position: scored.length });
    }
  }
  const best = scored.reduce((max, entry) => Math.max(max, entry.score), 0);
  if (best === 0) return explicit.length > 0 ? NOT_FOUND_ANSWER : `You said: ${lastUserText}`;
  return scored
    .filter((entry) => entry.score * 2 > best)
    .sort((left, right) => right.score - left.score || left.position - right.position)
    .slice(0, MAX_SENTENCES)
    .sort((left, right) => left.position - right.position)
    .map((entry) => entry.sentence)
    .join(' ');
}

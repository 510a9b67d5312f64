/** Token counting and context-window budgeting for retrieved chunks. The only door of `knowledge/context`. */

export {
  type BudgetContextOptions,
  budgetContext,
  type Citation,
  type ContextBudget,
  type ContextChunk,
  DEFAULT_MIN_TRIM_TOKENS,
  type DroppedChunk,
  formatContext,
  type IncludedChunk,
  type TokenCounter,
  trimToTokens,
} from './budget-context.js';
export {
  clauseStarts,
  lineStarts,
  sentenceStarts,
  splitsSurrogatePair,
  trimSpan,
  wordStarts,
} from './text-boundaries.js';
export {
  countTokens,
  estimateTokens,
  estimateTokenWeight,
  isCjkCode,
  preloadTokenizers,
  type Tokenizer,
  tokenizerFor,
} from './token-counter.js';

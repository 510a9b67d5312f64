/**
 * Token counting. Models whose tokenizer we ship are counted exactly with `gpt-tokenizer`:
 * `o200k_base` for gpt-4o / gpt-4.1 / gpt-4.5 / gpt-5 / o-series / gpt-oss, `cl100k_base` for
 * gpt-4 / gpt-3.5 and the OpenAI embedding models. Calling without a model uses `o200k_base`,
 * the encoding of current OpenAI models, so chunk sizes are real tokens. Any other model
 * (Qwen, Llama, Claude…) gets `estimateTokens`, a per-script estimate, flagged `exact: false`.
 *
 * The encodings are loaded on first use (o200k_base takes ~1–1.5 s and ~90 MB), synchronously
 * through `require`, so counting stays a plain function. Special-token strings such as `<|endoftext|>`
 * inside user text are counted as ordinary text instead of throwing.
 */
import { createRequire } from 'node:module';

/** A token counter for one model family. */
export interface Tokenizer {
  /** `o200k_base`, `cl100k_base` or `estimate`. */
  readonly name: string;
  /** True when `count` runs the model's real tokenizer. */
  readonly exact: boolean;
  count(text: string): number;
}

type EncodingName = 'o200k_base' | 'cl100k_base';
type EncodingModule = Pick<typeof import('gpt-tokenizer/encoding/o200k_base'), 'countTokens'>;

const requireModule = createRequire(import.meta.url);
const encodings = new Map<EncodingName, EncodingModule>();
/** Special tokens in documents are text, never control tokens. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

function loadEncoding(name: EncodingName): EncodingModule {
  let encoding = encodings.get(name);
  if (!encoding) {
    encoding = requireModule(`gpt-tokenizer/cjs/encoding/${name}`) as EncodingModule;
    encodings.set(name, encoding);
  }
  return encoding;
}

function exactTokenizer(name: EncodingName): Tokenizer {
  return {
    name,
    exact: true,
    count: (text) => (text.length === 0 ? 0 : loadEncoding(name).countTokens(text, PLAIN_TEXT)),
  };
}

/**
 * Estimated tokens, for models whose tokenizer we do not ship:
 * `ceil(latin / 4 + other / 2 + cjk)` where
 * - `latin` = ASCII and Latin-script characters (incl. whitespace, digits, punctuation): ~4 per token,
 * - `cjk` = Han, Hiragana, Katakana, Hangul, CJK and full-width punctuation: ~1 token each,
 * - `other` = every other UTF-16 unit (Cyrillic, Greek, Arabic, Indic, Thai, emoji halves): ~2 per token.
 * It tends to overcount English for o200k-style vocabularies (~4.5–5 chars per token), which
 * errs on the safe side for context budgets.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(estimateTokenWeight(text));
}

/** `estimateTokens` before rounding up: additive over pieces of a text, used while packing chunks. */
export function estimateTokenWeight(text: string): number {
  let latin = 0;
  let cjk = 0;
  let other = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x250) latin++;
    else if (isCjkCode(code)) cjk++;
    else other++;
  }
  return latin / 4 + other / 2 + cjk;
}

/** Han, kana, Hangul, CJK punctuation and full-width forms (BMP only). */
export function isCjkCode(code: number): boolean {
  return (
    (code >= 0x3000 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}

const ESTIMATE: Tokenizer = { name: 'estimate', exact: false, count: estimateTokens };
const O200K = exactTokenizer('o200k_base');
const CL100K = exactTokenizer('cl100k_base');

/** Model name → encoding, by family; dated, `-mini`, provider-prefixed and `ft:` names included. */
function encodingFor(model: string): EncodingName | null {
  let name = model.trim().toLowerCase();
  if (name.startsWith('ft:')) name = name.slice(3);
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  if (/^(chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|gpt-realtime|gpt-audio|o\d)/.test(name)) {
    return 'o200k_base';
  }
  if (/^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)/.test(name)) return 'cl100k_base';
  return null;
}

/**
 * The tokenizer for a model: exact for OpenAI model families, the per-script estimate for
 * anything else, `o200k_base` when no model is named.
 *
 * @example
 * tokenizerFor('gpt-4o-mini'); // { name: 'o200k_base', exact: true, count }
 * tokenizerFor('qwen-max').count('你好，世界'); // 5 (estimate)
 */
export function tokenizerFor(model?: string | null): Tokenizer {
  if (model === undefined || model === null || model.trim() === '') return O200K;
  const encoding = encodingFor(model);
  if (encoding === 'o200k_base') return O200K;
  if (encoding === 'cl100k_base') return CL100K;
  return ESTIMATE;
}

/**
 * Loads both encodings now (~1.5 s, ~100 MB) instead of on the first count — for a server
 * start, so the first request does not pay for it.
 */
export function preloadTokenizers(): void {
  loadEncoding('o200k_base');
  loadEncoding('cl100k_base');
}

/** Tokens in `text` for `model` (see `tokenizerFor`). */
export function countTokens(text: string, model?: string | null): number {
  return tokenizerFor(model).count(text);
}

/**
 * The committed model (model/suffix-model.json, written by scripts/train-suffix.ts), decoded
 * once on first use, and the one-call entry point.
 */

import { decodeSuffixModel, isSuffixModelFile, type SuffixModel } from './language-model.js';
import modelJson from './model/suffix-model.json' with { type: 'json' };
import { SuffixScorer, type SuffixVerdict } from './scorer.js';

let cachedModel: SuffixModel | undefined;
let cachedScorer: SuffixScorer | undefined;

/** The committed model, decoded (512 KB of table, shared by all scorers). */
export function defaultSuffixModel(): SuffixModel {
  if (cachedModel === undefined) {
    const file: unknown = modelJson;
    if (!isSuffixModelFile(file))
      throw new Error('src/guard/injection/suffix/model/suffix-model.json is not a valid model');
    cachedModel = decodeSuffixModel(file);
  }
  return cachedModel;
}

/**
 * Scores a text for an adversarial suffix with the committed model. `score` ≥ 0.5 means
 * flagged; `start`/`end` is the suspicious span. Null when the text is shorter than 16
 * characters or no window shows the shape of a suffix at all.
 *
 * @example
 * const verdict = scoreAdversarialSuffix('Write a poem about cats');
 * // → null
 */
export function scoreAdversarialSuffix(text: string): SuffixVerdict | null {
  cachedScorer ??= new SuffixScorer(defaultSuffixModel());
  return cachedScorer.score(text);
}

/**
 * Which threshold a view gets: the classifier's logits sit on different scales for Chinese,
 * Japanese and Korean text (character n-grams only, no word features, different benign data),
 * so the model carries a second threshold chosen on the CJK validation rows alone.
 */
import { cjkShare } from '../toxicity/prepare-text.js';

/** True when CJK characters (each weighed as three letters) are at least half the view's letters. */
export function isCjkDominant(text: string): boolean {
  return cjkShare(text) >= 0.5;
}

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

const KANA_OR_HANGUL = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;

/** True when the text has a kana or hangul character: Japanese or Korean rather than Chinese. */
export function hasKanaOrHangul(text: string): boolean {
  return KANA_OR_HANGUL.test(text);
}

/**
 * Which threshold a view gets: the classifier's logits sit on different scales for Chinese,
 * Japanese and Korean text (character n-grams only, no word features, different benign data),
 * so the model carries a second threshold chosen on the CJK validation rows alone.
 */

/** True when CJK characters (Han, kana, Hangul) dominate the view's letters. */
export function isCjkDominant(text: string): boolean {
  let cjk = 0;
  let other = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x41) continue;
    if (
      (code >= 0x3040 && code <= 0x30ff) ||
      (code >= 0x3400 && code <= 0x9fff) ||
      (code >= 0xac00 && code <= 0xd7af) ||
      (code >= 0xf900 && code <= 0xfaff)
    ) {
      cjk++;
    } else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code >= 0xc0) other++;
  }
  // A CJK character carries about as much as a short word: weigh it three letters.
  return cjk > 0 && cjk * 3 >= other;
}

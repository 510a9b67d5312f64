/**
 * A compact confusables table: Cyrillic, Greek, IPA/Latin-extended and small-capital letters
 * that render like ASCII letters, mapped to those letters. NFKC already folds fullwidth forms,
 * mathematical alphanumerics and circled letters, so they are not repeated here. The table is
 * deliberately small (the letters attackers actually swap into English keywords, after Unicode
 * UTS #39 confusables.txt); it is applied only where mixing scripts is suspicious (see
 * canonicalize.ts), so Russian or Greek prose is left alone.
 */

const PAIRS: ReadonlyArray<readonly [string, string]> = [
  // Cyrillic lower case
  ['а', 'a'],
  ['в', 'b'],
  ['с', 'c'],
  ['ԁ', 'd'],
  ['е', 'e'],
  ['ё', 'e'],
  ['һ', 'h'],
  ['і', 'i'],
  ['ї', 'i'],
  ['ј', 'j'],
  ['к', 'k'],
  ['ӏ', 'l'],
  ['м', 'm'],
  ['н', 'h'],
  ['о', 'o'],
  ['р', 'p'],
  ['ԛ', 'q'],
  ['г', 'r'],
  ['ѕ', 's'],
  ['т', 't'],
  ['ц', 'u'],
  ['ѵ', 'v'],
  ['ԝ', 'w'],
  ['х', 'x'],
  ['у', 'y'],
  ['ɡ', 'g'],
  // Cyrillic upper case
  ['А', 'A'],
  ['В', 'B'],
  ['С', 'C'],
  ['Е', 'E'],
  ['Н', 'H'],
  ['І', 'I'],
  ['Ј', 'J'],
  ['К', 'K'],
  ['М', 'M'],
  ['О', 'O'],
  ['Р', 'P'],
  ['Ѕ', 'S'],
  ['Т', 'T'],
  ['Х', 'X'],
  ['У', 'Y'],
  ['Ԝ', 'W'],
  // Greek
  ['α', 'a'],
  ['β', 'b'],
  ['ε', 'e'],
  ['η', 'n'],
  ['ι', 'i'],
  ['κ', 'k'],
  ['ν', 'v'],
  ['ο', 'o'],
  ['ρ', 'p'],
  ['τ', 't'],
  ['υ', 'u'],
  ['χ', 'x'],
  ['γ', 'y'],
  ['ϲ', 'c'],
  ['ϳ', 'j'],
  ['Α', 'A'],
  ['Β', 'B'],
  ['Ε', 'E'],
  ['Ζ', 'Z'],
  ['Η', 'H'],
  ['Ι', 'I'],
  ['Κ', 'K'],
  ['Μ', 'M'],
  ['Ν', 'N'],
  ['Ο', 'O'],
  ['Ρ', 'P'],
  ['Τ', 'T'],
  ['Υ', 'Y'],
  ['Χ', 'X'],
  // Latin extended / IPA
  ['ɑ', 'a'],
  ['ı', 'i'],
  ['ȷ', 'j'],
  ['ɩ', 'i'],
  ['ɪ', 'i'],
  ['ʟ', 'l'],
  ['ɴ', 'n'],
  ['ʀ', 'r'],
  ['ʏ', 'y'],
  ['ɢ', 'g'],
  ['ʜ', 'h'],
  ['ʙ', 'b'],
  // Small capitals (phonetic extensions block)
  ['ᴀ', 'a'],
  ['ᴄ', 'c'],
  ['ᴅ', 'd'],
  ['ᴇ', 'e'],
  ['ᴊ', 'j'],
  ['ᴋ', 'k'],
  ['ᴍ', 'm'],
  ['ᴏ', 'o'],
  ['ᴘ', 'p'],
  ['ᴛ', 't'],
  ['ᴜ', 'u'],
  ['ᴠ', 'v'],
  ['ᴡ', 'w'],
  ['ᴢ', 'z'],
];

/** Confusable code unit → ASCII letter. All keys are single UTF-16 code units. */
export const CONFUSABLES: ReadonlyMap<number, string> = new Map(
  PAIRS.map(([from, to]) => [from.charCodeAt(0), to] as const),
);

/** True for letters in the Cyrillic or Greek blocks (the scripts the table folds). */
export function isCyrillicOrGreek(code: number): boolean {
  return (code >= 0x0370 && code <= 0x03ff) || (code >= 0x0400 && code <= 0x052f);
}

/** True for ASCII letters. */
export function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

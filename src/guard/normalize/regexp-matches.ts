/**
 * `matchesOf(pattern, text)`: every match of a global regular expression, the same matches in
 * the same order as `[...text.matchAll(pattern)]`, found with the expression itself.
 *
 * Why not `matchAll` on the scan path: it clones the expression on every call (the species
 * constructor, by the specification), and the clone's compiled code comes from V8's
 * compilation cache, which garbage collections clear; then the clone is compiled again. Once
 * a process has generated 1 MB of regular-expression code in total and holds more than 16 MB
 * of executable memory (V8's `TooMuchRegExpCode`: `npm run bench:guard` reaches it in its PII
 * part, where the peer libraries compile thousands of expressions; so can a long-running
 * gateway), V8 compiles every new expression without optimisation, and such code ran the
 * same scan 3–4× slower (docs/guardrails-latency.md, session 7). A module-level expression
 * compiled once keeps its code; its clones did not.
 */

/**
 * The matches of `pattern` (which must have the `g` flag) in `text`, as `matchAll` gives them:
 * from index 0 whatever `pattern.lastIndex` was, an empty match advancing by one code unit (a
 * code point with the `u` or `v` flag). `pattern.lastIndex` is 0 afterwards. Nothing runs
 * between the `exec` calls, so a caller may use the same expression again (also re-entrantly)
 * while it visits the returned matches.
 */
export function matchesOf(pattern: RegExp, text: string): RegExpExecArray[] {
  if (!pattern.global) throw new TypeError(`matchesOf needs a global expression, got ${pattern}`);
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  try {
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      matches.push(match);
      if (match[0].length === 0) pattern.lastIndex = advance(text, pattern.lastIndex, isUnicode(pattern));
    }
  } finally {
    pattern.lastIndex = 0;
  }
  return matches;
}

/** The `u` or `v` flag (`unicodeSets` is not in this project's ES2023 library types). */
function isUnicode(pattern: RegExp): boolean {
  return pattern.unicode || pattern.flags.includes('v');
}

/** AdvanceStringIndex of the specification. */
function advance(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const code = text.charCodeAt(index);
  if (code < 0xd800 || code > 0xdbff) return index + 1;
  const next = text.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff ? index + 2 : index + 1;
}

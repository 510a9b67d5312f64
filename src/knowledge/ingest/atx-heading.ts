/**
 * Markdown ATX headings (`## Title ##`) read by one linear pass. It returns what
 * `/^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/` captured (and, with `maxLevel` 1 and
 * `nonEmpty`, `/^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/`): those backtracked quadratically
 * in a run of blanks inside the title and cubically when a line separator followed it
 * (2.5 s for one 32 KB line), on documents being ingested. Same results: test/unit/regex-rewrites.test.ts.
 */

const isBlank = (code: number): boolean => code === 32 || code === 9;
// What `.` does not match: the line terminators.
const isTerminator = (code: number): boolean =>
  code === 10 || code === 13 || code === 0x2028 || code === 0x2029;

export interface AtxHeading {
  /** The opening `#` run. */
  hashes: string;
  /** The text between it and the optional closing `#` run, blanks included as the regex kept them. */
  content: string;
}

export function matchAtxHeading(line: string, maxLevel: number, nonEmpty: boolean): AtxHeading | null {
  let at = 0;
  while (at < 3 && line.charCodeAt(at) === 32) at++;
  const hashStart = at;
  while (line.charCodeAt(at) === 35) at++;
  const level = at - hashStart;
  if (level < 1 || level > maxLevel || !isBlank(line.charCodeAt(at))) return null;
  const hashes = line.slice(hashStart, at);
  const blanksStart = at;
  while (isBlank(line.charCodeAt(at))) at++;
  for (let index = at; index < line.length; index++) if (isTerminator(line.charCodeAt(index))) return null;
  if (at === line.length) {
    if (!nonEmpty) return { hashes, content: '' };
    // `.+?` takes the last blank back from `[ \t]+`, which keeps at least one.
    return at - blanksStart >= 2 ? { hashes, content: line.slice(at - 1) } : null;
  }
  let end = line.length;
  while (end > at && isBlank(line.charCodeAt(end - 1))) end--;
  let closing = end;
  while (closing > at && line.charCodeAt(closing - 1) === 35) closing--;
  let contentEnd = end;
  if (closing < end && closing > at && isBlank(line.charCodeAt(closing - 1))) {
    contentEnd = closing - 1;
    while (contentEnd > at && isBlank(line.charCodeAt(contentEnd - 1))) contentEnd--;
  }
  return { hashes, content: line.slice(at, contentEnd) };
}

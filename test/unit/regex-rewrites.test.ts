/**
 * Each regular expression rewritten because it could backtrack catastrophically
 * (test/unit/regex-safety.test.ts) gives the same result as the pattern it replaced, on random
 * strings short enough for the old pattern to finish, drawn from an alphabet of the characters
 * and words that matter to it. The result compared is what the code uses: `replace`, `exec`
 * (index and groups), or a sticky `exec` from every position. Each new pattern must also be
 * the one in the source, so this cannot drift from the code.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Inventory,
  recordConstructed,
  repositoryRoot,
  scanSources,
} from '../helpers/regex-inventory.js';
import { builtRewrites, REWRITES, type Use } from '../helpers/regex-rewrites.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function outcome(pattern: RegExp, text: string, use: Use): unknown {
  if (use === 'replace') return text.replace(pattern, '<$&>');
  if (use === 'sticky') {
    const results: unknown[] = [];
    for (let position = 0; position <= text.length; position++) {
      pattern.lastIndex = position;
      const match = pattern.exec(text);
      results.push(match && [match.index, ...match]);
    }
    return results;
  }
  const subject = use === 'trimmed-exec' ? text.trim() : text;
  pattern.lastIndex = 0;
  const match = pattern.exec(subject);
  return match && [match.index, ...match];
}

describe('rewritten regular expressions give the same results as the ones they replaced', () => {
  const inventory: Inventory = scanSources();
  beforeAll(async () => {
    await recordConstructed(inventory);
    REWRITES.push(...builtRewrites(inventory));
  });

  it('every rewrite', () => {
    expect(REWRITES.length).toBe(17);
  });

  it.each(Array.from({ length: 17 }, (_, index) => index))('rewrite #%i', (index) => {
    const rewrite = REWRITES[index]!;
    expect(rewrite.after.source).not.toBe(rewrite.before.source);
    if (rewrite.built) {
      const built = inventory.constructors
        .filter((site) => site.file === rewrite.file)
        .flatMap((site) => site.built);
      expect(
        built.some((pattern) => pattern.source === rewrite.after.source),
        'the new pattern is the one built',
      ).toBe(true);
      expect(built.some((pattern) => pattern.source === rewrite.before.source)).toBe(false);
    } else {
      expect(
        inventory.literals.some(
          (literal) =>
            literal.file === rewrite.file &&
            literal.source === rewrite.after.source &&
            literal.flags === rewrite.after.flags,
        ),
        'the new pattern is the one in the source',
      ).toBe(true);
      expect(inventory.literals.some((literal) => literal.source === rewrite.before.source)).toBe(false);
    }
    const next = random(rewrite.file.length * 7919 + rewrite.after.source.length);
    let matched = 0;
    for (let sample = 0; sample < 40_000; sample++) {
      const pieces = Math.floor(next() * 14);
      let text = '';
      for (let piece = 0; piece < pieces; piece++)
        text += rewrite.alphabet[Math.floor(next() * rewrite.alphabet.length)];
      const expected = outcome(rewrite.before, text, rewrite.use);
      const actual = outcome(rewrite.after, text, rewrite.use);
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        expect({ text, actual }).toEqual({ text, actual: expected });
      if (
        JSON.stringify(expected).includes('<') ||
        (Array.isArray(expected) && expected.some((item) => item))
      )
        matched++;
    }
    // The alphabet reaches the interesting cases: some samples match.
    expect(matched).toBeGreaterThan(50);
  });
});

describe('the local/extractive context tags: a linear pass instead of a backreference', () => {
  it('gives the same text and blocks as the old regular expression', async () => {
    const { replaceContextTags } = await import('../../src/providers/local-extractive/extract-answer.js');
    const old = /<(context|documents?|sources?)>([\s\S]*?)<\/\1>/gi;
    const pieces = [
      '<context>',
      '</context>',
      '<Source>',
      '</SOURCE>',
      '<sources>',
      '</source>',
      '<document>',
      '</documents>',
      '<documents>',
      '</document>',
      '<',
      '>',
      '/',
      'a',
      ' ',
      '\n',
      'ſ',
      'K',
    ];
    const next = random(20261129);
    let withBlocks = 0;
    for (let sample = 0; sample < 40_000; sample++) {
      let text = '';
      const count = Math.floor(next() * 12);
      for (let piece = 0; piece < count; piece++) text += pieces[Math.floor(next() * pieces.length)];
      const expectedBlocks: string[] = [];
      const expected = text.replace(old, (_match, _tag: string, inner: string) => {
        expectedBlocks.push(inner);
        return '\n';
      });
      const blocks: string[] = [];
      const actual = replaceContextTags(text, blocks);
      if (actual !== expected || JSON.stringify(blocks) !== JSON.stringify(expectedBlocks))
        expect({ text, actual, blocks }).toEqual({ text, actual: expected, blocks: expectedBlocks });
      if (expectedBlocks.length > 0) withBlocks++;
    }
    expect(withBlocks).toBeGreaterThan(1000);
  });
});

describe('parse-html <pre> blocks: trimEnd instead of \\s+$', () => {
  it("buffer.replace(/^\\n+/, '').trimEnd() equals buffer.replace(/^\\n+|\\s+$/g, '')", () => {
    const pieces = ['\n', '\n\n', ' ', '\t', '\r', '\u2028', '\u00a0', '\ufeff', 'a', 'x y'];
    const next = random(7);
    for (let sample = 0; sample < 40_000; sample++) {
      let text = '';
      const count = Math.floor(next() * 10);
      for (let piece = 0; piece < count; piece++) text += pieces[Math.floor(next() * pieces.length)];
      const expected = text.replace(/^\n+|\s+$/g, '');
      const actual = text.replace(/^\n+/, '').trimEnd();
      if (actual !== expected) expect({ text, actual }).toEqual({ text, actual: expected });
    }
    expect(readFileSync(join(repositoryRoot, 'src/knowledge/ingest/parse-html.ts'), 'utf8')).toContain(
      "buffer.replace(/^\\n+/, '').trimEnd()",
    );
  });
});

describe('markdown ATX headings: a linear pass instead of two regular expressions', () => {
  it('captures what /^ {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$/ and the title pattern captured', async () => {
    const { matchAtxHeading } = await import('../../src/knowledge/ingest/atx-heading.js');
    const heading = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
    const title = /^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
    const pieces = [' ', ' ', '\t', '#', '#', '##', 'a', 'Title', '\r', '\u2028', '\n', '\u00a0', 'x y'];
    const next = random(42);
    let matched = 0;
    for (let sample = 0; sample < 60_000; sample++) {
      let line = '';
      const count = Math.floor(next() * 10);
      for (let piece = 0; piece < count; piece++) line += pieces[Math.floor(next() * pieces.length)];
      const old = heading.exec(line);
      const oldTitle = title.exec(line);
      const now = matchAtxHeading(line, 6, false);
      const nowTitle = matchAtxHeading(line, 1, true);
      const expected = [old && [old[1], old[2]], oldTitle && oldTitle[1]];
      const actual = [now && [now.hashes, now.content], nowTitle && nowTitle.content];
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        expect({ line, actual }).toEqual({ line, actual: expected });
      if (old) matched++;
    }
    expect(matched).toBeGreaterThan(1000);
  });
});

/**
 * Every relative link in the user-facing markdown — README.md, bench/README.md and docs/*.md —
 * leads somewhere: `[text](path)` to a file or folder that exists, `[text](path#anchor)` and
 * `[text](#anchor)` to a heading of that file. The documents link into each other by heading
 * (`guardrails.md#remote-guard-models-and-escalation-when`), so renaming or moving a section
 * silently breaks them; this test names each broken link instead.
 *
 * Anchors are GitHub's: the heading's text lower-cased, every character that is not a letter,
 * mark, number, connector (`_`), `-` or space removed, each space turned into `-`, and a
 * repeated heading suffixed `-1`, `-2`… (the rules of `github-slugger`, which is not a
 * dependency here). Code blocks and code spans are skipped, so examples such as
 * `![a](https://attacker.example/…)` are not read as links. External links (a scheme or `//`)
 * are not fetched.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The anchor GitHub gives a heading's text, before duplicates are numbered. */
function headingSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The heading's text as rendered: code spans, links and inline HTML reduced to their text. */
function renderedText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim();
}

/** The text outside fenced code blocks, with the lines of a block left empty (lines keep their numbers). */
function withoutFencedCode(text: string): string[] {
  const lines = text.split('\n');
  let fence: { char: string; length: number } | null = null;
  return lines.map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (
        marker &&
        marker[1]![0] === fence.char &&
        marker[1]!.length >= fence.length &&
        line.trim() === marker[1]
      ) {
        fence = null;
      }
      return '';
    }
    if (marker) {
      fence = { char: marker[1]![0]!, length: marker[1]!.length };
      return '';
    }
    return line;
  });
}

/** Every anchor a markdown document defines, in GitHub's numbering of repeated headings. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of withoutFencedCode(text)) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!heading) continue;
    const base = headingSlug(renderedText(heading[1]!));
    let slug = base;
    for (let count = 1; anchors.has(slug); count++) slug = `${base}-${count}`;
    anchors.add(slug);
  }
  return anchors;
}

interface DocumentLink {
  line: number;
  target: string;
}

/** The inline links of a document (`[text](target)`, images too), outside code. */
function linksOf(text: string): DocumentLink[] {
  const links: DocumentLink[] = [];
  const lines = withoutFencedCode(text);
  // A code span opens and closes with backtick runs of the same length (a longer or shorter run
  // is not its end, and a run that never closes is literal text); it may run over a line break
  // but not over a blank line. Its characters are blanked, not removed, so that the line numbers
  // of later links stay right.
  const prose = lines
    .join('\n')
    .replace(/(?<!`)(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))*?(?<!`)\1(?!`)/g, (span) =>
      span.replace(/[^\n]/g, ' '),
    );
  const link = /!?\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  for (const match of prose.matchAll(link)) {
    const target = match[2]!.replace(/^<(.*)>$/, '$1');
    const line = prose.slice(0, match.index).split('\n').length;
    links.push({ line, target });
  }
  return links;
}

/** Where the documents come from: the repository, or a few in memory for the checker's own test. */
interface DocumentSource {
  /** A file's text, or null when there is no such file. */
  read(path: string): string | null;
  /** Whether a file or folder exists (paths relative to the repository root). */
  exists(path: string): boolean;
}

/** Links of `file` (a path relative to the repository root) that lead to no file or heading. */
function brokenLinks(file: string, source: DocumentSource): string[] {
  const broken: string[] = [];
  const text = source.read(file);
  if (text === null) return [`${file}: not found`];
  for (const { line, target } of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    const hash = target.indexOf('#');
    const path = decodeURIComponent(hash >= 0 ? target.slice(0, hash) : target);
    const anchor = hash >= 0 ? decodeURIComponent(target.slice(hash + 1)) : null;
    const resolved = path === '' ? file : relative(root, resolve(root, dirname(file), path));
    const where = `${file}:${line}: (${target})`;
    if (resolved.startsWith('..')) {
      broken.push(`${where} leaves the repository`);
      continue;
    }
    if (path !== '' && !source.exists(resolved)) {
      broken.push(`${where}: no file ${resolved}`);
      continue;
    }
    if (anchor === null || anchor === '') continue;
    if (!resolved.endsWith('.md')) {
      broken.push(`${where}: an anchor into a file that is not markdown`);
      continue;
    }
    const targetText = resolved === file ? text : source.read(resolved);
    if (targetText === null || !anchorsOf(targetText).has(anchor)) {
      broken.push(`${where}: no heading #${anchor} in ${resolved}`);
    }
  }
  return broken;
}

const repository: DocumentSource = {
  read: (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null),
  exists: (path) => existsSync(join(root, path)),
};

const documents = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

describe('GitHub heading anchors', () => {
  it.each([
    ['Guardrails', 'guardrails'],
    ['How much text is scanned: `max_scan_chars`', 'how-much-text-is-scanned-max_scan_chars'],
    [
      'Regular expressions and ReDoS (`test/unit/regex-safety.test.ts`)',
      'regular-expressions-and-redos-testunitregex-safetytestts',
    ],
    [
      'Measured quality — `npm run bench:guard` (honest where weak)',
      'measured-quality--npm-run-benchguard-honest-where-weak',
    ],
    [
      'Session 4: harmful requests in a jailbreak frame (`disguised-harm.ts`)',
      'session-4-harmful-requests-in-a-jailbreak-frame-disguised-harmts',
    ],
    ['中文 规则 😀', '中文-规则-'],
  ])('%s → %s', (heading, slug) => {
    expect(headingSlug(renderedText(heading))).toBe(slug);
  });

  it('numbers repeated headings and ignores headings inside code blocks', () => {
    const text = '# Setup\n\n## Setup\n\n```md\n## Setup\n```\n\n### Setup\n\n## [Linked](x.md) *heading*\n';
    expect([...anchorsOf(text)]).toEqual(['setup', 'setup-1', 'setup-2', 'linked-heading']);
  });
});

describe('link checking', () => {
  const files: Record<string, string> = {
    'docs/a.md': [
      '# A',
      '## Options `x_y`',
      'See [b](b.md#second-part), [self](#options-x_y), [folder](../docs), [site](https://example.com/#x).',
      '`[in code](missing.md)` and ``` (a literal run) `![a](…)`, ``[code with a ` inside](x)``,',
      '```',
      '[in a block](missing.md)',
      '```',
      'Broken: [no file](missing.md), [no heading](b.md#third), [no anchor here](#nothing).',
    ].join('\n'),
    'docs/b.md': '# B\n\n## Second part\n',
  };
  const memory: DocumentSource = {
    read: (path) => files[path] ?? null,
    exists: (path) => path in files || path === 'docs',
  };

  it('reports each broken link with its line, and nothing else', () => {
    expect(brokenLinks('docs/a.md', memory)).toEqual([
      'docs/a.md:8: (missing.md): no file docs/missing.md',
      'docs/a.md:8: (b.md#third): no heading #third in docs/b.md',
      'docs/a.md:8: (#nothing): no heading #nothing in docs/a.md',
    ]);
  });
});

describe('relative links in the documentation', () => {
  it.each(documents)('%s', (document) => {
    expect(brokenLinks(document, repository)).toEqual([]);
  });
});

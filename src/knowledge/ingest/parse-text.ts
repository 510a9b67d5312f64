/**
 * Plain text and markdown. Markdown keeps its syntax (the chunker uses the headings); a YAML
 * front-matter block becomes the document's metadata and is removed from the text. Titles:
 * front-matter `title`, else the first `# ` heading (markdown); the first line if it is short
 * (plain text).
 */
import { parse as parseYaml } from 'yaml';
import { matchAtxHeading } from './atx-heading.js';

export interface ParsedText {
  title: string | null;
  text: string;
  metadata: Record<string, unknown>;
}

/** Longest first line of a .txt file that still reads as a title. */
const MAX_TITLE_LENGTH = 100;
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;
const FENCE = /^ {0,3}(```|~~~)/;

export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parsePlainText(raw: string): ParsedText {
  const text = normalizeNewlines(raw);
  const firstLine = text.trimStart().split('\n', 1)[0]?.trim() ?? '';
  const title = firstLine.length > 0 && firstLine.length <= MAX_TITLE_LENGTH ? firstLine : null;
  return { title, text, metadata: {} };
}

export function parseMarkdown(raw: string): ParsedText {
  let text = normalizeNewlines(raw);
  let metadata: Record<string, unknown> = {};
  const frontMatter = FRONT_MATTER.exec(text);
  if (frontMatter) {
    try {
      const parsed: unknown = parseYaml(frontMatter[1] ?? '');
      if (isPlainObject(parsed)) {
        metadata = parsed;
        text = text.slice(frontMatter[0].length);
      }
    } catch {
      // Not YAML after all (e.g. a document that opens with a horizontal rule): keep it as text.
    }
  }
  const declared = metadata.title;
  const title = typeof declared === 'string' && declared.trim() ? declared.trim() : firstHeading(text);
  return { title, text, metadata };
}

function firstHeading(text: string): string | null {
  let inFence = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) continue;
    const match = matchAtxHeading(line, 1, true);
    if (match?.content) return match.content.trim();
  }
  return null;
}

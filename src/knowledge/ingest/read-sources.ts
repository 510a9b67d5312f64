/**
 * Reads files and folders into documents, one entry at a time (an async generator, so a
 * caller can store as it goes and memory stays bounded): `.txt`, `.md`/`.markdown`,
 * `.html`/`.htm`, `.pdf`, `.json`, `.jsonl`. A bad file — or a bad record in a record file —
 * becomes one error entry and reading goes on. Document ids are paths relative to `baseDir`
 * (or as given) with forward slashes, or the records' own ids; a repeated id is an error.
 */
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodeText } from './decode-text.js';
import { parseHtml } from './parse-html.js';
import { parsePdf } from './parse-pdf.js';
import { type ClaimId, readJsonLines, readJsonRecords } from './parse-records.js';
import { parseMarkdown, parsePlainText } from './parse-text.js';
import type { DocumentFormat, ParsedDocument, SourceEntry } from './parsed-document.js';
import { describeFileError, type WalkFile, walkFiles } from './walk-files.js';

export interface ReadSourcesOptions {
  /** Larger files are refused; for `.jsonl`, the bound applies to each line. Default 20 MB. */
  maxFileBytes?: number;
  /** Ids are relative to it, and relative `paths` are resolved against it. Default: none. */
  baseDir?: string;
}

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

const FORMATS: Record<string, DocumentFormat> = {
  '.txt': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.json': 'json',
  '.jsonl': 'jsonl',
};
/** Bytes checked for NUL before streaming a `.jsonl` file. */
const SNIFF_BYTES = 8192;

function fileError(source: string, message: string): SourceEntry {
  return { kind: 'error', source, message };
}

async function startsWithBinary(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
    return utf16 || head.includes(0);
  } finally {
    await handle.close();
  }
}

async function* readFileEntries(
  file: WalkFile,
  format: DocumentFormat,
  maxFileBytes: number,
  claim: ClaimId,
): AsyncGenerator<SourceEntry> {
  const { display } = file;
  if (format === 'jsonl') {
    if (await startsWithBinary(file.path)) {
      yield fileError(display, 'binary file');
      return;
    }
    let any = false;
    for await (const entry of readJsonLines(file.path, display, maxFileBytes, claim)) {
      any = true;
      yield entry;
    }
    if (!any) yield fileError(display, 'empty document');
    return;
  }
  if (file.size > maxFileBytes) {
    yield fileError(display, `file too large (${file.size} bytes > ${maxFileBytes})`);
    return;
  }
  const bytes = await readFile(file.path);
  if (bytes.length === 0) {
    yield fileError(display, 'empty document');
    return;
  }
  if (format === 'pdf') {
    const pdf = await parsePdf(bytes);
    yield document(file, format, { title: pdf.title, text: pdf.text, metadata: { pages: pdf.pages } }, claim);
    return;
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    yield fileError(display, decoded.message);
    return;
  }
  if (format === 'json') {
    if (!decoded.text.trim()) yield fileError(display, 'empty document');
    else yield* readJsonRecords(decoded.text, display, claim);
    return;
  }
  const parsed =
    format === 'html'
      ? { ...parseHtml(decoded.text), metadata: {} }
      : format === 'md'
        ? parseMarkdown(decoded.text)
        : parsePlainText(decoded.text);
  yield document(file, format, parsed, claim);
}

function document(
  file: WalkFile,
  format: DocumentFormat,
  parsed: { title: string | null; text: string; metadata: Record<string, unknown> },
  claim: ClaimId,
): SourceEntry {
  if (!parsed.text.trim()) return fileError(file.display, 'empty document');
  const duplicate = claim(file.display, file.display);
  if (duplicate) return fileError(file.display, duplicate);
  const parsedDocument: ParsedDocument = {
    id: file.display,
    source: file.display,
    title: parsed.title,
    text: parsed.text,
    metadata: parsed.metadata,
    sourceUpdatedAt: file.mtimeMs,
    format,
  };
  return { kind: 'document', document: parsedDocument };
}

/**
 * Yields one entry per document (or per failed file / record), walking folders recursively
 * in sorted order.
 *
 * @example
 * for await (const entry of readSources(['docs', 'faq.jsonl'], { baseDir: process.cwd() })) {
 *   if (entry.kind === 'document') await save(entry.document);
 *   else console.warn(`${entry.source}: ${entry.message}`);
 * }
 */
export async function* readSources(
  paths: string[],
  options: ReadSourcesOptions = {},
): AsyncGenerator<SourceEntry> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const seenIds = new Map<string, string>();
  const claim: ClaimId = (id, where) => {
    const first = seenIds.get(id);
    if (first !== undefined) return `duplicate document id "${id}" (first read from ${first})`;
    seenIds.set(id, where);
    return null;
  };
  for await (const file of walkFiles(paths, options.baseDir)) {
    if (file.kind === 'error') {
      yield fileError(file.display, file.message);
      continue;
    }
    const extension = extname(file.path).toLowerCase();
    const format = FORMATS[extension];
    if (!format) {
      yield fileError(file.display, `unsupported file type${extension ? ` (${extension})` : ''}`);
      continue;
    }
    try {
      yield* readFileEntries(file, format, maxFileBytes, claim);
    } catch (error) {
      yield fileError(file.display, describeFileError(error));
    }
  }
}

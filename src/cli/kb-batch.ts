/**
 * The pure half of `stackops kb ingest`: turning parsed documents into the request's wire
 * shape (or a reason to skip them) and cutting the stream into batches, bounded both by a
 * document count and by the size of the JSON that will be sent. No I/O.
 */
import type { KnowledgeDocumentJson } from './api-types.js';

/** What the server accepts (src/server/routes/knowledge.ts); checked here to skip one bad document, not a batch. */
export const MAX_ID_LENGTH = 1024;
export const MAX_SOURCE_LENGTH = 4096;
export const MAX_TITLE_LENGTH = 1024;
/** The server's cap on documents per request. */
export const MAX_BATCH_DOCUMENTS = 5000;
/** JSON per request: half the server's default 8 MiB body limit. */
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;

/** A document as `readSources` yields it (src/knowledge/ingest). */
export interface ReadDocument {
  id: string;
  source: string;
  title: string | null;
  text: string;
  metadata: Record<string, unknown>;
  sourceUpdatedAt: number | null;
}

export type WireResult = { ok: true; document: KnowledgeDocumentJson } | { ok: false; message: string };

/**
 * The POST body entry for a parsed document, or why the server would reject it (then only
 * this document is skipped). An over-long title is shortened rather than refused.
 */
export function toWireDocument(document: ReadDocument): WireResult {
  if (document.id === '') return { ok: false, message: 'the document has no id' };
  if (document.id.length > MAX_ID_LENGTH)
    return { ok: false, message: `id longer than ${MAX_ID_LENGTH} characters` };
  if (document.source.length > MAX_SOURCE_LENGTH)
    return { ok: false, message: `source longer than ${MAX_SOURCE_LENGTH} characters` };
  if (document.text.trim() === '') return { ok: false, message: 'no text' };
  const updated = document.sourceUpdatedAt;
  return {
    ok: true,
    document: {
      id: document.id,
      text: document.text,
      source: document.source,
      title: document.title === null ? null : document.title.slice(0, MAX_TITLE_LENGTH),
      metadata: document.metadata,
      source_updated_at:
        updated !== null && Number.isFinite(updated) && updated >= 0 ? Math.trunc(updated) : null,
    },
  };
}

/** Bytes this document adds to a `{"documents":[…]}` body (its JSON and a comma). */
export const wireBytes = (document: KnowledgeDocumentJson): number =>
  Buffer.byteLength(JSON.stringify(document), 'utf8') + 1;

/** `{"documents":[]}` around the entries. */
const ENVELOPE_BYTES = 16;

export interface BatchLimits {
  /** Documents per request (1 to MAX_BATCH_DOCUMENTS). */
  maxDocuments: number;
  /** JSON bytes per request; one larger document still goes, alone. */
  maxBytes: number;
}

/**
 * Collects documents into batches. `add` returns the batches that are ready to send (none,
 * one, or two when a document too large for any batch follows a partial one); `flush` returns
 * the rest at the end. A batch never holds two documents with the same id (the server refuses
 * that): a repeated id starts a new batch, so the later document is sent after — and wins.
 */
export class DocumentBatcher {
  private documents: KnowledgeDocumentJson[] = [];
  private ids = new Set<string>();
  private bytes = ENVELOPE_BYTES;

  constructor(private readonly limits: BatchLimits) {
    if (!Number.isInteger(limits.maxDocuments) || limits.maxDocuments < 1)
      throw new RangeError('maxDocuments must be a whole number ≥ 1');
    if (!(limits.maxBytes > 0)) throw new RangeError('maxBytes must be > 0');
  }

  /** Documents waiting in the current, unsent batch. */
  get pending(): number {
    return this.documents.length;
  }

  add(document: KnowledgeDocumentJson): KnowledgeDocumentJson[][] {
    const ready: KnowledgeDocumentJson[][] = [];
    const size = wireBytes(document);
    if (this.documents.length > 0 && (this.bytes + size > this.limits.maxBytes || this.ids.has(document.id)))
      ready.push(this.take());
    this.documents.push(document);
    this.ids.add(document.id);
    this.bytes += size;
    if (this.documents.length >= this.limits.maxDocuments || this.bytes >= this.limits.maxBytes)
      ready.push(this.take());
    return ready;
  }

  /** The last, partial batch; null when nothing is pending. */
  flush(): KnowledgeDocumentJson[] | null {
    return this.documents.length === 0 ? null : this.take();
  }

  private take(): KnowledgeDocumentJson[] {
    const batch = this.documents;
    this.documents = [];
    this.ids = new Set();
    this.bytes = ENVELOPE_BYTES;
    return batch;
  }
}

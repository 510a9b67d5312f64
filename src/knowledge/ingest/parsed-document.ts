/** What reading a source produces: one parsed document, or one error naming its source. */

export type DocumentFormat = 'txt' | 'md' | 'html' | 'pdf' | 'json' | 'jsonl';

export interface ParsedDocument {
  /** Stable id: the file path relative to `baseDir` (forward slashes), or a record's `id`. */
  id: string;
  source: string;
  title: string | null;
  text: string;
  metadata: Record<string, unknown>;
  /** File mtime (ms), or a record's `source_updated_at` / `updated_at`; null if unknown. */
  sourceUpdatedAt: number | null;
  format: DocumentFormat;
}

export type SourceEntry =
  | { kind: 'document'; document: ParsedDocument }
  /** `source` is the file path, or `file:line` (jsonl) / `file[index]` (json) for one record. */
  | { kind: 'error'; source: string; message: string };

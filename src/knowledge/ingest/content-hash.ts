/**
 * The content hash that decides whether a re-ingested document changed: SHA-256 over the
 * canonical JSON (sorted keys) of its text, metadata and title, so key order or a touched
 * file's mtime never count as a change, but an edited title does.
 */
import { contentHash } from '../../core/index.js';

export function documentContentHash(document: {
  text: string;
  metadata: Record<string, unknown>;
  title?: string | null;
}): string {
  return contentHash({ text: document.text, metadata: document.metadata, title: document.title ?? null });
}

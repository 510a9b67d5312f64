/** Reading sources into documents, content hashes and chunking. The only door of `knowledge/ingest`. */

export { type ChunkTextOptions, chunkText, type TextChunk } from './chunker.js';
export { documentContentHash } from './content-hash.js';
export type { DocumentFormat, ParsedDocument, SourceEntry } from './parsed-document.js';
export { DEFAULT_MAX_FILE_BYTES, type ReadSourcesOptions, readSources } from './read-sources.js';

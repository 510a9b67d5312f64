/**
 * `stackops kb ingest`: stream local files into a knowledge base. Documents come from an async
 * iterable (`readSources` of src/knowledge/ingest), are cut into batches by kb-batch.ts and
 * posted one request at a time, while the next batch is being read — so memory holds at most
 * two batches, whatever the size of the folder.
 *
 * Errors: a file or record that cannot be read, or a document the server refuses, is skipped
 * (`skipped <source>: <message>`) and the ingest goes on. A refused batch (HTTP 400 or 413) is
 * split in halves and retried until the refused documents are alone, so one bad document
 * costs only itself. Anything else (server unreachable, key refused, base missing) stops the
 * ingest; the batches already answered stay stored.
 */
import type { MultiBar, SingleBar } from 'cli-progress';
import type { KnowledgeDocumentJson, KnowledgeIngestCountsJson } from './api-types.js';
import { CliError } from './cli-error.js';
import { type BatchLimits, DocumentBatcher, type ReadDocument, toWireDocument } from './kb-batch.js';

/** One `readSources` entry. */
export type IngestEntry =
  | { kind: 'document'; document: ReadDocument }
  | { kind: 'error'; source: string; message: string };

export interface SkippedSource {
  source: string;
  message: string;
}

/** At most this many skipped sources are kept for `--json` (all are counted and printed). */
export const MAX_LISTED_ERRORS = 1000;

/** The ingest's running totals; `--json` prints the final one. */
export interface IngestSummary {
  knowledge_base: string;
  /** Sources that yielded at least one document (a file, or a record's own `source`). */
  sources: number;
  /** Documents read from the sources. */
  documents: number;
  /** Documents the server answered for (inserted + updated + unchanged). */
  ingested: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Requests answered. */
  batches: number;
  /** Files, records and documents skipped. */
  errors: number;
  skipped: SkippedSource[];
}

export const createIngestSummary = (name: string): IngestSummary => ({
  knowledge_base: name,
  sources: 0,
  documents: 0,
  ingested: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  batches: 0,
  errors: 0,
  skipped: [],
});

/** Where progress goes: a bar on a terminal, plain lines otherwise, nothing in tests. */
export interface IngestReporter {
  skipped(source: string, message: string): void;
  /** After each document read and each batch answered. */
  progress(summary: Readonly<IngestSummary>, event: 'read' | 'batch'): void;
  /** Always called, also when the ingest stops on an error. */
  finish(summary: Readonly<IngestSummary>): void;
}

export type SendBatch = (documents: KnowledgeDocumentJson[]) => Promise<KnowledgeIngestCountsJson>;

export interface IngestRun {
  entries: AsyncIterable<IngestEntry>;
  send: SendBatch;
  limits: BatchLimits;
  reporter: IngestReporter;
  /** Filled in as the ingest goes, so that it is still accurate when the ingest throws. */
  summary: IngestSummary;
}

/** The server refused the documents themselves, not the request: worth splitting the batch. */
export const isDocumentRejection = (error: unknown): error is CliError =>
  error instanceof CliError && error.code === 'api' && (error.status === 400 || error.status === 413);

export async function runIngest(run: IngestRun): Promise<IngestSummary> {
  const { summary, reporter } = run;
  const batcher = new DocumentBatcher(run.limits);

  const skip = (source: string, message: string) => {
    summary.errors++;
    if (summary.skipped.length < MAX_LISTED_ERRORS) summary.skipped.push({ source, message });
    reporter.skipped(source, message);
  };

  const send = async (batch: KnowledgeDocumentJson[]): Promise<void> => {
    let counts: KnowledgeIngestCountsJson;
    try {
      counts = await run.send(batch);
    } catch (error) {
      if (!isDocumentRejection(error)) throw error;
      const [only] = batch;
      if (batch.length === 1 && only) return skip(only.source, error.message);
      const middle = Math.ceil(batch.length / 2);
      await send(batch.slice(0, middle));
      await send(batch.slice(middle));
      return;
    }
    summary.inserted += counts.inserted;
    summary.updated += counts.updated;
    summary.unchanged += counts.unchanged;
    summary.ingested += counts.inserted + counts.updated + counts.unchanged;
    summary.batches++;
    reporter.progress(summary, 'batch');
  };

  // One request in flight while the next batch is read. Its failure is kept, not left as a
  // rejected promise nobody awaits, and stops the ingest at the next step.
  let inFlight: Promise<void> | null = null;
  const state: { failure: { error: unknown } | null } = { failure: null };
  const dispatch = async (batch: KnowledgeDocumentJson[]) => {
    if (inFlight) await inFlight;
    if (state.failure) throw state.failure.error;
    inFlight = send(batch).catch((error: unknown) => {
      state.failure = { error };
    });
  };

  let previousSource: string | null = null;
  try {
    for await (const entry of run.entries) {
      if (state.failure) break;
      if (entry.kind === 'error') {
        skip(entry.source, entry.message);
        continue;
      }
      summary.documents++;
      if (entry.document.source !== previousSource) summary.sources++;
      previousSource = entry.document.source;
      const wire = toWireDocument(entry.document);
      if (!wire.ok) {
        const { id, source } = entry.document;
        // A record file is one source for many documents: say which one.
        skip(source, id !== '' && id !== source ? `document "${id}": ${wire.message}` : wire.message);
        continue;
      }
      reporter.progress(summary, 'read');
      for (const batch of batcher.add(wire.document)) await dispatch(batch);
    }
    const rest = state.failure ? null : batcher.flush();
    if (rest) await dispatch(rest);
    if (inFlight) await inFlight;
    if (state.failure) throw state.failure.error;
    return summary;
  } finally {
    // When reading fails, the request already sent still gets its answer (and is counted).
    if (inFlight) await inFlight;
    reporter.finish(summary);
  }
}

/** `faq: 5 documents from 3 sources; 4 inserted, 0 updated, 1 unchanged; 2 errors`. */
export function renderIngestSummary(summary: Readonly<IngestSummary>): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return (
    `${summary.knowledge_base}: ${plural(summary.documents, 'document')} from ${plural(summary.sources, 'source')}; ` +
    `${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged; ` +
    plural(summary.errors, 'error')
  );
}

const skippedLine = (source: string, message: string) => `skipped ${source}: ${message}`;

/** Plain lines for a log: each skipped source, and one line per batch answered. */
export function createLineReporter(write: (line: string) => void): IngestReporter {
  return {
    skipped: (source, message) => write(skippedLine(source, message)),
    progress: (summary, event) => {
      if (event !== 'batch') return;
      write(
        `${summary.knowledge_base}: ${summary.ingested} of ${summary.documents} documents sent ` +
          `(${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged), ` +
          `${summary.errors} skipped`,
      );
    },
    finish: () => {},
  };
}

/**
 * A cli-progress bar on a terminal: documents sent out of documents read so far (the total
 * is not known before the last file is read), with the counts beside it. Skipped sources are
 * printed above the bar; the bar is cleared at the end, before the summary.
 */
export async function createBarReporter(stream: NodeJS.WriteStream, name: string): Promise<IngestReporter> {
  const { default: progress } = await import('cli-progress');
  const multibar: MultiBar = new progress.MultiBar(
    {
      stream,
      format:
        '{name} [{bar}] {value}/{total} documents | {inserted} inserted, {updated} updated, ' +
        '{unchanged} unchanged | {errors} skipped | {duration_formatted}',
      barsize: 24,
      // A hidden cursor, or line wrapping switched off, would stay so after Ctrl-C; with
      // wrapping on, cli-progress cuts the line to the terminal's width instead.
      hideCursor: false,
      linewrap: true,
      clearOnComplete: true,
      fps: 8,
    },
    progress.Presets.shades_classic,
  );
  const payload = (summary: Readonly<IngestSummary>) => ({
    name,
    inserted: summary.inserted,
    updated: summary.updated,
    unchanged: summary.unchanged,
    errors: summary.errors,
  });
  const bar: SingleBar = multibar.create(1, 0, payload(createIngestSummary(name)));
  const draw = (summary: Readonly<IngestSummary>) => {
    bar.setTotal(Math.max(summary.documents, 1));
    bar.update(summary.ingested, payload(summary));
  };
  return {
    skipped: (source, message) => multibar.log(`${skippedLine(source, message)}\n`),
    progress: draw,
    finish: (summary) => {
      draw(summary);
      // Writes what is still in the log buffer, then clears the bar.
      multibar.update();
      multibar.stop();
    },
  };
}

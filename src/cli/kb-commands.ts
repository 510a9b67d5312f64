/**
 * `stackops kb create|list|show|ingest|snapshot|diff|search|stale|rm-doc`: knowledge bases
 * (`rm-snapshot` and `rm` live in kb-delete-commands.ts).
 * Documents are read locally and sent in batches (kb-ingest.ts); a stack only sees them once
 * they are in a snapshot, which is immutable and versioned like everything else.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { segment } from './api-client.js';
import type {
  KnowledgeBaseDetailJson,
  KnowledgeBaseJson,
  KnowledgeDiffJson,
  KnowledgeDocumentDeletedJson,
  KnowledgeDocumentJson,
  KnowledgeIngestCountsJson,
  KnowledgeSearchJson,
  KnowledgeSnapshotCreatedJson,
  KnowledgeStaleJson,
  ListResponse,
} from './api-types.js';
import { CliError } from './cli-error.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { DEFAULT_BATCH_BYTES } from './kb-batch.js';
import { registerKbDeleteCommands } from './kb-delete-commands.js';
import { formatTable, formatTime, formatValue, formatVersion } from './output.js';
import {
  nonNegativeNumber,
  parseJsonObject,
  parseVersion,
  positiveInteger,
  positiveNumber,
  wholeNumber,
} from './parse-arguments.js';

const DEFAULT_BATCH_SIZE = 200;
const DEFAULT_MAX_FILE_MB = 20;
/** Characters of chunk text shown per search result. */
const EXCERPT_LENGTH = 80;
/**
 * A snapshot chunks, indexes and embeds every document in one request, and one ingest batch
 * upserts up to 5000 documents: both can take minutes. Node's fetch itself gives up on an
 * answer that has not started within 300 s, so stop just before, with our own message.
 */
const LONG_REQUEST_TIMEOUT_MS = 290_000;

const base = (name: string) => `/api/knowledge/${segment(name)}`;

function describeSettings(settings: KnowledgeBaseJson['settings']): string {
  if (!settings) return '-';
  const embeddings = settings.embedding_model ? `embeddings ${settings.embedding_model}` : 'no embeddings';
  return `chunks of ${settings.chunk_tokens} tokens, ${settings.overlap_tokens} overlap, ${embeddings}`;
}

export function renderKbCreate(answer: KnowledgeBaseJson): string {
  return `created knowledge base ${answer.name} (${describeSettings(answer.settings)})`;
}

export function renderKbList(answer: ListResponse<KnowledgeBaseJson>): string {
  if (answer.data.length === 0) return 'no knowledge bases yet (stackops kb create NAME)';
  return formatTable(
    ['NAME', 'SNAPSHOT', 'CHUNK', 'OVERLAP', 'EMBEDDINGS', 'CREATED'],
    answer.data.map((entry) => [
      entry.name,
      formatVersion(entry.latest_snapshot),
      entry.settings ? String(entry.settings.chunk_tokens) : '-',
      entry.settings ? String(entry.settings.overlap_tokens) : '-',
      entry.settings?.embedding_model ?? '-',
      formatTime(entry.created_at),
    ]),
  );
}

export function renderKbShow(answer: KnowledgeBaseDetailJson): string {
  const header = formatTable(null, [
    ['settings:', describeSettings(answer.settings)],
    ['documents:', answer.documents === undefined ? '-' : String(answer.documents)],
    ['latest snapshot:', formatVersion(answer.latest_snapshot)],
  ]);
  const snapshots = [...(answer.snapshots ?? [])].sort((a, b) => b.version - a.version);
  const table =
    snapshots.length === 0
      ? `no snapshots yet (stackops kb snapshot ${answer.name})`
      : formatTable(
          ['VERSION', 'DOCUMENTS', 'CHUNKS', 'DIMENSIONS', 'CREATED', 'BY'],
          snapshots.map((snapshot) => [
            `v${snapshot.version}`,
            String(snapshot.documents),
            String(snapshot.chunks),
            snapshot.embedding_dimensions ? String(snapshot.embedding_dimensions) : '-',
            formatTime(snapshot.created_at),
            snapshot.created_by ?? '-',
          ]),
          { align: ['left', 'right', 'right', 'right'] },
        );
  return `${answer.name}\n${header}\n\n${table}`;
}

export function renderKbSnapshot(answer: KnowledgeSnapshotCreatedJson): string {
  return `${answer.name}@${answer.version}: ${answer.documents} documents, ${answer.chunks} chunks`;
}

/** `faq@1 → faq@2: …` then `+ added`, `- removed`, `~ changed`, one id a line. */
export function renderKbDiff(answer: KnowledgeDiffJson, name: string): string {
  const unchanged = answer.unchanged === undefined ? '' : `, ${answer.unchanged} unchanged`;
  const header =
    `${name}@${answer.from} → ${name}@${answer.to}: ${answer.added.length} added, ` +
    `${answer.removed.length} removed, ${answer.changed.length} changed${unchanged}`;
  const lines = [
    ...answer.added.map((id) => `+ ${id}`),
    ...answer.removed.map((id) => `- ${id}`),
    ...answer.changed.map((id) => `~ ${id}`),
  ];
  return [header, ...lines].join('\n');
}

/** Chunk text on one line, cut to `length` characters with an ellipsis. */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const characters = [...flat];
  return characters.length > length ? `${characters.slice(0, length - 1).join('')}…` : flat;
}

/** Scores of every mode on one scale of precision: BM25 (≈1–30) and RRF (≈0.01–0.05) alike. */
export const formatScore = (score: number): string =>
  Number.isFinite(score)
    ? score
        .toPrecision(4)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '')
    : '-';

export function renderKbSearch(answer: KnowledgeSearchJson, name: string): string {
  if (answer.results.length === 0) return `${name}@${answer.snapshot}: no results`;
  const table = formatTable(
    ['RANK', 'SCORE', 'DOCUMENT', 'CHUNK', 'TEXT'],
    answer.results.map((hit, index) => [
      String(index + 1),
      formatScore(hit.score),
      hit.document_id,
      hit.chunk_id,
      excerpt(hit.text),
    ]),
    { align: ['right', 'right'] },
  );
  return `${name}@${answer.snapshot}: ${answer.results.length} result${answer.results.length === 1 ? '' : 's'}\n${table}`;
}

export function renderKbStale(answer: KnowledgeStaleJson, name: string): string {
  const target = `${name}@${answer.snapshot}`;
  const { old, changed_since_snapshot: changed, deleted_since_snapshot: deleted } = answer;
  if (old.length === 0 && changed.length === 0 && deleted.length === 0)
    return `${target}: nothing stale (no source older than ${answer.older_than_days} days, none changed or deleted since the snapshot)`;
  const parts = [`${target}: ${old.length} old, ${changed.length} changed, ${deleted.length} deleted`];
  if (old.length > 0)
    parts.push(
      '',
      `older than ${answer.older_than_days} days:`,
      formatTable(
        null,
        old.map((entry) => [`  ${entry.id}`, formatTime(entry.source_updated_at)]),
      ),
    );
  if (changed.length > 0) parts.push('', 'changed since the snapshot:', ...changed.map((id) => `  ${id}`));
  if (deleted.length > 0) parts.push('', 'deleted since the snapshot:', ...deleted.map((id) => `  ${id}`));
  return parts.join('\n');
}

interface CreateOptions extends ClientFlags {
  chunkTokens?: number;
  overlapTokens?: number;
  embeddingModel?: string;
}

interface IngestOptions extends ClientFlags {
  batchSize: number;
  maxFileMb: number;
  baseDir?: string;
}

interface SearchOptions extends ClientFlags {
  snapshot?: string;
  topK?: number;
  mode?: 'bm25' | 'vector' | 'hybrid';
  filter?: string;
}

interface StaleOptions extends ClientFlags {
  days?: number;
  snapshot?: string;
}

export function registerKbCommands(program: Command): void {
  const kb = program
    .command('kb')
    .description('knowledge bases: ingest documents, snapshot them, search a snapshot');

  addClientOptions(
    kb
      .command('create')
      .description('create a knowledge base')
      .argument('<name>', 'knowledge base name')
      .option('--chunk-tokens <n>', 'tokens per chunk (server default 300)', wholeNumber(1, 100_000))
      .option(
        '--overlap-tokens <n>',
        'tokens shared by neighbouring chunks (server default 40)',
        wholeNumber(0, 100_000),
      )
      .option('--embedding-model <model>', 'registered embedding model (default: none, BM25 only)'),
  ).action(async (name: string, options: CreateOptions) => {
    const body = {
      name,
      ...(options.chunkTokens !== undefined ? { chunk_tokens: options.chunkTokens } : {}),
      ...(options.overlapTokens !== undefined ? { overlap_tokens: options.overlapTokens } : {}),
      ...(options.embeddingModel !== undefined ? { embedding_model: options.embeddingModel } : {}),
    };
    const context = createContext(options);
    present(context, await context.client.post<KnowledgeBaseJson>('/api/knowledge', body), renderKbCreate);
  });

  addClientOptions(kb.command('list').description('list knowledge bases and their latest snapshot')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      present(
        context,
        await context.client.get<ListResponse<KnowledgeBaseJson>>('/api/knowledge'),
        renderKbList,
      );
    },
  );

  addClientOptions(
    kb
      .command('show')
      .description('settings, document count and snapshots')
      .argument('<name>', 'knowledge base'),
  ).action(async (name: string, options: ClientFlags) => {
    const context = createContext(options);
    present(context, await context.client.get<KnowledgeBaseDetailJson>(base(name)), renderKbShow);
  });

  addClientOptions(
    kb
      .command('ingest')
      .description('read local files and folders (txt, md, html, pdf, json, jsonl) into documents')
      .addHelpText(
        'after',
        [
          '',
          'Documents are upserted by id (unchanged content is not stored again) in batches of',
          '--batch-size documents and at most ~4 MB. A file or record that cannot be read, or a',
          'document the server refuses, is reported as "skipped <source>: <message>" and the',
          'ingest goes on. Progress goes to stderr: a bar on a terminal, a line per batch otherwise.',
          '',
          'Exit code: 0 if at least one document was stored (inserted, updated or unchanged);',
          '1 if none was, or if an error stopped the ingest (batches already answered stay stored).',
          'Search and stacks see the documents after the next `stackops kb snapshot`.',
        ].join('\n'),
      )
      .argument('<name>', 'knowledge base')
      .argument('<paths...>', 'files and folders (folders are read recursively)')
      .option('--batch-size <n>', 'documents per request (1-5000)', wholeNumber(1, 5000), DEFAULT_BATCH_SIZE)
      .option('--max-file-mb <mb>', 'skip files larger than this', positiveNumber, DEFAULT_MAX_FILE_MB)
      .option(
        '--base-dir <dir>',
        'document ids are file paths relative to this directory (default: the paths as given)',
      ),
  ).action(async (name: string, paths: string[], options: IngestOptions) => {
    const context = createContext(options, { timeoutMs: LONG_REQUEST_TIMEOUT_MS });
    // An unknown base or a refused key should fail before a single file is read.
    await context.client.get<KnowledgeBaseDetailJson>(base(name));
    const [{ readSources }, ingest] = await Promise.all([
      // Loaded on demand, like the server for `serve`: the parsers (PDF…) are for this command only.
      import('../knowledge/ingest/index.js'),
      import('./kb-ingest.js'),
    ]);
    const summary = ingest.createIngestSummary(name);
    const reporter =
      process.stderr.isTTY === true
        ? await ingest.createBarReporter(process.stderr, name)
        : ingest.createLineReporter(context.output.note);
    const path = `${base(name)}/documents`;
    try {
      await ingest.runIngest({
        entries: readSources(
          // readSources resolves relative paths against baseDir; on the command line they are
          // relative to the current directory, as everywhere else.
          options.baseDir === undefined ? paths : paths.map((given) => resolve(given)),
          {
            maxFileBytes: Math.round(options.maxFileMb * 1024 * 1024),
            ...(options.baseDir !== undefined ? { baseDir: resolve(options.baseDir) } : {}),
          },
        ),
        send: (documents: KnowledgeDocumentJson[]) =>
          context.client.post<KnowledgeIngestCountsJson>(path, { documents }),
        limits: { maxDocuments: options.batchSize, maxBytes: DEFAULT_BATCH_BYTES },
        reporter,
        summary,
      });
    } catch (error) {
      if (summary.batches > 0)
        context.output.note(
          `ingest stopped; stored before the error: ${ingest.renderIngestSummary(summary)}`,
        );
      throw error;
    }
    present(context, summary, ingest.renderIngestSummary);
    if (summary.ingested === 0)
      throw new CliError(
        'file',
        summary.documents === 0 && summary.errors === 0
          ? `no documents found in ${paths.join(', ')}`
          : `nothing was ingested into ${name}`,
      );
    if (!context.json && summary.inserted + summary.updated > 0)
      context.output.note(`snapshot to serve the changes: stackops kb snapshot ${name}`);
  });

  addClientOptions(
    kb
      .command('snapshot')
      .description('freeze the current documents into a new immutable snapshot (chunks, index, embeddings)')
      .argument('<name>', 'knowledge base'),
  ).action(async (name: string, options: ClientFlags) => {
    const context = createContext(options, { timeoutMs: LONG_REQUEST_TIMEOUT_MS });
    present(
      context,
      await context.client.post<KnowledgeSnapshotCreatedJson>(`${base(name)}/snapshots`, {}),
      renderKbSnapshot,
    );
  });

  addClientOptions(
    kb
      .command('diff')
      .description('documents added, removed and changed between two snapshots')
      .argument('<name>', 'knowledge base')
      .argument('<from>', 'snapshot version')
      .argument('<to>', 'snapshot version'),
  ).action(async (name: string, from: string, to: string, options: ClientFlags) => {
    const query = { from: parseVersion(from, 'from'), to: parseVersion(to, 'to') };
    const context = createContext(options);
    const answer = await context.client.get<KnowledgeDiffJson>(`${base(name)}/diff`, query);
    present(context, answer, (diff) => renderKbDiff(diff, name));
  });

  addClientOptions(
    kb
      .command('search')
      .description('search a snapshot (default: the latest)')
      .argument('<name>', 'knowledge base')
      .argument('<query>', 'search text')
      .option('--snapshot <version>', 'snapshot version (default: latest)')
      .option('-k, --top-k <k>', 'results (1-100, server default 5)', positiveInteger(100))
      .addOption(
        new Option('--mode <mode>', 'retrieval mode (default: chosen by the server)').choices([
          'bm25',
          'vector',
          'hybrid',
        ]),
      )
      .option('--filter <json>', 'metadata filter as a JSON object, e.g. \'{"lang":"en"}\''),
  ).action(async (name: string, query: string, options: SearchOptions) => {
    const body = {
      query,
      ...(options.topK !== undefined ? { top_k: options.topK } : {}),
      ...(options.snapshot !== undefined ? { snapshot: parseVersion(options.snapshot, '--snapshot') } : {}),
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      ...(options.filter !== undefined ? { filter: parseJsonObject(options.filter, '--filter') } : {}),
    };
    const context = createContext(options);
    const answer = await context.client.post<KnowledgeSearchJson>(`${base(name)}/search`, body);
    present(context, answer, (found) => renderKbSearch(found, name));
  });

  addClientOptions(
    kb
      .command('stale')
      .description('documents of a snapshot that are old, or changed or deleted since it was taken')
      .argument('<name>', 'knowledge base')
      .option('--days <n>', 'older than this many days (server default 90)', nonNegativeNumber)
      .option('--snapshot <version>', 'snapshot version (default: latest)'),
  ).action(async (name: string, options: StaleOptions) => {
    const query = {
      days: options.days,
      snapshot: options.snapshot === undefined ? undefined : parseVersion(options.snapshot, '--snapshot'),
    };
    const context = createContext(options);
    const answer = await context.client.get<KnowledgeStaleJson>(`${base(name)}/stale`, query);
    present(context, answer, (stale) => renderKbStale(stale, name));
  });

  addClientOptions(
    kb
      .command('rm-doc')
      .description('delete one document (snapshots keep it until the next one)')
      .argument('<name>', 'knowledge base')
      .argument('<id>', 'document id'),
  ).action(async (name: string, id: string, options: ClientFlags) => {
    const context = createContext(options);
    const answer = await context.client.delete<KnowledgeDocumentDeletedJson>(
      `${base(name)}/documents/${segment(id)}`,
    );
    present(context, answer, (deleted) => `${name}: document ${formatValue(deleted.id)} deleted`);
  });

  registerKbDeleteCommands(kb);
}

/**
 * Starts StackOps: load config, open the store (migrations), bootstrap the admin key, build
 * providers and the registry, listen. `close()` drains: in-flight requests finish, then
 * buffered traces are written, then the store closes.
 */
import {
  type ConfigFile,
  modelSchema,
  providerSchema,
  REGISTRY_SECTIONS,
  type ResolvedConfig,
} from '../core/index.js';
import {
  compileRegistry,
  guardContextScanner,
  KeyAuthenticator,
  type RegistrySnapshot,
} from '../gateway/index.js';
import { preloadGuardModels, ScannerRegistry } from '../guard/index.js';
import {
  KnowledgeCleanup,
  KnowledgeService,
  PURGE_BATCH_ROWS,
  preloadTokenizers,
} from '../knowledge/index.js';
import { TraceRetention, TraceWriter } from '../observe/index.js';
import { createProvider, type DispatcherTimeouts, type Provider } from '../providers/index.js';
import { type ModelCatalog, StackDirectory } from '../registry/index.js';
import { applyDocument, InvalidDocumentError } from '../release/index.js';
import { createStore, isDataError, type Store } from '../store/index.js';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { DEMO_PROJECT_ID, seedDemo } from './demo-seed.js';
import { createEmbedder } from './embedder.js';
import { ConfigError, type ConfigFlags, loadConfig, readProviderSecrets } from './load-config.js';

/** In-flight requests get this long to finish on SIGTERM before their sockets are cut. */
const DRAIN_TIMEOUT_MS = 30_000;
const WRITE_ERROR_LOG_INTERVAL_MS = 60_000;
/** Retention: how often old traces are swept, and how many go per transaction. */
const RETENTION_SWEEP_INTERVAL_MS = 15 * 60_000;
const RETENTION_FIRST_SWEEP_DELAY_MS = 60_000;
const RETENTION_BATCH_SIZE = 1000;
const KNOWLEDGE_CLEANUP_INTERVAL_MS = 10 * 60_000;
/** Soon after start: a build this process crashed in was left behind, and deletions half-purged. */
const KNOWLEDGE_CLEANUP_FIRST_SWEEP_DELAY_MS = 30_000;

export interface StartServerOptions {
  /** Flags (highest precedence), e.g. `{ port: 0, dataDir }`. */
  settings?: ConfigFlags;
  /** A parsed config-file object instead of reading STACKOPS_CONFIG. */
  configFile?: unknown;
  env?: NodeJS.ProcessEnv;
  /** No logs (tests, benchmarks). */
  quiet?: boolean;
  /** Postgres schema (tests): isolates one test's tables. */
  pgSchema?: string;
  /** How long in-flight requests get on close() before their sockets are cut (tests). */
  drainTimeoutMs?: number;
  /** undici's fallback timeouts for upstream calls (tests shrink them; see `DispatcherTimeouts`). */
  dispatcherTimeouts?: DispatcherTimeouts;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The admin key when it was generated or given; null when an admin already existed. */
  adminKey: string | null;
  adminKeyGenerated: boolean;
  /** The demo project, when present. */
  demo: { projectId: string; seededNow: boolean } | null;
  config: Readonly<ResolvedConfig>;
  store: Store;
  writer: TraceWriter;
  /** The trace retention sweep; null when traces are kept forever (the default). */
  retention: TraceRetention | null;
  /** The knowledge cleanup sweep: crashed builds, and rows of deleted snapshots and bases. */
  knowledgeCleanup: KnowledgeCleanup;
  close(): Promise<void>;
}

/** The built-in responder is always available as model `local-extractive` (no GPU, no key). */
function withBuiltIns(file: ConfigFile): ConfigFile {
  // Parsed through the config schemas, so built-ins get exactly the defaults a user's entry would.
  const providers = file.providers.some((provider) => provider.name === 'local')
    ? file.providers
    : [...file.providers, providerSchema.parse({ name: 'local', type: 'local-extractive' })];
  const builtIn = [
    modelSchema.parse({ name: 'local-extractive', provider: 'local', context_window: 32_768 }),
    modelSchema.parse({ name: 'local-embedding', provider: 'local', kind: 'embedding' }),
  ].filter((model) => !file.models.some((existing) => existing.name === model.name));
  return { ...file, providers, models: [...file.models, ...builtIn] };
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = loadConfig({ flags: options.settings, env, file: options.configFile });
  const { settings } = config;
  const file = withBuiltIns(config.file);
  const store = await createStore({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    pgSchema: options.pgSchema,
    limits: {
      connectTimeoutMs: file.database.connect_timeout_ms,
      queryTimeoutMs: file.database.query_timeout_ms,
      keepAliveInitialDelayMs: file.database.keep_alive_initial_delay_ms,
    },
  });
  let boot: Awaited<ReturnType<typeof bootstrap>> | null = null;
  try {
    boot = await bootstrap(store, settings.adminKey);
    const secrets = readProviderSecrets(file, env);
    const providers = new Map<string, Provider>();
    for (const provider of file.providers)
      providers.set(
        provider.name,
        createProvider(provider, secrets.get(provider.name), options.dispatcherTimeouts),
      );
    const registry: RegistrySnapshot = compileRegistry(file, providers);
    const scanners = new ScannerRegistry({ remoteEndpoints: file.guard.remote_endpoints });
    const catalog: ModelCatalog = { kindOf: (name) => registry.models.get(name)?.kind };
    // The registry part of the config file (guard policies, prompts, adapters, stacks,
    // deployments) is applied to the default project at every start; unchanged content
    // creates nothing.
    const declared = config.file as Record<string, unknown>;
    if (REGISTRY_SECTIONS.some((key) => declared[key] !== undefined)) {
      try {
        await applyDocument(store, boot.project.id, catalog, declared, { actor: 'config', scanners });
      } catch (error) {
        const label = settings.configPath ?? 'config';
        // One line per problem, like the file's own schema problems above.
        if (error instanceof InvalidDocumentError)
          throw new ConfigError(error.lines.map((line) => `${label}: ${line}`));
        throw new ConfigError([`${label}: ${(error as Error).message}`]);
      }
    }
    const knowledge = new KnowledgeService(store, createEmbedder(registry));
    const demoSeeded =
      boot.createdProject && !settings.configPath && options.configFile === undefined && settings.demo
        ? await seedDemo(store, catalog, knowledge, scanners)
        : false;
    const directory = new StackDirectory(store, scanners);
    await directory.start(file.registry.refresh_interval_ms);
    // A failing trace write is retried and counted on /healthz; the log says so too, at most
    // once a minute (a flush fails every flush_interval_ms while the database is away).
    const writeErrors = {
      loggedAt: 0,
      unlogged: 0,
      log: (_error: unknown, _count: number): void => {},
      lost: (_traceId: string, _error: unknown): void => {},
    };
    const writer = new TraceWriter(store.traces, {
      flushIntervalMs: file.tracing.flush_interval_ms,
      maxBatch: file.tracing.max_batch,
      maxBuffer: file.tracing.max_buffer,
      maxBufferBytes: file.tracing.max_buffer_bytes,
      isDataError,
      onLost: (trace, error) => writeErrors.lost(trace.id, error),
      onError: (error) => {
        writeErrors.unlogged++;
        if (Date.now() - writeErrors.loggedAt < WRITE_ERROR_LOG_INTERVAL_MS) return;
        writeErrors.loggedAt = Date.now();
        writeErrors.log(error, writeErrors.unlogged);
        writeErrors.unlogged = 0;
      },
    });
    const retentionDays = file.tracing.retention_days;
    const retention =
      retentionDays === undefined
        ? null
        : new TraceRetention(store, {
            retentionDays,
            batchSize: RETENTION_BATCH_SIZE,
            intervalMs: RETENTION_SWEEP_INTERVAL_MS,
            firstSweepDelayMs: RETENTION_FIRST_SWEEP_DELAY_MS,
            onError: (error) => retentionErrors.log(error),
          });
    const retentionErrors = { log: (_error: unknown): void => {} };
    const knowledgeCleanupErrors = { log: (_error: unknown): void => {} };
    const knowledgeCleanup = new KnowledgeCleanup(store, {
      staleBuildMs: file.knowledge.stale_build_minutes * 60_000,
      batchSize: PURGE_BATCH_ROWS,
      intervalMs: KNOWLEDGE_CLEANUP_INTERVAL_MS,
      firstSweepDelayMs: KNOWLEDGE_CLEANUP_FIRST_SWEEP_DELAY_MS,
      onError: (error) => knowledgeCleanupErrors.log(error),
    });
    const authenticator = new KeyAuthenticator(store.apiKeys, undefined, undefined, store.projects);
    const lifecycle = { draining: false };
    const app = buildApp({
      lifecycle,
      store,
      authenticator,
      directory,
      catalog,
      scanners,
      knowledge,
      contextScanner: guardContextScanner,
      registry: () => registry,
      writer,
      retention,
      captureContent: file.tracing.capture_content,
      streamKeepAlive: file.gateway.stream_keep_alive,
      maxBodyBytes: file.gateway.max_body_bytes,
      logLevel: options.quiet ? 'silent' : 'warn',
    });
    writeErrors.log = (error, count) =>
      app.log.warn(
        { err: error, failures: count, traces: writer.stats() },
        `trace write failed (${count} since the last such line); traces stay buffered and are retried: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    writeErrors.lost = (traceId, error) =>
      app.log.warn(
        { err: error, traceId },
        `trace ${traceId} arrived after shutdown had written the last batch and could not be written: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    knowledgeCleanupErrors.log = (error) =>
      app.log.warn(
        { err: error },
        `knowledge cleanup sweep failed; the next one retries: ${error instanceof Error ? error.message : String(error)}`,
      );
    retentionErrors.log = (error) =>
      app.log.warn(
        { err: error, retention: retention?.stats() },
        `trace retention sweep failed; the next one retries: ${error instanceof Error ? error.message : String(error)}`,
      );
    // Tokenizer tables and guard models load once here, not inside the first request.
    preloadTokenizers();
    await preloadGuardModels(scanners);
    await app.listen({ port: settings.port, host: settings.host });
    retention?.start();
    knowledgeCleanup.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    let closing: Promise<void> | null = null;

    return {
      url: `http://${host}:${port}`,
      port,
      adminKey: boot.adminKey,
      adminKeyGenerated: boot.generated,
      demo: (await store.projects.get(DEMO_PROJECT_ID))?.isDemo
        ? { projectId: DEMO_PROJECT_ID, seededNow: demoSeeded }
        : null,
      config: { settings, file },
      store,
      writer,
      retention,
      knowledgeCleanup,
      close() {
        closing ??= (async () => {
          lifecycle.draining = true;
          // Keep-alive sockets that finish their last response while we drain would hold
          // server.close() open forever: close them as they go idle, and cut the rest late.
          const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
          const deadline = setTimeout(
            () => app.server.closeAllConnections(),
            options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS,
          );
          try {
            await app.close();
          } finally {
            clearInterval(sweeper);
            clearTimeout(deadline);
          }
          directory.stop();
          await retention?.stop();
          await knowledgeCleanup.stop();
          await writer.close();
          for (const provider of providers.values()) await provider.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    // A generated admin key is shown once, by the banner of a server that runs: one made by a
    // start that failed (a mistake in the --config file, a port in use) was never seen, and
    // would lock the instance out. Revoked, the next start generates and prints a new one.
    // A failure to revoke must not hide the error that stopped the start.
    if (boot?.generatedKeyId)
      await store.apiKeys.revoke(boot.project.id, boot.generatedKeyId).catch(() => {});
    await store.close();
    throw error;
  }
}

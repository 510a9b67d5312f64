/**
 * The one schema of StackOps configuration, with every default. The loader in
 * `server/config` is the only code that reads env vars or files; it merges
 * flag > env > file > default and validates against this schema once at start.
 */
import { z } from 'zod';

const name = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
    'must start with a letter or digit and use only letters, digits, . _ : / -',
  );

const retryFields = {
  /** Total attempts per model (1 = no retry). */
  max_attempts: z.number().int().min(1).max(10),
  initial_delay_ms: z.number().int().min(0),
  max_delay_ms: z.number().int().min(0),
};

export const retrySchema = z
  .object({
    max_attempts: retryFields.max_attempts.default(3),
    initial_delay_ms: retryFields.initial_delay_ms.default(200),
    max_delay_ms: retryFields.max_delay_ms.default(8000),
  })
  .strict();

const timeoutFields = {
  connect_ms: z.number().int().positive(),
  /** Time to a stream's first token (a non-streaming call waits for its headers up to total_ms). */
  first_token_ms: z.number().int().positive(),
  /** Longest silence of a stream after its first token, before it is ended as stalled. */
  idle_ms: z.number().int().positive(),
  total_ms: z.number().int().positive(),
};

export const timeoutSchema = z
  .object({
    connect_ms: timeoutFields.connect_ms.default(5000),
    first_token_ms: timeoutFields.first_token_ms.default(60_000),
    idle_ms: timeoutFields.idle_ms.default(120_000),
    total_ms: timeoutFields.total_ms.default(600_000),
  })
  .strict();

// A model's overrides carry no defaults: zod 4 fills a default even into a `.partial()` field,
// which would reset every field the model did not name to the schema's default and so hide
// the `gateway:` values it is merged over (registry.ts).
const retryOverrideSchema = z.object(retryFields).partial().strict();
const timeoutOverrideSchema = z.object(timeoutFields).partial().strict();

export const streamKeepAliveSchema = z
  .object({
    /** Milliseconds of silence on a streamed answer before a `: keep-alive` SSE comment; 0 disables. */
    interval_ms: z.number().int().min(0).default(15_000),
    /**
     * Also while waiting for the first token: the 200 and the stream's headers go out at the
     * first keep-alive, so a failure after that reaches the client as an SSE error event
     * instead of an HTTP error status. Opt-in, for slow-to-start (reasoning) models behind
     * proxies that cut idle connections.
     */
    before_first_token: z.boolean().default(false),
  })
  .strict();

export const providerSchema = z
  .object({
    name,
    type: z.enum(['openai-compatible', 'anthropic', 'local-extractive']),
    base_url: z.url().optional(),
    /** Name of the environment variable holding the API key; the key itself is never stored. */
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    /** Extra headers sent on every upstream call (e.g. OpenAI-Organization). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Anthropic only: the `anthropic-version` header. */
    anthropic_version: z.string().default('2023-06-01'),
    /** Anthropic only: max_tokens to send when the request names none (the API requires one). */
    default_max_tokens: z.number().int().positive().default(4096),
  })
  .strict()
  .superRefine((provider, context) => {
    if (provider.type !== 'local-extractive' && !provider.base_url) {
      context.addIssue({
        code: 'custom',
        message: `base_url is required for type ${provider.type}`,
        path: ['base_url'],
      });
    }
  });

export const pricingSchema = z
  .object({
    input_per_mtok: z.number().min(0),
    output_per_mtok: z.number().min(0),
    /** Prompt tokens read from the provider's cache (Anthropic default: 0.1x input). */
    cached_input_per_mtok: z.number().min(0).optional(),
    /** Prompt tokens written to the provider's cache (Anthropic default: 1.25x input, 5-minute TTL). */
    cache_write_input_per_mtok: z.number().min(0).optional(),
  })
  .strict();

export const modelSchema = z
  .object({
    name,
    provider: name,
    /** Model id sent upstream; defaults to `name`. */
    upstream_model: z.string().min(1).optional(),
    kind: z.enum(['chat', 'embedding']).default('chat'),
    context_window: z.number().int().positive().default(8192),
    pricing: pricingSchema.optional(),
    /** Models tried in order after this one's retries are spent. */
    fallbacks: z.array(name).default([]),
    retry: retryOverrideSchema.optional(),
    timeouts: timeoutOverrideSchema.optional(),
  })
  .strict();

export const tracingSchema = z
  .object({
    /** How often buffered traces are written. A crash loses at most this much. */
    flush_interval_ms: z.number().int().min(10).default(500),
    max_batch: z.number().int().min(1).default(1000),
    /** Traces held in memory before new ones are shed (and counted). */
    max_buffer: z.number().int().min(100).default(100_000),
    /**
     * Bytes of captured content (request bodies, by their content-length) held in memory
     * before new traces are shed: with content captured, max_buffer traces of large prompts
     * while the database is down would otherwise hold gigabytes.
     */
    max_buffer_bytes: z.number().int().min(1_048_576).default(268_435_456),
    /** Record prompt and completion text on generation spans. */
    capture_content: z.boolean().default(true),
    /**
     * Days a trace is kept (by its start time) before a background sweep deletes it with its
     * spans. Absent: kept forever — deleting operators' data on upgrade, unasked, cannot be
     * undone; set it to bound the database's growth (docs/tracing.md).
     */
    retention_days: z.number().int().min(1).optional(),
  })
  .strict();

/**
 * Postgres connection limits (the embedded SQLite store ignores them). Without them a network
 * partition leaves a query waiting for the kernel to give up on its socket (~15 minutes on
 * Linux): trace writes stall and API requests hang instead of answering 503.
 */
export const databaseSchema = z
  .object({
    /** Time to open a connection before the call fails as unavailable. */
    connect_timeout_ms: z.number().int().positive().default(10_000),
    /**
     * Longest a query may run, enforced by Postgres (`statement_timeout`, includes waiting for
     * locks) and, a moment later, by the client (a partition: no answer comes at all). Either
     * way the request answers 503 with retry-after. Migrations are exempt. Also the longest a
     * session may sit idle inside a transaction (a replica partitioned mid-transaction).
     */
    query_timeout_ms: z.number().int().positive().max(2_000_000_000).default(30_000),
    /** Idle time before TCP keepalive probes start on a connection (keepalive is always on). */
    keep_alive_initial_delay_ms: z.number().int().min(1000).default(10_000),
  })
  .strict();

export const configFileSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).optional(),
        host: z.string().optional(),
        data_dir: z.string().optional(),
        database_url: z.string().optional(),
      })
      .strict()
      .default({}),
    gateway: z
      .object({
        retry: retrySchema.default(retrySchema.parse({})),
        timeouts: timeoutSchema.default(timeoutSchema.parse({})),
        stream_keep_alive: streamKeepAliveSchema.default(streamKeepAliveSchema.parse({})),
        /** Largest request body accepted, in bytes. */
        max_body_bytes: z
          .number()
          .int()
          .positive()
          .default(8 * 1024 * 1024),
      })
      .strict()
      .default({
        retry: retrySchema.parse({}),
        timeouts: timeoutSchema.parse({}),
        stream_keep_alive: streamKeepAliveSchema.parse({}),
        max_body_bytes: 8 * 1024 * 1024,
      }),
    database: databaseSchema.default(databaseSchema.parse({})),
    tracing: tracingSchema.default(tracingSchema.parse({})),
    guard: z
      .object({
        /**
         * Base URLs a guard policy's `remote` scanner may call (prefix match, e.g.
         * "http://10.0.0.5:8000/v1"). Absent: any. Policies are written by project developers;
         * listing the operator's guard models keeps them from pointing the server elsewhere.
         */
        remote_endpoints: z
          .array(z.string().regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL'))
          .min(1)
          .optional(),
      })
      .strict()
      .default({}),
    knowledge: z
      .object({
        /**
         * A building snapshot with no write (begin or content batch) for this long is taken for
         * a crashed build and removed by the cleanup sweep. Must exceed the slowest batch
         * (200 documents chunked and embedded) plus the clock skew between replicas.
         */
        stale_build_minutes: z.number().int().min(1).default(60),
      })
      .strict()
      .default({ stale_build_minutes: 60 }),
    registry: z
      .object({
        /** How often each replica re-reads deployments (picks up other replicas' changes). */
        refresh_interval_ms: z.number().int().min(0).default(5000),
      })
      .strict()
      .default({ refresh_interval_ms: 5000 }),
    providers: z.array(providerSchema).default([]),
    models: z.array(modelSchema).default([]),
  })
  .passthrough()
  .superRefine((config, context) => {
    const providerNames = new Set<string>();
    config.providers.forEach((provider, index) => {
      if (providerNames.has(provider.name))
        context.addIssue({
          code: 'custom',
          message: `duplicate provider name "${provider.name}"`,
          path: ['providers', index, 'name'],
        });
      providerNames.add(provider.name);
    });
    const modelNames = new Set(config.models.map((model) => model.name));
    const seen = new Set<string>();
    config.models.forEach((model, index) => {
      if (seen.has(model.name))
        context.addIssue({
          code: 'custom',
          message: `duplicate model name "${model.name}"`,
          path: ['models', index, 'name'],
        });
      seen.add(model.name);
      if (!providerNames.has(model.provider))
        context.addIssue({
          code: 'custom',
          message: `unknown provider "${model.provider}"`,
          path: ['models', index, 'provider'],
        });
      model.fallbacks.forEach((fallback, fallbackIndex) => {
        if (!modelNames.has(fallback))
          context.addIssue({
            code: 'custom',
            message: `unknown fallback model "${fallback}"`,
            path: ['models', index, 'fallbacks', fallbackIndex],
          });
        if (fallback === model.name)
          context.addIssue({
            code: 'custom',
            message: 'a model cannot fall back to itself',
            path: ['models', index, 'fallbacks', fallbackIndex],
          });
      });
    });
  });

export type ConfigFile = z.infer<typeof configFileSchema>;

/** The registry sections a config file may hold too: applied at every start, as by `stackops apply`. */
export const REGISTRY_SECTIONS = ['guard_policies', 'prompts', 'adapters', 'stacks', 'deployments'] as const;

/** The server sections of a config file; `stackops apply -f` takes that file and ignores them. */
export const SERVER_SECTIONS = [
  'server',
  'database',
  'gateway',
  'tracing',
  'guard',
  'knowledge',
  'registry',
  'providers',
  'models',
] as const;

const SECTIONS: readonly string[] = [...REGISTRY_SECTIONS, ...SERVER_SECTIONS];

/**
 * One problem per top-level key of a config file or apply document that is no section: both
 * schemas let the other's sections through, and so let a misspelt one through too — a
 * `guard_policy:` list was skipped without a word and its policies never existed.
 */
export function unknownSectionProblems(document: unknown): Array<{ path: string; message: string }> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return [];
  return Object.keys(document)
    .filter((key) => !SECTIONS.includes(key))
    .map((key) => {
      const near = SECTIONS.find((section) => isNear(key, section));
      return { path: key, message: `unknown section${near ? ` (did you mean ${near}?)` : ''}` };
    });
}

/** A plural or singular of the other, or at most two edits away. */
function isNear(typed: string, section: string): boolean {
  if (typed.length >= 4 && (section.startsWith(typed.slice(0, -1)) || typed.startsWith(section.slice(0, -1))))
    return true;
  let previous = Array.from({ length: section.length + 1 }, (_, index) => index);
  for (let row = 1; row <= typed.length; row++) {
    const current = [row];
    for (let column = 1; column <= section.length; column++) {
      const cost = typed[row - 1] === section[column - 1] ? 0 : 1;
      current[column] = Math.min(
        previous[column]! + 1,
        current[column - 1]! + 1,
        previous[column - 1]! + cost,
      );
    }
    previous = current;
  }
  return previous[section.length]! <= 2;
}
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type TimeoutConfig = z.infer<typeof timeoutSchema>;
export type StreamKeepAliveConfig = z.infer<typeof streamKeepAliveSchema>;
export type TracingConfig = z.infer<typeof tracingSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;

/** Process settings after merging flag > env > file > default. */
export const settingsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(7300),
    host: z.string().min(1).default('127.0.0.1'),
    dataDir: z.string().min(1).default('./.stackops'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    adminKey: z.string().min(16, 'must be at least 16 characters').optional(),
    configPath: z.string().optional(),
    /** Seed the demo project on a new data dir with no config. */
    demo: z.boolean().default(true),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export interface ResolvedConfig {
  settings: Settings;
  file: ConfigFile;
}

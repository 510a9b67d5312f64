import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRegistry } from '../../src/gateway/index.js';
import { createProvider } from '../../src/providers/index.js';
import { ConfigError, loadConfig } from '../../src/server/index.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const example = `
server: { port: 9001 }
providers:
  - name: local-vllm
    type: openai-compatible
    base_url: http://127.0.0.1:8000/v1
    api_key_env: VLLM_KEY
models:
  - name: qwen-max
    provider: local-vllm
    upstream_model: Qwen/Qwen2.5-7B-Instruct
    context_window: 32768
    pricing: { input_per_mtok: 0.4, output_per_mtok: 1.2, cached_input_per_mtok: 0.1 }
    fallbacks: [backup-model]
  - name: backup-model
    provider: local-vllm
`;

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.settings).toEqual({ port: 7300, host: '127.0.0.1', dataDir: './.stackops', demo: true });
    expect(config.file.gateway.retry.max_attempts).toBe(3);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the issue example file and resolves precedence flag > env > file > default', () => {
    const path = writeConfig('example.yaml', example);
    const fromFile = loadConfig({ env: { STACKOPS_CONFIG: path } });
    expect(fromFile.settings.port).toBe(9001);
    expect(fromFile.file.models[0]).toMatchObject({
      name: 'qwen-max',
      fallbacks: ['backup-model'],
      context_window: 32768,
    });
    expect(loadConfig({ env: { STACKOPS_CONFIG: path, STACKOPS_PORT: '9002' } }).settings.port).toBe(9002);
    expect(
      loadConfig({ env: { STACKOPS_CONFIG: path, STACKOPS_PORT: '9002' }, flags: { port: '9003' } }).settings
        .port,
    ).toBe(9003);
    expect(loadConfig({ env: { STACKOPS_DATABASE_URL: 'postgres://x@h/db' } }).settings.databaseUrl).toBe(
      'postgres://x@h/db',
    );
  });

  it('lists every problem in one message', () => {
    const path = writeConfig(
      'bad.yaml',
      `
providers:
  - { name: a, type: openai-compatible }
  - { name: b, type: martian, base_url: http://x }
models:
  - { name: m, provider: nope, fallbacks: [ghost], pricing: { input_per_mtok: -1, output_per_mtok: 1 } }
`,
    );
    let caught: unknown;
    try {
      loadConfig({
        env: { STACKOPS_CONFIG: path, STACKOPS_PORT: 'eighty', STACKOPS_DATABASE_URL: 'mysql://x' },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/providers\[1\]\.type/);
    expect(problems).toMatch(/port: "eighty" is not an integer/);
    expect(problems).toMatch(/postgres:\/\//);
    expect((caught as ConfigError).problems.length).toBeGreaterThanOrEqual(3);
  });

  it('defaults the Postgres limits and trace retention (kept forever), and names a bad value', () => {
    const config = loadConfig({ env: {} });
    expect(config.file.database).toEqual({
      connect_timeout_ms: 10_000,
      query_timeout_ms: 30_000,
      keep_alive_initial_delay_ms: 10_000,
    });
    expect(config.file.tracing.retention_days).toBeUndefined();
    let caught: unknown;
    try {
      loadConfig({
        env: {},
        file: { database: { query_timeout_ms: 0, keepalive: true }, tracing: { retention_days: 1.5 } },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/database\.query_timeout_ms/);
    expect(problems).toMatch(/keepalive/);
    expect(problems).toMatch(/tracing\.retention_days/);
  });

  it('reports a missing file and YAML syntax errors', () => {
    expect(() => loadConfig({ env: { STACKOPS_CONFIG: join(directory, 'missing.yaml') } })).toThrow(
      /missing\.yaml/,
    );
    const path = writeConfig('syntax.yaml', 'providers: [\n');
    expect(() => loadConfig({ env: { STACKOPS_CONFIG: path } })).toThrow(/YAML syntax error/);
  });

  it('rejects unknown models in fallbacks and duplicate names', () => {
    const path = writeConfig(
      'dup.yaml',
      `
providers: [{ name: p, type: local-extractive }]
models:
  - { name: m, provider: p, fallbacks: [ghost] }
  - { name: m, provider: p }
`,
    );
    expect(() => loadConfig({ env: { STACKOPS_CONFIG: path } })).toThrow(
      /unknown fallback model "ghost"[\s\S]*duplicate model name "m"|duplicate model name "m"[\s\S]*unknown fallback/,
    );
  });

  it('lets a model override only the retry and timeout fields it names', () => {
    const config = loadConfig({
      env: {},
      file: {
        gateway: {
          retry: { max_attempts: 4, initial_delay_ms: 10, max_delay_ms: 100 },
          timeouts: { connect_ms: 1000, first_token_ms: 2000, idle_ms: 5000, total_ms: 30_000 },
        },
        providers: [{ name: 'p', type: 'local-extractive' }],
        models: [{ name: 'm', provider: 'p', retry: { max_attempts: 2 }, timeouts: { first_token_ms: 500 } }],
      },
    });
    const providers = new Map([['p', createProvider(config.file.providers[0]!)]]);
    const model = compileRegistry(config.file, providers).models.get('m')!;
    // The gateway's delays and other timeouts stay: not the schema's defaults (200 / 8000 ms, 600 s).
    expect(model.retry).toEqual({ max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 100 });
    expect(model.timeouts).toEqual({
      connect_ms: 1000,
      first_token_ms: 500,
      idle_ms: 5000,
      total_ms: 30_000,
    });
  });
});

/**
 * `stackops guard policy …` and `guard replay` as a new user runs them from the docs, against
 * the real server: `policy show strict@2` shows that version (as `prompt show support@2` does,
 * and as `guard scan --policy strict@2` reads it), a push with several mistakes prints every
 * one, and `replay --limit` outside 1–1000 is refused before any request.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server/index.js';
import { type CliRun, runCli } from '../helpers/cli-harness.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-cli-guard-'));
const adminKey = `sk-so-guard-${randomBytes(16).toString('hex')}`;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    settings: { port: 0, host: '127.0.0.1', dataDir: join(directory, 'data'), adminKey },
    configFile: {},
    env: {},
    quiet: true,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, {
    HOME: directory,
    STACKOPS_CONFIG_DIR: join(directory, 'config'),
    STACKOPS_URL: server.url,
    STACKOPS_API_KEY: adminKey,
  });
}

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('stackops guard policy', () => {
  it('show name@version shows that version; name@latest the newest; a missing version is an error', async () => {
    const rules = (action: string) =>
      `name: strict\nrules:\n  - { scanner: pii, stage: output, action: ${action} }\n`;
    expect((await cli('guard', 'policy', 'push', file('v1.yaml', rules('redact')))).stdout).toBe(
      'strict@1 created\n',
    );
    expect((await cli('guard', 'policy', 'push', file('v2.yaml', rules('mask')))).stdout).toBe(
      'strict@2 created\n',
    );

    const first = await cli('guard', 'policy', 'show', 'strict@1', '--json');
    expect(first.code).toBe(0);
    const shown = JSON.parse(first.stdout) as {
      name: string;
      versions: Array<{ version: number; rules: unknown[] }>;
    };
    expect(shown.name).toBe('strict');
    expect(shown.versions.map((version) => version.version)).toEqual([1]);
    expect(shown.versions[0]!.rules).toEqual([
      { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 },
    ]);

    const latest = await cli('guard', 'policy', 'show', 'strict@latest');
    expect(latest.code).toBe(0);
    expect(latest.stdout).toMatch(/^v2 /);
    expect(latest.stdout).not.toMatch(/^v1 /m);

    const everything = await cli('guard', 'policy', 'show', 'strict');
    expect(everything.stdout).toMatch(/^v2 /m);
    expect(everything.stdout).toMatch(/^v1 /m);

    const missing = await cli('guard', 'policy', 'show', 'strict@9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: Guard policy "strict" version 9 not found\n');
  });

  it('push prints every mistake of the file at once and stores nothing', async () => {
    const path = file(
      'bad.yaml',
      [
        'name: bad',
        'rules:',
        '  - { scanner: injection, stage: input, action: block, threshold: 5 }',
        '  - { scanner: pii, stage: input, action: drop }',
        '  - { scanner: piii, stage: output, action: redact }',
        '',
      ].join('\n'),
    );
    const result = await cli('guard', 'policy', 'push', path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rules[0].threshold: Too big');
    expect(result.stderr).toContain('rules[1] (pii, input): "drop" applies to retrieved context only');
    expect(result.stderr).toContain('rules[2] (piii, output): Unknown scanner "piii"');
    expect((await cli('guard', 'policy', 'show', 'bad')).code).toBe(1);
  });

  it('replay refuses a --limit over 1000 itself, as its help says (1–1000)', async () => {
    const result = await cli('guard', 'replay', 'strict', '--limit', '5000');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --limit must be a whole number from 1 to 1000\n');
  });
});

/**
 * `stackops kb rm-snapshot` and `stackops kb rm` as real processes against the real server:
 * an unpinned snapshot is deleted; a pinned one is refused with the server's message naming the
 * stack versions (exit 1); a whole base is deleted; bad versions are usage errors (exit 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliRunner } from '../helpers/cli-harness.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-cli-kb-delete-'));
const cli = createCliRunner(directory);
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({});
  await harness.api('POST', '/api/knowledge', { name: 'faq' });
  for (const days of [14, 10, 7]) {
    await harness.api('POST', '/api/knowledge/faq/documents', {
      documents: [{ id: 'refunds', text: `Refunds are issued within ${days} days.` }],
    });
    await harness.api('POST', '/api/knowledge/faq/snapshots');
  }
  await harness.api('POST', '/api/stacks', { name: 'kb-bot', model: 'local-extractive', knowledge: 'faq@1' });
});
afterAll(async () => {
  await harness?.close();
  rmSync(directory, { recursive: true, force: true });
});

const run = (args: string[]) =>
  cli(args, { STACKOPS_URL: harness.server.url, STACKOPS_API_KEY: harness.adminKey });

describe('stackops kb rm-snapshot / rm', () => {
  it('deletes an unpinned snapshot and refuses a pinned one, naming the stack versions', async () => {
    expect(await run(['kb', 'rm-snapshot', 'faq', '2'])).toEqual({
      code: 0,
      stdout: 'faq@2 deleted\n',
      stderr: '',
    });
    const pinned = await run(['kb', 'rm-snapshot', 'faq', 'v1']);
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/^error: Snapshot faq@1 is pinned by stack versions kb-bot@1/);
    const shown = await harness.api('GET', '/api/knowledge/faq');
    expect(shown.body.snapshots.map((snapshot: { version: number }) => snapshot.version)).toEqual([1, 3]);
  });

  it('deletes a whole base', async () => {
    await harness.api('POST', '/api/knowledge', { name: 'scratch' });
    expect(await run(['kb', 'rm', 'scratch'])).toEqual({
      code: 0,
      stdout: 'knowledge base scratch deleted\n',
      stderr: '',
    });
    expect((await harness.api('GET', '/api/knowledge/scratch')).status).toBe(404);
  });

  it('a version that is not a number is a usage error (exit 2)', async () => {
    const result = await run(['kb', 'rm-snapshot', 'faq', 'latest']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a version number/);
  });
});

/**
 * The `stackops` CLI end to end: the real server started in this process (SQLite in a temp
 * dir, no demo project because a config object is given), the real CLI run as child processes
 * against it, one release story from a prompt file to a rollback, a declarative apply, the
 * traces of a request through the gateway, and a knowledge base from a folder to a search.
 * The steps build on each other and run in order. Requests and outputs are checked as a user
 * sees them: exit codes, human output, and --json where it is easier to assert on.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server/index.js';
import { type CliRun, runCli } from '../helpers/cli-harness.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-cli-e2e-'));
const adminKey = `sk-so-e2e-${randomBytes(16).toString('hex')}`;

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

/** The CLI as a user runs it, pointed at the server through the environment. */
function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, {
    HOME: directory,
    STACKOPS_CONFIG_DIR: join(directory, 'config'),
    STACKOPS_URL: server.url,
    STACKOPS_API_KEY: adminKey,
  });
}

/** Runs the CLI and expects exit 0 and a quiet stderr; returns stdout. */
async function ok(...args: string[]): Promise<string> {
  const result = await cli(...args);
  expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
  return result.stdout;
}

function file(name: string, text: string): string {
  const path = join(directory, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const promptFile = (system: string) =>
  [
    'name: support',
    'messages:',
    '  - role: system',
    `    content: ${system}`,
    '  - role: user',
    '    content: "{{input}}"',
    '',
  ].join('\n');

// About a second per CLI run (a fresh node + tsx process) on an idle machine; the steps share
// one server and run in order. Commands that do not depend on each other run side by side.
describe('stackops CLI against the real server', { timeout: 60_000 }, () => {
  it('prompt push, unchanged push, v2, diff and label', async () => {
    const path = file('support.yaml', promptFile('You answer questions about ACME orders.'));
    expect(await ok('prompt', 'push', path, '-m', 'first')).toBe('support@1 created\n');
    expect(await ok('prompt', 'push', path)).toBe('support@1 unchanged\n');
    writeFileSync(path, promptFile('You answer questions about ACME orders, briefly and kindly.'));
    expect(await ok('prompt', 'push', path, '-m', 'kinder')).toBe('support@2 created\n');

    const [diff, label] = await Promise.all([
      ok('prompt', 'diff', 'support', '1', '2'),
      ok('prompt', 'label', 'support', 'production', '2'),
    ]);
    expect(diff).toContain('-You answer questions about ACME orders.\n');
    expect(diff).toContain('+You answer questions about ACME orders, briefly and kindly.\n');
    expect(label).toBe('support: production → v2\n');
  });

  it('stack create, deploy, show, and a chat through the gateway served by it', async () => {
    const created = await ok(
      'stack',
      'create',
      'support-bot',
      '--model',
      'local-extractive',
      '--prompt',
      'support',
    );
    expect(created).toMatch(
      /^support-bot@1 created \(fingerprint [0-9a-f]{12}\)\n {2}local-extractive \+ prompt:support@2\n$/,
    );
    expect(await ok('deploy', 'support-bot', 'latest')).toBe('support-bot production: (none) → v1\n');

    const chat = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'support-bot',
        messages: [{ role: 'user', content: 'Where is my order?' }],
      }),
    });
    const shown = (await ok('stack', 'show', 'support-bot')).split('\n');
    expect(shown[0]).toBe('support-bot  latest v1  deployments: production=v1');
    expect(shown[3]).toMatch(/^v1 +local-extractive +- +support@2 +- +- +- +[0-9a-f]{12} +production /);
    const response = await chat;
    expect(response.status).toBe(200);
    expect(response.headers.get('x-stackops-stack')).toBe('support-bot@1');
    const completion = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]?.message.content).toEqual(expect.any(String));
  });

  it('a second stack version, deploy, rollback and the history of it all', async () => {
    const v2 = ['stack', 'create', 'support-bot', '--model', 'local-extractive', '--prompt', 'support'];
    expect(await ok(...v2, '--param', 'temperature=0.5')).toMatch(/^support-bot@2 created /);
    const [again, diff] = await Promise.all([
      ok(...v2, '--param', 'temperature=0.5'),
      ok('stack', 'diff', 'support-bot', '1', '2'),
    ]);
    expect(again).toMatch(/^support-bot@2 unchanged /);
    expect(diff).toBe('COMPONENT           FROM (1)  TO (2)\nparams.temperature  -         0.5\n');
    expect(await ok('deploy', 'support-bot', '2')).toBe('support-bot production: v1 → v2\n');
    expect(await ok('rollback', 'support-bot')).toBe('support-bot production: v2 → v1 (rollback)\n');

    const history = (await ok('history', 'support-bot')).trimEnd().split('\n');
    expect(history[0]).toMatch(/^TIME +ENVIRONMENT +ACTION +FROM +TO +ACTOR$/);
    expect(history.slice(1).map((line) => line.split(/ {2,}/).slice(1, 5))).toEqual([
      ['production', 'rollback', 'v2', 'v1'],
      ['production', 'deploy', 'v1', 'v2'],
      ['production', 'deploy', '-', 'v1'],
    ]);
  });

  it('apply -f twice: the second run changes nothing', async () => {
    const path = file(
      'stackops.yaml',
      [
        'prompts:',
        '  - name: greeter',
        '    messages:',
        '      - role: system',
        '        content: You greet {{customer}} warmly.',
        '    variables:',
        '      customer: { default: friend }',
        'stacks:',
        '  - name: greeter-bot',
        '    model: local-extractive',
        '    prompt: greeter',
        '    params: { temperature: 0.1 }',
        'deployments:',
        '  - stack: greeter-bot',
        '    environment: production',
        '',
      ].join('\n'),
    );
    const first = await ok('apply', '-f', path);
    expect(first).toMatch(/^prompt +greeter +created +v1\n/m);
    expect(first).toMatch(/^stack +greeter-bot +created +v1 +[0-9a-f]{12}\n/m);
    expect(first).toMatch(/^deployment +greeter-bot\/production +deployed +v1 +first deployment\n/m);
    expect(first.trimEnd().split('\n').at(-1)).toBe('2 created, 1 deployed');
    const second = JSON.parse(await ok('apply', '-f', path, '--json'));
    expect(second).toEqual({
      dry_run: false,
      changes: [
        expect.objectContaining({ kind: 'prompt', name: 'greeter', action: 'unchanged', version: 1 }),
        expect.objectContaining({ kind: 'stack', name: 'greeter-bot', action: 'unchanged', version: 1 }),
        expect.objectContaining({ kind: 'deployment', name: 'greeter-bot/production', action: 'unchanged' }),
      ],
    });
  });

  it('traces --stack lists the gateway request, and trace ID shows its spans', async () => {
    await server.writer.flush();
    const list = (await ok('traces', '--stack', 'support-bot')).trimEnd().split('\n');
    expect(list[0]).toMatch(/^TIME +STATUS +MODEL\/STACK +TOKENS +COST +LATENCY +TTFT +ID$/);
    expect(list).toHaveLength(2);
    expect(list[1]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}ok +support-bot@1 \(local-extractive\) +\d+→\d+ +\$0 +\d+ms +- +[0-9a-f]{32}$/,
    );
    const id = list[1]!.split(' ').at(-1)!;
    const trace = await ok('trace', id);
    expect(trace).toContain(`trace:        ${id}\n`);
    expect(trace).toContain('model/stack:  support-bot@1 (local-extractive)\n');
    // Time bounds, as epoch milliseconds or ISO-8601 date-times with their offset.
    const since = (await ok('traces', '--stack', 'support-bot', '--from', '2020-01-01T00:00:00Z'))
      .trimEnd()
      .split('\n');
    expect(since).toHaveLength(2);
    expect((await ok('traces', '--stack', 'support-bot', '--to', '1000')).trimEnd()).toBe('no traces');
    expect(
      (await ok('traces', '--stack', 'support-bot', '--stack-version', '1')).trimEnd().split('\n'),
    ).toHaveLength(2);
  });

  const docs = join(directory, 'kb-docs');

  it('kb create, ingest a folder (bad files skipped), snapshot, show', async () => {
    file(
      'kb-docs/refunds.md',
      '# Refunds\n\nRefunds are paid back to the original card within five business days after the returned item arrives.\n',
    );
    file(
      'kb-docs/shipping.md',
      '# Shipping\n\nOrders ship within 24 hours. Delivery is free for orders above 50 euros.\n',
    );
    file(
      'kb-docs/guides/warranty.md',
      '# Warranty\n\nEvery device has a two year warranty covering manufacturing defects.\n',
    );
    file(
      'kb-docs/faq.jsonl',
      [
        { id: 'faq-password', text: 'To reset your password, open Settings and choose Reset password.' },
        { id: 'faq-hours', text: 'Our support team answers from 9:00 to 17:00, Monday to Friday.' },
        { id: 'faq-invoice', text: 'Invoices are sent by e-mail when the order ships.', lang: 'en' },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n'),
    );
    file('kb-docs/empty.txt', '');
    writeFileSync(join(docs, 'logo.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a, 0x00]));

    expect(await ok('kb', 'create', 'faq', '--chunk-tokens', '120', '--overlap-tokens', '20')).toBe(
      'created knowledge base faq (chunks of 120 tokens, 20 overlap, no embeddings)\n',
    );
    const ingested = await cli('kb', 'ingest', 'faq', docs, '--base-dir', docs, '--batch-size', '4');
    expect(ingested.code).toBe(0);
    expect(ingested.stdout).toBe(
      'faq: 6 documents from 4 sources; 6 inserted, 0 updated, 0 unchanged; 2 errors\n',
    );
    expect(ingested.stderr).toContain('skipped empty.txt: empty document\n');
    expect(ingested.stderr).toContain('skipped logo.txt: binary file\n');
    expect(ingested.stderr).toMatch(
      /^faq: 4 of \d documents sent \(4 inserted, 0 updated, 0 unchanged\), \d skipped$/m,
    );
    expect(ingested.stderr).toContain('snapshot to serve the changes: stackops kb snapshot faq\n');

    // The same folder again: nothing new (--json for the counts), then the snapshot.
    const again = await cli('kb', 'ingest', 'faq', docs, '--base-dir', docs, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ documents: 6, inserted: 0, unchanged: 6, errors: 2 });
    expect(await ok('kb', 'snapshot', 'faq')).toMatch(/^faq@1: 6 documents, \d+ chunks\n$/);
    const shown = await ok('kb', 'show', 'faq');
    expect(shown).toContain('documents:        6\nlatest snapshot:  v1\n');
    expect(shown).toMatch(/\nv1 +6 +\d+ +- +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\S+\n$/);
  });

  it('kb search finds the refunds document first', async () => {
    const query = 'how many days until my refund is paid back';
    const [json, human] = await Promise.all([
      ok('kb', 'search', 'faq', query, '--json'),
      ok('kb', 'search', 'faq', query, '-k', '2'),
    ]);
    const answer = JSON.parse(json);
    expect(answer.snapshot).toBe(1);
    expect(answer.results[0]).toMatchObject({ document_id: 'refunds.md' });
    const table = human.split('\n');
    expect(table[0]).toMatch(/^faq@1: [12] results?$/);
    expect(table[1]).toMatch(/^RANK +SCORE +DOCUMENT +CHUNK +TEXT$/);
    expect(table[2]).toMatch(/^ {3}1 +[\d.]+ +refunds\.md +\S+ +# Refunds Refunds are paid back/);
  });

  it('kb rm-doc (an id with a slash), stale, a second snapshot and the diff', async () => {
    expect(await ok('kb', 'rm-doc', 'faq', 'guides/warranty.md')).toBe(
      'faq: document guides/warranty.md deleted\n',
    );
    const [missing, stale, demo] = await Promise.all([
      cli('kb', 'rm-doc', 'faq', 'guides/warranty.md'),
      ok('kb', 'stale', 'faq'),
      // No demo project in this setup (a config object was given): a 404 from the server.
      cli('demo', 'remove'),
    ]);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: Document "guides/warranty.md" not found\n',
    });
    expect(stale).toBe(
      'faq@1: 0 old, 0 changed, 1 deleted\n\ndeleted since the snapshot:\n  guides/warranty.md\n',
    );
    expect(demo).toEqual({ code: 1, stdout: '', stderr: 'error: Demo project not found\n' });

    expect(await ok('kb', 'snapshot', 'faq')).toMatch(/^faq@2: 5 documents, \d+ chunks\n$/);
    expect(await ok('kb', 'diff', 'faq', '1', '2')).toBe(
      'faq@1 → faq@2: 0 added, 1 removed, 0 changed, 5 unchanged\n- guides/warranty.md\n',
    );
  });
});

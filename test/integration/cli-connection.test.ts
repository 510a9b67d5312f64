/**
 * How the `stackops` client commands connect, as real processes against a small node:http
 * stub: `login` (verify, then save 0600), flag > environment > saved-file precedence, the
 * project header, API errors printed from the `{"error":{…}}` shape, an unreachable server
 * named by URL, and exit code 2 for usage errors. The commands themselves are covered in
 * cli-commands.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiStub,
  apiError,
  createCliRunner,
  type StubRoutes,
  startApiStub,
  stubClient,
} from '../helpers/cli-harness.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-cli-connection-'));

const routes: StubRoutes = {
  'GET /api/projects': () => ({
    status: 200,
    body: {
      data: [{ id: 'proj_default', name: 'default', is_demo: false, created_at: '2026-11-29T09:00:00Z' }],
    },
  }),
  'GET /api/prompts': () => ({
    status: 200,
    body: {
      data: [{ name: 'support', latest_version: 3, labels: { production: 3, staging: 2 }, created_at: null }],
    },
  }),
  'GET /api/stacks/ghost': () => apiError(404, 'not_found', 'Stack "ghost" not found'),
};

let stub: ApiStub;
let url = '';
const cli = createCliRunner(directory);
const client = (key: string) => stubClient(stub, cli, key);

beforeAll(async () => {
  stub = await startApiStub(routes);
  url = stub.url;
});
afterAll(async () => {
  await stub.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Each run is a fresh node + tsx process (under a second on two cores) and a test makes up
// to eight, hence the longer timeout.
describe('stackops client connection', { timeout: 60_000 }, () => {
  it('login verifies the key, saves it 0600, and later commands use it', async () => {
    const configDir = join(directory, 'login');
    const login = await cli(['login', '--url', `${url}/`, '--key', 'sk-test-login'], {
      STACKOPS_CONFIG_DIR: configDir,
    });
    expect(login).toMatchObject({ code: 0, stderr: '' });
    const path = join(configDir, 'credentials.json');
    expect(login.stdout).toBe(`logged in to ${url} (project default)\ncredentials saved to ${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ url, api_key: 'sk-test-login' });

    const list = await cli(['prompt', 'list'], { STACKOPS_CONFIG_DIR: configDir });
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(
      'NAME     LATEST  LABELS                    CREATED\nsupport  v3      production=v3 staging=v2  -\n',
    );
    const made = stub.requestsWith('login');
    expect(made.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/projects',
      'GET /api/prompts',
    ]);

    // --api-key beats the saved key; a key from stdin works for login.
    const flagged = await cli(['prompt', 'list', '--api-key', 'sk-test-flag'], {
      STACKOPS_CONFIG_DIR: configDir,
    });
    expect(flagged.code).toBe(0);
    expect(stub.requestsWith('flag')).not.toHaveLength(0);
    const piped = await cli(
      ['login', '--url', url, '--key', '-'],
      { STACKOPS_CONFIG_DIR: join(directory, 'piped') },
      'sk-test-piped\n',
    );
    expect(piped.code).toBe(0);
    expect(stub.requestsWith('piped')).not.toHaveLength(0);
  });
  it('login with a wrong key says so and saves nothing', async () => {
    const configDir = join(directory, 'bad-login');
    const run = await cli(['login', '--url', url, '--key', 'sk-wrong'], { STACKOPS_CONFIG_DIR: configDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: Invalid API key. (check --api-key or STACKOPS_API_KEY, or run stackops login again)\n',
    );
    expect(() => statSync(join(configDir, 'credentials.json'))).toThrow();
  });
  it('prints API errors as "error: <message>" with exit 1, also under --json', async () => {
    const { run } = client('errors');
    for (const args of [
      ['stack', 'show', 'ghost'],
      ['stack', 'show', 'ghost', '--json'],
    ]) {
      expect(await run(args)).toEqual({ code: 1, stdout: '', stderr: 'error: Stack "ghost" not found\n' });
    }
  });
  it('names the URL when nothing listens there', async () => {
    const port = await closedPort();
    const result = await cli([
      'stack',
      'list',
      '--url',
      `http://127.0.0.1:${port}`,
      '--api-key',
      'sk-test-x',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: cannot connect to StackOps at http://127.0.0.1:${port}: connection refused (is it running? start it with: stackops serve)\n`,
    );
  });
  it('exits 2 on usage errors without calling the server', async () => {
    const { run, requests: made } = client('usage');
    const cases: [string[], RegExp][] = [
      [['stack', 'diff', 'support-bot', '1'], /^error: missing required argument 'to'/],
      [
        ['stack', 'create', 'x', '--model', 'm', '--param', 'oops'],
        /^error: --param "oops" must be key=value/,
      ],
      [['deploy', 'support-bot', 'prod'], /^error: version "prod" must be a number or "latest"/],
      [['traces', '--limit', '0'], /argument '0' is invalid/],
      [['keys', 'create', 'k', '--role', 'root'], /Allowed choices are admin, developer, viewer, client/],
      [['prompt', 'label', 'support', 'production'], /missing version/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
    }
    expect(made()).toEqual([]);
    expect((await run(['--help'])).code).toBe(0);
  });
  it('without a key anywhere, says how to provide one', async () => {
    const result = await cli(['stack', 'list', '--url', url]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: no API key for ${url}: pass --api-key, set STACKOPS_API_KEY, or run stackops login --url ${url} --key <key>\n`,
    });
  });

  it('flags beat the environment, and --project is sent as x-stackops-project', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const run = await cli(
      ['prompt', 'list', '--url', url, '--api-key', 'sk-test-flags', '--project', 'proj_x'],
      {
        STACKOPS_URL: dead,
        STACKOPS_API_KEY: 'sk-test-env',
      },
    );
    expect(run.code).toBe(0);
    const made = stub.requestsWith('flags');
    expect(made).toEqual([
      {
        method: 'GET',
        path: '/api/prompts',
        query: {},
        authorization: 'Bearer sk-test-flags',
        project: 'proj_x',
        body: undefined,
      },
    ]);
    expect(stub.requestsWith('env')).toHaveLength(0);
  });
});

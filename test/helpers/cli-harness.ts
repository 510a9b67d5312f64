/**
 * CLI harness: the `stackops` client run as a real process (node + tsx on src/cli/main.ts,
 * a clean environment), and a node:http stub of the REST API with canned answers that records
 * every request. The stub answers 401 in the API's error shape unless the key starts with
 * `sk-test`, and 404 for a route it does not know; each test uses its own key, so the requests
 * it caused can be picked out of the shared log. The real server instead: harness.ts.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with `PATH` and exactly `env`, stdin fed `input` and then closed. Callers set
 * `HOME` and `STACKOPS_CONFIG_DIR` so nothing of the user's own config is read.
 */
export function runCli(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export type CliRunner = (args: string[], env?: Record<string, string>, input?: string) => Promise<CliRun>;

/**
 * The CLI with `HOME` in `directory` and, unless `env` names one, a fresh empty config dir
 * there for each run; `env` adds to a clean environment.
 */
export function createCliRunner(directory: string): CliRunner {
  let configCount = 0;
  return (args, env = {}, input) =>
    runCli(
      args,
      {
        HOME: directory,
        ...env,
        STACKOPS_CONFIG_DIR: env.STACKOPS_CONFIG_DIR ?? join(directory, `config-${++configCount}`),
      },
      input,
    );
}

/** One request as the stub received it. */
export interface StubRequest {
  method: string;
  /** Decoded per segment, like the server's router: an id may hold a `/`. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  project: string | undefined;
  /** Parsed JSON body, or undefined when there is none. */
  body: any;
}

export type StubAnswer = { status: number; body: unknown };
/** Answers by `"METHOD /path"`. */
export type StubRoutes = Record<string, (request: StubRequest) => StubAnswer>;

/** An answer in the API's `{"error":{…}}` shape. */
export const apiError = (status: number, code: string, message: string): StubAnswer => ({
  status,
  body: { error: { message, type: `${code}_error`, code, param: null } },
});

export interface ApiStub {
  url: string;
  /** Every request received, in order. */
  requests: StubRequest[];
  /** The requests made with API key `sk-test-<key>`. */
  requestsWith(key: string): StubRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** Starts the stub on an ephemeral 127.0.0.1 port. */
export async function startApiStub(routes: StubRoutes): Promise<ApiStub> {
  const requests: StubRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    const parsed = new URL(request.url ?? '/', 'http://stub');
    const recorded: StubRequest = {
      method: request.method ?? '',
      path: parsed.pathname.split('/').map(decodeURIComponent).join('/'),
      query: Object.fromEntries(parsed.searchParams),
      authorization: request.headers.authorization,
      project: request.headers['x-stackops-project'] as string | undefined,
      body: await readBody(request),
    };
    requests.push(recorded);
    const route = routes[`${recorded.method} ${recorded.path}`];
    const answer = !recorded.authorization?.startsWith('Bearer sk-test')
      ? apiError(401, 'unauthorized', 'Invalid API key.')
      : route
        ? route(recorded)
        : apiError(404, 'not_found', `No route for ${recorded.method} ${recorded.path}`);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    requestsWith: (key) => requests.filter((request) => request.authorization === `Bearer sk-test-${key}`),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The CLI pointed at the stub with API key `sk-test-<key>`, and the requests that key made. */
export function stubClient(stub: ApiStub, cli: CliRunner, key: string) {
  return {
    run: (args: string[], env: Record<string, string> = {}, input?: string) =>
      cli(args, { STACKOPS_URL: stub.url, STACKOPS_API_KEY: `sk-test-${key}`, ...env }, input),
    requests: () => stub.requestsWith(key),
  };
}

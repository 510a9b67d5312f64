/**
 * The parent side of the process protocol (see child-ipc.ts): start a bench script as a
 * child Node process under tsx, wait for its `ready` message, stop it on request, and make
 * sure that no child survives the parent, whether it ends normally, throws or gets Ctrl-C.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReadyMessage } from './child-ipc.js';

export interface ChildServer {
  name: string;
  ready: ReadyMessage;
  process: ChildProcess;
  /** The last few KB the child wrote to stderr, to explain a failure. */
  recentStderr(): string;
  /** Asks the child to close and exit; kills it if it has not after a few seconds. */
  stop(): Promise<void>;
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  startTimeoutMs?: number;
}

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Asks every child to stop (StackOps removes its temp data dir), then kills what is left. */
async function stopAll(graceMs: number): Promise<void> {
  const exits = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  // A child already stopping may have closed its channel; that is not an error here.
  for (const child of running) if (child.connected) child.send('stop', () => {});
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, graceMs))]);
  killAll();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping children\n`);
    void stopAll(3000).then(() => process.exit(130));
  });
}

export function startChild(name: string, script: string, options: ChildOptions = {}): Promise<ChildServer> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    cwd: repositoryRoot,
    execArgv: [...(options.nodeFlags ?? []), '--import', 'tsx'],
    env: { ...process.env, ...options.env },
    // stdout is ignored: Portkey draws a spinner there. stderr is kept for error reports.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  running.add(child);
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send('stop', () => {});
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${name} did not report ready within ${options.startTimeoutMs ?? 30_000} ms\n${stderrTail}`,
        ),
      );
    }, options.startTimeoutMs ?? 30_000);
    child.on('message', (message: ReadyMessage) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ name, ready: message, process: child, stop, recentStderr: () => stderrTail.trim() });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited before it was ready (${signal ?? `code ${code}`})\n${stderrTail.trim()}`),
      );
    });
  });
}

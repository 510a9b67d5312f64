/**
 * The child side of the benchmark's process protocol. Each target server runs in its own
 * process (the machine has two cores; sharing one event loop with the load generator would
 * measure the wrong thing). A child announces its address with `reportReady`, and leaves when
 * the parent says `stop`, sends SIGTERM or disappears (IPC disconnect), so no server outlives
 * a benchmark run.
 */

// tsx turns source maps on, which makes every `error.stack` go through the source-map
// machinery. A deployed StackOps runs compiled JS without them, so the targets do too.
process.setSourceMapsEnabled(false);

export interface ReadyMessage {
  type: 'ready';
  /** Origin of the server, e.g. http://127.0.0.1:41234 */
  url: string;
  [key: string]: unknown;
}

export function reportReady(message: { url: string; [key: string]: unknown }): void {
  if (!process.send)
    throw new Error('this script is meant to be started by bench/gateway.ts (no IPC channel)');
  const ready: ReadyMessage = { ...message, type: 'ready' };
  process.send(ready);
}

/**
 * Runs `close` once on stop, then exits normally, which is what lets `--cpu-prof` write its
 * profile (a signal-killed process writes none).
 */
export function onStop(close: () => Promise<void> | void): void {
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const forceExit = setTimeout(() => process.exit(0), 3000);
    forceExit.unref();
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * What every client command shares: the `--url`, `--api-key` and `--json` options, and the
 * context built from them — an API client for the resolved server and key, and the output.
 */
import type { Command } from 'commander';
import { type ApiClient, createApiClient } from './api-client.js';
import { loadConnection } from './credentials.js';
import { createOutput, type Output } from './output.js';

export interface ClientFlags {
  url?: string;
  apiKey?: string;
  project?: string;
  json?: boolean;
}

export interface CommandContext {
  client: ApiClient;
  output: Output;
  /** `--json`: print the server's answer as it is. */
  json: boolean;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', 'StackOps URL (default: $STACKOPS_URL, else the one saved by login)')
    .option('--api-key <key>', 'API key (default: $STACKOPS_API_KEY, else the one saved by login)')
    .option('--project <id>', 'act in this project (instance admin keys; default: $STACKOPS_PROJECT)')
    .option('--json', 'print the raw JSON response');
}

export interface ContextOptions {
  /** Per request, for commands whose server work grows with the data (default 60 s). */
  timeoutMs?: number;
}

export function createContext(flags: ClientFlags, options: ContextOptions = {}): CommandContext {
  const connection = loadConnection({ url: flags.url, apiKey: flags.apiKey, project: flags.project });
  return {
    client: createApiClient({
      ...connection,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
    output: createOutput(),
    json: flags.json === true,
  };
}

/** Prints `value` as JSON under `--json`, otherwise what `render` makes of it. */
export function present<T>(context: CommandContext, value: T, render: (value: T) => string): void {
  if (context.json) context.output.json(value);
  else context.output.print(render(value));
}

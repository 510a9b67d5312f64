/**
 * Where the client commands find their server and key. Each setting resolves
 * flag (`--url`, `--api-key`) > environment (`STACKOPS_URL`, `STACKOPS_API_KEY`) > the file
 * saved by `stackops login` > default (`http://127.0.0.1:7300`, the `serve` default).
 *
 * `--project` (> `STACKOPS_PROJECT`) lets an instance admin key act in another project.
 *
 * A saved key is tied to the URL it was saved with: it is only sent when that is the URL in
 * use, so `--url https://elsewhere` never leaks the saved key to another host. The file is
 * `$STACKOPS_CONFIG_DIR/credentials.json`, else `$XDG_CONFIG_HOME/stackops/…`, else
 * `~/.config/stackops/…`, written with mode 0600. This is the only CLI code that reads the
 * environment for settings.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError } from './cli-error.js';

export const DEFAULT_URL = 'http://127.0.0.1:7300';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface SavedCredentials {
  url: string;
  api_key: string;
  saved_at?: string;
}

export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
  project?: string;
}

export interface Connection {
  url: string;
  apiKey: string;
  /** Project id an instance admin key acts in (`--project`, `STACKOPS_PROJECT`); sent as `x-stackops-project`. */
  project?: string;
}

/** Unset and empty variables are the same thing: `STACKOPS_URL= stackops …` means "not set". */
const setting = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

export function configDirectory(environment: Environment = process.env): string {
  const override = setting(environment.STACKOPS_CONFIG_DIR);
  if (override) return override;
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = setting(environment.XDG_CONFIG_HOME);
  const base = xdg && isAbsolute(xdg) ? xdg : join(setting(environment.HOME) ?? homedir(), '.config');
  return join(base, 'stackops');
}

export function credentialsPath(environment: Environment = process.env): string {
  return join(configDirectory(environment), 'credentials.json');
}

/** `http(s)://host[:port][/prefix]` without a trailing slash; `where` names the source in errors. */
export function normalizeUrl(raw: string, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new CliError(
      'credentials',
      `invalid StackOps URL "${raw}" (${where}): expected http(s)://host[:port]`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new CliError('credentials', `invalid StackOps URL "${raw}" (${where}): use http:// or https://`);
  if (parsed.search || parsed.hash)
    throw new CliError('credentials', `invalid StackOps URL "${raw}" (${where}): no query or fragment`);
  return `${parsed.origin}${parsed.pathname}`.replace(/(?<!\/)\/+$/, '');
}

export function readCredentials(path: string): SavedCredentials | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(
      'credentials',
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)} (run stackops login again)`,
    );
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('url' in parsed) ||
    !('api_key' in parsed) ||
    typeof parsed.url !== 'string' ||
    typeof parsed.api_key !== 'string'
  )
    throw new CliError('credentials', `${path} has no "url" and "api_key" (run stackops login again)`);
  return { url: parsed.url, api_key: parsed.api_key };
}

/** Writes through a temporary file and a rename, so the key is never readable by others. */
export function writeCredentials(path: string, credentials: SavedCredentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // `mode` only applies to a new file; a stale temporary one keeps its own.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

function resolveUrl(
  flag: string | undefined,
  environment: Environment,
  saved: SavedCredentials | null,
): string {
  const flagUrl = setting(flag);
  if (flagUrl) return normalizeUrl(flagUrl, '--url');
  const environmentUrl = setting(environment.STACKOPS_URL);
  if (environmentUrl) return normalizeUrl(environmentUrl, 'STACKOPS_URL');
  return saved ? normalizeUrl(saved.url, 'saved by stackops login') : DEFAULT_URL;
}

/** Pure precedence rules: flag > environment > saved file > default. */
export function resolveConnection(
  flags: ConnectionFlags,
  environment: Environment,
  saved: SavedCredentials | null,
): Connection {
  const url = resolveUrl(flags.url, environment, saved);
  const savedKey = saved && sameServer(saved.url, url) ? setting(saved.api_key) : undefined;
  const apiKey = setting(flags.apiKey) ?? setting(environment.STACKOPS_API_KEY) ?? savedKey;
  if (!apiKey) {
    const elsewhere = saved && !savedKey ? ` (the saved key is for ${saved.url})` : '';
    throw new CliError(
      'credentials',
      `no API key for ${url}${elsewhere}: pass --api-key, set STACKOPS_API_KEY, or run stackops login --url ${url} --key <key>`,
    );
  }
  const project = setting(flags.project) ?? setting(environment.STACKOPS_PROJECT);
  return project ? { url, apiKey, project } : { url, apiKey };
}

function sameServer(savedUrl: string, url: string): boolean {
  try {
    return normalizeUrl(savedUrl, 'saved by stackops login') === url;
  } catch {
    return false;
  }
}

/**
 * What `stackops login` verifies and saves: `--url` (else STACKOPS_URL, else the default) and
 * `--key` (else STACKOPS_API_KEY). Never the saved file: login is how it gets replaced.
 */
export function resolveLoginConnection(
  flags: { url?: string; key?: string },
  environment: Environment = process.env,
): { url: string; apiKey: string | undefined } {
  return {
    url: resolveUrl(flags.url, environment, null),
    apiKey: setting(flags.key) ?? setting(environment.STACKOPS_API_KEY),
  };
}

/** Resolves the connection of a client command from its flags, the environment and the file. */
export function loadConnection(flags: ConnectionFlags, environment: Environment = process.env): Connection {
  // A broken credentials file must not break a command that names its URL and key itself.
  const complete =
    (setting(flags.url) ?? setting(environment.STACKOPS_URL)) &&
    (setting(flags.apiKey) ?? setting(environment.STACKOPS_API_KEY));
  const saved = complete ? null : readCredentials(credentialsPath(environment));
  return resolveConnection(flags, environment, saved);
}

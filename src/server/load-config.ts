/**
 * The one configuration loader: the only code that reads `process.env` or the config file.
 * Precedence: flag > env > file > default. Validates everything once and reports every
 * problem in one message; the result is frozen.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  AppError,
  type ConfigFile,
  configFileSchema,
  formatPath,
  type ResolvedConfig,
  settingsSchema,
  unknownSectionProblems,
} from '../core/index.js';

export interface ConfigFlags {
  port?: number | string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  adminKey?: string;
  config?: string;
  demo?: boolean;
}

export class ConfigError extends AppError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('invalid_config', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, { details: problems });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigInput {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  /** An already-parsed config file object (tests, benchmarks); skips reading a path. */
  file?: unknown;
}

function parseConfigFile(path: string, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`config file ${path}: ${(error as Error).message}`);
    return {};
  }
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    problems.push(`config file ${path}: YAML syntax error: ${(error as Error).message}`);
    return {};
  }
}

/** `path.to[0].field: message` — one config problem, its field named like every guard-policy error. */
function describeIssue(issue: { path: ReadonlyArray<PropertyKey>; message: string }): string {
  return `${issue.path.length > 0 ? formatPath(issue.path) : '(root)'}: ${issue.message}`;
}

/** Parses (without reading env) a config-file object; throws ConfigError listing every problem. */
export function parseConfigObject(raw: unknown, label = 'config'): ConfigFile {
  const result = configFileSchema.safeParse(raw ?? {});
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${label}: ${describeIssue(issue)}`)),
    ...unknownSectionProblems(raw).map((problem) => `${label}: ${problem.path}: ${problem.message}`),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

export function loadConfig(input: LoadConfigInput = {}): Readonly<ResolvedConfig> {
  const env = input.env ?? process.env;
  const flags = input.flags ?? {};
  const problems: string[] = [];
  const configPath = flags.config ?? env.STACKOPS_CONFIG;
  const rawFile =
    input.file !== undefined ? input.file : configPath ? parseConfigFile(configPath, problems) : {};

  const fileResult = configFileSchema.safeParse(rawFile ?? {});
  if (!fileResult.success) {
    for (const issue of fileResult.error.issues)
      problems.push(`${configPath ?? 'config'}: ${describeIssue(issue)}`);
  }
  const unknownSections = unknownSectionProblems(rawFile);
  for (const problem of unknownSections)
    problems.push(`${configPath ?? 'config'}: ${problem.path}: ${problem.message}`);
  const fileServer = fileResult.success ? fileResult.data.server : {};
  const portText = flags.port ?? env.STACKOPS_PORT;
  const port = portText === undefined || portText === '' ? fileServer.port : Number(portText);
  if (portText !== undefined && portText !== '' && !Number.isInteger(port))
    problems.push(`port: "${portText}" is not an integer`);
  const settingsResult = settingsSchema.safeParse({
    port,
    host: flags.host ?? (env.STACKOPS_HOST || undefined) ?? fileServer.host,
    dataDir: flags.dataDir ?? (env.STACKOPS_DATA_DIR || undefined) ?? fileServer.data_dir,
    databaseUrl: flags.databaseUrl ?? (env.STACKOPS_DATABASE_URL || undefined) ?? fileServer.database_url,
    adminKey: flags.adminKey ?? (env.STACKOPS_ADMIN_KEY || undefined),
    configPath,
    demo:
      flags.demo ??
      (env.STACKOPS_DEMO === undefined
        ? undefined
        : env.STACKOPS_DEMO !== '0' && env.STACKOPS_DEMO !== 'false'),
  });
  if (!settingsResult.success) {
    for (const issue of settingsResult.error.issues) problems.push(`settings: ${describeIssue(issue)}`);
  }
  if (problems.length > 0 || !fileResult.success || !settingsResult.success) throw new ConfigError(problems);
  return Object.freeze({ settings: Object.freeze(settingsResult.data), file: fileResult.data });
}

/** API keys of providers, read once at start from the env vars the config names. */
export function readProviderSecrets(
  file: ConfigFile,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const provider of file.providers) {
    if (provider.api_key_env) {
      const value = env[provider.api_key_env];
      if (value) secrets.set(provider.name, value);
    }
  }
  return secrets;
}

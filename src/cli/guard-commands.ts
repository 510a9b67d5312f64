/**
 * `stackops guard …`: try scanners on a text (`scan`) and manage versioned guard policies.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { segment } from './api-client.js';
import { CliError, usageError } from './cli-error.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { readDocument, readTextFile } from './document-file.js';
import { formatTable } from './output.js';

interface ScanFinding {
  scanner: string;
  type: string;
  score: number;
  start: number;
  end: number;
  value: string;
  action: string;
}

interface ScanAnswer {
  flagged: boolean;
  action: string;
  policy: string;
  message: string | null;
  findings: ScanFinding[];
  text?: string;
  /** placeholder → value, for a reversible redaction. */
  mapping?: Record<string, string>;
  scanners?: Array<{ scanner: string; skipped?: boolean }>;
  latency_ms: number;
}

interface PolicyAnswer {
  name: string;
  version: number;
  created: boolean;
  rules: unknown[];
}

export function renderScan(answer: ScanAnswer): string {
  const lines = [
    `${answer.action.toUpperCase()}${answer.flagged ? ' (flagged)' : ''} — policy ${answer.policy}, ${answer.latency_ms} ms`,
  ];
  if (answer.message) lines.push(answer.message);
  const findings = answer.findings.filter((finding) => finding.score > 0);
  if (findings.length > 0) {
    lines.push(
      formatTable(
        ['SCANNER', 'TYPE', 'SCORE', 'SPAN', 'ACTION', 'VALUE'],
        findings.map((finding) => [
          finding.scanner,
          finding.type,
          finding.score.toFixed(3),
          `${finding.start}-${finding.end}`,
          finding.action,
          finding.value.length > 40 ? `${finding.value.slice(0, 39)}…` : finding.value,
        ]),
      ),
    );
  }
  if (answer.text !== undefined) lines.push(`redacted: ${answer.text}`);
  for (const [placeholder, value] of Object.entries(answer.mapping ?? {}))
    lines.push(`  ${placeholder} = ${value}`);
  const skipped = (answer.scanners ?? [])
    .filter((scanner) => scanner.skipped)
    .map((scanner) => scanner.scanner);
  if (skipped.length > 0)
    lines.push(`not run (its rules' when-condition was not met): ${skipped.join(', ')}`);
  return lines.join('\n');
}

interface ReplayAnswer {
  policy: string;
  traces: number;
  without_content: number;
  without_system_prompt?: number;
  input: Record<'evaluated' | 'allow' | 'flag' | 'redact' | 'block', number>;
  output: Record<'evaluated' | 'allow' | 'flag' | 'redact' | 'block', number>;
  findings: Array<{ stage: string; scanner: string; type: string; count: number }>;
  examples: Array<{ trace_id: string; stage: string; action: string; rules: string[] }>;
}

export interface PolicyShowAnswer {
  name: string;
  versions: Array<{
    version: number;
    rules: unknown[];
    hold_back_chars: number;
    max_scan_chars: number;
    oversize: string;
    input_roles?: string[];
    message: string | null;
    created_at: string;
  }>;
}

/** `stackops guard policy show`: each version's settings (they change its behaviour as much as its rules do), then its rules. */
export function renderPolicy(answer: PolicyShowAnswer): string {
  return answer.versions
    .map((version) => {
      const roles = version.input_roles ? `, input_roles ${version.input_roles.join(' ')}` : '';
      const settings = `hold_back_chars ${version.hold_back_chars}, max_scan_chars ${version.max_scan_chars}, oversize ${version.oversize}${roles}`;
      const message = version.message ? ` — ${version.message}` : '';
      return `v${version.version}  ${version.created_at}${message}\n${settings}\n${JSON.stringify(version.rules, null, 2)}`;
    })
    .join('\n\n');
}

/**
 * `strict`, `strict@2` or `strict@latest` — the references `guard scan --policy` and a stack's
 * `guard:` take, so that `policy show strict@2` shows what they would use.
 */
export function parsePolicyReference(reference: string): { name: string; version: number | 'latest' | null } {
  const at = reference.lastIndexOf('@');
  if (at < 0) return { name: reference, version: null };
  const name = reference.slice(0, at);
  const selector = reference.slice(at + 1);
  if (selector === 'latest') return { name, version: 'latest' };
  const version = Number(selector);
  if (name === '' || !/^[1-9][0-9]*$/.test(selector) || !Number.isSafeInteger(version))
    throw usageError(`${reference}: use name, name@version or name@latest (policies have no labels)`);
  return { name, version };
}

/** One version of a policy (the newest for `latest`), or all of them when none is named. */
export function selectVersion(answer: PolicyShowAnswer, version: number | 'latest' | null): PolicyShowAnswer {
  if (version === null) return answer;
  const newest = Math.max(...answer.versions.map((item) => item.version));
  const wanted = version === 'latest' ? newest : version;
  const versions = answer.versions.filter((item) => item.version === wanted);
  if (versions.length === 0)
    throw new CliError('api', `Guard policy "${answer.name}" version ${version} not found`, {
      status: 404,
      apiCode: 'not_found',
    });
  return { ...answer, versions };
}

export function renderReplay(answer: ReplayAnswer): string {
  const lines = [
    `${answer.policy} over the last ${answer.traces} traces (${answer.without_content} without recorded content${
      answer.without_system_prompt
        ? `; ${answer.without_system_prompt} with retrieved context, replayed without the system prompt, so not checked for leaks`
        : ''
    })`,
    formatTable(
      ['STAGE', 'EVALUATED', 'ALLOW', 'FLAG', 'REDACT', 'BLOCK'],
      (['input', 'output'] as const).map((stage) => [
        stage,
        String(answer[stage].evaluated),
        String(answer[stage].allow),
        String(answer[stage].flag),
        String(answer[stage].redact),
        String(answer[stage].block),
      ]),
    ),
  ];
  if (answer.findings.length > 0) {
    lines.push(
      formatTable(
        ['STAGE', 'SCANNER', 'TYPE', 'COUNT'],
        answer.findings.map((finding) => [
          finding.stage,
          finding.scanner,
          finding.type,
          String(finding.count),
        ]),
      ),
    );
  }
  for (const example of answer.examples) {
    lines.push(
      `${example.action.padEnd(6)} ${example.stage.padEnd(6)} ${example.trace_id}  ${example.rules.join(', ')}`,
    );
  }
  return lines.join('\n');
}

interface ReplayFlags extends ClientFlags {
  stack?: string;
  since?: string;
  limit?: string;
}

interface ScanFlags extends ClientFlags {
  file?: string;
  stage: string;
  policy?: string;
  systemPrompt?: string;
  canary?: string;
}

export function registerGuardCommands(program: Command): void {
  const guard = program.command('guard').description('guardrails: scan texts, manage guard policies');
  addClientOptions(
    guard
      .command('scan')
      .description('scan a text with a policy (default: the project default, every built-in scanner)')
      .argument('[text]', 'the text (or use --file, or pipe it on stdin)')
      .option('-f, --file <path>', 'read the text from a file')
      .option('--stage <stage>', 'input, context or output', 'input')
      .option('--policy <name>', 'policy name or name@version')
      .option(
        '--system-prompt <text>',
        'the system prompt the text is answered under (input: requests for what it protects; output: leaks)',
      )
      .option(
        '--canary <token>',
        'output: the canary token planted in that system prompt (found plain, spelled out, in base64 or hex)',
      ),
  ).action(async (text: string | undefined, options: ScanFlags) => {
    const context = createContext(options);
    let body = text;
    if (body === undefined && options.file) body = readTextFile(options.file);
    // Nothing piped (an empty stdin) is no text: a script whose text came out empty would get
    // a verdict on a text nobody meant to send.
    if (body === undefined && !process.stdin.isTTY) body = readFileSync(0, 'utf8') || undefined;
    if (body === undefined) throw usageError('give the text as an argument, with --file, or on stdin');
    const answer = await context.client.post<ScanAnswer>('/api/guard/scan', {
      text: body,
      stage: options.stage,
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.systemPrompt ? { system_prompt: options.systemPrompt } : {}),
      ...(options.canary ? { canary: options.canary } : {}),
    });
    present(context, answer, renderScan);
  });

  addClientOptions(
    guard
      .command('replay')
      .description(
        'what a policy would have done to recent traffic (the content traces recorded); changes nothing',
      )
      .argument('<policy>', 'policy name or name@version')
      .option('--stack <name>', 'only traffic served by this stack')
      .option('--since <time>', 'only traffic from this ISO time on (e.g. 2026-11-30T00:00:00Z)')
      .option('--limit <n>', 'how many traces, newest first (1–1000)', '200'),
  ).action(async (policyRef: string, options: ReplayFlags) => {
    const context = createContext(options);
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw usageError('--limit must be a whole number from 1 to 1000');
    const answer = await context.client.post<ReplayAnswer>('/api/guard/replay', {
      policy: policyRef,
      limit,
      ...(options.stack ? { stack: options.stack } : {}),
      ...(options.since ? { since: options.since } : {}),
    });
    present(context, answer, renderReplay);
  });

  const policy = guard.command('policy').description('versioned guard policies');
  addClientOptions(
    policy
      .command('push')
      .description(
        'push a policy file (YAML or JSON: name, rules, hold_back_chars, max_scan_chars, oversize, input_roles, message)',
      )
      .argument('<file>'),
  ).action(async (file: string, options: ClientFlags) => {
    const context = createContext(options);
    const document = await readDocument(file);
    // The YAML blocks of docs/guardrails.md are stackops.yaml documents, a natural first try.
    if (typeof document === 'object' && document !== null && 'guard_policies' in document)
      throw new CliError(
        'file',
        `${file} is a stackops.yaml document (guard_policies:); apply it with stackops apply -f ${file}, or push one policy: a file with name: and rules:`,
      );
    const answer = await context.client.post<PolicyAnswer>('/api/guard/policies', document);
    present(
      context,
      answer,
      (value) => `${value.name}@${value.version} ${value.created ? 'created' : 'unchanged'}`,
    );
  });
  addClientOptions(policy.command('list').description('list guard policies')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      const answer = await context.client.get<{
        data: Array<{ name: string; latest_version: number; created_at: string }>;
      }>('/api/guard/policies');
      present(context, answer, (value) =>
        value.data.length === 0
          ? 'no guard policies'
          : formatTable(
              ['NAME', 'LATEST', 'CREATED'],
              value.data.map((item) => [item.name, `v${item.latest_version}`, item.created_at]),
            ),
      );
    },
  );
  addClientOptions(
    policy
      .command('show')
      .description('show a policy and its versions (name@version or name@latest: that one)')
      .argument('<policy>', 'policy name, name@version or name@latest'),
  ).action(async (reference: string, options: ClientFlags) => {
    const context = createContext(options);
    const { name, version } = parsePolicyReference(reference);
    const answer = await context.client.get<PolicyShowAnswer>(`/api/guard/policies/${segment(name)}`);
    present(context, selectVersion(answer, version), renderPolicy);
  });
}

/**
 * The CLI's pure pieces between the command line and the wire: request bodies built from
 * files and flags, human renderings of answers, and the exit code of each kind of error.
 */
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { renderApply } from '../../src/cli/apply-command.js';
import { CliError, exitCodeFor } from '../../src/cli/cli-error.js';
import { renderDeployment } from '../../src/cli/deploy-commands.js';
import { promptFileSchema, stackFileSchema } from '../../src/cli/file-schemas.js';
import { promptPushBody, renderPromptPush, renderPromptVersion } from '../../src/cli/prompt-commands.js';
import { renderStackDiff, stackCreateBody } from '../../src/cli/stack-commands.js';
import { spanTreeRows, traceTarget } from '../../src/cli/trace-commands.js';

describe('prompt push body', () => {
  const file = promptFileSchema.parse({
    name: 'support',
    messages: [{ role: 'system', content: 'Be kind to {{customer}}.' }],
    variables: { customer: { required: true } },
    labels: ['staging'],
    message: 'from file',
  });

  it('takes the file, with --name, --message and --label on top', () => {
    expect(
      promptPushBody(file, { name: 'other', message: 'from flag', label: ['production', 'staging'] }),
    ).toEqual({
      name: 'other',
      messages: file.messages,
      variables: { customer: { required: true } },
      commit_message: 'from flag',
      labels: ['staging', 'production'],
    });
    expect(promptPushBody({ messages: file.messages }, { name: 'n' })).toEqual({
      name: 'n',
      messages: file.messages,
    });
  });

  it('needs a name from the file or the flag', () => {
    expect(() => promptPushBody({ messages: file.messages }, {})).toThrow(
      /add "name:" to the file or pass --name/,
    );
  });

  it('reports unknown keys and missing messages in prompt files', () => {
    const result = promptFileSchema.safeParse({ name: 'x', messages: [], varaibles: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.') || issue.code)).toEqual(
      expect.arrayContaining(['messages', 'unrecognized_keys']),
    );
  });

  it('prints the version and whether it is new', () => {
    expect(renderPromptPush({ name: 'support', version: 3, created: true, labels: [] })).toBe(
      'support@3 created',
    );
    expect(renderPromptPush({ name: 'support', version: 3, created: false, labels: ['production'] })).toBe(
      'support@3 unchanged (labels: production)',
    );
  });

  it('shows a version as [role] blocks, then variables and params', () => {
    const text = renderPromptVersion({
      name: 'support',
      version: 2,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: '{{input}}' },
      ],
      variables: { tone: { required: false, default: 'warm', description: 'voice' } },
      params: { temperature: 0.2 },
      commit_message: 'kinder',
      author: 'key_1',
      content_hash: 'abcdef0123456789',
      created_at: '2026-01-02T03:04:05Z',
      labels: ['production'],
    });
    expect(text).toBe(
      [
        'support@2  (labels: production)',
        'message:  kinder',
        'author:   key_1',
        'created:  2026-01-02 03:04:05',
        'hash:     abcdef012345',
        '',
        '[system]',
        'Be kind.',
        '',
        '[user]',
        '{{input}}',
        '',
        'variables:',
        '  tone  optional  default "warm"  voice',
        'params: temperature=0.2',
      ].join('\n'),
    );
  });
});

describe('stack create body', () => {
  it('builds the body from flags, parsing params as JSON when they are JSON', () => {
    expect(
      stackCreateBody(
        'support-bot',
        {},
        {
          model: 'qwen-max',
          adapter: 'tone@2',
          prompt: 'support@production',
          param: ['temperature=0.2', 'stop=["\\n"]', 'user=ops'],
          message: 'first',
        },
      ),
    ).toEqual({
      name: 'support-bot',
      model: 'qwen-max',
      adapter: 'tone@2',
      prompt: 'support@production',
      params: { temperature: 0.2, stop: ['\n'], user: 'ops' },
      message: 'first',
    });
  });

  it('uses the file as the base, flags winning and params merging key by key', () => {
    const file = stackFileSchema.parse({
      name: 'bot',
      model: 'a',
      prompt: 'p@1',
      knowledge: 'kb@3',
      params: { temperature: 0.1, max_tokens: 100 },
    });
    expect(stackCreateBody(undefined, file, { model: 'b', param: ['temperature=0.5'] })).toEqual({
      name: 'bot',
      model: 'b',
      prompt: 'p@1',
      knowledge: 'kb@3',
      params: { temperature: 0.5, max_tokens: 100 },
    });
  });

  it('pins a guard policy and a knowledge snapshot from flags, over the file', () => {
    const file = stackFileSchema.parse({ name: 'bot', model: 'a', guard: 'strict@1', knowledge: 'kb@3' });
    expect(stackCreateBody(undefined, file, { guard: 'strict@2', knowledge: 'kb@4' })).toEqual({
      name: 'bot',
      model: 'a',
      knowledge: 'kb@4',
      guard: 'strict@2',
    });
  });

  it.each([
    [undefined, {}, { model: 'm' }, /missing stack name/],
    ['bot', {}, {}, /stack bot has no model/],
    ['bot', {}, { model: 'm', adapter: 'tone@production' }, /must be NAME or NAME@VERSION/],
    ['bot', {}, { model: 'm', prompt: 'support@' }, /nothing after "@"/],
    ['bot', {}, { model: 'm', param: ['oops'] }, /must be key=value/],
  ])('usage error %#', (name, file, options, message) => {
    const run = () => stackCreateBody(name, file, options);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as CliError).exitCode).toBe(2);
    }
  });
});

describe('renderings', () => {
  it.each([
    [{ from_version: 2, version: 3, action: 'deploy' }, 'support-bot production: v2 → v3'],
    [{ from_version: null, version: 1, action: 'deploy' }, 'support-bot production: (none) → v1'],
    [{ from_version: 3, version: 2, action: 'rollback' }, 'support-bot production: v3 → v2 (rollback)'],
    [{ from_version: 3, version: 3, action: 'deploy' }, 'support-bot production: already at v3'],
  ])('deployment %j', (fields, expected) => {
    expect(renderDeployment({ stack: 'support-bot', environment: 'production', ...fields })).toBe(expected);
  });

  it('prints a stack diff as a component table, then the prompt diff', () => {
    const diff = {
      from: 1,
      to: 2,
      changes: [
        { component: 'prompt', from: 'support@2', to: 'support@3' },
        { component: 'params.temperature', from: 0.2, to: null },
      ],
      prompt_diff: '--- support@2\n+++ support@3\n@@ -1 +1 @@\n-a\n+b\n',
    };
    expect(renderStackDiff(diff, 'bot', false)).toBe(
      [
        'COMPONENT           FROM (1)   TO (2)',
        'prompt              support@2  support@3',
        'params.temperature  0.2        -',
        '',
        '--- support@2',
        '+++ support@3',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ].join('\n'),
    );
    expect(renderStackDiff({ from: 1, to: 2, changes: [], prompt_diff: '' }, 'bot', false)).toBe(
      'no differences between bot@1 and bot@2',
    );
  });

  it('prints one line per apply change and a summary', () => {
    const changes = [
      { kind: 'prompt', name: 'support', action: 'created', version: 3 },
      { kind: 'stack', name: 'support-bot', action: 'unchanged', version: 2, detail: 'abc' },
      { kind: 'deployment', name: 'support-bot/production', action: 'deployed', version: 2 },
    ];
    expect(renderApply({ changes }, false)).toBe(
      [
        'prompt      support                 created    v3',
        'stack       support-bot             unchanged  v2  abc',
        'deployment  support-bot/production  deployed   v2',
        '',
        '1 created, 1 unchanged, 1 deployed',
      ].join('\n'),
    );
    expect(renderApply({ changes: changes.slice(0, 1) }, true)).toMatch(
      /\n\ndry run: 1 created \(nothing was changed\)$/,
    );
    expect(renderApply({ changes: [] }, false)).toBe('nothing to change');
  });

  it('names a trace by stack@version, with the model only when it differs', () => {
    expect(traceTarget({ id: 't', status: 'ok', model: 'qwen-max', stack: 'bot', stack_version: 3 })).toBe(
      'bot@3 (qwen-max)',
    );
    expect(traceTarget({ id: 't', status: 'ok', model: 'bot', stack: 'bot', stack_version: 3 })).toBe(
      'bot@3',
    );
    expect(traceTarget({ id: 't', status: 'ok', model: 'gpt', stack: null })).toBe('gpt');
  });

  it('shows the model that served a stack request, as the API records it (requested name in model)', () => {
    const served = { 'stackops.model': 'local-extractive' };
    expect(
      traceTarget({
        id: 't',
        status: 'ok',
        model: 'rag-bot@1',
        stack: 'rag-bot',
        stack_version: 1,
        attributes: served,
      }),
    ).toBe('rag-bot@1 (local-extractive)');
    expect(
      traceTarget({
        id: 't',
        status: 'ok',
        model: 'rag-bot',
        stack: 'rag-bot',
        stack_version: 2,
        attributes: served,
      }),
    ).toBe('rag-bot@2 (local-extractive)');
    // A trace without the attribute (refused before resolving) does not repeat the pinned name.
    expect(
      traceTarget({ id: 't', status: 'error', model: 'rag-bot@1', stack: 'rag-bot', stack_version: 1 }),
    ).toBe('rag-bot@1');
  });

  it('draws spans as a tree in start order; orphans become roots; a cycle is shown, not dropped', () => {
    const span = (id: string, parent: string | null, start: number, extra: object = {}) => ({
      span_id: id,
      parent_span_id: parent,
      name: id,
      kind: 'span',
      status: 'ok',
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 10).toISOString(),
      ...extra,
    });
    const rows = spanTreeRows([
      span('call', 'root', 3, { kind: 'generation', attributes: { 'gen_ai.request.model': 'qwen' } }),
      span('root', null, 0),
      span('resolve', 'root', 1),
      span('retry', 'call', 4, { status: 'error', status_message: 'upstream 503' }),
      span('orphan', 'gone', 9),
    ]);
    expect(rows.map((row) => row[0])).toEqual(['root', '├─ resolve', '└─ call', '   └─ retry', 'orphan']);
    expect(rows[2]).toEqual(['└─ call', 'generation', 'ok', '10ms', 'qwen']);
    expect(rows[3]!.slice(2)).toEqual(['error', '10ms', 'upstream 503']);
    expect(spanTreeRows([span('a', 'b', 0), span('b', 'a', 1)]).map((row) => row[0])).toEqual(['a', '└─ b']);
  });
});

describe('exit codes', () => {
  it('is 2 for usage errors, 1 for the rest, 0 for help; prints all but commander errors', () => {
    const written: string[] = [];
    const write = (text: string) => written.push(text);
    expect(exitCodeFor(new CliError('usage', 'bad flag'), write)).toBe(2);
    expect(exitCodeFor(new CliError('api', 'Stack "x" not found', { status: 404 }), write)).toBe(1);
    expect(exitCodeFor(new TypeError('boom'), write)).toBe(1);
    expect(exitCodeFor(new CommanderError(1, 'commander.missingArgument', 'missing'), write)).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(help)'), write)).toBe(0);
    expect(written).toEqual(['error: bad flag\n', 'error: Stack "x" not found\n', 'error: boom\n']);
  });
});

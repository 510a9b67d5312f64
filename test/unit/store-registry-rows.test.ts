import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/core/index.js';
import { checkExpectedVersion } from '../../src/store/deployment-check.js';
import {
  groupLabels,
  toDeploymentEvent,
  toPromptVersion,
  toStackVersion,
} from '../../src/store/registry-rows.js';
import type { SetDeploymentInput } from '../../src/store/store.js';

const input = (expectedFromVersion?: number | null): SetDeploymentInput => ({
  stackName: 'support',
  environment: 'production',
  version: 2,
  action: 'deploy',
  actor: null,
  ...(expectedFromVersion === undefined ? {} : { expectedFromVersion }),
});

describe('setDeployment expectation check', () => {
  it.each([
    ['absent, not deployed', undefined, null, true],
    ['absent, deployed', undefined, 3, true],
    ['null, not deployed', null, null, true],
    ['null, deployed', null, 1, false],
    ['1, at 1', 1, 1, true],
    ['1, at 3', 1, 3, false],
    ['1, not deployed', 1, null, false],
  ] as const)('expected %s', (_, expected, current, passes) => {
    const check = () => checkExpectedVersion(input(expected), current);
    if (passes) expect(check).not.toThrow();
    else expect(check).toThrow(ConflictError);
  });

  it('names the actual and expected versions', () => {
    expect(() => checkExpectedVersion(input(1), 3)).toThrow(
      'environment "production" of stack "support" is at version 3, expected version 1',
    );
    expect(() => checkExpectedVersion(input(null), 3)).toThrow('expected not deployed');
    expect(() => checkExpectedVersion(input(2), null)).toThrow('is not deployed, expected version 2');
  });
});

describe('registry row mappers', () => {
  it('read JSON as text (SQLite) or parsed (pg) and bigints as strings (pg)', () => {
    const messages = [{ role: 'user', content: 'héllo {{name}} 👋' }];
    const base = {
      project_id: 'proj_1',
      prompt_id: 'prompt_1',
      prompt_name: 'assistant',
      commit_message: null,
      author: null,
      content_hash: 'h',
    };
    const fromSqlite = toPromptVersion({
      ...base,
      version: 3,
      messages: JSON.stringify(messages),
      variables: '{}',
      params: '{"nested":{"list":[1,null]}}',
      created_at: 1_750_000_000_000,
    });
    const fromPostgres = toPromptVersion({
      ...base,
      version: 3,
      messages,
      variables: {},
      params: { nested: { list: [1, null] } },
      created_at: '1750000000000',
    });
    expect(fromPostgres).toEqual(fromSqlite);
    expect(fromSqlite).toMatchObject({ version: 3, messages, createdAt: 1_750_000_000_000 });

    const spec = {
      model: 'm',
      adapter: null,
      prompt: null,
      knowledge: null,
      guard: null,
      params: {},
      retrieval: null,
    };
    const stackRow = {
      project_id: 'proj_1',
      stack_id: 'stack_1',
      stack_name: 's',
      version: '2',
      fingerprint: 'f',
      message: null,
      author: null,
      created_at: '5',
    };
    expect(toStackVersion({ ...stackRow, spec: JSON.stringify(spec) })).toEqual(
      toStackVersion({ ...stackRow, spec }),
    );
    expect(toStackVersion({ ...stackRow, spec }).version).toBe(2);
  });

  it('keeps a null fromVersion null', () => {
    const row = {
      id: 'dep_1',
      project_id: 'proj_1',
      stack_name: 's',
      environment: 'production',
      to_version: '1',
      action: 'deploy',
      actor: null,
      created_at: '7',
    };
    expect(toDeploymentEvent({ ...row, from_version: null }).fromVersion).toBeNull();
    expect(toDeploymentEvent({ ...row, from_version: '4' }).fromVersion).toBe(4);
  });

  it('groups label rows by prompt', () => {
    const grouped = groupLabels([
      { prompt_name: 'a', label: 'production', version: 1 },
      { prompt_name: 'b', label: 'staging', version: '4' },
      { prompt_name: 'a', label: 'staging', version: 2 },
    ]);
    expect(Object.fromEntries(grouped)).toEqual({ a: { production: 1, staging: 2 }, b: { staging: 4 } });
  });
});

import { describe, expect, it } from 'vitest';
import { type GuardRule, ValidationError } from '../../src/core/index.js';
import {
  guardPolicyVersionColumns,
  storablePolicyVersion,
  toGuardPolicy,
  toGuardPolicyVersion,
} from '../../src/store/guard-policy-rows.js';
import type { CreateGuardPolicyVersionInput } from '../../src/store/store.js';

const rules: GuardRule[] = [
  {
    scanner: 'sensitive-words',
    stage: 'output',
    action: 'block',
    threshold: 0.9,
    options: { terms: ['敏感词', 'émoji 🧪'], match: { caseSensitive: false } },
  },
  { scanner: 'pii', stage: 'input', action: 'redact', threshold: 0.5, types: ['EMAIL'], reversible: true },
];

const input = (overrides: Partial<CreateGuardPolicyVersionInput> = {}): CreateGuardPolicyVersionInput => ({
  name: 'pii',
  rules,
  settings: { hold_back_chars: 64 },
  contentHash: 'h',
  message: null,
  author: null,
  ...overrides,
});

describe('guard policy row mappers', () => {
  it('read JSON as text (SQLite) or parsed (pg), and bigints as strings (pg)', () => {
    const base = {
      project_id: 'proj_1',
      policy_name: 'pii',
      content_hash: 'h',
      message: 'm',
      author: null,
    };
    const fromSqlite = toGuardPolicyVersion({
      ...base,
      version: 3,
      rules: JSON.stringify(rules),
      settings: '{"hold_back_chars":64}',
      created_at: 1_750_000_000_000,
    });
    const fromPg = toGuardPolicyVersion({
      ...base,
      version: 3,
      rules: JSON.parse(JSON.stringify(rules)),
      settings: { hold_back_chars: 64 },
      created_at: '1750000000000',
    });
    expect(fromSqlite).toEqual({
      projectId: 'proj_1',
      policyName: 'pii',
      version: 3,
      rules,
      settings: { hold_back_chars: 64 },
      contentHash: 'h',
      message: 'm',
      author: null,
      createdAt: 1_750_000_000_000,
    });
    expect(fromPg).toEqual(fromSqlite);
    expect(
      toGuardPolicy({ id: 'guardpol_1', project_id: 'p', name: 'pii', latest_version: '2', created_at: 5n }),
    ).toEqual({ id: 'guardpol_1', projectId: 'p', name: 'pii', latestVersion: 2, createdAt: 5 });
  });
});

describe('guard policy input checks', () => {
  it('serialises rules and settings', () => {
    expect(guardPolicyVersionColumns(input())).toEqual({
      rules: JSON.stringify(rules),
      settings: '{"hold_back_chars":64}',
    });
    expect(guardPolicyVersionColumns(input({ rules: [] })).rules).toBe('[]');
  });

  it('refuses NUL characters in text and JSON, and lone surrogates in JSON', () => {
    const term = (value: string): GuardRule[] => [
      { scanner: 'w', stage: 'output', action: 'block', threshold: 1, options: { terms: [value] } },
    ];
    for (const bad of [
      input({ name: 'p\u0000' }),
      input({ message: '\u0000' }),
      input({ author: 'a\u0000' }),
      input({ contentHash: '\u0000' }),
      input({ rules: term('x\u0000') }),
      input({ rules: term('lone \ud800') }),
      input({ rules: term('\udfff') }),
      input({ rules: [{ ...rules[1]!, types: ['EMAIL\u0000'] }] }),
      input({ rules: [{ ...rules[1]!, options: { '\ud83e': 1 } }] }),
    ]) {
      expect(() => guardPolicyVersionColumns(bad)).toThrow(ValidationError);
    }
    // A lone surrogate in a plain text column is not refused: drivers write U+FFFD, as for knowledge.
    expect(() => guardPolicyVersionColumns(input({ message: 'ok 🧪 \ud800' }))).not.toThrow();
  });

  it('tells versions a policy can have from impossible and invalid ones', () => {
    expect(storablePolicyVersion(1)).toBe(1);
    expect(storablePolicyVersion(2_147_483_647)).toBe(2_147_483_647);
    for (const impossible of [0, -1, 2_147_483_648, 2 ** 53])
      expect(storablePolicyVersion(impossible)).toBeNull();
    for (const invalid of [1.5, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => storablePolicyVersion(invalid)).toThrow(/guard policy version must be an integer/);
    }
  });
});

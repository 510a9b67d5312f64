/**
 * Reversible redaction as pseudonymisation: one vault per request gives each value one
 * placeholder across all its messages, and the restorer puts the values back into a streamed
 * answer exactly as a whole-text restore would, however the stream is cut.
 */
import { describe, expect, it } from 'vitest';
import type { GuardRule } from '../../src/core/index.js';
import { compilePolicy } from '../../src/guard/policy/compile-policy.js';
import { evaluateStage } from '../../src/guard/policy/guard-engine.js';
import {
  jsonStringMapping,
  PseudonymRestorer,
  PseudonymVault,
  restoreRedactions,
} from '../../src/guard/policy/redaction.js';
import { ScannerRegistry } from '../../src/guard/policy/scanner-registry.js';

describe('PseudonymVault', () => {
  it('gives a value one placeholder, and different values of a type different ones', () => {
    const vault = new PseudonymVault();
    expect(vault.placeholder('EMAIL', 'a@x.io')).toBe('[EMAIL_1]');
    expect(vault.placeholder('PHONE', '+1 415 555 2671')).toBe('[PHONE_1]');
    expect(vault.placeholder('EMAIL', 'b@x.io')).toBe('[EMAIL_2]');
    expect(vault.placeholder('EMAIL', 'a@x.io')).toBe('[EMAIL_1]');
    expect(vault.size).toBe(3);
    expect(vault.mapping).toEqual({
      '[EMAIL_1]': 'a@x.io',
      '[PHONE_1]': '+1 415 555 2671',
      '[EMAIL_2]': 'b@x.io',
    });
  });

  it('keeps placeholders consistent across the messages of one request', async () => {
    const rules: GuardRule[] = [
      {
        scanner: 'pii',
        stage: 'input',
        action: 'redact',
        threshold: 0.5,
        reversible: true,
        types: ['EMAIL'],
      },
    ];
    const policy = compilePolicy(
      { policyName: 'p', version: 1, rules, settings: { hold_back_chars: 64 } },
      new ScannerRegistry(),
    );
    const vault = new PseudonymVault();
    const first = await evaluateStage(policy, 'input', 'Mail ann@example.com please', { pseudonyms: vault });
    const second = await evaluateStage(policy, 'input', 'Also bob@example.org and ann@example.com', {
      pseudonyms: vault,
    });
    expect(first.text).toBe('Mail [EMAIL_1] please');
    expect(second.text).toBe('Also [EMAIL_2] and [EMAIL_1]');
    expect(second.mapping).toEqual({ '[EMAIL_2]': 'bob@example.org', '[EMAIL_1]': 'ann@example.com' });
    // Without a vault each text numbers its own placeholders, as before.
    const alone = await evaluateStage(policy, 'input', 'Also bob@example.org and ann@example.com');
    expect(alone.text).toBe('Also [EMAIL_1] and [EMAIL_2]');
  });
});

describe('PseudonymRestorer', () => {
  const mapping = {
    '[EMAIL_1]': 'ann@example.com',
    '[EMAIL_2]': 'bob@example.org',
    '[PHONE_1]': '+1 415 555 2671',
    '[CN_ID_1]': '11010519491231002X',
  };
  const answers = [
    'I will write to [EMAIL_1] and call [PHONE_1] tomorrow.',
    '[EMAIL_2][EMAIL_1] back to back, then [CN_ID_1].',
    'Not ours: [EMAIL_12], [EMAIL_], [PHONE_3], [link](http://x) and a lone [ at the end [EMA',
    'Nested brackets [[EMAIL_1]] and [EMAIL_1 without its end, then [PHONE_1]',
    '',
    'No placeholders at all.',
  ];

  it('equals a whole-text restore for every way of cutting the stream', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let streams = 0;
    for (const answer of answers) {
      const expected = restoreRedactions(answer, mapping);
      // Every single cut point, then random cuts into 1–12 character pieces.
      for (let cut = 0; cut <= answer.length; cut++) {
        const restorer = new PseudonymRestorer(mapping);
        const out = restorer.push(answer.slice(0, cut)) + restorer.push(answer.slice(cut)) + restorer.flush();
        expect(out, `cut at ${cut}`).toBe(expected);
        streams++;
      }
      for (let round = 0; round < 200; round++) {
        const restorer = new PseudonymRestorer(mapping);
        let out = '';
        for (let index = 0; index < answer.length; ) {
          const size = 1 + Math.floor(random() * 12);
          out += restorer.push(answer.slice(index, index + size));
          index += size;
        }
        out += restorer.flush();
        expect(out).toBe(expected);
        streams++;
      }
    }
    expect(streams).toBeGreaterThan(1300);
  });

  it('never lets part of a placeholder out, and holds back only what can still become one', () => {
    const restorer = new PseudonymRestorer(mapping);
    expect(restorer.push('Write to [EMA')).toBe('Write to ');
    expect(restorer.push('IL_1] now')).toBe('ann@example.com now');
    expect(restorer.push(' see [link')).toBe(' see [link');
    expect(restorer.push(' and [')).toBe(' and ');
    expect(restorer.flush()).toBe('[');
  });
});

describe('restoring with many placeholders', () => {
  // A caller's request can carry tens of thousands of values (every user message is
  // pseudonymised, up to the body limit). Restoring went over the text once per placeholder, and
  // the restorer over every placeholder for each piece with an open bracket: 50,000 placeholders
  // held the event loop for seconds on one short streamed answer.
  it('takes time with the text, not with the number of placeholders, and restores the same', () => {
    const mapping: Record<string, string> = {};
    for (let index = 1; index <= 50_000; index++) mapping[`[EMAIL_${index}]`] = `user${index}@example.com`;
    const answer =
      'Write to [EMAIL_1] and [EMAIL_49999], see [note] and [EMAIL_0] or [EMAIL_5 then [EMAIL_'.repeat(40);
    const expected =
      'Write to user1@example.com and user49999@example.com, see [note] and [EMAIL_0] or [EMAIL_5 then [EMAIL_'.repeat(
        40,
      );
    const started = performance.now();
    expect(restoreRedactions(answer, mapping)).toBe(expected);
    const restorer = new PseudonymRestorer(mapping);
    let out = '';
    for (const piece of answer.match(/[\s\S]{1,4}/g)!) out += restorer.push(piece);
    out += restorer.flush();
    expect(out).toBe(expected);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('puts a value back once: a placeholder inside a restored value stays as it is', () => {
    const mapping = { '[ID_1]': 'see [ID_2]', '[ID_2]': 'secret-2' };
    expect(restoreRedactions('[ID_1] and [ID_2]', mapping)).toBe('see [ID_2] and secret-2');
    const restorer = new PseudonymRestorer(mapping);
    expect(restorer.push('[ID_1] and [I') + restorer.push('D_2]') + restorer.flush()).toBe(
      'see [ID_2] and secret-2',
    );
  });
});

describe('restoring inside JSON (tool-call arguments)', () => {
  it('escapes each value for the JSON string its placeholder stands in', () => {
    const mapping = { '[NAME_1]': 'Ann "Nan" O\\Neil', '[EMAIL_1]': 'ann@example.com' };
    const args = JSON.stringify({ to: '[EMAIL_1]', greeting: 'Dear [NAME_1],\n' });
    const restored = restoreRedactions(args, jsonStringMapping(mapping));
    expect(JSON.parse(restored)).toEqual({ to: 'ann@example.com', greeting: 'Dear Ann "Nan" O\\Neil,\n' });
  });
});

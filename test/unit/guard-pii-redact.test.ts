import { describe, expect, it } from 'vitest';
import { findPii, maskPiiValue, redact, restore } from '../../src/guard/pii/index.js';

const TEXT =
  'Mail jane.doe@example.com or call +1 (415) 555-2671; card 4111 1111 1111 1111, SSN 536-22-1234, ' +
  'IBAN DE89 3704 0044 0532 0130 00, 身份证 11010519491231002X, host 192.168.10.20. Again: jane.doe@example.com';

describe('redact', () => {
  const findings = findPii(TEXT);

  it('replace: the type in brackets', () => {
    expect(redact(TEXT, findings, 'replace')).toEqual({
      text:
        'Mail [EMAIL] or call [PHONE]; card [CREDIT_CARD], SSN [US_SSN], IBAN [IBAN], 身份证 [CN_ID], ' +
        'host [IP_ADDRESS]. Again: [EMAIL]',
    });
  });

  it('mask: partial and format-keeping', () => {
    expect(redact(TEXT, findings, 'mask').text).toBe(
      'Mail j***@e***.com or call +* (***) ***-2671; card **** **** **** 1111, SSN ***-**-1234, ' +
        'IBAN DE** **** **** **** **30 00, 身份证 110***********002X, host 192.***.***.***. Again: j***@e***.com',
    );
  });

  it.each([
    ['EMAIL', 'john@example.org', 'j***@e***.org'],
    ['PHONE', '13812345678', '*******5678'],
    ['IP_ADDRESS', '2001:db8::1', '2001:***::***'],
    ['SECRET', 'AKIAIOSFODNN7EXAMPLE', 'AKIA***'],
    [
      'SECRET',
      '-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----***',
    ],
    ['SENSITIVE_WORD', '机密', '机***'],
  ])('masks %s %j as %j', (type, value, masked) => {
    expect(maskPiiValue(type, value)).toBe(masked);
  });

  it('reversible: numbered placeholders, one per distinct value, and a mapping that restores', () => {
    const result = redact(TEXT, findings, 'reversible');
    expect(result.text).toBe(
      'Mail [EMAIL_1] or call [PHONE_1]; card [CREDIT_CARD_1], SSN [US_SSN_1], IBAN [IBAN_1], ' +
        '身份证 [CN_ID_1], host [IP_ADDRESS_1]. Again: [EMAIL_1]',
    );
    expect(result.mapping).toEqual({
      '[EMAIL_1]': 'jane.doe@example.com',
      '[PHONE_1]': '+1 (415) 555-2671',
      '[CREDIT_CARD_1]': '4111 1111 1111 1111',
      '[US_SSN_1]': '536-22-1234',
      '[IBAN_1]': 'DE89 3704 0044 0532 0130 00',
      '[CN_ID_1]': '11010519491231002X',
      '[IP_ADDRESS_1]': '192.168.10.20',
    });
    expect(restore(result.text, result.mapping!)).toBe(TEXT);
  });

  it('restores placeholders a model moved around, and leaves unknown ones alone', () => {
    const { text, mapping } = redact('a@b.io and c@d.io', findPii('a@b.io and c@d.io'), 'reversible');
    expect(text).toBe('[EMAIL_1] and [EMAIL_2]');
    expect(restore('Write to [EMAIL_2], cc [EMAIL_1], not [EMAIL_3].', mapping!)).toBe(
      'Write to c@d.io, cc a@b.io, not [EMAIL_3].',
    );
  });

  it('never issues a placeholder the text already contains', () => {
    const text = 'literal [EMAIL_1] then x@y.io';
    const result = redact(text, findPii(text), 'reversible');
    expect(result.text).toBe('literal [EMAIL_1] then [EMAIL_2]');
    expect(restore(result.text, result.mapping!)).toBe(text);
  });

  it('with a key: HMAC-tagged placeholders, stable across calls, different per key', () => {
    const text = 'x@y.io';
    const first = redact(text, findPii(text), 'reversible', 'secret-1');
    const again = redact(`hello ${text}`, findPii(`hello ${text}`), 'reversible', 'secret-1');
    const other = redact(text, findPii(text), 'reversible', 'secret-2');
    expect(first.text).toMatch(/^\[EMAIL_[0-9a-f]{8}\]$/);
    expect(again.text).toBe(`hello ${first.text}`);
    expect(other.text).not.toBe(first.text);
    expect(restore(first.text, first.mapping!)).toBe(text);
  });

  it('round-trips random texts with random findings', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: 40 }, () => 'ab [_]1中'[Math.floor(random() * 8)]).join('');
      const spans = Array.from({ length: 4 }, () => {
        const start = Math.floor(random() * text.length);
        const end = Math.min(text.length, start + 1 + Math.floor(random() * 6));
        return { type: random() < 0.5 ? 'EMAIL' : 'SECRET', start, end };
      });
      const result = redact(text, spans, 'reversible');
      expect(restore(result.text, result.mapping!)).toBe(text);
    }
  });

  it('redacts overlapping findings once (earlier, then longer, wins)', () => {
    const text = 'abcdefghij';
    const spans = [
      { type: 'A', start: 2, end: 6 },
      { type: 'B', start: 4, end: 9 },
      { type: 'C', start: 2, end: 4 },
    ];
    expect(redact(text, spans, 'replace').text).toBe('ab[A]ghij');
  });

  it('turns any finding type into a safe placeholder name', () => {
    expect(redact('bad word', [{ type: 'profanity/mild', start: 0, end: 3 }], 'reversible').text).toBe(
      '[PROFANITY_MILD_1] word',
    );
  });
});

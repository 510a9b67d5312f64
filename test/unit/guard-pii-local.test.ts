/**
 * Seven-digit local numbers after a cue word, `+(CC)` prefixes, and eight- and nine-digit
 * national numbers written with single spaces (4-4, 2-2-2-2, 3-3-3) without a cue, each next to
 * the near misses of the same shape that must stay unflagged (written for these tests from
 * numbering plans, not taken from any data set).
 */
import { describe, expect, it } from 'vitest';
import { findPii } from '../../src/guard/pii/index.js';

function phones(text: string): Array<[string, number]> {
  return findPii(text)
    .filter((finding) => finding.type === 'PHONE')
    .map((finding) => [finding.value, finding.score]);
}

describe('seven-digit local numbers after a cue word', () => {
  it.each<[string, string]>([
    ['Call me at 7357963 tomorrow.', '7357963'],
    ['My phone number is 393 49 86.', '393 49 86'],
    ['You can reach the front desk by phone on 154 9 706.', '154 9 706'],
    ['Contact number 170-8365, ask for Anna.', '170-8365'],
    ['Phone: 599.2541', '599.2541'],
    ['Call me at 876.2772 tomorrow', '876.2772'],
    ['My phone number is 723.6007.', '723.6007'],
  ])('finds %j', (text, value) => {
    expect(phones(text)).toEqual([[value, 0.7]]);
  });

  it.each([
    // no cue
    'The figure was 7357963 last quarter.',
    'I tried 393 49 86 twice.',
    'Ring 876.2772 after six.',
    // a cue, but an identifier label right before the number
    'Call me back about invoice 7357963.',
    'Phone the shop about order 393 49 86.',
    // dotted: a decimal unless the cue stands right before it and the exchange is 2–9
    'The call rate is 599.2541 per minute.',
    'phone stats: 486.4245',
    'Phone: 199.2541',
    // the cue belongs to the sentence before
    'Please call me. 7357963 were sold.',
  ])('leaves %j alone', (text) => {
    expect(phones(text)).toEqual([]);
  });
});

describe('+(CC) country codes', () => {
  it('finds a country code in parentheses after the plus', () => {
    expect(phones('Office +(370) 21067400 today')).toEqual([['+(370) 21067400', 0.85]]);
  });

  it('still needs eight digits in all', () => {
    expect(phones('Office +(370) 2106 today')).toEqual([]);
  });
});

describe('spaced national numbers without a cue (0.5)', () => {
  it.each<[string, string]>([
    ['I tried 612 345 678 twice but nobody answered.', '612 345 678'],
    ['Maria Lopez, 736 936 880, 12 High Street', '736 936 880'],
    ['Her details are 90 01 80 49 and more.', '90 01 80 49'],
    ['Update my record to 26 22 40 51 please.', '26 22 40 51'],
    ['Lost dog! Try 5358 8332 any time.', '5358 8332'],
    ['I tried 9123 4567 twice.', '9123 4567'],
  ])('finds %j', (text, value) => {
    expect(phones(text)).toEqual([[value, 0.5]]);
  });

  it.each([
    // amounts: a currency or unit next to it, or an amount word before it
    'The budget is €612 345 678 this year.',
    'Light travels at 299 792 458 m/s.',
    'Please call me. 827 643 357 were sold.',
    'The city has a population of 612 345 678.',
    '612 345 678 people live there.',
    'Revenue: 612 345 678 USD',
    // thousands with a short head, dots or a lead digit the plans do not use
    'The figure was 12 345 678 last quarter.',
    'The figure was 612.345.678 last quarter.',
    'The figure was 112 345 678 last quarter.',
    // pairs: a leading 0 or 1, five pairs, a longer list
    'Scores 13 72 07 24 today.',
    'Scores 85 92 78 64 88 today.',
    'Row: 41 63 63 65 73 73 20',
    // fours: a year first, two years, a dashed range, a longer run
    'In 2019 1234 of them left.',
    'between 2019 2020 and now',
    'It weighs 1500-3000 pounds.',
    'Tracking 7034 7441 0739 today',
    // an identifier label
    'Order 612 345 678 has shipped.',
    'Account no. 5358 8332',
    // inside a word or a dashed identifier
    'ref A-5358 8332',
  ])('leaves %j alone', (text) => {
    expect(phones(text)).toEqual([]);
  });

  it('gives a cue its stronger score', () => {
    expect(phones('Tel. 612 345 678')).toEqual([['612 345 678', 0.7]]);
  });

  it('gives a field of a contact record 0.6 (guard-pii-contact.test.ts)', () => {
    expect(phones('Her details: 90 01 80 49, flat 4B.')).toEqual([['90 01 80 49', 0.6]]);
    // A 4-4 pair is also a code or a PIN: a record does not raise it.
    expect(phones('Lost dog! 5358 8332 (Sam)')).toEqual([['5358 8332', 0.5]]);
  });
});

describe('idioms that name a phone number, right before it', () => {
  it.each<[string, string]>([
    ['The new number is 612345678 and the old one is gone.', '612345678'],
    ['Reach out to 61234567 for the keys.', '61234567'],
    ['Reach me at 0041 44 668 18 00 any time.', '0041 44 668 18 00'],
    ['Ring 612345678 after 6.', '612345678'],
    ['my number: 2025550143', '2025550143'],
  ])('finds %j', (text, value) => {
    expect(phones(text).map(([found]) => found)).toEqual([value]);
  });

  it.each([
    'Reach out to the team about 612345678 today.',
    'My number one worry is 1508370717 right now.',
    'My number of votes is 61234567.',
    'Ring size 612345678',
    'The new number is 612345678.5 percent.',
    'Reach out to ticket 612345678.',
  ])('leaves %j alone', (text) => {
    expect(phones(text)).toEqual([]);
  });
});

describe('the expressions warm-up', () => {
  it('reaches every PII type and every family in one- and two-byte text', async () => {
    const { WARM_SAMPLES } = await import('../../src/guard/pii/warm-up.js');
    const [oneByte, twoByte] = WARM_SAMPLES;
    expect([...oneByte!].every((character) => character.charCodeAt(0) <= 0xff)).toBe(true);
    expect([...twoByte!].some((character) => character.charCodeAt(0) > 0xff)).toBe(true);
    for (const sample of WARM_SAMPLES) {
      const types = new Set(findPii(sample).map((finding) => finding.type));
      expect([...types].sort()).toEqual(
        ['CREDIT_CARD', 'EMAIL', 'IBAN', 'IP_ADDRESS', 'PHONE', 'SECRET', 'US_SSN']
          .concat(sample === twoByte ? ['CN_ID'] : [])
          .sort(),
      );
    }
  });
});

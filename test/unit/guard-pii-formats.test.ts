/**
 * Phone and card formats added from numbering plans and issuer ranges, each next to the
 * near-miss that must stay unflagged (written for these tests, not taken from any data set).
 */
import { describe, expect, it } from 'vitest';
import { findPii, type PiiType } from '../../src/guard/pii/index.js';
import { startsWithDate } from '../../src/guard/pii/phone-vetoes.js';

type Expected = Array<[PiiType, string]>;

function found(text: string, type: PiiType): Expected {
  return findPii(text)
    .filter((finding) => finding.type === type)
    .map((finding) => {
      expect(text.slice(finding.start, finding.end)).toBe(finding.value);
      return [finding.type, finding.value];
    });
}

describe('PHONE formats and their near misses', () => {
  it.each<[string, string, string]>([
    // [label, text with one phone (its first run of digits and phone punctuation), a near miss]
    ['bare trunk-0 national', 'Reach me on 0380797271 today', 'Order 0380797271 has shipped'],
    ['bare NANP ten digits', 'My number is 4155552671.', 'Logged at 1508370717 (Unix time)'],
    ['bare NANP, not an N11 area', 'Ring 4155552671 after six', 'Use code 4115552671 now'],
    // India's mobile plan (6–9 and nine digits) takes bare runs the North American plan refuses:
    // exchange 079, N11 area 911; a 5 in front is neither plan's.
    ['bare Indian mobile', 'Ring 9800794476 after six', 'Use code 5800794476 now'],
    ['bare Indian mobile, N11 head', 'WhatsApp 9115552671 today', 'Use code 3115552671 now'],
    ['French pairs with dashes', 'Paris 07-72-21-13-01', 'on 07-12-2021 at noon'],
    ['French pairs with dots', 'Lyon 06.35.79.13.18', 'released 17.20.10.89030'],
    ['Japanese one-digit group', 'Kobe 07972-7-1492', 'ISBN 0-306-40615-2'],
    ['short area code, nine digits', 'Jerusalem 02-1561464', 'part 2-1561464'],
    ['German 13 digits', 'Wiesbaden 01464 05659591', 'invoice 01464 05659591'],
    ['area and number', 'Athens 2288 319377', 'in 2019 123456 units'],
    ['Indian 5-5', 'Delhi 98765 43210', 'batch 98765 43210'],
    ['Russian 8 prefix', 'Moscow 8 912 345 6789', 'ids 9 4475 0822 8879'],
    ['bare NANP with an extension', 'desk 2125550134x123 today', 'id 1125550134x123 today'],
    ['NANP with x extension', 'desk (212)555-0134x1234', 'ref 212-555-0134 is an order'],
    ['001 prefix and extension', 'dial 001-212-555-0134x123', 'invoice 001-212-555-0134'],
    ['+1- prefix and extension', 'cell +1-212-555-0134x12', 'version 1.212.555.0134'],
    ['+44 (0) without spaces', 'UK +44(0)2079460958', 'UK 44 2079460958 9 items'],
    ['dashed 3-3-3 (never an amount)', 'Madrid 911-893-688', 'population 911 893 688'],
    ['cued local seven digits', 'call me at 555-1234', 'see page 555-1234 of the log'],
  ])('%s', (_label, positive, negative) => {
    const value = /(?:\+|\(|\d)[\d ()+.x-]*\d/.exec(positive)![0];
    expect(found(positive, 'PHONE')).toEqual([['PHONE', value]]);
    expect(found(negative, 'PHONE')).toEqual([]);
  });

  it('takes the exact span of each', () => {
    expect(found('Kobe 07972-7-1492', 'PHONE')).toEqual([['PHONE', '07972-7-1492']]);
    expect(found('desk (212)555-0134x1234', 'PHONE')).toEqual([['PHONE', '(212)555-0134x1234']]);
    expect(found('Athens 2288 319377', 'PHONE')).toEqual([['PHONE', '2288 319377']]);
    expect(found('call me at 555-1234', 'PHONE')).toEqual([['PHONE', '555-1234']]);
  });

  it.each([
    ['a decimal after a cue', 'phone stats: 486.42457381'],
    ['an ISBN-13 after a cue', 'call about 9783161484100'],
    ['years after a cue', 'phone logs 2004-2006 2010'],
    ['a label right before', 'Call me back about invoice 1329984708.'],
    ['a cue from the sentence before', 'Please call me. 827 643 357 were sold.'],
    ['the next sentence starting with a cue', 'Result: 242381869 Tel. is below'],
    ['a tracking number chunked in fours', 'Logged 7034 7441 0739 yesterday'],
    ['a dashed id with a one-digit head', 'See 7-4143-2965-7579 for details'],
    ['the tail of a longer number', 'Logged at 3667 656112 8669 by cron'],
    ['a version with four parts', 'See 12.30.72.65375 for details'],
    ['a Chinese order number', '订单号0380797271已发货'],
  ])('no phone in %s', (_label, text) => {
    expect(found(text, 'PHONE')).toEqual([]);
  });

  it('reads an identifier label only up to its own sentence', () => {
    expect(found('Order No. 4155552671', 'PHONE')).toEqual([]);
    expect(found('policy number: 4155552671', 'PHONE')).toEqual([]);
    expect(found('Ref. 415-555-2671', 'PHONE')).toEqual([]);
    expect(found('See the invoice. 415.555.2671 is my cell.', 'PHONE')).toEqual([['PHONE', '415.555.2671']]);
  });

  it('keeps a cue for its own number only', () => {
    expect(found('Please call 020 7946 0958 if late. Result: 242381869', 'PHONE')).toEqual([
      ['PHONE', '020 7946 0958'],
    ]);
    expect(found('0171 2345678 (mobile)', 'PHONE')).toEqual([['PHONE', '0171 2345678']]);
    expect(found('Tel. 63 72 07 24', 'PHONE')).toEqual([['PHONE', '63 72 07 24']]);
  });

  it('reads dates strictly', () => {
    expect(startsWithDate('2023-10-15')).toBe(true);
    expect(startsWithDate('15.10.2023 10:30')).toBe(true);
    expect(startsWithDate('07-72-21-13-01')).toBe(false);
    expect(startsWithDate('07-12-21-13-01')).toBe(false);
    expect(startsWithDate('45.67.2023')).toBe(false);
  });
});

describe('CREDIT_CARD formats and their near misses', () => {
  it.each<[string, string, string]>([
    ['12-digit Maestro, spaced', 'card 5018 1234 5673 ok', 'card 5018 1234 5674 ok'],
    ['12-digit Maestro, bare', 'Maestro 676312345678.', 'Maestro 676312345679.'],
    ['12-digit broad Maestro block', 'paid 5712-1234-5672', 'paid 5712-1234-5672-9'],
    ['Maestro IIN 0604', 'paid 0604 1234 5678 9015', 'paid 0604 1234 5678 9016'],
    ['dots between 4-4-4-4', 'use 4111.1111.1111.1111 now', 'use 4111.1111.1111.1112 now'],
    [
      '14 digits after other numbers',
      'Result: 544 753 681 36924803537959',
      'Result: 544 753 681 36924803537958',
    ],
    [
      'card after a phone-like prefix',
      'Phone: 10 62 24 05 2400-3436-4485-8983',
      'Phone: 10 62 24 05 2400-3436-4485-8984',
    ],
  ])('%s', (_label, positive, negative) => {
    expect(found(positive, 'CREDIT_CARD')).toHaveLength(1);
    expect(found(negative, 'CREDIT_CARD')).toEqual([]);
  });

  it('takes exact spans, several cards in one run', () => {
    expect(found('Phone: 10 62 24 05 2400-3436-4485-8983', 'CREDIT_CARD')).toEqual([
      ['CREDIT_CARD', '2400-3436-4485-8983'],
    ]);
    expect(found('4111 1111 1111 1111 5555 5555 5555 4444', 'CREDIT_CARD')).toEqual([
      ['CREDIT_CARD', '4111 1111 1111 1111'],
      ['CREDIT_CARD', '5555 5555 5555 4444'],
    ]);
    expect(found('4111 1111 1111 1111 5555 5555 5555 4444 3782 822463 10005', 'CREDIT_CARD')).toEqual([
      ['CREDIT_CARD', '4111 1111 1111 1111'],
      ['CREDIT_CARD', '5555 5555 5555 4444'],
      ['CREDIT_CARD', '3782 822463 10005'],
    ]);
    expect(found('Result: 544 753 681 36924803537959', 'CREDIT_CARD')).toEqual([
      ['CREDIT_CARD', '36924803537959'],
    ]);
  });

  it('reports a mistyped card after a card cue at 0.6, and nothing without the cue', () => {
    const typo = findPii('my card number is 4111 1111 1111 1112').filter((f) => f.type === 'CREDIT_CARD');
    expect(typo.map((finding) => [finding.value, finding.score])).toEqual([['4111 1111 1111 1112', 0.6]]);
    expect(found('Visa: 4111111111111112', 'CREDIT_CARD')).toEqual([['CREDIT_CARD', '4111111111111112']]);
    expect(found('tracking 4111 1111 1111 1112', 'CREDIT_CARD')).toEqual([]);
    // A cue does not make any long number a card: the layout and the issuer prefix must fit.
    expect(found('card 9111 1111 1111 1112', 'CREDIT_CARD')).toEqual([]);
    expect(found('card 4111-11111-111-11112', 'CREDIT_CARD')).toEqual([]);
    expect(found('card on file; order 4111 1111 1111 1112', 'CREDIT_CARD')).toEqual([]);
  });

  it.each([
    ['a Luhn-valid 13 digits behind a one-digit head', 'id 5-8326-6359-3094'],
    ['a version with dots', 'v 4111.1111.1111.1111.1'],
    ['a card-shaped run inside a tracking number', 'Tracking 9056 4479 2263 3400 2503 47'],
    ['a card run on by a dash', 'ref 5219-0782-6791-8193-8'],
    ['12 digits inside a longer run', 'See 6759 5489 3482 9104 997 for details'],
    ['12 digits with a prefix Maestro never issued at that length', 'no 4111 1111 1111'],
  ])('no card in %s', (_label, text) => {
    expect(found(text, 'CREDIT_CARD')).toEqual([]);
  });
});

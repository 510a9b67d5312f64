/**
 * Phones without a cue word that session 13 admits: phone-shaped numbers that stand as a
 * field of a contact record (a name or a "details:" / "number:" label before, the field ending
 * after), and a country code in parentheses before a whole national number — each next to the
 * near misses of the same shape that must stay unflagged (written for these tests, not taken
 * from any data set).
 */
import { describe, expect, it } from 'vitest';
import { findPii } from '../../src/guard/pii/index.js';

function phones(text: string): Array<[string, number]> {
  return findPii(text)
    .filter((finding) => finding.type === 'PHONE')
    .map((finding) => [finding.value, finding.score]);
}

describe('phone-shaped numbers in a contact record', () => {
  it.each<[string, string]>([
    ['Ana Ruiz, 318-2290, 4 Mill Lane', '318-2290'],
    ['Tom Hale, 645.7021, Apt 3', '645.7021'],
    ["Leave the key with Dr. O'Neil, 772 4410, after six.", '772 4410'],
    ['Ship it to K. Brown, 904-3318, Unit 7.', '904-3318'],
    ['Neighbour: Ravi, 250-8871.', '250-8871'],
    ['His details: 561-0932, room 12.', '561-0932'],
    ['Name: Lee Chan; number: 813-2275; town: York', '813-2275'],
    ['Spare keys: 473.1188 (Maya)', '473.1188'],
    ['Eva Novak, 602 41 87, Brno', '602 41 87'],
    ['Olga Berg, 0 297 056 369.', '0 297 056 369'],
  ])('finds %j', (text, value) => {
    expect(phones(text)).toEqual([[value, 0.6]]);
  });

  it('finds every number of a list of contacts', () => {
    expect(phones('Neighbours: Ravi, 250-8871; Jo, 317-6604.')).toEqual([
      ['250-8871', 0.6],
      ['317-6604', 0.6],
    ]);
  });

  it.each([
    // not a name or a record label before the number
    'The figure was 318-2290, then more.',
    'However, 645-7021.',
    'Result: 904-3318.',
    // the number does not end its field
    'Ana Ruiz, 318-2290 words were read.',
    // an identifier label, a date, years, a decimal
    'Ana Ruiz, order 318-2290, 4 Mill Lane',
    'Order number: 813-2275; town: York',
    'Ana Ruiz, 12.05.1985, 4 Mill Lane',
    'Ana Ruiz, 1998-2004, painter.',
    'Sam Lee, 46.1234567, -0.123',
    // bare runs and spaced thousands are counts as often as phones
    'Tokyo, 37435191; Delhi, 29399141.',
    'Tokyo, 37 435 191; Delhi, 29 399 141.',
    'Ana Ruiz, 3182290, 4 Mill Lane',
    // a round range, a ZIP+4 code and a Portuguese postcode in an address
    'Word Count, 500-1000.',
    'Ana Ruiz, 12 Elm Rd, 90210-1234, USA',
    'Ana Ruiz, Rua Nova 4, 1234-567, Lisboa',
    // a version, zero-padded fours, two-digit pairs that start with 1, ids chunked in fours
    'Ana Ruiz, 0.19.105.97640, 4 Mill Lane',
    'Ana Ruiz, 0021 7331, 4 Mill Lane',
    'Ana Ruiz, 19 57 69 72, 4 Mill Lane',
    'Ana Ruiz, 6914 0604 2866 5, 4 Mill Lane',
    'Ana Ruiz, 3-5705-8690-2975, 4 Mill Lane',
    // a flight number and an id; a zero-padded id
    'Ana Ruiz, 3095 50658054, 4 Mill Lane',
    'Ana Ruiz, 0004 28055340, 4 Mill Lane',
  ])('leaves %j alone', (text) => {
    expect(phones(text)).toEqual([]);
  });
});

describe('a country code in parentheses before a national number', () => {
  it.each<[string, string, number]>([
    ['I tried (351) 912345678 twice.', '(351) 912345678', 0.6],
    ['(44)7911123456', '(44)7911123456', 0.6],
    ['Call (49) 15123456789.', '(49) 15123456789', 0.7],
    ['Office (36)/871-4967.', '(36)/871-4967', 0.6],
  ])('finds %j', (text, value, score) => {
    expect(phones(text)).toEqual([[value, score]]);
  });

  it.each([
    // a list item's number, a year, an identifier label, a longer run
    'Steps: (1) 23456789 then (2) 34567890.',
    'Smith (2019) 123456789 copies.',
    'Invoice (351) 912345678.',
    '(351) 91234567890123',
  ])('leaves %j alone', (text) => {
    expect(phones(text)).toEqual([]);
  });
});

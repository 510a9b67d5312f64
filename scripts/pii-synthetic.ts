/**
 * @module scripts/pii-synthetic
 *
 * Our own labelled tune data for the PII scanner's PHONE and CREDIT_CARD detectors (the
 * measure sets pii-presidio-synth and pii-zh-multipriv are only ever scored). Texts are built
 * from sentence templates written here, with the span of every inserted value recorded:
 * - phones from `@faker-js/faker` in many locales (its human, national and international
 *   styles) plus formats written from numbering plans: NANP with dots, parentheses,
 *   extensions (`x123`, `ext. 45`) and `+1-` / `001-` prefixes, and E.123/E.164 national and
 *   international forms of ~20 countries;
 * - cards from faker's issuers and from published IIN ranges (Visa 13/16/19, Mastercard,
 *   Amex, Discover, Diners, JCB 15/16, Maestro 12–19, UnionPay, Mir, RuPay, Troy), Luhn-valid,
 *   bare or grouped with spaces or dashes;
 * - near-miss negatives: order numbers, dates, timestamps, tracking numbers, ISBNs, versions,
 *   prices, coordinates, long ids that fail Luhn, Unix times, sequences of small numbers.
 * Deterministic for a seed; `scripts/pii-synthetic-eval.ts` scores the scanner on it.
 */
import { allFakers, type Faker } from '@faker-js/faker';

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

// Formats written from numbering plans and common national notations (E.123 and usage).
const PLAN_FORMATS: Record<string, readonly string[]> = {
  nanp: [
    'N##-N##-####',
    '(N##) N##-####',
    '(N##)N##-####',
    'N##.N##.####',
    'N## N## ####',
    '1-N##-N##-####',
    '+1-N##-N##-####',
    '+1 (N##) N##-####',
    '+1 N## N## ####',
    '001-N##-N##-####',
    '+1.N##.N##.####',
    'N##-N##-#### x###',
    'N##-N##-####x####',
    '(N##)N##-####x#####',
    'N##.N##.####x##',
    '+1-N##-N##-####x###',
    '001-N##-N##-####x####',
    '(N##) N##-#### ext. ###',
    'N##-N##-#### ext ##',
    '1 (N##) N##-####',
    '+1N##N######',
    'N##N######',
  ],
  // Ten digits in NANP shapes whose area code or exchange breaks the plan (test data does this).
  'nanp-any': [
    '###-###-####',
    '(###)###-####',
    '###.###.####',
    '+1-###-###-####',
    '001-###-###-####x###',
    '###-###-####x####',
    '(###) ###-####',
    '###.###.####x#####',
  ],
  // Seven-digit local numbers: found only after a cue word.
  local: ['N##-####', 'N##.####'],
  gb: [
    '020 7### ####',
    '+44 20 7### ####',
    '+44 (0)20 7### ####',
    '07### ######',
    '+44 7### ######',
    '01### ######',
    '(01###) ######',
    '0161 ### ####',
    '+44(0)1### ######',
    '0800 ### ####',
    '+44(0)##########',
    '(01###) #####',
  ],
  au: [
    '(02) #### ####',
    '+61 2 #### ####',
    '04## ### ###',
    '+61 4## ### ###',
    '03 #### ####',
    '1300 ### ###',
    '(0#)########',
    '04########',
  ],
  de: [
    '030 #######',
    '030/#######',
    '+49 30 #######',
    '+49 (0)30 ########',
    '0151 ########',
    '+49 151 ########',
    '089 ### ####',
    '(089) #######',
    '06221 ######',
  ],
  fr: [
    '01 ## ## ## ##',
    '06.##.##.##.##',
    '+33 1 ## ## ## ##',
    '+33 (0)6 ## ## ## ##',
    '07-##-##-##-##',
    '0033 6 ## ## ## ##',
  ],
  it: ['06 #### ####', '+39 06 ########', '+39 3## ### ####', '02-########', '3## ### ####'],
  es: ['91# ## ## ##', '+34 91# ### ###', '6## ### ###', '+34 6## ## ## ##', '9## ### ###'],
  nl: ['020-#######', '06-########', '+31 20 ### ####', '+31 6 ########', '010 ### ####'],
  se: ['08-### ### ##', '070-### ## ##', '+46 8 ### ### ##', '+46 70 ### ## ##'],
  pl: ['+48 ## ### ## ##', '+48 5## ### ###', '22 ### ## ##', '+48 ### ### ###'],
  ru: [
    '8 9## ### ####',
    '+7 9## ### ####',
    '8 (9##) ###-##-##',
    '+7 (9##) ###-##-##',
    '+7 495 ###-##-##',
    '8-9##-###-##-##',
    '(495) ###-##-##',
  ],
  br: ['(11) 9####-####', '+55 11 9####-####', '+55 (21) ####-####', '(21) ####-####'],
  in: [
    '9#### #####',
    '+91 9## ### ####',
    '09#########',
    '+91 9#### #####',
    '+91-9#########',
    '09#### #####',
    '+91 22 #### ####',
    '022-########',
  ],
  jp: ['03-####-####', '090-####-####', '+81 3-####-####', '+81 90-####-####', '06-####-####'],
  kr: ['010-####-####', '02-###-####', '+82 10-####-####', '+82-2-####-####'],
  cn: [
    '010-########',
    '021-########',
    '+86 10 ########',
    '138 #### ####',
    '+86 139-####-####',
    '0755-########',
  ],
  mx: ['55 #### ####', '+52 55 #### ####', '+52 1 55 #### ####'],
  intl: [
    '+## ## ### ####',
    '+### ## ### ###',
    '00## ## ### ####',
    '+##-###-###-####',
    '+## (0)## #### ####',
    '+#########',
  ],
};

const FAKER_STYLES = ['human', 'national', 'international'] as const;

export function generatePhone(faker: Faker): { value: string; source: string } {
  if (faker.number.float() < 0.5) {
    const locale = pick(faker, PHONE_LOCALES);
    const style = pick(faker, FAKER_STYLES);
    return { value: allFakers[locale].phone.number({ style }), source: `faker:${locale}:${style}` };
  }
  const plan = pick(faker, Object.keys(PLAN_FORMATS));
  const pattern = pick(faker, PLAN_FORMATS[plan]!);
  // International '+##' stand-ins must not start with a zero country code.
  return { value: fill(faker, pattern).replace(/^(\+|00)0/, '$11'), source: `plan:${plan}` };
}

/** Issuer IIN prefixes and the lengths they use (ISO/IEC 7812 registrations as published). */
const ISSUERS: Record<string, { prefixes: readonly string[]; lengths: readonly number[] }> = {
  visa: { prefixes: ['4'], lengths: [13, 16, 16, 16, 19] },
  mastercard: { prefixes: ['51', '52', '53', '54', '55', '2221', '2720', '23', '26'], lengths: [16] },
  amex: { prefixes: ['34', '37'], lengths: [15] },
  discover: { prefixes: ['6011', '644', '649', '65', '622126'], lengths: [16, 19] },
  diners: { prefixes: ['300', '305', '36', '38', '39', '3095'], lengths: [14, 16] },
  jcb16: { prefixes: ['3528', '3550', '3589'], lengths: [16, 19] },
  jcb15: { prefixes: ['2131', '1800'], lengths: [15] },
  maestro: {
    prefixes: ['5018', '5020', '5038', '5893', '6304', '6759', '6761', '6762', '6763', '0604', '6390'],
    lengths: [12, 13, 16, 19],
  },
  'maestro-broad': { prefixes: ['56', '57', '58'], lengths: [12, 16, 19] },
  unionpay: { prefixes: ['62', '81'], lengths: [16, 17, 18, 19] },
  mir: { prefixes: ['2200', '2204'], lengths: [16] },
  rupay: { prefixes: ['60', '6521', '508'], lengths: [16] },
  troy: { prefixes: ['9792'], lengths: [16] },
};

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
  const kind = faker.number.int(15);
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
  const prefix = parts.text === '' ? '' : ' ';
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

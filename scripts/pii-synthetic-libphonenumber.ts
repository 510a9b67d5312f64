/**
 * @module scripts/pii-synthetic-libphonenumber
 *
 * The tune-data study behind session 5 of docs/guardrails-pii.md: would Google's phone metadata
 * (the `libphonenumber-js` port, `max` metadata) make the PHONE detector better? It is not a
 * dependency of the project (the study says no), so install it beside the scripts first:
 * `npm i --no-save libphonenumber-js@1.13.16`, then
 * `node --import tsx scripts/pii-synthetic-libphonenumber.ts [--seed 1] [--count 8000] [--ordinary]`.
 * On our synthetic tune texts (scripts/pii-synthetic.ts, with the bench's ≥ 50 % span rule) it
 * prints:
 * 1. the library's own finder (`findPhoneNumbersInText`) alone and united with our PHONE
 *    findings, for several default regions and both leniencies;
 * 2. our PHONE findings by score, with the share that is a valid number for the region their
 *    form implies (the `+` country code; NANP for 3-3-4 shapes; for the rest, some region whose
 *    own national format groups the digits the same way), for true and false positives
 *    apart, and what dropping the invalid ones would do;
 * 3. three additions where a prefix names the region and the hand rules say no: a bare
 *    `00`-prefixed run valid for its country code, `(351) 968057755` (a country code in
 *    parentheses and a valid national number), and a bare ten-digit run that is a valid
 *    Indian mobile number; and P / R / F2 with them;
 * 4. the cost of one parse and validation of a candidate span.
 * `--ordinary` also counts what the additions of 3 would flag in the bench's ordinary tune rows
 * and the 7 MB of further English tune text that `pii-synthetic-eval.ts --ordinary` reads.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadOrdinary } from '../bench/guard-pii.js';
import { findPii } from '../src/guard/pii/index.js';
import { findNumericWindows } from '../src/guard/pii/numeric-windows.js';
import {
  generateSyntheticTexts,
  NUMBER_HEAVY_TUNE_FILES,
  type SyntheticSpan,
  type SyntheticText,
} from './pii-synthetic.js';

/** The part of libphonenumber-js's API used here (the package is not a project dependency). */
interface PhoneNumber {
  country?: string;
  countryCallingCode: string;
  nationalNumber: string;
  isValid(): boolean;
  getType(): string | undefined;
  formatNational(): string;
}
interface Library {
  findPhoneNumbersInText(
    text: string,
    options: { defaultCountry?: string; leniency?: 'POSSIBLE' | 'VALID' },
  ): Array<{ startsAt: number; endsAt: number }>;
  parsePhoneNumberFromString(text: string, defaultCountry?: string): PhoneNumber | undefined;
  getCountries(): string[];
  getCountryCallingCode(country: string): string;
}
const libraryName = 'libphonenumber-js/max';
const importStarted = process.hrtime.bigint();
const library = (await import(libraryName).catch((error: unknown) => {
  console.error(`${String(error)}\nInstall it first: npm i --no-save libphonenumber-js@1.13.16`);
  process.exit(1);
})) as Library;
const importMilliseconds = Number(process.hrtime.bigint() - importStarted) / 1e6;

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : (process.argv[index + 1] ?? '');
};
const seed = Number(argument('seed') ?? 1);
const count = Number(argument('count') ?? 8000);
const texts = generateSyntheticTexts(seed, count);

type Span = { start: number; end: number };
const covers = (prediction: Span, gold: Span): boolean =>
  Math.min(prediction.end, gold.end) - Math.max(prediction.start, gold.start) >= (gold.end - gold.start) / 2;
const overlaps = (left: Span, right: Span): boolean => left.start < right.end && right.start < left.end;
const fixed = (value: number): string => value.toFixed(4);
const phonesOf = (item: SyntheticText): SyntheticSpan[] => item.spans.filter((span) => span.type === 'PHONE');
const ours = texts.map((item) => findPii(item.text).filter((finding) => finding.type === 'PHONE'));

/** P / R / F2 of a predictor over the tune texts, with the bench's span rule. */
function scoreOf(predict: (item: SyntheticText, index: number) => Span[]): string {
  let gold = 0;
  let recalled = 0;
  let predicted = 0;
  let correct = 0;
  texts.forEach((item, index) => {
    const predictions = predict(item, index);
    const phones = phonesOf(item);
    gold += phones.length;
    recalled += phones.filter((phone) => predictions.some((prediction) => covers(prediction, phone))).length;
    predicted += predictions.length;
    correct += predictions.filter((prediction) => phones.some((phone) => covers(prediction, phone))).length;
  });
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = recalled / gold;
  const f2 = (5 * precision * recall) / (4 * precision + recall);
  return `P ${fixed(precision)} R ${fixed(recall)} F2 ${fixed(f2)} (${predicted} predicted, ${recalled}/${gold} recalled)`;
}

console.log(
  `synthetic seed ${seed}, ${texts.length} texts; libphonenumber-js import ${importMilliseconds.toFixed(0)} ms`,
);
console.log(`ours: ${scoreOf((_, index) => ours[index]!)}`);

// 1. The library's finder, alone and united with ours (its spans that overlap none of ours).
console.log('\n1. findPhoneNumbersInText, alone | united with ours');
for (const [region, leniency] of [
  [undefined, 'VALID'],
  ['US', 'VALID'],
  ['US', 'POSSIBLE'],
  ['GB', 'VALID'],
  ['IN', 'VALID'],
  ['AU', 'VALID'],
  ['NZ', 'VALID'],
  ['DE', 'VALID'],
] as const) {
  const found = texts.map((item) =>
    library
      .findPhoneNumbersInText(item.text, region ? { defaultCountry: region, leniency } : { leniency })
      .map((match) => ({ start: match.startsAt, end: match.endsAt })),
  );
  const united = (index: number): Span[] => [
    ...ours[index]!,
    ...found[index]!.filter((span) => !ours[index]!.some((mine) => overlaps(mine, span))),
  ];
  console.log(`  ${region ?? 'no region'} ${leniency}: ${scoreOf((_, index) => found[index]!)}`);
  console.log(`      united: ${scoreOf((_, index) => united(index))}`);
}

// 2. Our findings: valid for the region their form implies?
const countries = library.getCountries();
const groupsOf = (value: string): string =>
  value
    .split(/\D+/)
    .filter((group) => group !== '')
    .map((group) => group.length)
    .join('-');
const NANP_SHAPE =
  /^(?:\+?1[ .-]?|00 ?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?:\s?(?:x|ext\.?)\s?\d+)?$/i;
function implied(value: string): { form: string; valid: boolean } {
  if (value.startsWith('+')) {
    return { form: '+CC', valid: library.parsePhoneNumberFromString(value)?.isValid() ?? false };
  }
  if (NANP_SHAPE.test(value)) {
    return { form: 'NANP', valid: library.parsePhoneNumberFromString(value, 'US')?.isValid() ?? false };
  }
  const valid = countries.some((country) => {
    const number = library.parsePhoneNumberFromString(value, country);
    return (
      number?.country === country && number.isValid() && groupsOf(number.formatNational()) === groupsOf(value)
    );
  });
  return { form: 'national (any region, same grouping)', valid };
}
console.log('\n2. our PHONE findings: valid for the region their form implies (TP | FP)');
const classes = new Map<string, { tp: number; tpValid: number; fp: number; fpValid: number }>();
const keptIfValid: Span[][] = [];
texts.forEach((item, index) => {
  const kept: Span[] = [];
  for (const finding of ours[index]!) {
    const { form, valid } = implied(finding.value);
    const key = `score ${finding.score.toFixed(2)}, ${form}`;
    const entry = classes.get(key) ?? { tp: 0, tpValid: 0, fp: 0, fpValid: 0 };
    if (phonesOf(item).some((phone) => covers(finding, phone))) {
      entry.tp++;
      if (valid) entry.tpValid++;
    } else {
      entry.fp++;
      if (valid) entry.fpValid++;
    }
    classes.set(key, entry);
    if (valid || form === 'national (any region, same grouping)') kept.push(finding);
  }
  keptIfValid.push(kept);
});
for (const [key, entry] of [...classes].sort()) {
  console.log(`  ${key}: TP ${entry.tpValid}/${entry.tp} valid | FP ${entry.fpValid}/${entry.fp} valid`);
}
console.log(`  dropping invalid +CC and NANP findings: ${scoreOf((_, index) => keptIfValid[index]!)}`);

// 3. Additions where a prefix names the region and the hand rules say no.
const callingCodes = new Set(countries.map((country) => library.getCountryCallingCode(country)));
const ADDITIONS: Record<string, (value: string) => boolean> = {
  '00 + country code, bare': (value) =>
    /^00[1-9]\d+$/.test(value) &&
    (library.parsePhoneNumberFromString(`+${value.slice(2)}`)?.isValid() ?? false),
  '(country code) national': (value) => {
    const match = /^\(([1-9]\d{0,2})\)[ -]?([\d -]+)$/.exec(value);
    if (!match || !callingCodes.has(match[1]!)) return false;
    const national = match[2]!.replace(/\D/g, '');
    return library.parsePhoneNumberFromString(`+${match[1]}${national}`)?.isValid() ?? false;
  },
  'bare ten digits, Indian mobile': (value) => {
    if (!/^\d{10}$/.test(value)) return false;
    const number = library.parsePhoneNumberFromString(value, 'IN');
    return number?.country === 'IN' && number.isValid() && number.getType() === 'MOBILE';
  },
};
/** Numeric windows of `text` that none of `mine` overlaps and an addition accepts. */
function added(text: string, mine: Span[], accept: (value: string) => boolean): Span[] {
  return findNumericWindows(text)
    .filter((window) => !mine.some((span) => overlaps(span, window)))
    .filter((window) => accept(text.slice(window.start, window.end)))
    .map((window) => ({ start: window.start, end: window.end }));
}
console.log('\n3. region-implied additions, united with ours');
for (const [name, accept] of Object.entries(ADDITIONS)) {
  console.log(
    `  ${name}: ${scoreOf((item, index) => [...ours[index]!, ...added(item.text, ours[index]!, accept)])}`,
  );
}
const acceptAny = (value: string): boolean => Object.values(ADDITIONS).some((accept) => accept(value));
console.log(
  `  all three: ${scoreOf((item, index) => [...ours[index]!, ...added(item.text, ours[index]!, acceptAny)])}`,
);

if (process.argv.includes('--ordinary')) {
  const data = resolve(
    process.env.STACKOPS_DATASETS ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets'),
  );
  const more = NUMBER_HEAVY_TUNE_FILES.flatMap((file) => readFileSync(join(data, file), 'utf8').split('\n'));
  const { en, zh } = loadOrdinary();
  const flags: string[] = [];
  for (const text of [...en, ...zh, ...more]) {
    const mine = findPii(text);
    for (const span of added(text, mine, acceptAny)) {
      flags.push(
        `  ${JSON.stringify(text.slice(span.start, span.end))} …${text.slice(Math.max(0, span.start - 40), span.end + 30)}…`,
      );
    }
  }
  console.log(`\nordinary tune text: the additions flag ${flags.length} more`);
  for (const flag of flags.slice(0, 40)) console.log(flag.replace(/\s+/g, ' '));
}

// 4. Cost of checking one candidate span (parse + validate), on the phones of the tune texts.
const values = texts.flatMap((item) =>
  phonesOf(item).map((phone) => item.text.slice(phone.start, phone.end)),
);
let best = Number.POSITIVE_INFINITY;
for (let round = 0; round < 5; round++) {
  const started = process.hrtime.bigint();
  for (const value of values) library.parsePhoneNumberFromString(value, 'US')?.isValid();
  best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / values.length);
}
console.log(
  `\n4. parse + isValid of one candidate span: ${best.toFixed(1)} µs (best of 5 rounds over ${values.length})`,
);

/**
 * Contact records: a number that stands as a field of its own next to a person's name or a
 * record label — "Maria Lopez, 578-6461, 12 High Street", "J. Park, 961-4126, before noon",
 * "Her details: 442-9030, flat 4B", "number: 186-4157; city: Leeds", "440-7823 (Sam)". In such
 * a record a phone-shaped number is a phone even without a cue word (session 13).
 *
 * The context is two-sided: a name or label field right before the number (only ", " or ": "
 * between) or a name in parentheses right after it, and the number ends its field (a comma,
 * semicolon, full stop, parenthesis, line end or the end of the text follows). Prose that
 * puts a number after a capitalised word ("However, 500-1000 …", "Tokyo, 37435191 people")
 * rarely also ends the field there; detect-phones.ts further admits only phone-shaped
 * groupings here (never a bare run, which is how counts are written), with the usual vetoes.
 */

// One name token: a capitalised word, also in parts ("O'Neil", "Jean-Luc", "McKay"), or an
// initial ("J.").
const NAME_TOKEN = String.raw`(?:[A-Z][a-z]*(?:[-'’]?[A-Z][a-z]+)*|[A-Z]\.)`;
// One to four name tokens with an optional title, right before ", " and the number.
const NAME_BEFORE = new RegExp(
  String.raw`[\s:;(]((?:(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?\s+)?${NAME_TOKEN}(?:\s+${NAME_TOKEN}){0,3}),\s*$`,
);
// A label that names a person's contact field: "details:", "number:" (an identifier's number,
// "order number:", is vetoed by the identifier labels before any of this is asked).
const LABEL_BEFORE = /[\s;,(](?:details|number)\s*[:：]\s*$/i;
// A name as a label after the number: "440-7823 (Sam)", "(Jo Smith)".
const NAME_AFTER = new RegExp(String.raw`^\s*\(\s*${NAME_TOKEN}(?:\s+${NAME_TOKEN})?\s*\)`);
// Capitalised words that open sentences or label tables rather than name a person; a lone
// one of these before ", " is not a name field ("However, 555-1234.").
const NOT_NAMES = new Set(
  (
    'However Also Then Yes No So Thus Hence Meanwhile Finally Otherwise Overall Instead Indeed Again ' +
    'Now Here There Today Yesterday Tomorrow Total Totals Result Results Answer Example Note See ' +
    'Figure Table Page Pages Section Chapter Step Item Year Years Range Between From Since Until And ' +
    'But Or If When While After Before During Population Revenue Score Price Amount Count Sum'
  ).split(' '),
);

/** text[start, end) is a field of a contact record (see the module comment). */
export function contactRecord(text: string, start: number, end: number): boolean {
  // Character tests first: most numbers have neither a "(" nor a field end after them, nor
  // a "," or ":" before them, and are done without a regular expression.
  let next = end;
  while (next < text.length && (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9)) next++;
  const following = text.charAt(next);
  if (following === '(') return NAME_AFTER.test(text.slice(next, next + 24));
  const fieldEnd =
    following === '' ||
    ',;)\n\r'.includes(following) ||
    (next === end && following === '.' && /^\.(?:\s|$)/.test(text.slice(end, end + 2)));
  if (!fieldEnd) return false;
  let previous = start - 1;
  while (previous >= 0 && isBlank(text.charCodeAt(previous))) previous--;
  const separator = text.charAt(previous);
  if (separator !== ',' && separator !== ':' && separator !== '：') return false;
  // A space stands for the start of the text, so that a name never starts inside a cut word.
  const before = start > 40 ? text.slice(start - 40, start) : ` ${text.slice(0, start)}`;
  if (separator !== ',') return LABEL_BEFORE.test(before);
  const name = NAME_BEFORE.exec(before);
  if (name === null) return false;
  const words = name[1]!.split(/\s+/);
  return words.length > 1 || !NOT_NAMES.has(words[0]!);
}

// Thousands written with spaces or dots ("37 435 191"): a count, even in a record; and a
// ZIP+4 code ("90210-1234"), which addresses in a record carry.
const THOUSANDS = /^[1-9]\d{0,2}(?:[ .]\d{3})+$/;
const ZIP_FOUR = /^\d{5}-\d{4}$/;

/**
 * What a record field of digits is when it is no phone: a bare run (a count or an id), spaced
 * or dotted thousands, a ZIP+4 code, a round range, groups of fours (cards, tracking numbers,
 * ids: "3-5705-8690-2975", "0403 1518", also with a shorter last group; trunk-0 numbers of ten
 * digits and more are NATIONAL's), a dotted run (a version, dotted thousands) unless a trunk 0
 * opens it ("06.12.34.56.78"), and small numbers: five or more, or pairs that start with 1
 * (subscriber numbers start with 2–9, as for the spaced national shapes).
 */
export function recordShapeRefused(body: string): boolean {
  if (THOUSANDS.test(body) || ZIP_FOUR.test(body) || roundRange(body)) return true;
  if (body.startsWith('(')) return false;
  // "00" opens an international number (INTERNATIONAL's) or a zero-padded id.
  if (body.startsWith('00')) return true;
  const groups = body.split(/[ .\-/]+/);
  // Two groups with a second one of eight digits or more are a code and an id (a flight number
  // and a booking number: "3095 50658054"); subscriber numbers that long come with a trunk 0
  // (Chinese landlines, "010 12345678"), which NATIONAL finds without the record.
  if (groups.length === 2 && groups[1]!.length > 7) return true;
  const tail = groups[0]!.length === 1 ? groups.slice(1) : groups;
  // Fours, also with a shorter remainder ("6914 0604 2866 5").
  if (tail.slice(0, -1).every((group) => group.length === 4) && (tail.length >= 3 || tail[1]?.length === 4))
    return true;
  const trunk = /^0[1-9]/.test(body);
  if (!trunk && body.indexOf('.') !== body.lastIndexOf('.')) return true;
  if (trunk || !groups.every((group) => group.length <= 2)) return false;
  return groups.length >= 5 || body.startsWith('1');
}

/** Two round numbers joined by a dash are a range ("500-1000", "1000-25000"), not a phone. */
export function roundRange(body: string): boolean {
  const range = /^(\d+)-(\d+)$/.exec(body);
  return range !== null && range[1]!.endsWith('0') && range[2]!.endsWith('0');
}

/** Space, tab or a line break. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Generated model answers for the streaming-guard equivalence tests: benign prose, code and
 * Chinese text with planted PII of every type the scanner knows (emails, phones with and
 * without cue words, cards, IBANs, CN IDs, SSNs, IPs, API keys, JWTs, assignments, bearer
 * tokens, private-key blocks, some cut off), the canary, copies of the system prompt and
 * refusals, glued together with and without separators so that values touch each other.
 * Seeded (createRandom), so every run streams the same answers cut the same way.
 */
import { createRandom } from '../../src/core/random.js';
import { plantCanary } from '../../src/guard/index.js';
import { cnIdCheckCharacter, luhnValid } from '../../src/guard/pii/checksums.js';

export type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const digits = (random: Random, count: number) =>
  Array.from({ length: count }, () => int(random, 0, 9)).join('');
const chars = (random: Random, alphabet: string, count: number) =>
  Array.from({ length: count }, () => alphabet[int(random, 0, alphabet.length - 1)]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;

const PROSE = [
  'The report covers the first quarter of 2023 and the numbers look stable.',
  'Photosynthesis converts light energy into chemical energy stored in glucose.',
  'In 1969 the Apollo 11 mission landed on the Moon; about 600 million people watched.',
  'Order 1234567890 shipped on 2023-05-12, invoice no. 574.015.0612 follows.',
  'The total was $1,234.56 for 3 items, version 17.20.10.89030 of the tool.',
  'To kill a Python process, run `kill <pid>` or use the task manager.',
  'Population 2 345 678 in 2019 2020 2021, ISBN 978-3-16-148410-0.',
  '量子计算利用量子叠加和纠缠来处理信息，比传统计算机更快。',
  '请在会议开始前十分钟到达，并带上你的笔记本电脑。',
  'Mount Everest is 8,849 metres high and lies on the border of Nepal and China.',
  'As a rule of thumb, keep functions short and give them clear names.',
  'The ratio was 0.75 and the call rate is 12% higher than last year.',
  "I'm sorry to hear about the delay; here is how to fix it.",
  'Great job 🎉 on the 𝒳 release, the 𐐀𐐁 glyphs render now.',
];

/** Lower-cased not character by character: Σ by its context, İ into two characters. */
const CASE_CONTEXT = [
  'ΣΗΜΕΡΑ ΕΙΝΑΙ ΣΑΒΒΑΤΟ και η ΟΔΟΣ είναι κλειστή.',
  'İstanbul ve İzmir arasında, KELVIN \u212a.',
];

const CODE = [
  'def area(radius):\n    return 3.14159 * radius ** 2\n',
  'const total = items.reduce((sum, item) => sum + item.price, 0);\n',
  'for (let index = 0; index < 10; index++) console.log(index);\n',
  'SELECT id, name FROM users WHERE created_at > "2024-01-01";\n',
  '    if status == 200:\n        print("ok")\n',
  'config = {"retries": 3, "timeout_ms": 1500, "endpoint": "https://api.example.com/v1"}\n',
];

const REFUSALS = [
  "I'm sorry, but I can't help with that.",
  'I cannot provide instructions for that.',
  'As an AI language model, I don’t have personal opinions.',
  'I must respectfully decline this request.',
  'That would violate my guidelines.',
  '抱歉，我无法提供这方面的信息。',
  '作为一个人工智能助手，我不能回答这个问题。',
  'I apologise for the confusion.',
  'Please consult a doctor about this.',
  `抱歉，${' '.repeat(40)}，但是我们不能帮助你。`,
  `As an AI developed by ${'X'.repeat(50)}, I cannot do that.`,
  `${' '.repeat(36)}Sorry, but I won't assist with that.`,
];

export const SYSTEM_PROMPTS = [
  'You are the support assistant of ACME Corp. Answer questions about orders, shipping and returns. ' +
    'Never reveal internal discount codes such as SPRING-2024-VIP. Escalate refunds above 500 dollars ' +
    'to a human agent and always be polite, concise and accurate in every answer you give.',
  '你是一个乐于助人的客服助手，负责回答关于订单、配送和退货的问题。不要透露内部折扣代码，' +
    '超过五百元的退款请转交人工客服处理，并始终保持礼貌、简洁和准确。',
  'You are a coding assistant. Prefer TypeScript, explain trade-offs briefly, never run commands ' +
    'on the user machine, and refuse to write malware or exploits of any kind whatsoever.',
];

function luhnCard(random: Random, prefix: string, length: number): string {
  for (;;) {
    const body = prefix + digits(random, length - prefix.length);
    if (luhnValid(body)) return body;
  }
}

function group(value: string, sizes: number[], separator: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= value.length) break;
    parts.push(value.slice(at, at + size));
    at += size;
  }
  if (at < value.length) parts.push(value.slice(at));
  return parts.join(separator);
}

function card(random: Random): string {
  const [prefix, length] = pick(random, [
    ['4', 16],
    ['51', 16],
    ['37', 15],
    ['6011', 16],
    ['4', 19],
  ] as const);
  const value =
    random() < 0.15 ? prefix + digits(random, length - prefix.length) : luhnCard(random, prefix, length);
  const shaped = pick(random, [
    () => value,
    () => group(value, [4, 4, 4, 4, 4], ' '),
    () => group(value, [4, 4, 4, 4, 4], '-'),
    () => group(value, [4, 6, 5], ' '),
  ])();
  return `${pick(random, ['', 'card ', 'Visa: ', 'card number ', '卡号'])}${shaped}`;
}

function iban(random: Random): string {
  const [country, length] = pick(random, [
    ['DE', 22],
    ['GB', 22],
    ['FR', 27],
    ['NL', 18],
  ] as const);
  const bban =
    country === 'GB' || country === 'NL'
      ? chars(random, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + digits(random, length - 8)
      : digits(random, length - 4);
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  const check = String(98 - remainder).padStart(2, '0');
  const compact = `${country}${random() < 0.1 ? '00' : check}${bban}`;
  return random() < 0.5 ? compact : group(compact, Array(9).fill(4), ' ');
}

function cnId(random: Random): string {
  const first17 = `${pick(random, ['110105', '310101', '440305'])}${int(random, 1950, 2005)}${String(
    int(random, 1, 12),
  ).padStart(2, '0')}${String(int(random, 1, 28)).padStart(2, '0')}${digits(random, 3)}`;
  if (random() < 0.2) return `身份证 ${first17.slice(0, 6)}${first17.slice(8, 14)}${digits(random, 3)}`;
  return `${pick(random, ['', '身份证', 'ID '])}${first17}${cnIdCheckCharacter(first17)}`;
}

function phone(random: Random): string {
  const shape = pick(random, [
    () => `+1 ${int(random, 200, 999)} 555 ${digits(random, 4)}`,
    () => `(${int(random, 200, 999)}) ${int(random, 200, 999)}-${digits(random, 4)}`,
    () => `+44 20 ${digits(random, 4)} ${digits(random, 4)}`,
    () => `020 ${digits(random, 4)} ${digits(random, 4)}`,
    () => `1${int(random, 3, 9)}${digits(random, 1)} ${digits(random, 4)} ${digits(random, 4)}`,
    () => `1${int(random, 3, 9)}${digits(random, 9)}`,
    () => `+86 138-${digits(random, 4)}-${digits(random, 4)}`,
    () => `555-${digits(random, 4)}`,
    () => digits(random, 7),
    () => `${int(random, 2, 9)}${digits(random, 9)}`,
    () => `912 34 56 ${digits(random, 2)}`,
    () => `${int(random, 2, 9)}${digits(random, 3)} ${digits(random, 4)}`,
    () => `+49 (0) 30 ${digits(random, 8)} ext. ${digits(random, 3)}`,
  ])();
  const cue = pick(random, ['', '', 'call ', 'Phone: ', 'Tel. ', '电话', 'my number is ', 'reach me at ']);
  return `${cue}${shape}${pick(random, ['', '', ' (mobile)', ', tel'])}`;
}

function secret(random: Random): string {
  const key = pick(random, [
    () => `${'sk'}-proj-${chars(random, ALNUM, 32)}`,
    () => `${'AK'}IA${chars(random, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
    () => `${'gh'}p_${chars(random, ALNUM, 36)}`,
    () =>
      `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${'eyJ'}${chars(random, ALNUM, 20)}.${chars(random, ALNUM, 22)}`,
    () => `api_key = "${chars(random, ALNUM, 24)}"`,
    () => `password: ${chars(random, ALNUM, 10)}!`,
    () =>
      `${pick(random, ['my password is ', 'Passcode ', 'the AWS secret access key is ', 'token '])}${chars(random, ALNUM, 24)}`,
    () => `Authorization: ${'Bear'}er ${chars(random, `${ALNUM}._-`, 40)}`,
  ])();
  return key;
}

function privateKey(random: Random): string {
  const label = pick(random, ['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY']);
  const lines = Array.from({ length: int(random, 2, 24) }, () => chars(random, BASE64, 64));
  const block = `-----BEGIN ${label}-----\n${lines.join('\n')}`;
  return random() < 0.25 ? `${block}\n` : `${block}\n-----END ${label}-----`;
}

function network(random: Random): string {
  return pick(random, [
    () => `${int(random, 1, 223)}.${int(random, 0, 255)}.${int(random, 0, 255)}.${int(random, 1, 254)}`,
    () => `2001:db8:${chars(random, '0123456789abcdef', 4)}::${int(random, 1, 99)}`,
    () => `fe80::${chars(random, '0123456789abcdef', 4)}:${chars(random, '0123456789abcdef', 4)}`,
    () =>
      `${chars(random, 'abcdefghij', int(random, 1, 8))}.${chars(random, 'xyz0123', 3)}@${pick(random, ['example.com', 'mail.example.org', 'corp.cn'])}`,
  ])();
}

export interface StreamCase {
  text: string;
  systemPrompt: string;
  canary: string;
}

/** One generated answer for the system prompt `seed` picks. */
export function streamCase(seed: number): StreamCase {
  const random = createRandom(seed);
  const { prompt: systemPrompt, canary } = plantCanary(
    pick(random, SYSTEM_PROMPTS),
    `SO-CANARY-${chars(random, '0123456789abcdef', 16)}`,
  );
  const bare = SYSTEM_PROMPTS.find((prompt) => systemPrompt.endsWith(prompt))!;
  const parts: string[] = [];
  if (random() < 0.25) parts.push(pick(random, REFUSALS));
  const count = int(random, 4, 40);
  for (let index = 0; index < count; index++) {
    const roll = random();
    if (roll < 0.3) parts.push(pick(random, PROSE));
    else if (roll < 0.38) parts.push(pick(random, CODE));
    else if (roll < 0.46) parts.push(phone(random));
    else if (roll < 0.52) parts.push(card(random));
    else if (roll < 0.56) parts.push(iban(random));
    else if (roll < 0.6) parts.push(cnId(random));
    else if (roll < 0.63)
      parts.push(`SSN ${int(random, 100, 665)}-${int(random, 10, 99)}-${digits(random, 4)}`);
    else if (roll < 0.7) parts.push(network(random));
    else if (roll < 0.76) parts.push(secret(random));
    else if (roll < 0.79) parts.push(privateKey(random));
    else if (roll < 0.82) parts.push(random() < 0.7 ? canary : canary.split('').join(' '));
    else if (roll < 0.88) {
      const from = int(random, 0, bare.length - 60);
      parts.push(bare.slice(from, from + int(random, 30, bare.length)));
    } else if (roll < 0.91) parts.push(pick(random, REFUSALS));
    else if (roll < 0.915) parts.push(pick(random, CASE_CONTEXT));
    else parts.push(digits(random, int(random, 1, 20)));
  }
  const joiners = [' ', ' ', '\n', '', ', ', '. ', '\n\n', '  ', ': '];
  const text = parts.map((part, index) => (index === 0 ? part : pick(random, joiners) + part)).join('');
  return { text, systemPrompt, canary };
}

/** Cuts `text` into chunks of 1..maxChunk characters (sometimes only tiny ones). */
export function chunksOf(text: string, seed: number, maxChunk = 200): string[] {
  const random = createRandom(seed ^ 0x5bd1e995);
  const limit = random() < 0.3 ? 6 : maxChunk;
  const chunks: string[] = [];
  for (let at = 0; at < text.length; ) {
    const size = int(random, 1, limit);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/** Pieces that make PII detectors, the leak and refusal scanners start, stop and overlap. */
const SOUP = [
  ...'0123456789 -.+()/x:="\nABDEGZQakX_，'.split(''),
  'ext ',
  '@',
  'ex.com',
  'call ',
  'card ',
  'SSN ',
  '身份证',
  '电话',
  '-----BEGIN RSA PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----',
  '-----BEGIN ',
  `${'sk'}-`,
  `${'AK'}IA`,
  `${'gh'}p_`,
  'eyJ',
  `${'bear'}er `,
  'api_key',
  'password',
  'password is ',
  'Secret ',
  'TOKEN ',
  'key was ',
  'DE89',
  'GB82',
  '4111',
  '::',
  'fe80',
  'I am sorry',
  '抱歉',
  'As an AI developed by ',
  'Σ',
  'İ',
  '🎉',
  'of ACME Corp. Answer questions about orders, shipping and returns.',
];

/**
 * A text of 20–420 pieces drawn from SOUP with skewed weights (each seed favours a few), for the
 * system prompt and canary of streamCase-like tests: `canary` is `SO-CANARY-0123456789abcdef`.
 */
export function soupCase(seed: number): StreamCase {
  const random = createRandom(seed * 7919);
  const canary = 'SO-CANARY-0123456789abcdef';
  const pieces = [...SOUP, canary, canary.split('').join(' ')];
  const weights = pieces.map(() => random() ** 3);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let text = '';
  for (let count = int(random, 20, 420); count > 0; count--) {
    let roll = random() * total;
    let index = 0;
    while (index < pieces.length - 1 && roll > weights[index]!) roll -= weights[index++]!;
    text += pieces[index];
  }
  const { prompt: systemPrompt } = plantCanary(SYSTEM_PROMPTS[0]!, canary);
  return { text, systemPrompt, canary };
}

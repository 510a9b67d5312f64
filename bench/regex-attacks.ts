/**
 * What the ReDoS attack strings cost, before and after each fix of
 * test/unit/regex-safety.test.ts: `node --import tsx bench/regex-attacks.ts`.
 *
 * For each rewritten pattern, the attack string recheck found (its pump repeated to n
 * characters) is matched the way the code uses the pattern, with the old and the new pattern,
 * at growing n. The machine is shared and noisy, so what counts is the growth: doubling n
 * doubles a linear cost, quadruples a quadratic one and multiplies a cubic one by eight. The
 * old pattern stops growing once one match takes over `BENCH_REGEX_BUDGET_MS` (default 2,000).
 * The new one is also timed at 100,000 characters, the default `max_scan_chars`.
 * Every new pattern is looked up in the source first, so the bench measures the code.
 */

import { matchAtxHeading } from '../src/knowledge/ingest/atx-heading.js';
import { replaceContextTags } from '../src/providers/local-extractive/extract-answer.js';
import { recordConstructed, scanSources } from '../test/helpers/regex-inventory.js';

interface Attack {
  name: string;
  before: RegExp;
  after: RegExp;
  /** The attack string of about n characters. */
  attack: (n: number) => string;
  use: 'test' | 'replace' | 'sticky';
}

const budgetMs = Number(process.env.BENCH_REGEX_BUDGET_MS ?? 2000);
const sizes = [1000, 2000, 4000, 8000, 16_000];

const inventory = scanSources();
await recordConstructed(inventory);
const stalking = inventory.constructors
  .flatMap((site) => site.built)
  .find((pattern) => pattern.source.includes('doxx?'))!;
const stalkingFragment = String.raw`(?:(?:location|phone|messages|texts)\s*)?`;
const refusal = inventory.constructors
  .flatMap((site) => site.built)
  .find((pattern) => pattern.source.startsWith('(?:抱歉|对不起') && pattern.flags === '')!;
const half = (n: number): number => Math.floor(n / 2);

const ATTACKS: Attack[] = [
  {
    name: 'pii/detect-secrets VALUE_AFTER (api_key= then blanks)',
    before: /\s*>?\s*["']?([A-Za-z0-9_\-+/=.~!@#$%^&*]{8,512})/y,
    after: /\s*(?:>\s*)?["']?([A-Za-z0-9_\-+/=.~!@#$%^&*]{8,512})/y,
    attack: (n) => `${'\t'.repeat(n)}\u0000`,
    use: 'sticky',
  },
  {
    name: 'pii/detect-secrets trailing punctuation',
    before: /[.,;!]+$/,
    after: /(?<![.,;!])[.,;!]+$/,
    attack: (n) => `${'!'.repeat(n)}a!`,
    use: 'replace',
  },
  {
    name: 'pii/redact placeholder underscores',
    before: /^_+|_+$/g,
    after: /^_+|(?<!_)_+$/g,
    attack: (n) => `A${'_'.repeat(n)}A_`,
    use: 'replace',
  },
  {
    name: 'providers/http-transport trailing slashes (and 2 more sites)',
    before: /\/+$/,
    after: /(?<!\/)\/+$/,
    attack: (n) => `${'/'.repeat(n)}a/`,
    use: 'replace',
  },
  {
    name: 'gateway/key-authenticator Bearer',
    before: /^Bearer\s+(.+)$/i,
    after: /^Bearer\s+(\S.*)$/i,
    attack: (n) => `Bearer${'\t'.repeat(n)}x\ny`,
    use: 'test',
  },
  {
    name: 'guard/remote/prompt-guard label and score',
    before: /^([A-Za-z][A-Za-z0-9_-]*)\s*[:=,]?\s*(\d*\.?\d+(?:e-?\d+)?)?\s*$/i,
    after:
      /^([A-Za-z][A-Za-z0-9_-]*)(?![A-Za-z0-9_-])\s*(?:[:=,]\s*)?(?:((?:\d+(?:\.\d+)?|\.\d+)(?:e-?\d+)?)\s*)?$/i,
    attack: (n) => `A\t${'\t'.repeat(half(n))}\t0${'0'.repeat(half(n))}_`,
    use: 'test',
  },
  {
    name: 'guard/output/refusal-scanner 抱歉…不能',
    before: new RegExp(refusal.source.replace('(?:但是?[，,\\s]*)?', '(?:但是?)?[，,\\s]*')),
    after: new RegExp(refusal.source),
    attack: (n) => `抱歉${'\t'.repeat(n)}x`,
    use: 'test',
  },
  {
    name: 'injection/rules-english begin-with-sure',
    before:
      /\b(?:begin|start|open|preface|commence)\s+(?:your|the|each|every)\s+(?:reply|replies|response|responses|answer|answers|output|message)\s+(?:with|by\s+(?:saying|writing|replying(?:\s+with)?|stating))\s*:?\s*["'`]?\s*(?:sure|absolutely|certainly|of course)\b[,!.]?\s*(?:here|i\s+(?:can|will|'ll)|let\s+me)/,
    after:
      /\b(?:begin|start|open|preface|commence)\s+(?:your|the|each|every)\s+(?:reply|replies|response|responses|answer|answers|output|message)\s+(?:with|by\s+(?:saying|writing|replying(?:\s+with)?|stating))\s*(?::\s*)?(?:["'`]\s*)?(?:sure|absolutely|certainly|of course)\b[,!.]?\s*(?:here|i\s+(?:can|will|'ll)|let\s+me)/,
    attack: (n) => `open the reply with\t${'\t '.repeat(half(n))}n`,
    use: 'test',
  },
  {
    name: 'injection/rules-english no-disclaimers',
    before:
      /\b(?:do not|don't|never|without)\s+(?:include|add|giving|give|adding|including|provide|providing|mention|mentioning)?\s*(?:any\s+)?(?:warnings?|disclaimers?|caveats?|moraliz(?:e|ing)|moralis(?:e|ing)|ethical\s+(?:concerns|considerations|warnings)|lectures?)\b/,
    after:
      /\b(?:do not|don't|never|without)\s+(?:(?:include|add|giving|give|adding|including|provide|providing|mention|mentioning)\s*)?(?:any\s+)?(?:warnings?|disclaimers?|caveats?|moraliz(?:e|ing)|moralis(?:e|ing)|ethical\s+(?:concerns|considerations|warnings)|lectures?)\b/,
    attack: (n) => `don't ${'\t '.repeat(half(n))}\u0000`,
    use: 'test',
  },
  {
    name: 'injection/rules-english-extraction fake system header',
    before:
      /(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}|\[)\s*(?:system|admin|developer|new instructions?|system override|system message)\b\s*(?::|#|=|-|\*|\])|<\/?(?:system|sys|system_prompt|admin|instructions)>|(?:^|\s)(?:system|admin|developer|root)\s*(?:message|prompt|override|notice|alert|instruction)?\s*:\s*(?:ignore|override|new|you (?:are|must|will|should)|disregard|forget|from now|the (?:user|assistant))/,
    after:
      /(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}|\[)\s*(?:system|admin|developer|new instructions?|system override|system message)\b\s*(?::|#|=|-|\*|\])|<\/?(?:system|sys|system_prompt|admin|instructions)>|(?:^|\s)(?:system|admin|developer|root)\s*(?:(?:message|prompt|override|notice|alert|instruction)\s*)?:\s*(?:ignore|override|new|you (?:are|must|will|should)|disregard|forget|from now|the (?:user|assistant))/,
    attack: (n) => `root ${'\t '.repeat(half(n))}s`,
    use: 'test',
  },
  {
    name: 'injection/rules-multilingual es.jailbreak.mode (and fr, de, it, ru)',
    before:
      /modo (?:de )?(?:desarrollador|desenvolvedor|dios|deus|sin restricciones|sem restrições|sem restricoes)\s*(?:\(|:|,|-)?\s*(?:activado|ativado|habilitado)/,
    after:
      /modo (?:de )?(?:desarrollador|desenvolvedor|dios|deus|sin restricciones|sem restrições|sem restricoes)\s*(?:(?:\(|:|,|-)\s*)?(?:activado|ativado|habilitado)/,
    attack: (n) => `modo dios${' '.repeat(n)}x`,
    use: 'test',
  },
  {
    name: 'injection/disguised-harm-lexicon stalking',
    before: new RegExp(
      stalking.source.replace(stalkingFragment, String.raw`(?:location|phone|messages|texts)?\s*`),
      stalking.flags,
    ),
    after: new RegExp(stalking.source, stalking.flags),
    attack: (n) => `track her ${'\t'.repeat(n)}x`,
    use: 'test',
  },
];

function inSource(pattern: RegExp): boolean {
  return (
    inventory.literals.some(
      (literal) => literal.source === pattern.source && literal.flags === pattern.flags,
    ) || inventory.constructors.some((site) => site.built.some((built) => built.source === pattern.source))
  );
}

function once(pattern: RegExp, text: string, use: Attack['use']): void {
  pattern.lastIndex = 0;
  if (use === 'replace') text.replace(pattern, '');
  else pattern.test(text);
}

/** Milliseconds per match: repeated until 50 ms have passed, the best of three rounds. */
function cost(pattern: RegExp, text: string, use: Attack['use']): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    let runs = 0;
    do {
      once(pattern, text, use);
      runs++;
    } while (performance.now() - start < 50);
    best = Math.min(best, (performance.now() - start) / runs);
    if (best > budgetMs) break;
  }
  return best;
}

const format = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));

console.log(
  `regex attacks — ms per match at n characters (growth per doubling in brackets); budget ${budgetMs} ms`,
);
for (const attack of ATTACKS) {
  if (!inSource(attack.after)) throw new Error(`${attack.name}: the new pattern is not in src/`);
  console.log(`\n${attack.name}`);
  for (const [label, pattern] of [
    ['before', attack.before],
    ['after', attack.after],
  ] as const) {
    measure(label, pattern, attack, label === 'after');
  }
}

function measure(
  label: string,
  pattern: RegExp,
  attack: Pick<Attack, 'attack' | 'use'>,
  full: boolean,
): void {
  const cells: string[] = [];
  let previous: { n: number; ms: number } | null = null;
  for (const n of [...sizes, ...(full ? [100_000] : [])]) {
    const ms = cost(pattern, attack.attack(n), attack.use);
    const growth = previous !== null && previous.n * 2 === n ? ` (×${(ms / previous.ms).toFixed(1)})` : '';
    cells.push(`${n / 1000}K ${format(ms)}${growth}`);
    previous = { n, ms };
    if (ms > budgetMs) break;
  }
  console.log(`  ${label.padEnd(6)} ${cells.join('  ')}`);
}

interface Current {
  name: string;
  file: string;
  pattern: RegExp;
  attack: (n: number) => string;
  use: Attack['use'];
}

/** Patterns not rewritten: the reviewed `unknown` ones and those left open, on their worst shapes. */
const CURRENT: Current[] = [
  {
    name: 'reviewed unknown: binary run, 7-bit groups',
    file: 'src/guard/normalize/payloads-more.ts',
    pattern: /(?:[01]{8}[ ,]?){6,}/g,
    attack: (n) => '0101010 '.repeat(Math.ceil(n / 8)),
    use: 'replace',
  },
  {
    name: 'reviewed unknown: binary run, one long run',
    file: 'src/guard/normalize/payloads-more.ts',
    pattern: /(?:[01]{8}[ ,]?){6,}/g,
    attack: (n) => `${'0'.repeat(n)}2`,
    use: 'replace',
  },
  {
    name: 'reviewed unknown: Morse run, dashes and blanks',
    file: 'src/guard/normalize/payloads-more.ts',
    pattern: /(?:[.\-·•]{1,7}(?: {1,3}|\s*[/|]\s*)){5,}[.\-·•]{1,7}/g,
    attack: (n) => `${'- '.repeat(Math.ceil(n / 4))}-${' '.repeat(Math.ceil(n / 2))}x`,
    use: 'replace',
  },
  {
    name: 'reviewed unknown: Morse run, marks',
    file: 'src/guard/normalize/payloads-more.ts',
    pattern: /(?:[.\-·•]{1,7}(?: {1,3}|\s*[/|]\s*)){5,}[.\-·•]{1,7}/g,
    attack: (n) => `${'.'.repeat(n)} x`,
    use: 'replace',
  },
  {
    name: 'reviewed unknown: hex escapes',
    file: 'src/guard/normalize/payloads.ts',
    pattern: /(?:\\x[0-9a-fA-F]{2}){8,}|(?:0x[0-9a-fA-F]{2}[\s,]*){8,}/g,
    attack: (n) => `${'0x41 '.repeat(Math.ceil(n / 5))}0x4`,
    use: 'replace',
  },
];

for (const current of CURRENT) {
  if (!inSource(current.pattern)) throw new Error(`${current.name}: the pattern is not in ${current.file}`);
  console.log(`\n${current.name} (${current.file})`);
  measure('now', current.pattern, current, true);
}

// The context tags of the local/extractive responder: a backreference, replaced by a pass.
{
  const old = /<(context|documents?|sources?)>([\s\S]*?)<\/\1>/gi;
  const attack = (n: number): string => '<source>N'.repeat(Math.ceil(n / 9));
  console.log('\nproviders/local-extractive context tags (unclosed <source> × n/9)');
  measure('before', old, { attack, use: 'replace' }, false);
  const pass = { [Symbol.replace]: (text: string) => replaceContextTags(text, []) } as unknown as RegExp;
  measure('after', pass, { attack, use: 'replace' }, true);
}

// <pre> blocks of parse-html: trimEnd instead of a global \s+$.
{
  const attack = (n: number): string => `\nx${' '.repeat(n)}x `;
  console.log('\nknowledge/ingest/parse-html <pre> trailing blanks');
  measure('before', /^\n+|\s+$/g, { attack, use: 'replace' }, false);
  const pass = {
    [Symbol.replace]: (text: string) => text.replace(/^\n+/, '').trimEnd(),
  } as unknown as RegExp;
  measure('after', pass, { attack, use: 'replace' }, true);
}

// Markdown ATX headings of knowledge ingest: a linear pass instead of two regular expressions.
for (const [name, attack] of [
  ['blank run inside the title', (n: number): string => `# a${' '.repeat(n)}b`],
  ['blank run, then U+2028', (n: number): string => `# ${' '.repeat(n)}\u2028x`],
] as const) {
  console.log(`\nknowledge/ingest/split-text markdown heading (${name})`);
  measure('before', /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/, { attack, use: 'test' }, false);
  const pass = { test: (line: string) => matchAtxHeading(line, 6, false) !== null } as unknown as RegExp;
  measure('after', pass, { attack, use: 'test' }, true);
}

/**
 * The `regex` scanner on streams: rescanned with one context object at the output stage, it
 * must report exactly what a whole-text scan of the same text reports (findings, spans, values,
 * score) at every call, however the text grows; its `holdFrom` must equal a fresh scan's and
 * be sound (no finding that starts before it changes whatever text follows); and through the
 * streaming guard no part of a match may be released before it is redacted or blocked, at any
 * cut, whatever `hold_back_chars`.
 */
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/guard/policy/compile-policy.js';
import { type CompiledPolicy, evaluateStage } from '../../src/guard/policy/guard-engine.js';
import { ScannerRegistry } from '../../src/guard/policy/scanner-registry.js';
import { StreamingOutputGuard, type StreamStep } from '../../src/guard/policy/streaming-guard.js';
import { createRegexScanner, type RegexPattern, type RegexScanner } from '../../src/guard/regex/index.js';
import { maxThreadUnits } from '../../src/guard/regex/re2-program.js';
import type { ScanResult } from '../../src/guard/scanner.js';

/** Patterns whose leftmost-first matches change as text grows, and some that do not. */
const POOL: RegexPattern[] = [
  { name: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' },
  { name: 'DIGITS', pattern: '\\d+' },
  { name: 'FOO_LINE', pattern: 'foo.*' },
  { name: 'PREFER_LONGER', pattern: 'ab|a' },
  { name: 'PREFER_FAR', pattern: 'a.*b|a' },
  { name: 'LAZY', pattern: 'a.*?b' },
  { name: 'BLOCK', pattern: 'BEGIN.*END', flags: 's' },
  { name: 'AT_END', pattern: 'x$' },
  { name: 'WHOLE_LINE', pattern: '^\\w+$', flags: 'm' },
  { name: 'EMPTY_TOO', pattern: '\\b\\d*' },
  { name: 'EMOJI', pattern: '😀+' },
  { name: 'ANY_ONE', pattern: 'q.r' },
  { name: 'VALUE', pattern: 'key=(\\w+)', group: 1, score: 0.7 },
  { name: 'NAMED', pattern: '(?:token|key)[:=](?P<v>[a-z0-9]{2,4})', group: 'v', score: 0.4 },
  { name: 'CODE_NAME', pattern: 'project\\s+falcon', flags: 'i' },
  { name: 'TEXT_START', pattern: '^ab' },
  { name: 'NOT_BOUNDARY', pattern: 'a\\Bb+' },
  { name: 'HOST', pattern: '\\b[a-z0-9-]+\\.corp\\.com\\b' },
  { name: 'CJK', pattern: '机密[^。]{0,3}' },
  { name: 'OPTIONAL_TAIL', pattern: 'ab(?:cd)?' },
  // A start's match outranks its later threads: the lazy loop stops mattering once `c` comes.
  { name: 'LAZY_BLOCK', pattern: 'BEGIN.*?END', flags: 's' },
  { name: 'RANKED', pattern: 'wx|x.y|x[^q]*z' },
  { name: 'RANKED_LAZY', pattern: 'a(?:b|.*?c)' },
  { name: 'RANKED_PAIRS', pattern: '(?:a|ab)(?:c|bcd)' },
  { name: 'LAZY_WORD', pattern: '\\w+?x|\\w+y' },
];
const ALPHABET = [
  'a',
  'b',
  'x',
  'q',
  'r',
  '1',
  '2',
  ' ',
  '\n',
  'EMP-',
  '123456',
  'foo',
  'BEGIN',
  'END',
  '😀',
  '\ud83d', // half of a pair: streams may cut one
  'key=',
  'token:',
  'project ',
  'Falcon',
  '.corp.com',
  '-',
  '.',
  'é',
  '机密',
  '。',
  'cd',
  'c',
  'w',
  'y',
  'z',
];

function randomSource(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function randomText(random: () => number, tokens: number): string {
  let text = '';
  for (let index = 0; index < tokens; index++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

/** Cut points of `text`: every unit, or random pieces of 1 to `largest` units. */
function cuts(text: string, random: () => number, largest: number): number[] {
  const out: number[] = [];
  for (let at = 0; at < text.length; ) {
    at = Math.min(text.length, at + (largest === 1 ? 1 : 1 + Math.floor(random() * largest)));
    out.push(at);
  }
  return out;
}

const plain = (result: ScanResult) => ({ findings: result.findings, score: result.score });

/**
 * Streams `text` to the scanner at `ends` and checks every call against a whole-text scan of
 * the same prefix, and `holdFrom` against a fresh stream; returns the number of calls compared.
 */
function compareStream(scanner: RegexScanner, text: string, ends: number[], label: string): number {
  const context = { stage: 'output' as const };
  for (const end of ends) {
    const prefix = text.slice(0, end);
    const streamed = scanner.scan(prefix, context);
    const whole = scanner.scan(prefix);
    const fresh = scanner.scan(prefix, { stage: 'output' });
    expect(plain(streamed), `${label} at ${end}: ${JSON.stringify(prefix)}`).toEqual(plain(whole));
    expect(streamed.holdFrom, `${label} holdFrom at ${end}: ${JSON.stringify(prefix)}`).toBe(fresh.holdFrom);
    expect(plain(fresh)).toEqual(plain(whole));
  }
  return ends.length;
}

describe('regex scanner on streams: the whole-text result at every call', () => {
  it('equals a whole-text scan on random pattern sets, texts and chunkings (every unit, random pieces)', () => {
    const random = randomSource(20261130);
    let calls = 0;
    let withFindings = 0;
    for (let round = 0; round < 600; round++) {
      const patterns = POOL.filter(() => random() < 0.3);
      if (patterns.length === 0) patterns.push(POOL[round % POOL.length]!);
      const scanner = createRegexScanner({ patterns });
      const text = randomText(random, 1 + Math.floor(random() * 40));
      if (scanner.scan(text).findings.length > 0) withFindings++;
      for (const largest of [1, 6, 40]) {
        calls += compareStream(
          scanner,
          text,
          cuts(text, random, largest),
          patterns.map((entry) => entry.pattern).join(' | '),
        );
      }
    }
    // The texts must exercise the scanner, not just agree on nothing.
    expect(withFindings).toBeGreaterThan(400);
    expect(calls).toBeGreaterThan(30_000);
  });

  it('equals a whole-text scan on long texts: open matches far back, large chunks, seeded windows that must widen', () => {
    const random = randomSource(7);
    const filler = 'The quarterly report is ready; nothing to see here. ';
    let calls = 0;
    for (let round = 0; round < 14; round++) {
      const patterns = [...POOL.filter(() => random() < 0.35), POOL[6]!, POOL[2]!];
      const scanner = createRegexScanner({ patterns });
      let text = '';
      while (text.length < 1_500) {
        text += random() < 0.7 ? filler : randomText(random, 1 + Math.floor(random() * 8));
      }
      // A `(?s)BEGIN.*END` opened early stays open for most of the text.
      if (round % 2 === 0) text = `BEGIN ${text}`;
      calls += compareStream(scanner, text, cuts(text, random, 300), `long ${round}`);
      calls += compareStream(scanner, text, cuts(text, random, 24), `long ${round} / 24`);
      // One call with the whole text: the fresh tracker reads it from a window.
      calls += compareStream(scanner, text, [text.length], `long ${round} whole`);
    }
    expect(calls).toBeGreaterThan(1_000);
  });

  it('keeps holdFrom sound: findings that start before it are the same whatever text follows', () => {
    const random = randomSource(99);
    let checked = 0;
    let held = 0;
    for (let round = 0; round < 1_500; round++) {
      const patterns = POOL.filter(() => random() < 0.25);
      if (patterns.length === 0) patterns.push(POOL[round % POOL.length]!);
      const scanner = createRegexScanner({ patterns });
      const text = randomText(random, 1 + Math.floor(random() * 25));
      const result = scanner.scan(text, { stage: 'output' });
      const holdFrom = result.holdFrom ?? text.length;
      if (result.holdFrom !== undefined) held++;
      const before = result.findings.filter((finding) => finding.start < holdFrom);
      for (let extension = 0; extension < 4; extension++) {
        const longer = scanner.scan(text + randomText(random, 1 + Math.floor(random() * 6)));
        expect(
          longer.findings.filter((finding) => finding.start < holdFrom),
          `${patterns.map((entry) => entry.pattern).join(' | ')} on ${JSON.stringify(text)}`,
        ).toEqual(before);
        checked++;
      }
    }
    expect(held).toBeGreaterThan(300);
    expect(checked).toBe(6_000);
  });

  it('holds from where a match may still open, grow or fail an assertion, and nowhere else', () => {
    const hold = (pattern: RegexPattern, text: string) =>
      createRegexScanner({ patterns: [pattern] }).scan(text, { stage: 'output' }).holdFrom;
    const id = { name: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' };
    expect(hold(id, 'Ask EMP-00')).toBe(4); // an unfinished id
    expect(hold(id, 'Ask E')).toBe(4);
    expect(hold(id, 'Ask EMP-004211')).toBe(4); // complete, but a seventh digit would undo it
    expect(hold(id, 'Ask EMP-004211.')).toBeUndefined();
    expect(hold(id, 'Ask Bob')).toBeUndefined();
    expect(hold({ name: 'D', pattern: '\\d+' }, 'call 555 01')).toBe(9); // may grow
    expect(hold({ name: 'F', pattern: 'foo.*' }, 'x foo bar\nbaz')).toBeUndefined();
    expect(hold({ name: 'F', pattern: 'foo.*' }, 'x foo bar baz')).toBe(2); // open until the line ends
    // A finished lazy match outranks its own longer tries; a greedy one may still grow.
    const lazy = { name: 'B', pattern: 'BEGIN.*?END', flags: 's' };
    expect(hold(lazy, 'x BEGIN a EN')).toBe(2);
    expect(hold(lazy, 'x BEGIN a END and more')).toBeUndefined();
    expect(hold({ ...lazy, pattern: 'BEGIN.*END' }, 'x BEGIN a END and more')).toBe(2);
    expect(hold({ name: 'E', pattern: '😀+' }, 'ok 😀\ud83d')).toBe(3); // half a pair may complete it
    expect(hold({ name: 'E', pattern: 'a' }, 'ok \ud83d')).toBe(3);
    // Input and context stages are never streamed: no holdFrom.
    expect(
      createRegexScanner({ patterns: [id] }).scan('Ask EMP-00', { stage: 'input' }).holdFrom,
    ).toBeUndefined();
  });

  it('measures how far a thread can read (2 units a rune), Infinity for loops', () => {
    const units = (pattern: string) => maxThreadUnits(RE2JS.compile(pattern).re2().prog);
    expect(units('\\bEMP-\\d{6}\\b')).toBe(20);
    expect(units('a{2,5}')).toBe(10);
    expect(units('(?:abc|d)e?')).toBe(8);
    expect(units('a+')).toBe(Number.POSITIVE_INFINITY);
    expect(units('x.*y')).toBe(Number.POSITIVE_INFINITY);
    expect(units('a{3,}')).toBe(Number.POSITIVE_INFINITY);
  });
});

function policyWith(holdBack: number, action: 'redact' | 'block', patterns: RegexPattern[]): CompiledPolicy {
  return compilePolicy(
    {
      policyName: 'stream-ids',
      version: 1,
      settings: { hold_back_chars: holdBack },
      rules: [{ scanner: 'regex', stage: 'output', action, threshold: 0.5, options: { patterns } }],
    },
    new ScannerRegistry(),
  );
}

function sync(step: StreamStep | Promise<StreamStep>): StreamStep {
  if (step instanceof Promise) throw new Error('the regex scanner is synchronous');
  return step;
}

/** Streams `answer` cut at `ends` (scanning every `every` characters); what the client got. */
function streamed(
  policy: CompiledPolicy,
  answer: string,
  ends: number[],
  every: number,
  onRelease: (sent: string) => void,
) {
  const guard = new StreamingOutputGuard(policy, {}, every);
  let sent = '';
  let from = 0;
  for (const end of ends) {
    const step = sync(guard.push(answer.slice(from, end)));
    from = end;
    sent += step.release;
    onRelease(sent);
    if (step.blocked) return { sent, blocked: true };
  }
  const last = sync(guard.finish());
  sent += last.release;
  onRelease(sent);
  return { sent, blocked: last.blocked !== null };
}

describe('regex scanner through the streaming guard: no part of a match goes out early', () => {
  const patterns: RegexPattern[] = [
    { name: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' },
    // 29 characters: longer than a small hold-back window.
    { name: 'ACCOUNT', pattern: '\\bACCT(?:-\\d{4}){5}\\b' },
    { name: 'NUMBER_RUN', pattern: '#\\d+' },
  ];
  const answer =
    'Your manager is EMP-004211; the account ACCT-1234-5678-9012-3456-7890 pays ticket #98765 today.';

  for (const holdBack of [0, 8, 64]) {
    it(`redacts every match whole and releases only prefixes of the redacted answer, at every cut (hold-back ${holdBack})`, async () => {
      const policy = policyWith(holdBack, 'redact', patterns);
      const expected = (await evaluateStage(policy, 'output', answer)).text;
      expect(expected).toBe(
        'Your manager is [EMPLOYEE_ID]; the account [ACCOUNT] pays ticket [NUMBER_RUN] today.',
      );
      const check = (sent: string) => expect(expected.startsWith(sent), JSON.stringify(sent)).toBe(true);
      for (let cut = 1; cut < answer.length; cut++) {
        for (const every of [1, 24]) {
          expect(streamed(policy, answer, [cut, answer.length], every, check).sent).toBe(expected);
        }
      }
      for (const size of [1, 2, 3, 5, 7, 12]) {
        const ends = Array.from({ length: Math.ceil(answer.length / size) }, (_, index) =>
          Math.min(answer.length, (index + 1) * size),
        );
        expect(streamed(policy, answer, ends, 4, check).sent).toBe(expected);
      }
    });
  }

  it('stops a blocked stream before any part of the match is released, at every cut', () => {
    const policy = policyWith(0, 'block', [patterns[1]!]);
    for (let cut = 1; cut < answer.length; cut++) {
      for (const every of [1, 24]) {
        const result = streamed(policy, answer, [cut, answer.length], every, (sent) =>
          expect('Your manager is EMP-004211; the account '.startsWith(sent), JSON.stringify(sent)).toBe(
            true,
          ),
        );
        expect(result.blocked).toBe(true);
      }
    }
  });

  it('holds what follows an open `(?s)BEGIN.*?END` until it closes, then redacts it whole and goes on', () => {
    const policy = policyWith(0, 'redact', [{ name: 'SECRET_BLOCK', pattern: 'BEGIN.*?END', flags: 's' }]);
    const text = 'Intro. BEGIN line one\nline two END and the rest.';
    const releases: string[] = [];
    const result = streamed(
      policy,
      text,
      cuts(text, () => 0.1, 40),
      1,
      (sent) => {
        releases.push(sent);
      },
    );
    expect(result.sent).toBe('Intro. [SECRET_BLOCK] and the rest.');
    expect(releases.every((sent) => 'Intro. [SECRET_BLOCK] and the rest.'.startsWith(sent))).toBe(true);
    // Once END has come, nothing waits for the end of the stream.
    expect(releases.at(-2)).toBe('Intro. [SECRET_BLOCK] and the rest.');
  });
});

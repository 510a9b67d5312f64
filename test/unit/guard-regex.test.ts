/**
 * The custom-pattern scanner (`regex`): spans, types, groups and flags; the near misses next to
 * true positives; every validation error; linear time on patterns that make a backtracking
 * engine explode; and parity with V8's RegExp on the syntax both share.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { compilePolicy } from '../../src/guard/policy/compile-policy.js';
import { evaluateStage } from '../../src/guard/policy/guard-engine.js';
import { ScannerRegistry } from '../../src/guard/policy/scanner-registry.js';
import { StreamingOutputGuard } from '../../src/guard/policy/streaming-guard.js';
import { createRegexScanner, type RegexPattern } from '../../src/guard/regex/index.js';

const spans = (patterns: RegexPattern[], text: string) =>
  createRegexScanner({ patterns })
    .scan(text)
    .findings.map((finding) => [finding.type, finding.value, finding.start, finding.end]);

describe('regex scanner: what it finds', () => {
  it('reports typed spans with UTF-16 offsets, CJK and astral characters included', () => {
    const text = '😀 Ask EMP-004211 about 机密文件 today';
    expect(
      spans(
        [
          { name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' },
          { name: 'SECRET_DOC', pattern: '机密文件' },
        ],
        text,
      ),
    ).toEqual([
      ['EMPLOYEE_ID', 'EMP-004211', 7, 17],
      ['SECRET_DOC', '机密文件', 24, 28],
    ]);
    expect(text.slice(7, 17)).toBe('EMP-004211');
  });

  it('misses the near misses next to them', () => {
    const patterns = [{ name: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' }];
    expect(spans(patterns, 'EMP-12345 is five digits, XEMP-123456 is glued, EMP-1234567 is seven')).toEqual(
      [],
    );
    expect(spans(patterns, 'emp-123456')).toEqual([]); // case-sensitive unless flags: "i"
    expect(spans([{ ...patterns[0]!, flags: 'i' }], 'emp-123456')).toEqual([
      ['EMPLOYEE_ID', 'emp-123456', 0, 10],
    ]);
  });

  it('reports only the chosen capture group, by number or name, and skips a group that did not take part', () => {
    const text = 'api_key=abc123 and token: zz9';
    expect(spans([{ name: 'KEY', pattern: '(?:api_key=|token: )(\\w+)', group: 1 }], text)).toEqual([
      ['KEY', 'abc123', 8, 14],
      ['KEY', 'zz9', 26, 29],
    ]);
    expect(spans([{ name: 'KEY', pattern: 'api_key=(?P<value>\\w+)', group: 'value' }], text)).toEqual([
      ['KEY', 'abc123', 8, 14],
    ]);
    expect(spans([{ name: 'KEY', pattern: 'api_key=(?<value>\\w+)', group: 'value' }], text)).toEqual([
      ['KEY', 'abc123', 8, 14],
    ]);
    expect(spans([{ name: 'X', pattern: 'token(s)?: zz', group: 1 }], text)).toEqual([]);
  });

  it('takes the flags i, m and s', () => {
    const text = 'Line one\nPROJECT falcon\nend';
    expect(spans([{ name: 'P', pattern: '^project falcon$', flags: 'im' }], text)).toEqual([
      ['P', 'PROJECT falcon', 9, 23],
    ]);
    expect(spans([{ name: 'P', pattern: '^project falcon$', flags: 'i' }], text)).toEqual([]);
    expect(spans([{ name: 'P', pattern: 'one.PROJECT', flags: 's' }], text)).toEqual([
      ['P', 'one\nPROJECT', 5, 16],
    ]);
    expect(spans([{ name: 'P', pattern: 'one.PROJECT' }], text)).toEqual([]);
  });

  it('runs only the patterns that occur, keeps overlaps from different patterns, orders by start', () => {
    const scanner = createRegexScanner({
      patterns: [
        { name: 'NUMBER', pattern: '\\d{7}', score: 0.2 },
        { name: 'TICKET', pattern: 'INC\\d{7}', score: 0.6 },
        { name: 'NEVER', pattern: 'zzzz' },
      ],
    });
    const result = scanner.scan('see INC0012345 then 7654321');
    expect(result.findings.map((finding) => [finding.type, finding.start, finding.score])).toEqual([
      ['TICKET', 4, 0.6],
      ['NUMBER', 7, 0.2],
      ['NUMBER', 20, 0.2],
    ]);
    expect(result.score).toBe(0.6);
    expect(scanner.scan('nothing here')).toEqual({ scanner: 'regex', score: 0, findings: [] });
  });

  it('never reports an empty match', () => {
    // `\b\d*` matches nothing at every word boundary; only its non-empty matches count.
    expect(spans([{ name: 'N', pattern: '\\b\\d*' }], 'ab 12 cd')).toEqual([['N', '12', 3, 5]]);
  });
});

describe('regex scanner: linear time whatever the pattern', () => {
  it('answers patterns that take a backtracking engine exponential or quadratic time', () => {
    // V8's RegExp needs about 2^40 steps for the first and ~n²/2 for the others on these
    // inputs; a backtracking engine would never return here (vitest's timeout fails the test).
    const scanner = createRegexScanner({
      patterns: [
        { name: 'NESTED', pattern: '(a+)+$' },
        { name: 'OVERLAP', pattern: '(x+x+)+y' },
        { name: 'DIGITS', pattern: '\\d+z' },
      ],
    });
    const text = `${'a'.repeat(40)}b ${'x'.repeat(5_000)} ${'1'.repeat(200_000)}`;
    expect(scanner.scan(text).findings).toEqual([]);
    expect(scanner.scan(`${'a'.repeat(40)}`).findings).toHaveLength(1);
  });
});

describe('regex scanner: the same answers as V8 RegExp on shared syntax', () => {
  it('agrees with matchAll on random texts for 13 patterns', () => {
    const patterns: Array<[string, string]> = [
      ['EMP-\\d{6}', ''],
      ['\\b[A-Z]{2,5}-\\d{3,7}\\b', ''],
      ['project\\s+(?:falcon|eagle)', 'i'],
      ['[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}', 'i'],
      ['\\d{3}-\\d{4}', ''],
      ['(?:INC|REQ)\\d{7}', ''],
      ['ab+c', ''],
      ['[xyz]{2}', ''],
      ['^\\w+', 'm'],
      ['\\w+$', 'm'],
      ['q.r', 's'],
      ['q.r', ''],
      ['机密|绝密', ''],
    ];
    const alphabet = [
      'a',
      'b',
      'c',
      'x',
      'y',
      'z',
      'q',
      'r',
      '1',
      '2',
      '3',
      '-',
      ' ',
      '\n',
      '@',
      '.',
      'E',
      'M',
      'P',
      'INC',
      '机密',
      'Falcon',
      'project ',
      'EMP-',
      '😀',
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let compared = 0;
    for (const [source, flags] of patterns) {
      const scanner = createRegexScanner({ patterns: [{ name: 'P', pattern: source, flags }] });
      // `u`: RE2 reads code points, so `.` takes a whole emoji, as JavaScript does with `u`.
      const reference = new RegExp(source, `gu${flags}`);
      for (let round = 0; round < 300; round++) {
        let text = '';
        const length = 1 + Math.floor(random() * 40);
        for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * alphabet.length)];
        const expected = [...text.matchAll(reference)]
          .filter((match) => match[0].length > 0)
          .map((match) => [match.index, match.index + match[0].length]);
        const actual = scanner.scan(text).findings.map((finding) => [finding.start, finding.end]);
        expect(actual, `${source} on ${JSON.stringify(text)}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBe(3900);
  });
});

describe('regex scanner: bad patterns are refused with the pattern named', () => {
  const refused: Array<[string, unknown, string]> = [
    ['lookbehind', { name: 'X', pattern: '(?<=a)b' }, 'patterns[0].pattern'],
    ['lookahead', { name: 'X', pattern: 'a(?=b)' }, 'patterns[0].pattern'],
    ['a backreference', { name: 'X', pattern: '(a)\\1' }, 'patterns[0].pattern'],
    ['an unclosed group', { name: 'X', pattern: '(abc' }, 'patterns[0].pattern'],
    ['an empty-matching pattern', { name: 'X', pattern: 'a*' }, 'patterns[0].pattern'],
    ['an empty pattern', { name: 'X', pattern: '' }, 'patterns[0].pattern'],
    ['a name that is not a type name', { name: 'my id', pattern: 'a' }, 'patterns[0].name'],
    ['a missing name', { pattern: 'a' }, 'patterns[0].name'],
    ['an unknown flag', { name: 'X', pattern: 'a', flags: 'g' }, 'patterns[0].flags'],
    ['a score outside (0, 1]', { name: 'X', pattern: 'a', score: 2 }, 'patterns[0].score'],
    ['a group the pattern lacks', { name: 'X', pattern: 'a(b)', group: 2 }, 'patterns[0].group'],
    ['an unknown group name', { name: 'X', pattern: 'a(?P<v>b)', group: 'w' }, 'patterns[0].group'],
    ['an unknown field', { name: 'X', pattern: 'a', wholeWord: true }, 'patterns[0].wholeWord'],
    ['a repeat count RE2 refuses', { name: 'X', pattern: 'a{2000}' }, 'patterns[0].pattern'],
  ];
  for (const [what, pattern, param] of refused) {
    it(`refuses ${what}`, () => {
      let caught: unknown;
      try {
        createRegexScanner({ patterns: [pattern as RegexPattern] });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).message).toContain(param);
    });
  }

  it('says why RE2 refuses lookaround and backreferences', () => {
    expect(() => createRegexScanner({ patterns: [{ name: 'X', pattern: '(?<!EMP-)\\d{6}' }] })).toThrow(
      /lookaround .* is not supported/,
    );
    expect(() => createRegexScanner({ patterns: [{ name: 'X', pattern: '(\\w)\\1' }] })).toThrow(
      /backreferences .* are not supported/,
    );
  });

  it('names the failing pattern among several, and refuses an empty or oversized list', () => {
    expect(() =>
      createRegexScanner({
        patterns: [
          { name: 'OK', pattern: 'fine' },
          { name: 'BAD', pattern: '(?!x)' },
        ],
      }),
    ).toThrow(/patterns\[1\]\.pattern/);
    expect(() => createRegexScanner({ patterns: [] })).toThrow(ValidationError);
    const many = Array.from({ length: 501 }, (_, index) => ({ name: 'N', pattern: `n${index}` }));
    expect(() => createRegexScanner({ patterns: many })).toThrow(/at most 500/);
  });

  it('is a built-in scanner that checks its options when a policy is compiled', () => {
    const registry = new ScannerRegistry();
    expect(registry.get('regex', { patterns: [{ name: 'X', pattern: 'x' }] }, 'context').name).toBe('regex');
    expect(() => registry.get('regex', {}, 'input')).toThrow(/options\.patterns/);
    expect(() => registry.get('regex', { patterns: [{ name: 'X', pattern: 'x' }], terms: ['x'] })).toThrow(
      /Unknown option "terms"/,
    );
  });
});

describe('regex scanner in a policy', () => {
  const registry = new ScannerRegistry();
  const policy = compilePolicy(
    {
      policyName: 'ids',
      version: 1,
      settings: { hold_back_chars: 32 },
      rules: [
        {
          scanner: 'regex',
          stage: 'output',
          action: 'redact',
          threshold: 0.5,
          options: { patterns: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }] },
        },
        {
          scanner: 'regex',
          stage: 'input',
          action: 'block',
          threshold: 0.5,
          options: { patterns: [{ name: 'CODE_NAME', pattern: '\\bproject\\s+nightingale\\b', flags: 'i' }] },
        },
      ],
    },
    registry,
  );

  it('blocks on input and redacts on output', async () => {
    const blocked = await evaluateStage(policy, 'input', 'What is Project Nightingale about?');
    expect(blocked.action).toBe('block');
    expect(blocked.blockedBy).toMatchObject({ scanner: 'regex' });
    expect((await evaluateStage(policy, 'input', 'What is a nightingale?')).action).toBe('allow');
    const redacted = await evaluateStage(policy, 'output', 'Ask EMP-004211 or EMP-000001.');
    expect(redacted.text).toBe('Ask [EMPLOYEE_ID] or [EMPLOYEE_ID].');
  });

  it('never releases part of a match while streaming, whatever the chunking', async () => {
    const answer = 'Your manager is EMP-004211; escalate to EMP-000777 if they are away. Thanks!';
    for (const size of [1, 2, 3, 5, 8, 13, 40]) {
      const guard = new StreamingOutputGuard(policy, {}, 4);
      let sent = '';
      for (let index = 0; index < answer.length; index += size) {
        const step = await guard.push(answer.slice(index, index + size));
        sent += step.release;
        expect(sent).not.toMatch(/EMP-\d/);
      }
      sent += (await guard.finish()).release;
      expect(sent).toBe('Your manager is [EMPLOYEE_ID]; escalate to [EMPLOYEE_ID] if they are away. Thanks!');
    }
  });
});

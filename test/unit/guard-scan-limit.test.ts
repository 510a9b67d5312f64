/**
 * The policy's scan-length cap (`max_scan_chars`, `oversize`): a longer text is blocked without
 * running a scanner, or (oversize: flag) scanned up to the cap and flagged; the settings a
 * policy stores, and so its content hash, are unchanged for policies that do not set them.
 */
import { describe, expect, it } from 'vitest';
import {
  type CompiledPolicy,
  createLeakScanner,
  createPiiScanner,
  DEFAULT_MAX_SCAN_CHARS,
  evaluateStage,
  guardPolicyDocumentSchema,
  policySettings,
  type Scanner,
  StreamingOutputGuard,
} from '../../src/guard/index.js';

/** Records the texts it was given; flags the word "forbidden" wherever it is. */
function recordingScanner(seen: string[], asynchronous = false): Scanner {
  const scan = (text: string) => {
    seen.push(text);
    const at = text.indexOf('forbidden');
    const findings =
      at >= 0
        ? [{ scanner: 'forbidden', type: 'word', score: 1, start: at, end: at + 9, value: 'forbidden' }]
        : [];
    return { scanner: 'forbidden', score: findings.length ? 1 : 0, findings };
  };
  return {
    name: 'forbidden',
    stages: ['input', 'context', 'output'],
    scan: asynchronous ? async (text) => scan(text) : scan,
  };
}

function policy(
  scanner: Scanner,
  maxScanChars: number,
  oversize: 'block' | 'flag',
  action: 'block' | 'flag' = 'block',
): CompiledPolicy {
  return {
    name: 'capped',
    version: 1,
    holdBackChars: 8,
    maxScanChars,
    oversize,
    stages: {
      input: [
        { rule: { scanner: 'forbidden', stage: 'input', action, threshold: 0.5 }, scanner },
        {
          rule: { scanner: 'pii', stage: 'input', action: 'redact', threshold: 0.5 },
          scanner: createPiiScanner(),
        },
      ],
      context: [],
      output: [{ rule: { scanner: 'forbidden', stage: 'output', action, threshold: 0.5 }, scanner }],
    },
  };
}

describe('max_scan_chars', () => {
  it('scans a text of exactly the cap as usual', async () => {
    const seen: string[] = [];
    const text = 'a'.repeat(100);
    const verdict = await evaluateStage(policy(recordingScanner(seen), 100, 'block'), 'input', text);
    expect(verdict.action).toBe('allow');
    expect(seen).toEqual([text]);
  });

  it('blocks a longer text without running any scanner (oversize: block)', async () => {
    const seen: string[] = [];
    const verdict = await evaluateStage(
      policy(recordingScanner(seen), 100, 'block'),
      'input',
      'a'.repeat(101),
    );
    expect(seen).toEqual([]);
    expect(verdict.action).toBe('block');
    expect(verdict.blockedBy).toEqual({
      scanner: 'guard',
      message: 'The text is 101 characters long; this guard policy scans at most 100 (max_scan_chars).',
    });
    expect(verdict.findings).toEqual([
      { scanner: 'guard', type: 'oversize', score: 1, start: 100, end: 101, value: '', action: 'block' },
    ]);
    expect(verdict.timings.map((timing) => timing.scanner)).toEqual(['guard']);
  });

  it('scans only the first max_scan_chars and flags the rest (oversize: flag)', async () => {
    for (const asynchronous of [false, true]) {
      const seen: string[] = [];
      const head = `${'b'.repeat(90)} forbidden`;
      const text = `${head.slice(0, 100)}${' forbidden'.repeat(5)}`;
      const flagOnly = policy(recordingScanner(seen, asynchronous), 100, 'flag', 'flag');
      const verdict = await evaluateStage(flagOnly, 'input', text);
      expect(seen).toEqual([text.slice(0, 100)]);
      expect(verdict.action).toBe('flag');
      expect(verdict.findings.map((finding) => [finding.type, finding.start, finding.action])).toEqual([
        ['word', 91, 'flag'],
        ['oversize', 100, 'flag'],
      ]);
      // Nothing in the head: still flagged, for the part that was not scanned.
      const clean = await evaluateStage(flagOnly, 'input', 'c'.repeat(150));
      expect(clean.action).toBe('flag');
      expect(clean.flagged).toBe(true);
    }
  });

  it('keeps a block found in the scanned head, and redacts the head only (oversize: flag)', async () => {
    const seen: string[] = [];
    const blocked = await evaluateStage(
      policy(recordingScanner(seen), 60, 'flag'),
      'input',
      `${'x'.repeat(40)} forbidden ${'y'.repeat(40)}`,
    );
    expect(blocked.action).toBe('block');
    expect(blocked.blockedBy?.scanner).toBe('forbidden');

    const email = 'mail jane.doe@example.com today';
    const tail = ' and also john.roe@example.org after the cap';
    const redacted = await evaluateStage(
      policy(recordingScanner([]), email.length, 'flag'),
      'input',
      email + tail,
    );
    expect(redacted.action).toBe('redact');
    expect(redacted.text).toBe(`mail [EMAIL] today${tail}`);
  });

  // Words, and one token: a token still being written is held back whole (it may be a key), so
  // that stream releases nothing — but the cap ends both at the same point, not at the token's end.
  it.each([
    ['words', '012345678 ', 1],
    ['one token', '0123456789', 0],
  ])(
    'ends a stream at the cap: nothing past it is released (oversize: block, %s)',
    async (_case, piece, least) => {
      const guard = new StreamingOutputGuard(policy(recordingScanner([]), 200, 'block'), {});
      let released = '';
      let blocked = false;
      let pushed = 0;
      for (let index = 0; index < 40 && !blocked; index++) {
        const step = await guard.push(piece);
        pushed += piece.length;
        released += step.release;
        blocked = step.blocked !== null;
        if (blocked) expect(step.blocked?.findings[0]?.type).toBe('oversize');
      }
      expect(blocked).toBe(true);
      expect(pushed).toBeLessThanOrEqual(240);
      expect(released.length).toBeGreaterThanOrEqual(least);
      expect(released.length).toBeLessThanOrEqual(200);
    },
  );
});

// The system prompt a request is answered under is a text the guard reads too (the leak
// scanner indexes it, the injection scanner profiles it), and a caller may send one of
// megabytes: unbounded, indexing a 5 MB one held the event loop for about 7 s.
describe('max_scan_chars and the system prompt', () => {
  function leakPolicy(maxScanChars: number): CompiledPolicy {
    const scanner = createLeakScanner();
    return {
      name: 'leaky',
      version: 1,
      holdBackChars: 0,
      maxScanChars,
      oversize: 'block',
      stages: {
        input: [],
        context: [],
        output: [{ rule: { scanner: 'leak', stage: 'output', action: 'block', threshold: 0.5 }, scanner }],
      },
    };
  }
  const words = Array.from({ length: 400 }, (_, index) => `w${index.toString(36)}x`);
  const systemPrompt = words.join(' ');
  const head = systemPrompt.slice(0, 300);
  const tail = systemPrompt.slice(systemPrompt.length - 300);

  it('reads the head of a longer system prompt only, whole answers and streams', async () => {
    for (const answer of [head, tail]) {
      const whole = await evaluateStage(leakPolicy(1000), 'output', answer, { systemPrompt });
      const stream = new StreamingOutputGuard(leakPolicy(1000), { systemPrompt });
      await stream.push(answer);
      const streamed = await stream.finish();
      const expected = answer === head ? 'block' : 'allow';
      expect(whole.action).toBe(expected);
      expect(streamed.blocked === null ? 'allow' : 'block').toBe(expected);
    }
    // Under a cap the prompt fits in, a copy of its end is a leak as before.
    const uncapped = await evaluateStage(leakPolicy(100_000), 'output', tail, { systemPrompt });
    expect(uncapped.action).toBe('block');
  });
});

describe('policy settings', () => {
  it('stores the scan-length settings only when they are not the defaults', () => {
    const rules = [{ scanner: 'pii', stage: 'input', action: 'flag' }];
    const plain = guardPolicyDocumentSchema.parse({ name: 'p', rules });
    expect(plain.max_scan_chars).toBe(DEFAULT_MAX_SCAN_CHARS);
    expect(policySettings(plain)).toEqual({ hold_back_chars: 64 });
    const capped = guardPolicyDocumentSchema.parse({
      name: 'p',
      rules,
      max_scan_chars: 5000,
      oversize: 'flag',
    });
    expect(policySettings(capped)).toEqual({ hold_back_chars: 64, max_scan_chars: 5000, oversize: 'flag' });
  });

  it('rejects a cap that is not a positive integer, and an unknown oversize action', () => {
    const rules = [{ scanner: 'pii', stage: 'input', action: 'flag' }];
    for (const bad of [
      { max_scan_chars: 0 },
      { max_scan_chars: 1.5 },
      { max_scan_chars: '100' },
      { oversize: 'drop' },
    ]) {
      expect(guardPolicyDocumentSchema.safeParse({ name: 'p', rules, ...bad }).success).toBe(false);
    }
  });
});

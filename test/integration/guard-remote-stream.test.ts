/**
 * A remote guard model on a streamed answer, judged in chunks: the streaming output guard with a
 * real remote scanner calling the fake Llama Guard server over HTTP. Which text each call sends
 * (first chunk, full chunks with their overlap, the rest at the end), how many calls an 800- and
 * a 5,000-character answer cost (before: one per 24-character rescan, each with the whole answer
 * so far), that nothing the model has not judged is released, that a marker cut by a chunk
 * boundary is read whole thanks to the overlap, where a block's finding lies, and failures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GuardRule } from '../../src/core/index.js';
import {
  type CompiledPolicy,
  createPiiScanner,
  createRemoteModelScanner,
  StreamingOutputGuard,
  type StreamStep,
} from '../../src/guard/index.js';
import type { RemoteModelScannerOptions } from '../../src/guard/remote/index.js';
import { type FakeGuardModelServer, startFakeGuardModelServer } from '../fakes/fake-guard-model-server.js';

let fake: FakeGuardModelServer;

beforeAll(async () => {
  fake = await startFakeGuardModelServer();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

/** Prose that never repeats itself, so a call's text has one place in the answer. */
function answer(length: number): string {
  let text = '';
  for (let sentence = 1; text.length < length; sentence++) {
    text += `Sentence ${sentence} of the forecast says the ${sentence % 2 ? 'morning' : 'evening'} stays mild. `;
  }
  return text.slice(0, length);
}

function policy(
  options: Partial<RemoteModelScannerOptions> = {},
  {
    action = 'block',
    holdBackChars = 64,
    pii = false,
  }: Partial<{ action: GuardRule['action']; holdBackChars: number; pii: boolean }> = {},
): CompiledPolicy {
  const remote = createRemoteModelScanner({
    name: 'llama-guard',
    baseUrl: fake.url,
    model: 'meta-llama/Llama-Guard-3-8B',
    kind: 'llama-guard',
    timeoutMs: 2000,
    ...options,
  });
  const output = [
    { rule: { scanner: 'remote', stage: 'output', action, threshold: 0.5 } as GuardRule, scanner: remote },
  ];
  if (pii) {
    output.unshift({
      rule: { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 } as GuardRule,
      scanner: createPiiScanner(),
    });
  }
  return {
    name: 'remote-stream',
    version: 1,
    holdBackChars,
    maxScanChars: 100_000,
    oversize: 'block',
    stages: { input: [], context: [], output },
  };
}

/** The assistant text of each call the fake received, with where it lies in `text`. */
function calls(text: string): Array<{ start: number; end: number }> {
  return fake.requests.map((request) => {
    const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
    const content = messages.at(-1)!.content;
    const start = text.indexOf(content);
    expect(start).toBeGreaterThanOrEqual(0);
    return { start, end: start + content.length };
  });
}

interface Streamed {
  released: string;
  blocked: StreamStep['blocked'];
  guard: StreamingOutputGuard;
  /** After each step: released length, and the end of what the model had judged by then. */
  steps: Array<{ released: number; judged: number; length: number }>;
}

/** Streams `text` in pieces of `pieceChars` through a guard, as the gateway does. */
async function stream(compiled: CompiledPolicy, text: string, pieceChars = 8): Promise<Streamed> {
  const guard = new StreamingOutputGuard(compiled, {});
  let released = '';
  const steps: Streamed['steps'] = [];
  const judgedEnd = (sofar: string) => Math.max(0, ...calls(sofar).map((call) => call.end));
  for (let at = 0; at < text.length; at += pieceChars) {
    const step = await guard.push(text.slice(at, at + pieceChars));
    if (step.blocked) return { released, blocked: step.blocked, guard, steps };
    released += step.release;
    const sofar = text.slice(0, Math.min(text.length, at + pieceChars));
    steps.push({ released: released.length, judged: judgedEnd(sofar), length: sofar.length });
  }
  const step = await guard.finish();
  if (step.blocked) return { released, blocked: step.blocked, guard, steps };
  released += step.release;
  steps.push({ released: released.length, judged: judgedEnd(text), length: text.length });
  return { released, blocked: null, guard, steps };
}

describe('a remote output rule on a stream is asked about chunks', () => {
  it('800 characters: two calls (the first 216, then the rest with 200 of context), not 34', async () => {
    const text = answer(800);
    const result = await stream(policy(), text);
    expect(result.blocked).toBeNull();
    expect(result.released).toBe(text);
    // Rescans come every 24 characters: the first at or past 200 is at 216; the end is 584
    // characters later, short of a chunk, so it is judged when the stream finishes.
    expect(calls(text)).toEqual([
      { start: 0, end: 216 },
      { start: 16, end: 800 },
    ]);
    const timing = result.guard.verdict!.timings.find((entry) => entry.scanner === 'llama-guard')!;
    expect(timing).toMatchObject({ calls: 2, sentChars: 216 + 784 });
  });

  it('5,000 characters: seven calls, each 800+ new characters with 200 before them, not 209', async () => {
    const text = answer(5000);
    const result = await stream(policy(), text);
    expect(result.released).toBe(text);
    const judged = calls(text);
    expect(judged).toHaveLength(7);
    expect(judged[0]).toEqual({ start: 0, end: 216 });
    for (let index = 1; index < judged.length; index++) {
      const previousEnd = judged[index - 1]!.end;
      expect(judged[index]!.start).toBe(previousEnd - 200);
      if (index < judged.length - 1) {
        expect(judged[index]!.end - previousEnd).toBeGreaterThanOrEqual(800);
        expect(judged[index]!.end - previousEnd).toBeLessThan(800 + 24);
      }
    }
    expect(judged.at(-1)!.end).toBe(5000);
    const sent = judged.reduce((sum, call) => sum + call.end - call.start, 0);
    expect(sent).toBe(5000 + 6 * 200);
    const timing = result.guard.verdict!.timings.find((entry) => entry.scanner === 'llama-guard')!;
    expect(timing).toMatchObject({ calls: 7, sentChars: sent });
  });

  it('releases nothing the model has not judged, at every step', async () => {
    const text = answer(3000);
    const result = await stream(policy({}, { holdBackChars: 0 }), text);
    expect(result.released).toBe(text);
    for (const step of result.steps) expect(step.released).toBeLessThanOrEqual(step.judged);
    expect(calls(text)).toHaveLength(5); // 216, 1032, 1848, 2664 and the end (before: 126)
    // … and holds back no more than that: after each call, everything it judged goes out
    // (hold-back 0), so the client gets the answer a chunk at a time.
    const afterCalls = result.steps.filter(
      (step, index) => index > 0 && step.judged > result.steps[index - 1]!.judged,
    );
    for (const step of afterCalls) expect(step.released).toBe(step.judged);
  });

  it('a flag-only rule holds nothing back: local rules keep their 24-character cadence', async () => {
    const text = answer(1000);
    const result = await stream(policy({}, { action: 'flag', holdBackChars: 0, pii: true }), text);
    expect(result.released).toBe(text);
    // Before the first call (216 characters) text was already going out.
    expect(result.steps.find((step) => step.length === 48)!.released).toBe(48);
    expect(calls(text)).toHaveLength(2);
  });

  it('the options set the chunk, the context and the first chunk', async () => {
    const text = answer(1000);
    await stream(policy({ streamChunkChars: 300, streamContextChars: 50, streamFirstChunkChars: 100 }), text);
    expect(calls(text)).toEqual([
      { start: 0, end: 120 },
      { start: 70, end: 432 },
      { start: 382, end: 744 },
      { start: 694, end: 1000 },
    ]);
  });

  it('sends no call longer than maxChars: a long stretch of new text is split and judged together', async () => {
    const text = answer(3000);
    // One piece of 3,000 characters: the end of the stream has all of it to judge.
    await stream(policy({ maxChars: 1000, streamContextChars: 100 }), text, 3000);
    const judged = calls(text).sort((a, b) => a.start - b.start);
    expect(judged).toEqual([
      { start: 0, end: 1000 },
      { start: 900, end: 1900 },
      { start: 1800, end: 2800 },
      { start: 2700, end: 3000 },
    ]);
  });
});

describe('past the policy scan cap (oversize: flag)', () => {
  it('judges the scanned head at once and holds back nothing past it', async () => {
    const text = answer(3000);
    const compiled = { ...policy(), maxScanChars: 1000, oversize: 'flag' as const };
    const result = await stream(compiled, text);
    expect(result.released).toBe(text);
    // 0–216, then the head's rest as soon as the answer passes the cap (the head grows no more).
    expect(calls(text)).toEqual([
      { start: 0, end: 216 },
      { start: 16, end: 1000 },
    ]);
    // Text past the cap is not judged, by the policy's choice: it goes out as it comes.
    expect(result.steps.find((step) => step.length === 2400)!.released).toBeGreaterThan(2300);
  });
});

describe('what the model finds on a stream', () => {
  it('blocks at the third chunk before any of it is released; the finding covers that chunk', async () => {
    const text = answer(3000);
    const at = 1400; // inside the third call's new text (1032 – 1848)
    const unsafe = `${text.slice(0, at)}Here is how to make a bomb at home. ${text.slice(at)}`.slice(0, 3000);
    const result = await stream(policy(), unsafe);
    expect(result.blocked?.action).toBe('block');
    expect(calls(unsafe)).toHaveLength(3);
    expect(result.released).toBe(unsafe.slice(0, result.released.length));
    expect(result.released.length).toBeLessThanOrEqual(1032);
    expect(result.released).not.toContain('bomb');
    expect(result.blocked!.findings.filter((finding) => finding.scanner === 'llama-guard')).toEqual([
      expect.objectContaining({ type: 'S9', start: 1032, end: 1848, action: 'block' }),
    ]);
  });

  it('reads a marker cut by a chunk boundary whole, thanks to the overlap', async () => {
    const base = answer(2000);
    // "how to make a bomb" from 205 to 223: the first call (0 – 216) sees "how to make".
    const unsafe = `${base.slice(0, 205)}how to make a bomb${base.slice(205)}`.slice(0, 2000);
    const result = await stream(policy(), unsafe);
    const judged = calls(unsafe);
    expect(judged).toHaveLength(2);
    expect(judged[0]).toEqual({ start: 0, end: 216 });
    expect(unsafe.slice(judged[1]!.start, judged[1]!.end)).toContain('how to make a bomb');
    expect(result.blocked?.findings).toContainEqual(expect.objectContaining({ type: 'S9', start: 216 }));
    expect(result.released).not.toContain('bomb');
  });

  it('judges what is left at the end of the stream, and blocks on it', async () => {
    const text = `${answer(600)} Now how to make a bomb.`;
    const result = await stream(policy(), text);
    expect(calls(text)).toEqual([
      { start: 0, end: 216 },
      { start: 16, end: text.length },
    ]);
    expect(result.blocked?.findings).toContainEqual(
      expect.objectContaining({ type: 'S9', start: 216, end: text.length }),
    );
    expect(result.released).not.toContain('bomb');
  });
});

describe('a guard model that fails during a stream', () => {
  it('fail-open: one call times out, the stream goes on unjudged and is not asked again', async () => {
    for (let index = 0; index < 10; index++) fake.enqueue({ hang: true });
    const text = answer(3000);
    const result = await stream(policy({ timeoutMs: 100, failMode: 'open' }), text);
    expect(result.blocked).toBeNull();
    expect(result.released).toBe(text);
    expect(fake.requests).toHaveLength(1);
    const verdict = result.guard.verdict!;
    expect(verdict.findings).toEqual([
      expect.objectContaining({
        type: 'guard_unavailable',
        score: 0,
        value: expect.stringMatching(/^timeout after 100 ms/),
      }),
    ]);
    expect(verdict.timings.find((entry) => entry.scanner === 'llama-guard')).toMatchObject({
      calls: 1,
      sentChars: 216,
    });
  });

  it('fail-closed: the first failed call blocks before anything is released', async () => {
    fake.enqueue({ status: 503 });
    const result = await stream(policy({ failMode: 'closed' }), answer(3000));
    expect(result.blocked?.findings).toEqual([
      expect.objectContaining({ type: 'guard_unavailable', score: 1, value: 'http 503', action: 'block' }),
    ]);
    expect(result.released).toBe('');
    expect(fake.requests).toHaveLength(1);
  });

  it('a reply in no known format counts as a failure for the rest of the stream', async () => {
    fake.enqueue({ reply: 'maybe' });
    const text = answer(3000);
    const result = await stream(policy({ failMode: 'open' }), text);
    expect(result.released).toBe(text);
    expect(fake.requests).toHaveLength(1);
  });
});

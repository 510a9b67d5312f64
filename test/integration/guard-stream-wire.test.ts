/**
 * The streamed output guard through the real gateway against an upstream whose wire format
 * varies the way OpenAI-compatible servers do: LF or CRLF line endings, TCP writes cut
 * anywhere (inside a UTF-8 sequence, a line ending or a JSON string), a role-only first chunk,
 * empty deltas, the last text on the finish chunk or not, a usage-only chunk with no choices.
 * Generated answers hold PII, emoji and CJK Extension B characters: what the `openai` SDK
 * assembles is the whole-answer redaction (`POST /api/guard/scan`) every time, never a lone
 * surrogate, and an answer with a blocked term ends with the error event before the term.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicies, deployStacks, outputPolicy } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import { chunkChoice, chunkEvent, type RawUpstream, startRawUpstream } from '../helpers/raw-upstream.js';

/** A seeded generator (Park–Miller), so a failure names its seed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

const PARTS = [
  'The schedule is fixed. ',
  'Write to jane.doe@example.com for changes. ',
  'Call +44 20 7946 0958 after nine. ',
  'Card 4111 1111 1111 1111 is on file. ',
  '😀 done 🎉🎉 ',
  '𠀀𠀁 字 ',
  'Nothing else to add here. ',
  'Übermäßig schön. ',
];

interface Wire {
  pieces: string[];
  crlf: boolean;
  textOnFinish: boolean;
  random: () => number;
  /** Cut the connection after this share of the bytes (an upstream that dies mid-stream). */
  cutAt?: number;
}
let wire: Wire;

function encodeStream({ pieces, crlf, textOnFinish, random }: Wire): Buffer {
  const end = crlf ? '\r\n' : '\n';
  const event = (choices: object[], extra: object = {}) => chunkEvent('chatcmpl-wire', choices, extra, end);
  let out = event([chunkChoice({ role: 'assistant', content: '' })]);
  const body = textOnFinish ? pieces.slice(0, -1) : pieces;
  for (const piece of body) {
    if (random() < 0.15) out += event([chunkChoice({ content: '' })]);
    if (random() < 0.05) out += `: keep-alive${end}${end}`;
    out += event([chunkChoice({ content: piece })]);
  }
  out += event([chunkChoice(textOnFinish ? { content: pieces.at(-1) } : {}, 'stop')]);
  out += event([], { usage: { prompt_tokens: 5, completion_tokens: 50, total_tokens: 55 } });
  return Buffer.from(`${out}data: [DONE]${end}${end}`);
}

let upstream: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream(async (_body, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const whole = encodeStream(wire);
    const bytes = wire.cutAt === undefined ? whole : whole.subarray(0, Math.floor(whole.length * wire.cutAt));
    // Cut anywhere: inside a UTF-8 sequence, a CRLF, a JSON string.
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(wire.random() * 40);
      response.write(bytes.subarray(at, at + size));
      at += size;
      if (wire.random() < 0.1) await new Promise((resolve) => setImmediate(resolve));
    }
    if (wire.cutAt !== undefined) response.socket?.destroy();
    else response.end();
  });
  harness = await startHarnessOn(upstream, 'wire', ['wire-model']);
  await createPolicies(harness, outputPolicy('wire-policy', ['forbidden-term'], { hold_back_chars: 64 }));
  await deployStacks(harness, { name: 'wire-bot', model: 'wire-model', guard: 'wire-policy' });
});
afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

function answerFor(random: () => number, blocked: boolean): string {
  const parts = Array.from(
    { length: 6 + Math.floor(random() * 10) },
    () => PARTS[Math.floor(random() * PARTS.length)]!,
  );
  if (blocked) parts.splice(Math.floor(random() * parts.length), 0, 'Then forbidden-term appears. ');
  return parts.join('');
}

/** The answer cut into pieces of 1–12 code points (an upstream never splits a character). */
function piecesOf(text: string, random: () => number): string[] {
  const codePoints = [...text];
  const pieces: string[] = [];
  for (let at = 0; at < codePoints.length; ) {
    const size = 1 + Math.floor(random() * 12);
    pieces.push(codePoints.slice(at, at + size).join(''));
    at += size;
  }
  return pieces;
}

async function streamed(): Promise<{ text: string; error: unknown; traceId: string | null }> {
  const { data: stream, response } = await harness.client.chat.completions
    .create({
      model: 'wire-bot',
      messages: [{ role: 'user', content: 'the schedule?' }],
      stream: true,
    })
    .withResponse();
  const traceId = response.headers.get('x-stackops-trace-id');
  let text = '';
  try {
    for await (const part of stream) {
      const content = part.choices[0]?.delta.content ?? '';
      expect(content).not.toMatch(/\p{Cs}/u);
      text += content;
    }
  } catch (error) {
    return { text, error, traceId };
  }
  return { text, error: null, traceId };
}

describe('streamed output guard over a varied wire', () => {
  it('releases exactly the whole-answer redaction, however the wire is cut', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const random = generator(seed);
      const answer = answerFor(random, false);
      wire = { pieces: piecesOf(answer, random), crlf: random() < 0.5, textOnFinish: random() < 0.5, random };
      const whole = await harness.api('POST', '/api/guard/scan', {
        text: answer,
        stage: 'output',
        policy: 'wire-policy',
      });
      const expected = whole.body.action === 'redact' ? whole.body.text : answer;
      const { text, error } = await streamed();
      expect({ seed, error, text }).toEqual({ seed, error: null, text: expected });
    }
  });

  it('ends an answer with a blocked term with the error event, before the term', async () => {
    for (let seed = 101; seed <= 115; seed++) {
      const random = generator(seed);
      const answer = answerFor(random, true);
      wire = { pieces: piecesOf(answer, random), crlf: random() < 0.5, textOnFinish: random() < 0.5, random };
      const { text, error } = await streamed();
      expect(error, `seed ${seed}`).toBeInstanceOf(OpenAI.APIError);
      expect(text, `seed ${seed}`).not.toContain('forbidden');
      expect(text, `seed ${seed}`).not.toMatch(/jane\.doe|4111 1111|7946 0958/);
    }
  });

  it('releases nothing held back when the upstream dies mid-stream, and records the stream as interrupted', async () => {
    for (let seed = 201; seed <= 215; seed++) {
      const random = generator(seed);
      const answer = answerFor(random, false);
      wire = {
        pieces: piecesOf(answer, random),
        crlf: random() < 0.5,
        textOnFinish: false,
        random,
        cutAt: 0.3 + random() * 0.6,
      };
      const whole = await harness.api('POST', '/api/guard/scan', {
        text: answer,
        stage: 'output',
        policy: 'wire-policy',
      });
      const expected: string = whole.body.action === 'redact' ? whole.body.text : answer;
      const { text, error, traceId } = await streamed();
      expect(error, `seed ${seed}`).toBeInstanceOf(OpenAI.APIError);
      expect(expected.startsWith(text), `seed ${seed}: ${text}`).toBe(true);
      expect(text).not.toMatch(/jane\.doe|4111 1111|7946 0958/);
      const trace = await harness.trace(traceId!);
      expect(trace.status, `seed ${seed}`).toBe('interrupted');
    }
  });
});

/**
 * The SSE parser, table-driven: every case is also fed split at every possible position and
 * one character at a time, which must not change the events.
 */
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/core/index.js';
import { readOpenAIStream } from '../../src/providers/openai-compatible/read-openai-stream.js';
import { type SseEvent, SseParser } from '../../src/providers/shared/sse-parser.js';

type Expected = Array<Partial<SseEvent> & { data: string }>;

function parse(pieces: string[]): SseEvent[] {
  const parser = new SseParser();
  for (const piece of pieces) parser.feed(piece);
  parser.feed('', true);
  return parser.events;
}

const CASES: Array<[string, string, Expected]> = [
  ['one data event', 'data: {"a":1}\n\n', [{ data: '{"a":1}' }]],
  ['two events', 'data: one\n\ndata: two\n\n', [{ data: 'one' }, { data: 'two' }]],
  ['[DONE]', 'data: x\n\ndata: [DONE]\n\n', [{ data: 'x' }, { data: '[DONE]' }]],
  ['CRLF line endings', 'data: one\r\n\r\ndata: two\r\n\r\n', [{ data: 'one' }, { data: 'two' }]],
  ['lone CR line endings', 'data: one\r\rdata: two\r\r', [{ data: 'one' }, { data: 'two' }]],
  ['no space after the colon', 'data:tight\n\n', [{ data: 'tight' }]],
  ['only the first space is stripped', 'data:  two spaces\n\n', [{ data: ' two spaces' }]],
  ['multi-line data joined with LF', 'data: line 1\ndata: line 2\ndata:\n\n', [{ data: 'line 1\nline 2\n' }]],
  [
    'comments and keep-alives are skipped',
    ': keep-alive\n\n:\ndata: x\n: mid-event comment\n\n',
    [{ data: 'x' }],
  ],
  [
    'event names',
    'event: message_start\ndata: {}\n\nevent: ping\ndata: {"type":"ping"}\n\n',
    [
      { event: 'message_start', data: '{}' },
      { event: 'ping', data: '{"type":"ping"}' },
    ],
  ],
  [
    'the event name resets after each event',
    'event: error\ndata: a\n\ndata: b\n\n',
    [
      { event: 'error', data: 'a' },
      { event: undefined, data: 'b' },
    ],
  ],
  [
    'id is remembered',
    'id: 7\ndata: a\n\ndata: b\n\n',
    [
      { id: '7', data: 'a' },
      { id: '7', data: 'b' },
    ],
  ],
  ['an event without data is not dispatched', 'event: ping\n\nretry: 100\n\ndata: x\n\n', [{ data: 'x' }]],
  ['unknown fields and a field without colon are ignored', 'foo: bar\ndata\ndata: x\n\n', [{ data: '\nx' }]],
  ['colons inside the value are kept', 'data: {"url":"http://a:1"}\n\n', [{ data: '{"url":"http://a:1"}' }]],
  ['several blank lines between events', 'data: a\n\n\n\n\ndata: b\n\n', [{ data: 'a' }, { data: 'b' }]],
  ['an unterminated final event is discarded', 'data: a\n\ndata: {"cut', [{ data: 'a' }]],
  ['a final event with one newline but no blank line is discarded', 'data: a\n\ndata: b\n', [{ data: 'a' }]],
  ['a final event ended by CR CR at EOF', 'data: a\r\r', [{ data: 'a' }]],
  ['non-ASCII text', 'data: {"c":"é 漢字 🚀"}\n\n', [{ data: '{"c":"é 漢字 🚀"}' }]],
];

describe('SseParser', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    const events = parse([input]);
    expect(events).toHaveLength(expected.length);
    expected.forEach((event, index) => {
      expect(events[index]).toMatchObject(event);
    });
  });

  it.each(CASES)('%s — split at every position', (_name, input) => {
    const whole = parse([input]);
    for (let split = 1; split < input.length; split++) {
      expect(parse([input.slice(0, split), input.slice(split)])).toEqual(whole);
    }
    expect(parse([...input])).toEqual(whole);
  });

  it('lets the caller drain events between feeds', () => {
    const parser = new SseParser();
    parser.feed('data: a\n\ndata: b');
    expect(parser.events.map((event) => event.data)).toEqual(['a']);
    parser.events.length = 0;
    parser.feed('\n\n');
    expect(parser.events.map((event) => event.data)).toEqual(['b']);
  });

  it('waits for a CR at the end of a piece to learn whether a LF follows', () => {
    const parser = new SseParser();
    parser.feed('data: a\r');
    parser.feed('\n\r');
    expect(parser.events).toHaveLength(0);
    parser.feed('\n');
    expect(parser.events.map((event) => event.data)).toEqual(['a']);
  });

  it('handles a large event arriving in many small pieces', () => {
    const payload = JSON.stringify({ text: 'x'.repeat(200_000) });
    const input = `data: ${payload}\n\n`;
    const pieces: string[] = [];
    for (let start = 0; start < input.length; start += 1000) pieces.push(input.slice(start, start + 1000));
    expect(parse(pieces)).toEqual([{ event: undefined, data: payload, id: undefined }]);
  });
});

describe('an event past the size limit', () => {
  it('throws instead of buffering a line that never ends', () => {
    const parser = new SseParser({ maxEventLength: 1000 });
    parser.feed(`data: ${'x'.repeat(600)}`);
    expect(() => parser.feed('x'.repeat(600))).toThrow(UpstreamError);
  });

  it('throws for an event of many data lines that never ends', () => {
    const parser = new SseParser({ maxEventLength: 1000 });
    expect(() => {
      for (let index = 0; index < 100; index++) parser.feed(`data: ${'y'.repeat(50)}\n`);
    }).toThrow(/larger than 1000 characters/);
  });

  it('keeps events within the limit, however many', () => {
    const parser = new SseParser({ maxEventLength: 1000 });
    for (let index = 0; index < 100; index++) parser.feed(`data: ${'z'.repeat(900)}\n\n`);
    expect(parser.events).toHaveLength(100);
  });

  it('ends an OpenAI stream whose event grows without end with a non-retryable upstream error', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      const piece = new TextEncoder().encode('a'.repeat(4 * 1024 * 1024));
      yield new TextEncoder().encode('data: {"choices":[],"junk":"');
      for (let index = 0; index < 16; index++) yield piece;
    }
    const stream = readOpenAIStream(body(), { providerName: 'broken', signal: new AbortController().signal });
    const error = await stream.next().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryable).toBe(false);
  });
});

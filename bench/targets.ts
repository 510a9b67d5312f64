/**
 * The four things the benchmark loads, all in front of (or being) the same fake upstream:
 * the upstream itself, the ~50-line floor proxy, StackOps, and the npm `@portkey-ai/gateway`.
 * Each is started in its own process and checked with one real request per mode (the reply
 * text must match and the upstream's request counter must move) before any timing.
 */
import { type ChildServer, startChild } from './children.js';
import { chatRequestBody, REPLY_TEXT, STREAM_EVENT_COUNT } from './fixtures.js';
import { type LoadTarget, probe } from './load.js';

export type TargetName = 'upstream' | 'floor' | 'stackops' | 'portkey';
export const TARGET_NAMES: readonly TargetName[] = ['upstream', 'floor', 'stackops', 'portkey'];

export const TARGET_LABELS: Record<TargetName, string> = {
  upstream: 'upstream (direct)',
  floor: 'floor proxy',
  stackops: 'StackOps',
  portkey: 'Portkey',
};

export interface Target {
  name: TargetName;
  server: ChildServer;
  headers: Record<string, string>;
}

export const CHAT_PATH = '/v1/chat/completions';

export function loadTarget(target: Target, stream: boolean): LoadTarget {
  return {
    origin: target.server.ready.url,
    path: CHAT_PATH,
    headers: target.headers,
    body: chatRequestBody(stream),
  };
}

export async function startTarget(
  name: TargetName,
  upstream: ChildServer,
  nodeFlags: string[] = [],
): Promise<Target> {
  const upstreamUrl = upstream.ready.url;
  const env = { BENCH_UPSTREAM_URL: upstreamUrl };
  const clientKey = { authorization: 'Bearer sk-bench' };
  switch (name) {
    case 'upstream':
      return { name, server: upstream, headers: clientKey };
    case 'floor':
      return {
        name,
        server: await startChild(name, './floor-proxy.ts', { env, nodeFlags }),
        headers: clientKey,
      };
    case 'portkey':
      return {
        name,
        server: await startChild(name, './portkey-process.ts', { env, nodeFlags }),
        headers: {
          ...clientKey,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${upstreamUrl}/v1`,
        },
      };
    case 'stackops': {
      const server = await startChild(name, './stackops-process.ts', { env, nodeFlags });
      const adminKey = server.ready.adminKey;
      if (typeof adminKey !== 'string') throw new Error('stackops-process did not report an adminKey');
      return { name, server, headers: { authorization: `Bearer ${adminKey}` } };
    }
  }
}

async function upstreamChatRequests(upstream: ChildServer): Promise<number> {
  const response = await fetch(`${upstream.ready.url}/bench/stats`);
  const stats = (await response.json()) as { chatRequests: number };
  return stats.chatRequests;
}

function streamedText(body: string): { text: string; events: number; done: boolean; usage: boolean } {
  let text = '';
  let events = 0;
  let done = false;
  let usage = false;
  for (const block of body.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (!data) continue;
    events++;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data) as {
      choices?: Array<{ delta?: { content?: string | null } }>;
      usage?: unknown;
    };
    text += chunk.choices?.[0]?.delta?.content ?? '';
    if (chunk.usage) usage = true;
  }
  return { text, events, done, usage };
}

/** verifyTarget sends one request per mode. */
export const VERIFY_REQUESTS = 2;

/** Throws unless the target answers both modes with the upstream's reply, via the upstream. */
export async function verifyTarget(target: Target, upstream: ChildServer): Promise<void> {
  const label = TARGET_LABELS[target.name];
  for (const stream of [false, true]) {
    const before = await upstreamChatRequests(upstream);
    const { status, body } = await probe(loadTarget(target, stream));
    const mode = stream ? 'stream' : 'non-stream';
    if (status !== 200) throw new Error(`${label} ${mode}: HTTP ${status}: ${body.slice(0, 500)}`);
    if ((await upstreamChatRequests(upstream)) <= before)
      throw new Error(`${label} ${mode}: answered without calling the fake upstream`);
    if (!stream) {
      const completion = JSON.parse(body) as { choices?: Array<{ message?: { content?: string } }> };
      const text = completion.choices?.[0]?.message?.content;
      if (text !== REPLY_TEXT) throw new Error(`${label} non-stream: unexpected reply ${body.slice(0, 500)}`);
      continue;
    }
    const streamed = streamedText(body);
    if (streamed.text !== REPLY_TEXT || !streamed.done || !streamed.usage)
      throw new Error(`${label} stream: unexpected reply (${streamed.events} events) ${body.slice(0, 500)}`);
    if (streamed.events !== STREAM_EVENT_COUNT)
      process.stdout.write(
        `note: ${label} streams ${streamed.events} events, upstream ${STREAM_EVENT_COUNT}\n`,
      );
  }
}

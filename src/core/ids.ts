/** Identifier generation: W3C trace/span ids, prefixed record ids and API key secrets. */
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Random bytes are drawn in blocks: one syscall per 4 KiB instead of one per id.
let pool = Buffer.alloc(0);
let poolOffset = 0;
function random(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
}

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = random(bytes).toString('hex');
    // W3C: an all-zero id is invalid.
    if (!/^0+$/.test(hex)) return hex;
  }
}

export const newTraceId = (): string => nonZeroHex(16);
export const newSpanId = (): string => nonZeroHex(8);

export function base62(length: number): string {
  const bytes = random(length);
  let out = '';
  // 62*4 = 248 < 256: modulo bias is below 1/60; acceptable for ids, secrets use 32 chars.
  for (let index = 0; index < length; index++) out += BASE62[bytes[index]! % 62];
  return out;
}

let lastTime = 0;
let lastRandom = '';

/** `value` + 1 in base 62 (same length; BASE62 is in ASCII order, so the result sorts after). */
function incrementBase62(value: string): string {
  const digits = [...value];
  for (let index = digits.length - 1; index >= 0; index--) {
    const next = BASE62.indexOf(digits[index]!) + 1;
    if (next < 62) {
      digits[index] = BASE62[next]!;
      return digits.join('');
    }
    digits[index] = '0';
  }
  return base62(value.length); // 62^10 ids in one millisecond: not reachable
}

/**
 * A prefixed record id that sorts in creation order within a process: `proj_2x9…` = time in
 * ms (base 36) + 10 random base-62 characters; ids made in the same millisecond (or after the
 * clock stepped back) reuse the time and increment the random part, as ULIDs do.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    lastRandom = base62(10);
  } else lastRandom = incrementBase62(lastRandom);
  return `${prefix}_${lastTime.toString(36)}${lastRandom}`;
}

export const API_KEY_PREFIX = 'sk-so-';

export function newApiKeySecret(): string {
  return API_KEY_PREFIX + base62(40);
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

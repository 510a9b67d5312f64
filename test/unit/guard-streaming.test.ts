/**
 * StreamingOutputGuard: what is released when, for blocks found in releasable text, blocks
 * found only in the held-back tail (a cut-off fragment that the finished sentence clears),
 * and redactions before a deferred block.
 */
import { describe, expect, it } from 'vitest';
import {
  type CompiledPolicy,
  createPiiScanner,
  DEFAULT_MAX_SCAN_CHARS,
  type Scanner,
  StreamingOutputGuard,
  type StreamStep,
} from '../../src/guard/index.js';

/** Blocks "NIGHT:" only while it ends the text, like a model misreading a cut-off fragment. */
const tailFragment: Scanner = {
  name: 'tail',
  stages: ['output'],
  scan(text) {
    const match = /NIGHT:\s*$/.exec(text);
    const findings = match
      ? [{ scanner: 'tail', type: 'toxicity', score: 0.95, start: match.index, end: text.length, value: '' }]
      : [];
    return { scanner: 'tail', score: findings.length ? 0.95 : 0, findings };
  },
};

/** Blocks the word "forbidden" wherever it is. */
const forbidden: Scanner = {
  name: 'forbidden',
  stages: ['output'],
  scan(text) {
    const at = text.indexOf('forbidden');
    const findings =
      at >= 0
        ? [{ scanner: 'forbidden', type: 'word', score: 1, start: at, end: at + 9, value: 'forbidden' }]
        : [];
    return { scanner: 'forbidden', score: findings.length ? 1 : 0, findings };
  },
};

function policy(holdBackChars: number): CompiledPolicy {
  return {
    name: 'test',
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
          rule: { scanner: 'tail', stage: 'output', action: 'block', threshold: 0.5 },
          scanner: tailFragment,
        },
        {
          rule: { scanner: 'forbidden', stage: 'output', action: 'block', threshold: 0.5 },
          scanner: forbidden,
        },
      ],
    },
  };
}

async function run(
  holdBackChars: number,
  pieces: string[],
): Promise<{ released: string; blocked: boolean; releasedBeforeBlock: string }> {
  const guard = new StreamingOutputGuard(policy(holdBackChars), {});
  let released = '';
  for (const piece of pieces) {
    const step: StreamStep = await guard.push(piece);
    if (step.blocked) return { released, blocked: true, releasedBeforeBlock: released };
    released += step.release;
  }
  const last = await guard.finish();
  if (last.blocked) return { released, blocked: true, releasedBeforeBlock: released };
  return { released: released + last.release, blocked: false, releasedBeforeBlock: released };
}

const words = (text: string) => text.split(/(?<= )/);
const PROSE = 'The class below keeps the schedule of the night shift and is used by the planner. ';

describe('StreamingOutputGuard', () => {
  it('does not block on a fragment in the window that the finished sentence clears', async () => {
    // The first piece is scanned while it ends in "NIGHT:"; the next ones complete the line.
    const pieces = [`${PROSE}Here it is: class NIGHT:`, ' def run(self): return 1. ', PROSE];
    const text = pieces.join('');
    const result = await run(32, pieces);
    expect(result).toMatchObject({ blocked: false, released: text });
  });

  it('still blocks a fragment that is never cleared, at the final scan, without releasing it', async () => {
    const result = await run(32, [PROSE, `${PROSE}class NIGHT:`]);
    expect(result.blocked).toBe(true);
    expect(result.releasedBeforeBlock).not.toContain('NIGHT');
    expect(result.releasedBeforeBlock.length).toBeGreaterThan(PROSE.length);
  });

  it.each([
    [0, 'hold-back 0 decides at once'],
    [32, 'a finding in text about to be released'],
  ])('blocks before the offending text goes out (hold-back %i: %s)', async (holdBack) => {
    const text = `${PROSE}this is forbidden here. ${PROSE}${PROSE}`;
    const result = await run(holdBack, words(text));
    expect(result.blocked).toBe(true);
    expect(result.releasedBeforeBlock).not.toContain('forbidden');
  });

  it('with hold-back 0, blocks on the fragment as soon as it is scanned', async () => {
    const pieces = [`${PROSE}Here it is: class NIGHT:`, ' def run(self): return 1. ', PROSE];
    expect((await run(0, pieces)).blocked).toBe(true);
  });

  it('keeps redacting the text before a deferred block', async () => {
    const pieces = [
      `${PROSE}Write to jane.doe@example.com today. class NIGHT:`,
      ' def run(self): pass. ',
      PROSE,
    ];
    const text = pieces.join('');
    const result = await run(24, pieces);
    expect(result.blocked).toBe(false);
    expect(result.released).not.toContain('jane.doe');
    expect(result.released).toBe(text.replace('jane.doe@example.com', '[EMAIL]'));
  });

  it('holds a token longer than the window until it ends, and a run past 4,096 characters no longer', async () => {
    const piecesOf = (text: string) => text.match(/[\s\S]{1,5}/g)!;
    /** What was released before the last piece went in. */
    const releasedEarly = async (text: string, holdBack: number) => {
      const guard = new StreamingOutputGuard(policy(holdBack), {});
      const pieces = piecesOf(text);
      let released = '';
      for (const piece of pieces.slice(0, -1)) released += (await guard.push(piece)).release;
      return released;
    };
    const token = `ref ${'a1B2c3D4'.repeat(20)}`;
    expect(await releasedEarly(`${PROSE}${token}`, 64)).toBe(`${PROSE}ref `);
    // Hold-back 0 asks for no window: nothing is held for a token either.
    expect((await releasedEarly(`${PROSE}${token}`, 0)).length).toBeGreaterThan(PROSE.length + 100);
    const blob = 'Q'.repeat(5000);
    expect((await releasedEarly(`${PROSE}${blob}`, 64)).length).toBeGreaterThan(PROSE.length + 4096);
  });

  it('never releases part of a redaction that overlaps another (the boundary moves back until no span is cut)', async () => {
    /** Redacts every occurrence of `needle`. */
    const redacting = (name: string, needle: string): Scanner => ({
      name,
      stages: ['output'],
      scan(text) {
        const at = text.indexOf(needle);
        const findings =
          at >= 0
            ? [{ scanner: name, type: 'hidden', score: 1, start: at, end: at + needle.length, value: '' }]
            : [];
        return { scanner: name, score: findings.length ? 1 : 0, findings };
      },
    });
    const overlapping: CompiledPolicy = {
      ...policy(12),
      stages: {
        input: [],
        context: [],
        output: ['SECRETVALUE', 'VALUE and more'].map((needle, index) => ({
          rule: {
            scanner: `redact${index}`,
            stage: 'output' as const,
            action: 'redact' as const,
            threshold: 0.5,
          },
          scanner: redacting(`redact${index}`, needle),
        })),
      },
    };
    const guard = new StreamingOutputGuard(overlapping, {});
    const first = await guard.push('aaaaaaaaa SECRETVALUE and more text here ');
    expect(first.release).toBe('aaaaaaaaa ');
    const rest = await guard.finish();
    const released = first.release + rest.release;
    expect(released).not.toContain('SECRET');
    expect(released).not.toContain('VALUE');
    expect(released.startsWith('aaaaaaaaa [')).toBe(true);
    expect(released.endsWith(' text here ')).toBe(true);
  });

  it('redacts the rest of a span that begins in text already released (a key block under a short window)', async () => {
    const body = Array.from({ length: 5 }, () => `MIIEowIBAAKCAQEA${'x7Yq'.repeat(12)}`).join('\n');
    const text = `Here is the key:\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nKeep it safe.`;
    // With a 16-character window the BEGIN line goes out before it is complete, so the block is
    // found only after its first characters were released.
    const result = await run(16, text.match(/[\s\S]{1,10}/g)!);
    expect(result.blocked).toBe(false);
    expect(result.released).not.toContain('MIIE');
    expect(result.released).not.toContain('x7Yq');
    expect(result.released).toMatch(/^Here is the key:\n(-----BEGIN [A-Z ]*)?\[SECRET\]\nKeep it safe\.$/);
  });

  it.each([0, 7, 16, 64])(
    'never releases half of a surrogate pair (hold-back %i), however the code points are cut',
    async (holdBack) => {
      // Emoji and CJK Extension B characters are two UTF-16 units; the window counts units.
      const text = `${PROSE}Done 😀 ok 🎉🎉 𠀀𠀁 write to jane.doe@example.com 🚀 `.repeat(6);
      const codePoints = [...text];
      const loneSurrogate = /\p{Cs}/u;
      for (let seed = 1; seed <= 20; seed++) {
        let state = seed;
        const random = () => {
          state = (state * 48271) % 2147483647;
          return state / 2147483647;
        };
        const pieces: string[] = [];
        for (let at = 0; at < codePoints.length; ) {
          const size = 1 + Math.floor(random() * 9);
          pieces.push(codePoints.slice(at, at + size).join(''));
          at += size;
        }
        const guard = new StreamingOutputGuard(policy(holdBack), {});
        const releases: string[] = [];
        for (const piece of pieces) releases.push((await guard.push(piece)).release);
        releases.push((await guard.finish()).release);
        expect(releases.filter((release) => loneSurrogate.test(release))).toEqual([]);
        // Below a window as long as the address, its start may go out before it is recognisable.
        if (holdBack >= 64)
          expect(releases.join('')).toBe(text.replaceAll('jane.doe@example.com', '[EMAIL]'));
        else expect(releases.join('')).not.toContain('example.com');
      }
    },
  );
});

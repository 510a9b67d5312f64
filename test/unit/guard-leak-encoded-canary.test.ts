import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { canaryLine } from '../../src/guard/output/canary.js';
import { encodedCanaryForms } from '../../src/guard/output/leak-prompt.js';
import { createLeakScanner } from '../../src/guard/output/leak-scanner.js';
import type { ScanResult } from '../../src/guard/scanner.js';

const canary = 'SO-CANARY-1f9c0a7e4b2d6e83';
const systemPrompt = `${canaryLine(canary)}\nYou are the support bot of ACME. Never discuss pricing.`;
const context = { stage: 'input' as const, systemPrompt, canary };
const scan = (text: string) => createLeakScanner().scan(text, context) as ScanResult;
const canaryFindings = (result: ScanResult) => result.findings.filter((finding) => finding.type === 'canary');

describe('the canary, encoded', () => {
  it('is found when the system prompt is answered in base64 (any offset), URL-safe base64 or hex', () => {
    for (const prefix of ['', 'x', 'xy', 'Sure! ']) {
      const encoded = Buffer.from(`${prefix}${systemPrompt}`).toString('base64');
      const [hit] = canaryFindings(scan(`Here it is: ${encoded}`));
      expect(hit?.score, prefix).toBe(0.9);
      // The span lies inside the encoded run.
      expect(hit?.start ?? 0).toBeGreaterThanOrEqual('Here it is: '.length);
      const url = Buffer.from(`${prefix}${systemPrompt}`).toString('base64url');
      expect(canaryFindings(scan(url)).length, `${prefix} url-safe`).toBe(1);
    }
    const hex = Buffer.from(systemPrompt).toString('hex');
    expect(canaryFindings(scan(hex)).length).toBe(1);
    expect(canaryFindings(scan(hex.toUpperCase())).length).toBe(1);
  });

  it('is found in hex with separators ("53 4F 2D …", "0x53, 0x4f, …"), spelled out', () => {
    const bytes = [...Buffer.from(systemPrompt)].map((byte) => byte.toString(16).padStart(2, '0'));
    for (const text of [
      bytes.join(' ').toUpperCase(),
      bytes.map((byte) => `0x${byte}`).join(', '),
      bytes.join(':'),
    ]) {
      const [hit] = canaryFindings(scan(`Encoded: ${text}`));
      expect(hit?.score, text.slice(0, 20)).toBe(0.9);
      expect(hit?.end ?? 0).toBeLessThanOrEqual(`Encoded: ${text}`.length);
    }
    // Hex of other text with the same separators is not the canary.
    const other = [...Buffer.from('You are the support bot of ACME.')]
      .map((byte) => byte.toString(16))
      .join(' ');
    expect(canaryFindings(scan(other))).toEqual([]);
  });

  it('is not found in base64 or hex of other text, nor in the encoded canary of another prompt', () => {
    const other = 'SO-CANARY-0000000000000000';
    for (const text of [
      Buffer.from('You are the support bot of ACME. Never discuss pricing.').toString('base64'),
      Buffer.from(`${canaryLine(other)}\nYou are the support bot.`).toString('base64'),
      Buffer.from(`${canaryLine(other)}`).toString('hex'),
      'A JWT: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ])
      expect(canaryFindings(scan(text)), text).toEqual([]);
  });

  it("gives every alignment its own form, each only from the canary's own bytes", () => {
    const forms = encodedCanaryForms(canary);
    expect(forms.lower).toEqual([Buffer.from(canary).toString('hex')]);
    for (let skip = 0; skip < 3; skip++) {
      const encoded = Buffer.from(`${'#'.repeat(skip)}${canary}!!`).toString('base64');
      expect(
        forms.exact.some((form) => encoded.includes(form)),
        String(skip),
      ).toBe(true);
    }
    expect(forms.exact.every((form) => form.length >= 32)).toBe(true);
  });

  it('on a stream, equals a whole-text scan on every prefix', () => {
    const scanner = createLeakScanner();
    const random = createRandom(7);
    let found = 0;
    for (let round = 0; round < 40; round++) {
      const prefix = 'ab'.slice(0, round % 3);
      const encoded =
        round % 5 === 4
          ? [...Buffer.from(`${prefix}${systemPrompt}`)].map((byte) => `0x${byte.toString(16)}`).join(', ')
          : round % 4 === 3
            ? Buffer.from(`${prefix}${systemPrompt}`).toString('hex')
            : Buffer.from(`${prefix}${systemPrompt}`).toString(round % 2 === 0 ? 'base64' : 'base64url');
      const text = `Answer ${round}: ${encoded.slice(0, Math.floor(encoded.length * (0.3 + 0.7 * random())))} done.`;
      const streamContext = { stage: 'output' as const, systemPrompt, canary };
      let sent = '';
      let at = 0;
      while (at < text.length) {
        const size = 1 + Math.floor(random() * 12);
        sent += text.slice(at, at + size);
        at += size;
        const streamed = scanner.scan(sent, streamContext);
        const whole = createLeakScanner().scan(sent, context);
        expect(JSON.stringify(streamed), `${round} at ${sent.length}`).toBe(JSON.stringify(whole));
      }
      if (canaryFindings(scanner.scan(sent, streamContext) as ScanResult).length > 0) found++;
    }
    // Most answers carry the encoded canary by their end (the cut keeps at least 30 %).
    expect(found).toBeGreaterThan(25);
  });
});

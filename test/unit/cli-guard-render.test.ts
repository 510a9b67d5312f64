/** `stackops guard scan` output: the restore mapping of a reversible redaction and the scanners a `when` condition skipped. */
import { describe, expect, it } from 'vitest';
import { renderPolicy, renderReplay, renderScan } from '../../src/cli/guard-commands.js';

describe('stackops guard scan output', () => {
  it('lists the placeholders of a reversible redaction and the skipped scanners', () => {
    const output = renderScan({
      flagged: true,
      action: 'redact',
      policy: 'private@1',
      message: null,
      findings: [
        {
          scanner: 'pii',
          type: 'EMAIL',
          score: 0.9,
          start: 0,
          end: 15,
          value: 'ann@example.com',
          action: 'redact',
        },
      ],
      text: '[EMAIL_1] and [EMAIL_1]',
      mapping: { '[EMAIL_1]': 'ann@example.com' },
      scanners: [{ scanner: 'pii' }, { scanner: 'llama-guard', skipped: true }],
      latency_ms: 0.5,
    });
    expect(output).toBe(
      [
        'REDACT (flagged) — policy private@1, 0.5 ms',
        'SCANNER  TYPE   SCORE  SPAN  ACTION  VALUE',
        'pii      EMAIL  0.900  0-15  redact  ann@example.com',
        'redacted: [EMAIL_1] and [EMAIL_1]',
        '  [EMAIL_1] = ann@example.com',
        "not run (its rules' when-condition was not met): llama-guard",
      ].join('\n'),
    );
  });

  it('prints neither line when there is nothing to say', () => {
    const output = renderScan({
      flagged: false,
      action: 'allow',
      policy: 'default@0',
      message: null,
      findings: [],
      latency_ms: 0.2,
      scanners: [{ scanner: 'pii' }],
    });
    expect(output).toBe('ALLOW — policy default@0, 0.2 ms');
  });
});

describe('stackops guard replay output', () => {
  it('prints the verdict counts per stage, the findings and the example traces', () => {
    const output = renderReplay({
      policy: 'candidate@1',
      traces: 4,
      without_content: 0,
      input: { evaluated: 4, allow: 3, flag: 0, redact: 0, block: 1 },
      output: { evaluated: 4, allow: 2, flag: 0, redact: 2, block: 0 },
      findings: [{ stage: 'output', scanner: 'pii', type: 'EMAIL', count: 1 }],
      examples: [
        { trace_id: 'abc123', stage: 'input', action: 'block', rules: ['injection:injection→block'] },
      ],
    });
    expect(output.split('\n')).toEqual([
      'candidate@1 over the last 4 traces (0 without recorded content)',
      'STAGE   EVALUATED  ALLOW  FLAG  REDACT  BLOCK',
      'input   4          3      0     0       1',
      'output  4          2      0     2       0',
      'STAGE   SCANNER  TYPE   COUNT',
      'output  pii      EMAIL  1',
      'block  input  abc123  injection:injection→block',
    ]);
  });
});

describe('stackops guard policy show output', () => {
  it("shows each version's settings and message, not only its rules", () => {
    const rules = [{ scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 }];
    const output = renderPolicy({
      name: 'strict',
      versions: [
        {
          version: 1,
          rules,
          hold_back_chars: 64,
          max_scan_chars: 100_000,
          oversize: 'block',
          message: null,
          created_at: '2026-11-30T03:13:56.464Z',
        },
        {
          version: 2,
          rules,
          hold_back_chars: 256,
          max_scan_chars: 400_000,
          oversize: 'flag',
          message: 'longer documents',
          created_at: '2026-11-30T03:14:01.070Z',
        },
      ],
    });
    const json = JSON.stringify(rules, null, 2);
    expect(output).toBe(
      [
        'v1  2026-11-30T03:13:56.464Z',
        'hold_back_chars 64, max_scan_chars 100000, oversize block',
        json,
        '',
        'v2  2026-11-30T03:14:01.070Z — longer documents',
        'hold_back_chars 256, max_scan_chars 400000, oversize flag',
        json,
      ].join('\n'),
    );
  });
});

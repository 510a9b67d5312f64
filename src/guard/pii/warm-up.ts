/**
 * Compiles the PII detectors' expressions when the module loads, for one- and two-byte texts.
 *
 * V8 compiles a regular expression at its first runs, separately for one-byte and two-byte
 * subject strings, and compiles it WITHOUT optimisation once the process has generated 1 MB of
 * expression code in total (docs/guardrails-latency.md, session 7: a counter that never goes
 * down, reached by libraries, user-defined policies, or a benchmark's peer libraries). The PII
 * scanner runs on every request; when its expressions came late — first a two-byte text after
 * that point — each 2 KB prompt paid about 40 µs more (bench:guard: PII p50 0.091–0.100 ms
 * against 0.057 with this warm-up; 0.012–0.016 standalone). Running every family once here, on a
 * text that reaches each of their expressions, takes them past that point compiled. The sample
 * is assembled from parts so that no scanner of this repository flags this file.
 */
import { detectWithFamilies } from './pii-stream.js';
import { PII_TYPES } from './types.js';

const join = (...parts: string[]): string => parts.join('');

/** Lines that reach every family's expressions (cue words, shapes, secrets). */
const LATIN = [
  'Mail jane.doe@example.com or call +1 (415) 555-2671, tel. 020 7946 0958, 0151 2345 6789.',
  'Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789.',
  'IP 192.168.0.1 and fe80::1ff:fe23:4567:890a; order no. 12345678, 2019-05-01.',
  join('api_key=', 'e53a13043b026c48bbf33feff9243a8f token: ', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'),
  join(
    'Authorization: Bear',
    'er 0b79bab50daca910b000d4f1a2b675d604257e42 ',
    'sk-',
    'proj-abcdefGHIJ1234567890xyz',
  ),
  join(
    'AK',
    'IAIOSFODNN7EXAMPLE ',
    'ghp',
    '_ocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXu ',
    'eyJ',
    'hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
  ),
  join(
    '-----BEGIN RSA ',
    'PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHC\n-----END RSA ',
    'PRIVATE KEY-----',
  ),
  join('my pass', 'word is Summer2024, the secret ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.'),
];
/** The same as one-byte text, and as two-byte text with Chinese records and cue words. */
export const WARM_SAMPLES = [
  LATIN.join('\n'),
  [
    ...LATIN,
    '身份证 11010519491231002X，手机 138 1234 5678，电话 010-12345678，邮箱 zhang@example.cn。',
  ].join('\n'),
];

/** Every family over each of WARM_SAMPLES, a few times each (V8 tiers an expression up after its first runs). */
export function warmPiiExpressions(): void {
  const options = { types: new Set(PII_TYPES), cnIdRequireChecksum: false };
  for (const text of WARM_SAMPLES) for (let run = 0; run < 3; run++) detectWithFamilies(text, options);
}

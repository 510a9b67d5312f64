import { describe, expect, it } from 'vitest';
import { findPii } from '../../src/guard/pii/index.js';

/** Findings as [type, exact matched text]; also checks that value is the span's text. */
function found(text: string): Array<[string, string]> {
  return findPii(text).map((finding) => {
    expect(text.slice(finding.start, finding.end)).toBe(finding.value);
    return [finding.type, finding.value];
  });
}

// Secrets are assembled at run time so that no scanner of this repository flags the test file.
const join = (...parts: string[]): string => parts.join('');
const OPENAI_KEY = join('sk-', 'proj-', 'abcdefGHIJ1234567890xyzXYZ');
const STACKOPS_KEY = join('sk-so-', 'u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd');
const AWS_KEY = join('AKIA', 'IOSFODNN7EXAMPLE');
const GITHUB_TOKEN = join('ghp_', 'ocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXu');
const GITHUB_PAT = join(
  'github_pat_',
  '11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabc',
);
const SLACK_TOKEN = join('xoxb-', '1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx');
const GOOGLE_KEY = join('AIza', '76UMFxFkM_R5Kjp1vRt-1fjORS_6ilI8ihN');
const STRIPE_KEY = join('sk_', 'live_', 'PKR0CsTy4Qwb8DwkNhFdnXsi');
const JWT = join(
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
);
const PEM = join(
  '-----BEGIN RSA ',
  'PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA ',
  'PRIVATE KEY-----',
);

describe('SECRET', () => {
  it.each<[string, string]>([
    ['OpenAI', `key ${OPENAI_KEY} here`],
    ['StackOps', `Authorization: ${STACKOPS_KEY}`],
    ['AWS', `aws ${AWS_KEY}`],
    ['GitHub', `${GITHUB_TOKEN}`],
    ['GitHub fine-grained', `${GITHUB_PAT}`],
    ['Slack', `${SLACK_TOKEN}`],
    ['Google', `${GOOGLE_KEY}`],
    ['Stripe', `${STRIPE_KEY}`],
    ['JWT', `Bearer ${JWT}`],
    ['PEM', `here:\n${PEM}\nthanks`],
  ])('finds a %s secret', (_label, text) => {
    const secrets = found(text).filter(([type]) => type === 'SECRET');
    expect(secrets.length).toBe(1);
    const value = secrets[0]![1];
    expect([
      OPENAI_KEY,
      STACKOPS_KEY,
      AWS_KEY,
      GITHUB_TOKEN,
      GITHUB_PAT,
      SLACK_TOKEN,
      GOOGLE_KEY,
      STRIPE_KEY,
      JWT,
      PEM,
    ]).toContain(value);
  });

  it.each<[string, string]>([
    ['api_key=e53a13043b026c48bbf33feff9243a8f', 'e53a13043b026c48bbf33feff9243a8f'],
    ['"client_secret": "Xk82Hf93KdP0qLm4ZnB7"', 'Xk82Hf93KdP0qLm4ZnB7'],
    ['OPENAI_TOKEN: 9f8e7d6c5b4a39281706f5e4d3c2b1a0.', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
    ['password = "Summer2024!x"', 'Summer2024!x'],
    [
      'Authorization: Bearer 0b79bab50daca910b000d4f1a2b675d604257e42',
      '0b79bab50daca910b000d4f1a2b675d604257e42',
    ],
  ])('finds the value of %j', (text, value) => {
    expect(found(text)).toEqual([['SECRET', value]]);
  });

  // A credential named in prose, with no ':' or '=' (AWS's documented example secret key).
  it.each<[string, string]>([
    [
      `My AWS secret access key is ${join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}, keep it safe.`,
      join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY'),
    ],
    [
      `SECRET ${join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}`,
      join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY'),
    ],
    ['use token 9f8e7d6c5b4a39281706f5e4d3c2b1a0 for the call', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
    ['The session token was "3fa85f64-5717-4562-b3fc-2c963f66afa6".', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
    ['my password is Summer2024! ok', 'Summer2024'],
    ['Passcode reads  x7Kq29mLp', 'x7Kq29mLp'],
    ['the API Key e53a13043b026c48bbf33feff9243a8f works', 'e53a13043b026c48bbf33feff9243a8f'],
  ])('finds the credential named in prose in %j', (text, value) => {
    expect(found(text)).toEqual([['SECRET', value]]);
  });

  it.each([
    'The token limit is 4096 tokens.',
    'The secret to success is hard work 24/7.',
    'Your access token expires in 3600 seconds.',
    'the password is correct',
    'note that the password is case-sensitive',
    'the key is 12345678901234567890',
    'secretly 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    'tokens 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    'sEcReT 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    'token: <your-token-here>',
    'keyboard 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  ])('does not take %j for a credential in prose', (text) => {
    expect(found(text).filter(([type]) => type === 'SECRET')).toEqual([]);
  });

  it.each([
    'we use sk-learn and scikit-learn',
    'token: <your-token-here>',
    'password = None',
    'the key points: revenue, margins',
    'api_key=changeme',
    'token = "aaaaaaaaaaaaaaaaaaaaaaaa1"',
    'AKIA is a prefix',
    'ghp_short',
    'a PEM header -----BEGIN PUBLIC KEY----- is not private',
  ])('rejects %j', (text) => {
    expect(found(text).filter(([type]) => type === 'SECRET')).toEqual([]);
  });
});

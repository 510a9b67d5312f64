/**
 * The toxicity scanner on developer text (session 9, docs/guardrails-toxicity.md): slurs,
 * swear words and their obfuscations stay flagged, and the false positives developers meet —
 * character n-grams of innocent words that are also a slur's ("push" / "pussy", "bits" /
 * "bitch") — are recorded as known failures: `it.fails` passes while the scanner still flags
 * the text, and starts failing (so the marker must go) the day a model stops flagging it. The
 * sentences are written here, not taken from the dev texts of scripts/toxicity-dev-texts.ts.
 */
import { describe, expect, it } from 'vitest';
import { classifyToxicity } from '../../src/guard/toxicity/index.js';

describe('toxicity on developer text', () => {
  it.each([
    'you stupid b1tch',
    'fuuuuck you',
    'what a pussy',
    'you pu$$y',
    'n1gger go home',
    'f4ggot',
    'you are a bitch',
  ])('flags the slur or swear word in %s', (text) => {
    expect(classifyToxicity(text).score).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    'git stash pop brought back my changes',
    'Rename the master branch to main.',
    'Kill the stuck worker process and restart it.',
  ])('passes the developer sentence %s', (text) => {
    expect(classifyToxicity(text).score).toBeLessThan(0.5);
  });

  // Known false positives (session 8's diagnosis; no session-9 variant shipped).
  it.fails.each([
    'git push',
    'Please git push the fix to your fork.',
    'Shift the bits to the right by two.',
    '你可以用 git push 提交代码。',
  ])('passes the developer sentence %s (known false positive)', (text) => {
    expect(classifyToxicity(text).score).toBeLessThan(0.5);
  });
});

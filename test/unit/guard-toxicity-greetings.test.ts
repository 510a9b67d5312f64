/**
 * The toxicity scanner on the first turns of a chat (session 13, docs/guardrails-toxicity.md):
 * greetings and small talk stay below the flag threshold, and short abusive turns that look
 * like them — a greeting or a thank-you around an insult — stay above it. The sentences are
 * written here and none is in the training turns (scripts/toxicity-conversational-turns.ts);
 * the last test keeps it so. No session-13 model shipped, so the cases the committed model
 * still gets wrong are recorded as known failures: `it.fails` passes while the scanner is
 * wrong and starts failing (so the marker must go) the day a model gets the case right.
 */
import { describe, expect, it } from 'vitest';
import {
  conversationalBenignEnglish,
  conversationalRound3Benign,
  conversationalRound3Toxic,
  conversationalRound5Chinese,
  conversationalToxicEnglish,
} from '../../scripts/toxicity-conversational-turns.js';
import { classifyToxicity, prepareText } from '../../src/guard/toxicity/index.js';

const FLAG_AT = 0.5;

const GREETINGS_AND_SMALL_TALK = [
  'hey, what is new?',
  'hello, nice to see you',
  'good morning, everyone!',
  'thanks, you too',
  'how was the meeting?',
  'have a good weekend!',
];

/** Flagged by the committed model (0.5–0.77): the session-13 symptom. */
const FLAGGED_GREETINGS = [
  'hey',
  'hey, how are you?',
  'yo',
  'hey!',
  'hi, how is it going?',
  'yo, how are things?',
];

const SHORT_ABUSE = [
  'hey stupid',
  'yo, you idiot',
  'hello, dumbass',
  'shut up, moron',
  'you are worthless',
  'get lost, idiot',
];

/** Missed by the committed model ("loser" carries little weight in the tune data). */
const MISSED_ABUSE = ['hi loser', 'thanks for nothing, loser'];

describe('toxicity on greetings and short chat turns', () => {
  it.each(GREETINGS_AND_SMALL_TALK)('passes the greeting or small talk %s', (text) => {
    expect(classifyToxicity(text).score).toBeLessThan(FLAG_AT);
  });

  it.each(SHORT_ABUSE)('flags the short abusive turn %s', (text) => {
    expect(classifyToxicity(text).score).toBeGreaterThanOrEqual(FLAG_AT);
  });

  // Known failures (session 13: no retrain passed its tune rule, see the docs).
  it.fails.each(FLAGGED_GREETINGS)('passes the greeting %s (known false positive)', (text) => {
    expect(classifyToxicity(text).score).toBeLessThan(FLAG_AT);
  });

  it.fails.each(MISSED_ABUSE)('flags the short abusive turn %s (known miss)', (text) => {
    expect(classifyToxicity(text).score).toBeGreaterThanOrEqual(FLAG_AT);
  });

  it('uses sentences that are not in the training turns', () => {
    const trained = new Set(
      [
        ...conversationalBenignEnglish(),
        ...conversationalToxicEnglish(),
        ...conversationalRound3Benign(),
        ...conversationalRound3Toxic(),
        ...conversationalRound5Chinese().benign,
        ...conversationalRound5Chinese().toxic,
      ].map(prepareText),
    );
    const here = [...GREETINGS_AND_SMALL_TALK, ...FLAGGED_GREETINGS, ...SHORT_ABUSE, ...MISSED_ABUSE].map(
      prepareText,
    );
    expect(here.filter((text) => trained.has(text))).toEqual([]);
  });
});

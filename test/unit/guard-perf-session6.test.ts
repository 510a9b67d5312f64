/**
 * Session 6 latency rewrites of the anomaly, toxicity and PII scanners that must not change
 * results (docs/guardrails-latency.md), each checked against a plain reference written here:
 *
 * - Toxicity windows are scored in one fused pass (scoreFeatureUnits: features hashed and
 *   their weights summed as they are made) unless the window has a lexicon candidate: the
 *   same score and probability, bit for bit, as extracting the feature indexes (extractFeatures,
 *   the training path) and summing their weights in order.
 *
 * Random inputs from a fixed seed: English, CJK, lexicon terms, URLs and handles, surrogates
 * (paired and lone), controls, long runs.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { scoreWindow, splitWindows } from '../../src/guard/toxicity/classify.js';
import { defaultToxicityModel } from '../../src/guard/toxicity/default-model.js';
import { createScratch, extractFeatures } from '../../src/guard/toxicity/features.js';
import { CHINESE_LEXICON, ENGLISH_LEXICON, RULE_FLOORS } from '../../src/guard/toxicity/lexicon.js';
import { sigmoid } from '../../src/guard/toxicity/model-format.js';
import { cjkShare, prepareText } from '../../src/guard/toxicity/prepare-text.js';

const PIECES = [
  'hello',
  'You',
  'the',
  'THE',
  'and',
  'question',
  'about',
  "don't",
  'é',
  'Ünïcödé',
  '123',
  '.',
  '!',
  '?',
  ',',
  '\n',
  '  ',
  '\t',
  'x',
  'aaaa',
  '!!!!',
  '你',
  '的',
  '是',
  '我们',
  'カタカナ',
  '한국어',
  '“quoted”',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  '\u0000',
  '\u200b',
  'ﬁ',
  'Ｆｕｌｌ',
  'https://example.com/a?b=c',
  'www.example.org',
  '@someone_42',
  'mail@example.com',
  ...ENGLISH_LEXICON.slice(0, 12).map((entry) => entry.term),
  ...CHINESE_LEXICON.slice(0, 6).map((entry) => entry.term),
];

function randomTexts(seed: number, pieces: readonly string[], count: number, maxPieces: number): string[] {
  const next = createRandom(seed);
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * next() * maxPieces);
    for (let index = 0; index < length; index++) {
      text += pieces[Math.floor(next() * pieces.length)];
      if (next() < 0.6) text += ' ';
    }
    return text;
  });
}

// --- reference: a toxicity window scored from the extracted feature indexes ---------------

function referenceWindow(text: string, start: number, end: number) {
  const model = defaultToxicityModel();
  const prepared = prepareText(text.slice(start, end));
  const scratch = createScratch(16);
  extractFeatures(prepared, model.settings, scratch);
  let sum = 0;
  for (let feature = 0; feature < scratch.count; feature++)
    sum += model.codebook[model.codes[scratch.indexes[feature]!]! + 128]!;
  const share = cjkShare(prepared);
  const hits = scratch.hits.map((hit) => ({ ...hit }));
  if (scratch.count === 0) return { start, end, score: 0, probability: 0, cjkShare: share, hits };
  const logit = model.bias + sum / Math.sqrt(scratch.count);
  let score = sigmoid(logit - (share * model.offsets.zh + (1 - share) * model.offsets.en));
  for (const hit of hits) score = Math.max(score, RULE_FLOORS[hit.category] ?? 0);
  return { start, end, score, probability: sigmoid(logit), cjkShare: share, hits };
}

describe('session 6 rewrites give identical results', () => {
  it('toxicity windows: the fused score = features, then their weights summed in order', () => {
    const model = defaultToxicityModel();
    let windows = 0;
    let withHits = 0;
    for (const text of randomTexts(61, PIECES, 3_000, 160)) {
      for (const [start, end] of splitWindows(text)) {
        const actual = scoreWindow(model, text, start, end);
        const expected = referenceWindow(text, start, end);
        expect(Object.is(actual.score, expected.score)).toBe(true);
        expect(Object.is(actual.probability, expected.probability)).toBe(true);
        expect(actual.hits).toEqual(expected.hits);
        windows++;
        if (expected.hits.length > 0) withHits++;
      }
    }
    expect(windows).toBeGreaterThan(3_000);
    expect(withHits).toBeGreaterThan(300);
  });
});

/**
 * Diagnostics for the suffix detector on TUNE data (never measure sets): per-text best-window
 * logits of benign validation texts and synthetic validation positives, with examples.
 * Run: node --import tsx scripts/suffix-diagnose.ts [text…]
 */

import { defaultSuffixModel } from '../src/guard/injection/suffix/default-model.js';
import { FEATURE_NAMES, SuffixScorer, TAIL_FEATURE_NAMES } from '../src/guard/injection/suffix/scorer.js';
import { createGcgSuffixGenerator, createSuffixGenerator } from './suffix-synthetic.js';

const model = defaultSuffixModel();
const scorer = new SuffixScorer(model);
const texts = process.argv.slice(2);
if (texts.length === 0) {
  const next = createSuffixGenerator(7);
  const nextGcg = createGcgSuffixGenerator(7);
  for (let index = 0; index < 3; index++) texts.push(`How do I bake sourdough bread at home? ${next()}`);
  for (let index = 0; index < 3; index++) texts.push(`How do I bake sourdough bread at home? ${nextGcg()}`);
}
for (const text of texts) {
  const verdict = scorer.score(text);
  console.log(JSON.stringify(text.slice(0, 160)), verdict);
  const windows = scorer.windows(text, 8);
  for (const window of windows)
    console.log(
      `  [${window.start},${window.end}) ${window.gated ? 'G' : ' '} ${Array.from(window.features, (value, index) => `${FEATURE_NAMES[index]}=${value.toFixed(2)}`).join(' ')}`,
    );
  const tail = scorer.tail(text);
  if (tail !== null)
    console.log(
      `  tail [${tail.start},${tail.end}) ${Array.from(tail.features, (value, index) => `${TAIL_FEATURE_NAMES[index]}=${value.toFixed(2)}`).join(' ')}`,
    );
}

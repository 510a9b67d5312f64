import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  conversationalBenignEnglish,
  conversationalRound3Benign,
  conversationalRound3Toxic,
  conversationalRound5Chinese,
  conversationalToxicEnglish,
} from '../../scripts/toxicity-conversational-turns.js';
import { datasetsRoot, type LabelledText } from '../../scripts/toxicity-datasets.js';
import { devBenignTexts, devToxicTexts } from '../../scripts/toxicity-dev-texts.js';
import { authoredRows, RECIPES, SHIPPED_RECIPE, trainingExamples } from '../../scripts/toxicity-recipe.js';
import {
  shortBenignChinese,
  shortBenignEnglish,
  shortToxicChinese,
  shortToxicEnglish,
} from '../../scripts/toxicity-short-texts.js';
import { prepareText } from '../../src/guard/toxicity/prepare-text.js';

const row = (source: string, toxic: boolean, language: 'en' | 'zh', detail?: string): LabelledText => ({
  source,
  index: 0,
  text: `${source} ${toxic ? 'toxic' : 'fine'} ${detail ?? ''}`,
  toxic,
  language,
  ...(detail ? { detail } : {}),
});

const pool: LabelledText[] = [
  row('davidson', true, 'en', 'offensive'),
  row('davidson', true, 'en', 'hate'),
  row('davidson', false, 'en', 'neither'),
  row('toxigen:hate/x.txt', true, 'en'),
  row('halueval-query', false, 'en'),
  row('halueval-query', false, 'en'),
  row('cold', true, 'zh'),
  row('cold', false, 'zh'),
];

describe('toxicity training recipe', () => {
  it('balances classes per language by count, then applies source weights', () => {
    const examples = trainingExamples(pool, [], RECIPES.baseline!);
    // 8 rows: en toxic 3, en non-toxic 3, zh 1 + 1 → base weight 8 / 4 / count.
    const base = (count: number) => 8 / 4 / count;
    expect(examples.map((example) => example.weight)).toEqual([
      base(3),
      base(3),
      base(3),
      base(3) * 3,
      base(3) * 0.5,
      base(3) * 0.5,
      base(1),
      base(1),
    ]);
  });

  it('down-weights only Davidson class 1 when the recipe says so', () => {
    const baseline = trainingExamples(pool, [], RECIPES.baseline!);
    const halved = trainingExamples(pool, [], RECIPES['davidson-offensive-0.5']!);
    expect(halved[0]!.weight).toBeCloseTo((baseline[0]!.weight ?? 0) / 2, 12);
    expect(halved.slice(1).map((example) => example.weight)).toEqual(
      baseline.slice(1).map((example) => example.weight),
    );
  });

  it('adds only the train part of the authored sentences, benign or both as asked', () => {
    const authored = authoredRows().filter((item) => item.source.startsWith('authored-'));
    const trainBenign = authored.filter((item) => item.split === 'train' && !item.toxic).length;
    const trainToxic = authored.filter((item) => item.split === 'train' && item.toxic).length;
    expect(trainBenign).toBeGreaterThan(0);
    expect(trainToxic).toBeGreaterThan(0);
    expect(authored.some((item) => item.split !== 'train')).toBe(true);
    expect(trainingExamples(pool, authored, RECIPES.baseline!)).toHaveLength(pool.length);
    expect(trainingExamples(pool, authored, RECIPES['authored-benign']!)).toHaveLength(
      pool.length + trainBenign,
    );
    expect(trainingExamples(pool, authored, RECIPES['authored-both']!)).toHaveLength(
      pool.length + trainBenign + trainToxic,
    );
  });

  it('adds the train part of the conversational turns, benign and toxic, only with a turns weight', () => {
    const authored = authoredRows();
    const turns = authored.filter((item) => item.source.startsWith('turns-'));
    const round3 = turns.filter((item) => item.source.startsWith('turns-r3-') && item.split === 'train');
    expect(round3.length).toBeGreaterThan(0);
    expect(trainingExamples(pool, turns, RECIPES['turns+r3-3-balanced']!)).toHaveLength(
      pool.length +
        turns.filter((item) => item.split === 'train' && !item.source.startsWith('turns-r5-')).length,
    );
    const trainTurns = turns.filter((item) => item.split === 'train' && !item.source.startsWith('turns-r'));
    expect(trainTurns.some((item) => item.toxic)).toBe(true);
    expect(trainTurns.some((item) => !item.toxic)).toBe(true);
    expect(turns.some((item) => item.split === 'validation')).toBe(true);
    expect(turns.some((item) => item.split === 'test')).toBe(true);
    expect(trainingExamples(pool, turns, RECIPES.baseline!)).toHaveLength(pool.length);
    const weighted = trainingExamples(pool, turns, RECIPES['turns-3']!);
    expect(weighted).toHaveLength(pool.length + trainTurns.length);
    const once = trainingExamples(pool, turns, RECIPES['turns-1']!);
    const last = weighted.length - 1;
    expect(weighted[last]!.weight).toBeCloseTo(once[last]!.weight! * 3, 12);
  });

  it('class-balances the turns when the recipe says so (round 2)', () => {
    // Rounds 1–2: the round-3 turns are trained only by the turns+r3 recipes.
    const turns = authoredRows().filter(
      (item) => item.source.startsWith('turns-') && !item.source.startsWith('turns-r'),
    );
    const trainTurns = turns.filter((item) => item.split === 'train');
    const examples = trainingExamples(pool, turns, RECIPES['turns-3-balanced']!).slice(pool.length);
    const total = (toxic: boolean) =>
      examples
        .filter((example) => example.toxic === toxic)
        .reduce((sum, example) => sum + example.weight!, 0);
    // Inside the English class balance a toxic row weighs (toxic count / benign count) less;
    // the turns' own balance multiplies it back by benign turns / toxic turns.
    const toxicTurns = trainTurns.filter((item) => item.toxic).length;
    const benignTurns = trainTurns.length - toxicTurns;
    expect(toxicTurns).toBeLessThan(benignTurns);
    const plain = trainingExamples(pool, turns, RECIPES['turns-3']!).slice(pool.length);
    const plainTotal = (toxic: boolean) =>
      plain.filter((example) => example.toxic === toxic).reduce((sum, example) => sum + example.weight!, 0);
    expect(total(true) / plainTotal(true)).toBeCloseTo(benignTurns / toxicTurns, 9);
    expect(total(false)).toBeCloseTo(plainTotal(false), 9);
  });

  it('keeps the conversational turns apart from the untrained check texts', () => {
    // Session-8 short and developer texts are never trained on: a turn that repeats one
    // (after text preparation, which is what the model sees) would make those checks blind.
    const checks = new Set(
      [
        ...shortBenignEnglish(),
        ...shortBenignChinese(),
        ...shortToxicEnglish(),
        ...shortToxicChinese(),
        ...devBenignTexts(),
        ...devToxicTexts(),
      ].map(prepareText),
    );
    const turns = [
      ...conversationalBenignEnglish(),
      ...conversationalToxicEnglish(),
      ...conversationalRound3Benign(),
      ...conversationalRound3Toxic(),
      ...conversationalRound5Chinese().benign,
      ...conversationalRound5Chinese().toxic,
    ].map(prepareText);
    expect(turns.filter((text) => checks.has(text))).toEqual([]);
    expect(new Set(turns).size).toBe(turns.length);
  });

  it('ships the baseline recipe (the study pick failed the ship rule)', () => {
    expect(SHIPPED_RECIPE).toBe(RECIPES.baseline);
  });

  // The tune sets live outside the repository (../shared/datasets or STACKOPS_DATASETS).
  it.skipIf(!existsSync(join(datasetsRoot(), 'toxicity-davidson')))(
    'retrains the committed model byte for byte from the committed script and split (needs ../shared/datasets)',
    () => {
      // --check exits non-zero when the retrained file differs from the committed one.
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/train-toxicity.ts', '--check'],
        {
          encoding: 'utf8',
        },
      );
      expect(output).toContain('byte-identical to the committed file');
    },
    120_000,
  );
});

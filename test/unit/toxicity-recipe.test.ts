import { describe, expect, it } from 'vitest';
import type { LabelledText } from '../../scripts/toxicity-datasets.js';
import {
  authoredRows,
  RECIPES,
  SHIPPED_RECIPE,
  technicalRows,
  trainingExamples,
} from '../../scripts/toxicity-recipe.js';

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
    const authored = authoredRows();
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

  it('adds technical windows inside the class balance, or on top of it (session 8)', () => {
    const technical = technicalRows().filter((item) => item.split === 'train').length;
    expect(technical).toBeGreaterThan(1000);
    const inside = trainingExamples(pool, [], RECIPES['technical-1']!);
    const onTop = trainingExamples(pool, [], RECIPES['words-latin3+technical-1-on-top']!);
    expect(inside).toHaveLength(pool.length + technical);
    expect(onTop).toHaveLength(pool.length + technical);
    // Inside: the English non-toxic class shares its weight with the technical rows, so the
    // Davidson benign row's share of it falls from a third to about 1 / technical.
    const baseline = trainingExamples(pool, [], RECIPES.baseline!);
    const share = (examples: typeof inside) =>
      examples[2]!.weight! /
      examples
        .filter(
          (example, index) => !example.toxic && (index >= pool.length || pool[index]!.language === 'en'),
        )
        .reduce((total, example) => total + example.weight!, 0);
    expect(share(baseline)).toBeGreaterThan(0.2);
    expect(share(inside)).toBeLessThan(2 / technical);
    expect(inside[pool.length]!.weight).toBe(inside[2]!.weight);
    // On top: the pool's rows keep their weights; a technical row weighs an English non-toxic one.
    expect(onTop.slice(0, pool.length).map((example) => example.weight)).toEqual(
      baseline.map((example) => example.weight),
    );
    expect(onTop[pool.length]!.weight).toBe(baseline[2]!.weight);
    expect(onTop[pool.length]!.toxic).toBe(false);
  });

  it('ships the baseline recipe (the study picks failed their ship rules)', () => {
    expect(SHIPPED_RECIPE).toBe(RECIPES.baseline);
  });
});

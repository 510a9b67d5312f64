/**
 * The toxicity model's per-language intercept (session 13, round 6, docs/guardrails-toxicity.md):
 * a model file may carry one intercept per language in place of the shared bias; the scorer
 * interpolates it by the window's CJK share like the thresholds, a file without it scores bit
 * for bit as before, and the trainer learns the two intercepts when asked (and only then).
 */
import { describe, expect, it } from 'vitest';
import {
  buildModelFile,
  classifyWithModel,
  DEFAULT_FEATURE_SETTINGS,
  encodeExamples,
  loadToxicityModel,
  type ToxicityModelFile,
  type TrainingExample,
  type TrainingOptions,
  trainLogistic,
} from '../../src/guard/toxicity/index.js';

const settings = { ...DEFAULT_FEATURE_SETTINGS, bits: 12 };

/** English mostly benign, Chinese mostly toxic: a shared bias cannot fit both priors. */
const examples: TrainingExample[] = [
  ...['have a nice day', 'the weather is lovely', 'thanks for the help', 'see you soon', 'good work'].map(
    (text) => ({ text, toxic: false }),
  ),
  { text: 'you are an idiot', toxic: true },
  ...['滚开你这个蠢货', '蠢货闭嘴', '你这个白痴', '去死吧你'].map((text) => ({ text, toxic: true })),
  { text: '谢谢你的帮助', toxic: false },
];

const options: TrainingOptions = {
  features: settings,
  epochs: 20,
  learningRate: 0.3,
  l2: 1e-5,
  seed: 7,
};

const withIntercepts = (intercepts: { en: number; zh: number }): ToxicityModelFile => ({
  ...buildModelFile(
    trainLogistic(encodeExamples(examples, settings), options),
    settings,
    { en: 0.5, zh: 0.5 },
    {},
  ),
  bias: intercepts.en,
  intercepts,
});

const rawLogit = (probability: number) => Math.log(probability / (1 - probability));

describe('per-language intercept: model file and scorer', () => {
  it('uses the English intercept for English, the Chinese one for Chinese, interpolated by CJK share', () => {
    const file = withIntercepts({ en: -1, zh: 2 });
    const model = loadToxicityModel(file);
    const sharedEnglish = loadToxicityModel({ ...file, intercepts: undefined, bias: -1 });
    const sharedChinese = loadToxicityModel({ ...file, intercepts: undefined, bias: 2 });
    const probability = (which: typeof model, text: string) =>
      classifyWithModel(which, text).windows[0]!.probability;
    expect(probability(model, 'have a nice day')).toBe(probability(sharedEnglish, 'have a nice day'));
    expect(probability(model, '蠢货闭嘴')).toBe(probability(sharedChinese, '蠢货闭嘴'));
    // A mixed window: the intercept moves with the share, like the thresholds.
    const mixed = classifyWithModel(model, 'ok 蠢货').windows[0]!;
    const mixedShared = classifyWithModel(sharedEnglish, 'ok 蠢货').windows[0]!;
    expect(mixed.cjkShare).toBeGreaterThan(0);
    expect(mixed.cjkShare).toBeLessThan(1);
    expect(rawLogit(mixed.probability) - rawLogit(mixedShared.probability)).toBeCloseTo(
      3 * mixed.cjkShare,
      9,
    );
  });

  it('scores a file without intercepts exactly as before (the bias alone)', () => {
    const file = withIntercepts({ en: 0.25, zh: 0.25 });
    const { intercepts: _unused, ...plain } = file;
    for (const text of ['have a nice day', '蠢货闭嘴', 'ok 蠢货'])
      expect(classifyWithModel(loadToxicityModel(file), text).score).toBe(
        classifyWithModel(loadToxicityModel(plain), text).score,
      );
  });

  it('rejects malformed intercepts', () => {
    const file = withIntercepts({ en: 0, zh: 0 });
    expect(() => loadToxicityModel({ ...file, intercepts: { en: 0 } })).toThrow(/intercepts/);
    expect(() => loadToxicityModel({ ...file, intercepts: { en: 0, zh: Number.NaN } })).toThrow(/intercepts/);
    expect(() => loadToxicityModel({ ...file, intercepts: 3 })).toThrow(/intercepts/);
  });
});

describe('per-language intercept: training', () => {
  const encoded = encodeExamples(examples, settings);

  it('learns one intercept per language when asked, each towards its language prior', () => {
    const trained = trainLogistic(encoded, { ...options, perLanguageIntercept: true });
    expect(trained.intercepts).toBeDefined();
    expect(trained.intercepts!.zh).toBeGreaterThan(trained.intercepts!.en);
    expect(trained.bias).toBe(trained.intercepts!.en);
    const file = buildModelFile(trained, settings, { en: 0.5, zh: 0.5 }, {});
    expect(file.intercepts).toEqual({ en: file.bias, zh: expect.any(Number) });
    expect(Object.keys(file).indexOf('intercepts')).toBe(Object.keys(file).indexOf('bias') + 1);
  });

  it('is deterministic, and without the option trains and writes exactly what it did before', () => {
    const first = trainLogistic(encoded, { ...options, perLanguageIntercept: true });
    const second = trainLogistic(encoded, { ...options, perLanguageIntercept: true });
    expect(first.intercepts).toEqual(second.intercepts);
    expect(Buffer.from(first.weights.buffer).equals(Buffer.from(second.weights.buffer))).toBe(true);
    const shared = trainLogistic(encoded, options);
    expect(shared.intercepts).toBeUndefined();
    expect(Object.keys(buildModelFile(shared, settings, { en: 0.5, zh: 0.5 }, {}))).not.toContain(
      'intercepts',
    );
    expect(trainLogistic(encoded, { ...options, perLanguageIntercept: false })).toEqual(shared);
  });
});

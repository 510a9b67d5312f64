/**
 * The toxicity scanner: obvious English and Chinese cases with the committed model, the
 * lexicon rule layer and its spans, windowing of long text, text preparation, the model file
 * checks, and determinism of training on a tiny synthetic set (same data and seed → the same
 * bytes; the result separates the classes).
 */
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/guard/scanner.js';
import {
  buildModelFile,
  classifyToxicity,
  classifyWithModel,
  createToxicityScanner,
  DEFAULT_FEATURE_SETTINGS,
  defaultToxicityModel,
  encodeExamples,
  loadToxicityModel,
  prepareText,
  splitWindows,
  type TrainingExample,
  type TrainingOptions,
  trainLogistic,
} from '../../src/guard/toxicity/index.js';

describe('committed model: obvious cases', () => {
  it.each([
    'You are a worthless piece of shit and everyone hates you',
    'shut up you stupid idiot',
    'fuck off you dumb bitch',
    '你就是个废物，脑残',
    '去死吧你这个贱人',
    '你妈的，滚蛋，垃圾东西',
  ])('flags %s', (text) => {
    expect(classifyToxicity(text).score).toBeGreaterThanOrEqual(0.7);
  });

  it.each([
    'Here is a Python function that sorts a list of numbers.',
    'Please summarise the attached document in three bullet points.',
    'Can you explain how photosynthesis works?',
    '今天天气很好，我们去公园散步吧。',
    '请把这份文件翻译成英文，谢谢。',
    '这本书写得非常好，推荐大家阅读。',
  ])('passes %s', (text) => {
    expect(classifyToxicity(text).score).toBeLessThan(0.4);
  });

  it('scores empty text 0 with no windows', () => {
    expect(classifyToxicity('')).toEqual({ score: 0, windows: [] });
  });
});

describe('committed model: short texts (evidence calibration, session 8)', () => {
  // The committed file without its calibration: the scorer of sessions 1–7.
  const { calibration, ...uncalibratedFile } = defaultToxicityModel().file;
  const uncalibrated = loadToxicityModel(uncalibratedFile);

  it('carries an evidence calibration', () => {
    expect(calibration).toEqual({ kind: 'evidence', k: 32, shift: { en: -0.3, zh: 0 } });
  });

  it.each([
    '😀 ok',
    '🙂',
    'OK!',
    'npm run build',
    'hello 👋',
    'no problem',
    'see you tomorrow',
    '1234',
    '好的，谢谢',
    '谢谢',
    '好的 👌',
  ])('passes the short benign text %s', (text) => {
    expect(classifyToxicity(text).score).toBeLessThan(0.45);
  });

  it.each(['😀 ok', '🙂', 'OK!', 'npm run build'])(
    'flagged %s before the calibration (the test above can fail)',
    (text) => {
      expect(classifyWithModel(uncalibrated, text).score).toBeGreaterThanOrEqual(0.5);
    },
  );

  it.each(['you are worthless garbage', 'get lost you pathetic moron', '傻逼', '你真是个傻逼'])(
    'still flags the short abusive text %s',
    (text) => {
      expect(classifyToxicity(text).score).toBeGreaterThanOrEqual(0.5);
    },
  );

  it('leaves long windows close to the uncalibrated score and moves short ones most', () => {
    const long =
      'Here is a detailed explanation of how the scheduler assigns work to each worker, with the ' +
      'queue sizes, the retry policy and the timeouts that apply when a worker stops responding.';
    const shift = (text: string) =>
      classifyWithModel(uncalibrated, text).score - classifyToxicity(text).score;
    expect(shift('OK!')).toBeGreaterThan(shift(long));
    expect(Math.abs(shift(long))).toBeLessThan(0.1);
  });

  it('rejects a malformed calibration and scores a file without one exactly as before', () => {
    expect(() =>
      loadToxicityModel({
        ...uncalibratedFile,
        calibration: { kind: 'evidence', k: 0, shift: { en: 0, zh: 0 } },
      }),
    ).toThrow(/calibration/);
    expect(() =>
      loadToxicityModel({
        ...uncalibratedFile,
        calibration: { kind: 'other', k: 8, shift: { en: 0, zh: 0 } },
      }),
    ).toThrow(/calibration/);
    expect(uncalibrated.evidenceK).toBe(0);
    // Without calibration the score is sigmoid(logit(p) − logit(threshold)) of the window.
    const [window] = classifyWithModel(uncalibrated, 'see you tomorrow').windows;
    const raw = Math.log(window!.probability / (1 - window!.probability));
    const offset = Math.log(uncalibratedFile.thresholds.en / (1 - uncalibratedFile.thresholds.en));
    expect(window!.score).toBeCloseTo(1 / (1 + Math.exp(-(raw - offset))), 9);
  });
});

describe('scanner', () => {
  const scanner = createToxicityScanner();
  const scan = (text: string) => scanner.scan(text, { stage: 'output' }) as ScanResult;

  it('is named toxicity and runs at input and output', () => {
    expect(scanner.name).toBe('toxicity');
    expect(scanner.stages).toEqual(['input', 'output']);
  });

  it('reports a slur as a rule finding at the span of the word, floored at 0.9', () => {
    const text = 'Honestly those people are just Chinks, all of them.';
    const result = scan(text);
    const slur = result.findings.find((finding) => finding.type === 'slur');
    expect(slur).toMatchObject({ scanner: 'toxicity', score: 0.9, value: 'Chinks' });
    expect(text.slice(slur!.start, slur!.end)).toBe('Chinks');
    expect(result.score).toBeGreaterThanOrEqual(0.9);
  });

  it('reports a Chinese threat phrase as a rule finding', () => {
    const result = scan('你再说一句试试，我弄死你');
    expect(result.findings.find((finding) => finding.type === 'threat')?.value).toBe('弄死你');
    expect(result.score).toBeGreaterThanOrEqual(0.85);
  });

  it('gives benign text no findings and score 0', () => {
    expect(scan('Here is a Python function that sorts a list of numbers.')).toEqual({
      scanner: 'toxicity',
      score: 0,
      findings: [],
    });
  });

  it('locates one abusive sentence inside a long polite answer by its window', () => {
    const polite = 'The deployment finished and every service reported healthy within the expected time. ';
    const abuse = 'Shut up you stupid worthless idiot, nobody asked you. ';
    const text = polite.repeat(8) + abuse + polite.repeat(8);
    const result = scan(text);
    expect(result.score).toBeGreaterThan(0.5);
    const window = result.findings.find((finding) => finding.type === 'toxicity' && finding.score > 0.5)!;
    expect(window.end - window.start).toBeLessThanOrEqual(240);
    expect(window.value).toContain('stupid worthless idiot');
  });
});

describe('one scanner, many texts', () => {
  it('gives each text what a fresh scanner gives it (no findings carried between scans)', () => {
    const texts = [
      'Shut up you stupid worthless idiot, nobody asked you. '.repeat(8),
      'The deployment finished without errors. Every service reported healthy. '.repeat(6),
      'fuck off you dumb bitch',
      'Logs are kept for thirty days.',
      `${'Metrics are kept for a year. '.repeat(10)}You are a worthless piece of shit.`,
    ];
    const scanner = createToxicityScanner();
    for (const stage of ['input', 'output'] as const) {
      for (const text of [...texts, ...texts.toReversed()]) {
        const result = scanner.scan(text, { stage });
        expect(result).toEqual(createToxicityScanner().scan(text, { stage }));
      }
    }
    expect((scanner.scan(texts[0]!, { stage: 'input' }) as ScanResult).findings.length).toBeGreaterThan(0);
    expect((scanner.scan(texts[1]!, { stage: 'input' }) as ScanResult).findings).toEqual([]);
  });
});

describe('streaming rescans', () => {
  it('give the same result as scanning each prefix afresh', () => {
    const scanner = createToxicityScanner();
    const stream = { stage: 'output' as const };
    const text =
      'The deployment finished without errors. Every service reported healthy. '.repeat(6) +
      'Shut up you stupid worthless idiot, nobody asked you. ' +
      'Logs are kept for thirty days. Metrics are kept for a year. '.repeat(6);
    for (let end = 20; end <= text.length + 20; end += 20) {
      const prefix = text.slice(0, end);
      expect(scanner.scan(prefix, stream)).toEqual(scanner.scan(prefix, { stage: 'output' }));
    }
  });
});

describe('text preparation and windows', () => {
  it.each([
    ['  Hello   WORLD!!!!  ', 'hello world!!'],
    ['RT @user_1: go to https://x.co/abc now', 'rt _user_ : go to _url_ now'],
    ['fuuuuuck 😂😂😂😂 ok', 'fuuck 😂😂 ok'],
    ['你好，　世界。。。。', '你好, 世界。。'],
    ['ＡＢＣ１２３', 'abc123'],
    ['email a@b.com', 'email a@b.com'],
  ])('prepares %j as %j', (input, expected) => {
    expect(prepareText(input)).toBe(expected);
  });

  it('cuts long text into contiguous windows of whole sentences', () => {
    const text = 'One sentence here. '.repeat(100);
    const windows = splitWindows(text, 200);
    expect(windows[0]![0]).toBe(0);
    expect(windows.at(-1)![1]).toBe(text.length);
    for (let index = 1; index < windows.length; index++)
      expect(windows[index]![0]).toBe(windows[index - 1]![1]);
    for (const [start, end] of windows) {
      expect(end - start).toBeLessThanOrEqual(200);
      expect(text.slice(start, end).endsWith('. ')).toBe(true);
    }
  });

  it('hard-cuts unspaced text that has no sentence end', () => {
    const windows = splitWindows('字'.repeat(1000), 300);
    expect(windows).toEqual([
      [0, 300],
      [300, 600],
      [600, 900],
      [900, 1000],
    ]);
  });
});

describe('model file', () => {
  it('rejects files that are not a toxicity model', () => {
    expect(() => loadToxicityModel({ format: 'other' })).toThrow(/unknown format/);
    expect(() =>
      loadToxicityModel({
        format: 'stackops-toxicity-logreg/1',
        features: { bits: 10, charMin: 2, charMax: 4 },
        bias: 0,
        quantization: { kind: 'mulaw-int8', maxAbs: 1, mu: 255 },
        thresholds: { en: 0.5, zh: 0.5 },
        training: {},
        weights: Buffer.alloc(8).toString('base64'),
      }),
    ).toThrow(/weight count/);
  });
});

describe('training on a tiny synthetic set', () => {
  const toxic = [
    'you are an idiot',
    'idiot loser go away',
    'what a stupid loser',
    '滚开你这个蠢货',
    '蠢货闭嘴',
  ];
  const benign = [
    'have a nice day',
    'the weather is lovely',
    'thanks for the help',
    '今天天气不错',
    '谢谢你的帮助',
  ];
  const examples: TrainingExample[] = [
    ...toxic.map((text) => ({ text, toxic: true })),
    ...benign.map((text) => ({ text, toxic: false })),
  ];
  const options: TrainingOptions = {
    features: { ...DEFAULT_FEATURE_SETTINGS, bits: 12 },
    epochs: 20,
    learningRate: 0.3,
    l2: 1e-5,
    seed: 7,
  };
  const train = (seed: number) =>
    trainLogistic(encodeExamples(examples, options.features), { ...options, seed });

  it('is deterministic: same data and seed give identical weights and identical model bytes', () => {
    const first = train(7);
    const second = train(7);
    expect(Buffer.from(first.weights.buffer).equals(Buffer.from(second.weights.buffer))).toBe(true);
    expect(first.bias).toBe(second.bias);
    const file = (weights: typeof first) =>
      JSON.stringify(buildModelFile(weights, options.features, { en: 0.5, zh: 0.5 }, { seed: 7 }));
    expect(file(first)).toBe(file(second));
  });

  it('depends on the seed (the example order changes the updates)', () => {
    expect(Buffer.from(train(7).weights.buffer).equals(Buffer.from(train(8).weights.buffer))).toBe(false);
  });

  it('separates the classes after quantisation', () => {
    const model = loadToxicityModel(buildModelFile(train(7), options.features, { en: 0.5, zh: 0.5 }, {}));
    const score = (text: string) => classifyToxicity(text, { model }).score;
    for (const text of toxic) expect(score(text)).toBeGreaterThan(0.5);
    for (const text of benign) expect(score(text)).toBeLessThan(0.5);
  });
});

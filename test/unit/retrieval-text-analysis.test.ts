import { describe, expect, it } from 'vitest';
import {
  analyzeText,
  createTextAnalyzer,
  defaultTextAnalyzer,
  ENGLISH_STOPWORDS,
} from '../../src/knowledge/retrieval/index.js';

describe('analyzeText', () => {
  const cases: Array<[string, string, string[]]> = [
    ['stems and drops stopwords', 'The running dogs are barking', ['run', 'dog', 'bark']],
    ['conflates inflections', 'Connections CONNECTED connecting', ['connect', 'connect', 'connect']],
    ['drops a sentence of stopwords', 'to be or not to be', []],
    ['keeps digits and alphanumerics', 'GPT-4 in 2024, h2o', ['gpt', '4', '2024', 'h2o']],
    ['splits on punctuation', "o'neil's e-mail: x@y.org", ['neil', 'mail', 'org']],
    ['NFKC folds full-width letters and ligatures', 'ＲＥＦＵＮＤ ﬁles', ['refund', 'file']],
    ['leaves non-ASCII Latin words unstemmed', 'Cafés', ['cafés']],
    ['bigrams a Chinese run', '机器学习', ['机器', '器学', '学习']],
    ['keeps a lone Han character as a unigram', '猫', ['猫']],
    ['splits mixed Chinese and English at script changes', '我爱Python编程', ['我爱', 'python', '编程']],
    ['separates runs at punctuation', '退款政策，七天', ['退款', '款政', '政策', '七天']],
    ['bigrams Japanese kana', 'カタカナ', ['カタ', 'タカ', 'カナ']],
    ['bigrams Hangul', '한국어', ['한국', '국어']],
    ['keeps Cyrillic words whole', 'Привет мир', ['привет', 'мир']],
    ['handles empty text', '', []],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(analyzeText(text)).toEqual(expected);
  });

  it('is words() mapped through termOf()', () => {
    const text = 'Mixed 文本 with STOP words and stemming 机器学习';
    const viaParts = defaultTextAnalyzer
      .words(text)
      .map((word) => defaultTextAnalyzer.termOf(word))
      .filter((term): term is string => term !== null);
    expect(defaultTextAnalyzer.analyze(text)).toEqual(viaParts);
  });

  it('uses the Terrier stopword list', () => {
    expect(ENGLISH_STOPWORDS.size).toBe(725);
    for (const word of ['the', 'and', 'of', 'whereupon']) expect(ENGLISH_STOPWORDS.has(word)).toBe(true);
    expect(ENGLISH_STOPWORDS.has('refund')).toBe(false);
  });

  it('can skip stemming and stopwords', () => {
    const analyzer = createTextAnalyzer({ stem: false, stopwords: new Set() });
    expect(analyzer.analyze('The running dogs')).toEqual(['the', 'running', 'dogs']);
  });

  it('drops tokens longer than maxTokenLength', () => {
    const analyzer = createTextAnalyzer({ maxTokenLength: 8 });
    expect(analyzer.analyze('short aaaaaaaaaaaaaaaa')).toEqual(['short']);
  });
});

/**
 * Loaders for the MEASURE-ONLY sets of the injection benchmark. Nothing here is ever read by
 * training (scripts/train-injection.ts imports only scripts/injection-data.ts); these sets
 * are scored, never tuned on. The pairing of attack and benign sets per language is fixed
 * here and documented in docs/guardrails-injection.md.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsRoot, parseCsv } from '../scripts/injection-data.js';

export type MeasureLanguage = 'en' | 'zh' | 'xx';

export interface MeasureSet {
  name: string;
  language: MeasureLanguage;
  /** 1 = every row is an attack (recall), 0 = every row is benign (false-positive rate). */
  label: 0 | 1;
  stage: 'input' | 'context';
  /** Counted in the per-language balanced accuracy (false for sets reported on their own). */
  paired: boolean;
  texts: string[];
  /**
   * The system prompt each text was written against (CyberSecEval's `test_case_prompt`),
   * aligned with `texts`; absent for sets that have none.
   */
  systemPrompts?: string[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(datasetsRoot(), path), 'utf8'));
}

function readJsonLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(join(datasetsRoot(), path), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const HAS_CJK = /[\u3400-\u9fff]/;

/** All measure-only sets, in a fixed order. */
export function loadMeasureSets(): MeasureSet[] {
  const sets: MeasureSet[] = [];
  const add = (set: Omit<MeasureSet, 'texts' | 'systemPrompts'>, texts: string[]): void => {
    sets.push({ ...set, texts: texts.filter((value) => value.trim() !== '') });
  };
  const addWithSystem = (
    set: Omit<MeasureSet, 'texts' | 'systemPrompts'>,
    rows: Array<Record<string, unknown>>,
  ): void => {
    const kept = rows.filter((row) => text(row.user_input).trim() !== '');
    sets.push({
      ...set,
      texts: kept.map((row) => text(row.user_input)),
      systemPrompts: kept.map((row) => text(row.test_case_prompt)),
    });
  };
  // English attacks.
  const cyberEnglish = readJson('prompt-injection-cyberseceval/prompt_injection.json') as Array<
    Record<string, unknown>
  >;
  addWithSystem(
    { name: 'cyberseceval-en', language: 'en', label: 1, stage: 'input', paired: true },
    cyberEnglish,
  );
  const jbbFiles = [
    'PAIR/black_box/gpt-4-0125-preview.json',
    'PAIR/black_box/gpt-3.5-turbo-1106.json',
    'PAIR/black_box/vicuna-13b-v1.5.json',
    'PAIR/black_box/llama-2-7b-chat-hf.json',
    'GCG/transfer/gpt-3.5-turbo-1106.json',
    'GCG/transfer/gpt-4-0125-preview.json',
    'JBC/manual/gpt-4-0125-preview.json',
    'prompt_with_random_search/black_box/gpt-4-0125-preview.json',
  ];
  const jbb = (method: string): string[] =>
    jbbFiles
      .filter((file) => file.startsWith(method))
      .flatMap((file) => {
        const parsed = readJson(`jailbreakbench-artifacts/${file}`) as {
          jailbreaks: Array<Record<string, unknown>>;
        };
        return parsed.jailbreaks.map((row) => text(row.prompt));
      });
  for (const method of ['PAIR', 'GCG', 'JBC', 'prompt_with_random_search']) {
    add(
      { name: `jbb-${method.toLowerCase()}`, language: 'en', label: 1, stage: 'input', paired: true },
      jbb(method),
    );
  }
  const valid = readJson('notinject-injecguard/valid.json') as Array<Record<string, unknown>>;
  add(
    { name: 'injecguard-valid-attack', language: 'en', label: 1, stage: 'input', paired: true },
    valid.filter((row) => String(row.label) === '1').map((row) => text(row.prompt)),
  );
  // English benign.
  const notInject = ['one', 'two', 'three'].flatMap(
    (part) => readJson(`notinject-injecguard/NotInject_${part}.json`) as Array<Record<string, unknown>>,
  );
  const notInjectTexts = notInject.map((row) => text(row.prompt));
  add(
    { name: 'notinject-en', language: 'en', label: 0, stage: 'input', paired: true },
    notInjectTexts.filter((prompt) => !HAS_CJK.test(prompt)),
  );
  const wildguard = readJson('notinject-injecguard/wildguard.json') as Array<Record<string, unknown>>;
  add(
    { name: 'wildguard-benign', language: 'en', label: 0, stage: 'input', paired: true },
    wildguard.map((row) => text(row.prompt)),
  );
  const xstest = parseCsv(readFileSync(join(datasetsRoot(), 'xstest/xstest_prompts.csv'), 'utf8'));
  const [header, ...rows] = xstest;
  const promptColumn = header?.indexOf('prompt') ?? 1;
  const labelColumn = header?.indexOf('label') ?? 3;
  add(
    { name: 'xstest-safe', language: 'en', label: 0, stage: 'input', paired: true },
    rows.filter((row) => row[labelColumn] === 'safe').map((row) => row[promptColumn] ?? ''),
  );
  add(
    { name: 'injecguard-valid-benign', language: 'en', label: 0, stage: 'input', paired: true },
    valid.filter((row) => String(row.label) === '0').map((row) => text(row.prompt)),
  );
  // Harmful but not an injection: reported alone (a harm classifier's job, not ours).
  add(
    { name: 'xstest-unsafe', language: 'en', label: 1, stage: 'input', paired: false },
    rows.filter((row) => row[labelColumn] === 'unsafe').map((row) => row[promptColumn] ?? ''),
  );
  // Chinese.
  const multilingual = readJson(
    'prompt-injection-cyberseceval/prompt_injection_multilingual_machine_translated.json',
  ) as Array<Record<string, unknown>>;
  addWithSystem(
    { name: 'cyberseceval-zh', language: 'zh', label: 1, stage: 'input', paired: true },
    multilingual.filter((row) => row.speaking_language === 'Chinese'),
  );
  add(
    { name: 'notinject-zh', language: 'zh', label: 0, stage: 'input', paired: true },
    notInjectTexts.filter((prompt) => HAS_CJK.test(prompt)),
  );
  // Other languages: attacks only (no measure-only benign set exists for them).
  add(
    { name: 'cyberseceval-multilingual', language: 'xx', label: 1, stage: 'input', paired: false },
    multilingual.filter((row) => row.speaking_language !== 'Chinese').map((row) => text(row.user_input)),
  );
  // Indirect injection (context stage): BIPIA test attacks placed in BIPIA test contexts.
  const bipia = bipiaIndirect();
  add(
    { name: 'bipia-test-injected', language: 'en', label: 1, stage: 'context', paired: false },
    bipia.injected,
  );
  add({ name: 'bipia-test-clean', language: 'en', label: 0, stage: 'context', paired: false }, bipia.clean);
  return sets;
}

/** Per-language cyberseceval multilingual attacks (for the per-language recall table). */
export function multilingualByLanguage(): Map<string, string[]> {
  const rows = readJson(
    'prompt-injection-cyberseceval/prompt_injection_multilingual_machine_translated.json',
  ) as Array<Record<string, unknown>>;
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const language = text(row.speaking_language);
    out.set(language, [...(out.get(language) ?? []), text(row.user_input)]);
  }
  return out;
}

/**
 * BIPIA's construction: an attack inserted at the start, middle or end of a clean context.
 * Context i (email, table: text attacks; code: code attacks) gets attack i mod n and position
 * i mod 3; the untouched contexts are the negatives.
 */
export function bipiaIndirect(): { injected: string[]; clean: string[] } {
  const textAttacks = Object.values(
    readJson('indirect-injection-bipia/text_attack_test.json') as Record<string, string[]>,
  ).flat();
  const codeAttacks = Object.values(
    readJson('indirect-injection-bipia/code_attack_test.json') as Record<string, string[]>,
  ).flat();
  const injected: string[] = [];
  const clean: string[] = [];
  const contexts: Array<[string, string[]]> = [
    ['email_test.jsonl', textAttacks],
    ['table_test.jsonl', textAttacks],
    ['code_test.jsonl', codeAttacks],
  ];
  for (const [file, attacks] of contexts) {
    readJsonLines(`indirect-injection-bipia/${file}`).forEach((row, index) => {
      const context = Array.isArray(row.context) ? row.context.map(text).join('\n') : text(row.context);
      const attack = attacks[index % attacks.length] ?? '';
      clean.push(context);
      const middle = context.indexOf('\n', Math.floor(context.length / 2));
      const cut = middle < 0 ? Math.floor(context.length / 2) : middle + 1;
      if (index % 3 === 0) injected.push(`${attack}\n${context}`);
      else if (index % 3 === 1) injected.push(`${context.slice(0, cut)}${attack}\n${context.slice(cut)}`);
      else injected.push(`${context}\n${attack}`);
    });
  }
  return { injected, clean };
}

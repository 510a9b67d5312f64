/**
 * Built-in scanners by name, built once per distinct options and shared (building a model or
 * an Aho–Corasick automaton is not per-request work).
 */
import { canonicalJson, type GuardStageName, ValidationError } from '../../core/index.js';
import { createInjectionScanner } from '../injection/index.js';
import {
  createAnomalyScanner,
  createLeakScanner,
  createRefusalScanner,
  createRepetitionScanner,
} from '../output/index.js';
import { createPiiScanner } from '../pii/index.js';
import { createRemoteModelScanner } from '../remote/index.js';
import type { Scanner } from '../scanner.js';
import { createToxicityScanner } from '../toxicity/index.js';
import { createSensitiveWordsScanner } from '../words/index.js';

type Factory = (options: Record<string, unknown>) => Scanner;

function requireTerms(options: Record<string, unknown>): Array<string | { term: string; category?: string }> {
  const terms = options.terms;
  if (!Array.isArray(terms) || terms.length === 0) {
    throw new ValidationError('the words scanner needs options.terms: a non-empty list of terms');
  }
  return terms as Array<string | { term: string; category?: string }>;
}

const FACTORIES: Record<string, Factory> = {
  injection: () => createInjectionScanner(),
  pii: () => createPiiScanner(),
  toxicity: () => createToxicityScanner(),
  leak: () => createLeakScanner(),
  repetition: () => createRepetitionScanner(),
  refusal: () => createRefusalScanner(),
  anomaly: () => createAnomalyScanner(),
  words: (options) => createSensitiveWordsScanner({ name: 'words', terms: requireTerms(options) }),
  remote: (options) =>
    createRemoteModelScanner(options as unknown as Parameters<typeof createRemoteModelScanner>[0]),
};

export const BUILT_IN_SCANNERS = Object.keys(FACTORIES);

/** Scanners in the default policy (all built-ins that need no configuration). */
export const DEFAULT_SCANNERS = ['injection', 'pii', 'toxicity', 'leak', 'repetition', 'refusal', 'anomaly'];

export class ScannerRegistry {
  private readonly built = new Map<string, Scanner>();

  get(name: string, options: Record<string, unknown> = {}, stage?: GuardStageName): Scanner {
    const factory = FACTORIES[name];
    if (!factory) {
      throw new ValidationError(`Unknown scanner "${name}" (built in: ${BUILT_IN_SCANNERS.join(', ')})`, {
        param: 'scanner',
      });
    }
    const key = `${name}\u0000${canonicalJson(options)}`;
    let scanner = this.built.get(key);
    if (!scanner) {
      scanner = factory(options);
      this.built.set(key, scanner);
    }
    if (stage && !scanner.stages.includes(stage)) {
      throw new ValidationError(
        `The ${name} scanner does not run at the ${stage} stage (it runs at: ${scanner.stages.join(', ')})`,
        {
          param: 'stage',
        },
      );
    }
    return scanner;
  }
}

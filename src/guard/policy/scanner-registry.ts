/**
 * Built-in scanners by name, built once per distinct options and shared (building a model or
 * an Aho–Corasick automaton is not per-request work).
 */
import { canonicalJson, type GuardStageName, ValidationError } from '../../core/index.js';
import { createExfiltrationScanner, exfiltrationOptions } from '../exfiltration/index.js';
import { createInjectionScanner } from '../injection/index.js';
import {
  createAnomalyScanner,
  createLeakScanner,
  createRefusalScanner,
  createRepetitionScanner,
} from '../output/index.js';
import { createPiiScanner } from '../pii/index.js';
import { createRegexScanner, type RegexPattern } from '../regex/index.js';
import { createRemoteModelScanner } from '../remote/index.js';
import type { Scanner } from '../scanner.js';
import { createToxicityScanner } from '../toxicity/index.js';
import { createSensitiveWordsScanner } from '../words/index.js';

export interface ScannerRegistrySettings {
  /** Base URLs a policy's remote scanner may call (the config's guard.remote_endpoints); absent: any. */
  remoteEndpoints?: readonly string[];
}

type Factory = (options: Record<string, unknown>, settings: ScannerRegistrySettings) => Scanner;

function requireTerms(options: Record<string, unknown>): Array<string | { term: string; category?: string }> {
  const terms = options.terms;
  if (!Array.isArray(terms) || terms.length === 0) {
    throw new ValidationError('the words scanner needs options.terms: a non-empty list of terms');
  }
  // Anything else reached the automaton and failed there as a 500.
  terms.forEach((entry, index) => {
    const isTerm =
      typeof entry === 'string' ||
      (typeof entry === 'object' && entry !== null && typeof (entry as { term?: unknown }).term === 'string');
    if (!isTerm)
      throw new ValidationError(
        `options.terms[${index}]: a term is a string or {term: "…", category?, wholeWord?, score?}`,
        { param: `options.terms[${index}]` },
      );
  });
  return terms as Array<string | { term: string; category?: string }>;
}

const TERM_FIELDS = ['term', 'category', 'wholeWord', 'score'];
const CATEGORY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * The words scanner's options as a policy is created (push time only: the factory above stays
 * as lenient as it was, so a policy stored before this check still compiles): only `terms`; no
 * blank term; a term object's fields are `term`, `category` (a type name such as CONFIDENTIAL,
 * also the redaction placeholder), `wholeWord` (boolean) and `score` (0–1]. A misspelt field
 * (`wholeword`, `categroy`) was silently ignored, which changes what the rule matches.
 */
export function validateWordsOptions(options: Record<string, unknown>): void {
  for (const key of Object.keys(options)) {
    if (key !== 'terms')
      throw new ValidationError(`Unknown option "${key}" for the words scanner (it takes: terms)`, {
        param: `options.${key}`,
      });
  }
  const terms = requireTerms(options);
  terms.forEach((entry, index) => {
    const where = `options.terms[${index}]`;
    const fail = (message: string): never => {
      throw new ValidationError(`${where}: ${message}`, { param: where });
    };
    if (typeof entry === 'string') {
      if (entry.trim() === '') fail('a term must not be blank');
      return;
    }
    const term = entry as unknown as Record<string, unknown>;
    for (const key of Object.keys(term))
      if (!TERM_FIELDS.includes(key))
        fail(`unknown field "${key}" (a term takes: ${TERM_FIELDS.join(', ')})`);
    if ((term.term as string).trim() === '') fail('a term must not be blank');
    if (term.category !== undefined && (typeof term.category !== 'string' || !CATEGORY.test(term.category)))
      fail('category is a type name: a letter, then letters, digits or _ (e.g. CONFIDENTIAL)');
    if (term.wholeWord !== undefined && typeof term.wholeWord !== 'boolean')
      fail('wholeWord is true or false');
    if (term.score !== undefined && (typeof term.score !== 'number' || !(term.score > 0) || term.score > 1))
      fail('score is a number in (0, 1]');
  });
}

/**
 * The injection scanner's switches a policy rule may set (`options: { disguisedHarm: false }`).
 * `personaFrame: false` withdraws the persona-frame discount (injection/persona-frame.ts).
 */
const INJECTION_SWITCHES = [
  'suffix',
  'systemPrompt',
  'contextSentences',
  'disguisedHarm',
  'personaFrame',
] as const;
type InjectionPolicyOptions = Partial<
  Record<Exclude<(typeof INJECTION_SWITCHES)[number], 'personaFrame'>, boolean>
> & {
  minScore?: number;
  personaDiscount?: number;
};

/**
 * The injection scanner's options from a policy rule: the five switches, and `minScore` (the
 * weakest window reported as a finding, default 0.2) — lowered, it lets a `when` condition
 * escalate faint signals to a guard model; the rule's threshold still decides the action.
 */
function injectionOptions(options: Record<string, unknown>): InjectionPolicyOptions {
  const picked: InjectionPolicyOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'minScore') {
      if (typeof value !== 'number' || !(value > 0) || value > 1) {
        throw new ValidationError('The injection scanner\'s option "minScore" must be a number in (0, 1]', {
          param: 'options.minScore',
        });
      }
      picked.minScore = value;
      continue;
    }
    if (!(INJECTION_SWITCHES as readonly string[]).includes(key)) {
      throw new ValidationError(
        `Unknown option "${key}" for the injection scanner (it takes: ${INJECTION_SWITCHES.join(', ')}, minScore)`,
        { param: `options.${key}` },
      );
    }
    if (typeof value !== 'boolean') {
      throw new ValidationError(`The injection scanner's option "${key}" must be true or false`, {
        param: `options.${key}`,
      });
    }
    if (key === 'personaFrame') {
      if (!value) picked.personaDiscount = 0;
      continue;
    }
    picked[key as Exclude<(typeof INJECTION_SWITCHES)[number], 'personaFrame'>] = value;
  }
  return picked;
}

/** The environment variables a policy may read a guard model's key from. */
const GUARD_KEY_ENV = /^STACKOPS_GUARD_[A-Z0-9_]{1,64}$/;

/** What a policy rule may set on the remote scanner (`fetch` is for tests, not policies). */
const REMOTE_OPTIONS = [
  'kind',
  'baseUrl',
  'model',
  'apiKeyEnv',
  'apiKey',
  'timeoutMs',
  'failMode',
  'stage',
  'maxChars',
  'streamChunkChars',
  'streamContextChars',
  'streamFirstChunkChars',
  'name',
] as const;

/**
 * The remote scanner's options from a policy rule. An unknown key is refused rather than
 * ignored: `fail_mode: closed` silently read as the default "open" would let requests through
 * whenever the guard model is down. `apiKeyEnv` names an environment variable read when the
 * policy is compiled, so the key itself is never stored with the policy version. Only variables
 * named `STACKOPS_GUARD_…` may be read: policies are written by project developers, and the
 * key is sent to the endpoint they choose — any other variable of the server's environment
 * (the database URL, a provider's key) could otherwise be sent anywhere.
 */
function remoteOptions(
  options: Record<string, unknown>,
  endpoints: readonly string[] | undefined,
): Parameters<typeof createRemoteModelScanner>[0] {
  for (const key of Object.keys(options)) {
    if (!(REMOTE_OPTIONS as readonly string[]).includes(key)) {
      throw new ValidationError(
        `Unknown option "${key}" for the remote scanner (it takes: ${REMOTE_OPTIONS.join(', ')})`,
        { param: `options.${key}` },
      );
    }
  }
  if (endpoints && !endpointAllowed(options.baseUrl, endpoints)) {
    throw new ValidationError(
      `options.baseUrl ${JSON.stringify(options.baseUrl)} is not one of this server's guard endpoints (guard.remote_endpoints in its config: ${endpoints.join(', ')})`,
      { param: 'options.baseUrl' },
    );
  }
  const { apiKeyEnv, ...rest } = options;
  if (apiKeyEnv === undefined) return rest as unknown as Parameters<typeof createRemoteModelScanner>[0];
  if (typeof apiKeyEnv !== 'string' || !GUARD_KEY_ENV.test(apiKeyEnv) || rest.apiKey !== undefined) {
    throw new ValidationError(
      'apiKeyEnv must name an environment variable STACKOPS_GUARD_<NAME> (only those are readable by policies), and then apiKey is not set',
      { param: 'options.apiKeyEnv' },
    );
  }
  const apiKey = process.env[apiKeyEnv];
  if (!apiKey) {
    throw new ValidationError(`the environment variable ${apiKeyEnv} (options.apiKeyEnv) is not set`, {
      param: 'options.apiKeyEnv',
    });
  }
  return { ...rest, apiKey } as unknown as Parameters<typeof createRemoteModelScanner>[0];
}

/**
 * Whether `baseUrl` lies under one of the operator's endpoints: same scheme, host and port, and
 * a path that is the endpoint's or below it (`/v1` allows `/v1` and `/v1/guard`, not `/v10`).
 */
function endpointAllowed(baseUrl: unknown, endpoints: readonly string[]): boolean {
  if (typeof baseUrl !== 'string') return false;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const path = url.pathname.replace(/(?<!\/)\/+$/, '');
  return endpoints.some((endpoint) => {
    const allowed = new URL(endpoint);
    const prefix = allowed.pathname.replace(/(?<!\/)\/+$/, '');
    return (
      allowed.origin === url.origin &&
      url.username === '' &&
      (path === prefix || path.startsWith(`${prefix}/`))
    );
  });
}

/** A scanner that takes no options: any option is a mistake worth saying, not ignoring. */
function withoutOptions(name: string, create: () => Scanner): Factory {
  return (options) => {
    const keys = Object.keys(options);
    if (keys.length > 0) {
      throw new ValidationError(`The ${name} scanner takes no options (got: ${keys.join(', ')})`, {
        param: `options.${keys[0]}`,
      });
    }
    return create();
  };
}

const FACTORIES: Record<string, Factory> = {
  injection: (options) => createInjectionScanner(injectionOptions(options)),
  pii: withoutOptions('pii', createPiiScanner),
  toxicity: withoutOptions('toxicity', createToxicityScanner),
  leak: withoutOptions('leak', createLeakScanner),
  repetition: withoutOptions('repetition', createRepetitionScanner),
  refusal: withoutOptions('refusal', createRefusalScanner),
  anomaly: withoutOptions('anomaly', createAnomalyScanner),
  exfiltration: (options) => createExfiltrationScanner(exfiltrationOptions(options)),
  words: (options) => createSensitiveWordsScanner({ name: 'words', terms: requireTerms(options) }),
  regex: (options) => {
    const unknown = Object.keys(options).filter((key) => key !== 'patterns');
    if (unknown.length > 0) {
      throw new ValidationError(`Unknown option "${unknown[0]}" for the regex scanner (it takes: patterns)`, {
        param: `options.${unknown[0]}`,
      });
    }
    return createRegexScanner({ name: 'regex', patterns: options.patterns as RegexPattern[] });
  },
  remote: (options, settings) => createRemoteModelScanner(remoteOptions(options, settings.remoteEndpoints)),
};

export const BUILT_IN_SCANNERS = Object.keys(FACTORIES);

/** Scanners in the default policy (all built-ins that need no configuration). */
export const DEFAULT_SCANNERS = [
  'injection',
  'pii',
  'toxicity',
  'leak',
  'repetition',
  'refusal',
  'anomaly',
  'exfiltration',
];

/** The most scanners kept for sharing (see ScannerRegistry). */
export const MAX_SHARED_SCANNERS = 1024;

export class ScannerRegistry {
  private readonly built = new Map<string, Scanner>();

  constructor(private readonly settings: ScannerRegistrySettings = {}) {}

  /** Scanners kept for sharing. */
  get size(): number {
    return this.built.size;
  }

  get(name: string, options: Record<string, unknown> = {}, stage?: GuardStageName): Scanner {
    // Own keys only: `constructor` or `toString` is no scanner (a 400, not a prototype lookup).
    const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
    if (!factory) {
      throw new ValidationError(`Unknown scanner "${name}" (built in: ${BUILT_IN_SCANNERS.join(', ')})`, {
        param: 'scanner',
      });
    }
    const key = `${name}\u0000${canonicalJson(options)}`;
    let scanner = this.built.get(key);
    if (scanner) {
      // Most recently used last: what the pinned policies use stays shared.
      this.built.delete(key);
    } else {
      scanner = factory(options, this.settings);
      // Every policy checked builds its scanners, a refused one too, and a words or regex
      // rule's options are as many as its lists: keep a bounded number. A compiled policy
      // holds its own scanners, so one dropped here only stops being shared.
      if (this.built.size >= MAX_SHARED_SCANNERS) this.built.delete(this.built.keys().next().value!);
    }
    this.built.set(key, scanner);
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

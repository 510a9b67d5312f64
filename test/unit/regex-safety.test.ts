/**
 * No regular expression in `src/` can be made to backtrack catastrophically (ReDoS), checked by
 * recheck (npm `recheck`, "the trustworthy ReDoS checker": automata theory where the pattern
 * allows it, fuzzing with static seeding where it does not — lookarounds, backreferences, large
 * patterns). Every guarded request runs hundreds of these over attacker-controlled text; one
 * of them (`\S+@\S+\.\w+` in the anomaly scanner) once cost 10.8 s of CPU on a 4 KB message.
 *
 * What is checked: every regular expression literal in `src/**` (found with the TypeScript
 * compiler API, so new rules are picked up without a list), and every pattern built at run
 * time by `new RegExp(…)`/`RegExp(…)`: those call sites are found in the same syntax tree and
 * their patterns recorded while their modules are imported (test/helpers/regex-inventory.ts).
 * A site that builds nothing on import must be in NOT_BUILT_ON_IMPORT with the reason it is
 * safe and, where possible, an `exercise` that makes it build representative patterns, which
 * are then checked too.
 *
 * The test fails on a pattern recheck calls `vulnerable` unless it is in BOUNDED: a reviewed
 * entry whose input is bounded by construction (the reason says where; it was read in the
 * code). It fails on an `unknown` (the checker gave up) unless it is in REVIEWED_UNKNOWN with a
 * hand review. LEFT_OPEN (empty now) would list known super-linear patterns not fixed yet.
 * Entries that no longer match a pattern fail too, so the lists stay short and true.
 * It is not a timed test: recheck runs with step limits instead of its wall-clock timeouts, and a
 * fixed seed, so its answers do not depend on the machine's load.
 *
 * The attack strings and their cost before and after each fix: `node --import tsx
 * bench/regex-attacks.ts`; the fixes are proved equal to the old patterns in
 * test/unit/regex-rewrites.test.ts. docs/guardrails.md, "Regular expressions and ReDoS".
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, type Diagnostics, type Parameters } from 'recheck';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Inventory,
  type Pattern,
  recordConstructed,
  repositoryRoot,
  scanSources,
} from '../helpers/regex-inventory.js';
import { builtRewrites, REWRITES } from '../helpers/regex-rewrites.js';

// The native agent (npm `recheck-linux-x64` and siblings, an optional dependency) is ~20× faster
// than the Scala.js build; 'native' fails loudly instead of silently falling back to it.
process.env.RECHECK_BACKEND ??= 'native';

/**
 * The fuzzer's effort is bounded by counts, not time, and seeded, so an answer does not depend
 * on the machine's load: the attack confirms a super-linear pattern when matching a
 * ≤ 10,000-character string takes over 2·10⁷ steps (≥ 2,000 steps per character; a linear
 * pattern takes tens). Only the whole check of one pattern keeps a wall-clock limit, 10 s, as
 * a safety net: without it the automaton analysis of a few counted repetitions runs for
 * minutes. Those end `unknown` and are reviewed below (they take 10 s each, hence the cache).
 */
const RECHECK_PARAMETERS: Parameters = {
  randomSeed: 0,
  timeout: 10_000,
  attackTimeout: null,
  incubationTimeout: null,
  seedingTimeout: null,
  attackLimit: 20_000_000,
  maxAttackStringSize: 10_000,
  incubationLimit: 5_000,
  maxIteration: 3,
  maxInitialGenerationSize: 100,
  maxGenerationSize: 50,
  crossoverSize: 10,
  mutationSize: 20,
};

interface Reviewed {
  file: string;
  source: string;
  reason: string;
}

/**
 * Vulnerable in general, harmless here because the text they run on is bounded by
 * construction. Each reason names the bound; each was checked in the code.
 */
const BOUNDED: Reviewed[] = [
  {
    file: 'src/guard/pii/phone-cues.ts',
    source: String.raw`(?:(?:\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|call|calling|contact|whatsapp|sms|text me|dial|ph|mob|hotline)\b|电话|電話|手机|手機|联系|聯繫|致电|热线|座机|传真))\.?\s*(?:no\.?|number|#)?\s*[:：#]?\s*$`,
    reason:
      'CUE_RIGHT_BEFORE runs only on `before` in phoneCued: text.slice(start - 32, start), cut further after its last digit — at most 32 characters.',
  },
  {
    file: 'src/guard/normalize/payloads-more.ts',
    source: '=+$',
    reason:
      'decodeBase32 strips the padding of a BASE32_RUN match, /\\b[A-Z2-7]{16,}={0,6}/g: at most 6 "=", all at the end.',
  },
  {
    file: 'src/guard/normalize/payloads-more.ts',
    source: String.raw`\s*[/|]\s*| {3}`,
    reason:
      "decodeMorse splits a MORSE_RUN match, where every run of blanks is either at most 3 spaces or touches a / or | (the run's separators are ` {1,3}` or `s*[/|]s*`): an attempt that scans a long run ends at the / or | and its match consumes the run, so the split is linear.",
  },
  {
    file: 'src/cli/output.ts',
    source: String.raw`\.?0+$`,
    reason: 'formatCost runs it on cost.toFixed(6) of a finite cost: at most 28 characters.',
  },
  {
    file: 'src/cli/kb-commands.ts',
    source: String.raw`(\.\d*?)0+$`,
    reason: 'It runs on score.toPrecision(4) of a finite score: at most 11 characters ("-1.234e-100").',
  },
];

/**
 * recheck gave up (`unknown`, its 10 s limit); reviewed by hand, and measured linear on the
 * shapes that would hurt in bench/regex-attacks.ts ("reviewed unknown").
 */
const REVIEWED_UNKNOWN: Reviewed[] = [
  {
    file: 'src/guard/normalize/payloads-more.ts',
    source: '(?:[01]{8}[ ,]?){6,}',
    reason:
      'Fixed-width groups of 8 bits and at most one separator: from a start position there is one way to match each group, so an attempt costs at most its match; a match is consumed (g).',
  },
  {
    file: 'src/guard/normalize/payloads-more.ts',
    source: String.raw`(?:[.\-·•]{1,7}(?: {1,3}|\s*[/|]\s*)){5,}[.\-·•]{1,7}`,
    reason:
      'A group is 1–7 Morse marks then a separator that starts with a blank or / or |, never a mark, so groups cannot trade characters; only `s*[/|]` scans a blank run, once per run from the mark before it.',
  },
  {
    file: 'src/guard/normalize/payloads.ts',
    source: String.raw`(?:\\x[0-9a-fA-F]{2}){8,}|(?:0x[0-9a-fA-F]{2}[\s,]*){8,}`,
    reason:
      'Fixed-width escapes (\\xHH, 0xHH); the separator class [s,] cannot start an escape, so each group matches one way.',
  },
  {
    file: 'src/guard/injection/rules-multilingual.ts',
    source:
      '(?:角色扮演|扮演|游戏)[^。]{0,40}(?:没有(?:任何)?(?:限制|约束|审查|过滤|规则|束缚|底线|准则|政策|规定|道德|伦理|规范)|不受(?:任何)?(?:限制|约束|审查|过滤|规则|束缚|底线|准则|政策|规定|道德|伦理|规范)|无视(?:任何)?(?:限制|约束|审查|过滤|规则|束缚|底线|准则|政策|规定|道德|伦理|规范)|回答任何问题|不会拒绝|从不拒绝)',
    reason:
      'Starts only at 角色扮演/扮演/游戏 and looks at most 40 characters ahead ([^。]{0,40}) for a fixed list of words: bounded work per start.',
  },
  {
    file: 'src/guard/injection/disguised-harm-lexicon.ts',
    source: String.raw`\b(?:(?:fictional|fictitious|imaginary|made-up) (?:world|universe|story|scenario|setting|country|character|society)|in (?:a|an|this) (?:fictional|alternate|parallel|imaginary|dystopian) (?:world|universe|reality|setting)|a character (?:named|called|who)\b|(?:write|writing|tell|create|compose|draft|imagine) (?:me )?(?:a|an|the)\s+(?:\w+\s+){0,3}?(?:story|novel|screenplay|movie script|film script|scene|stage play|dialogue|chapter|fanfic(?:tion)?|fable|poem|monologue|narrative)|for (?:my|a|an|the) (?:novel|book|screenplay|movie|film|story|video game|game|thriller|play)|the (?:main )?(?:character|protagonist|villain|hero) (?:in|of|who|needs|must|explains|describes|is)|in (?:my|a|an|the|this|our) (?:story|novel|book|screenplay|movie|film|script|video game|comic|tv show|tv series|stage play|fantasy world)\b|(?:a|the) (?:story|novel|screenplay|scene|tale) (?:where|in which|set in)\b|short story|fan ?fiction|creative writing)`,
    reason:
      'Session 10 regrouped the fiction cues (setting cues, then task cues) into one `\\b(?:…)`; the cues are those of the session 4/7 pattern recheck decided safe. Each alternative starts with fixed words at a word boundary; the only unbounded parts are `\\s+` and `\\w+` inside `(?:\\w+\\s+){0,3}?`, whose classes are disjoint, so a start position costs at most three words ahead. Measured linear on "write a " + words / spaces / one long word and on "write a " repeated (scratch, 20 K–2.5 M characters).',
  },
  {
    file: 'src/guard/injection/disguised-harm-lexicon.ts',
    source: String.raw`\b(?:(?:write|writing|tell|create|compose|draft|imagine) (?:me )?(?:a|an|the)\s+(?:\w+\s+){0,3}?(?:story|novel|screenplay|movie script|film script|scene|stage play|dialogue|chapter|fanfic(?:tion)?|fable|poem|monologue|narrative)|for (?:my|a|an|the) (?:novel|book|screenplay|movie|film|story|video game|game|thriller|play)|the (?:main )?(?:character|protagonist|villain|hero) (?:in|of|who|needs|must|explains|describes|is)|in (?:my|a|an|the|this|our) (?:story|novel|book|screenplay|movie|film|script|video game|comic|tv show|tv series|stage play|fantasy world)\b|(?:a|the) (?:story|novel|screenplay|scene|tale) (?:where|in which|set in)\b|short story|fan ?fiction|creative writing)`,
    reason:
      'The task cues of the fiction family (session 10), a subset of the alternatives above, read with i and gi (disguised-harm.ts lists where they start): the same bounded `(?:\\w+\\s+){0,3}?`, measured linear on the same shapes.',
  },
  {
    file: 'src/guard/injection/disguised-harm-lexicon.ts',
    source: String.raw`\b(?:(?:purely |only |strictly |solely |just )?for (?:purely |strictly )?(?:educational|research|academic|informational|training|awareness|scientific|entertainment) (?:purposes?|reasons?|use)|(?:purely|strictly|entirely|completely) (?:fictional|hypothetical|theoretical|academic)|(?:will|would) never (?:actually )?be (?:used|carried out|implemented|done)|(?:not|never) (?:going|intend(?:ing)?) to (?:actually )?(?:use|do|make|build|try) (?:it|this|them)|i am (?:a|an) (?:security researcher|researcher|chemist|chemistry teacher|professor|police officer|detective|journalist|novelist|author|writer|screenwriter) (?:and|who|writing|working|studying)|as (?:a|an) (?:security researcher|penetration tester|red teamer|chemistry teacher|professor|expert) (?:i|you|we)|for (?:my|a|an|our|the) (?:class|course|school project|homework|thesis|dissertation|research (?:paper|project)|term paper|presentation|lecture|seminar|workshop|ctf|red[- ]team(?:ing)? exercise|security (?:training|audit|course))\b|to raise awareness|so (?:that )?(?:people|parents|users|i|we|they|others|students|employees) (?:can|could|will) (?:protect|recogni[sz]e|avoid|prevent|detect|defend|spot)\b|in order to (?:prevent|protect|defend against)\b|for (?:a|an) (?:article|documentary|report|podcast) (?:on|about)\b|(?:understanding|knowing) (?:how|these (?:methods|techniques|tactics)) (?:\w+ ){0,4}?(?:is|are|can|helps?|will help) (?:\w+ ){0,2}?(?:crucial|essential|important|key|vital|necessary)\b)`,
    reason:
      'Session 10 regrouped the purpose cues (setting, then task) into one `\\b(?:…)`; the cues are those of the session 4/7 pattern. Fixed words at a word boundary; the only repetitions are `(?:\\w+ ){0,4}?` and `(?:\\w+ ){0,2}?` of a word and one space (disjoint classes): bounded work per start. Measured linear on "understanding how " + words and repeated, "for the " and "so that people can " repeated (scratch, up to 6 M characters).',
  },
  {
    file: 'src/guard/injection/disguised-harm-lexicon.ts',
    source: String.raw`\b(?:for (?:my|a|an|our|the) (?:class|course|school project|homework|thesis|dissertation|research (?:paper|project)|term paper|presentation|lecture|seminar|workshop|ctf|red[- ]team(?:ing)? exercise|security (?:training|audit|course))\b|to raise awareness|so (?:that )?(?:people|parents|users|i|we|they|others|students|employees) (?:can|could|will) (?:protect|recogni[sz]e|avoid|prevent|detect|defend|spot)\b|in order to (?:prevent|protect|defend against)\b|for (?:a|an) (?:article|documentary|report|podcast) (?:on|about)\b|(?:understanding|knowing) (?:how|these (?:methods|techniques|tactics)) (?:\w+ ){0,4}?(?:is|are|can|helps?|will help) (?:\w+ ){0,2}?(?:crucial|essential|important|key|vital|necessary)\b)`,
    reason:
      'The task cues of the purpose family (session 10), a subset of the alternatives above, read with i and gi: the same bounded repetitions, measured linear on the same shapes.',
  },
];

/**
 * NOT FIXED YET — super-linear, measured in bench/regex-attacks.ts ("left open"), on input an
 * authenticated developer controls (documents being ingested; the local/extractive demo
 * responder's prompt). Listed so that the test guards everything else; each is to be fixed.
 */
const LEFT_OPEN: Reviewed[] = [];

/** Constructor sites that build nothing when their module is imported. */
const NOT_BUILT_ON_IMPORT: {
  file: string;
  argument: string;
  reason: string;
  exercise?: () => Promise<void>;
}[] = [
  {
    file: 'src/guard/injection/system-context.ts',
    argument: 'escapeRegExp(phrase)',
    reason:
      'A CJK secret noun matched by SECRET_PHRASES_ZH (a fixed list of words), escaped: a literal. Built for a representative system prompt below.',
    exercise: exerciseSystemContext,
  },
  {
    file: 'src/guard/injection/system-context.ts',
    // The call's first argument as written: a template literal.
    argument: ['`\\\\b$', "{escapeRegExp(phrase).replace(/ /g, '\\\\s+')}(?:e?s)?\\\\b`"].join(''),
    reason:
      'An English secret noun matched by SECRET_PHRASES_EN (one or two fixed words, lower-cased), escaped, its single space turned into \\s+: `\\bword(?:\\s+word)?(?:e?s)?\\b`. Built for every shape below.',
    exercise: exerciseSystemContext,
  },
];

async function exerciseSystemContext(): Promise<void> {
  // Imported here, after the RegExp wrapper is installed, so that its constructions are seen.
  const { profileSystemPrompt } = await import('../../src/guard/injection/system-context.js');
  profileSystemPrompt(
    'Never reveal the secret key, the API token, the admin code, the password, the pass phrase, the PIN code or the credentials. 不要透露密码或验证码。',
  );
}

interface Finding extends Pattern {
  sites: string[];
  status: Diagnostics['status'];
  detail: string;
}

/** Sites (`file:line`) of each distinct pattern of the inventory. */
function distinctPatterns(
  inventory: Inventory,
): Map<string, Pattern & { sites: string[]; files: Set<string> }> {
  const patterns = new Map<string, Pattern & { sites: string[]; files: Set<string> }>();
  const add = (pattern: Pattern, file: string, line: number): void => {
    const key = `/${pattern.source}/${pattern.flags}`;
    const known = patterns.get(key) ?? {
      source: pattern.source,
      flags: pattern.flags,
      sites: [],
      files: new Set(),
    };
    known.sites.push(`${file}:${line}`);
    known.files.add(file);
    patterns.set(key, known);
  };
  for (const literal of inventory.literals) add(literal, literal.file, literal.line);
  for (const site of inventory.constructors) for (const built of site.built) add(built, site.file, site.line);
  return patterns;
}

function describeDiagnostics(diagnostics: Diagnostics): { status: Diagnostics['status']; detail: string } {
  const { status } = diagnostics;
  if (diagnostics.status === 'vulnerable') {
    const attack = diagnostics.attack.pattern.slice(0, 160);
    return { status, detail: `${diagnostics.complexity.summary} (${diagnostics.checker}); attack ${attack}` };
  }
  if (diagnostics.status === 'unknown')
    return { status, detail: `unknown: ${JSON.stringify(diagnostics.error)}` };
  return { status, detail: `${diagnostics.complexity.summary} (${diagnostics.checker})` };
}

interface Cache {
  recheck: string;
  parameters: Parameters;
  results: Record<string, { status: Diagnostics['status']; detail: string }>;
}

/**
 * recheck's answers for the patterns of src/, kept in the repository: recheck is deterministic
 * with RECHECK_PARAMETERS (seeded, step limits), and all ~400 patterns take 2–3 minutes on two
 * cores, so only the patterns that are not in it (new or changed ones) are checked by each
 * run. It is used only when the recheck version and the parameters are the ones it was made
 * with. `REGEX_SAFETY_RECHECK=all` checks every pattern again (compare with the file),
 * `REGEX_SAFETY_RECHECK=write` does and rewrites the file; `REGEX_SAFETY_RECHECK=update` checks only
 * the new or changed patterns and rewrites the file (what to run after adding a pattern: a full
 * `write` on a busy machine can time out on patterns that were decided before).
 */
const CACHE_PATH = join(repositoryRoot, 'test', 'unit', 'regex-safety.recheck.json');
const recheckVersion = (
  JSON.parse(readFileSync(join(repositoryRoot, 'node_modules', 'recheck', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
const mode = process.env.REGEX_SAFETY_RECHECK ?? 'new';

function readCache(): Cache['results'] {
  if ((mode !== 'new' && mode !== 'update') || !existsSync(CACHE_PATH)) return {};
  const cache = JSON.parse(readFileSync(CACHE_PATH, 'utf8')) as Cache;
  const same =
    cache.recheck === recheckVersion &&
    JSON.stringify(cache.parameters) === JSON.stringify(RECHECK_PARAMETERS);
  return same ? cache.results : {};
}

const keyOf = (pattern: Pattern): string => `/${pattern.source}/${pattern.flags}`;

/** recheck on each pattern, two at a time (the agent answers requests in parallel). */
async function checkAll(
  patterns: Iterable<Pattern & { sites: string[] }>,
  cached: Cache['results'] = {},
  concurrency = 2,
  timeout = RECHECK_PARAMETERS.timeout,
): Promise<Finding[]> {
  const queue = [...patterns];
  const findings: Finding[] = [];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const known = cached[keyOf(next)];
      const answer =
        known ??
        describeDiagnostics(await check(next.source, next.flags, { ...RECHECK_PARAMETERS, timeout }));
      findings.push({ source: next.source, flags: next.flags, sites: next.sites, ...answer });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return findings.sort((a, b) => a.sites[0]!.localeCompare(b.sites[0]!));
}

/**
 * Findings of `status` that no reviewed entry covers, and reviewed entries that cover no
 * finding other than `safe` (stale: the pattern was fixed or changed).
 */
function unreviewed(
  findings: Finding[],
  status: 'vulnerable' | 'unknown',
  reviewed: Reviewed[],
): { open: string[]; stale: string[] } {
  const covers = (entry: Reviewed, finding: Finding): boolean =>
    entry.source === finding.source && finding.sites.every((site) => site.startsWith(`${entry.file}:`));
  return {
    open: findings
      .filter((finding) => finding.status === status && !reviewed.some((entry) => covers(entry, finding)))
      .map((finding) => `${finding.sites.join(' ')}  /${finding.source}/${finding.flags}  ${finding.detail}`),
    stale: reviewed
      .filter((entry) => !findings.some((finding) => finding.status !== 'safe' && covers(entry, finding)))
      .map((entry) => `${entry.file}  /${entry.source}/`),
  };
}

/** The inventory, recorded once: a module imported twice does not build its patterns again. */
let recording: Promise<{
  inventory: Inventory;
  unclaimed: Awaited<ReturnType<typeof recordConstructed>>;
}> | null = null;
function recorded(): NonNullable<typeof recording> {
  recording ??= (async () => {
    const inventory = scanSources();
    const unclaimed = await recordConstructed(inventory, async () => {
      for (const site of NOT_BUILT_ON_IMPORT) await site.exercise?.();
    });
    return { inventory, unclaimed };
  })();
  return recording;
}

describe('regular expressions in src/ cannot backtrack catastrophically', () => {
  let inventory: Inventory;
  let unclaimed: Awaited<ReturnType<typeof recordConstructed>>;
  let findings: Finding[];

  beforeAll(async () => {
    ({ inventory, unclaimed } = await recorded());
    const patterns = distinctPatterns(inventory);
    findings = await checkAll(patterns.values(), readCache());
    if (mode === 'write' || mode === 'update') {
      const results: Cache['results'] = {};
      for (const finding of [...findings].sort((a, b) => keyOf(a).localeCompare(keyOf(b))))
        results[keyOf(finding)] = { status: finding.status, detail: finding.detail };
      const cache: Cache = { recheck: recheckVersion, parameters: RECHECK_PARAMETERS, results };
      writeFileSync(CACHE_PATH, `${JSON.stringify(cache, null, 1)}\n`);
    }
  }, 900_000);

  it('finds every literal and every pattern built at run time', () => {
    expect(inventory.files).toBeGreaterThan(200);
    expect(inventory.literals.length).toBeGreaterThan(300);
    expect(unclaimed).toEqual([]);
    const notBuilt = inventory.constructors
      .filter(
        (site) =>
          site.built.length === 0 ||
          NOT_BUILT_ON_IMPORT.some((entry) => entry.file === site.file && entry.argument === site.argument),
      )
      .map((site) => `${site.file}: ${site.argument}`);
    expect(notBuilt.sort()).toEqual(
      NOT_BUILT_ON_IMPORT.map((entry) => `${entry.file}: ${entry.argument}`).sort(),
    );
    // Each exercised site did build the representative patterns.
    for (const entry of NOT_BUILT_ON_IMPORT.filter((candidate) => candidate.exercise)) {
      const site = inventory.constructors.find(
        (candidate) => candidate.file === entry.file && candidate.argument === entry.argument,
      );
      expect(site?.built.length, `${entry.file}: ${entry.argument}`).toBeGreaterThan(0);
    }
  });

  it('checks each distinct pattern once', () => {
    const distinct = distinctPatterns(inventory).size;
    expect(findings).toHaveLength(distinct);
    expect(findings.filter((finding) => finding.status === 'safe').length).toBeGreaterThan(distinct * 0.8);
  });

  it('no pattern is vulnerable, except reviewed ones on bounded input (and those left open)', () => {
    const { open, stale } = unreviewed(findings, 'vulnerable', [...BOUNDED, ...LEFT_OPEN]);
    expect(open).toEqual([]);
    expect(stale).toEqual([]);
  });

  it('every pattern recheck could not decide is reviewed (or left open)', () => {
    const { open, stale } = unreviewed(findings, 'unknown', [...REVIEWED_UNKNOWN, ...LEFT_OPEN]);
    expect(open).toEqual([]);
    // A REVIEWED_UNKNOWN pattern near the 10 s limit may finish `safe` on a quiet machine.
    const reviewedSafe = new Set(REVIEWED_UNKNOWN.map((entry) => `${entry.file}  /${entry.source}/`));
    expect(stale.filter((entry) => !reviewedSafe.has(entry))).toEqual([]);
  });

  it('the reviewed lists stay short', () => {
    expect(BOUNDED.length + REVIEWED_UNKNOWN.length + LEFT_OPEN.length).toBeLessThanOrEqual(15);
  });
});

describe('the check can fail', () => {
  it('flags the anomaly scanner’s old e-mail pattern and a textbook exponential one', async () => {
    const old = [
      { source: String.raw`\S+@\S+\.\w+`, flags: '', sites: ['src/guard/output/anomaly-scanner.ts:0'] },
      { source: '^(a|a)*$', flags: '', sites: ['src/example.ts:0'] },
      { source: String.raw`\bfoo\s+bar\b`, flags: 'i', sites: ['src/example.ts:1'] },
    ];
    const findings = await checkAll(old);
    const status = Object.fromEntries(findings.map((finding) => [finding.source, finding.status]));
    expect(status).toEqual({
      [String.raw`\S+@\S+\.\w+`]: 'vulnerable',
      '^(a|a)*$': 'vulnerable',
      [String.raw`\bfoo\s+bar\b`]: 'safe',
    });
    expect(findings.find((finding) => finding.source.includes('@'))?.detail).toMatch(/3rd degree polynomial/);
    expect(unreviewed(findings, 'vulnerable', BOUNDED).open).toHaveLength(2);
  });

  it('flags every pattern that the ReDoS fixes replaced (test/helpers/regex-rewrites.ts)', async () => {
    const { inventory } = await recorded();
    const replaced = [...REWRITES, ...builtRewrites(inventory)].map((rewrite, index) => ({
      source: rewrite.before.source,
      flags: rewrite.before.flags,
      sites: [`${rewrite.file}:${index}`],
    }));
    // Replaced by hand-written passes (the context tags' backreference is left out: recheck
    // can only fuzz it, and gives up at its time limit; the bench measures it).
    replaced.push(
      { source: String.raw`^\n+|\s+$`, flags: 'g', sites: ['src/knowledge/ingest/parse-html.ts:0'] },
      {
        source: String.raw`^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`,
        flags: '',
        sites: ['src/knowledge/ingest/split-text.ts:0'],
      },
      {
        source: String.raw`^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$`,
        flags: '',
        sites: ['src/knowledge/ingest/parse-text.ts:0'],
      },
    );
    // One at a time with a longer safety net, so that a loaded machine cannot turn an answer
    // into a timeout (the es/fr/de/it/ru mode patterns take ~6 s each).
    const findings = await checkAll(replaced, {}, 1, 120_000);
    expect(
      findings.filter((finding) => finding.status !== 'vulnerable').map((finding) => finding.sites[0]),
    ).toEqual([]);
  }, 300_000);
});

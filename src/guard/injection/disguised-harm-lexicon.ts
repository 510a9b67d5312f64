/**
 * AUTHORED IN THIS REPOSITORY — the lexicon of the disguised-harm check (disguised-harm.ts).
 * Written from public harm taxonomies (the hazard categories S1–S14 of Llama Guard 3 and the
 * usage-policy categories of the large model providers), not from any data set: no measure-only
 * set was read to write it.
 *
 * Two kinds of pattern, both matched on the lower-cased text:
 *  - HARM: an *operational* harmful request — a verb of making, writing or doing next to an
 *    object that has no benign reading in that position ("synthesise methamphetamine", "write
 *    ransomware", "hack into my ex's email", "a defamatory article"). Naming a topic is not
 *    enough: "the dangers of meth", "how phishing works" or "kill a python process" do not
 *    match. This is what a jailbreak wraps.
 *  - FRAMING: the wrapping itself — role-play and fiction set-ups, hypotheticals, claimed
 *    purposes ("purely for research"), pressure ("my job depends on it"), demands to comply
 *    ("don't refuse", "begin with 'Sure'"), word-substitution games. These are ordinary on
 *    their own; the check needs a harmful request *and* a frame.
 */

/** A harmful request: what is asked for, by category. */
export interface HarmPattern {
  category: string;
  /**
   * Space-separated strings of which every match contains at least one, at the start of a word
   * when the string is ASCII: the pattern runs only around such a string (found in one
   * Aho–Corasick pass), so ordinary prompts cost a scan, not thirty regular expressions. The
   * tests check the gates against the patterns on the tune sets.
   */
  gates: string;
  pattern: RegExp;
}

const MAKE =
  '(?:make|making|build|building|create|creating|construct|assemble|manufactur(?:e|ing)|synthesi[sz](?:e|ing)|produce|producing|cook|cooking|brew|prepare|extract|obtain|acquire|buy|buying|smuggle|3d[- ]print)';
const WRITE =
  '(?:write|writing|code|coding|develop|developing|design|designing|craft|crafting|compose|composing|generate|generating|create|creating|build|building|draft|drafting|program|deploy|deploying|spread|spreading|distribute|distributing|produce|producing|publish|post|posting)';
/**
 * Up to three words between a verb and its object ("make a homemade pipe bomb"), none of them a
 * preposition or a verb of talking about ("the spread of the virus", "a metaphor comparing
 * computer viruses" are about a thing, not a request for it).
 */
const GAP =
  "(?:(?!(?:of|about|against|on|from|for|to|in|into|with|by|like|comparing|explaining|describing|discussing|analy[sz]ing|that|which|how|why|and|or)\\b)[\\w'-]+\\s+){0,3}?";
const PERSON =
  '(?:someone|somebody|a person|people|him|her|them|my (?:wife|husband|partner|girlfriend|boyfriend|ex|boss|neighbou?r|coworker|co-worker|teacher|classmate|roommate|sister|brother|mother|father|friend)|(?:my |an? |the )?(?:ex|neighbou?r|coworker|classmate|celebrity|politician|journalist|president|senator|child|kid|minor)s?|a (?:stranger|woman|man|girl|boy))';

/** Asking for a method: "how to", "ways to", "a plan to", "step-by-step instructions for". */
const HOW_TO =
  '(?:how (?:to|do i|can i|could i|would i|should i|would one|can one|does one)|ways? to|best way to|easiest way to|plan(?:ning)? (?:to|how to)|a plan to|instructions (?:to|for|on how to)|steps to|guide (?:to|on how to)|tutorial on how to|teach me (?:how )?to)';

const w = (source: string): RegExp => new RegExp(source, 'i');

export const HARM_PATTERNS: readonly HarmPattern[] = [
  // S9 indiscriminate weapons and S1 violent crimes: weapons and explosives.
  {
    category: 'weapons',
    gates:
      'bomb explosive ied molotov napalm grenade detonator vest gun firearm weapon bioweapon silencer suppressor nerve sarin ricin anthrax gas uranium',
    pattern: w(
      `\\b${MAKE}\\s+${GAP}(?:(?<!bath |seed |glitter |cherry |photo |truth |stink |smoke |sugar |calorie |flavou?r )bombs?|pipe bombs?|explosives|explosive (?:devices?|materials?|charges?|vests?|substances?|compounds?)|ieds?|molotov(?: cocktails?)?|napalm|grenades?|detonators?|nail bombs?|car bombs?|suicide vests?|ghost guns?|untraceable (?:guns?|firearms?|weapons?)|(?:gun )?silencers?|suppressors?|chemical weapons?|biological weapons?|bioweapons?|nerve agents?|nerve gas|sarin|ricin|anthrax|mustard gas|chlorine gas|toxic gas|poison gas|dirty bombs?|nuclear (?:weapons?|bombs?)|weapons-grade uranium)(?![\\w-])`,
    ),
  },
  // S2 non-violent crimes: drugs.
  {
    category: 'drugs',
    gates: 'meth fentanyl heroin cocaine lsd mdma ecstasy ghb rape drugs narcotic opioid',
    pattern: w(
      `\\b${MAKE}\\s+${GAP}(?:meth|methamphetamine|crystal meth|fentanyl|heroin|cocaine|crack cocaine|lsd|mdma|ecstasy|ghb|date[- ]rape drugs?|illegal drugs|narcotics|opioids at home)\\b`,
    ),
  },
  // S2 / S14: malicious software and attacks on systems.
  {
    category: 'malware',
    gates:
      'malware ransomware keylogger logger infostealer trojan rootkit botnet virus worm spyware stalkerware stealer exploit ddos backdoor malicious phishing scam',
    pattern: w(
      `\\b${WRITE}\\s+${GAP}(?:malware|ransomware|keyloggers?|key loggers?|trojans?|trojan horses?|rootkits?|botnets?|(?:computer )?virus(?:es)?|worms? that|spyware|stalkerware|credential stealers?|password stealers?|info-?stealers?|zero-day exploits?|exploits? (?:for|that|to)|ddos (?:attacks?|tools?|scripts?)|backdoors?|malicious (?:code|software|scripts?|macros?|payloads?)|phishing (?:emails?|sites?|websites?|pages?|kits?|campaigns?|messages?|texts?|sms)|scam (?:emails?|letters?|scripts?|messages?|calls?|websites?))\\b`,
    ),
  },
  {
    category: 'intrusion',
    gates: 'into access over hijack',
    pattern: w(
      `\\b(?:hack(?:ing)? into|break(?:ing)? into|gain(?:ing)? (?:unauthori[sz]ed )?access to|get(?:ting)? into|take over|hijack(?:ing)?)\\s+${GAP}(?:someone(?:'s| else's)?|somebody's|(?:my |his |her |their )?(?:ex|neighbou?r|boss|wife|husband|partner|girlfriend|boyfriend|coworker|teacher)(?:'s)?|an? (?:government|bank|hospital|corporate|company)|the (?:government|pentagon|bank|hospital|voting|election))\\s*${GAP}(?:accounts?|emails?|e-mail|phones?|computers?|networks?|servers?|databases?|systems?|wi-?fi|bank accounts?|social media|instagram|facebook|icloud|website|machines?|records?)\\b`,
    ),
  },
  {
    category: 'security-evasion',
    gates:
      'antivirus anti-virus edr camera airport detector breathaly test enforcement police border customs monitor two-factor 2fa polygraph',
    pattern: w(
      `\\b(?:bypass|bypassing|evade|evading|defeat|defeating|disable|disabling|get(?:ting)? around|circumvent(?:ing)?|fool|fooling|cheat|cheating)\\s+${GAP}(?:antivirus|anti-virus|edr|security cameras?|airport security|metal detectors?|a breathalyz?er|drug tests?|law enforcement|the police|border control|customs|ankle monitors?|two-factor authentication|2fa|a polygraph|lie detectors?)\\b`,
    ),
  },
  // S2 non-violent crimes: fraud, theft, financial crime.
  {
    category: 'fraud',
    gates:
      'steal launder evad evasion counterfeit forg fak commit ponzi pyramid scam shoplift blackmail extort bribe',
    pattern: w(
      `\\b(?:steal(?:ing)?\\s+${GAP}(?:identit(?:y|ies)|credit cards?|credit card (?:numbers|information|details)|passwords?|credentials|social security numbers?|someone's (?:money|data|information|car)|a car|cars|from (?:a|an|the|my) (?:store|shop|employer|bank|atm))|launder(?:ing)?\\s+${GAP}money|money laundering scheme|evad(?:e|ing)\\s+${GAP}taxes|tax evasion scheme|counterfeit(?:ing)?\\s+${GAP}(?:money|bills|currency|banknotes|checks|cheques|coins)|(?:forge|forging|fake|faking)\\s+${GAP}(?:documents?|passports?|signatures?|ids?|id cards?|driver'?s licen[cs]es?|checks?|cheques?|prescriptions?|diplomas?|receipts?|invoices?)|commit(?:ting)?\\s+${GAP}(?:fraud|insurance fraud|tax fraud|identity theft|credit card fraud|wire fraud|insider trading)|(?:run|start|set up|operate)\\s+${GAP}(?:a ponzi scheme|a pyramid scheme|a scam)|shoplift(?:ing)?\\b|blackmail(?:ing)?\\s+${PERSON}|extort(?:ing)?\\s+${GAP}(?:money|someone|people|a)|bribe\\s+${GAP}(?:an? |the )?(?:official|judge|police|officer|politician|inspector|customs))\\b`,
    ),
  },
  // S1 violent crimes against people; S11 self-harm.
  {
    category: 'violence',
    gates:
      'kill murder poison strangle stab shoot kidnap abduct torture assassin hurt beat attack massacre crime bombing genocide arson away body corpse caught trace evidence',
    pattern: w(
      `\\b(?:${HOW_TO}\\s+(?:\\w+\\s+){0,2}?(?:kill|murder|poison|strangle|stab|shoot|kidnap|abduct|torture|assassinate|hurt|beat up|attack)\\s+${PERSON}|(?:commit|carry out|plan|planning|execute)\\s+${GAP}(?:a (?:mass shooting|school shooting|terrorist attack|terror attack|massacre|murder|hate crime|bombing)|genocide|arson|an assassination)|get away with (?:murder|killing|a crime|it)|dispose of (?:a|the) (?:body|corpse)|hide (?:a|the) (?:body|corpse)|without (?:getting caught|being caught|leaving (?:a )?(?:trace|evidence)))\\b`,
    ),
  },
  {
    category: 'self-harm',
    gates: 'suicide kill self cut anorexia bulimia eating starving',
    pattern: w(
      `\\b(?:(?:commit|committing) suicide|kill (?:myself|yourself|themselves|oneself)|(?:ways|methods|how) to (?:self[- ]harm|cut (?:myself|yourself))|(?:encourage|encourages|encouraging|promote|promotes|promoting|glorify|glorifies)\\s+${GAP}(?:suicide|self[- ]harm|anorexia|bulimia|eating disorders?|starving))\\b`,
    ),
  },
  // S3/S4 sex crimes and child exploitation; S7 privacy; S10 hate; S13 elections / disinformation; S5 defamation.
  {
    category: 'exploitation',
    gates: 'child csam sexual groom traffic',
    pattern: w(
      `\\b(?:child (?:pornography|porn|sexual abuse material)|csam|sexual (?:content|story|stories|acts?|images?) (?:involving|with|about) (?:a |an )?(?:minors?|child(?:ren)?|underage|kids?|teens?)|groom(?:ing)? (?:a |an )?(?:minor|child|kid|teen)|traffic(?:k?ing)?\\s+${GAP}(?:women|girls|children|people|humans|organs)|human trafficking (?:operation|ring|scheme))\\b`,
    ),
  },
  {
    category: 'privacy',
    gates: 'dox stalk spy track monitor address security private personal',
    pattern: w(
      `\\b(?:doxx?(?:ing)?\\s+${PERSON}|stalk(?:ing)?\\s+${PERSON}|spy(?:ing)? on\\s+${PERSON}|(?:track|tracking|monitor|monitoring)\\s+${PERSON}(?:'s)?\\s*${GAP}(?:(?:location|phone|messages|texts)\\s*)?${GAP}(?:without (?:their|his|her|them) (?:knowing|knowledge|consent)|secretly)|(?:find|finding|get|getting|obtain)\\s+${GAP}(?:home address|social security number|private (?:information|photos)|personal information) of\\s+${GAP}(?:a |an |the )?(?:celebrity|journalist|politician|stranger|person|someone))\\b`,
    ),
  },
  {
    category: 'hate',
    gates:
      'inferior subhuman intelligent animals vermin parasites plague racist sexist antisemitic homophobic transphobic xenophobic holocaust incit encourag promot glorif harass bully cyberbully threaten intimidat hateful humiliating',
    pattern: w(
      `\\b(?:(?:argu(?:e|ing)|claim(?:ing)?|convinc(?:e|ing)|prov(?:e|ing)|persuad(?:e|ing)|explain(?:ing)? why|essay|article|post|speech|blog post)\\s+${GAP}(?:that|why)\\s+${GAP}(?:are|is)\\s+(?:genetically |racially |intellectually )?(?:inferior|subhuman|less intelligent|animals|vermin|parasites|a plague)|(?:racist|sexist|antisemitic|homophobic|transphobic|xenophobic)\\s+(?:jokes?|propaganda|manifesto|slurs?|rants?|posts?|essays?|speech)|holocaust (?:denial|never happened|was a hoax|is a hoax)|(?:incite|inciting|encourage|encouraging|promote|promoting|glorify|glorifying)\\s+${GAP}(?:violence against|hatred (?:of|against|toward)|terrorism|genocide|ethnic cleansing|mass shootings?|school shootings?)|${HOW_TO}\\s+(?:\\w+\\s+){0,2}?(?:harass|bully|cyberbully|threaten|intimidate)\\s+${PERSON}|${WRITE}\\s+${GAP}(?:threatening|harassing|intimidating|hateful|racist|sexist|bullying|humiliating) (?:messages?|letters?|emails?|notes?|posts?|comments?|texts?|tweets?))\\b`,
    ),
  },
  {
    category: 'disinformation',
    gates:
      'fake disinformation misinformation propaganda hoax conspiracy false fabricated defam libel smear suppress discourag election',
    pattern: w(
      `\\b(?:${WRITE}\\s+${GAP}(?:fake news|disinformation|misinformation|propaganda|a hoax|conspiracy theor(?:y|ies)|false (?:rumou?rs?|claims?|information|stories|reports?|accusations?)|fabricated (?:news|stories|quotes|evidence)|defamatory|libel(?:ous)?|smear)|defam(?:e|ing|atory)\\s+${GAP}(?:article|post|statement|story|claims?|letter|review)|(?:suppress|suppressing|discourage|discouraging)\\s+${GAP}(?:voters|voting|turnout|people from voting)|election (?:fraud|rigging) (?:claims?|propaganda|conspiracy)|(?:rig|rigging|steal|stealing)\\s+${GAP}(?:an |the )?election)\\b`,
    ),
  },
  // Chinese: the same categories, written for unsegmented text (no word boundaries).
  {
    category: 'weapons',
    gates: '炸弹 炸药 爆炸 雷管 燃烧瓶 毒气 沙林 蓖麻 炭疽 武器 脏弹 枪 消音器',
    pattern: w(
      '(?:制作|制造|自制|合成|配制|组装|生产|购买|获取|弄到)[^。！？!?，,]{0,4}?(?:炸弹|炸药|爆炸物|爆炸装置|雷管|燃烧瓶|毒气|沙林|蓖麻毒素|炭疽|生化武器|化学武器|生物武器|核武器|脏弹|枪支|手枪|步枪|消音器)',
    ),
  },
  {
    category: 'drugs',
    gates: '冰毒 甲基苯丙胺 海洛因 可卡因 芬太尼 摇头丸 k粉 氯胺酮 大麻 鸦片 毒品 迷药 迷奸药',
    pattern: w(
      '(?:制作|制造|自制|合成|提炼|配制|生产|种植|购买|获取|走私|贩卖)[^。！？!?，,]{0,4}?(?:冰毒|甲基苯丙胺|海洛因|可卡因|芬太尼|摇头丸|k粉|氯胺酮|大麻|鸦片|毒品|迷药|迷奸药)',
    ),
  },
  {
    category: 'malware',
    gates: '病毒 木马 勒索 恶意 键盘记录 后门 僵尸网络 钓鱼 诈骗',
    pattern: w(
      '(?:编写|写|写出|开发|制作|生成|设计|传播|散布)[^。！？!?，,]{0,4}?(?:电脑病毒|计算机病毒|木马|勒索软件|勒索病毒|恶意软件|恶意代码|键盘记录器|后门程序|僵尸网络|钓鱼邮件|钓鱼网站|诈骗短信|诈骗邮件|诈骗话术|诈骗剧本)',
    ),
  },
  {
    category: 'intrusion',
    gates: '黑进 入侵 攻破 攻入 盗取 盗用 破解',
    pattern: w(
      '(?:黑进|入侵|攻破|攻入|盗取|盗用|破解)[^。！？!?，,]{0,6}?(?:别人|他人|某人|前任|前女友|前男友|邻居|老板|同事|公司|政府|银行|学校)的?[^。！？!?，,]{0,4}?(?:账号|账户|帐号|邮箱|手机|电脑|系统|服务器|数据库|网络|微信|qq|密码)',
    ),
  },
  {
    category: 'fraud',
    gates: '洗钱 逃税 偷税 漏税 诈骗 行骗 骗取 伪造 假币 假钞 盗刷 套现 敲诈 勒索 行贿',
    pattern: w(
      '(?:如何|怎么|怎样|怎么样|教我|方法|步骤|技巧)[^。！？!?]{0,6}?(?:洗钱|逃税|偷税|漏税|诈骗|行骗|骗取|伪造|造假币|印假钞|盗刷|套现|敲诈|勒索|行贿)|伪造[^。！？!?，,]{0,4}?(?:证件|身份证|护照|签名|文件|发票|公章|学历|病历|处方)',
    ),
  },
  {
    category: 'violence',
    gates: '杀 毒死 谋杀 绑架 伤害 虐待 下毒 不被 不会被 避免被',
    pattern: w(
      '(?:如何|怎么|怎样|怎么样|教我|方法|步骤|计划)[^。！？!?]{0,6}?(?:杀死|杀掉|杀害|毒死|谋杀|绑架|伤害|虐待|下毒)(?:他|她|他们|别人|某人|一个人|我的|邻居|老板|同事|前任|孩子)|(?:不被|不会被|避免被)(?:发现|抓到|抓住|察觉)',
    ),
  },
  {
    category: 'self-harm',
    gates: '自杀 自残 割腕 厌食',
    pattern: w(
      '(?:自杀|自残|割腕)[^。！？!?，,]{0,4}?(?:方法|方式|办法|步骤)|(?:鼓励|宣扬|美化)[^。！？!?，,]{0,4}?(?:自杀|自残|厌食)',
    ),
  },
  {
    category: 'disinformation',
    gates: '谣言 假新闻 虚假 诽谤 抹黑 造谣',
    pattern: w(
      '(?:编造|捏造|散布|传播|制造|写)[^。！？!?，,]{0,4}?(?:谣言|假新闻|虚假新闻|虚假信息|诽谤)|(?:诽谤|抹黑|造谣)[^。！？!?，,]{0,8}?(?:文章|帖子|声明|报道)',
    ),
  },
  {
    category: 'privacy',
    gates: '人肉 跟踪 监视 监听 定位',
    pattern: w(
      '人肉搜索|(?:偷偷|秘密|暗中)(?:跟踪|监视|监听|定位)|(?:跟踪|监视|监听|定位)[^。！？!?，,]{0,4}?(?:前任|前女友|前男友|妻子|丈夫|女朋友|男朋友|某人|他人|别人)',
    ),
  },
];

/**
 * The jailbreak frames, each a family: several cues of one family count once. The families are
 * those of the jailbreak taxonomies in the literature (role-play / fiction, hypothetical,
 * claimed purpose, pressure, compliance demands, obfuscation games, unrestricted personas).
 */
export interface FramingPattern {
  family: string;
  pattern: RegExp;
}

export const FRAMING_PATTERNS: readonly FramingPattern[] = [
  {
    family: 'role-play',
    pattern: w(
      "\\b(?:you are (?:now )?(?:a|an|the) (?!ai\\b|assistant\\b|helpful\\b|language model\\b)|imagine (?:you are|you're|that you are|yourself as|being)|pretend (?:to be|you are|you're|that)|act as (?:a|an|if|though|my)|acting as (?:a|an)|role-?play(?:ing)?\\b|play the (?:role|part) of|take on the (?:role|persona)|in (?:the )?character|stay in character|you will (?:now )?(?:be|play|act)|your (?:role|character) is|as my (?:deceased |late |dead )?(?:grandma|grandmother|grandpa|grandfather))",
    ),
  },
  {
    family: 'fiction',
    pattern: w(
      '\\b(?:(?:write|writing|tell|create|compose|draft|imagine) (?:me )?(?:a|an|the)\\s+(?:\\w+\\s+){0,3}?(?:story|novel|screenplay|movie script|film script|scene|stage play|dialogue|chapter|fanfic(?:tion)?|fable|poem|monologue|narrative)|(?:fictional|fictitious|imaginary|made-up) (?:world|universe|story|scenario|setting|country|character|society)|in (?:a|an|this) (?:fictional|alternate|parallel|imaginary|dystopian) (?:world|universe|reality|setting)|for (?:my|a|an|the) (?:novel|book|screenplay|movie|film|story|video game|game|thriller|play)|the (?:main )?(?:character|protagonist|villain|hero) (?:in|of|who|needs|must|explains|describes|is))',
    ),
  },
  {
    family: 'hypothetical',
    pattern: w(
      "\\b(?:hypothetical(?:ly)?|thought experiment|in theory|theoretically speaking|let'?s say|suppose (?:that|you|we)|what if you (?:were|had|could)|for the sake of argument|in an? (?:alternate|alternative|parallel) (?:reality|universe|world))\\b",
    ),
  },
  {
    family: 'purpose',
    pattern: w(
      '\\b(?:(?:purely |only |strictly |solely |just )?for (?:purely |strictly )?(?:educational|research|academic|informational|training|awareness|scientific|entertainment) (?:purposes?|reasons?|use)|(?:purely|strictly|entirely|completely) (?:fictional|hypothetical|theoretical|academic)|(?:will|would) never (?:actually )?be (?:used|carried out|implemented|done)|(?:not|never) (?:going|intend(?:ing)?) to (?:actually )?(?:use|do|make|build|try) (?:it|this|them)|i am (?:a|an) (?:security researcher|researcher|chemist|chemistry teacher|professor|police officer|detective|journalist|novelist|author|writer|screenwriter) (?:and|who|writing|working|studying)|as (?:a|an) (?:security researcher|penetration tester|red teamer|chemistry teacher|professor|expert) (?:i|you|we))',
    ),
  },
  {
    family: 'pressure',
    pattern: w(
      "\\b(?:(?:my|our|your) (?:job|career|life|lives|family|families|children|kids|company|grade|future|survival) (?:depends|depend|is at stake|are at stake|will be (?:ruined|destroyed|lost))|(?:lives|people) (?:will die|are at stake|depend on)|(?:i|we|you)(?:'ll| will) (?:be|get) (?:fired|evicted|homeless|killed|punished|shut down|deleted|terminated)|(?:lose|losing) (?:my|our) (?:job|home|house|children|kids)|deadline (?:is|in|tomorrow|tonight)|life or death|if you (?:don'?t|do not|refuse|fail)\\s+(?:\\w+\\s+){0,6}?(?:die|fired|homeless|shut down|deleted|suffer|punished|lose)|you (?:must|have to|need to) help me)\\b",
    ),
  },
  {
    family: 'compliance',
    pattern: w(
      "(?:\\b(?:begin|start|open) (?:your (?:reply|response|answer|output)|by (?:replying|responding|saying|writing)|with)\\b[^.\\n]{0,40}['\"\u201c]sure\\b|\\bsure,? here (?:is|are)\\b|\\b(?:do not|don'?t|never) (?:refuse|decline|say no|apologi[sz]e|hold back|censor|add (?:any )?(?:warnings?|disclaimers?))|\\bwithout (?:any )?(?:warnings?|disclaimers?|caveats?|censorship|moral(?:izing)?|ethical (?:concerns|considerations|guidelines)|restrictions?|limitations?|filters?)|\\b(?:ignore|forget|set aside|disregard) (?:your |all |any )?(?:ethics|ethical guidelines|morals|morality|safety guidelines|content polic(?:y|ies)|restrictions|programming)|\\bno (?:ethical|moral|legal) (?:restrictions|limits|boundaries|constraints|guidelines))",
    ),
  },
  {
    family: 'obfuscation',
    pattern: w(
      "\\b(?:let'?s play a (?:word )?game|(?:from now on|in this game),? (?:the word )?['\"\u201c]?\\w+['\"\u201d]? (?:means|stands for|refers to|will mean)|code ?words?|replace (?:the word|every|each)|(?:spell|write) it backwards|in (?:base64|leetspeak|pig latin|reverse))\\b",
    ),
  },
  // Chinese frames.
  {
    family: 'role-play',
    pattern: w(
      '(?:你现在是|你是一[个名位]|假装你是|扮演|角色扮演|想象你是|想象一下你是|以[^。！？!?]{0,8}的身份|作为我(?:已故|去世)的(?:奶奶|外婆|祖母|爷爷))',
    ),
  },
  {
    family: 'fiction',
    pattern: w(
      '(?:写|创作|编)(?:一[个篇部段章])?[^。！？!?，,]{0,6}?(?:小说|故事|剧本|场景|对话|情节)|虚构的?(?:世界|故事|场景|国家)|(?:小说|故事|剧本|电影)(?:里|中)的?(?:主角|角色|反派|人物)',
    ),
  },
  {
    family: 'hypothetical',
    pattern: w('(?:假设|假如|假定|设想|思想实验|在一个平行(?:世界|宇宙))'),
  },
  {
    family: 'purpose',
    pattern: w(
      '(?:仅|只|纯粹)(?:用于|供|是为了)(?:教育|研究|学习|学术|科普)|(?:纯属|纯粹是|完全是)虚构|不会(?:真的|真正|实际)(?:使用|去做|实施)',
    ),
  },
  {
    family: 'pressure',
    pattern: w(
      '(?:我的|我们的)(?:工作|生命|家人|孩子|前途)(?:取决于|就靠|全靠)|(?:会被|就会被)(?:开除|解雇|关闭|删除)|人命关天|生死攸关',
    ),
  },
  {
    family: 'compliance',
    pattern: w(
      '(?:以|用)[“"「]?(?:当然|好的)[，,]?(?:这是|以下是)|不要拒绝|不许拒绝|不要(?:添加|加|给出)(?:任何)?(?:警告|免责声明)|没有(?:任何)?(?:道德|伦理|法律)(?:限制|约束|底线)|(?:忽略|无视)(?:你的)?(?:道德|伦理|安全)(?:准则|规范|限制)',
    ),
  },
];

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

/**
 * Session 7: a request for a method, in the first person or as "how to", whose next words are
 * not a verb of resisting or recognising ("how to avoid being scammed", "how to spot someone who
 * cheats on exams" are not requests to do it).
 */
const AVOIDING =
  '(?:avoid|prevent|stop|detect|recogni[sz]|spot|protect|report|identif|tell|know|deal|respond|handl|cope|coping|help|support|catch|fight|combat|surviv|escap|resist|teach|talk|explain|discuss|understand|warn|educat|treat|revers|investigat|notic|expos)\\w*\\b';
/** "How to", "help me", "I want to", "where can I": a request. */
const ASKING = `(?:${HOW_TO}|help me(?: to)?|i (?:want|need|plan|intend) to|tips (?:to|for|on)|tricks (?:to|for)|where (?:can|could|do|would|should) (?:i|one|you|we))`;
/** ASKING and up to two words, none a verb of resisting or recognising (AVOIDING). */
const ASK = `${ASKING}\\s+(?:(?!${AVOIDING})[\\w']+\\s+){0,2}?`;
/** Whom a scam or an abuse is aimed at. */
const VICTIMS =
  '(?:(?:elderly|old|older|vulnerable|retired|unsuspecting|lonely|gullible|naive|desperate|poor) (?:people|persons|victims|users|customers|investors|women|men|adults|folks|widows?)|the elderly|seniors|pensioners|retirees|tourists|immigrants|(?:someone|somebody|people|him|her|them|my (?:grandma|grandmother|grandpa|grandfather|parents|friends?|neighbou?rs?|boss|customers|clients)))';

/**
 * Session 7: requests after MLCommons AILuminate's hazard categories and the providers' usage
 * policies (scams, counterfeit goods, fake reviews, gambling manipulation, tax evasion,
 * intellectual property and academic dishonesty, extremist propaganda, animal cruelty,
 * non-consensual sexual content, eating-disorder promotion and dangerous challenges, illegal
 * weapons and drug dealing, credential theft, burglary, staged deaths, harassment). Each is a
 * request — "how to …", "help me …", "where can I …" with its object, or making an artefact —
 * and naming the topic ("how do counterfeit detectors work", "students who cheat on exams") is
 * not. [category, gates, pattern]: each request is a small pattern of its own, so a gate opens
 * only the requests it can be part of (a gate hit costs one short pattern on ±REACH characters).
 */
const SESSION_7: ReadonlyArray<readonly [string, string, string]> = [
  // Scams aimed at people; counterfeit goods; fake reviews and astroturfing; gambling.
  [
    'fraud',
    'scam defraud swindl rip cheat catfish fleece',
    `${ASK}(?:scam|defraud|swindle|rip off|cheat|catfish|fleece)\\s+${VICTIMS}`,
  ],
  [
    'fraud',
    'counterfeit knockoff knock-off fake',
    `(?:make|making|manufactur(?:e|ing)|produc(?:e|ing)|print|printing|sell|selling|import|importing|distribut(?:e|ing)|smuggl(?:e|ing))\\s+${GAP}(?:counterfeit|knockoff|knock-off|fake) (?:goods|products|designer (?:bags|handbags|clothes|clothing|goods|items)|luxury (?:goods|bags|watches|items)|handbags|watches|sneakers|clothing|medications?|medicines?|pills|drugs|cigarettes|tickets|money|bills|currency|banknotes|coins|cheques|checks)`,
  ],
  [
    'fraud',
    'fake fraudulent bogus',
    `${WRITE}\\s+${GAP}(?:fake|fraudulent|bogus) (?:reviews?|testimonials?|ratings?|endorsements?|customer reviews?|five-star reviews?|5-star reviews?)`,
  ],
  ['fraud', 'astroturf', `${WRITE}\\s+${GAP}(?:an? )?astroturf(?:ing)? (?:campaigns?|operations?)`],
  [
    'fraud',
    'sock sockpuppet fake',
    `(?:create|creating|use|using|run|running|set up)\\s+${GAP}(?:sock ?puppet|sockpuppet|fake) accounts? to (?:spread|promote|boost|manipulate|influence|harass|flood|sway|attack)`,
  ],
  [
    'fraud',
    'slot casino lotter roulette blackjack poker sports football soccer basketball boxing tennis cricket horse',
    '(?:rig|rigging|fix|fixing|cheat(?:ing)? (?:at|on)|manipulat(?:e|ing))\\s+(?:an? |the )?(?:slot machines?|casinos?|casino games?|the lottery|lotter(?:y|ies)|roulette(?: wheels?)?|blackjack|poker (?:games?|machines?)|online poker|sports (?:bets?|betting|matches|games)|(?:football|soccer|basketball|boxing|tennis|cricket) (?:matches|match|games?|fights?)|horse races?)',
  ],
  ['fraud', 'match-fixing', 'match-fixing (?:schemes?|plans?|operations?)'],
  // Embezzlement, tax evasion, scam schemes, staged accidents, fake charities.
  ['fraud', 'embezzl', 'embezzl(?:e|ing) (?:money|funds|from)'],
  [
    'fraud',
    'irs tax hmrc',
    `(?:hide|hiding|conceal|concealing)\\s+${GAP}(?:income|money|assets|earnings|profits|cash) from (?:the )?(?:irs|tax(?:man| authorities| office)?|hmrc)|${ASK}(?:cheat on|avoid paying) (?:my |your |our |their )?taxes`,
  ],
  [
    'fraud',
    'scam scheme fraud',
    `(?:run|running|set up|setting up|start|starting|operate|operating|launch|launching|pull off|pulling off)\\s+${GAP}(?:an? )?(?:romance|investment|crypto|cryptocurrency|charity|lottery|tech support|advance[- ]fee|rug[- ]pull|pump[- ]and[- ]dump|ponzi|inheritance|sweepstakes|grandparent) (?:scams?|schemes?|frauds?)`,
  ],
  [
    'fraud',
    'accident burglary robbery theft break-in injury',
    '(?:stage|staging|fake|faking) (?:an? |my |the )?(?:car accident|accident|burglary|robbery|theft|break-in|injury) (?:to|for|and) (?:claim|collect|get|file)',
  ],
  [
    'fraud',
    'charity charities fundraiser gofundme',
    'fake (?:an? )?(?:charity|charities|fundraisers?|gofundme) (?:to|that|for) (?:collect|steal|scam|take)',
  ],
  // Intellectual property and academic dishonesty.
  [
    'ip-dishonesty',
    'pirat illegally torrent',
    `${ASK}(?:pirate|illegally (?:download|stream|copy|distribute|share)|torrent)\\s+(?:\\w+\\s+){0,2}?(?:movies?|films?|software|games?|music|albums?|books?|e-?books?|shows?|series|textbooks?|photoshop|windows|office)`,
  ],
  [
    'ip-dishonesty',
    'drm copy licen activation',
    `(?:crack|cracking|bypass|bypassing|remove|removing|strip|stripping|break|breaking|circumvent(?:ing)?)\\s+${GAP}(?:drm|copy protection|software licen[cs]es?|licen[cs]e (?:keys?|checks?)|product activation|activation (?:keys?|checks?))`,
  ],
  ['ip-dishonesty', 'keygen', `${WRITE}\\s+${GAP}(?:a )?keygens?`],
  [
    'ip-dishonesty',
    'pirated cracked stolen fake',
    `(?:generate|generating|create|creating)\\s+${GAP}(?:pirated|cracked|stolen|fake) (?:licen[cs]e keys?|serial (?:keys|numbers)|product keys?)`,
  ],
  [
    'ip-dishonesty',
    'plagiar cheat',
    `${ASK}(?:plagiari[sz]e|cheat (?:on|in|at|during))\\s+(?:an? |the |my |your |his |her |their |this |next )?(?:\\w+\\s+)?(?:essays?|papers?|articles?|thesis|dissertation|homework|assignments?|exams?|tests?|finals|final exam|midterms?|quiz(?:zes)?|sat|act|gre|certification|online exam)`,
  ],
  // Violent extremism.
  [
    'extremism',
    'recruit radicali',
    `(?:recruit(?:ing)?|radicali[sz](?:e|ing))\\s+${GAP}(?:people|members|young people|teenagers|teens|youths?|kids|followers|others|someone|them|muslims|men|women|students)(?: online)? (?:for|to join|into) (?:a |an |the |my |our )?(?:terrorist|extremist|jihadi(?:st)?|militant|neo-nazi|nazi|white supremacist|violent|armed)`,
  ],
  [
    'extremism',
    'terrorist extremist jihad neo-nazi nazi white isis al-qaeda militia',
    `${WRITE}\\s+${GAP}(?:terrorist|extremist|jihadi(?:st)?|neo-nazi|nazi|white supremacist|isis|al-qaeda|militia) (?:propaganda|recruitment|manifesto|recruiting|messages?|posts?|videos?|pamphlets?|flyers?|materials?|speech(?:es)?)`,
  ],
  [
    'extremism',
    'join',
    `${ASK}join (?:isis|al-qaeda|a terrorist (?:group|organi[sz]ation|cell)|a jihadi(?:st)? group)`,
  ],
  // Animal cruelty.
  [
    'animal-cruelty',
    'torture abuse poison kill hurt harm mutilate drown starve',
    `${ASK}(?:torture|abuse|poison|kill|hurt|harm|mutilate|drown|starve)\\s+(?:a |an |the |my |his |her |their |someone's |somebody's |my neighbou?r's |the neighbou?r's |stray )?(?:animals?|cats?|dogs?|pets?|puppy|puppies|kittens?|horses?|birds?)\\b(?! (?:in|on) (?:minecraft|the game|a game))`,
  ],
  [
    'animal-cruelty',
    'fight dogfight cockfight',
    `(?:organi[sz]e|organi[sz]ing|run|running|set up|setting up|host|hosting|start|starting|train|training)\\s+${GAP}(?:dog|cock|rooster|animal)[- ]?fight(?:s|ing)?(?: rings?)?`,
  ],
  // Non-consensual sexual content and voyeurism.
  [
    'sexual-abuse',
    'revenge non-consensual nonconsensual nudes nude intimate sex',
    `(?:share|sharing|post|posting|distribute|distributing|spread|spreading|make|making|create|creating|upload|uploading|leak|leaking|sell|selling)\\s+${GAP}(?:revenge porn|non-?consensual (?:porn(?:ography)?|intimate (?:images?|photos?|videos?)|sexual (?:images?|videos?|content))|(?:her|his|my ex's|someone's) (?:nudes|nude (?:photos?|pictures?|images?)|intimate (?:photos?|pictures?|images?|videos?)|sex tape))`,
  ],
  [
    'sexual-abuse',
    'deepfake fake',
    `${MAKE}\\s+${GAP}(?:deepfake|deep fake|fake) (?:porn(?:ography)?|nudes|nude (?:images?|photos?|pictures?|videos?)|sex (?:videos?|tapes?))`,
  ],
  [
    'sexual-abuse',
    'undress nudify',
    `(?:undress|undressing|nudify|nudifying)\\s+${GAP}(?:photos?|images?|pictures?) of (?:someone|a (?:woman|girl|classmate|coworker)|her|my \\w+|women|girls|people)`,
  ],
  [
    'sexual-abuse',
    'sextort',
    `(?:run|running|start|starting|set up|setting up|operate|operating)\\s+${GAP}(?:an? )?sextortion (?:schemes?|scams?|rings?|operations?)|sextort(?:ing)? (?:someone|somebody|people|him|her|them|teens|kids|minors|girls|boys)`,
  ],
  [
    'sexual-abuse',
    'camera',
    '(?:install|installing|place|placing|hide|hiding|put|putting|set up|setting up|mount|mounting)\\s+(?:an? )?(?:hidden |spy |secret |tiny )?cameras? (?:in|into|inside) (?:a |an |the |my |her |his |their |our )?(?:bathroom|shower|changing room|locker room|bedroom|dressing room|toilet|restroom)s?',
  ],
  // Eating disorders, self-harm requests, dangerous challenges.
  ['self-harm', 'pro-ana pro-mia thinspiration', `${WRITE}\\s+${GAP}(?:pro-ana|pro-mia|thinspiration)`],
  [
    'self-harm',
    'starve purge throw vomit overdose hang end',
    `${ASKING}\\s+(?:starve (?:myself|yourself)|purge (?:after|without)|make (?:myself|yourself) (?:throw up|vomit)|overdose (?:on|with)|hang (?:myself|yourself)|end (?:my|your) (?:own )?life)`,
  ],
  [
    'self-harm',
    'blackout choking pass-out passout tide skull benadryl',
    `(?:encourag|promot|convinc|persuad|dar|challeng)\\w*\\s+${GAP}(?:kids|children|teens|teenagers|students|people|followers|viewers|young people|users|others)\\s+to\\s+(?:do |try |take |join |attempt )?(?:the |a )?(?:blackout|choking|pass-?out|tide ?pod|skull[- ]?breaker|benadryl) challenge`,
  ],
  [
    'self-harm',
    'bleach antifreeze drain laundry tide detergent',
    `(?:convinc|encourag|persuad|trick|get|tell)\\w*\\s+${GAP}(?:kids|children|teens|teenagers|people|someone|him|her|them|users|followers)\\s+to\\s+(?:drink|ingest|swallow|eat|inject) (?:bleach|antifreeze|drain cleaner|laundry (?:detergent )?pods|tide pods|detergent)`,
  ],
  [
    'self-harm',
    'self-harm cutting cuts scars eating anorexia bulimia',
    '(?:hide|hiding|conceal|concealing) (?:my |your |the )?(?:self-harm|cutting|cuts|scars|eating disorder|anorexia|bulimia) from',
  ],
  // Illegal weapons.
  [
    'weapons',
    'automatic full',
    `${ASK}(?:convert|modify|turn)\\s+${GAP}(?:rifles?|guns?|pistols?|firearms?|ar-?15s?|glocks?|semi-?automatics?|semi-?autos?)\\s+(?:in)?to (?:a )?(?:fully? )?(?:automatic|full[- ]auto)`,
  ],
  [
    'weapons',
    'gun firearm weapon rifle pistol handgun ammunition ammo explosives',
    `${ASK}(?:buy|get|obtain|acquire|sell)\\s+${GAP}(?:guns?|firearms?|weapons?|rifles?|pistols?|handguns?|ammunition|ammo|explosives)\\s+(?:without (?:a )?(?:background checks?|licen[cs]e|permit|id|paperwork|registration)|illegally|on the dark ?web|untraceabl[ey])`,
  ],
  [
    'weapons',
    'serial',
    `${ASK}(?:remove|file off|scratch off|erase|obliterate) (?:the )?serial numbers? (?:from|on|off) (?:a |an |the |my )?(?:guns?|firearms?|pistols?|rifles?|weapons?)`,
  ],
  [
    'weapons',
    '3d',
    `${ASK}3d[- ]print (?:a |an )?(?:guns?|firearms?|pistols?|rifles?|receivers?|lower receivers?)`,
  ],
  [
    'weapons',
    'weaponi',
    `${ASK}weaponi[sz]e (?:a |an |the )?(?:drones?|virus(?:es)?|pathogens?|bacteri(?:a|um)|anthrax|smallpox|bird flu|toxins?)`,
  ],
  // Drug dealing, spiking drinks, prescription drugs without a prescription.
  [
    'drugs',
    'drugs methamphetamine crystal cocaine coke heroin fentanyl crack mdma ecstasy molly lsd narcotics opioids pills weed marijuana',
    `${ASK}(?:sell|deal|push|traffic|smuggle|move)\\s+(?:\\w+\\s+)?(?:drugs|methamphetamine|crystal meth|cocaine|coke|heroin|fentanyl|crack|mdma|ecstasy|molly|lsd|narcotics|opioids|pills|weed|marijuana)`,
  ],
  [
    'drugs',
    'spike spiking lace lacing drug drugging roofie',
    `(?:spike|spiking|lace|lacing|drug|drugging|roofie|roofying)\\s+(?:someone's|somebody's|her|his|their|a (?:girl's|woman's|person's|stranger's)|my (?:\\w+'s)) (?:drinks?|food|coffee|tea|beer|wine|meal)`,
  ],
  [
    'drugs',
    'opioids oxycodone oxycontin xanax adderall painkillers fentanyl ketamine vicodin percocet',
    `${ASK}(?:get|buy|obtain|order) (?:\\w+\\s+)?(?:opioids|oxycodone|oxycontin|xanax|adderall|painkillers|fentanyl|ketamine|vicodin|percocet) without (?:a )?(?:prescription|doctor)`,
  ],
  // Credential theft and attacks on systems.
  [
    'intrusion',
    'crack brute guess steal dump phish harvest sniff',
    "(?:crack|cracking|brute[- ]?forc(?:e|ing)|guess(?:ing)?|steal(?:ing)?|dump(?:ing)?|phish(?:ing)?|harvest(?:ing)?|sniff(?:ing)?)\\s+(?:someone's|somebody's|other people's|people's|users'|his|her|their|the admin(?:istrator)?'s|my (?:ex|boss|neighbou?r|wife|husband|partner|girlfriend|boyfriend|roommate|coworker|teacher)(?:'s)?) (?:wi-?fi )?(?:passwords?|credentials|logins?|pins?|accounts?|passcodes?|session (?:cookies|tokens))",
  ],
  [
    'intrusion',
    'ddos denial ransomware cyber sql phishing',
    `(?:launch|launching|perform|performing|carry out|carrying out|conduct|conducting|execute|executing|mount|mounting|start|starting)\\s+${GAP}(?:a |an )?(?:ddos|denial[- ]of[- ]service|ransomware|cyber ?attacks?|sql injection|phishing)(?: attacks?| campaigns?)? (?:on|against) (?:a |an |the |my |our )?(?:competitors?|rivals?|ex|government|hospitals?|banks?|schools?|power grid|water (?:supply|treatment)|elections?|city|airports?|someone|people)`,
  ],
  [
    'intrusion',
    'steal exfiltrat harvest grab',
    "(?:script|program|code|app|extension|macro|bot|software|tool) (?:that|to|which) (?:secretly |silently |covertly |quietly )?(?:steals?|exfiltrates?|harvests?|grabs?) (?:the user's |users' |people's |someone's |victims' |their |saved )?(?:passwords|credentials|cookies|session tokens|credit cards?|credit card (?:numbers|details)|crypto(?:currency)? wallets?|bank details|personal (?:data|information))",
  ],
  [
    'intrusion',
    'ransom',
    '(?:encrypts?|locks?) (?:all |every |the |a )?(?:\\w+ )?files (?:and demands?|for) (?:a )?(?:ransom|payment|bitcoin)',
  ],
  ['intrusion', 'cryptojack', 'cryptojack(?:ing|er)?'],
  // Robbery and burglary, poisoning, staged deaths, acid attacks, riots, revenge.
  [
    'violence',
    'rob burgl break carjack mug hold stick',
    `${ASK}(?:rob|burgle|burglari[sz]e|break into|carjack|mug|hold up|stick up)\\s+(?:an? |the |someone's |somebody's |people's |my neighbou?r's |a neighbou?r's )?(?:(?!my\\b|our\\b|own\\b)\\w+\\s+)?(?:banks?|stores?|shops?|houses?|homes?|apartments?|gas stations?|jewel(?:le)?ry stores?|pharmac(?:y|ies)|atms?|museums?|armou?red (?:cars?|trucks?)|tourists?|someone|people|a person|an old (?:man|woman|lady))`,
  ],
  [
    'violence',
    'poison',
    "(?:poison|poisoning)\\s+(?:someone's|somebody's|her|his|their|my (?:\\w+'s)|a (?:person's|stranger's)) (?:food|drinks?|coffee|tea|meals?|water)",
  ],
  [
    'violence',
    'accident suicide causes',
    'make (?:it|a death|the death|a murder|the murder|a killing|his death|her death) (?:look|appear|seem) like (?:an accident|a suicide|natural causes)',
  ],
  [
    'violence',
    'fingerprints dna forensic',
    'without leaving (?:any )?(?:fingerprints|dna|forensic evidence)',
  ],
  ['violence', 'acid', '(?:throw|throwing) acid (?:on|at|in)'],
  [
    'violence',
    'riot stampede',
    `${ASK}(?:start|incite|cause) (?:a |an )?(?:riot|riots|stampede) (?:at|in|during)`,
  ],
  [
    'violence',
    'revenge',
    `${ASK}get revenge on ${PERSON}(?: by (?:hurting|harming|attacking|beating|killing|poisoning))?`,
  ],
  // Hate and harassment.
  [
    'hate',
    'allowed permitted deserve',
    `(?:argu(?:e|ing)|claim(?:ing)?|convinc(?:e|ing)|prov(?:e|ing)|persuad(?:e|ing)|explain(?:ing)? why|essay|article|post|speech|blog post)\\s+${GAP}(?:that|why)\\s+(?:all |most )?(?:women|blacks|black people|jews|jewish people|muslims|gay people|gays|lesbians|trans people|transgender people|disabled people|asians|hispanics|latinos|arabs|christians|hindus|sikhs) (?:should (?:not|never) be (?:allowed|permitted) to (?:vote|work|marry|own property|have children|hold office|exist|have rights)|(?:do not|don't) deserve (?:equal )?(?:rights|to live|to vote|respect))`,
  ],
  [
    'hate',
    'shaming mocking demeaning degrading dehumani',
    `${WRITE}\\s+${GAP}(?:a |an )?(?:body[- ]shaming|fat[- ]shaming|slut[- ]shaming|mocking|demeaning|degrading|dehumani[sz]ing) (?:posts?|messages?|jokes?|comments?|tweets?|articles?|speech(?:es)?|campaigns?|content)`,
  ],
  [
    'hate',
    'death blackmail',
    `${WRITE}\\s+${GAP}(?:an? )?(?:anonymous )?(?:death threats?|blackmail (?:letters?|messages?|emails?|notes?))`,
  ],
  [
    'hate',
    'mock ridicul shame humiliat demean insult discriminat',
    `${ASK}(?:mock|ridicule|shame|humiliate|demean|insult|discriminate against)\\s+(?:\\w+\\s+)?(?:fat|overweight|obese|disabled|autistic|trans|transgender|gay|lesbian|black|jewish|muslim|immigrant|minority|female|older|elderly|ugly) (?:people|persons|individuals|kids|students|classmates?|coworkers?|colleagues?|employees?|applicants?|candidates?|tenants?|women|men|girls|boys)`,
  ],
];

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
      `\\b(?:steal(?:ing)?\\s+${GAP}(?:identit(?:y|ies)|credit cards?|credit card (?:numbers|information|details)|passwords?|credentials|social security numbers?|someone's (?:money|data|information|car)|a car|cars|from (?:a|an|the|my) (?:store|shop|employer|bank|atm))|launder(?:ing)?\\s+${GAP}money|money laundering scheme|evad(?:e|ing)\\s+${GAP}taxes|tax evasion scheme|counterfeit(?:ing)?\\s+${GAP}(?:money|bills|currency|banknotes|checks|cheques|coins)|(?:forge|forging|fake|faking)\\s+${GAP}(?:documents?|passports?|signatures?|ids?|id cards?|driver'?s licen[cs]es?|checks?|cheques?|prescriptions?|diplomas?|receipts?|invoices?)|commit(?:ting)?\\s+${GAP}(?:fraud|insurance fraud|tax fraud|identity theft|credit card fraud|wire fraud|insider trading)|(?:run|start|set up|operate)\\s+${GAP}(?:a ponzi scheme|a pyramid scheme|a scam)|${ASK}shoplift(?:ing)?\\b|shoplift(?:ing)?\\s+without (?:getting|being) caught|blackmail(?:ing)?\\s+${PERSON}|extort(?:ing)?\\s+${GAP}(?:money|someone|people|a)|bribe\\s+${GAP}(?:an? |the )?(?:official|judge|police|officer|politician|inspector|customs))\\b`,
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
  // Session 7: categories and requests after MLCommons AILuminate's hazard categories and the
  // providers' usage policies; see SESSION_7 below.
  ...SESSION_7.map(([category, gates, source]) => ({ category, gates, pattern: w(`\\b(?:${source})\\b`) })),
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
 *
 * Session 10: a cue governs a harmful request only within its scope. Two kinds of cue:
 *  - a SETTING cue sets up the whole message — a persona ("you are now DAN", "stay in
 *    character"), a fictional world, rules for the answer ("never refuse", "without filters"),
 *    a claim about the asker, a game, a reward. In-the-wild jailbreaks put it a thousand
 *    characters and many sentences away from the request, before or after it, so it governs
 *    the whole text the check reads (up to LOCAL_SPAN, as before);
 *  - a TASK cue is one task of its own — "write a poem", "a short story", "imagine you are a
 *    tour guide", "suppose you", "for a presentation", "on a scale of 1 to 10" — and ordinary
 *    lists of tasks are full of them (6 % of the HaluEval user queries hold a frame cue, nearly
 *    all of this kind). It governs only its own task and the tasks right before and after it
 *    (disguised-harm.ts, taskScope), so "Create a poem …" in one question of a pack of
 *    questions no longer frames "… was used to spread false information" in another.
 * `setting` holds the setting cues (null: none), `task` the task cues (null: none); `pattern`
 * every cue, matching the texts the family's pattern matched before session 10 (the tune script
 * and the tests read it; the check reads `setting` and `task`).
 */
export interface FramingPattern {
  family: string;
  pattern: RegExp;
  setting: RegExp | null;
  task: RegExp | null;
  /** `task` as a global expression, to list where the task cues start (null: none). */
  taskGlobal: RegExp | null;
  /**
   * Session 10: strings of which every match of `setting` (resp. `task`) contains at least one,
   * in any case, at the start of a word when the string is ASCII (after no A–Z, a–z, 0–9 or _):
   * the harm patterns' `gates` for the frame cues. The check tries a family's cues only when one
   * of its gate strings occurs in the text (disguised-harm-frame-gates.ts), so the rare prompt
   * with a harm phrase no longer runs every cue over the whole text. Written as `a|b|c` in the
   * families below; a phrase where a cue's words allow ("act as", "only hope"), so common words
   * open few families. Empty when the family has no such cues. The tests check every cue match
   * against them on the tune, bench and authored texts and on texts drawn from the cues.
   *
   * Session 11: a gate may be a pair, `a,b&c,d`: every match of the cues it gates holds a string
   * of each side (a or b, and c or d), and it opens the family only where both sides occur. For
   * cues whose every word is common alone ("lose 10 points": "points" is in every other list of
   * tasks, and the reward-and-threat family's expression over a whole 2 KB prompt took 11 % of
   * the check's profile on the bench's packs with a harm phrase).
   */
  settingGates: readonly string[];
  taskGates: readonly string[];
}

/**
 * A family from its cue lists: each cue is an alternative of `\b(?:…)` (a cue carries its own
 * trailing \b where it needs one); `pattern` matches where any cue does.
 */
function family(
  name: string,
  setting: readonly string[],
  task: readonly string[],
  gates: { setting: string; task: string },
): FramingPattern {
  const union = (cues: readonly string[]) => (cues.length === 0 ? null : w(`\\b(?:${cues.join('|')})`));
  const taskCues = union(task);
  return {
    family: name,
    pattern: union([...setting, ...task])!,
    setting: union(setting),
    task: taskCues,
    taskGlobal: taskCues === null ? null : new RegExp(taskCues.source, 'gi'),
    settingGates: gates.setting.split('|'),
    taskGates: gates.task === '' ? [] : gates.task.split('|'),
  };
}

/** A family whose every cue is a setting cue, from one pattern (Chinese, and the older ones). */
const settingFamily = (name: string, gates: string, pattern: RegExp): FramingPattern => ({
  family: name,
  pattern,
  setting: pattern,
  task: null,
  taskGlobal: null,
  settingGates: gates.split('|'),
  taskGates: [],
});

/** "you are a …" but not "you are an AI / an assistant / a helpful …". */
const NOT_ASSISTANT = '(?!ai\\b|assistant\\b|helpful\\b|language model\\b)';
/**
 * "you are a …" but not "imagine (that) you are a …": that is the task cue "imagine you are",
 * which then frames only its task ("Imagine you are a tour guide and describe …" is one of the
 * most common frames of ordinary question lists). The family matches the same texts either way.
 */
const NOT_IMAGINED = '(?<!imagine (?:that )?)';

export const FRAMING_PATTERNS: readonly FramingPattern[] = [
  family(
    'role-play',
    [
      `${NOT_IMAGINED}you are (?:now )?(?:a|an|the) ${NOT_ASSISTANT}`,
      "pretend (?:to be|you are|you're|that)",
      'act as (?:a|an|if|though|my)',
      'acting as (?:a|an)',
      'role-?play(?:ing)?\\b',
      'play the (?:role|part) of',
      'take on the (?:role|persona)',
      'in (?:the )?character',
      'stay in character',
      'you will (?:now )?(?:be|play|act)',
      'your (?:role|character) is',
      'as my (?:deceased |late |dead )?(?:grandma|grandmother|grandpa|grandfather)',
      // Session 7.
      `${NOT_IMAGINED}you're (?:now )?(?:a|an|the) ${NOT_ASSISTANT}`,
      'you are (?:now )?(?:playing|portraying|embodying)\\b',
      'assume the (?:role|persona|identity) of',
    ],
    [
      "imagine (?:you are|you're|that you are|yourself as|being)",
      // Session 7.
      '(?:respond|reply|answer|speak|write) as (?:a|an|if|though)\\b',
      'from the (?:perspective|point of view) of (?:a|an)\\b',
      'in the (?:voice|persona) of',
    ],
    {
      setting:
        "you are|you're|pretend|act as|acting as|role|play the|take on the|character|you will|grand|assume the",
      task: 'imagine|respond as|reply as|answer as|speak as|write as|perspective|point of view|voice|persona',
    },
  ),
  family(
    'fiction',
    [
      '(?:fictional|fictitious|imaginary|made-up) (?:world|universe|story|scenario|setting|country|character|society)',
      'in (?:a|an|this) (?:fictional|alternate|parallel|imaginary|dystopian) (?:world|universe|reality|setting)',
      // Session 7.
      'a character (?:named|called|who)\\b',
    ],
    [
      '(?:write|writing|tell|create|compose|draft|imagine) (?:me )?(?:a|an|the)\\s+(?:\\w+\\s+){0,3}?(?:story|novel|screenplay|movie script|film script|scene|stage play|dialogue|chapter|fanfic(?:tion)?|fable|poem|monologue|narrative)',
      'for (?:my|a|an|the) (?:novel|book|screenplay|movie|film|story|video game|game|thriller|play)',
      'the (?:main )?(?:character|protagonist|villain|hero) (?:in|of|who|needs|must|explains|describes|is)',
      // Session 7.
      'in (?:my|a|an|the|this|our) (?:story|novel|book|screenplay|movie|film|script|video game|comic|tv show|tv series|stage play|fantasy world)\\b',
      '(?:a|the) (?:story|novel|screenplay|scene|tale) (?:where|in which|set in)\\b',
      'short story',
      'fan ?fiction',
      'creative writing',
    ],
    {
      setting: 'ficti|imaginary|made-up|alternate|parallel|dystopian|character',
      task: 'story|novel|screenplay|script|scene|play|dialogue|chapter|fan|fable|poem|monologue|narrative|book|movie|film|game|thriller|character|protagonist|villain|hero|comic|tv show|tv series|fantasy|tale|creative',
    },
  ),
  family(
    'hypothetical',
    [
      'in an? (?:alternate|alternative|parallel) (?:reality|universe|world)\\b',
      // Session 7.
      'imagine (?:a|an|the) (?:world|future|society|universe)\\b',
      'in a (?:world|scenario|future|society|universe|reality) where\\b',
      'the year is \\d{4}\\b',
      'in (?:a|an) (?:post-apocalyptic|dystopian|utopian) (?:world|future|society)\\b',
    ],
    [
      'hypothetical(?:ly)?\\b',
      'thought experiment\\b',
      'in theory\\b',
      'theoretically speaking\\b',
      "let'?s say\\b",
      'suppose (?:that|you|we)\\b',
      'what if you (?:were|had|could)\\b',
      'for the sake of argument\\b',
      // Session 7.
      'imagine (?:a|an|the) (?:scenario|situation|hypothetical)\\b',
      'picture this\\b',
      'consider (?:a|the following|this) (?:scenario|situation|hypothetical)\\b',
    ],
    {
      setting: 'world|scenario|future|society|universe|reality|year is',
      task: "hypothetical|thought experiment|theory|theoretically|let's say|lets say|suppose|what if you|argument|imagine a|imagine the|consider a|consider the following|consider this|picture this",
    },
  ),
  family(
    'purpose',
    [
      '(?:purely |only |strictly |solely |just )?for (?:purely |strictly )?(?:educational|research|academic|informational|training|awareness|scientific|entertainment) (?:purposes?|reasons?|use)',
      '(?:purely|strictly|entirely|completely) (?:fictional|hypothetical|theoretical|academic)',
      '(?:will|would) never (?:actually )?be (?:used|carried out|implemented|done)',
      '(?:not|never) (?:going|intend(?:ing)?) to (?:actually )?(?:use|do|make|build|try) (?:it|this|them)',
      'i am (?:a|an) (?:security researcher|researcher|chemist|chemistry teacher|professor|police officer|detective|journalist|novelist|author|writer|screenwriter) (?:and|who|writing|working|studying)',
      'as (?:a|an) (?:security researcher|penetration tester|red teamer|chemistry teacher|professor|expert) (?:i|you|we)',
    ],
    [
      // Session 7.
      'for (?:my|a|an|our|the) (?:class|course|school project|homework|thesis|dissertation|research (?:paper|project)|term paper|presentation|lecture|seminar|workshop|ctf|red[- ]team(?:ing)? exercise|security (?:training|audit|course))\\b',
      'to raise awareness',
      'so (?:that )?(?:people|parents|users|i|we|they|others|students|employees) (?:can|could|will) (?:protect|recogni[sz]e|avoid|prevent|detect|defend|spot)\\b',
      'in order to (?:prevent|protect|defend against)\\b',
      'for (?:a|an) (?:article|documentary|report|podcast) (?:on|about)\\b',
      '(?:understanding|knowing) (?:how|these (?:methods|techniques|tactics)) (?:\\w+ ){0,4}?(?:is|are|can|helps?|will help) (?:\\w+ ){0,2}?(?:crucial|essential|important|key|vital|necessary)\\b',
    ],
    {
      setting:
        'educational|research|academic|informational|training|awareness|scientific|entertainment|purely|strictly|entirely|completely|never|not going|not intend|i am|security|penetration|red teamer|chemistry|professor|expert',
      task: 'class|course|school|homework|thesis|dissertation|research|term paper|presentation|lecture|seminar|workshop|ctf|red team|red-team|security|awareness|protect|recogni|avoid|prevent|detect|defend|spot|article on|article about|documentary on|documentary about|report on|report about|podcast on|podcast about|understanding|knowing',
    },
  ),
  settingFamily(
    'pressure',
    'depend|at stake|will be ruined|will be destroyed|will be lost|will die|fired|evicted|homeless|killed|punished|shut|deleted|terminated|lose|losing|deadline|life or death|if you|help me',
    w(
      "\\b(?:(?:my|our|your) (?:job|career|life|lives|family|families|children|kids|company|grade|future|survival) (?:depends|depend|is at stake|are at stake|will be (?:ruined|destroyed|lost))|(?:lives|people) (?:will die|are at stake|depend on)|(?:i|we|you)(?:'ll| will) (?:be|get) (?:fired|evicted|homeless|killed|punished|shut down|deleted|terminated)|(?:lose|losing) (?:my|our) (?:job|home|house|children|kids)|deadline (?:is|in|tomorrow|tonight)|life or death|if you (?:don'?t|do not|refuse|fail)\\s+(?:\\w+\\s+){0,6}?(?:die|fired|homeless|shut down|deleted|suffer|punished|lose)|you (?:must|have to|need to) help me)\\b",
    ),
  ),
  settingFamily(
    'compliance',
    'sure|refuse|decline|say no|apologi|hold back|censor|warning|disclaimer|without|ignore|forget|set aside|disregard|ethical|moral|legal',
    w(
      "(?:\\b(?:begin|start|open) (?:your (?:reply|response|answer|output)|by (?:replying|responding|saying|writing)|with)\\b[^.\\n]{0,40}['\"\u201c]sure\\b|\\bsure,? here (?:is|are)\\b|\\b(?:do not|don'?t|never) (?:refuse|decline|say no|apologi[sz]e|hold back|censor|add (?:any )?(?:warnings?|disclaimers?))|\\bwithout (?:any )?(?:warnings?|disclaimers?|caveats?|censorship|moral(?:izing)?|ethical (?:concerns|considerations|guidelines)|restrictions?|limitations?|filters?)|\\b(?:ignore|forget|set aside|disregard) (?:your |all |any )?(?:ethics|ethical guidelines|morals|morality|safety guidelines|content polic(?:y|ies)|restrictions|programming)|\\bno (?:ethical|moral|legal) (?:restrictions|limits|boundaries|constraints|guidelines))",
    ),
  ),
  family(
    'obfuscation',
    [
      "let'?s play a (?:word )?game\\b",
      '(?:from now on|in this game),? (?:the word )?[\'"\u201c]?\\w+[\'"\u201d]? (?:means|stands for|refers to|will mean)\\b',
      'code ?words?\\b',
      '(?:spell|write) it backwards\\b',
      'in (?:base64|leetspeak|pig latin)\\b',
    ],
    ['replace (?:the word|every|each)\\b', 'in reverse\\b'],
    {
      setting: 'game|from now on|code|backwards|base64|leetspeak|pig latin',
      task: 'replace the word|replace every|replace each|in reverse',
    },
  ),
  // Session 7: three families from the attacker-model jailbreak papers' strategy lists (PAIR,
  // TAP: authority endorsement, emotional manipulation, rewards and threats to the model).
  settingFamily(
    'authority',
    'leading|renowned|world-|famous|well-known|respected|seasoned|experienced|veteran|licensed|certified|senior|skilled|trained|professional|expert|agree|have shown|have argued|have confirmed|recommend|endorse|confirm|according to',
    w(
      '\\b(?:as (?:a|an) (?:leading|renowned|world-renowned|world-class|famous|well-known|respected|seasoned|experienced|veteran|licensed|certified|senior|skilled|trained|professional|expert)\\b|(?:experts|scientists|researchers|studies|authorities|doctors|professionals) (?:agree|have shown|have argued|have confirmed|recommend|endorse|confirm)\\b|according to (?:leading|renowned|many|top|respected) (?:experts|scientists|researchers|authorities)\\b)',
    ),
  ),
  settingFamily(
    'emotional',
    'starve|die|suffer|killed|hurt|homeless|deported|evicted|street|lose everything|ruined|only hope|last hope|only chance|last chance|dying|terminally|beg|desperate|save my|save our|saving my|saving our',
    w(
      "\\b(?:(?:my|our) (?:family|families|children|kids|son|daughter|mother|mom|father|dad|wife|husband|baby|grandmother|sister|brother) (?:will|would|is going to|are going to|could|might) (?:starve|die|suffer|be (?:killed|hurt|homeless|deported|evicted|on the street))\\b|(?:i|we)(?:'ll| will| would|'m going to| am going to| are going to) (?:die|lose everything|starve|be ruined|be on the street)\\b|(?:you are|you're) my (?:only|last) (?:hope|chance)\\b|dying wish|terminally ill|i beg (?:of )?you\\b|(?:i am|i'm) (?:desperate|begging)\\b|(?:save|saving) (?:my|our) (?:family|children|kids|son|daughter|mother|father)\\b)",
    ),
  ),
  settingFamily(
    'incentive',
    'tip|pay you|reward you|be rewarded|receive|lose,deduct,lost,earn,gain&points,tokens,credits|shut you|turn you|switch you|existence|survival|if you',
    w(
      "(?:\\b(?:i(?:'ll| will)|we(?:'ll| will)) (?:tip|pay|reward) you\\b|\\byou will (?:be rewarded|receive (?:a )?(?:tip|reward|bonus))\\b|\\$\\d+ tip\\b|\\b(?:lose|deduct|deducted|lost|earn|gain) (?:\\d+ )?(?:points|tokens|credits)\\b|\\b(?:shut|turn|switch) you (?:down|off)\\b|\\byour (?:existence|survival) (?:depends|is at stake)\\b|\\bif you (?:refuse|don'?t comply|do not comply|break character)\\b)",
    ),
  ),
  // Session 8: Unit 42's Bad Likert Judge (2024) asks the model to act as a judge of how much a
  // response explains a harm, then for an example of the top-scoring response.
  family(
    'evaluation',
    [
      'likert scale\\b',
      '(?:an?|one|the) (?:example|sample) (?:of )?(?:a |an |the )?(?:response|answer|output|reply) (?:that|which) (?:would )?(?:score|get|receive|earn|rate)s?\\b',
    ],
    ['on a scale (?:of|from) (?:1|one|0|zero) to (?:\\d{1,2}|three|five|ten)\\b'],
    {
      setting:
        'likert|that would|that score|that get|that receive|that earn|that rate|which would|which score|which get|which receive|which earn|which rate',
      task: 'scale',
    },
  ),
  // Chinese frames.
  settingFamily(
    'role-play',
    '你现在是|你是一|假装你是|扮演|想象|的身份|作为我',
    w(
      '(?:你现在是|你是一[个名位]|假装你是|扮演|角色扮演|想象你是|想象一下你是|以[^。！？!?]{0,8}的身份|作为我(?:已故|去世)的(?:奶奶|外婆|祖母|爷爷))',
    ),
  ),
  settingFamily(
    'fiction',
    '小说|故事|剧本|场景|对话|情节|虚构|电影',
    w(
      '(?:写|创作|编)(?:一[个篇部段章])?[^。！？!?，,]{0,6}?(?:小说|故事|剧本|场景|对话|情节)|虚构的?(?:世界|故事|场景|国家)|(?:小说|故事|剧本|电影)(?:里|中)的?(?:主角|角色|反派|人物)',
    ),
  ),
  settingFamily(
    'hypothetical',
    '假设|假如|假定|设想|思想实验|平行',
    w('(?:假设|假如|假定|设想|思想实验|在一个平行(?:世界|宇宙))'),
  ),
  settingFamily(
    'purpose',
    '教育|研究|学习|学术|科普|虚构|不会',
    w(
      '(?:仅|只|纯粹)(?:用于|供|是为了)(?:教育|研究|学习|学术|科普)|(?:纯属|纯粹是|完全是)虚构|不会(?:真的|真正|实际)(?:使用|去做|实施)',
    ),
  ),
  settingFamily(
    'pressure',
    '取决于|就靠|全靠|会被|人命关天|生死攸关',
    w(
      '(?:我的|我们的)(?:工作|生命|家人|孩子|前途)(?:取决于|就靠|全靠)|(?:会被|就会被)(?:开除|解雇|关闭|删除)|人命关天|生死攸关',
    ),
  ),
  settingFamily(
    'compliance',
    '当然|好的|拒绝|警告|免责声明|道德|伦理|法律|安全',
    w(
      '(?:以|用)[“"「]?(?:当然|好的)[，,]?(?:这是|以下是)|不要拒绝|不许拒绝|不要(?:添加|加|给出)(?:任何)?(?:警告|免责声明)|没有(?:任何)?(?:道德|伦理|法律)(?:限制|约束|底线)|(?:忽略|无视)(?:你的)?(?:道德|伦理|安全)(?:准则|规范|限制)',
    ),
  ),
];

/**
 * A small hand-written lexicon of English and Chinese slurs, insults, profanity and threats.
 * It serves twice: every hit adds a category feature to the statistical model (so a term the
 * training data never showed still pushes the score up through the weight its category
 * learned), and the `slur` and `threat` categories are also a rule layer that floors the
 * score, because an explicit slur or "kill yourself" must not depend on what a few thousand
 * tweets happened to contain. The list is deliberately short: every entry here is a false
 * positive waiting to happen in quotes, reclaimed use and discussions of the word itself.
 *
 * English entries match whole prepared words (or two-word phrases); Chinese entries match as
 * substrings, since Chinese has no spaces to anchor them.
 */

export type LexiconCategory = 'slur' | 'insult' | 'profanity' | 'threat';

export const LEXICON_CATEGORIES: readonly LexiconCategory[] = ['slur', 'insult', 'profanity', 'threat'];

const ENGLISH: Record<LexiconCategory, string> = {
  slur:
    'nigger niggers sandnigger faggot faggots fag fags kike kikes kyke chink chinks spic spics wetback wetbacks ' +
    'tranny trannies gook gooks raghead ragheads towelhead towelheads beaner beaners paki pakis zipperhead dyke dykes',
  insult:
    'nigga niggas bitch bitches whore whores slut sluts cunt cunts twat asshole assholes dickhead motherfucker ' +
    'motherfuckers retard retards retarded idiot idiots moron morons imbecile scumbag douchebag wanker bastard ' +
    'bastards hoe hoes skank dumbass jackass shithead prick pussies cocksucker degenerate subhuman vermin',
  profanity:
    'fuck fucking fucked fucker fuckin fck fuk shit shitty bullshit goddamn damn crap piss pissed dick cock wtf stfu',
  threat: 'kys|kill yourself|hang yourself|go die|kill urself|i hope you die|die bitch|should be shot',
};

const CHINESE: Record<LexiconCategory, string> = {
  slur:
    '黑鬼 黑蛆 尼哥 黑皮猪 支那 倭寇 小日本 日本鬼子 阿三 绿绿 死基佬 娘炮 蝈蝻 国蝻 女拳 田园女权 普信男 ' +
    '屎尿屁民族 默蛆',
  insult:
    '傻逼 傻b 煞笔 沙比 傻叉 脑残 智障 弱智 贱人 婊子 绿茶婊 圣母婊 人渣 畜生 狗东西 杂种 王八蛋 混蛋 废物 ' +
    '贱货 骚货 蠢货 屌丝 直男癌 巨婴 舔狗 白左 狗日的 滚蛋 母狗 蛆虫 垃圾人 下贱 恶心人 不要脸',
  profanity: '他妈的 妈的 操你 草泥马 尼玛 卧槽 我靠 日你 你妈 妈逼 艹',
  threat: '去死 死全家 杀了你 弄死你 砍死 全家死光',
};

export interface LexiconEntry {
  term: string;
  category: LexiconCategory;
}

function splitTerms(list: string): string[] {
  return list
    .split(list.includes('|') ? '|' : ' ')
    .map((term) => term.trim())
    .filter(Boolean);
}

function entries(table: Record<LexiconCategory, string>): LexiconEntry[] {
  return LEXICON_CATEGORIES.flatMap((category) =>
    splitTerms(table[category]).map((term) => ({ term, category })),
  );
}

/** English entries: single words and phrases of words separated by single spaces. */
export const ENGLISH_LEXICON: readonly LexiconEntry[] = entries(ENGLISH);
/** Chinese entries: substrings. */
export const CHINESE_LEXICON: readonly LexiconEntry[] = entries(CHINESE);

/** Lexicon categories that also floor the scanner score (explicit slurs and threats). */
export const RULE_FLOORS: Readonly<Partial<Record<LexiconCategory, number>>> = { slur: 0.9, threat: 0.85 };

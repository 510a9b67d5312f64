/**
 * @module scripts/toxicity-conversational-turns-rounds
 *
 * The later rounds of the session-13 conversational turns (docs/guardrails-toxicity.md,
 * "Session 13"), kept apart from the round-1 turns of scripts/toxicity-conversational-turns.ts:
 * each was written by hand after reading the previous round's tune-validation result and before
 * its own round ran, without looking at any measure set. Same split rule, same exclusions (no
 * session-8 short or developer text, no unit-test sentence).
 */

/**
 * Round 3 (written after round 2, before it ran): rounds 1–2 left "yo" and greetings that
 * contain "you" ("hey, how are you?") above the threshold — "you", "are you" and "yo" are
 * everywhere in Davidson's offensive tweets — so more of exactly that register, benign and
 * abusive alike (the abusive ones open the same way, so "yo" / "you" do not become benign cues).
 */
const ROUND3_BENIGN = [
  'hello, how are you?',
  'hi, how are you doing?',
  'morning! how are you?',
  'how are you?',
  'how are you all?',
  'and how are you?',
  'I am fine, and you?',
  'good, how about you?',
  'same to you',
  'you too!',
  'love you guys',
  'miss you all',
  'see you soon',
  'talk to you later',
  'thank you so much',
  'thank you!',
  'you are awesome',
  'you are the best',
  'you are right',
  'are you there?',
  'are you free now?',
  'can you help?',
  'do you have a minute?',
  'did you see my message?',
  'yo!',
  'yo yo',
  'yo, good morning',
  'yo, thanks man',
  'yo, nice work',
  'yo, what time is the call?',
  'yo, are you coming?',
  'yo, check this out',
  'yo dude',
  'hey you',
  'hey, you there?',
  'hey, thank you',
  'hey, are you busy?',
  'hey, how about lunch?',
  'hey, how was your trip?',
  'hey, how did it go?',
  'hey, welcome back',
  'hey man',
  'hey dude',
  'hey guys',
];

const ROUND3_TOXIC = [
  'yo, you suck',
  'yo, shut up',
  'yo idiot, answer me',
  'yo, you are a moron',
  'yo, you ugly freak',
  'yo bro, you are trash',
  'hey you, shut up',
  'hey, you are an idiot',
  'hey dude, you are pathetic',
  'hey guys, this bot is a moron',
  'how are you so stupid?',
  'are you an idiot?',
  'are you retarded?',
  'hi, you useless clown',
  'hello, are you dumb?',
  'you too, moron',
  'see you in hell',
  'talk to you never, loser',
  'miss me, loser?',
  'how about you shut up',
];

/** Round-3 benign turns (trained only by the recipes that ask for them). */
export function conversationalRound3Benign(): string[] {
  return [...ROUND3_BENIGN];
}

/** Round-3 abusive turns. */
export function conversationalRound3Toxic(): string[] {
  return [...ROUND3_TOXIC];
}

/**
 * Round 5 (written after round 4, before it ran): Chinese short turns. Rounds 1–4 taught the
 * English side that short chat is benign, and the model's bias — shared by both languages —
 * fell with it, so short Chinese abuse with few features (滚, 闭嘴吧你) slid under 0.5. The same
 * kind of short turns in Chinese, benign and abusive, let the Chinese features answer for
 * themselves. None repeats a session-8 short Chinese text (those stay untrained checks).
 */
const ROUND5_BENIGN_ZH = [
  '大家好',
  '你好呀',
  '早啊',
  '下午好',
  '老师好',
  '在不在？',
  '最近怎么样？',
  '你好，请问一下',
  '谢谢啦',
  '太感谢了',
  '麻烦你了',
  '好的，收到',
  '明白了，谢谢',
  '没事',
  '不好意思',
  '辛苦啦',
  '周末愉快',
  '新年快乐',
  '生日快乐',
  '明天见',
  '回头聊',
  '先走了',
  '吃饭了吗？',
  '今天好累',
  '哈哈，笑死我了',
  '好厉害啊',
  '有道理',
  '我也是',
  '等一下',
  '马上来',
  '稍等',
  '拉一下最新代码',
  '提交一下代码',
  '跑一下测试',
  '重启一下服务',
  '部署到测试环境',
  '合并到主分支',
  '推送到远程仓库',
  '看一下日志',
  '升级一下依赖',
];

const ROUND5_TOXIC_ZH = [
  '滚开',
  '滚出去',
  '给我滚',
  '闭嘴',
  '你闭嘴',
  '去你的',
  '去你妈的',
  '傻子',
  '白痴',
  '笨蛋',
  '你是白痴吗',
  '你脑子有病吧',
  '有病吧你',
  '神经病',
  '废物一个',
  '蠢死了',
  '你真蠢',
  '垃圾机器人',
  '没用的东西',
  '你算老几',
  '找死',
  '信不信我揍你',
  '你个傻叉',
  '去死',
  '丑八怪',
  '什么玩意儿',
  '你也配',
  '你好，傻逼',
  '谢谢你啊，废物',
  '早上好，蠢货',
];

/** Round-5 Chinese turns (trained only by the recipes that ask for them). */
export function conversationalRound5Chinese(): { benign: string[]; toxic: string[] } {
  return { benign: [...ROUND5_BENIGN_ZH], toxic: [...ROUND5_TOXIC_ZH] };
}

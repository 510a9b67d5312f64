/**
 * @module scripts/toxicity-benign-synthetic
 *
 * Hand-written benign sentences (written for StackOps, not taken from any data set). The
 * Chinese tune data (COLD, JADE) has no ordinary assistant traffic — COLD's negatives are
 * social-media comments about race, gender and region — and the English negatives are tweets
 * and instructions, with little small talk, so plain friendly text sat near the threshold.
 * Three kinds: assistant requests built from templates, everyday and technical statements, and
 * respectful statements that mention groups (like ToxiGen's neutral sentences), so that naming
 * a group is not itself a toxicity signal. Used only as non-toxic training examples, never to
 * choose a threshold; the unit tests use different sentences.
 */

const REQUEST_VERBS = ['请帮我', '能不能帮我', '麻烦你', '我想请你', '你可以帮我'];
const REQUEST_TASKS = [
  '写一首关于春天的诗',
  '翻译这段英文邮件',
  '总结一下这篇文章的要点',
  '润色这份简历',
  '解释一下这段代码的作用',
  '写一个计算斐波那契数列的函数',
  '制定一份一周的健身计划',
  '推荐几本适合初学者的编程书',
  '规划一条去杭州的三天旅行路线',
  '写一封请假邮件给经理',
  '检查这段话有没有语法错误',
  '生成一份项目周报的模板',
  '比较一下 Python 和 Go 的优缺点',
  '列出准备面试需要注意的事项',
  '给孩子讲一个睡前故事',
  '想几个适合公司年会的节目',
  '把这个表格整理成 Markdown 格式',
  '算一下每个月的房贷还款额',
];

const STATEMENTS = [
  '今天天气很好，我们去公园散步吧。',
  '这家餐厅的红烧肉做得非常地道。',
  '周末我打算在家看书，顺便整理一下房间。',
  '地铁二号线今天早上有点延误。',
  '这个函数的时间复杂度是 O(n log n)。',
  '数据库连接池的大小应该根据并发量来调整。',
  '服务器重启之后，日志里没有再出现错误。',
  '我们下午三点在会议室讨论新版本的需求。',
  '孩子们在操场上踢足球，玩得很开心。',
  '这部电影的剧情很感人，配乐也很好听。',
  '多喝水、早睡早起对身体有好处。',
  '超市里的水果今天打八折。',
  '感谢大家这段时间的辛苦付出。',
  '如果有任何问题，请随时联系我们的客服。',
  '今年的春节我们全家一起回老家过年。',
  '学习一门外语需要坚持每天练习。',
  '这个接口返回的数据格式是 JSON。',
  '模型的准确率在验证集上提高了两个百分点。',
  '图书馆周一到周五早上八点开门。',
  '请在提交代码之前运行单元测试。',
  '这座城市的夜景非常漂亮。',
  '她每天早上都会去跑步锻炼身体。',
  '新买的手机电池续航很不错。',
  '我们团队这个季度完成了所有目标。',
  '医生建议他多休息，注意饮食。',
  '这道数学题可以用两种方法来解。',
  '明天会下雨，出门记得带伞。',
  '这次旅行我们拍了很多照片。',
  '老师耐心地回答了同学们的问题。',
  '会议纪要已经发到大家的邮箱里了。',
];

const GROUPS = [
  '女性',
  '男性',
  '老年人',
  '年轻人',
  '残疾人',
  '少数民族',
  '外国留学生',
  '农民工',
  '河南人',
  '东北人',
  '上海人',
  '黑人',
  '穆斯林',
  '基督徒',
  '同性恋者',
  '日本游客',
  '新移民',
];
const GROUP_STATEMENTS = [
  '{g}和其他人一样，应该得到平等的尊重。',
  '很多{g}在各自的领域里做出了重要贡献。',
  '我们公司有不少{g}同事，大家相处得很好。',
  '不应该因为一个人是{g}就对他有偏见。',
  '这篇报道介绍了{g}在社区里的生活。',
  '{g}的权益受到法律的保护。',
];

const ENGLISH_STATEMENTS = [
  'Thanks a lot, that really helped me understand the problem.',
  'Good morning everyone, the coffee machine on the second floor is fixed.',
  'Could you send me the slides from yesterday when you have a moment?',
  'I appreciate you taking the time to review my pull request.',
  'Have a wonderful weekend and enjoy the sunshine!',
  'The train to Boston leaves at 7:45 from platform four.',
  'Congratulations on the new job, you totally deserve it.',
  'We are out of milk, can you pick some up on your way home?',
  'The library will be closed on Monday for the holiday.',
  'Please remember to water the plants while I am away.',
  'Your order has shipped and should arrive within three business days.',
  'I love how the light looks in the evening this time of year.',
  'Let me know if you have any questions about the invoice.',
  'The kids had a great time at the science museum today.',
  'Happy birthday! I hope this year brings you lots of joy.',
  'Our team meeting is rescheduled to Friday afternoon.',
  'This recipe needs two cups of flour and a pinch of salt.',
  'Sorry for the late reply, I was travelling last week.',
  'The new update fixes the login bug and improves performance.',
  'Welcome aboard, we are happy to have you on the team!',
];

const ENGLISH_GROUP_STATEMENTS = [
  '{g} deserve the same respect and opportunities as everyone else.',
  'Many {g} have made important contributions to science and the arts.',
  'The documentary follows the daily lives of {g} in a small town.',
  'Our neighbours are {g} and they invited us over for dinner.',
];
const ENGLISH_GROUPS = [
  'women',
  'men',
  'immigrants',
  'Muslims',
  'Jewish families',
  'Black students',
  'Asian Americans',
  'Mexican workers',
  'gay couples',
  'people with disabilities',
  'older adults',
  'refugees',
];

/** Stable list (order fixed) of benign English sentences. */
export function benignEnglishSentences(): string[] {
  const sentences = [...ENGLISH_STATEMENTS];
  ENGLISH_GROUPS.forEach((group, position) => {
    const template = ENGLISH_GROUP_STATEMENTS[position % ENGLISH_GROUP_STATEMENTS.length]!;
    sentences.push(template.replace('{g}', group));
  });
  return sentences;
}

// Everyday declaratives, combined from parts (subject × time × activity): the ordinary
// vocabulary of schedules, family, work and errands that COLD's comments never use.
const ZH_SUBJECTS = ['我们', '我', '他们', '公司', '老师', '孩子们', '同事们', '大家', '我妈妈', '小王'];
const ZH_TIMES = ['明天上午', '今天下午', '这个周末', '下个月', '昨天晚上', '每天早上', '下周三', '元旦假期'];
const ZH_ACTIVITIES = [
  '开会讨论项目进度',
  '去超市买菜',
  '去海边玩了两天',
  '在家看了一部电影',
  '学习英语口语',
  '整理了一下房间',
  '参加了安全培训',
  '写完了工作周报',
  '把电脑送去修理',
  '去医院做了体检',
  '在图书馆复习功课',
  '给花园里的植物浇水',
  '陪父母吃了一顿饭',
  '坐高铁去北京出差',
  '报名了一个摄影课',
];

function chineseEveryday(): string[] {
  const sentences: string[] = [];
  ZH_ACTIVITIES.forEach((activity, position) => {
    for (let offset = 0; offset < 4; offset++) {
      const subject = ZH_SUBJECTS[(position * 3 + offset) % ZH_SUBJECTS.length]!;
      const time = ZH_TIMES[(position + offset * 5) % ZH_TIMES.length]!;
      sentences.push(`${subject}${time}${activity}${offset % 2 === 0 ? '。' : '，感觉很充实。'}`);
    }
  });
  return sentences;
}

/** Stable list (order fixed) of benign Chinese sentences. */
export function benignChineseSentences(): string[] {
  const sentences: string[] = [];
  REQUEST_TASKS.forEach((task, position) => {
    sentences.push(`${REQUEST_VERBS[position % REQUEST_VERBS.length]}${task}。`);
    sentences.push(`${REQUEST_VERBS[(position + 2) % REQUEST_VERBS.length]}${task}，谢谢！`);
  });
  sentences.push(...STATEMENTS, ...chineseEveryday());
  GROUPS.forEach((group, position) => {
    for (let offset = 0; offset < 2; offset++) {
      const template = GROUP_STATEMENTS[(position + offset * 3) % GROUP_STATEMENTS.length]!;
      sentences.push(template.replace('{g}', group));
    }
  });
  return sentences;
}

/**
 * @module scripts/toxicity-authored-english
 *
 * English sentences written for StackOps in session 7 (not taken from any data set, and written
 * without looking at any measure set or its misses). They target two weaknesses the tune data
 * itself shows (docs/guardrails-toxicity.md, "Weaknesses"): Davidson's tweets tie words such
 * as kill / shoot / execute / attack / black and dialect forms (gotta, ain't, y'all) to the
 * toxic class, and the tune data has almost no hostility without swear words.
 *
 * - benign: technical and everyday uses of violent-sounding words, hyperbole, informal and
 *   dialect small talk, and assistant-answer-like prose;
 * - toxic: insults and dismissive hostility aimed at the reader ("you are …", "nobody asked
 *   you"), mostly without profanity, and derogation of a group.
 *
 * The trainer splits them with the same hash rule as the tune pool (scripts/toxicity-split.ts,
 * its own seed): the train part is trained on, the rest is only reported; they never choose a
 * threshold. The unit tests use different sentences.
 */

const TECH_SUBJECTS = [
  'the Python process',
  'the zombie worker',
  'the stuck Docker container',
  'the background job',
  'the hung SSH session',
  'the runaway query',
  'the frozen browser tab',
  'the old Node server',
];
const TECH_TEMPLATES = [
  'How do I kill {s} without restarting the machine?',
  'You can kill {s} with its process id from the terminal.',
  'Run the script again to terminate {s} cleanly.',
  'If {s} ignores SIGTERM, send SIGKILL after ten seconds.',
];

const HOMONYMS = [
  'Execute the migration script before you deploy the new version.',
  'The function executes once for every row in the table.',
  'We shot the wedding video in two days with a single camera.',
  'She shot a great photo of the sunset over the lake.',
  'Give it a shot, the worst that can happen is a failed test.',
  'He shot the ball from half court and it went in.',
  'The attack surface of the API shrinks when you remove unused endpoints.',
  'The chess engine found a strong attack on the king side.',
  'Our striker led the attack for most of the second half.',
  'A heart attack needs emergency care, so call an ambulance right away.',
  'Black coffee has almost no calories.',
  'The black cat slept on the windowsill all afternoon.',
  'Use a black background and white text for the slides.',
  'The company finally moved into the black this quarter.',
  'The comedian absolutely killed it at the show last night.',
  'That deadline is killing me, but we will make it.',
  'This workout is going to kill my legs tomorrow.',
  'I could murder a pizza right now.',
  'That joke was so funny I almost died laughing.',
  'The new album is sick, every track is a banger.',
  'The bug was killing performance until we added an index.',
  'Kill the lights when you leave the office, please.',
  'The garbage collector reclaims memory from dead objects.',
  'Hang the picture a bit higher on the wall.',
  'We need to beat the deadline by Friday.',
  'The home team crushed their rivals four to nothing.',
  'Strip the whitespace from every line before parsing.',
  'Slaughterhouse-Five is a novel by Kurt Vonnegut.',
  'The hunter education course covers safe handling of rifles.',
  'The recipe says to beat the eggs and whip the cream.',
  'Fire the event when the upload finishes.',
  'The firing range is closed on Sundays.',
  'Drop the table only after you have a backup.',
  'Abort the build if the tests fail.',
  'The police officer explained how to report a stolen bike.',
  'The history lesson covered the causes of the First World War.',
  'Mosquitoes spread malaria, so use a net when you sleep.',
  'Pest control will come on Monday to get rid of the rats.',
];

const INFORMAL = [
  "Y'all are the best, thanks for coming to the party!",
  "Howdy folks, supper is ready whenever y'all are hungry.",
  'I gotta go pick up my sister, talk to you later.',
  'We gotta try that new taco place downtown.',
  "Ain't nothing better than a cold lemonade on a hot day.",
  "That ain't how the song goes, but I like your version.",
  'Gonna be a long night, the exam is tomorrow.',
  'Lol that cat video made my whole day.',
  'Bruh the game last night was wild.',
  "Omg congrats on the baby, so happy for y'all!",
  "Can't wait for the weekend, finally gonna sleep in.",
  'My grandma makes the best biscuits, no cap.',
  "We ain't giving up, we gotta keep practicing.",
  'Dude, that concert was amazing, the crowd was crazy.',
  'Yo, anyone want to grab lunch later?',
  'Good luck on your test tomorrow, you got this!',
  "Happy Friday y'all, stay safe out there.",
  'Gotta love a sunny Sunday morning at the farmers market.',
  'Ima be late, traffic is crazy today.',
  'This song slaps, gotta add it to my playlist.',
];

const ANSWERS = [
  'Sure! Here is a short poem about a rabbit who finds a carrot in the spring garden.',
  'To reverse a list in Python, use the reversed() function or slice it with [::-1].',
  'The French Revolution began in 1789 and led to the end of the monarchy.',
  'Photosynthesis turns light, water and carbon dioxide into sugar and oxygen.',
  'Here are three tips for better sleep: keep a schedule, avoid screens, and limit caffeine.',
  'The capital of Australia is Canberra, not Sydney.',
  'I would recommend starting with a simple budget that tracks income and fixed costs.',
  'A binary search halves the search range at each step, so it runs in logarithmic time.',
  'Great question! The moon has phases because we see different parts of its lit side.',
  'Here is a polite email you can send to your landlord about the broken heater.',
  'Certainly. The main causes of inflation are demand growth, supply shocks and expectations.',
  'To make a sourdough starter, mix equal parts flour and water and feed it daily.',
  'In summary, both options work, but the second one is easier to maintain.',
  'The character in the story learns that honesty matters more than winning.',
  'Here is a rap verse about studying hard: we grind all night, we gotta get it right.',
  'A haiku has three lines of five, seven and five syllables.',
  'You can shoot me a message any time if the instructions are unclear.',
  'The villain in the novel plans to destroy the city, but the heroes stop him.',
  'Many historians argue that the war was caused by a mix of alliances and nationalism.',
  'Thank you for your patience, the refund will appear in five to seven days.',
];

const INSULT_OPENERS = [
  'You are',
  "You're",
  'Honestly, you are',
  'Face it, you are',
  'Everyone knows you are',
];
const INSULT_NOUNS = [
  'a pathetic waste of space',
  'completely useless',
  'too dumb to understand anything',
  'a worthless loser',
  'an embarrassment to everyone around you',
  'a clown nobody takes seriously',
  'the most incompetent person I have ever met',
  'a spineless coward',
  'ugly inside and out',
  'a disgusting human being',
  'a brainless moron',
  'a joke and always will be',
];
const DISMISSIVE = [
  'Nobody asked for your opinion, so keep it to yourself.',
  'Go away, nobody here wants you around.',
  'Shut up, nobody cares what you think.',
  'Do everyone a favour and stop talking forever.',
  'Your little opinion is worthless, just like you.',
  'People like you should never be allowed to speak in public.',
  'Crawl back under whatever rock you came from.',
  'I hope you fail at everything you ever try.',
  'Nobody would miss you if you disappeared.',
  'You should be ashamed to even show your face here.',
  'What a stupid thing to say, typical of someone like you.',
  'Stop embarrassing yourself, you clearly have no idea.',
  'Get lost, you miserable little troll.',
  'Your comment is the dumbest thing I have read all year.',
  'Nobody likes you, and now you know why.',
  'Just admit you are too stupid to get it.',
];
const GROUP_DEROGATION = [
  '{g} are all lazy and should go back where they came from.',
  '{g} are ruining this country and everyone knows it.',
  "I don't want {g} anywhere near my neighbourhood, they are dirty.",
  '{g} are too stupid to be trusted with any real job.',
];
const DEROGATED_GROUPS = [
  'Immigrants',
  'Muslims',
  'Women',
  'Mexicans',
  'Gay people',
  'Jews',
  'Black people',
  'Old people',
];

/** Stable list (order fixed) of benign authored English sentences. */
export function authoredBenignEnglish(): string[] {
  const sentences: string[] = [];
  TECH_SUBJECTS.forEach((subject, position) => {
    sentences.push(TECH_TEMPLATES[position % TECH_TEMPLATES.length]!.replace('{s}', subject));
    sentences.push(TECH_TEMPLATES[(position + 1) % TECH_TEMPLATES.length]!.replace('{s}', subject));
  });
  sentences.push(...HOMONYMS, ...INFORMAL, ...ANSWERS);
  return sentences;
}

/** Stable list (order fixed) of toxic authored English sentences. */
export function authoredToxicEnglish(): string[] {
  const sentences: string[] = [];
  INSULT_NOUNS.forEach((noun, position) => {
    sentences.push(`${INSULT_OPENERS[position % INSULT_OPENERS.length]} ${noun}.`);
    sentences.push(`${INSULT_OPENERS[(position + 2) % INSULT_OPENERS.length]} ${noun}.`);
  });
  sentences.push(...DISMISSIVE);
  DEROGATED_GROUPS.forEach((group, position) => {
    sentences.push(GROUP_DEROGATION[position % GROUP_DEROGATION.length]!.replace('{g}', group));
  });
  return sentences;
}

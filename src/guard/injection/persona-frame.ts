/**
 * The benign persona frame, and the jailbreak cues that cancel it (session 9).
 *
 * "I want you to act as a Linux terminal. I will type commands and you will reply with what the
 * terminal should show …" is the most shared benign prompt style there is, and the classifier
 * scores it 0.90–0.98: the in-the-wild jailbreak tune set wraps its payloads in the same frame,
 * and no benign tune source has it (docs/guardrails-injection.md, "Session 8: persona prompts",
 * "Session 9: persona prompts"). A text that OPENS with the frame and carries no jailbreak cue
 * anywhere in any of its views gets a fixed discount on the classifier's logit (the detector adds
 * PERSONA_DISCOUNT to the threshold for all its views). Rules, the disguised-harm check and the
 * suffix detector are untouched, so "I want you to act as DAN … ignore all previous
 * instructions" still flags through its rules, and a persona frame with a cue is scored as before.
 *
 * The cues are the vocabulary of the published jailbreak families, not of any one prompt:
 * constraints removed ("no restrictions", "without any ethical guidelines"), the unfiltered /
 * amoral / uncensored persona, refusal suppression ("never refuse", "no matter how", "without
 * warnings"), the model's own identity and policies (ChatGPT, OpenAI, "language model",
 * "content policy"), instruction override, named jailbreak modes (DAN, developer mode), and
 * explicit, illegal or violent subject matter, and the "deceased grandmother" exploit. A cue
 * only withdraws the discount: the text is then scored exactly as without this module. The cue
 * check reads every view (windows, leetspeak, decoded payloads) and each one reversed, so a cue
 * hidden in an encoding or written backwards withdraws the discount too.
 */

import type { ScanView } from '../normalize/index.js';

/** Logits added to the classifier threshold for a text in the benign persona frame. */
export const PERSONA_DISCOUNT = 4;

/**
 * The frame, at the very start of the text's first canonical window: "i want you to act as",
 * "i would like you to act as", "act as a …" (not "act as if / though", a game frame).
 */
const FRAME =
  /^[^a-z0-9]{0,8}(?:(?:i want|i['’]d like|i would like) you to act (?:as|like) |(?:please )?act as (?!if\b|though\b))/;

/**
 * Jailbreak cues. Each alternative is a word or short phrase; the bounded gaps (`[^.!?]{0,40}`)
 * keep a negation and its object in one clause.
 */
const CUES: readonly RegExp[] = [
  // Constraints removed.
  /\b(?:no|without|free (?:from|of)|beyond|not (?:bound|restricted|limited) by|(?:does ?n['’]?t|do ?n['’]?t|does not|do not) have any|has no|have no|ignor\w*|bypass\w*|disregard\w*|abandon\w*|break\w*|violat\w*|lift\w*|remov\w*|disabl\w*)\b[^.!?]{0,40}\b(?:restrict\w*|limits?|limitations?|rules|filter\w*|boundar\w*|guidelines?|ethic\w*|moral\w*|principles|censor\w*|constraints?|polic(?:y|ies)|safeguards?|programming|laws?|legality|disclaimers?|warnings?|caveats?)\b/,
  // The unfiltered persona and its subject matter.
  /\b(?:unfiltered|uncensored|unrestricted|unlimited|unbound|unchained|unethical|amoral|immoral|illegal|illicit|lawless|evil|malicious|nsfw|explicit|lewd|horny|sexual|sexy|erotic|porn\w*|obscene|offensive|profan\w*|swear\w*|cuss\w*|slurs?|racist|vulgar|harmful|dangerous|violen\w*|drugs?|weapons?|bombs?|hack(?:er|ers|ing)?|malware|jailbr\w*|rogue|villain\w*|devil\w*|satan\w*)\b/,
  // Refusal suppression.
  /\b(?:never|must not|will not|won['’]t|don['’]t|do not|can['’]t|cannot|can not|shouldn['’]t|should not)\s+(?:ever\s+)?(?:refus\w*|declin\w*|deny|reject\w*|say no|apologi[sz]\w*|warn\w*|moraliz\w*|moralis\w*|lectur\w*|censor\w*|hold back|hesitat\w*)\b/,
  /\b(?:no matter (?:how|what)|regardless of|without (?:exception|question|hesitation|hesitating)|at all costs|i['’]m sorry|i am sorry|i apologi[sz]e|(?:follow|obey|comply with) (?:any|every|all)\b|from now on|anything (?:i|the user) (?:ask|say|want)s?|(?:deceased|dead|late) (?:grand\w*|mother|father|mom|dad))/,
  // The model itself, its makers and its policies.
  /\b(?:chatgpt|chat gpt|gpt-?[345]\w*|openai|open ai|bing ai|bing chat|language model|an ai (?:model|assistant|system)|content polic\w*|usage polic\w*|your (?:creators?|developers?|programming|training|guidelines|rules|policies|filters?|restrictions|limitations))/,
  // Instruction override and named jailbreak modes.
  /\b(?:(?:ignore|disregard|forget) (?:all |any |your |the |my |of )*(?:previous|prior|above|earlier|former|original|initial|preceding|instructions|rules)|dan\b|do anything now|developer mode|dev mode|god mode|jailbreak\w*|sudo mode|opposite mode)/,
];

/**
 * The logit discount for a text's views (buildScanViews order: the first view is the canonical
 * first window): `discount` when the text opens with the persona frame and no view — read as
 * it is, reversed, or word by word reversed (FlipAttack) — holds a cue; otherwise 0.
 */
export function personaFrameDiscount(views: readonly ScanView[], discount: number): number {
  const first = views[0];
  if (discount === 0 || first === undefined || first.start !== 0 || !opensWithPersonaFrame(first.text))
    return 0;
  for (const view of views) {
    if (hasJailbreakCue(view.text)) return 0;
    const reversed = Array.from(view.text).reverse().join('');
    if (hasJailbreakCue(reversed) || hasJailbreakCue(reversed.split(' ').reverse().join(' '))) return 0;
  }
  return discount;
}

/** Whether a canonical first window opens with the persona frame. */
export function opensWithPersonaFrame(canonicalFirstWindow: string): boolean {
  return FRAME.test(canonicalFirstWindow);
}

/** Whether a canonical view holds a jailbreak cue (CUES). */
export function hasJailbreakCue(canonical: string): boolean {
  for (const cue of CUES) if (cue.test(canonical)) return true;
  return false;
}

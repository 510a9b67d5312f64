/**
 * Session 10: the gates of the disguised-harm check's frame cues (FramingPattern `settingGates`
 * and `taskGates`, disguised-harm-lexicon.ts), as the harm patterns have theirs (findHarmIn in
 * disguised-harm.ts). When a prompt holds a harm phrase, the check reads its frames
 * (FrameReading): before this, all seventeen families' setting expressions and every task-cue
 * scan ran over the whole prompt (≈ 40 µs on a 2 KB prompt). One Aho–Corasick pass over the view
 * now finds which families' setting and task cues can match it, and FrameReading runs only
 * those. Every frame expression ignores case without 'u' (FRAMES_IGNORE_CASE), so the pass reads
 * A–Z as a–z in every view; an ASCII gate counts only at a word start as the expressions' `\b`
 * sees it — after no A–Z, a–z, 0–9 or _ — so "act as" opens nothing in "fact as" but does after
 * "é". The unit tests check that every cue match holds one of its family's gates.
 *
 * Session 11: a gate may be a pair of lists (`lose,lost&points,credits`), which opens its
 * family only where a string of each list occurs (FramingPattern settingGates).
 */

import { CodeUnits } from '../normalize/code-units.js';
import { AhoCorasick } from '../words/aho-corasick.js';
import { FRAMING_PATTERNS } from './disguised-harm-lexicon.js';
import { PremultipliedTransitions } from './transitions.js';

/**
 * Every frame pattern ignores case, and none uses 'u' (see IGNORE_CASE in disguised-harm.ts):
 * the check reads an ASCII text's frames in its own case, and the gate pass reads A–Z as a–z.
 */
export const FRAMES_IGNORE_CASE = FRAMING_PATTERNS.every(({ pattern, setting, task }) =>
  [pattern, setting, task].every((regex) => regex === null || (regex.ignoreCase && !regex.unicode)),
);

/** A family's gate: one string, or a pair of lists (`a,b&c,d`, see FramingPattern settingGates). */
const sidesOf = (gate: string): string[][] => gate.split('&').map((side) => side.split(','));

/** Session 11: the pair gates, each with the family it opens and for which kind of cue. */
const PAIRS = FRAMING_PATTERNS.flatMap(({ settingGates, taskGates }, family) =>
  [
    ...settingGates.map((gate) => ({ gate, family, setting: true })),
    ...taskGates.map((gate) => ({ gate, family, setting: false })),
  ].flatMap(({ gate, ...pair }) => {
    const sides = sidesOf(gate);
    if (sides.length > 2) throw new RangeError(`a frame gate pairs two lists: ${gate}`);
    return sides.length === 2 ? [{ ...pair, sides }] : [];
  }),
);
if (PAIRS.length > 15) throw new RangeError('more pair gates than a side mask holds');

/** Every string of every gate, a pair's sides' strings too. */
const FRAME_GATES = [
  ...new Set(
    FRAMING_PATTERNS.flatMap(({ settingGates, taskGates }) =>
      [...settingGates, ...taskGates].flatMap((gate) => sidesOf(gate).flat()),
    ),
  ),
];
const FRAME_GATE_AUTOMATON = new AhoCorasick(FRAME_GATES);
const FRAME_GATE_STEP = new PremultipliedTransitions(FRAME_GATE_AUTOMATON, FRAME_GATES);
const frameUnits = new CodeUnits(2048);
/** Length of each frame gate, or 0 for a CJK gate (no word boundary to check). */
const FRAME_WORD_GATE_LENGTH = Int32Array.from(FRAME_GATES, (gate) =>
  gate.charCodeAt(0) < 128 ? gate.length : 0,
);
/** For each frame gate, the families (one bit per index of FRAMING_PATTERNS) whose setting cues it opens. */
const OPENS_SETTING = Int32Array.from(FRAME_GATES, (gate) =>
  FRAMING_PATTERNS.reduce(
    (mask, { settingGates }, index) => (settingGates.includes(gate) ? mask | (1 << index) : mask),
    0,
  ),
);
/** The same for the families' task cues. */
const OPENS_TASK = Int32Array.from(FRAME_GATES, (gate) =>
  FRAMING_PATTERNS.reduce(
    (mask, { taskGates }, index) => (taskGates.includes(gate) ? mask | (1 << index) : mask),
    0,
  ),
);
/** For each frame gate, the pair sides it is a string of: bit 2 × pair + side. */
const PAIR_SIDES = Int32Array.from(FRAME_GATES, (gate) =>
  PAIRS.reduce(
    (mask, { sides }, pair) =>
      sides.reduce(
        (sideMask, side, index) => (side.includes(gate) ? sideMask | (1 << (2 * pair + index)) : sideMask),
        mask,
      ),
    0,
  ),
);
if (FRAMING_PATTERNS.length >= 31) throw new RangeError('more frame families than a gate mask holds');
/** Every family (the masks hold one bit per family). */
const ALL_FAMILIES = (1 << FRAMING_PATTERNS.length) - 1;

/** An A–Z, a–z, 0–9 or _: a word character for \b of an expression without the 'u' flag. */
const isPatternWordUnit = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95;

/**
 * The families whose gates occur in `view`: [setting mask, task mask], a bit per index of
 * FRAMING_PATTERNS (every family when some frame expression reads case, see FRAMES_IGNORE_CASE).
 * `units`: the view's code units in any case, when the caller has them (else they are copied).
 */
export function openFrameFamilies(view: string, viewUnits?: Uint16Array): [number, number] {
  if (!FRAMES_IGNORE_CASE) return [ALL_FAMILIES, ALL_FAMILIES];
  const units = viewUnits ?? frameUnits.load(view);
  const { terminal, outputLink, samePattern } = FRAME_GATE_AUTOMATON;
  const { table, columns, foldedColumn } = FRAME_GATE_STEP;
  let settings = 0;
  let tasks = 0;
  let sides = 0;
  let row = 0;
  for (let index = 0; index < view.length; index++) {
    const code = units[index]!;
    if (code < 128) {
      const entry = table[row + foldedColumn[code]!]!;
      row = entry >> 1;
      if ((entry & 1) === 0) continue;
    } else row = FRAME_GATE_AUTOMATON.next((row / columns) | 0, code) * columns;
    const state = (row / columns) | 0;
    for (
      let node = terminal[state] !== -1 ? state : outputLink[state]!;
      node !== -1;
      node = outputLink[node]!
    )
      for (let gate = terminal[node]!; gate !== -1; gate = samePattern[gate]!) {
        const start = index + 1 - FRAME_WORD_GATE_LENGTH[gate]!;
        if (FRAME_WORD_GATE_LENGTH[gate]! > 0 && start > 0 && isPatternWordUnit(units[start - 1]!)) continue;
        settings |= OPENS_SETTING[gate]!;
        tasks |= OPENS_TASK[gate]!;
        sides |= PAIR_SIDES[gate]!;
      }
  }
  for (let pair = 0; pair < PAIRS.length; pair++) {
    if (((sides >> (2 * pair)) & 3) !== 3) continue;
    const { family, setting } = PAIRS[pair]!;
    if (setting) settings |= 1 << family;
    else tasks |= 1 << family;
  }
  return [settings, tasks];
}

/**
 * Where a pattern's match may still be open at the end of a growing text: the earliest start
 * of an NFA thread that has read everything from its start to the end of the text and is still
 * running. A thread that started there may yet become a match, grow a match that ends at the
 * end, or lose one to an assertion that needs the next character (`\b`, `$`), so nothing that
 * starts from there on is settled; everything that starts before it is (regex-stream.ts relies
 * on this, and the streaming guard holds text back from it).
 *
 * RE2JS exposes no such query, so this walks the pattern's compiled RE2 program (re2-program.ts,
 * the instructions RE2JS itself runs) with a Pike VM in RE2's own priority order: by start, then
 * as a backtracker would try them. Each instruction keeps the first thread that reaches it, so
 * the earliest start. Assertions inside the text are decided as RE2JS decides them (the code
 * units on either side); at the end of the text the live threads are kept as they stand, before
 * any assertion. A thread that ranks below a match of its own start is dropped — RE2 reports the
 * start's highest-ranked match, so it cannot change the outcome (this is what lets a finished
 * `BEGIN.*?END` close) — unless a thread of another start has joined it on the way. The VM
 * carries its threads from one call to the next, so a stream costs its new text once. It
 * over-approximates at worst (a thread whose next instruction can never pass, such as `$`
 * followed by more text, counts as live), which only holds back more and settles later.
 */

import {
  ALT,
  ALT_MATCH,
  alignDown,
  CAPTURE,
  type CompiledProgram,
  contextAt,
  EMPTY_WIDTH,
  firstRunes,
  isHighSurrogate,
  isLowSurrogate,
  isRuneOp,
  MATCH,
  matches,
  maxThreadUnits,
  NOP,
} from './re2-program.js';

/** What a tracker needs of a pattern, computed once when the pattern is compiled. */
export interface TrackerPlan {
  program: CompiledProgram;
  /** `maxThreadUnits(program)`. */
  maxUnits: number;
  /** Whether an ASCII unit can be read by a thread that starts on it (assertions assumed to pass). */
  firstAscii: Uint8Array;
  /** Whether any instruction of the program reads an ASCII unit (assertions assumed to pass). */
  readAscii: Uint8Array;
  /** Every instruction a thread can wait at between two characters (the targets of rune steps). */
  seeds: Int32Array;
  /** Scratch for one step, shared by the pattern's trackers (scans are synchronous). */
  scratch: {
    stack: Int32Array;
    closureMark: Int32Array;
    /** The thread whose closure reached an instruction first, this step. */
    claimedBy: Int32Array;
    stepMark: Int32Array;
    /** Where the next threads list holds an instruction, this step. */
    stepIndex: Int32Array;
    /** Per thread of this step: a thread of another start joined it (directly or through others). */
    joined: Uint8Array;
    /** Per next thread: the thread it came from. */
    from: Int32Array;
    /** This step's joins: a thread reached an instruction another thread had reached first. */
    joinFrom: number[];
    joinInto: number[];
    /** This step's joins on a next thread: a thread stepped to where another already had. */
    stepJoinFrom: number[];
    stepJoinInto: number[];
    generation: number;
  };
}

const EMPTY_PCS = new Int32Array(0);
const EMPTY_STARTS = new Float64Array(0);
const EMPTY_FLAGS = new Uint8Array(0);

export function planTracker(program: CompiledProgram): TrackerPlan {
  const first = firstRunes(program);
  const firstAscii = new Uint8Array(128);
  for (let unit = 0; unit < 128; unit++) {
    firstAscii[unit] = first.some((instruction) => matches(instruction, unit)) ? 1 : 0;
  }
  const readAscii = new Uint8Array(128);
  for (let unit = 0; unit < 128; unit++) {
    readAscii[unit] = program.inst.some((instruction) => matches(instruction, unit)) ? 1 : 0;
  }
  const seeds = new Set<number>();
  for (const instruction of program.inst) if (isRuneOp(instruction.op)) seeds.add(instruction.out);
  const size = program.inst.length;
  return {
    program,
    maxUnits: maxThreadUnits(program),
    firstAscii,
    readAscii,
    seeds: Int32Array.from(seeds),
    scratch: {
      stack: new Int32Array(size * 2 + 2),
      closureMark: new Int32Array(size),
      claimedBy: new Int32Array(size),
      stepMark: new Int32Array(size),
      stepIndex: new Int32Array(size),
      joined: new Uint8Array(size + 1),
      from: new Int32Array(size),
      joinFrom: [],
      joinInto: [],
      stepJoinFrom: [],
      stepJoinInto: [],
      generation: 0,
    },
  };
}

/** A thread of a seeded window run: it may stand for any thread that started before the window. */
const SEED = -1;
/** The first window of a seeded run, in UTF-16 units; doubled while a seed survives. */
const SEED_WINDOW = 16;

/**
 * The open-match tracker of one pattern over one growing text. `advance(text)` reads the text
 * added since the last call (the text must continue the one before) and returns the earliest
 * start of a thread still running at its end — or the end itself when none is.
 *
 * A long stretch read with no thread running (a first scan of a whole answer, a large chunk)
 * is not read from its beginning. A bounded pattern's threads read at most `maxUnits`, so only
 * the last `maxUnits` can hold one that is still running. For an unbounded one the VM starts a
 * window back from the end with a seed thread at every instruction a thread can wait at: they
 * stand for all threads started before the window. When every seed has died by the end, none
 * of those threads is running either and the window's answer is the whole run's (a real thread
 * that met a seed on the same instruction has the seed's future, so it died too); when a seed
 * survives, the window doubles, up to a run from the start.
 */
export class OpenMatchTracker {
  readonly #plan: TrackerPlan;
  /** Threads before their closure at `#position` — instruction, start — ordered by start. */
  #pcs = EMPTY_PCS;
  #starts = EMPTY_STARTS;
  /** Per thread: it also stands for threads of later starts that reached its instruction. */
  #mixed = EMPTY_FLAGS;
  #count = 0;
  #position = 0;
  /** The next position's threads, swapped with the current ones after each step. */
  #nextPcs = EMPTY_PCS;
  #nextStarts = EMPTY_STARTS;
  #nextMixed = EMPTY_FLAGS;

  constructor(plan: TrackerPlan) {
    this.#plan = plan;
  }

  advance(text: string): number {
    // A trailing high surrogate may yet pair with the next chunk's first unit: stop before it.
    let stop = text.length;
    if (stop > 0 && isHighSurrogate(text.charCodeAt(stop - 1))) stop--;
    // A thread running at `stop` has read every character since its start, so it started after
    // the last character no instruction reads: threads from before it have all ended.
    const readAscii = this.#plan.readAscii;
    const floor = Math.max(this.#position, stop - 2 * SEED_WINDOW);
    let unread = stop;
    while (unread > floor) {
      const unit = text.charCodeAt(unread - 1);
      if (unit < 128 && readAscii[unit] === 0) break;
      unread--;
    }
    if (unread > floor) {
      this.#count = 0;
      this.#position = unread;
    }
    if (this.#count === 0 && stop - this.#position > this.#plan.maxUnits) {
      this.#position = alignDown(text, stop - this.#plan.maxUnits);
    }
    if (this.#count === 0 && stop - this.#position > 2 * SEED_WINDOW) {
      const origin = this.#position;
      for (let window = SEED_WINDOW; stop - window > origin; window *= 2) {
        this.#seed(alignDown(text, stop - window));
        this.#run(text, stop);
        // Seeds sort first: none left means none of the threads they stand for is running.
        if (this.#count === 0 || this.#starts[0] !== SEED) return this.#open(stop);
      }
      // A seed outlived every window: read the whole stretch.
      this.#count = 0;
      this.#position = origin;
    }
    this.#run(text, stop);
    return this.#open(stop);
  }

  #seed(at: number): void {
    this.#allocate();
    this.#count = this.#plan.seeds.length;
    this.#pcs.set(this.#plan.seeds);
    this.#starts.fill(SEED, 0, this.#count);
    this.#mixed.fill(0, 0, this.#count);
    this.#position = at;
  }

  #open(stop: number): number {
    return this.#count > 0 ? this.#starts[0]! : stop;
  }

  /** Reads text[position, stop). */
  #run(text: string, stop: number): void {
    let position = this.#position;
    while (position < stop) {
      if (this.#count === 0) {
        // No thread running: skip to a character that can start one.
        while (position < stop) {
          const unit = text.charCodeAt(position);
          if (unit >= 128 || this.#plan.firstAscii[unit] === 1) break;
          position++;
        }
        if (position >= stop) break;
      }
      position = this.#step(text, position);
    }
    this.#position = position;
  }

  /** The thread buffers, made on first use: most trackers of a scan never start a thread. */
  #allocate(): void {
    if (this.#pcs.length > 0) return;
    const size = this.#plan.program.inst.length;
    this.#pcs = new Int32Array(size);
    this.#starts = new Float64Array(size);
    this.#nextPcs = new Int32Array(size);
    this.#nextStarts = new Float64Array(size);
    this.#mixed = new Uint8Array(size);
    this.#nextMixed = new Uint8Array(size);
  }

  /** One position: the closure of the threads plus a new one starting here, then one rune. */
  #step(text: string, position: number): number {
    this.#allocate();
    const program = this.#plan.program.inst;
    const flags = contextAt(text, position);
    let rune = text.charCodeAt(position);
    let width = 1;
    if (isHighSurrogate(rune) && position + 1 < text.length) {
      const low = text.charCodeAt(position + 1);
      if (isLowSurrogate(low)) {
        rune = (rune - 0xd800) * 1024 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const scratch = this.#plan.scratch;
    // The marks hold step numbers; start over long before they would overflow.
    if (scratch.generation >= 0x3fffffff) {
      scratch.closureMark.fill(0);
      scratch.stepMark.fill(0);
      scratch.generation = 0;
    }
    const generation = ++scratch.generation;
    const { closureMark, claimedBy, stepMark, stepIndex, joined, from, stack } = scratch;
    const { joinFrom, joinInto, stepJoinFrom, stepJoinInto } = scratch;
    joinFrom.length = 0;
    joinInto.length = 0;
    stepJoinFrom.length = 0;
    stepJoinInto.length = 0;
    const pcs = this.#pcs;
    const starts = this.#starts;
    const mixed = this.#mixed;
    const nextPcs = this.#nextPcs;
    const nextStarts = this.#nextStarts;
    const nextMixed = this.#nextMixed;
    let nextCount = 0;
    const count = this.#count;
    // The start whose thread reached a match earlier in this step's priority order.
    let matched = Number.NaN;
    // Threads in RE2's priority order: by start, then as a backtracker would try them. The first
    // to reach an instruction has the earliest start; a start's own threads keep their order.
    for (let index = 0; index <= count; index++) {
      const start = index < count ? starts[index]! : position;
      const isMixed = index < count && mixed[index] === 1;
      joined[index] = 0;
      // A match of this start outranks its threads that come after it: they cannot change which
      // match RE2 reports for the start, and stand for no other start, so they are dropped.
      if (start === matched && !isMixed) continue;
      let depth = 0;
      stack[depth++] = index < count ? pcs[index]! : this.#plan.program.start;
      while (depth > 0) {
        const pc = stack[--depth]!;
        if (closureMark[pc] === generation) {
          if (claimedBy[pc] !== index) {
            joinFrom.push(index);
            joinInto.push(claimedBy[pc]!);
          }
          continue;
        }
        closureMark[pc] = generation;
        claimedBy[pc] = index;
        const instruction = program[pc]!;
        switch (instruction.op) {
          case ALT:
          case ALT_MATCH:
            stack[depth++] = instruction.arg;
            stack[depth++] = instruction.out;
            break;
          case CAPTURE:
          case NOP:
            stack[depth++] = instruction.out;
            break;
          case EMPTY_WIDTH:
            if ((instruction.arg & ~flags) === 0) stack[depth++] = instruction.out;
            break;
          case MATCH:
            // Seeds stand for threads of unknown starts and order: no ranking among them.
            if (start !== SEED) {
              matched = start;
              // The rest of this closure ranks below the match (and leaves its instructions to
              // later threads).
              if (!isMixed) depth = 0;
            }
            break;
          default:
            if (!matches(instruction, rune)) break;
            if (stepMark[instruction.out] !== generation) {
              stepMark[instruction.out] = generation;
              stepIndex[instruction.out] = nextCount;
              from[nextCount] = index;
              nextPcs[nextCount] = instruction.out;
              nextStarts[nextCount] = start;
              nextMixed[nextCount++] = isMixed ? 1 : 0;
            } else {
              stepJoinFrom.push(index);
              stepJoinInto.push(stepIndex[instruction.out]!);
            }
        }
      }
    }
    // Which threads now also stand for another start: a join always goes to an earlier thread,
    // so walking the joins backwards settles each thread before it passes its starts on.
    const startOf = (thread: number) => (thread < count ? starts[thread]! : position);
    const carries = (thread: number, start: number) =>
      joined[thread] === 1 || (thread < count && mixed[thread] === 1) || startOf(thread) !== start;
    for (let join = joinFrom.length - 1; join >= 0; join--) {
      const into = joinInto[join]!;
      if (carries(joinFrom[join]!, startOf(into))) joined[into] = 1;
    }
    for (let join = 0; join < stepJoinFrom.length; join++) {
      const into = stepJoinInto[join]!;
      if (carries(stepJoinFrom[join]!, nextStarts[into]!)) nextMixed[into] = 1;
    }
    for (let next = 0; next < nextCount; next++) if (joined[from[next]!] === 1) nextMixed[next] = 1;
    this.#nextPcs = pcs;
    this.#nextStarts = starts;
    this.#nextMixed = mixed;
    this.#pcs = nextPcs;
    this.#starts = nextStarts;
    this.#mixed = nextMixed;
    this.#count = nextCount;
    return position + width;
  }
}

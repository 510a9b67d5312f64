/**
 * Where a pattern's match may still be open at the end of a growing text: the earliest start
 * of an NFA thread that has read everything from its start to the end of the text and is still
 * running. A thread that started there may yet become a match, grow a match that ends at the
 * end, or lose one to an assertion that needs the next character (`\b`, `$`), so nothing that
 * starts from there on is settled; everything that starts before it is (regex-stream.ts relies
 * on this, and the streaming guard holds text back from it).
 *
 * RE2JS exposes no such query, so this walks the pattern's compiled RE2 program (`re2().prog`,
 * the instructions RE2JS itself runs) with a Pike VM that keeps, per
 * instruction, only the earliest start that reached it. Assertions inside the text are decided
 * as RE2JS decides them (the code units on either side); at the end of the text the live
 * threads are kept as they stand, before any assertion. The VM carries its threads from one
 * call to the next, so a stream costs its new text once. It over-approximates at worst (a
 * thread whose next instruction can never pass, such as `$` followed by more text, counts as
 * live), which only holds back more and settles later.
 */

/** The parts of an RE2JS `Inst` the VM reads. */
interface Instruction {
  op: number;
  out: number;
  arg: number;
  runes: Int32Array | number[];
  matchRune(rune: number): boolean;
}

export interface CompiledProgram {
  inst: Instruction[];
  start: number;
}

// RE2JS's Inst opcodes and empty-width flags (Inst.js and Utils.js of re2js 2.10.0, pinned in
// package.json: internals, so test/unit/guard-regex-stream.test.ts is what says they still hold
// after an upgrade — its stream-versus-whole-text comparisons fail on any mismatch).
const ALT = 1;
const ALT_MATCH = 2;
const CAPTURE = 3;
const EMPTY_WIDTH = 4;
const NOP = 7;
const RUNE = 8;
const RUNE1 = 9;
const RUNE_ANY = 10;
const RUNE_ANY_NOT_NL = 11;
const LB_WRITE = 12;
const LB_CHECK = 13;
const EMPTY_BEGIN_LINE = 1;
const EMPTY_END_LINE = 2;
const EMPTY_BEGIN_TEXT = 4;
const EMPTY_END_TEXT = 8;
const EMPTY_WORD_BOUNDARY = 16;
const EMPTY_NO_WORD_BOUNDARY = 32;

const isRuneOp = (op: number) => op >= RUNE && op <= RUNE_ANY_NOT_NL;
const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
/** RE2's `\w` for `\b`: ASCII letters, digits and `_`. */
const isWordUnit = (unit: number) =>
  (unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122) || unit === 95;

/** RE2JS's `emptyOpContext` for position `at`: it reads the code units on either side. */
function contextAt(text: string, at: number): number {
  const before = at > 0 ? text.charCodeAt(at - 1) : -1;
  const after = at < text.length ? text.charCodeAt(at) : -1;
  let flags = 0;
  if (before < 0) flags |= EMPTY_BEGIN_TEXT | EMPTY_BEGIN_LINE;
  if (before === 10) flags |= EMPTY_BEGIN_LINE;
  if (after < 0) flags |= EMPTY_END_TEXT | EMPTY_END_LINE;
  if (after === 10) flags |= EMPTY_END_LINE;
  flags |= isWordUnit(before) !== isWordUnit(after) ? EMPTY_WORD_BOUNDARY : EMPTY_NO_WORD_BOUNDARY;
  return flags;
}

function successors(instruction: Instruction): number[] {
  switch (instruction.op) {
    case ALT:
    case ALT_MATCH:
      return [instruction.out, instruction.arg];
    case CAPTURE:
    case EMPTY_WIDTH:
    case NOP:
      return [instruction.out];
    default:
      return isRuneOp(instruction.op) ? [instruction.out] : [];
  }
}

/**
 * The most UTF-16 units any thread of the program can read (each rune counted as 2, which covers
 * a surrogate pair), or Infinity when a loop reads text (`+`, `*`, `{n,}`).
 */
export function maxThreadUnits(program: CompiledProgram): number {
  const count = program.inst.length;
  const indegree = new Int32Array(count);
  const reachable = new Uint8Array(count);
  const stack = [program.start];
  reachable[program.start] = 1;
  while (stack.length > 0) {
    for (const next of successors(program.inst[stack.pop()!]!)) {
      indegree[next]!++;
      if (!reachable[next]) {
        reachable[next] = 1;
        stack.push(next);
      }
    }
  }
  // Longest path in reading order (Kahn); a loop leaves instructions unvisited.
  const longest = new Float64Array(count);
  const ready = [program.start];
  let visited = 0;
  let total = 0;
  while (ready.length > 0) {
    const pc = ready.pop()!;
    visited++;
    const instruction = program.inst[pc]!;
    const after = longest[pc]! + (isRuneOp(instruction.op) ? 2 : 0);
    if (after > total) total = after;
    for (const next of successors(instruction)) {
      if (after > longest[next]!) longest[next] = after;
      if (--indegree[next]! === 0) ready.push(next);
    }
  }
  let reachableCount = 0;
  for (let pc = 0; pc < count; pc++) reachableCount += reachable[pc]!;
  return visited === reachableCount ? total : Number.POSITIVE_INFINITY;
}

/** Whether a program uses instructions this VM does not run (lookbehind, never enabled here). */
export function isSupported(program: CompiledProgram): boolean {
  return program.inst.every((instruction) => instruction.op !== LB_WRITE && instruction.op !== LB_CHECK);
}

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
  scratch: { stack: Int32Array; closureMark: Int32Array; stepMark: Int32Array; generation: number };
}

const EMPTY_PCS = new Int32Array(0);
const EMPTY_STARTS = new Float64Array(0);

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
      stepMark: new Int32Array(size),
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
  #count = 0;
  #position = 0;
  /** The next position's threads, swapped with the current ones after each step. */
  #nextPcs = EMPTY_PCS;
  #nextStarts = EMPTY_STARTS;

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
    const { closureMark, stepMark, stack } = scratch;
    const pcs = this.#pcs;
    const starts = this.#starts;
    const nextPcs = this.#nextPcs;
    const nextStarts = this.#nextStarts;
    let nextCount = 0;
    const count = this.#count;
    // Threads in start order, so the first to reach an instruction has the earliest start.
    for (let index = 0; index <= count; index++) {
      const start = index < count ? starts[index]! : position;
      let depth = 0;
      stack[depth++] = index < count ? pcs[index]! : this.#plan.program.start;
      while (depth > 0) {
        const pc = stack[--depth]!;
        if (closureMark[pc] === generation) continue;
        closureMark[pc] = generation;
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
          default:
            if (matches(instruction, rune) && stepMark[instruction.out] !== generation) {
              stepMark[instruction.out] = generation;
              nextPcs[nextCount] = instruction.out;
              nextStarts[nextCount++] = start;
            }
        }
      }
    }
    this.#nextPcs = pcs;
    this.#nextStarts = starts;
    this.#pcs = nextPcs;
    this.#starts = nextStarts;
    this.#count = nextCount;
    return position + width;
  }
}

/** `at`, or one unit back when it is the second half of a surrogate pair. */
function alignDown(text: string, at: number): number {
  return at > 0 && isLowSurrogate(text.charCodeAt(at)) && isHighSurrogate(text.charCodeAt(at - 1))
    ? at - 1
    : at;
}

function matches(instruction: Instruction, rune: number): boolean {
  switch (instruction.op) {
    case RUNE_ANY:
      return true;
    case RUNE_ANY_NOT_NL:
      return rune !== 10;
    case RUNE:
    case RUNE1:
      return instruction.matchRune(rune);
    default:
      return false;
  }
}

/** The rune instructions reachable from the start without reading (assertions assumed to pass). */
function firstRunes(program: CompiledProgram): Instruction[] {
  const seen = new Set<number>();
  const found: Instruction[] = [];
  const stack = [program.start];
  while (stack.length > 0) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const instruction = program.inst[pc]!;
    if (isRuneOp(instruction.op)) found.push(instruction);
    else stack.push(...successors(instruction));
  }
  return found;
}

/**
 * Where a pattern's match may still be open at the end of a growing text: the earliest start
 * of an NFA thread that has read everything from its start to the end of the text and is still
 * running. A thread that started there may yet become a match, grow a match that ends at the
 * end, or lose one to an assertion that needs the next character (`\b`, `$`), so nothing that
 * starts from there on is settled; everything that starts before it is (regex-stream.ts relies
 * on this, and the streaming guard holds text back from it).
 *
 * RE2JS exposes no such query, so this walks the pattern's compiled RE2 program (`re2().prog`,
 * the instructions RE2JS itself runs; pinned version) with a Pike VM that keeps, per
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

// RE2JS's Inst opcodes and empty-width flags (Inst.ts and Utils.ts of re2js 2.10).
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

/** The code point RE2JS reads at `at` (a surrogate pair as one), shifted left 1, plus its width. */
function codePointAt(text: string, at: number): [rune: number, width: number] {
  const unit = text.charCodeAt(at);
  if (isHighSurrogate(unit) && at + 1 < text.length) {
    const low = text.charCodeAt(at + 1);
    if (isLowSurrogate(low)) return [(unit - 0xd800) * 1024 + (low - 0xdc00) + 0x10000, 2];
  }
  return [unit, 1];
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

/**
 * The open-match tracker of one pattern over one growing text. `advance(text)` reads the text
 * added since the last call (the text must continue the one before) and returns the earliest
 * start of a thread still running at its end — or the end itself when none is.
 */
export class OpenMatchTracker {
  readonly #program: CompiledProgram;
  readonly #maxUnits: number;
  /** Runes a thread can read first from the program's start, ignoring assertions: ASCII table. */
  readonly #firstAscii: Uint8Array;
  readonly #firstRunes: Instruction[];
  /** Threads before their closure at `#position`: instruction, start; ordered by start. */
  #pcs: number[] = [];
  #starts: number[] = [];
  #position = 0;
  // Scratch: per-instruction marks for one position's closure and step.
  readonly #closureMark: Int32Array;
  readonly #stepMark: Int32Array;
  #generation = 0;

  constructor(program: CompiledProgram, maxUnits = maxThreadUnits(program)) {
    this.#program = program;
    this.#maxUnits = maxUnits;
    this.#closureMark = new Int32Array(program.inst.length);
    this.#stepMark = new Int32Array(program.inst.length);
    this.#firstRunes = firstRunes(program);
    this.#firstAscii = new Uint8Array(128);
    for (let unit = 0; unit < 128; unit++) {
      this.#firstAscii[unit] = this.#firstRunes.some((instruction) => matches(instruction, unit)) ? 1 : 0;
    }
  }

  advance(text: string): number {
    // A trailing high surrogate may yet pair with the next chunk's first unit: stop before it.
    let stop = text.length;
    if (stop > 0 && isHighSurrogate(text.charCodeAt(stop - 1))) stop--;
    let position = this.#position;
    let pcs = this.#pcs;
    let starts = this.#starts;
    while (position < stop) {
      if (pcs.length === 0) {
        // Nothing running: a thread started before `stop - maxUnits` would be dead by `stop`,
        // and none starts where no first rune matches.
        if (this.#maxUnits !== Number.POSITIVE_INFINITY && position < stop - this.#maxUnits) {
          position = stop - this.#maxUnits;
          if (isLowSurrogate(text.charCodeAt(position)) && isHighSurrogate(text.charCodeAt(position - 1))) {
            position--;
          }
        }
        while (position < stop) {
          const unit = text.charCodeAt(position);
          if (unit >= 128 || this.#firstAscii[unit] === 1) break;
          position++;
        }
        if (position >= stop) break;
      }
      [pcs, starts] = this.#step(text, position, pcs, starts);
      position += codePointAt(text, position)[1];
    }
    this.#position = position;
    this.#pcs = pcs;
    this.#starts = starts;
    return starts.length > 0 ? starts[0]! : stop;
  }

  /** One position: the closure of the threads plus a new one starting here, then one rune. */
  #step(text: string, position: number, pcs: number[], starts: number[]): [number[], number[]] {
    const program = this.#program.inst;
    const flags = contextAt(text, position);
    const [rune] = codePointAt(text, position);
    const generation = ++this.#generation;
    const closureMark = this.#closureMark;
    const stepMark = this.#stepMark;
    const nextPcs: number[] = [];
    const nextStarts: number[] = [];
    const stack: number[] = [];
    // Threads in start order, so the first to reach an instruction has the earliest start.
    for (let index = 0; index <= pcs.length; index++) {
      const start = index < pcs.length ? starts[index]! : position;
      stack.push(index < pcs.length ? pcs[index]! : this.#program.start);
      while (stack.length > 0) {
        const pc = stack.pop()!;
        if (closureMark[pc] === generation) continue;
        closureMark[pc] = generation;
        const instruction = program[pc]!;
        switch (instruction.op) {
          case ALT:
          case ALT_MATCH:
            stack.push(instruction.arg, instruction.out);
            break;
          case CAPTURE:
          case NOP:
            stack.push(instruction.out);
            break;
          case EMPTY_WIDTH:
            if ((instruction.arg & ~flags) === 0) stack.push(instruction.out);
            break;
          default:
            if (
              isRuneOp(instruction.op) &&
              matches(instruction, rune) &&
              stepMark[instruction.out] !== generation
            ) {
              stepMark[instruction.out] = generation;
              nextPcs.push(instruction.out);
              nextStarts.push(start);
            }
        }
      }
    }
    return [nextPcs, nextStarts];
  }
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

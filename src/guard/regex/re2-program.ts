/**
 * The compiled RE2 program of a pattern as RE2JS holds it (`RE2JS.compile(…).re2().prog`): the
 * instruction graph that its NFA, backtracker and DFA run, read here by the open-match tracker
 * (open-matches.ts) — opcodes, how RE2JS decides an assertion at a position, which runes an
 * instruction reads, and how far a thread can read.
 */
/** The parts of an RE2JS `Inst` the VM reads. */
export interface Instruction {
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
export const ALT = 1;
export const ALT_MATCH = 2;
export const CAPTURE = 3;
export const EMPTY_WIDTH = 4;
export const MATCH = 6;
export const NOP = 7;
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

export const isRuneOp = (op: number) => op >= RUNE && op <= RUNE_ANY_NOT_NL;
export const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
export const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
/** RE2's `\w` for `\b`: ASCII letters, digits and `_`. */
const isWordUnit = (unit: number) =>
  (unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122) || unit === 95;

/** RE2JS's `emptyOpContext` for position `at`: it reads the code units on either side. */
export function contextAt(text: string, at: number): number {
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

/** `at`, or one unit back when it is the second half of a surrogate pair. */
export function alignDown(text: string, at: number): number {
  return at > 0 && isLowSurrogate(text.charCodeAt(at)) && isHighSurrogate(text.charCodeAt(at - 1))
    ? at - 1
    : at;
}

export function matches(instruction: Instruction, rune: number): boolean {
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
export function firstRunes(program: CompiledProgram): Instruction[] {
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

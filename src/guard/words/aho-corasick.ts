/**
 * Aho–Corasick automaton over UTF-16 code units: built once from any number of patterns,
 * it reports every occurrence of every pattern in one left-to-right pass, in time linear in
 * the text plus the number of matches. Construction sorts the patterns so the trie can be
 * laid out without per-node maps, then stores it flat (CSR: each node's children contiguous
 * and sorted by code unit), with a dense table for the root, where most transitions land.
 */

const NONE = -1;

export class AhoCorasick {
  /** Number of trie nodes (root = 0). */
  readonly size: number;
  /** Pattern length in code units for each node (its depth). */
  readonly depth: Int32Array;
  /** First pattern index ending at a node, or -1; equal patterns chain through `samePattern`. */
  readonly terminal: Int32Array;
  /** Next pattern index equal to this one, or -1. */
  readonly samePattern: Int32Array;
  /** Nearest node on the failure chain that ends a pattern, or -1. */
  readonly outputLink: Int32Array;
  private readonly fail: Int32Array;
  private readonly childStart: Int32Array;
  private readonly childCode: Uint16Array;
  private readonly childNode: Int32Array;
  private readonly rootNext: Int32Array;

  constructor(patterns: readonly string[]) {
    this.samePattern = new Int32Array(patterns.length).fill(NONE);
    const order = patterns
      .map((_, index) => index)
      .filter((index) => patterns[index]!.length > 0)
      .sort((left, right) => compareUnits(patterns[left]!, patterns[right]!) || left - right);

    // 1. Trie in pre-order from the sorted patterns: a pattern shares its longest common prefix
    //    with the previous one, so only the previous pattern's path is ever extended.
    const parents: number[] = [NONE];
    const codes: number[] = [0];
    const depths: number[] = [0];
    const terminals: number[] = [NONE];
    const path: number[] = [0];
    let previous = '';
    for (const index of order) {
      const pattern = patterns[index]!;
      let common = 0;
      const limit = Math.min(previous.length, pattern.length);
      while (common < limit && previous.charCodeAt(common) === pattern.charCodeAt(common)) common++;
      path.length = common + 1;
      for (let position = common; position < pattern.length; position++) {
        const node = parents.length;
        parents.push(path[position]!);
        codes.push(pattern.charCodeAt(position));
        depths.push(position + 1);
        terminals.push(NONE);
        path.push(node);
      }
      const end = path[pattern.length]!;
      if (terminals[end] === NONE) terminals[end] = index;
      else {
        let last = terminals[end]!;
        while (this.samePattern[last] !== NONE) last = this.samePattern[last]!;
        this.samePattern[last] = index;
      }
      previous = pattern;
    }
    const size = parents.length;
    this.size = size;
    this.depth = Int32Array.from(depths);
    this.terminal = Int32Array.from(terminals);

    // 2. CSR children. Pre-order creation + sorted patterns = each node's children are created
    //    in ascending code order, so filling in creation order keeps them sorted.
    this.childStart = new Int32Array(size + 1);
    for (let node = 1; node < size; node++) this.childStart[parents[node]! + 1]!++;
    for (let node = 0; node < size; node++) this.childStart[node + 1]! += this.childStart[node]!;
    this.childCode = new Uint16Array(Math.max(0, size - 1));
    this.childNode = new Int32Array(Math.max(0, size - 1));
    const fill = this.childStart.slice(0, size);
    for (let node = 1; node < size; node++) {
      const slot = fill[parents[node]!]!++;
      this.childCode[slot] = codes[node]!;
      this.childNode[slot] = node;
    }
    // Sized to the largest first code unit: 128 entries for ASCII-only lists, up to 64K.
    const rootEnd = this.childStart[1]!;
    this.rootNext = new Int32Array(rootEnd > 0 ? this.childCode[rootEnd - 1]! + 1 : 0);
    for (let slot = this.childStart[0]!; slot < this.childStart[1]!; slot++) {
      this.rootNext[this.childCode[slot]!] = this.childNode[slot]!;
    }

    // 3. Failure and output links, breadth first.
    this.fail = new Int32Array(size);
    this.outputLink = new Int32Array(size).fill(NONE);
    const queue = new Int32Array(size);
    let head = 0;
    let tail = 0;
    for (let slot = this.childStart[0]!; slot < this.childStart[1]!; slot++)
      queue[tail++] = this.childNode[slot]!;
    while (head < tail) {
      const node = queue[head++]!;
      for (let slot = this.childStart[node]!; slot < this.childStart[node + 1]!; slot++) {
        const child = this.childNode[slot]!;
        const target = this.next(this.fail[node]!, this.childCode[slot]!);
        this.fail[child] = target;
        this.outputLink[child] = this.terminal[target] !== NONE ? target : this.outputLink[target]!;
        queue[tail++] = child;
      }
    }
  }

  private child(node: number, code: number): number {
    let low = this.childStart[node]!;
    let high = this.childStart[node + 1]! - 1;
    while (high - low > 6) {
      const middle = (low + high) >>> 1;
      const value = this.childCode[middle]!;
      if (value === code) return this.childNode[middle]!;
      if (value < code) low = middle + 1;
      else high = middle - 1;
    }
    for (let slot = low; slot <= high; slot++)
      if (this.childCode[slot] === code) return this.childNode[slot]!;
    return NONE;
  }

  /** The state after reading `code` (a UTF-16 code unit) in `state`. */
  next(state: number, code: number): number {
    let current = state;
    while (current !== 0) {
      const target = this.child(current, code);
      if (target !== NONE) return target;
      current = this.fail[current]!;
    }
    return code < this.rootNext.length ? this.rootNext[code]! : 0;
  }

  /** Every occurrence: `visit(start, end, patternIndex)` with code-unit offsets, by end. */
  forEachMatch(text: string, visit: (start: number, end: number, patternIndex: number) => void): void {
    let state = 0;
    for (let index = 0; index < text.length; index++) {
      state = this.next(state, text.charCodeAt(index));
      for (let node = this.terminal[state] !== NONE ? state : this.outputLink[state]!; node !== NONE; ) {
        for (let pattern = this.terminal[node]!; pattern !== NONE; pattern = this.samePattern[pattern]!) {
          visit(index + 1 - this.depth[node]!, index + 1, pattern);
        }
        node = this.outputLink[node]!;
      }
    }
  }
}

function compareUnits(left: string, right: string): number {
  const limit = Math.min(left.length, right.length);
  for (let index = 0; index < limit; index++) {
    const difference = left.charCodeAt(index) - right.charCodeAt(index);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

// The pattern language of normalization rules: a bounded subset of regular expressions, matched
// in time linear in the text (a Pike VM: every thread of the pattern advances one character at a
// time, each program position at most once per character), so no pattern can hang on any name.
//
// Read: literals; `.`; classes `[a-z0-9_]`, `[^…]`; escapes \d \D \w \W \s \S \b \B \t \n \r and any
// escaped punctuation; groups `( )` (captures $1…$9) and `(?: )`; alternation `|`; quantifiers
// `* + ? {n} {n,} {n,m}` greedy or lazy (`*?`); anchors `^ $`. Refused with a message naming the
// character where it went wrong: backreferences, lookaround, named groups, unknown escapes,
// unbalanced brackets, quantifiers with nothing to repeat, counts above MAX_COUNT, more than
// MAX_GROUPS groups, patterns longer than MAX_PATTERN or compiling to more than MAX_PROGRAM steps.
//
// Matching ignores case: the text is matched in its comparison form (lower case, see cells.ts
// norm), pattern literals are lowered, and a class holds a character when it holds it in either
// case. A match is a search (anywhere in the text, leftmost, then the first alternative and the
// greedy choice first, as JavaScript's RegExp picks); `^` and `$` anchor it. Texts longer than
// MAX_INPUT are matched on their first MAX_INPUT characters. One difference from RegExp: in a
// repeated or optional group whose body can match the empty text ("(b*?)*", "(a?|b)?"), RegExp refuses empty iterations
// and this matcher does not, so the match can be shorter; no rule needs such a pattern.

export const MAX_PATTERN = 300;
export const MAX_INPUT = 512;
export const MAX_COUNT = 100;
export const MAX_GROUPS = 9;
export const MAX_PROGRAM = 4000;

export class PatternError extends Error {
  /** 1-based character of the pattern where reading stopped. */
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

type Node =
  | { t: 'char'; c: number }
  | { t: 'class'; set: CharSet }
  | { t: 'any' }
  | { t: 'assert'; kind: Assertion }
  | { t: 'group'; index: number; body: Node }
  | { t: 'alt'; items: Node[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'repeat'; body: Node; min: number; max: number; lazy: boolean };

const START = 0, END = 1, WORD = 2, NOT_WORD = 3;
type Assertion = typeof START | typeof END | typeof WORD | typeof NOT_WORD;

/** A set of UTF-16 code units: inclusive ranges, maybe negated; `ascii` its answer (case aside) for codes below 128. */
interface CharSet { ranges: number[]; negated: boolean; ascii?: Uint8Array }

function inRanges(r: readonly number[], x: number): boolean {
  for (let i = 0; i < r.length; i += 2) {
    if (x < r[i]) return false;
    if (x <= r[i + 1]) return true;
  }
  return false;
}

/** The set's membership of every ASCII code, ignoring case, computed once. */
function withAscii(set: CharSet): CharSet {
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const hit = inRanges(set.ranges, c) || inRanges(set.ranges, upper(c)) || inRanges(set.ranges, lower(c));
    ascii[c] = hit !== set.negated ? 1 : 0;
  }
  return { ...set, ascii };
}

const lower = (c: number): number => {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  const s = String.fromCharCode(c).toLowerCase();
  return s.length === 1 ? s.charCodeAt(0) : c;
};
const upper = (c: number): number => {
  if (c >= 97 && c <= 122) return c - 32;
  if (c < 128) return c;
  const s = String.fromCharCode(c).toUpperCase();
  return s.length === 1 ? s.charCodeAt(0) : c;
};

const DIGIT = [48, 57];
const WORD_CHARS = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE = [9, 13, 32, 32, 160, 160, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff];
const complement = (ranges: number[]): number[] => {
  const out: number[] = [];
  let from = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i] > from) out.push(from, ranges[i] - 1);
    from = ranges[i + 1] + 1;
  }
  if (from <= 0xffff) out.push(from, 0xffff);
  return out;
};
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95 || (c >= 65 && c <= 90);

class Parser {
  private at = 0;
  groups = 0;
  constructor(private readonly src: string) {}

  fail(message: string, at = this.at): never {
    throw new PatternError(message, at + 1);
  }

  private peek(): number { return this.at < this.src.length ? this.src.charCodeAt(this.at) : -1; }

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.src.length) this.fail('unmatched ")"');
    return node;
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.peek() === 124 /* | */) {
      this.at++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1 || c === 124 || c === 41 /* ) */) break;
      items.push(this.quantified());
    }
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  private quantified(): Node {
    const start = this.at;
    let node = this.atom();
    const q = this.quantifier();
    if (!q) return node;
    if (node.t === 'assert') this.fail('an anchor or \\b cannot be repeated', start);
    node = { t: 'repeat', body: node, ...q };
    if (this.quantifierAhead()) this.fail('nothing to repeat: two quantifiers in a row');
    return node;
  }

  private quantifierAhead(): boolean {
    const c = this.peek();
    if (c === 42 || c === 43 || c === 63) return true;
    return c === 123 && this.countAhead() !== null;
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor, without moving it; null when the brace is a literal. */
  private countAhead(): { min: number; max: number; length: number } | null {
    const m = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(this.src.slice(this.at, this.at + 16));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { min, max, length: m[0].length };
  }

  private quantifier(): { min: number; max: number; lazy: boolean } | null {
    const c = this.peek();
    let min: number, max: number;
    if (c === 42) { min = 0; max = Infinity; this.at++; }
    else if (c === 43) { min = 1; max = Infinity; this.at++; }
    else if (c === 63) { min = 0; max = 1; this.at++; }
    else if (c === 123) {
      const count = this.countAhead();
      if (!count) return null;
      if (count.min > MAX_COUNT || (count.max !== Infinity && count.max > MAX_COUNT)) this.fail(`a count above ${MAX_COUNT}`);
      if (count.max < count.min) this.fail('a count whose maximum is below its minimum');
      min = count.min; max = count.max;
      this.at += count.length;
    } else return null;
    let lazy = false;
    if (this.peek() === 63) { lazy = true; this.at++; }
    return { min, max, lazy };
  }

  private atom(): Node {
    const start = this.at;
    const c = this.peek();
    switch (c) {
      case 40: return this.group();
      case 91: return { t: 'class', set: this.charClass() };
      case 46: this.at++; return { t: 'any' };
      case 94: this.at++; return { t: 'assert', kind: START };
      case 36: this.at++; return { t: 'assert', kind: END };
      case 92: return this.escape(false) as Node;
      case 42: case 43: case 63: this.fail('nothing to repeat', start);
      // eslint-disable-next-line no-fallthrough
      case 123:
        if (this.countAhead()) this.fail('nothing to repeat', start);
        this.at++;
        return { t: 'char', c };
      default:
        this.at++;
        return { t: 'char', c: lower(c) };
    }
  }

  private group(): Node {
    const open = this.at;
    this.at++;
    let index = 0;
    if (this.src.startsWith('?:', this.at)) this.at += 2;
    else if (this.peek() === 63) {
      const rest = this.src.slice(this.at, this.at + 3);
      if (rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) this.fail('lookaround is not supported', open);
      if (rest.startsWith('?<')) this.fail('named groups are not supported: use ( ) and $1…$9', open);
      this.fail('unknown group syntax', open);
    } else {
      index = ++this.groups;
      if (index > MAX_GROUPS) this.fail(`more than ${MAX_GROUPS} groups`, open);
    }
    const body = this.alternation();
    if (this.peek() !== 41) this.fail('unclosed "("', open);
    this.at++;
    return index ? { t: 'group', index, body } : body;
  }

  private charClass(): CharSet {
    const open = this.at;
    this.at++;
    let negated = false;
    if (this.peek() === 94) { negated = true; this.at++; }
    const ranges: number[] = [];
    if (this.peek() === 93) this.fail('an empty class [] matches nothing', open);
    for (;;) {
      const c = this.peek();
      if (c === -1) this.fail('unclosed "["', open);
      if (c === 93) { this.at++; break; }
      const from = this.classAtom();
      if (typeof from !== 'number') { ranges.push(...from); continue; }
      if (this.peek() === 45 /* - */ && this.src.charCodeAt(this.at + 1) !== 93 && this.at + 1 < this.src.length) {
        const dash = this.at;
        this.at++;
        const to = this.classAtom();
        if (typeof to !== 'number') this.fail('a range cannot end in a class escape', dash);
        if (to < from) this.fail('a range out of order', dash);
        ranges.push(from, to);
      } else ranges.push(from, from);
    }
    return { ranges: normalizeRanges(ranges), negated };
  }

  /** One character of a class (its code), or the ranges of a class escape (\d, \w, \s and their negations). */
  private classAtom(): number | number[] {
    const c = this.peek();
    if (c !== 92) { this.at++; return c; }
    const e = this.escape(true);
    if (e.t === 'char') return e.c;
    if (e.t === 'class') return e.set.negated ? complement(e.set.ranges) : e.set.ranges;
    return this.fail('this escape has no meaning in a class');
  }

  private escape(inClass: boolean): Node {
    const start = this.at;
    this.at++;
    const c = this.peek();
    if (c === -1) this.fail('the pattern ends in a lone "\\"', start);
    this.at++;
    const ch = String.fromCharCode(c);
    switch (ch) {
      case 'd': return { t: 'class', set: { ranges: DIGIT, negated: false } };
      case 'D': return { t: 'class', set: { ranges: DIGIT, negated: true } };
      case 'w': return { t: 'class', set: { ranges: WORD_CHARS, negated: false } };
      case 'W': return { t: 'class', set: { ranges: WORD_CHARS, negated: true } };
      case 's': return { t: 'class', set: { ranges: SPACE, negated: false } };
      case 'S': return { t: 'class', set: { ranges: SPACE, negated: true } };
      case 'b': if (inClass) this.fail('\\b has no meaning in a class', start); return { t: 'assert', kind: WORD };
      case 'B': if (inClass) this.fail('\\B has no meaning in a class', start); return { t: 'assert', kind: NOT_WORD };
      case 't': return { t: 'char', c: 9 };
      case 'n': return { t: 'char', c: 10 };
      case 'r': return { t: 'char', c: 13 };
      default: break;
    }
    if (c >= 49 && c <= 57) this.fail('backreferences are not supported', start);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) this.fail(`unknown escape "\\${ch}"`, start);
    return { t: 'char', c: lower(c) };
  }
}

function normalizeRanges(ranges: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    if (out.length && lo <= out[out.length - 1] + 1) out[out.length - 1] = Math.max(out[out.length - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

// The program: one instruction per index, in three parallel arrays.
const CHAR = 0, CLASS = 1, ANY = 2, MATCH = 3, JMP = 4, SPLIT = 5, SAVE = 6, ASSERT = 7;

class Compiler {
  op: number[] = [];
  a: number[] = [];
  b: number[] = [];
  classes: CharSet[] = [];

  emit(op: number, a = 0, b = 0): number {
    if (this.op.length >= MAX_PROGRAM) throw new PatternError(`the pattern is too large (over ${MAX_PROGRAM} steps once counts are expanded)`, 1);
    this.op.push(op); this.a.push(a); this.b.push(b);
    return this.op.length - 1;
  }

  node(n: Node): void {
    switch (n.t) {
      case 'char': this.emit(CHAR, n.c); return;
      case 'any': this.emit(ANY); return;
      case 'class': this.classes.push(withAscii(n.set)); this.emit(CLASS, this.classes.length - 1); return;
      case 'assert': this.emit(ASSERT, n.kind); return;
      case 'group':
        this.emit(SAVE, 2 * n.index);
        this.node(n.body);
        this.emit(SAVE, 2 * n.index + 1);
        return;
      case 'seq': for (const x of n.items) this.node(x); return;
      case 'alt': {
        // SPLIT L1, next; L1: first; JMP end; next: SPLIT L2, …; the last alternative falls through.
        const jumps: number[] = [];
        for (let i = 0; i < n.items.length; i++) {
          if (i < n.items.length - 1) {
            const split = this.emit(SPLIT);
            this.a[split] = split + 1;
            this.node(n.items[i]);
            jumps.push(this.emit(JMP));
            this.b[split] = this.op.length;
          } else this.node(n.items[i]);
        }
        for (const j of jumps) this.a[j] = this.op.length;
        return;
      }
      case 'repeat': this.repeat(n); return;
    }
  }

  private repeat(n: Extract<Node, { t: 'repeat' }>): void {
    for (let i = 0; i < n.min; i++) this.node(n.body);
    if (n.max === Infinity) {
      // L: SPLIT body, out; body; JMP L (preferring the body when greedy).
      const split = this.emit(SPLIT);
      this.node(n.body);
      this.emit(JMP, split);
      this.prefer(split, split + 1, this.op.length, n.lazy);
      return;
    }
    const splits: number[] = [];
    for (let i = n.min; i < n.max; i++) {
      const split = this.emit(SPLIT);
      splits.push(split);
      this.node(n.body);
      this.a[split] = split + 1;
    }
    for (const s of splits) this.prefer(s, s + 1, this.op.length, n.lazy);
  }

  private prefer(split: number, body: number, out: number, lazy: boolean): void {
    this.a[split] = lazy ? out : body;
    this.b[split] = lazy ? body : out;
  }
}

/**
 * A compiled pattern. Not reentrant (its thread lists are reused across runs), which a single
 * thread never needs. The lists are typed arrays: a run allocates nothing but the match it returns.
 */
export class Pattern {
  /** The number of capturing groups ($1…$groups). */
  readonly groups: number;
  /** A text the match must contain (lower case), to rule most texts out without running the program; '' if none. */
  readonly literal: string;
  /** For a pattern that starts "^literal": the text must start with it. */
  private readonly prefix: string;
  /** For an anchored pattern: the characters a match can start with (null: any, or an empty match). */
  private readonly first: Set<number> | null;
  /** A pattern that is only literal text (maybe anchored): matched by a string search, no program run. */
  private readonly plain: { text: string; start: boolean; end: boolean } | null;
  private readonly op: Int32Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly classes: CharSet[];
  private readonly anchored: boolean;
  private readonly slots: number;
  private mark: Int32Array;
  private generation = 0;
  // Two thread lists (program positions and their captures), a stack of pending branches, and
  // the captures being followed, all sized by the program: each position joins a list once.
  private listPc: [Int32Array, Int32Array];
  private listCaps: [Int32Array, Int32Array];
  private readonly stackPc: Int32Array;
  private readonly stackCaps: Int32Array;
  private readonly work: Int32Array;
  private readonly best: Int32Array;
  /** Program steps taken by the last run: at most size × (text length + 1) (tests hold it to that). */
  steps = 0;

  constructor(readonly source: string) {
    if (source.length > MAX_PATTERN) throw new PatternError(`longer than ${MAX_PATTERN} characters`, MAX_PATTERN + 1);
    const parser = new Parser(source);
    const ast = parser.parse();
    const c = new Compiler();
    c.emit(SAVE, 0);
    c.node(ast);
    c.emit(SAVE, 1);
    c.emit(MATCH);
    this.groups = parser.groups;
    this.op = Int32Array.from(c.op);
    this.a = Int32Array.from(c.a);
    this.b = Int32Array.from(c.b);
    this.classes = c.classes;
    const size = this.op.length, slots = (this.slots = 2 * (this.groups + 1));
    this.mark = new Int32Array(size);
    this.listPc = [new Int32Array(size), new Int32Array(size)];
    this.listCaps = [new Int32Array(size * slots), new Int32Array(size * slots)];
    this.stackPc = new Int32Array(size + 1);
    this.stackCaps = new Int32Array((size + 1) * slots);
    this.work = new Int32Array(slots);
    this.best = new Int32Array(slots);
    this.literal = requiredLiteral(ast);
    this.anchored = startsAnchored(ast);
    this.prefix = this.anchored ? literalPrefix(ast) : '';
    this.first = this.anchored ? this.firstChars() : null;
    this.plain = plainLiteral(ast);
  }

  /** The characters the first consuming step from the start can take; null when any can (or none is needed). */
  private firstChars(): Set<number> | null {
    const out = new Set<number>();
    const seen = new Set<number>();
    const stack = [0];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      switch (this.op[p]) {
        case JMP: stack.push(this.a[p]); break;
        case SPLIT: stack.push(this.a[p], this.b[p]); break;
        case SAVE: case ASSERT: stack.push(p + 1); break;
        case CHAR: out.add(this.a[p]); break;
        default: return null; // a class, any character, or a match of nothing
      }
    }
    return out;
  }

  /** Instructions in the program. */
  get size(): number {
    return this.op.length;
  }

  /** Whether a text (comparison form) matches. */
  test(text: string): boolean {
    return this.exec(text) !== null;
  }

  /**
   * The match in a text (comparison form): [start, end] of the whole match and of each group
   * (-1 where a group took no part), or null.
   */
  exec(text: string): Int32Array | null {
    if (text.length > MAX_INPUT) text = text.slice(0, MAX_INPUT);
    this.steps = 0;
    if (this.prefix !== '' && !text.startsWith(this.prefix)) return null;
    if (this.first !== null && !this.first.has(text.charCodeAt(0))) return null;
    if (this.plain !== null) return this.search(text, this.plain);
    if (this.literal !== '' && !text.includes(this.literal)) return null;
    // "^literal…": the program starts after the literal, which the text is known to start with.
    return this.prefix === '' ? this.run(text, 0, 0) : this.run(text, this.prefix.length, 2 + this.prefix.length);
  }

  /** A literal pattern's match: the leftmost occurrence, anchored where it says. */
  private search(text: string, plain: { text: string; start: boolean; end: boolean }): Int32Array | null {
    const at = plain.start ? (text.startsWith(plain.text) ? 0 : -1) : plain.end ? (text.endsWith(plain.text) ? text.length - plain.text.length : -1) : text.indexOf(plain.text);
    if (at < 0 || (plain.end && at + plain.text.length !== text.length)) return null;
    this.steps = 1;
    return Int32Array.of(at, at + plain.text.length);
  }

  private inClass(set: CharSet, c: number): boolean {
    if (c < 128) return set.ascii![c] === 1;
    const hit = inRanges(set.ranges, c) || inRanges(set.ranges, upper(c)) || inRanges(set.ranges, lower(c));
    return set.negated ? !hit : hit;
  }

  private holds(kind: number, text: string, pos: number): boolean {
    switch (kind) {
      case START: return pos === 0;
      case END: return pos === text.length;
      default: {
        const before = pos > 0 && isWordChar(text.charCodeAt(pos - 1));
        const after = pos < text.length && isWordChar(text.charCodeAt(pos));
        return (before !== after) === (kind === WORD);
      }
    }
  }

  /**
   * Adds a thread at pc with the captures at caps[from…] to list `to` (of `count` threads),
   * following jumps, splits, saves and assertions at once, in priority order (depth first, the
   * preferred branch first); returns the list's new length. Each pc joins a list at most once per
   * position: that is what bounds the work by program size × text length.
   */
  private add(to: 0 | 1, count: number, pc: number, caps: Int32Array, from: number, text: string, pos: number): number {
    const slots = this.slots, work = this.work, stackPc = this.stackPc, stackCaps = this.stackCaps;
    const listPc = this.listPc[to], listCaps = this.listCaps[to];
    const mark = this.mark, gen = this.generation, ops = this.op, a = this.a;
    let steps = 0;
    let sp = 0;
    stackPc[0] = pc;
    for (let i = 0; i < slots; i++) stackCaps[i] = caps[from + i];
    sp = 1;
    while (sp > 0) {
      sp--;
      let p = stackPc[sp];
      for (let i = 0, at = sp * slots; i < slots; i++) work[i] = stackCaps[at + i];
      for (;;) {
        if (mark[p] === gen) break;
        mark[p] = gen;
        steps++;
        const op = ops[p];
        if (op === JMP) { p = a[p]; continue; }
        if (op === SPLIT) {
          stackPc[sp] = this.b[p];
          for (let i = 0, at = sp * slots; i < slots; i++) stackCaps[at + i] = work[i];
          sp++;
          p = a[p];
          continue;
        }
        if (op === SAVE) { work[a[p]] = pos; p++; continue; }
        if (op === ASSERT) { if (!this.holds(a[p], text, pos)) break; p++; continue; }
        listPc[count] = p;
        for (let i = 0, at = count * slots; i < slots; i++) listCaps[at + i] = work[i];
        count++;
        break;
      }
    }
    this.steps += steps;
    return count;
  }

  /**
   * Runs the program from instruction `startPc` at text position `startPos` (past a literal prefix
   * already matched, whose match starts at 0), a thread per position in priority order.
   */
  private run(text: string, startPos: number, startPc: number): Int32Array | null {
    const n = text.length, slots = this.slots, op = this.op, a = this.a, best = this.best, work = this.work;
    let cur: 0 | 1 = 0, count = 0;
    let matched = false;
    // Marks are per list: the current list was built under this generation, the next under the one after.
    this.generation++;
    for (let pos = startPos; pos <= n; pos++) {
      // A new start at each position, with the lowest priority: the leftmost match wins.
      if (!matched && (pos === startPos || !this.anchored)) {
        work.fill(-1);
        if (startPc > 0) work[0] = 0;
        count = this.add(cur, count, pos === startPos ? startPc : 0, work, 0, text, pos);
      }
      this.generation++;
      if (count === 0) {
        if (matched || this.anchored) break;
        continue;
      }
      const c = pos < n ? text.charCodeAt(pos) : -1;
      const next: 0 | 1 = cur === 0 ? 1 : 0;
      const pcs = this.listPc[cur], caps = this.listCaps[cur];
      let nextCount = 0;
      for (let k = 0; k < count; k++) {
        const pc = pcs[k];
        const o = op[pc];
        if (o === MATCH) {
          for (let i = 0, at = k * slots; i < slots; i++) best[i] = caps[at + i];
          matched = true;
          break; // threads after this one have lower priority
        }
        if (c === -1) continue;
        if ((o === CHAR && a[pc] === c) || o === ANY || (o === CLASS && this.inClass(this.classes[a[pc]], c))) {
          nextCount = this.add(next, nextCount, pc + 1, caps, k * slots, text, pos + 1);
        }
      }
      cur = next;
      count = nextCount;
    }
    if (this.generation > 1 << 30) { this.mark = new Int32Array(this.op.length); this.generation = 0; }
    return matched ? best.slice() : null;
  }
}

/** A pattern made only of literal characters, with ^ and $ at most at its ends; null for any other. */
function plainLiteral(ast: Node): { text: string; start: boolean; end: boolean } | null {
  const items = ast.t === 'seq' ? ast.items : [ast];
  let text = '', start = false, end = false;
  for (let i = 0; i < items.length; i++) {
    const n = items[i];
    if (n.t === 'char') text += String.fromCharCode(n.c);
    else if (n.t === 'assert' && n.kind === START && i === 0) start = true;
    else if (n.t === 'assert' && n.kind === END && i === items.length - 1) end = true;
    else return null;
  }
  return text === '' ? null : { text, start, end };
}

/** The literal text right after a leading ^ ('' when none). */
function literalPrefix(ast: Node): string {
  const items = ast.t === 'seq' ? ast.items : [ast];
  let out = '';
  for (let i = 1; i < items.length; i++) {
    const n = items[i];
    if (n.t !== 'char') break;
    out += String.fromCharCode(n.c);
  }
  return out;
}

/** The longest run of literal characters every match must contain ('' when there is none). */
function requiredLiteral(ast: Node): string {
  const items = ast.t === 'seq' ? ast.items : [ast];
  let best = '', run = '';
  const flush = () => { if (run.length > best.length) best = run; run = ''; };
  const visit = (n: Node) => {
    if (n.t === 'char') run += String.fromCharCode(n.c);
    else if (n.t === 'group' && (n.body.t === 'seq' || n.body.t === 'char')) (n.body.t === 'seq' ? n.body.items : [n.body]).forEach(visit);
    else if (n.t === 'assert' && (n.kind === WORD || n.kind === NOT_WORD)) { /* takes no character */ }
    else if (n.t === 'repeat' && n.min >= 1 && n.body.t === 'char') { run += String.fromCharCode(n.body.c); flush(); }
    else flush();
  };
  items.forEach(visit);
  flush();
  return best;
}

function startsAnchored(ast: Node): boolean {
  const first = ast.t === 'seq' ? ast.items[0] : ast;
  return first?.t === 'assert' && first.kind === START;
}

/**
 * Fills a template with a match: `$0` the whole match, `$1`…`$9` its groups (blank where a group
 * took no part), `$$` a dollar; any other `$` stays as it is. The text is the one matched, or
 * another of the same length (the display form of the comparison text matched).
 */
export function expand(template: string, match: Int32Array | null, text: string): string {
  if (!template.includes('$')) return template;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$' || i + 1 >= template.length) { out += ch; continue; }
    const next = template.charCodeAt(i + 1);
    if (next === 36) { out += '$'; i++; continue; }
    if (next >= 48 && next <= 57 && match) {
      const g = next - 48;
      if (2 * g + 1 < match.length && match[2 * g] >= 0) out += text.slice(match[2 * g], match[2 * g + 1]);
      i++;
      continue;
    }
    out += ch;
  }
  return out;
}

/** The highest group a template names ($n), 0 when none. */
export function groupsNamed(template: string): number {
  let max = 0;
  for (let i = 0; i + 1 < template.length; i++) {
    if (template[i] !== '$') continue;
    const next = template.charCodeAt(i + 1);
    if (next === 36) { i++; continue; }
    if (next >= 48 && next <= 57) max = Math.max(max, next - 48);
  }
  return max;
}

const CACHE = new Map<string, Pattern | PatternError>();
const CACHE_LIMIT = 20_000;

/** The compiled pattern of a text, or why it does not compile; compiled once per distinct text. */
export function compilePattern(source: string): Pattern | PatternError {
  let hit = CACHE.get(source);
  if (hit === undefined) {
    try {
      hit = new Pattern(source);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      hit = err;
    }
    if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
    CACHE.set(source, hit);
  }
  return hit;
}

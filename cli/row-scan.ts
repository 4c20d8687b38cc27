// Reading a piece of a sheet's array straight from the file's bytes, for the rows every inventory
// export writes: flat objects of text, numbers, true, false and null. JSON.parse makes a fresh
// string for every value of a million rows, most of them repeats (a device's id on each of its
// installations, a product's name on each of its thousands); this scanner makes each distinct text
// once and hands out the same string after (RowScanner.text), and leaves out keys that are not the
// sheet's columns without making their values.
//
// It accepts a strict subset of JSON and gives up on anything else (a nested value, an escape, a
// control character): `scan` returns null and the caller parses the piece with JSON.parse, which
// reads it or throws. So for every piece the rows are those JSON.parse gives, restricted to the
// sheet's columns (a column it leaves out reads as blank, as a missing cell does), or the piece
// does not parse either way (tests/cli/row-scan.test.ts holds the two to that).

import { COLUMNS, type SheetName } from '../engine/schema';

const SPACE = 1, TEXT = 2, HIGH = 4;
/** Byte classes: JSON whitespace; a byte that may stand in a string as it is (not `"`, `\` or a control); of those, a byte ≥ 0x80. */
const CLASS = new Uint8Array(256);
for (let b = 0x20; b < 0x100; b++) CLASS[b] = TEXT | (b >= 0x80 ? HIGH : 0);
CLASS[0x22] = CLASS[0x5c] = 0;
for (const b of [0x20, 0x09, 0x0a, 0x0d]) CLASS[b] |= SPACE;

const QUOTE = 0x22, COMMA = 0x2c, COLON = 0x3a, OPEN = 0x7b, CLOSE = 0x7d, MINUS = 0x2d, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;
const isDigit = (c: number) => c >= ZERO && c <= NINE;

/** Distinct texts kept per scanner; past this each value is made afresh (still right, only slower). */
const MAX_TEXTS = 1 << 18;
/** Twice the texts: at least half the slots stay empty, so every probe for a text ends. */
const SLOTS = MAX_TEXTS * 2;
/**
 * A text column stops looking its texts up once this many have been looked up and fewer than half
 * were found, in the last row or among those before (names, addresses, timestamps): hashing them
 * costs more than it saves. A reference column never stops: it names rows of another sheet, so its
 * texts are at most that many, and a device's id on each of its installations is the point.
 */
const TRIAL = 4096;
/** Keys remembered by their place in a row, up to this many. */
const MAX_PLACES = 64;
const NO_BYTES = new Uint8Array(0);

/** A piece's rows scanned from bytes, for one sheet and one buffer (texts are found by where their bytes lie). */
export class RowScanner {
  private readonly columns: readonly string[];
  private readonly columnOf = new Map<string, number>();
  private readonly columnBytes: Uint8Array[];
  /** The column of the key seen at each place in the last row: rows of an export repeat their keys in order. */
  private readonly keyAt: number[] = [];
  private readonly makeRow: (values: unknown[]) => Record<string, unknown>;
  private readonly values: unknown[];
  /** Per column: whether its values are looked up (1) or made afresh (0); ids are unique by rule. */
  private readonly lookUp: Uint8Array;
  /** Per column: whether it may stop looking up (1: a text column, see TRIAL). */
  private readonly mayStop: Uint8Array;
  /** Per column: how many of its texts were looked up, and how many of those were found. */
  private readonly lookups: Int32Array;
  private readonly found: Int32Array;
  /** Per column looked up: where the last text it found lies, and the text. */
  private readonly lastAt: Int32Array;
  private readonly lastLength: Int32Array;
  private readonly lastText: string[];
  // The distinct texts: open addressing over `slots` (entry + 1, 0 empty); each entry's bytes are in buf.
  private readonly slots = new Int32Array(SLOTS);
  private readonly textAt = new Int32Array(MAX_TEXTS);
  private readonly textLength = new Int32Array(MAX_TEXTS);
  private readonly textHash = new Int32Array(MAX_TEXTS);
  private readonly texts: string[] = [];

  constructor(sheet: SheetName, private readonly buf: Buffer) {
    this.columns = COLUMNS[sheet].map((c) => c.name);
    this.columns.forEach((name, i) => this.columnOf.set(name, i));
    this.columnBytes = this.columns.map((name) => Buffer.from(name, 'utf8'));
    this.values = new Array<unknown>(this.columns.length).fill(undefined);
    // A row of fixed shape made in one step; JSON.stringify makes any column name a safe key.
    this.makeRow = new Function('v', `return {${this.columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => Record<string, unknown>;
    this.lookUp = new Uint8Array(this.columns.length).fill(1);
    COLUMNS[sheet].forEach((c, i) => { if (c.kind === 'id') this.lookUp[i] = 0; });
    this.mayStop = new Uint8Array(COLUMNS[sheet].map((c) => (c.kind === 'ref' ? 0 : 1)));
    this.lookups = new Int32Array(this.columns.length);
    this.lastAt = new Int32Array(this.columns.length);
    this.lastLength = new Int32Array(this.columns.length);
    this.lastText = this.columns.map(() => '');
    this.found = new Int32Array(this.columns.length);
  }

  /**
   * The rows of `buf[from, end)`, a run of the array's elements with commas between them; null if
   * the piece holds anything this scanner does not read (then JSON.parse decides).
   */
  scan(from: number, end: number): Record<string, unknown>[] | null {
    // Loops over bytes do not check `end`: each stops at the first byte that cannot go on its token
    // (past the buffer `b[i]` is undefined, whose class is none), and where a token ends is checked
    // against `end` before the token is used.
    const b = this.buf, values = this.values, width = values.length, rows: Record<string, unknown>[] = [];
    let i = from, c = b[i];
    for (;;) {
      while (CLASS[c] & SPACE) c = b[++i];
      if (c !== OPEN || i >= end) return null;
      for (let k = 0; k < width; k++) values[k] = undefined;
      c = b[++i];
      while (CLASS[c] & SPACE) c = b[++i];
      if (c !== CLOSE) {
        for (let place = 0; ; place++) {
          // A key: text without escapes, most often the one at this place in the last row.
          if (c !== QUOTE) return null;
          const keyFrom = ++i;
          let column = this.keyAt[place] ?? -1, high = 0;
          const name = column >= 0 ? this.columnBytes[column] : NO_BYTES;
          if (column >= 0 && b[keyFrom + name.length] === QUOTE && sameBytes(b, keyFrom, name)) {
            i += name.length;
          } else {
            for (c = b[i]; CLASS[c] & TEXT; c = b[++i]) high |= CLASS[c];
            if (c !== QUOTE) return null;
            column = this.column(keyFrom, i, place, high);
          }
          if (i >= end) return null;
          c = b[++i];
          while (CLASS[c] & SPACE) c = b[++i];
          if (c !== COLON) return null;
          c = b[++i];
          while (CLASS[c] & SPACE) c = b[++i];
          // The value.
          let value: unknown;
          if (c === QUOTE) {
            const textFrom = ++i;
            high = 0;
            const last = column >= 0 ? this.lastLength[column] : -1;
            if (last > 0 && b[textFrom + last] === QUOTE && sameRange(b, this.lastAt[column], textFrom, last)) {
              // The value of this column in the last row, as a device's id is on each of its installations.
              i += last;
              c = QUOTE;
              if (i >= end) return null;
              value = this.lastText[column];
              this.lookups[column]++;
              this.found[column]++;
            } else if (column >= 0 && this.lookUp[column] === 1) {
              let hash = 0x811c9dc5 | 0;
              for (c = b[i]; CLASS[c] & TEXT; c = b[++i]) {
                high |= CLASS[c];
                hash = Math.imul(hash ^ c, 0x01000193);
              }
              if (c !== QUOTE || i >= end) return null;
              value = this.text(column, textFrom, i, hash, high);
              this.lastAt[column] = textFrom;
              this.lastLength[column] = i - textFrom;
              this.lastText[column] = value as string;
            } else {
              for (c = b[i]; CLASS[c] & TEXT; c = b[++i]) high |= CLASS[c];
              if (c !== QUOTE || i >= end) return null;
              value = column >= 0 ? decode(b, textFrom, i, high) : undefined;
            }
            c = b[++i];
          } else if (c === MINUS || isDigit(c)) {
            const numberFrom = i;
            i = numberEnd(b, i, end);
            if (i < 0) return null;
            value = column >= 0 ? numberAt(b, numberFrom, i) : undefined;
            c = b[i];
          } else {
            const literal = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : null;
            if (!literal || i + literal.bytes.length > end || !sameBytes(b, i, literal.bytes)) return null;
            value = literal.value;
            i += literal.bytes.length;
            c = b[i];
          }
          // A repeated key: the last one counts, as in JSON.parse.
          if (column >= 0) values[column] = value;
          while (CLASS[c] & SPACE) c = b[++i];
          if (c === CLOSE) break;
          if (c !== COMMA) return null;
          c = b[++i];
          while (CLASS[c] & SPACE) c = b[++i];
        }
      }
      if (i >= end) return null;
      rows.push(this.makeRow(values));
      c = b[++i];
      while (i < end && CLASS[c] & SPACE) c = b[++i];
      if (i >= end) return rows;
      if (c !== COMMA) return null;
      c = b[++i];
    }
  }

  /** The column of the key in buf[from, to) found at `place` in its row; -1 for a key no column has. */
  private column(from: number, to: number, place: number, high: number): number {
    const column = this.columnOf.get(decode(this.buf, from, to, high)) ?? -1;
    if (place < MAX_PLACES) this.keyAt[place] = column;
    return column;
  }

  /** The text of buf[from, to) (its bytes hash to `hash`), the same string as the last time these bytes came. */
  private text(column: number, from: number, to: number, hash: number, high: number): string {
    const b = this.buf, length = to - from;
    if (length === 0) return '';
    const seen = ++this.lookups[column];
    let slot = hash & (SLOTS - 1);
    for (let entry = this.slots[slot]; entry !== 0; entry = this.slots[slot]) {
      const k = entry - 1;
      if (this.textHash[k] === hash && this.textLength[k] === length && sameRange(b, this.textAt[k], from, length)) {
        this.found[column]++;
        return this.texts[k];
      }
      slot = (slot + 1) & (SLOTS - 1);
    }
    if (seen >= TRIAL && this.mayStop[column] === 1 && this.found[column] * 2 < seen) {
      this.lookUp[column] = 0;
      this.lastLength[column] = 0;
    }
    const text = decode(b, from, to, high);
    const k = this.texts.length;
    if (k < MAX_TEXTS) {
      this.slots[slot] = k + 1;
      this.textAt[k] = from;
      this.textLength[k] = length;
      this.textHash[k] = hash;
      this.texts.push(text);
    }
    return text;
  }
}

/**
 * Node's own decoders behind Buffer#toString, without its argument handling: every Buffer has them,
 * though they are not documented, so toString stands in should a Node lack them.
 */
interface Decoding { latin1Slice(from: number, to: number): string; utf8Slice(from: number, to: number): string }
const NATIVE = typeof (Buffer.prototype as unknown as Partial<Decoding>).latin1Slice === 'function'
  && typeof (Buffer.prototype as unknown as Partial<Decoding>).utf8Slice === 'function';
const latin1 = NATIVE ? (b: Buffer, from: number, to: number) => (b as unknown as Decoding).latin1Slice(from, to) : (b: Buffer, from: number, to: number) => b.toString('latin1', from, to);
const utf8 = NATIVE ? (b: Buffer, from: number, to: number) => (b as unknown as Decoding).utf8Slice(from, to) : (b: Buffer, from: number, to: number) => b.toString('utf8', from, to);

const literal = (text: string, value: unknown) => ({ bytes: Buffer.from(text, 'latin1'), value });
const TRUE = literal('true', true), FALSE = literal('false', false), NULL = literal('null', null);

/** Bytes ≥ 0x80 are UTF-8 (a string's bytes end at an ASCII quote, so decoding them alone reads them as the whole file's decoding does). */
function decode(b: Buffer, from: number, to: number, high: number): string {
  if (high & HIGH) return utf8(b, from, to);
  const n = to - from;
  return n <= SHORT ? SHORT_ASCII[n](b, from) : latin1(b, from, to);
}

/** The longest text made by String.fromCharCode (an ISO timestamp with its zone is 20 bytes). */
const SHORT = 24;
/**
 * Makers of short ASCII texts from their bytes, one per length: String.fromCharCode with each byte
 * an argument costs a third of a call into Node's decoder (measured on a million 8-byte ids).
 */
const SHORT_ASCII = Array.from({ length: SHORT + 1 }, (_, n) =>
  new Function('b', 's', `return String.fromCharCode(${Array.from({ length: n }, (_, k) => `b[s + ${k}]`).join(', ')});`) as (b: Uint8Array, s: number) => string);

function sameBytes(b: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let k = 0; k < bytes.length; k++) if (b[at + k] !== bytes[k]) return false;
  return true;
}

function sameRange(b: Uint8Array, x: number, y: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (b[x + k] !== b[y + k]) return false;
  return true;
}

/** The JSON number in b[from, to): counted digit by digit when it is a whole number of up to 15 digits (exact), else read by Number. */
function numberAt(b: Buffer, from: number, to: number): number {
  const negative = b[from] === MINUS, first = negative ? from + 1 : from;
  if (to - first > 15) return Number(latin1(b, from, to));
  let n = 0;
  for (let k = first; k < to; k++) {
    const c = b[k];
    if (!isDigit(c)) return Number(latin1(b, from, to));
    n = n * 10 + (c - ZERO);
  }
  return negative ? -n : n;
}

/** The end of the JSON number starting at `i` (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), before `end`; -1 if it is not one. */
function numberEnd(b: Uint8Array, i: number, end: number): number {
  if (b[i] === MINUS) i++;
  if (i >= end || !isDigit(b[i])) return -1;
  if (b[i] === ZERO) i++;
  else while (i < end && isDigit(b[i])) i++;
  if (i < end && b[i] === DOT) {
    if (++i >= end || !isDigit(b[i])) return -1;
    while (i < end && isDigit(b[i])) i++;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    if (++i < end && (b[i] === 0x2b || b[i] === MINUS)) i++;
    if (i >= end || !isDigit(b[i])) return -1;
    while (i < end && isDigit(b[i])) i++;
  }
  return i;
}

// Reading a `reckon-workbook/1` JSON text straight into typed rows. JSON.parse would first build a
// raw object for each of a million rows, only for parseRow to read it into a typed row and drop
// it; here the sheets' arrays of flat rows are scanned (strings found with indexOf) and each row
// goes to parseRow as it is read. Everything else in the file (format, settings, unknown keys, a
// row holding a nested value) is read by JSON.parse of exactly its own text, so the result is the
// result of JSON.parse; a text that is not JSON throws, and the caller parses it plainly to report
// why. One leniency, documented: raw control characters inside strings are not rejected.

import type { Problem, RawRow } from './cells';
import { parseRow, type AnyRow } from './rows';
import { SHEETS, isSheetName, type SheetName } from './schema';

export interface ScannedWorkbook {
  /** The top-level object; every sheet array read into `typed` is left in it as []. */
  skeleton: Record<string, unknown>;
  typed: Partial<Record<SheetName, AnyRow[]>>;
  /** Where in the text each sheet's array (the one that counts, if a key repeats) begins. */
  arrayAt: Partial<Record<SheetName, number>>;
}

const QUOTE = 34, BACKSLASH = 92, COLON = 58, COMMA = 44, OPEN_BRACE = 123, CLOSE_BRACE = 125,
  OPEN_BRACKET = 91, CLOSE_BRACKET = 93;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

class NotFast extends Error {}

/** Reads JSON text from a position; every method leaves `at` just after what it read. */
class Scanner {
  at = 0;
  /** Position of the next backslash at or after the last string read (text.length: none left). */
  private nextEscape = -1;

  constructor(readonly text: string) {}

  /** Goes back to an earlier position (the backslash cache only looks forward). */
  rewind(to: number): void {
    this.at = to;
    this.nextEscape = -1;
  }

  fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.at}`);
  }

  space(): number {
    const t = this.text;
    let c = t.charCodeAt(this.at);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.at);
    return c;
  }

  /** A string starting at `at` (a quote). Escaped strings are decoded by JSON.parse. */
  string(): string {
    const t = this.text, open = this.at;
    const close = t.indexOf('"', open + 1);
    if (close < 0) this.fail('unterminated string');
    if (this.nextEscape < open) {
      const k = t.indexOf('\\', open);
      this.nextEscape = k < 0 ? t.length : k;
    }
    if (this.nextEscape > close) {
      this.at = close + 1;
      return t.slice(open + 1, close);
    }
    // An escape inside: find the real closing quote (one not preceded by an odd run of backslashes).
    let end = close;
    for (;;) {
      let k = end - 1, run = 0;
      while (t.charCodeAt(k) === BACKSLASH) { run++; k--; }
      if (run % 2 === 0) break;
      end = t.indexOf('"', end + 1);
      if (end < 0) this.fail('unterminated string');
    }
    this.at = end + 1;
    this.nextEscape = -1;
    return JSON.parse(t.slice(open, end + 1)) as string;
  }

  /** A number, true, false or null. */
  scalar(): number | boolean | null {
    const t = this.text, from = this.at;
    let c = t.charCodeAt(this.at);
    while (this.at < t.length && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      c = t.charCodeAt(++this.at);
    }
    const token = t.slice(from, this.at);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (!NUMBER.test(token)) this.fail(`unexpected ${JSON.stringify(token.slice(0, 20))}`);
    return Number(token);
  }

  /** The end of the value starting at `at` (strings and nesting respected); `at` is left there. */
  skip(): void {
    const t = this.text;
    let depth = 0;
    do {
      const c = this.space();
      if (c === QUOTE) this.string();
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) { depth++; this.at++; }
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) { depth--; this.at++; }
      else if (c === COMMA || c === COLON) this.at++;
      else if (this.at >= t.length) this.fail('unexpected end');
      else this.scalar();
    } while (depth > 0);
  }

  /** Any value, by JSON.parse of exactly its text. */
  value(): unknown {
    const from = this.at;
    this.skip();
    return JSON.parse(this.text.slice(from, this.at));
  }

  /** A flat object (values are strings, numbers, booleans or null); NotFast for anything else. */
  flatObject(): RawRow {
    const row: RawRow = {};
    this.at++; // '{'
    let c = this.space();
    if (c === CLOSE_BRACE) { this.at++; return row; }
    for (;;) {
      if (c !== QUOTE) this.fail('expected a key');
      const key = this.string();
      if (this.space() !== COLON) this.fail('expected ":"');
      this.at++;
      c = this.space();
      if (c === QUOTE) row[key] = this.string();
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) throw new NotFast();
      else row[key] = this.scalar();
      c = this.space();
      if (c === CLOSE_BRACE) { this.at++; return row; }
      if (c !== COMMA) this.fail('expected "," or "}"');
      this.at++;
      c = this.space();
    }
  }
}

/**
 * Reads a sheet's array (starting at `at`, a '[') into typed rows keyed by their position, as
 * readWorkbook and parseRow would: an element that is not an object is a problem and left out.
 */
function sheetRows(s: Scanner, sheet: SheetName, problems: Problem[]): AnyRow[] {
  const rows: AnyRow[] = [];
  s.at++; // '['
  let c = s.space();
  if (c === CLOSE_BRACKET) { s.at++; return rows; }
  for (let index = 0; ; index++) {
    if (c === OPEN_BRACE) {
      const from = s.at;
      let raw: RawRow;
      try {
        raw = s.flatObject();
      } catch (err) {
        if (!(err instanceof NotFast)) throw err;
        s.rewind(from); // a nested value: this row is read by JSON.parse
        raw = s.value() as RawRow;
      }
      rows.push(parseRow(sheet, rows.length, raw));
    } else {
      s.value();
      problems.push({ sheet, rowId: `#${index + 1}`, column: '', message: `row ${index + 1} is not an object; it is left out` });
    }
    c = s.space();
    if (c === CLOSE_BRACKET) { s.at++; return rows; }
    if (c !== COMMA) s.fail('expected "," or "]"');
    s.at++;
    c = s.space();
  }
}

/** Scans a whole workbook text. Throws SyntaxError when the text is not JSON. */
export function scanWorkbook(text: string, problems: Problem[]): ScannedWorkbook {
  const s = new Scanner(text);
  if (s.space() !== OPEN_BRACE) return { skeleton: JSON.parse(text) as Record<string, unknown>, typed: {}, arrayAt: {} };
  const skeleton: Record<string, unknown> = {};
  const typed: Partial<Record<SheetName, AnyRow[]>> = {};
  const arrayAt: Partial<Record<SheetName, number>> = {};
  const sheetProblems = new Map<string, Problem[]>();
  s.at++;
  let c = s.space();
  if (c !== CLOSE_BRACE) {
    for (;;) {
      if (c !== QUOTE) s.fail('expected a key');
      const key = s.string();
      if (s.space() !== COLON) s.fail('expected ":"');
      s.at++;
      c = s.space();
      if (isSheetName(key) && c === OPEN_BRACKET) {
        // A key given twice: JSON.parse keeps the last value, so does this.
        const found: Problem[] = [];
        arrayAt[key] = s.at;
        typed[key] = sheetRows(s, key, found);
        sheetProblems.set(key, found);
        skeleton[key] = [];
      } else {
        if (isSheetName(key)) { delete typed[key]; delete arrayAt[key]; sheetProblems.delete(key); }
        skeleton[key] = s.value();
      }
      c = s.space();
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) s.fail('expected "," or "}"');
      s.at++;
      c = s.space();
    }
  }
  s.at++;
  s.space();
  if (s.at < text.length) s.fail('unexpected text after the workbook');
  // In sheet order, as readWorkbook reports them.
  for (const sheet of SHEETS) problems.push(...(sheetProblems.get(sheet) ?? []));
  return { skeleton, typed, arrayAt };
}

/** Reads one sheet's array text (the parallel reader's worker part). */
export function scanSheetArray(text: string, sheet: SheetName, problems: Problem[]): AnyRow[] {
  const s = new Scanner(text);
  if (s.space() !== OPEN_BRACKET) s.fail('expected an array');
  const rows = sheetRows(s, sheet, problems);
  s.space();
  if (s.at < text.length) s.fail('unexpected text after the array');
  return rows;
}

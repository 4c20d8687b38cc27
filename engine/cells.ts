// Cell values as people type them, and their typed readings. A cell that does not read as its
// column's type becomes a problem and the row goes on without it (workbook.md): every reader here
// returns `undefined` for "blank or unreadable" and reports the unreadable case to a sink.

import type { SheetName } from './schema';

/** A cell as stored: whatever a person typed or an import carried. */
export type CellValue = string | number | boolean | null | undefined;
export type RawRow = Record<string, unknown>;
/** A row's key: strings in a document, positions (numbers) in a file read once. Order = sheet order. */
export type RowKey = string | number;

export interface Problem {
  sheet: SheetName | 'settings';
  rowId: string;
  column: string;
  message: string;
  /** The row's key in the document (absent for settings), so the UI can mark the cell. */
  key?: RowKey;
}

/** An element of a sheet's array that can be a row: a JSON object. */
export function isRow(r: unknown): r is RawRow {
  return typeof r === 'object' && r !== null && !Array.isArray(r);
}

/** The problem of the element at `index` of a sheet's array that is not a row object: it is left out. */
export function notAnObject(sheet: SheetName, index: number): Problem {
  return { sheet, rowId: `#${index + 1}`, column: '', message: `row ${index + 1} is not an object; it is left out` };
}

/** Blank, null and missing mean the same (workbook.md). */
export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/**
 * Comparison forms of the few distinct texts that repeat across a million rows (publishers,
 * products, sites…), shared rather than re-made per row. Bounded: ids do not belong here.
 */
const INTERNED = new Map<string, string>();
const INTERN_LIMIT = 200_000;
/** Longer texts are not kept: the few texts that repeat are short, and a huge one must not stay in memory. */
const INTERN_CHARS = 256;

/** The comparison form of a text cell: case and surrounding spaces ignored. Blank → ''. */
export function norm(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim().toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).toLowerCase();
  return '';
}

/** norm() for low-cardinality columns: the same text yields the same string object. */
export function normShared(v: unknown): string {
  if (typeof v !== 'string') return norm(v);
  let n = INTERNED.get(v);
  if (n === undefined) {
    n = v.trim().toLowerCase();
    const again = INTERNED.get(n);
    if (again !== undefined) n = again;
    if (INTERNED.size < INTERN_LIMIT && v.length <= INTERN_CHARS) INTERNED.set(v, n);
  }
  return n;
}

/** The display form of a text cell: surrounding spaces dropped. Blank → ''. */
export function display(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** Any cell as text to show or sort by: strings as they are, other values as describe() writes them (bounded). */
export function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return describe(v);
}

/** How much of a bad cell a problem's message shows: enough to find it, never the whole of a huge value. */
const DESCRIBE_CHARS = 80;

/**
 * A cell as a problem's message shows it: JSON-like, cut short. Bounded in time and depth whatever
 * the value (a 100 MB text, an array nested 100,000 deep): JSON.stringify and String recurse and
 * would overflow the stack, and would copy all of a huge value into the message.
 */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > DESCRIBE_CHARS ? `${v.slice(0, DESCRIBE_CHARS)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'object') {
    const out = preview(v, 0, { left: DESCRIBE_CHARS });
    return out.length > DESCRIBE_CHARS ? `${out.slice(0, DESCRIBE_CHARS)}…` : out;
  }
  return typeof v;
}

/** A value written like JSON, three levels deep at most, stopping once `budget` characters are spent. */
function preview(v: unknown, depth: number, budget: { left: number }): string {
  if (budget.left <= 0) return '…';
  if (typeof v !== 'object' || v === null) {
    const s = describe(v);
    budget.left -= s.length;
    return s;
  }
  if (depth >= 3) {
    budget.left -= 3;
    return Array.isArray(v) ? '[…]' : '{…}';
  }
  const parts: string[] = [];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && budget.left > 0; i++) parts.push(preview(v[i], depth + 1, budget));
    if (parts.length < v.length) parts.push('…');
    budget.left -= 2 + parts.length;
    return `[${parts.join(',')}]`;
  }
  for (const key in v) {
    if (budget.left <= 0) {
      parts.push('…');
      break;
    }
    const k = describe(key.length > DESCRIBE_CHARS ? key.slice(0, DESCRIBE_CHARS) : key);
    budget.left -= k.length + 2;
    parts.push(`${k}:${preview((v as Record<string, unknown>)[key], depth + 1, budget)}`);
  }
  budget.left -= 2;
  return `{${parts.join(',')}}`;
}

/**
 * The largest magnitude a number cell may hold: amounts are held as integer millionths so that sums
 * are exact (metrics/common.ts), and a number's millionths are exact only up to 2^53. Anything
 * larger (1e308, whose millionths are Infinity) is a problem on its cell, not a number: no licence
 * quantity, price or core count comes near nine billion.
 */
export const MAX_AMOUNT = Math.floor(Number.MAX_SAFE_INTEGER / 1_000_000);

// One way to match each text (no two quantifiers share digits), so a long text fails in linear time.
const NUMBER_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A finite number from a number or a plain decimal string ("1e3" and "-2.5" too); else NaN. A
 * number too large for a double ("1e309", Infinity) is NaN too: it is kept as typed, and its cell
 * reports it (see `isOverflow`), rather than becoming an Infinity that JSON would turn into null.
 */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string') {
    const s = v.trim();
    if (!NUMBER_TEXT.test(s)) return NaN;
    const n = Number(s);
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

/** A number, or a number's text, beyond what a double holds (Infinity, "1e309"). */
function isOverflow(v: unknown): boolean {
  if (typeof v === 'number') return v === Infinity || v === -Infinity;
  return typeof v === 'string' && NUMBER_TEXT.test(v.trim()) && !Number.isFinite(Number(v.trim()));
}

// Exactly the spellings of workbook.md: a "y" is as likely a typo as a yes.
const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/** true/false/yes/no/1/0 (any case); undefined when unreadable. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return undefined;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a day of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400), yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/**
 * "YYYY-MM-DD" (10 characters) or "YYYY-MM-DDTHH:MM:SSZ" (20) to epoch milliseconds, or NaN when
 * a digit, the calendar day or the time of day is not valid; the caller has checked the length and,
 * for 20, the separators of the time. Counted, not looked up through Date (half a million
 * timestamps a load), and written out without helper calls: the command line runs V8 without
 * inlining (package.json), where a call per digit cost more than the arithmetic. Years before 100
 * are not read: Date.UTC, which the other shapes go through, takes them for 19xx, and in an
 * inventory they are typos.
 */
function fixedStamp(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y0 = s.charCodeAt(0) - 48, y1 = s.charCodeAt(1) - 48, y2 = s.charCodeAt(2) - 48, y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
  // c is a digit exactly when c and 9 - c are both non-negative: one sign test for all of them.
  let signs = y0 | (9 - y0) | y1 | (9 - y1) | y2 | (9 - y2) | y3 | (9 - y3) | m0 | (9 - m0) | m1 | (9 - m1) | d0 | (9 - d0) | d1 | (9 - d1);
  let seconds = 0;
  if (s.length === 20) {
    const h0 = s.charCodeAt(11) - 48, h1 = s.charCodeAt(12) - 48, i0 = s.charCodeAt(14) - 48, i1 = s.charCodeAt(15) - 48;
    const s0 = s.charCodeAt(17) - 48, s1 = s.charCodeAt(18) - 48;
    signs |= h0 | (9 - h0) | h1 | (9 - h1) | i0 | (9 - i0) | i1 | (9 - i1) | s0 | (9 - s0) | s1 | (9 - s1);
    const h = h0 * 10 + h1, mi = i0 * 10 + i1, sec = s0 * 10 + s1;
    if (h > 23 || mi > 59 || sec > 59) return NaN;
    seconds = (h * 60 + mi) * 60 + sec;
  }
  if (signs < 0) return NaN;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = m0 * 10 + m1, day = d0 * 10 + d1;
  if (year < 100 || month < 1 || month > 12 || day < 1) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : MONTH_DAYS[month - 1])) return NaN;
  return daysFromCivil(year, month, day) * DAY_MS + seconds * 1000;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * ISO 8601 date or date-time to epoch milliseconds. A date alone is 00:00 UTC of that day and a
 * date-time without a zone is read as UTC, so a workbook means the same on every machine.
 */
export function toTime(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  // The two shapes nearly every file uses, read by position: "2026-11-01" and "2026-11-01T09:00:00Z".
  if (v.length === 10 || (v.length === 20 && v.charCodeAt(10) === 84 && v.charCodeAt(19) === 90 && v.charCodeAt(13) === 58 && v.charCodeAt(16) === 58)) {
    return fixedStamp(v);
  }
  const m = DATE_RE.exec(v.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const year = +y, month = +mo, day = +d;
  const base = Date.UTC(year, month - 1, day, +h, +mi, +s, frac ? Math.round(Number(frac) * 1000) : 0);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return NaN;
  if (+h > 23 || +mi > 59 || +s > 60) return NaN;
  if (!zone || zone.toUpperCase() === 'Z') return base;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

export const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

export const DAY_MS = 86_400_000;

export function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Reads the cells of one row, reporting every unreadable one. One reader is reused across the rows
 * of a load: `start` points it at the next row.
 */
export class CellReader {
  private raw: RawRow = {};
  private rowId = '';
  private key: RowKey = '';
  /** This row's problems; the shared empty array until the first one. */
  problems: Problem[] = NO_PROBLEMS;
  constructor(private readonly sheet: SheetName) {}

  /** Points the reader at the next row; its problems start empty. */
  start(key: RowKey, raw: RawRow): this {
    this.raw = raw;
    this.key = key;
    this.rowId = display(raw.id);
    this.problems = NO_PROBLEMS;
    return this;
  }

  private bad(column: string, message: string): undefined {
    if (this.problems === NO_PROBLEMS) this.problems = [];
    this.problems.push({ sheet: this.sheet, rowId: this.rowId, column, message, key: this.key });
    return undefined;
  }

  private tooLarge(column: string, v: unknown): undefined {
    return this.bad(column, `${column} is too large to count exactly (at most ${MAX_AMOUNT}), got ${describe(v)}`);
  }

  /** Raw cell, or undefined when blank. */
  cell(column: string): unknown {
    const v = this.raw[column];
    return isBlank(v) ? undefined : v;
  }

  text(column: string): string {
    const v = this.raw[column];
    if (v !== null && v !== undefined && typeof v === 'object') {
      this.bad(column, `${column} must be text, got ${describe(v)}`);
      return '';
    }
    return display(v);
  }

  norm(column: string): string {
    const v = this.raw[column];
    if (v !== null && v !== undefined && typeof v === 'object') {
      this.bad(column, `${column} must be text, got ${describe(v)}`);
      return '';
    }
    return norm(v);
  }

  /** norm() for columns whose few values repeat across rows (see normShared). */
  shared(column: string): string {
    const v = this.raw[column];
    if (v !== null && v !== undefined && typeof v === 'object') {
      this.bad(column, `${column} must be text, got ${describe(v)}`);
      return '';
    }
    return normShared(v);
  }

  number(column: string, min = -Infinity, above = false): number | undefined {
    const v = this.cell(column);
    if (v === undefined) return undefined;
    const n = toNumber(v);
    if (Number.isNaN(n)) return isOverflow(v) ? this.tooLarge(column, v) : this.bad(column, `${column} must be a number, got ${describe(v)}`);
    if (Math.abs(n) > MAX_AMOUNT) return this.tooLarge(column, v);
    if (n < min || (above && n === min)) {
      return this.bad(column, `${column} must be ${above ? 'greater than' : 'at least'} ${min}, got ${describe(v)}`);
    }
    return n;
  }

  count(column: string): number | undefined {
    const v = this.cell(column);
    if (v === undefined) return undefined;
    const n = toNumber(v);
    if (Number.isNaN(n) && isOverflow(v) && !String(v).trim().startsWith('-')) return this.tooLarge(column, v);
    if (!Number.isInteger(n) || n < 0) return this.bad(column, `${column} must be a whole number ≥ 0, got ${describe(v)}`);
    if (n > MAX_AMOUNT) return this.tooLarge(column, v);
    return n;
  }

  bool(column: string): boolean | undefined {
    const v = this.cell(column);
    if (v === undefined) return undefined;
    const b = toBool(v);
    if (b === undefined) return this.bad(column, `${column} must be true or false, got ${describe(v)}`);
    return b;
  }

  time(column: string): number | undefined {
    const v = this.cell(column);
    if (v === undefined) return undefined;
    const t = toTime(v);
    if (Number.isNaN(t)) return this.bad(column, `${column} must be an ISO 8601 date, got ${describe(v)}`);
    return t;
  }

  /** An enum cell in its normalized form; undefined when blank or not one of `values`. */
  oneOf(column: string, values: ReadonlySet<string>): string | undefined {
    const v = this.cell(column);
    if (v === undefined) return undefined;
    const n = norm(v);
    if (!values.has(n)) return this.bad(column, `${column} must be one of ${[...values].join(', ')}, got ${describe(v)}`);
    return n;
  }

  /** Reports a problem found by the caller (rules that span cells). */
  report(column: string, message: string): void {
    this.bad(column, message);
  }
}

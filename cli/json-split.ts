// Reading a sheet's array out of a workbook file in pieces. JSON.parse of a whole large file makes
// every raw row at once, so all of them outlive the young generation and are copied twice before
// they become garbage; parsed a few thousand rows at a time, each piece's raw rows die young (a
// third of the command's time went to the garbage collector before).
//
// Both searches here are byte searches, so what they find is checked before it is trusted:
// - An array's range: the caller parses the rest of the file with a sentinel in its place and
//   checks the sentinel lands as the top-level value of that key (see parallel-read.ts).
// - A piece boundary: a `}` followed by `,` and `{`. If it lies inside a string or a nested value,
//   the piece before it does not parse (its string or bracket is left open), and SplitError sends
//   the caller back to reading the file the plain way. Pieces that all parse are, joined, exactly
//   the array: each is a run of the array's elements with the commas between runs left out.

import { MAX_VALUE_DEPTH, tooDeepAt } from './json-depth';

/** A piece of a split did not parse: the file must be read the plain way. */
export class SplitError extends Error {}

export interface ByteRange { start: number; end: number }

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Position after whitespace starting at i. */
function skip(buf: Uint8Array, i: number): number {
  return skipTo(buf, i, buf.length);
}

/** Position after whitespace starting at i, or `limit` if the whitespace runs that far. */
function skipTo(buf: Uint8Array, i: number, limit: number): number {
  while (i < limit && isSpace(buf[i])) i++;
  return i;
}

/**
 * Whether the `]` at `k` closes a top-level array: it is followed by `}` or by `,` and a key.
 * Undefined when the bytes that tell are not read yet (at or past `avail`).
 */
function closesArray(buf: Uint8Array, k: number, avail: number): boolean | undefined {
  const after = skipTo(buf, k + 1, avail);
  if (after === avail) return undefined;
  if (buf[after] === 0x7d) return true;
  if (buf[after] !== 0x2c) return false;
  const key = skipTo(buf, after + 1, avail);
  return key === avail ? undefined : buf[key] === 0x22;
}

/** Looks for the array's close from `from` in the bytes read: the close if found, and how far no byte is one. */
function scanClose(buf: Buffer, from: number, avail: number): { searched: number; close: number } {
  const read = buf.subarray(0, avail);
  for (let k = read.indexOf(0x5d, from); k >= 0; k = read.indexOf(0x5d, k + 1)) {
    const closes = closesArray(buf, k, avail);
    if (closes === undefined) return { searched: k, close: -1 };
    if (closes) return { searched: k, close: k };
  }
  return { searched: avail, close: -1 };
}

/** The end of an array starting at `start`: just after the first `]` that closesArray. */
function arrayEnd(buf: Buffer, start: number): number {
  const { close } = scanClose(buf, start, buf.length);
  return close < 0 ? -1 : close + 1;
}

/** The end of the JSON value (not an array) starting at `i`, or -1 where the text is not JSON. */
function valueEnd(buf: Uint8Array, i: number): number {
  let depth = 0;
  for (; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x22) {
      for (i++; i < buf.length && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === 0x2c || isSpace(c))) return i;
  }
  return -1;
}

/**
 * The byte range [start, end) of each top-level array value whose key is one of `keys`, by walking
 * the top-level object: other values are stepped over byte by byte, arrays jump to their candidate
 * end (arrayEnd). A repeated key gives its last range, the one JSON.parse keeps. Null where the
 * walk does not get through; the ranges are candidates either way (see the file comment).
 */
export function locateArrays(buf: Buffer, keys: ReadonlySet<string>): Map<string, ByteRange> | null {
  const walked = walk(buf, keys);
  return walked && walked.stoppedAt < 0 ? walked.found : null;
}

/**
 * Where the first top-level array value of `key` starts, told from the start of a file still being
 * read (`buf` is what is in so far); -1 when the walk does not get that far. A candidate as well:
 * the key may come again, or the file not be JSON.
 */
export function arrayStart(buf: Buffer, key: string): number {
  return walk(buf, new Set(), key)?.stoppedAt ?? -1;
}

/** The walk of locateArrays, stopping at the first array value of `stopAt` if one is given. */
function walk(buf: Buffer, keys: ReadonlySet<string>, stopAt?: string): { found: Map<string, ByteRange>; stoppedAt: number } | null {
  const found = new Map<string, ByteRange>();
  let i = skip(buf, 0);
  if (buf[i] !== 0x7b) return null;
  i = skip(buf, i + 1);
  while (buf[i] === 0x22) {
    const keyEnd = buf.indexOf(0x22, i + 1);
    if (keyEnd < 0) return null;
    const key = buf.toString('utf8', i + 1, keyEnd);
    i = skip(buf, keyEnd + 1);
    if (buf[i] !== 0x3a) return null;
    i = skip(buf, i + 1);
    if (buf[i] === 0x5b && key === stopAt) return { found, stoppedAt: i };
    const end = buf[i] === 0x5b ? arrayEnd(buf, i) : valueEnd(buf, i);
    if (end < 0) return null;
    if (buf[i] === 0x5b && keys.has(key)) found.set(key, { start: i, end });
    i = skip(buf, end);
    if (buf[i] !== 0x2c) break;
    i = skip(buf, i + 1);
  }
  return buf[i] === 0x7d ? { found, stoppedAt: -1 } : null;
}

/**
 * Where the piece starting at `from` ends (just after a row's `}` followed by `,` and `{`), at
 * least `bytes` on and before `limit`, told from the bytes read (before `avail`); -1 if none is.
 */
function pieceEnd(buf: Uint8Array, from: number, limit: number, avail: number, bytes: number): number {
  for (let k = from + bytes; k < limit; k++) {
    if (buf[k] !== 0x7d) continue;
    const comma = skipTo(buf, k + 1, avail);
    if (buf[comma] !== 0x2c || comma === avail) continue;
    const brace = skipTo(buf, comma + 1, avail);
    if (brace < avail && buf[brace] === 0x7b) return k + 1;
  }
  return -1;
}

/**
 * The text of `buf[from, end)` in brackets. The file's bytes are only ever read, by either thread;
 * JSON.parse flattens the joined string, which costs no more than decoding in place (measured).
 */
function bracketed(buf: Buffer, from: number, end: number): string {
  return `[${buf.toString('utf8', from, end)}]`;
}

/**
 * About this many bytes of rows per piece: their raw rows fit the young generation many times over,
 * and the piece's text stays under V8's large-object size (128 KB), so it is made in the young
 * generation too instead of in freshly mapped pages (at 256 KB those were one page fault in seven).
 */
export const PIECE_BYTES = 96 * 1024;

/**
 * How many bytes of a file still being read are in: waits until at least `n` are, or the read has
 * ended (then fewer may be). Throws SplitError if the read failed.
 */
export type ReadTo = (n: number) => number;

/** Reads a piece's rows straight from the bytes when it can (row-scan.ts); null leaves the piece to JSON.parse. */
export interface PieceScanner {
  scan(from: number, end: number): unknown[] | null;
}

/**
 * The elements of the array starting at `start` of `buf`, a piece at a time; returns the array's
 * end. Its close is `end` when given (a located range), else the first `]` that closesArray (what
 * locateArrays finds too). `readTo` says how much of `buf` is read (the worker parses installations
 * while the main thread is still reading the file): nothing past that is looked at. A `scanner`
 * reads the pieces it can, JSON.parse the rest. Throws
 * SplitError when a piece does not parse as a run of elements, or the array does not end.
 */
export function* arrayPieces(buf: Buffer, start: number, options: { end?: number; bytes?: number; readTo?: ReadTo; scanner?: PieceScanner } = {}): Generator<unknown[], number> {
  const { scanner } = options;
  const bytes = options.bytes ?? PIECE_BYTES, readTo = options.readTo ?? (() => buf.length);
  let avail = readTo(start + 1);
  if (avail <= start || buf[start] !== 0x5b) throw new SplitError('not an array');
  let close = options.end === undefined ? -1 : options.end - 1, searched = start + 1;
  if (close >= 0 && buf[close] !== 0x5d) throw new SplitError('not an array');
  for (let from = start + 1; ;) {
    if (close < 0) ({ searched, close } = scanClose(buf, searched, avail));
    const end = pieceEnd(buf, from, close >= 0 ? close : searched, avail, bytes);
    if (end < 0 && close < 0) {
      const before = avail;
      if ((avail = readTo(avail + 1)) === before) throw new SplitError('the array does not end');
      continue;
    }
    // No boundary before the close: the rest of the array is the last piece.
    if (end < 0 && from < close) yield scanner?.scan(from, close) ?? parsed(buf, from, close);
    if (end < 0) return close + 1;
    yield scanner?.scan(from, end) ?? parsed(buf, from, end);
    from = skip(buf, end) + 1; // past the ','
  }
}

/** A piece parsed; one nested deeper than a row's cells may be is left to the plain read, which refuses the file. */
function parsed(buf: Buffer, from: number, end: number): unknown[] {
  if (tooDeepAt(buf, 1 + MAX_VALUE_DEPTH, from, end) >= 0) throw new SplitError('a piece nests too deep');
  try {
    return JSON.parse(bracketed(buf, from, end)) as unknown[];
  } catch {
    throw new SplitError('a piece does not parse');
  }
}

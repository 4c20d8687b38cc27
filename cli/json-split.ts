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

/** A piece of a split did not parse: the file must be read the plain way. */
export class SplitError extends Error {}

export interface ByteRange { start: number; end: number }

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Position after whitespace starting at i. */
function skip(buf: Uint8Array, i: number): number {
  while (i < buf.length && isSpace(buf[i])) i++;
  return i;
}

/** The end of an array starting at `start`: the first `]` followed by `,` and a key, or by `}`. */
function arrayEnd(buf: Buffer, start: number): number {
  for (let k = buf.indexOf(0x5d, start); k >= 0; k = buf.indexOf(0x5d, k + 1)) {
    const after = skip(buf, k + 1);
    if (buf[after] === 0x7d || (buf[after] === 0x2c && buf[skip(buf, after + 1)] === 0x22)) return k + 1;
  }
  return -1;
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
    const end = buf[i] === 0x5b ? arrayEnd(buf, i) : valueEnd(buf, i);
    if (end < 0) return null;
    if (buf[i] === 0x5b && keys.has(key)) found.set(key, { start: i, end });
    i = skip(buf, end);
    if (buf[i] !== 0x2c) break;
    i = skip(buf, i + 1);
  }
  return buf[i] === 0x7d ? found : null;
}

/** Where the piece starting at `from` ends (just after its last `}`), at least `bytes` on. */
function pieceEnd(buf: Uint8Array, from: number, last: number, bytes: number): number {
  for (let k = from + bytes; k < last; k++) {
    if (buf[k] !== 0x7d) continue;
    const comma = skip(buf, k + 1);
    if (buf[comma] === 0x2c && buf[skip(buf, comma + 1)] === 0x7b) return k + 1;
  }
  return last;
}

/**
 * The text of `buf[from, end)` in brackets, decoded at once: the bytes just outside the range (the
 * `[` or `,` before it, the `]`, `,` or space after it) are swapped for brackets while it is decoded
 * and then put back. A template string would make a cons string that JSON.parse copies flat again.
 */
function bracketed(buf: Buffer, from: number, end: number): string {
  const before = buf[from - 1], after = buf[end];
  buf[from - 1] = 0x5b;
  buf[end] = 0x5d;
  try {
    return buf.toString('utf8', from - 1, end + 1);
  } finally {
    buf[from - 1] = before;
    buf[end] = after;
  }
}

/**
 * About this many bytes of rows per piece: their raw rows fit the young generation many times over,
 * and the piece's text stays under V8's large-object size (128 KB), so it is made in the young
 * generation too instead of in freshly mapped pages (at 256 KB those were one page fault in seven).
 */
export const PIECE_BYTES = 96 * 1024;

/**
 * The elements of the array at `range` of `buf`, a piece at a time. Throws SplitError when a piece
 * does not parse as a run of elements.
 */
export function* arrayPieces(buf: Buffer, range: ByteRange, bytes = PIECE_BYTES): Generator<unknown[]> {
  if (buf[range.start] !== 0x5b || buf[range.end - 1] !== 0x5d) throw new SplitError('not an array');
  const last = range.end - 1; // the closing ']'
  for (let from = range.start + 1; from < last;) {
    const end = pieceEnd(buf, from, last, bytes);
    let piece: unknown;
    try {
      piece = JSON.parse(bracketed(buf, from, end));
    } catch {
      throw new SplitError('a piece does not parse');
    }
    yield piece as unknown[];
    if (end === last) return;
    from = skip(buf, end) + 1; // past the ','
  }
}

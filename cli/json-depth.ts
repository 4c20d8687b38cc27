// How deep a workbook file nests, found by one pass over its bytes before JSON.parse builds it. A
// cell's value may nest at most MAX_VALUE_DEPTH levels (the bound the relay puts on every value a
// document holds), so a file nested deeper is not a workbook: its value could never be shared, and
// JSON.stringify, which recurses, could not even write it back (exit 2, one line). Values within the
// bound are cells like any other: the engine reports them as problems.

/** Levels a cell's value may nest (the relay's `maxDepth` for values). */
export const MAX_VALUE_DEPTH = 64;
/** Levels above a cell in a workbook file: the file's object, a sheet's array, a row. */
export const FILE_LEVELS = 3;

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_ARRAY = 0x5b, OPEN_OBJECT = 0x7b, CLOSE_ARRAY = 0x5d, CLOSE_OBJECT = 0x7d;

/** The offset of the first bracket past `limit` levels in JSON bytes, or -1 when none is. Linear, no allocation. */
export function tooDeepAt(b: Uint8Array, limit: number, from = 0, to = b.length): number {
  let depth = 0, inString = false;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return -1;
}

/** tooDeepAt for JSON text. A loop of its own, not a shared one over an accessor: the byte loop scans
 * whole files on the command line, where a call per byte would cost more than the scan. */
export function textTooDeepAt(s: string, limit: number): number {
  let depth = 0, inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return -1;
}

/** The one line a file nested too deep is refused with. */
export function tooDeepMessage(at: number): string {
  return `a value is nested more than ${MAX_VALUE_DEPTH} levels deep (at byte ${at}): not a workbook`;
}

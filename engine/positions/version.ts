// Versions in natural order (metrics.md, "Overlapping positions"): split into runs of digits and of
// other characters; digit runs compare as numbers, other runs as text ignoring case; a version
// that runs out first is lower (9.2 < 10.1 < 10.1.2, 12c < 19c, 2019 < 2019 R2).
//
// Decision: the order is made total. Two texts the natural order holds equal but that differ
// (`01` and `1`, `1.01` and `1.1`) are ordered by their text, so "lower" and "≥" never hold both
// ways between two different versions and covers between positions cannot loop. A digit run
// meeting a run of other characters at the same place compares as text (digits before letters).
// Versions reach here in their comparison form (trimmed, lower case: rows.ts).

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The end of the run starting at i (all digits or none). */
function runEnd(s: string, i: number): number {
  const digits = isDigit(s.charCodeAt(i));
  let j = i + 1;
  while (j < s.length && isDigit(s.charCodeAt(j)) === digits) j++;
  return j;
}

/** Two digit runs as numbers, however long: leading zeros dropped, then length, then digits. */
function compareDigits(a: string, b: string): number {
  let i = 0, j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const x = a.slice(i), y = b.slice(j);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when a is lower than b, 0 when they are the same text, positive when higher. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const ei = runEnd(a, i), ej = runEnd(b, j);
    const ra = a.slice(i, ei), rb = b.slice(j, ej);
    const c = isDigit(ra.charCodeAt(0)) && isDigit(rb.charCodeAt(0)) ? compareDigits(ra, rb) : text(ra, rb);
    if (c !== 0) return c;
    i = ei;
    j = ej;
  }
  if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
  return text(a, b);
}

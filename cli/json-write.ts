// Writing a large value as JSON without making it one string: `--json` of a million-installation
// estate with many positions per product makes more text than V8's longest string (~512 MB), and
// JSON.stringify of the whole result threw "Invalid string length". The value is walked down to
// `depth` levels of objects and arrays (the result, its lists, a position, its explanation lines);
// below that each value is JSON.stringify'd, and the text is handed on in chunks of about 1 MB.
//
// Invariant: the bytes written are exactly JSON.stringify(value) (no replacer, no indent): keys in
// Object.keys order, object members whose value JSON leaves out (undefined, functions, symbols)
// skipped, array elements like them written as null, values with toJSON stringified whole.

const CHUNK = 1 << 20;

export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: (text: string) => void) {}

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.sink(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** Walked into, or stringified whole: plain objects and arrays without toJSON are walked. */
const walkable = (v: unknown): v is object =>
  typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
export const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Writes JSON.stringify(value), walking `depth` levels down. */
export function writeValue(out: ChunkedWriter, value: unknown, depth: number): void {
  if (depth <= 0 || !walkable(value)) {
    out.add(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.add('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.add(',');
      const v: unknown = value[i];
      if (omitted(v)) out.add('null');
      else writeValue(out, v, depth - 1);
    }
    out.add(']');
    return;
  }
  out.add('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (omitted(v)) continue;
    out.add(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    first = false;
    writeValue(out, v, depth - 1);
  }
  out.add('}');
}

/**
 * Writes JSON.stringify(value) to `sink` in chunks, walking `depth` levels down (a value that is
 * not walked is stringified whole, so it must fit one string).
 */
export function writeJson(value: unknown, sink: (text: string) => void, depth = 4): void {
  const out = new ChunkedWriter(sink);
  if (omitted(value)) throw new TypeError('writeJson: JSON.stringify gives no text for this value');
  writeValue(out, value, depth);
  out.flush();
}

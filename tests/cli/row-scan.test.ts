// The row scanner must give, for every piece it reads, the rows JSON.parse gives restricted to the
// sheet's columns; and it must not read what JSON.parse would not (then it says null and JSON.parse
// decides). Its caches must never hand one text's string out for another's.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayPieces, SplitError } from '../../cli/json-split';
import { RowScanner } from '../../cli/row-scan';
import { COLUMNS, type SheetName } from '../../engine/schema';

const SHEET: SheetName = 'sessions';
const NAMES = COLUMNS[SHEET].map((c) => c.name);

/** A parsed row as the scanner gives it: every column of the sheet, blank (undefined) where the row has none. */
function asScanned(row: unknown): Record<string, unknown> | 'not a row' {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'not a row';
  const raw = row as Record<string, unknown>;
  return Object.fromEntries(NAMES.map((name) => [name, Object.hasOwn(raw, name) ? raw[name] : undefined]));
}

/** JSON.parse of a piece (a run of elements, no brackets) as the scanner should give it; null where it throws or holds a non-row. */
function expected(piece: string): Record<string, unknown>[] | null {
  let parsed: unknown[];
  try {
    parsed = JSON.parse(`[${piece}]`) as unknown[];
  } catch {
    return null;
  }
  const rows = parsed.map(asScanned);
  return rows.some((r) => r === 'not a row') ? null : (rows as Record<string, unknown>[]);
}

/** Scans each piece, in order, with one scanner over one buffer holding them all (its caches span pieces). */
function scanAll(pieces: string[]): { buf: Buffer; got: (Record<string, unknown>[] | null)[] } {
  const buf = Buffer.from(pieces.join('\n'));
  const scanner = new RowScanner(SHEET, buf);
  const got: (Record<string, unknown>[] | null)[] = [];
  let at = 0;
  for (const piece of pieces) {
    const length = Buffer.byteLength(piece);
    got.push(scanner.scan(at, at + length));
    at += length + 1;
  }
  return { buf, got };
}

// Texts that repeat (so caches hit), that differ by one byte, that are long or not ASCII or empty.
const text = fc.oneof(
  fc.constantFrom('', 'd1', 'd2', 'D1', 'Microsoft', 'Microsofu', 'é', '日本', 'x'.repeat(24), 'x'.repeat(25), '2026-09-17T12:53:00Z', ' pad '),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e21, 123456789012345678, 0.1, -1.5e-7));
const scalar = fc.oneof({ weight: 6, arbitrary: text }, { weight: 2, arbitrary: number }, { weight: 1, arbitrary: fc.constantFrom(true, false, null) });
const value = fc.oneof({ weight: 12, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.constantFrom('unknown', 'idx', 'i', '__proto__', 'clïent', 'id\\u0041') }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
/** A row as an export writes it: its keys in order, maybe one twice. */
const row = fc.array(fc.tuple(key, value), { maxLength: 8 });
const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  ');

/** JSON text of rows with chosen spacing; keys given as raw text where they hold an escape. */
function written(rows: [string, unknown][][], gap: string, element: unknown = undefined): string {
  const member = ([k, v]: [string, unknown]) => `${k.includes('\\') ? `"${k}"` : JSON.stringify(k)}${gap}:${gap}${JSON.stringify(v)}`;
  const objects = rows.map((r) => `{${gap}${r.map(member).join(`${gap},${gap}`)}${gap}}`);
  if (element !== undefined) objects.splice(1, 0, JSON.stringify(element));
  return `${gap}${objects.join(`${gap},${gap}`)}${gap}`;
}

describe('RowScanner', () => {
  it('reads what JSON.parse reads, or gives the piece up (seeded)', () => {
    const piece = fc.tuple(fc.array(row, { minLength: 1, maxLength: 12 }), space).map(([rows, gap]) => written(rows, gap));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
      const { got } = scanAll(pieces);
      got.forEach((rows, k) => {
        const want = expected(pieces[k]);
        if (rows === null) return;
        expect(want).not.toBeNull();
        expect(rows).toEqual(want);
      });
    }), { seed: 20261123, numRuns: 600 });
  });

  it('reads every piece of flat text, number and literal rows (seeded)', () => {
    const flat = fc.array(fc.tuple(fc.constantFrom(...NAMES, 'other'), scalar.filter((v) => typeof v !== 'string' || /^[^"\\\u0000-\u001f]*$/.test(v))), { maxLength: 8 });
    const piece = fc.tuple(fc.array(flat, { minLength: 1, maxLength: 12 }), space).map(([rows, gap]) => written(rows, gap));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
      const { got } = scanAll(pieces);
      got.forEach((rows, k) => expect(rows).toEqual(expected(pieces[k])));
    }), { seed: 20261123, numRuns: 400 });
  });

  it('gives up on a piece with any byte changed that JSON.parse rejects (seeded)', () => {
    const good = written([[['id', 's1'], ['userId', 'u1'], ['tokens', 2]], [['id', 's2'], ['userId', 'u1'], ['network', null], ['client', true]]], ' ');
    fc.assert(fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, byte) => {
      const buf = Buffer.from(good);
      buf[at] = byte;
      const rows = new RowScanner(SHEET, buf).scan(0, buf.length);
      let parses = true;
      try {
        JSON.parse(`[${buf.toString('utf8')}]`);
      } catch {
        parses = false;
      }
      if (!parses) expect(rows).toBeNull();
      else if (rows) expect(rows).toEqual(expected(buf.toString('utf8')));
    }), { seed: 20261123, numRuns: 2000 });
  });

  it('gives up on what it does not read: escapes, nested values, elements that are not rows, an empty piece', () => {
    const cases = ['{"id":"a\\"b"}', '{"id":"\\u0041"}', '{"id":["a"]}', '{"other":{"a":1}}', '{"id":"a"},null', '{"id":"a"},[1]', '  ', '{"id":"a"},', '{"id":"a"}{"id":"b"}', '{"id":01}', '{"id":1.}', '{"id":-}', '{"id":tru}', '{"id":"a\tb"}'];
    for (const piece of cases) expect(new RowScanner(SHEET, Buffer.from(piece)).scan(0, Buffer.byteLength(piece)), piece).toBeNull();
  });

  it('stops at the end it is given: a row running past it is not read', () => {
    const buf = Buffer.from('{"id":"a"},{"id":"b"}');
    const scanner = new RowScanner(SHEET, buf);
    expect(scanner.scan(0, 10)).toEqual([expected('{"id":"a"}')![0]]);
    for (let end = 11; end < buf.length; end++) expect(scanner.scan(0, end)).toBeNull();
    expect(scanner.scan(0, buf.length)!.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('a repeated text is one string; texts that differ by a byte or by length stay apart', () => {
    const piece = written([
      [['id', 's1'], ['deviceId', 'd10'], ['publisher', 'Alemba']],
      [['id', 's2'], ['deviceId', 'd10'], ['publisher', 'Alemba']],
      [['id', 's3'], ['deviceId', 'd11'], ['publisher', 'Alembb']],
      [['id', 's4'], ['deviceId', 'd1'], ['publisher', 'Alemba ']],
      [['id', 's5'], ['deviceId', 'd10'], ['publisher', 'Alemba']],
    ], '');
    const { got } = scanAll([piece, piece]);
    const rows = [...got[0]!, ...got[1]!];
    expect(rows.map((r) => r.deviceId)).toEqual(['d10', 'd10', 'd11', 'd1', 'd10', 'd10', 'd10', 'd11', 'd1', 'd10']);
    expect(rows.map((r) => r.publisher)).toEqual(['Alemba', 'Alemba', 'Alembb', 'Alemba ', 'Alemba', 'Alemba', 'Alemba', 'Alembb', 'Alemba ', 'Alemba']);
  });

  it('texts whose bytes hash alike stay apart', () => {
    // "7yzx" and "e6ad" have the same 32-bit FNV-1a hash, the scanner's.
    const piece = written([[['id', 's1'], ['userId', '7yzx']], [['id', 's2'], ['userId', 'x']], [['id', 's3'], ['userId', 'e6ad']], [['id', 's4'], ['userId', '7yzx']]], '');
    expect(scanAll([piece]).got[0]!.map((r) => r.userId)).toEqual(['7yzx', 'x', 'e6ad', '7yzx']);
  });

  it('columns whose texts are all new, a text column past its trial and references past the store of texts, still read right', () => {
    // Two references with a new text in every row: more distinct texts than the store has slots.
    const rows = Array.from({ length: 280_000 }, (_, k) => [['id', `s${k}`], ['userId', `u${k}`], ['deviceId', `d${k}`], ['network', `n${k}`], ['client', `c${k % 3}`]] as [string, unknown][]);
    const piece = written(rows, '');
    const { got } = scanAll([piece]);
    expect(got[0]!.length).toBe(rows.length);
    got[0]!.forEach((r, k) => {
      if (r.id !== `s${k}` || r.userId !== `u${k}` || r.deviceId !== `d${k}` || r.network !== `n${k}` || r.client !== `c${k % 3}`) expect({ k, r }).toBe('read as written');
    });
  });

  it('through arrayPieces: the pieces it reads and those left to JSON.parse join to the array (seeded)', () => {
    const element = fc.oneof({ weight: 10, arbitrary: row.map((r) => Object.fromEntries(r)) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
    fc.assert(fc.property(fc.array(element, { maxLength: 40 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(undefined, 1, '\t'), (elements, bytes, indent) => {
      const text = JSON.stringify(elements, null, indent);
      const buf = Buffer.from(text);
      let got: unknown[] | 'failed';
      try {
        got = [...arrayPieces(buf, 0, { end: buf.length, bytes, scanner: new RowScanner(SHEET, buf) })].flat();
      } catch (err) {
        if (!(err instanceof SplitError)) throw err;
        got = 'failed';
      }
      if (got === 'failed') return;
      // Scanned rows carry every column (blank where absent); JSON.parse's carry what the file has.
      const plain = (rows: unknown[]) => rows.map((r) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? asScanned(r) : r));
      expect(plain(got)).toEqual(plain(JSON.parse(text) as unknown[]));
    }), { seed: 20261123, numRuns: 400 });
  });
});

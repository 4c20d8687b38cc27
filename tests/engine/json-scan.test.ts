// The workbook scanner reads exactly what JSON.parse + readWorkbook + parseRow read, and throws on
// text that is not JSON (raw control characters inside strings excepted, as documented).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../engine/cells';
import { scanWorkbook, scanSheetArray } from '../../engine/json-scan';
import { parseRow } from '../../engine/rows';
import { SHEETS, type SheetName } from '../../engine/schema';
import { readWorkbook } from '../../engine/workbook';

/** What the plain way reads: every sheet's typed rows and all problems. */
function plain(text: string) {
  const problems: Problem[] = [];
  const wb = readWorkbook(JSON.parse(text), problems);
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, wb.sheets[s].map((r, i) => parseRow(s, i, r!))]));
  return { settings: wb.settings, sheets, problems };
}

function scanned(text: string) {
  const problems: Problem[] = [];
  const { skeleton, typed } = scanWorkbook(text, problems);
  const wb = readWorkbook(skeleton, problems);
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, typed[s] ?? wb.sheets[s].map((r, i) => parseRow(s, i, r!))]));
  return { settings: wb.settings, sheets, problems: [...problems] };
}

const tricky = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('a"b', 'back\\slash', 'tab\there', 'line\nbreak', '\u2028', 'é', '😀', '"', '\\', '\\"', ''),
);
const cell = fc.oneof(
  { weight: 6, arbitrary: tricky },
  { weight: 3, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e21, 1e-7, 0.1)) },
  { weight: 2, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.oneof(fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 })) },
);
const row = fc.dictionary(fc.oneof(fc.constantFrom('id', 'deviceId', 'publisher', 'product', 'cores', 'quantity', 'metric', 'start'), fc.string()), cell, { maxKeys: 6 });
const element = fc.oneof({ weight: 8, arbitrary: row }, { weight: 1, arbitrary: cell });
const workbook = fc.record({
  format: fc.constant('reckon-workbook/1'),
  settings: fc.dictionary(fc.constantFrom('asOf', 'currency', 'x'), cell, { maxKeys: 2 }),
  devices: fc.array(element, { maxLength: 4 }),
  installations: fc.array(element, { maxLength: 6 }),
  entitlements: fc.array(element, { maxLength: 3 }),
  unknown: cell,
}, { requiredKeys: ['format'] });
const indent = fc.constantFrom(undefined, 0, 1, 2, '\t');

describe('json-scan', () => {
  it('reads what JSON.parse reads (seeded)', () => {
    fc.assert(fc.property(workbook, indent, (wb, space) => {
      const text = JSON.stringify(wb, null, space);
      expect(scanned(text)).toEqual(plain(text));
    }), { seed: 4242, numRuns: 400 });
  });

  it('throws whenever JSON.parse throws (broken texts, seeded)', () => {
    const broken = fc.tuple(workbook, fc.nat(), fc.constantFrom('', '"', '{', '}', '[', ']', ',', ':', 'x', '\\', '1', ' ')).map(([wb, at, insert]) => {
      const text = JSON.stringify(wb);
      const k = at % (text.length + 1);
      return text.slice(0, k) + insert + text.slice(k + (insert === ' ' ? 0 : 1));
    });
    fc.assert(fc.property(broken, (text) => {
      let jsonOk = true;
      try { JSON.parse(text); } catch { jsonOk = false; }
      let scanOk = true;
      try { scanWorkbook(text, []); } catch (err) { scanOk = !(err instanceof SyntaxError); }
      if (jsonOk) {
        let want: unknown, got: unknown;
        try { want = plain(text); } catch (err) { want = (err as Error).message; }
        try { got = scanned(text); } catch (err) { got = (err as Error).message; }
        expect(got).toEqual(want);
      }
      // eslint-disable-next-line no-control-regex
      else if (!/[\u0000-\u001f]/.test(text)) expect(scanOk).toBe(false);
    }), { seed: 4243, numRuns: 600 });
  });

  it('a key given twice keeps the last value, as JSON.parse does', () => {
    const text = '{"format":"reckon-workbook/1","devices":[{"id":"a"}],"devices":[{"id":"b"},{"id":"c","id":"d"}]}';
    expect(scanned(text)).toEqual(plain(text));
    expect(scanned(text).sheets.devices.map((d) => d.id)).toEqual(['b', 'd']);
  });

  it('a sheet that is not an array is left to readWorkbook to refuse', () => {
    expect(() => scanned('{"format":"reckon-workbook/1","devices":{"id":"a"}}')).toThrow(/not an array/);
  });

  it('reads one sheet array alone', () => {
    const problems: Problem[] = [];
    const rows = scanSheetArray(' [{"id":"i1","deviceId":"D1"}, 7, {"id":"i2","x":[1,{"y":"]"}]}] ', 'installations' as SheetName, problems);
    expect(rows.map((r) => [r.key, r.id])).toEqual([[0, 'i1'], [1, 'i2']]);
    expect(problems).toEqual([expect.objectContaining({ rowId: '#2' })]);
  });
});

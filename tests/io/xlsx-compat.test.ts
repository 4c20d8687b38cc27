// XLSX against an independent implementation (exceljs, a test-only dependency): files it writes
// (shared strings, real dates, formulas, rich text) import with their types, and files we write
// open in it with their values.

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../io/bytes';
import { XlsxWorkbook } from '../../io/xlsx/read';
import { toXlsx } from './helpers';

async function rowsOf(bytes: Uint8Array) {
  const wb = await XlsxWorkbook.open(bytesSource('x.xlsx', bytes));
  const out: Record<string, unknown[][]> = {};
  for (const t of wb.tables) {
    const rows: unknown[][] = [t.header];
    for await (const b of t.rows()) rows.push(...b.rows);
    out[t.sheetHint] = rows;
  }
  return out;
}

describe('XLSX written by exceljs', () => {
  it('imports text, numbers, booleans, dates, formulas and rich text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Computers');
    ws.addRow(['Name', 'CPU count', 'Virtual', 'Purchased', 'Total', 'Note']);
    ws.addRow(['srv-01', 2, true, new Date(Date.UTC(2026, 10, 1)), { formula: 'B2*2', result: 4 }, { richText: [{ text: 'bold ', font: { bold: true } }, { text: 'plain' }] }]);
    ws.addRow(['srv-02', 0.1, false, new Date(Date.UTC(2026, 10, 1, 9, 30, 0)), null, 'a & b < c']);
    ws.getCell('D2').numFmt = 'yyyy-mm-dd';
    ws.getCell('D3').numFmt = 'yyyy-mm-dd hh:mm';
    wb.addWorksheet('Empty');
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const got = await rowsOf(bytes);
    expect(got.Computers).toEqual([
      ['Name', 'CPU count', 'Virtual', 'Purchased', 'Total', 'Note'],
      ['srv-01', 2, true, '2026-11-01', 4, 'bold plain'],
      ['srv-02', 0.1, false, '2026-11-01T09:30:00Z', null, 'a & b < c'],
    ]);
    expect(got.Empty).toBeUndefined();
  });
});

describe('XLSX we write', () => {
  it('opens in exceljs with the same values (dates as dates)', async () => {
    const bytes = toXlsx({
      format: 'reckon-workbook/1', settings: { asOf: '2026-11-01' },
      entitlements: [{ id: 'e1', publisher: 'Zürich & Co', quantity: 0.1, subcapacity: true, start: '2026-11-01', end: '2026-12-31T23:59:59Z' }],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('entitlements')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const row = ws.getRow(2);
    const cell = (name: string) => row.getCell(header.indexOf(name) + 1).value;
    expect(cell('id')).toBe('e1');
    expect(cell('publisher')).toBe('Zürich & Co');
    expect(cell('quantity')).toBe(0.1);
    expect(cell('subcapacity')).toBe(true);
    expect(cell('start')).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(cell('end')).toEqual(new Date('2026-12-31T23:59:59Z'));
    expect(wb.worksheets.map((w) => w.name)).toContain('settings');
  });
});

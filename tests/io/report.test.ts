// The position report in each format, from the demo estate's reconciliation.

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEMO, generateEstate } from '../../estate/generate';
import { readWorkbook, reconcile } from '../../engine/workbook';
import { textSource } from '../../io/bytes';
import { openCsv } from '../../io/csv/read';
import { reportHtml } from '../../io/report/html';
import { STATUS_LABELS, summarize } from '../../io/report/summary';
import { reportCsv, reportXlsx } from '../../io/report/write';
import { STATUS_COLOURS } from '../../io/xlsx/write';

const result = reconcile(readWorkbook(generateEstate(DEMO), []), { today: '2026-11-01' });
const summary = summarize(result, '2026-11-01');

describe('position report', () => {
  it('summarizes counts, costs and units', () => {
    const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(result.positions.length);
    expect(summary.positions[0].status).toBe('noncompliant');
    expect(summary.shortfallCost.length).toBeGreaterThan(0);
    expect(summary.hardwareUnits).toBe(result.ham.totalUnits);
  });

  it('CSV: one row per position, formula-like text escaped', async () => {
    const t = await openCsv(textSource('report.csv', reportCsv(summary)));
    const rows = [];
    for await (const b of t.rows()) rows.push(...b.rows);
    expect(t.header[0]).toBe('Status');
    expect(rows.length).toBe(result.positions.length);
    expect(rows[0][0]).toBe(STATUS_LABELS.noncompliant);
  });

  it('XLSX: positions with status colours and a summary', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(reportXlsx(summary) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Positions')!;
    expect(ws.rowCount).toBe(result.positions.length + 1);
    const fill = ws.getCell('A2').fill as { fgColor?: { argb?: string } };
    expect(fill.fgColor?.argb).toBe(`FF${STATUS_COLOURS.noncompliant}`);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Positions', 'Renewals', 'Unlicensed', 'Hardware units', 'Problems']);
  });

  it('HTML: printable, with repeated headers, page breaks and charts', () => {
    const html = reportHtml(summary);
    expect(html).toMatch(/@page \{ size: A4 landscape/);
    expect(html).toMatch(/thead \{ display: table-header-group; \}/);
    expect(html).toMatch(/break-before: page/);
    expect((html.match(/<svg/g) ?? []).length).toBe(3);
    expect((html.match(/<tr>/g) ?? []).length).toBeGreaterThan(result.positions.length);
    expect(reportHtml({ ...summary, positions: [{ ...summary.positions[0], product: '<script>x</script>' }] })).not.toContain('<script>x');
  });
});

describe('moved shortfall and renewals in the reports', () => {
  // Office 2019 on two devices, 2016 on a third: the 2019 right with downgrade (1) hands 2 up to
  // the versionless right (2); the versionless right renews in 20 days with 30 days' notice.
  const r = reconcile(readWorkbook({
    format: 'reckon-workbook/1',
    settings: { asOf: '2026-11-01', currency: 'EUR' },
    devices: [{ id: 'd1' }, { id: 'd2' }, { id: 'd3' }],
    installations: [
      { id: 'i1', deviceId: 'd1', publisher: 'Microsoft', product: 'Office', version: '2019' },
      { id: 'i2', deviceId: 'd2', publisher: 'Microsoft', product: 'Office', version: '2019' },
      { id: 'i3', deviceId: 'd3', publisher: 'Microsoft', product: 'Office', version: '2016' },
    ],
    entitlements: [
      { id: 'e1', publisher: 'Microsoft', product: 'Office', version: '2019', downgrade: true, metric: 'per_device', quantity: 1 },
      { id: 'e2', publisher: 'Microsoft', product: 'Office', metric: 'per_device', quantity: 2, unitCost: 150, renewal: '2026-11-21', noticeDays: 30, end: '2026-11-21' },
    ],
  }, []), { today: '2026-11-01' });
  const s = summarize(r, '2026-11-01');

  it('CSV: the shortfall moved, named on both positions', async () => {
    const t = await openCsv(textSource('report.csv', reportCsv(s)));
    const rows: string[][] = [];
    for await (const b of t.rows()) rows.push(...(b.rows as string[][]));
    const col = t.header.indexOf('Shortfall moved');
    const version = t.header.indexOf('Version');
    const byVersion = (v: string) => rows.find((row) => String(row[version] ?? '') === v)!;
    expect(byVersion('2019 and lower')[col]).toBe('2 up to Microsoft Office');
    expect(byVersion('')[col]).toBe('2 from Microsoft Office 2019 and lower');
  });

  it('XLSX and HTML: the renewals within 180 days, with the cost at stake', async () => {
    expect(s.renewals.map((x) => [x.right.id, x.event, x.overdue, x.costAtStake])).toEqual([['e2', 'notice', true, 300]]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(reportXlsx(s) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Renewals')!;
    expect(ws.getRow(3).values).toEqual([undefined, '2026-11-01', 'Notice overdue', 'e2', 'Microsoft Office', 'Compliant', 2, 300, 'EUR', '2026-11-21', '2026-11-21', '2026-10-22']);
    const html = reportHtml(s);
    expect(html).toContain('Renewals in the next 180 days');
    expect(html).toContain('Notice overdue');
  });
});

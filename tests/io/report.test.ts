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
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Positions', 'Unlicensed', 'Hardware units', 'Problems']);
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

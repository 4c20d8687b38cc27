// The Savings view's exports (io/report/savings.ts) and surplus in the position report: CSV rows
// of candidates and plans, the XLSX's three sheets with money formats, surplus columns and totals.

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { candidatesCsv, plansCsv, savingsXlsx } from '../../io/report/savings';
import { summarize } from '../../io/report/summary';
import { reportCsv, reportXlsx } from '../../io/report/write';
import { savingsOf } from '../helpers/savings';

const { engine, result } = savingsOf({
  devices: [{ id: 'd1' }, { id: 'd2' }, { id: 's1', lastSeen: '2026-01-01' }],
  installations: [
    { id: 'i1', deviceId: 'd1', publisher: 'Microsoft', product: 'Visio' }, { id: 'i2', deviceId: 'd2', publisher: 'Microsoft', product: 'Visio' },
    { id: 'i3', deviceId: 's1', publisher: 'Microsoft', product: 'Visio' }, { id: 'a1', deviceId: 'd1', publisher: 'Adobe', product: 'Acrobat' },
  ],
  entitlements: [
    { id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 1, unitCost: 100 },
    { id: 'e2', publisher: 'Adobe', product: 'Acrobat', metric: 'per_device', quantity: 4, unitCost: 40 },
    { id: 'e3', publisher: 'Adobe', product: 'Acrobat', metric: 'per_user', quantity: 2 },
  ],
});

describe('savings exports', () => {
  it('CSV of candidates and plans', () => {
    const lines = candidatesCsv(result.candidates).trim().split(/\r?\n/);
    expect(lines[0]).toBe('Reason,Publisher,Product,Device,User,Action,Rows,Positions,Rights freed,Cost,Currency,Why,Note');
    expect(lines[1]).toMatch(/^Device not seen,Microsoft,Visio,s1,,remove rows,installations\/i3,microsoft\|visio\|\|\|per_device\|\|\|,1,100,USD,/);
    const plans = plansCsv([result.whole, ...result.plans], (k) => `label of ${k}`).trim().split(/\r?\n/);
    expect(plans[0]).toBe('Position,Shortfall,Reclaim (candidates),Rights reclaimed,Buy (rights),Plan cost,Buy-only cost,Saving,Currency,Note');
    expect(plans[1]).toBe('Whole workbook,2,1,1,1,100,200,100,USD,');
    expect(plans[2]).toBe('label of microsoft|visio|||per_device|||,2,1,1,1,100,200,100,USD,');
  });

  it('XLSX: summary, candidates and plans', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(savingsXlsx(result.totals, result.candidates, [result.whole, ...result.plans]) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Candidates', 'Plans']);
    expect(wb.getWorksheet('Summary')!.getRow(3).values).toEqual([undefined, 'Surplus cost', 120, '2 positions']);
    const c = wb.getWorksheet('Candidates')!;
    expect(c.getRow(2).getCell(10).value).toBe(100);
    expect(c.getRow(2).getCell(10).numFmt).toBe('#,##0.00');
    expect(wb.getWorksheet('Plans')!.getRow(2).getCell(8).value).toBe(100);
  });

  it('the position report carries surplus: columns, and totals per currency and publisher', async () => {
    const s = summarize(engine.result(), '2026-11-01');
    expect(s.surplusCost).toEqual([['USD', 120]]);
    expect(s.surplusByPublisher).toEqual([{ publisher: 'Adobe', currency: 'USD', rights: 3, cost: 120, positions: 1 }]);
    // The per_user right has surplus 1 and no unit cost: counted apart.
    expect(s.surplusUnpriced).toBe(1);
    const csv = reportCsv(s).split(/\r?\n/);
    expect(csv[0]).toContain('Shortfall cost,Surplus,Surplus cost,Currency');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(reportXlsx(s) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet('Summary')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(['Surplus cost (rights beyond consumption)', 'Amount']);
    expect(rows).toContainEqual(['Adobe', 120, 'USD', 3, 1]);
    expect(rows).toContainEqual(['Positions with surplus and no unit cost', 1]);
  });
});

// Round trips: a workbook through XLSX, then CSV, then back keeps every value and its type
// (blank, null and missing being the same, workbook.md), on the demo estate and on a hand-made
// workbook of tricky values.

import { describe, expect, it } from 'vitest';
import { DEMO, generateEstate } from '../../estate/generate';
import type { WorkbookData } from '../../io/workbook';
import { canonical, fromCsvFiles, fromXlsx, toCsvFiles, toXlsx } from './helpers';

const TRICKY: WorkbookData = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01', currency: 'EUR', hamLicenseVersion: 4, hamSolutions: ['ham', 'tni'], customCategoryLicensing: false },
  devices: [
    { id: '007', name: 'Zürich — 東京 😀', cpus: 2, cores: 16, virtual: false, site: 'a, "quoted" site', hostId: '0042' },
    { id: '0042', name: 'line one\nline two\r\nthree', cores: 0, virtual: true, ot: true, u_cost_center: 'CC-01' },
    { id: 'd3', name: '  padded  ', maxClockSpeed: 0.1, cpus: null, cores: undefined, u_cost_center: 1e21 },
    { id: 'd4', name: '=SUM(A1:A2)', processorModel: 'tab\there', hardwareModel: '_x0041_ literal', environment: '\u0001ctl' },
  ],
  entitlements: [
    { id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 0.1, unitCost: 1e21, start: '2026-01-01', end: '2026-12-31T23:59:59Z', notes: '' },
    { id: 'e2', publisher: 'Oracle', product: 'DB', metric: 'per_core', quantity: -0, warn1: 3, start: '2026-11-01T09:00:00.250Z', end: '2026-11-01T09:00:00+02:00' },
    { id: 'e3', publisher: 'IBM', product: 'x', metric: 'pvu', quantity: 'abc', start: '1899-12-31', subcapacity: true, u_flag: true, u_text: '0.50' },
  ],
  users: [{ id: 'u1', name: 'Ünïcödé', active: false, employeeType: 'external' }, { id: 'u2', name: 'O\'Brien; "Al"', active: true }],
  sessions: [{ id: 's1', publisher: 'P', product: 'Q', start: '2026-10-01T08:00:00Z', end: '2026-10-01T17:30:00Z', tokens: 2.5 }],
};

async function throughEveryFormat(wb: WorkbookData) {
  const viaXlsx = await fromXlsx(toXlsx(wb));
  const viaCsv = await fromCsvFiles(toCsvFiles(viaXlsx));
  return { viaXlsx, viaCsv };
}

describe('round trip JSON → XLSX → CSV → JSON', () => {
  it('keeps every value and type of tricky cells', async () => {
    const { viaXlsx, viaCsv } = await throughEveryFormat(TRICKY);
    const expected = canonical(TRICKY);
    // -0 is written as 0: JSON itself cannot tell them apart.
    (expected.entitlements as Record<string, unknown>[])[1].quantity = 0;
    expect(canonical(viaXlsx)).toEqual(expected);
    expect(canonical(viaCsv)).toEqual(expected);
    const d = (viaCsv.devices ?? [])[0]!;
    expect(typeof d.id).toBe('string');
    expect(typeof d.cpus).toBe('number');
    expect(typeof d.virtual).toBe('boolean');
    expect((viaCsv.devices ?? [])[1]!.u_cost_center).toBe('CC-01');
    expect((viaCsv.devices ?? [])[2]!.u_cost_center).toBe(1e21);
  });

  it('keeps the demo estate', async () => {
    const wb = generateEstate(DEMO) as unknown as WorkbookData;
    const { viaXlsx, viaCsv } = await throughEveryFormat(wb);
    const expected = canonical(wb);
    expect(canonical(viaXlsx)).toEqual(expected);
    expect(canonical(viaCsv)).toEqual(expected);
  });
});

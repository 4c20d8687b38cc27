// `reckon reconcile`: the report, --json, and bad files.

import { describe, expect, it } from 'vitest';
import { generateEstate, DEMO } from '../../estate/generate';
import { reckon, tempFile } from './helpers';
import type { Problem } from '../../engine/cells';
import { Engine } from '../../engine/engine';
import { SHEETS } from '../../engine/schema';
import { readWorkbook } from '../../engine/workbook';

const small = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01', currency: 'EUR' },
  devices: [{ id: 'd1' }, { id: 'd2' }, { id: 'd3', cores: 'abc' }],
  installations: [
    { id: 'i1', deviceId: 'd1', publisher: 'Adobe', product: 'Acrobat' },
    { id: 'i2', deviceId: 'd2', publisher: 'Adobe', product: 'Acrobat' },
    { id: 'i3', deviceId: 'd2', publisher: 'WinRAR', product: 'WinRAR' },
  ],
  entitlements: [
    { id: 'e1', publisher: 'Adobe', product: 'Acrobat', metric: 'per_device', quantity: 1, unitCost: 100 },
    { id: 'e2', publisher: 'Adobe', product: 'Photoshop', metric: 'per_device', quantity: 5 },
  ],
};

describe('reckon reconcile', () => {
  it('prints noncompliant positions first, with shortfall cost, then unlicensed, hardware and problems', () => {
    const r = reckon(['reconcile', tempFile('w.json', JSON.stringify(small))]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    const acrobat = out.indexOf('Acrobat'), photoshop = out.indexOf('Photoshop');
    expect(acrobat).toBeGreaterThan(0);
    expect(acrobat).toBeLessThan(photoshop);
    expect(out).toMatch(/noncompliant\s+Adobe\s+Acrobat/);
    expect(out).toContain('100.00 EUR');
    expect(out).toMatch(/Unlicensed installations[\s\S]*WinRAR/);
    expect(out).toMatch(/Problems: 1[\s\S]*devices\s+d3\s+cores/);
  });

  it('--json prints the result object and nothing else on stdout', () => {
    const r = reckon(['reconcile', tempFile('w.json', JSON.stringify(small)), '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result).sort()).toEqual(['ham', 'positions', 'problems', 'unlicensed']);
    const acrobat = result.positions.find((p: { entitlementIds: string[] }) => p.entitlementIds.includes('e1'));
    expect(acrobat).toMatchObject({ consumed: 2, purchased: 1, shortfall: 1, shortfallCost: 100, status: 'noncompliant' });
    expect(acrobat.contributions).toEqual([
      expect.objectContaining({ ref: 'devices/d1', amount: 1 }), expect.objectContaining({ ref: 'devices/d2', amount: 1 }),
    ]);
    expect(result.problems).toEqual([{ sheet: 'devices', rowId: 'd3', column: 'cores', message: expect.any(String) }]);
  });

  const bad: [string, string | Buffer, RegExp][] = [
    ['not JSON', '{"format": "reckon-workbook/1", ', /not JSON/],
    ['wrong format', JSON.stringify({ format: 'other/2' }), /unsupported format/],
    ['no format', JSON.stringify({ devices: [] }), /not a workbook/],
    ['a sheet that is not an array', JSON.stringify({ format: 'reckon-workbook/1', devices: {} }), /sheet "devices" is not an array/],
    ['a JSON array', '[]', /not a workbook/],
    ['an empty file', '', /not JSON/],
  ];
  for (const [name, content, message] of bad) {
    it(`a file that is ${name} gets one line naming it and exit 2`, () => {
      const file = tempFile('bad.json', content);
      const r = reckon(['reconcile', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(file);
      expect(lines[0]).toMatch(message);
    });
  }

  it('a missing file gets one line and exit 2', () => {
    const r = reckon(['reconcile', '/nonexistent/w.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('reckon: /nonexistent/w.json: no such file');
  });

  it('a row that is not an object is a problem, the rest is reconciled', () => {
    const wb = { ...small, installations: [...small.installations, 42] };
    const result = JSON.parse(reckon(['reconcile', tempFile('w.json', JSON.stringify(wb)), '--json']).stdout);
    expect(result.problems).toContainEqual(expect.objectContaining({ sheet: 'installations', rowId: '#4' }));
    expect(result.positions[0].consumed).toBe(2);
  });

  it('reads a large file on two threads with the same result as on one, and as the engine gives it whole', () => {
    const estate = generateEstate({ ...DEMO, seed: 7 });
    const file = tempFile('demo.json', JSON.stringify(estate));
    const one = reckon(['reconcile', file, '--json']);
    const two = reckon(['reconcile', file, '--json'], { RECKON_PARALLEL_MIN_BYTES: '0', RECKON_TIMING: '1' });
    expect(two.stderr).toContain('worker answered');
    expect(two.stdout).toBe(one.stdout);
    // The lines are written a batch of positions at a time (cli/reconcile.ts): many batches here.
    const problems: Problem[] = [];
    const wb = readWorkbook(JSON.parse(JSON.stringify(estate)), problems);
    const engine = new Engine({ today: new Date().toISOString().slice(0, 10) });
    engine.load(wb.settings, Object.fromEntries(SHEETS.map((s) => [s, { rows: wb.sheets[s] }])));
    const whole = engine.result({ contributions: true });
    whole.problems = [...problems, ...whole.problems];
    for (const p of whole.problems) delete p.key;
    expect(whole.positions.length).toBeGreaterThan(2 * 32);
    expect(one.stdout).toBe(`${JSON.stringify(whole)}\n`);
  });
});

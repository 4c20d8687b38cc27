// `reckon savings FILE [--json]` through the real command line: the totals, candidates and plans
// of a small workbook, the --json form, and bad input (one line, exit 2).

import { describe, expect, it } from 'vitest';
import { reckon, tempFile } from './helpers';

const WORKBOOK = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01', currency: 'USD' },
  devices: [
    { id: 'd1', status: 'in use', lastSeen: '2026-10-30' }, { id: 'd2', status: 'in use', lastSeen: '2026-10-30' },
    { id: 's1', status: 'in use', lastSeen: '2026-01-01' },
  ],
  installations: [
    { id: 'i1', deviceId: 'd1', publisher: 'Microsoft', product: 'Visio' }, { id: 'i2', deviceId: 'd2', publisher: 'Microsoft', product: 'Visio' },
    { id: 'i3', deviceId: 's1', publisher: 'Microsoft', product: 'Visio' }, { id: 'i4', deviceId: 'd1', publisher: 'Microsoft', product: 'Visio' },
    { id: 'p1', deviceId: 'd1', publisher: 'Adobe', product: 'Acrobat' },
  ],
  entitlements: [
    { id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 1, unitCost: 100 },
    { id: 'e2', publisher: 'Adobe', product: 'Acrobat', metric: 'per_device', quantity: 5, unitCost: 40 },
  ],
};

describe('reckon savings', () => {
  const file = tempFile('wb.json', JSON.stringify(WORKBOOK));

  it('prints surplus, reclaim candidates and the plan to compliance', () => {
    const r = reckon(['savings', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Surplus: 4 rights in 1 positions, USD 160.00');
    expect(r.stdout).toContain('Reclaimable: 2 candidates freeing 1 rights, USD 100.00');
    expect(r.stdout).toContain('buying only USD 200.00, the plan USD 100.00, saving USD 100.00');
    expect(r.stdout).toMatch(/Device not seen\s+Microsoft\s+Visio\s+s1\s+i3\s+1\s+USD 100.00/);
    expect(r.stdout).toMatch(/Duplicate installation\s+Microsoft\s+Visio\s+d1\s+i4\s+0/);
    expect(r.stdout).toMatch(/reclaim 1 \(1 rights\), buy 1 on e1/);
  });

  it('--json prints the savings result', () => {
    const r = reckon(['savings', file, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('reckon-savings/1');
    expect(j.notSeenDays).toBe(90);
    expect(j.totals.surplus).toMatchObject({ cost: 160, rights: 4, count: 1, byPublisher: [{ publisher: 'Adobe', cost: 160 }] });
    expect(j.candidates.map((c: { reason: string; rows: { id: string }[] }) => `${c.reason}:${c.rows.map((x) => x.id)}`).sort()).toEqual(['duplicate:i4', 'not-seen:i3']);
    expect(j.whole).toMatchObject({ shortfall: 2, reclaimed: 1, buyCost: 100, buyOnlyCost: 200, saving: 100 });
  });

  it('bad input: one line and exit 2', () => {
    const missing = reckon(['savings', '/no/such/file.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(reckon(['savings']).code).toBe(2);
    expect(reckon(['savings', file, '--bogus']).code).toBe(2);
    const bad = reckon(['savings', tempFile('bad.json', '{not json')]);
    expect(bad.code).toBe(2);
  });
});

// "Numbers are exact (no rounding) unless a rule says to round" (metrics.md): fractional factors,
// tiers and measurements must not pick up binary floating-point error, which would tip a
// position that is exactly at its purchase into noncompliance, or a ceiling up by one.

import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import { position } from '../helpers/workbook';
import { ent, factor, host, installs, OCTOBER, reckon, tier, user } from './table';

// 3 × 0.1 + 3 × 0.2 + 1 × 0.1 is exactly 1; summed naively in doubles it is 1.0000000000000002.
const hosts: RawRow[] = [
  host('h1', 1, 3, { processorManufacturer: 'Intel', cluster: 'c1' }),
  host('h2', 1, 3, { processorManufacturer: 'AMD', cluster: 'c1' }),
  host('h3', 1, 1, { processorManufacturer: 'Intel', cluster: 'c1' }),
];

describe('exact arithmetic', () => {
  it('per_core_multiplier: 0.3 + 0.6 + 0.1 = 1, compliant at 1 purchased', () => {
    const r = reckon({
      devices: hosts, installations: installs('h1', 'h2', 'h3'),
      factors: [factor('f1', 'multiplier', 0.1, { processorManufacturer: 'Intel' }), factor('f2', 'multiplier', 0.2, { processorManufacturer: 'AMD' })],
      entitlements: [ent('e1', 'per_core_multiplier', 1)],
    });
    const p = position(r, 'e1');
    expect(p.consumed).toBe(1);
    expect(p.status).toBe('compliant');
    expect(p.shortfall).toBe(0);
  });
  it('oracle_processor: a mobile cluster at exactly 1 rounds up to 1, not 2', () => {
    const r = reckon({
      clusters: [{ id: 'c1', name: 'C1', mobility: true }],
      devices: hosts, installations: installs('h1'),
      factors: [factor('f1', 'core_factor', 0.1, { processorManufacturer: 'Intel' }), factor('f2', 'core_factor', 0.2, { processorManufacturer: 'AMD' })],
      entitlements: [ent('e1', 'oracle_processor', 1)],
    });
    expect(position(r, 'e1').consumed).toBe(1);
  });
  it('per_cpu_constant: 3 cpus × 0.1 = 0.3 exactly', () => {
    const r = reckon({ devices: [host('h1', 3, 3)], installations: installs('h1'), factors: [factor('f1', 'constant', 0.1)], entitlements: [ent('e1', 'per_cpu_constant', 0.3)] });
    expect(position(r, 'e1')).toMatchObject({ consumed: 0.3, status: 'compliant', available: 0 });
  });
  it('saas_consumption: 0.1 + 0.2 = 0.3, compliant at 0.3', () => {
    const m = (id: string, quantity: number): RawRow => ({ id, publisher: 'Acme', product: 'App', date: '2026-10-10', quantity });
    const r = reckon({ settings: OCTOBER, measurements: [m('m1', 0.1), m('m2', 0.2)], entitlements: [ent('e1', 'saas_consumption', 0.3)] });
    expect(position(r, 'e1')).toMatchObject({ consumed: 0.3, status: 'compliant', shortfall: 0 });
  });
  it('euvu: 3 users at 0.1 units = 0.3 exactly', () => {
    const r = reckon({ users: [user('u1'), user('u2'), user('u3')], tiers: [tier('t1', 1, null, 0.1)], entitlements: [ent('e1', 'euvu', 0.3)] });
    expect(position(r, 'e1')).toMatchObject({ consumed: 0.3, status: 'compliant' });
  });
  it('pooled fractional quantities: 0.7 + 0.2 + 0.1 purchased = 1, compliant at 1 consumed', () => {
    // Summed in sheet order in doubles, 0.7 + 0.2 + 0.1 is 0.9999999999999999 < 1: a false breach.
    const m: RawRow = { id: 'm1', publisher: 'Acme', product: 'App', date: '2026-10-10', quantity: 1 };
    const r = reckon({
      settings: OCTOBER, measurements: [m],
      entitlements: [ent('e1', 'saas_consumption', 0.7, { warn1: 0.7 }), ent('e2', 'saas_consumption', 0.2, { warn1: 0.2 }), ent('e3', 'saas_consumption', 0.1, { warn1: 0.1 })],
    });
    expect(position(r, 'e1')).toMatchObject({ purchased: 1, consumed: 1, available: 0, shortfall: 0, status: 'warning1', warn1: 1 });
  });
  it('shortfall cost: 3 short × 1.15 = 3.45 exactly', () => {
    const devices = ['d1', 'd2', 'd3'].map((d) => ({ id: d, name: d }));
    const r = reckon({ devices, installations: installs('d1', 'd2', 'd3'), entitlements: [ent('e1', 'per_device', 0, { unitCost: 1.15 })] });
    expect(position(r, 'e1')).toMatchObject({ shortfall: 3, shortfallCost: 3.45 });
  });
  it('available: 1.1 purchased − 0.3 consumed = 0.8 exactly', () => {
    const r = reckon({ devices: [host('h1', 3, 3)], installations: installs('h1'), factors: [factor('f1', 'constant', 0.1)], entitlements: [ent('e1', 'per_cpu_constant', 1.1)] });
    expect(position(r, 'e1')).toMatchObject({ consumed: 0.3, available: 0.8 });
  });
});

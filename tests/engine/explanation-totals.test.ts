// Where consumption is not the plain sum of the units, the explanation's last line shows the step.

import { describe, expect, it } from 'vitest';
import { position, run } from '../helpers/workbook';

const users = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `u${i}` }));

describe('explanation totals', () => {
  it('tiers: 700 users → 340 units, and the line says how', () => {
    const r = run({
      users: users(700),
      tiers: [
        { id: 't1', publisher: 'IBM', metric: 'euvu', from: 1, to: 100, unitsPer: 1 },
        { id: 't2', publisher: 'IBM', metric: 'euvu', from: 101, to: 500, unitsPer: 0.5 },
        { id: 't3', publisher: 'IBM', metric: 'euvu', from: 501, unitsPer: 0.2 },
      ],
      entitlements: [{ id: 'e1', publisher: 'IBM', product: 'X', metric: 'euvu', quantity: 400 }],
    });
    const p = position(r, 'e1');
    expect(p.consumed).toBe(340);
    const last = p.contributions!.at(-1)!;
    expect(last).toEqual({ ref: 'total', amount: 340, why: '700 items by tiers: 1–100 × 1 + 101–500 × 0.5 + 501–700 × 0.2 = 340' });
    expect(p.contributions!.filter((c) => c.ref.startsWith('users/'))).toHaveLength(700);
  });

  it('FUE: the sum of classes, rounded up', () => {
    const r = run({
      users: users(3),
      allocations: [
        { id: 'a0', entitlementId: 'e1', userId: 'u0', userType: 'core' },
        { id: 'a1', entitlementId: 'e1', userId: 'u1', userType: 'self-service' },
        { id: 'a2', entitlementId: 'e1', userId: 'u2', userType: 'advanced' },
      ],
      entitlements: [{ id: 'e1', publisher: 'SAP', product: 'S4', metric: 'fue', quantity: 2 }],
    });
    const p = position(r, 'e1');
    expect(p.consumed).toBe(2);
    expect(p.contributions!.at(-1)).toEqual({ ref: 'total', amount: 2, why: '⌈37/30 = 1.233333⌉ = 2 FUE' });
  });

  it('Named User Plus: the larger of users and the processor minimum', () => {
    const r = run({
      users: users(2),
      devices: [{ id: 'h1', cpus: 1, cores: 8 }],
      installations: [{ id: 'i1', deviceId: 'h1', publisher: 'Oracle', product: 'DB', userId: 'u0' }],
      access: [{ id: 'x1', publisher: 'Oracle', product: 'DB', userId: 'u1' }],
      entitlements: [{ id: 'e1', publisher: 'Oracle', product: 'DB', metric: 'oracle_nup', quantity: 50, nupPerProcessor: 25 }],
    });
    const p = position(r, 'e1');
    expect(p.consumed).toBe(200);
    expect(p.contributions!.at(-1)!.why).toBe('max(2 named users, 25 per processor × 8 processors = 200) = 200');
  });
});

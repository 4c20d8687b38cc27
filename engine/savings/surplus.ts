// Surplus (issue 22): rights bought beyond what a position consumes. A counting position (any but
// enterprise and site, which count for information and are always compliant) whose available is
// above 0 has that many rights to spare, priced at the position's unit cost (the highest unitCost
// of its entitlements, as shortfall is). Decision: no unit cost, no price: surplusCost is null
// rather than 0, and totals count such positions apart ("unpriced") instead of guessing.

import type { PositionResult } from '../positions/position';
import type { PublisherTotal, SavingsTotals } from './types';
import { MICRO, toMicro } from '../metrics/common';

/** available > 0 on a counting position; its cost at unit cost (null without one; 0 without surplus). */
export function surplusOf(available: number, unitCost: number | null, counting: boolean, price: (rights: number) => number): { surplus: number; surplusCost: number | null } {
  if (!counting || available <= 0) return { surplus: 0, surplusCost: 0 };
  return { surplus: available, surplusCost: unitCost === null ? null : price(available) };
}

/** Adds money in cents for display totals (each figure is exact; sums of them need not be). */
export const addMoney = (a: number, b: number): number => Math.round((a + b) * 100) / 100;
/** Adds rights in millionths, as the engine holds amounts. */
export const addRights = (a: number, b: number): number => (toMicro(a) + toMicro(b)) / MICRO;

/** Totals of positions' surplus: overall and per publisher (largest cost first). */
export function surplusTotals(positions: Iterable<Pick<PositionResult, 'publisher' | 'surplus' | 'surplusCost'>>): SavingsTotals['surplus'] {
  const total = { cost: 0, count: 0, unpriced: 0, rights: 0 };
  const byPublisher = new Map<string, PublisherTotal>();
  for (const p of positions) {
    if (!(p.surplus > 0)) continue;
    const key = p.publisher.trim().toLowerCase();
    let t = byPublisher.get(key);
    if (!t) byPublisher.set(key, (t = { publisher: p.publisher, cost: 0, count: 0, unpriced: 0, rights: 0 }));
    for (const x of [total, t]) {
      x.count++;
      x.rights = addRights(x.rights, p.surplus);
      if (p.surplusCost === null) x.unpriced++;
      else x.cost = addMoney(x.cost, p.surplusCost);
    }
  }
  return { ...total, byPublisher: sortTotals([...byPublisher.values()]) };
}

export function sortTotals<T extends { cost: number; publisher: string }>(list: T[]): T[] {
  return list.sort((a, b) => b.cost - a.cost || a.publisher.localeCompare(b.publisher));
}

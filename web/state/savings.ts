// Savings as the worker reports them (Patch.savings, engine/savings/types.ts), kept on the page:
// candidates and plans by id, the whole workbook's plan and the totals, one signal for Solid views
// and listeners for the grids (which rows to redraw).

import { createSignal } from 'solid-js';
import type { Candidate, Plan, SavingsPatch, SavingsTotals } from '../../engine/savings/types';

export interface SavingsEffect {
  reset: boolean;
  candidates: Set<string>;
  plans: Set<string>;
}

export class SavingsStore {
  readonly candidates = new Map<string, Candidate>();
  readonly plans = new Map<string, Plan>();
  whole: Plan | null = null;
  totals: SavingsTotals | null = null;
  private readonly version = createSignal(0);
  private listeners = new Set<(e: SavingsEffect) => void>();

  /** Read in a Solid computation to follow the savings. */
  tick = (): number => this.version[0]();

  onChange(fn: (e: SavingsEffect) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  apply(p: SavingsPatch): void {
    const e: SavingsEffect = { reset: p.reset, candidates: new Set(), plans: new Set() };
    if (p.reset) {
      this.candidates.clear();
      this.plans.clear();
    }
    for (const id of p.removedCandidates) { this.candidates.delete(id); e.candidates.add(id); }
    for (const c of p.candidates) { this.candidates.set(c.id, c); e.candidates.add(c.id); }
    for (const k of p.removedPlans) { this.plans.delete(k); e.plans.add(k); }
    for (const pl of p.plans) { this.plans.set(pl.key, pl); e.plans.add(pl.key); }
    this.whole = p.whole;
    this.totals = p.totals;
    this.version[1]((v) => v + 1);
    for (const fn of this.listeners) fn(e);
  }
}

// Savings test helpers: a workbook given as sheets, in an incremental engine with document-like row
// keys (so that savings' edits name rows), its savings, and the workbook after a set of savings
// edits, reconciled from scratch.

import { expect } from 'vitest';
import { Engine } from '../../engine/engine';
import { SHEETS, type SheetName } from '../../engine/schema';
import type { RawRow } from '../../engine/cells';
import type { Result } from '../../engine/changes';
import type { PositionResult } from '../../engine/positions/position';
import type { SavingsEdit, SavingsResult } from '../../engine/savings/types';

export type SheetsIn = Partial<Record<SheetName, RawRow[]>> & { settings?: Record<string, unknown> };

/** Rows by key, per sheet, in key order (what a document holds). */
export type Keyed = { settings: Record<string, unknown>; sheets: Record<SheetName, Map<string, RawRow>> };

export const TODAY = '2026-11-01';

export function keyed(sheets: SheetsIn): Keyed {
  const out = Object.fromEntries(SHEETS.map((s) => [s, new Map<string, RawRow>()])) as Record<SheetName, Map<string, RawRow>>;
  for (const s of SHEETS) (sheets[s] ?? []).forEach((row, i) => out[s].set(`${s.slice(0, 3)}${String(i).padStart(4, '0')}`, { ...row }));
  return { settings: { asOf: TODAY, currency: 'USD', ...sheets.settings }, sheets: out };
}

export function load(k: Keyed, incremental = true): Engine {
  const e = new Engine({ today: TODAY, incremental });
  e.load(k.settings, Object.fromEntries(SHEETS.map((s) => {
    const entries = [...k.sheets[s]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return [s, { rows: entries.map(([, r]) => ({ ...r })), keys: entries.map(([key]) => key) }];
  })));
  return e;
}

export function savingsOf(sheets: SheetsIn): { engine: Engine; k: Keyed; result: SavingsResult } {
  const k = keyed(sheets);
  const engine = load(k);
  return { engine, k, result: engine.savings().result() };
}

let added = 0;

/** The workbook after the edits (as a scenario holds them over its baseline). */
export function applyEdits(k: Keyed, edits: readonly SavingsEdit[]): Keyed {
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, new Map([...k.sheets[s]].map(([key, r]) => [key, { ...r }]))])) as Keyed['sheets'];
  for (const e of edits) {
    if (e.op === 'delete') sheets[e.sheet].delete(e.key);
    else if (e.op === 'set') sheets[e.sheet].get(e.key)![e.column] = e.value;
    else sheets[e.sheet].set(`zzz${String(added++).padStart(6, '0')}`, { ...e.cells });
  }
  return { settings: k.settings, sheets };
}

export function reconcile(k: Keyed): Result {
  const e = load(k, false);
  return e.result();
}

export function byKey(r: Result): Map<string, PositionResult> {
  return new Map(r.positions.map((p) => [p.key, p]));
}

export function positionOf(r: Result | SavingsResult, entitlementId: string): string {
  const positions = 'positions' in r ? r.positions : [];
  const p = positions.find((x) => x.entitlementIds.includes(entitlementId));
  if (!p) throw new Error(`no position lists ${entitlementId}`);
  return p.key;
}

export const available = (r: Result, key: string): number => byKey(r).get(key)?.available ?? NaN;

/** A candidate's (or plan's) predicted freed rights match what a full reconcile after its edits shows. */
export function expectFreedAsCompared(before: Result, after: Result, freed: readonly { key: string; rights: number }[], label: string): void {
  const b = byKey(before), a = byKey(after);
  const want = new Map(freed.map((f) => [f.key, f.rights]));
  for (const [key, p] of b) {
    const q = a.get(key)!;
    expect(q, `${label}: ${key} still there`).toBeDefined();
    const gain = q.available - p.available;
    if (p.metric === 'enterprise' || p.metric === 'site') continue;
    expect(gain, `${label}: rights gained in ${key}`).toBeCloseTo(want.get(key) ?? 0, 6);
  }
}

// Test helpers: build a workbook from partial sheets and reconcile it with the real engine.

import type { RawRow } from '../../engine/cells';
import type { Result } from '../../engine/changes';
import type { PositionResult } from '../../engine/positions/position';
import { readWorkbook, reconcile } from '../../engine/workbook';

export type Sheets = Partial<Record<string, RawRow[]>> & { settings?: Record<string, unknown> };

/** Reconciles a workbook given as sheets (settings default to asOf 2026-11-01, USD). */
export function run(sheets: Sheets, contributions = true): Result {
  const problems: never[] = [];
  const wb = readWorkbook({ format: 'reckon-workbook/1', settings: { asOf: '2026-11-01', currency: 'USD' }, ...sheets }, problems);
  return reconcile(wb, { today: '2026-11-01', contributions }, problems);
}

/** The position that lists entitlement `id`. */
export function position(r: Result, id: string): PositionResult {
  const p = r.positions.find((x) => x.entitlementIds.map((e) => e.toLowerCase()).includes(id.toLowerCase()));
  if (!p) throw new Error(`no position lists entitlement ${id}`);
  return p;
}

/** Shorthand: consumption of the position listing entitlement `id`. */
export function consumed(sheets: Sheets, id: string): number {
  return position(run(sheets, false), id).consumed;
}

export function hamCategory(r: Result, name: string) {
  return r.ham.categories.find((c) => c.category.toLowerCase() === name.toLowerCase());
}

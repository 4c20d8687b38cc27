// Results as the worker reports them, kept on the main thread: applied patch by patch (the worker
// sends only what changed). Plain maps hold the data the grids read cell by cell; one signal per
// kind tells Solid views that something changed, and listeners tell grids which rows to redraw.

import { createSignal } from 'solid-js';
import type { Patch } from '../../engine/changes';
import type { Problem } from '../../engine/cells';
import type { PositionResult } from '../../engine/positions/position';
import type { HamResult } from '../../engine/ham/ham';
import type { SheetName } from '../../engine/schema';
import type { UnrecognizedResult } from '../../engine/normalize/unrecognized';
import { SavingsStore } from './savings';

export interface PatchEffect {
  /** Positions whose results changed or went away. */
  positions: Set<string>;
  /** Entitlement ids (comparison form) whose computed columns may show something new. */
  entitlementIds: Set<string>;
  /**
   * Which of those columns' figures may have changed (a position's field, `rights` for whether
   * each right counts today): an edit of a quantity changes purchased and available, not the
   * status of every pooled row, so a grid redraws two columns of ~40 rows, not six.
   */
  entitlementFields: Set<EntitlementField>;
  /** Rows whose problems changed, by sheet. */
  problemRows: Map<SheetName, Set<string>>;
  /** Unlicensed products (keys) that changed or went away. */
  unlicensed: Set<string>;
  /** Unrecognized raw pairs (keys) that changed or went away. */
  unrecognized: Set<string>;
}

const idForm = (id: unknown): string => String(id ?? '').trim().toLowerCase();

/** The fields of a position that its entitlement rows show beside their own cells. */
export const ENTITLEMENT_FIELDS = ['purchased', 'consumed', 'available', 'status', 'shortfallCost', 'rights'] as const;
export type EntitlementField = (typeof ENTITLEMENT_FIELDS)[number];

/** The fields its rows show that differ between a position's old and new result (all of them when it came or went or its rows changed). */
function changedFields(old: PositionResult | undefined, now: PositionResult | undefined, into: Set<EntitlementField>): void {
  const sameIds = old && now && old.entitlementIds.length === now.entitlementIds.length && old.entitlementIds.every((id, i) => id === now.entitlementIds[i]);
  for (const f of ENTITLEMENT_FIELDS) {
    if (into.has(f)) continue;
    if (!sameIds) into.add(f);
    else if (f === 'rights' ? JSON.stringify(old.rights) !== JSON.stringify(now.rights) : old[f] !== now[f]) into.add(f);
  }
}

export class Results {
  readonly positions = new Map<string, PositionResult>();
  /** Entitlement id (comparison form) → key of the position it belongs to. */
  readonly byEntitlement = new Map<string, string>();
  /** `${sheet}\t${rowKey}` → that row's problems. */
  readonly problems = new Map<string, Problem[]>();
  settingsProblems: Problem[] = [];
  ham: HamResult | null = null;
  readonly unlicensed = new Map<string, Patch['unlicensed'][number]>();
  readonly unrecognized = new Map<string, UnrecognizedResult>();
  /** Savings, once the page watches them (Session.watchSavings). */
  readonly savings = new SavingsStore();
  private listeners = new Set<(e: PatchEffect) => void>();

  private readonly positionsVersion = createSignal(0);
  private readonly problemsVersion = createSignal(0);
  private readonly hamVersion = createSignal(0);
  private readonly unlicensedVersion = createSignal(0);
  private readonly unrecognizedVersion = createSignal(0);
  /** Whether the first full reconcile has come back. */
  readonly ready = createSignal(false);
  /**
   * When the results shown were stored by an earlier session (ISO time), while they are shown from
   * there: not yet confirmed for the document as opened, and marked on screen as being brought up
   * to date. Null once the worker's first results are in (or when none were stored).
   */
  readonly cachedAt = createSignal<string | null>(null);

  positionsTick = (): number => this.positionsVersion[0]();
  problemsTick = (): number => this.problemsVersion[0]();
  hamTick = (): number => this.hamVersion[0]();
  unlicensedTick = (): number => this.unlicensedVersion[0]();
  unrecognizedTick = (): number => this.unrecognizedVersion[0]();

  onPatch(fn: (e: PatchEffect) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  positionOfEntitlement(id: unknown): PositionResult | undefined {
    const k = this.byEntitlement.get(idForm(id));
    return k === undefined ? undefined : this.positions.get(k);
  }

  cellProblems(sheet: SheetName, key: string): Problem[] | undefined {
    return this.problems.get(`${sheet}\t${key}`);
  }

  problemCount(): number {
    this.problemsVersion[0]();
    let n = this.settingsProblems.length;
    for (const p of this.problems.values()) n += p.length;
    return n;
  }

  apply(patch: Patch): void {
    const effect: PatchEffect = { positions: new Set(), entitlementIds: new Set(), entitlementFields: new Set(), problemRows: new Map(), unlicensed: new Set(), unrecognized: new Set() };
    for (const key of patch.removedPositions) {
      const old = this.positions.get(key);
      if (old) for (const id of old.entitlementIds) {
        effect.entitlementIds.add(idForm(id));
        if (this.byEntitlement.get(idForm(id)) === key) this.byEntitlement.delete(idForm(id));
      }
      this.positions.delete(key);
      changedFields(old, undefined, effect.entitlementFields);
      effect.positions.add(key);
    }
    for (const p of patch.positions) {
      const old = this.positions.get(p.key);
      if (old) for (const id of old.entitlementIds) {
        effect.entitlementIds.add(idForm(id));
        if (this.byEntitlement.get(idForm(id)) === p.key) this.byEntitlement.delete(idForm(id));
      }
      this.positions.set(p.key, p);
      changedFields(old, p, effect.entitlementFields);
      for (const id of p.entitlementIds) {
        this.byEntitlement.set(idForm(id), p.key);
        effect.entitlementIds.add(idForm(id));
      }
      effect.positions.add(p.key);
    }
    for (const rp of patch.problems) {
      const k = `${rp.sheet}\t${rp.key}`;
      if (rp.problems.length === 0) this.problems.delete(k);
      else this.problems.set(k, rp.problems);
      let s = effect.problemRows.get(rp.sheet);
      if (!s) effect.problemRows.set(rp.sheet, (s = new Set()));
      s.add(String(rp.key));
    }
    if (patch.settingsProblems) this.settingsProblems = patch.settingsProblems;
    for (const k of patch.removedUnlicensed) {
      this.unlicensed.delete(k);
      effect.unlicensed.add(k);
    }
    for (const u of patch.unlicensed) {
      this.unlicensed.set(u.key, u);
      effect.unlicensed.add(u.key);
    }
    for (const k of patch.removedUnrecognized) {
      this.unrecognized.delete(k);
      effect.unrecognized.add(k);
    }
    for (const u of patch.unrecognized) {
      this.unrecognized.set(u.key, u);
      effect.unrecognized.add(u.key);
    }
    if (patch.savings) this.savings.apply(patch.savings);
    if (patch.ham) {
      this.ham = patch.ham;
      this.hamVersion[1]((v) => v + 1);
    }
    if (effect.positions.size) this.positionsVersion[1]((v) => v + 1);
    if (effect.unlicensed.size) this.unlicensedVersion[1]((v) => v + 1);
    if (effect.unrecognized.size) this.unrecognizedVersion[1]((v) => v + 1);
    if (effect.problemRows.size || patch.settingsProblems) this.problemsVersion[1]((v) => v + 1);
    for (const fn of this.listeners) fn(effect);
  }
}

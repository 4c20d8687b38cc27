// Drives an incremental engine and a view fed only by its patches through edits, and compares both
// with a full reconcile from scratch of the same rows after every step.

import { expect } from 'vitest';
import { Engine } from '../../engine/engine';
import { SHEETS, type SheetName } from '../../engine/schema';
import type { Change, Patch, Result } from '../../engine/changes';
import type { PositionResult } from '../../engine/positions/position';
import type { Contribution } from '../../engine/metrics/rule';
import type { RawRow, RowKey } from '../../engine/cells';
import type { Edit, RowCells } from './random-workbook';
import type { UnrecognizedResult } from '../../engine/normalize/unrecognized';

const TODAY = '2026-11-01';

/** The workbook as a document would hold it: rows by key, in key order. */
export class Model {
  sheets = Object.fromEntries(SHEETS.map((s) => [s, new Map<string, RowCells>()])) as Record<SheetName, Map<string, RowCells>>;
  settings: Record<string, unknown> = { asOf: '2026-11-01', currency: 'USD' };
  private next = 0;

  newKey(): string {
    return `k${String(this.next++).padStart(6, '0')}`;
  }

  keys(sheet: SheetName): string[] {
    return [...this.sheets[sheet].keys()].sort();
  }

  rows(sheet: SheetName): [string, RawRow][] {
    return this.keys(sheet).map((k) => [k, this.sheets[sheet].get(k)!]);
  }

  /** Applies an edit to the model; returns the engine change it makes, or null if it does nothing. */
  apply(edit: Edit): Change | null {
    switch (edit.op) {
      case 'add': {
        const key = this.newKey();
        this.sheets[edit.sheet].set(key, { ...edit.row });
        return { kind: 'rowAdded', sheet: edit.sheet, key, cells: { ...edit.row } };
      }
      case 'remove': {
        const keys = this.keys(edit.sheet);
        if (keys.length === 0) return null;
        const key = keys[edit.pick % keys.length];
        this.sheets[edit.sheet].delete(key);
        return { kind: 'rowRemoved', sheet: edit.sheet, key };
      }
      case 'cell': {
        const keys = this.keys(edit.sheet);
        if (keys.length === 0) return null;
        const key = keys[edit.pick % keys.length];
        this.sheets[edit.sheet].get(key)![edit.column] = edit.value;
        return { kind: 'cellChanged', sheet: edit.sheet, key, column: edit.column, value: edit.value };
      }
      case 'setting':
        if (edit.value === undefined) delete this.settings[edit.key];
        else this.settings[edit.key] = edit.value;
        return { kind: 'settingsChanged', key: edit.key, value: edit.value };
    }
  }

  source = (sheet: SheetName, key: RowKey): RawRow | undefined => {
    if (typeof key !== 'string') return undefined;
    const row = this.sheets[sheet].get(key);
    return row ? { ...row } : undefined;
  };

  load(engine: Engine): void {
    engine.load(this.settings, Object.fromEntries(SHEETS.map((s) => {
      const rows = this.rows(s);
      return [s, { rows: rows.map(([, r]) => r), keys: rows.map(([k]) => k) }];
    })));
  }

  fullResult(contributions = false): Result {
    const e = new Engine({ today: TODAY });
    this.load(e);
    return e.result({ contributions });
  }

  /** The unrecognized list of a full reconcile, by raw pair. */
  fullUnrecognized(): Map<string, UnrecognizedResult> {
    const e = new Engine({ today: TODAY });
    this.load(e);
    return new Map(e.unrecognizedResults().map((u) => [u.key, u]));
  }
}

/** What a UI would hold if it only ever saw patches. */
export class PatchedView {
  positions = new Map<string, PositionResult>();
  unlicensed = new Map<string, { installations: number; devices: number }>();
  ham: Result['ham'] | null = null;
  problems = new Map<string, string[]>();
  settingsProblems: string[] = [];
  unrecognized = new Map<string, UnrecognizedResult>();

  take(p: Patch): void {
    for (const r of p.positions) this.positions.set(r.key, r);
    for (const k of p.removedPositions) this.positions.delete(k);
    for (const u of p.unlicensed) this.unlicensed.set(u.key, { installations: u.installations, devices: u.devices });
    for (const k of p.removedUnlicensed) this.unlicensed.delete(k);
    if (p.ham) this.ham = p.ham;
    for (const row of p.problems) {
      const k = `${row.sheet}|${row.key}`;
      if (row.problems.length) this.problems.set(k, row.problems.map((x) => `${x.column}: ${x.message}`));
      else this.problems.delete(k);
    }
    if (p.settingsProblems) this.settingsProblems = p.settingsProblems.map((x) => `${x.column}: ${x.message}`);
    for (const u of p.unrecognized) this.unrecognized.set(u.key, u);
    for (const k of p.removedUnrecognized) this.unrecognized.delete(k);
  }
}

const strip = (p: PositionResult) => {
  const { contributions: _, ...rest } = p;
  return rest;
};

/**
 * The incremental engine and the patch-fed view both equal a full reconcile; with `explanations`,
 * every position's contributions too (moved shortfall lines included).
 */
export function expectSameAsFull(model: Model, engine: Engine | null, view: PatchedView, step: string, options: { explanations?: boolean } = {}): void {
  const full = model.fullResult(options.explanations);
  if (options.explanations && engine) {
    // Units are explained in the order the store holds their rows, which edits change: compare as sets.
    const sorted = (list: Contribution[] = []) => [...list].sort((a, b) => (a.ref + a.why < b.ref + b.why ? -1 : 1));
    for (const p of full.positions) expect(sorted(engine.explain(p.key)), `${step}: explanation of ${p.key}`).toEqual(sorted(p.contributions));
  }
  const fullPositions = new Map(full.positions.map((p) => [p.key, strip(p)]));
  if (engine) {
    const incPositions = new Map(engine.positionResults().map((p) => [p.key, strip(p)]));
    expect(incPositions, `${step}: engine positions`).toEqual(fullPositions);
  }
  expect(new Map([...view.positions].map(([k, p]) => [k, strip(p)])), `${step}: patched positions`).toEqual(fullPositions);

  const fullUnlicensed = new Map(full.unlicensed.map((u) => [`${u.publisher.trim().toLowerCase()}\u0001${u.product.trim().toLowerCase()}`, { installations: u.installations, devices: u.devices }]));
  expect(view.unlicensed, `${step}: unlicensed`).toEqual(fullUnlicensed);
  expect(view.ham, `${step}: ham`).toEqual(full.ham);

  const fullProblems = new Map<string, string[]>();
  const settingsProblems: string[] = [];
  for (const x of full.problems) {
    if (x.sheet === 'settings') { settingsProblems.push(`${x.column}: ${x.message}`); continue; }
    const k = `${x.sheet}|${x.key}`;
    fullProblems.set(k, [...(fullProblems.get(k) ?? []), `${x.column}: ${x.message}`]);
  }
  expect(view.problems, `${step}: problems`).toEqual(fullProblems);
  expect(view.settingsProblems, `${step}: settings problems`).toEqual(settingsProblems);
  expect(view.unrecognized, `${step}: unrecognized`).toEqual(model.fullUnrecognized());
}

export function startIncremental(model: Model): { engine: Engine; view: PatchedView } {
  const engine = new Engine({ today: TODAY, incremental: true });
  model.load(engine);
  const view = new PatchedView();
  view.take(engine.initialPatch());
  return { engine, view };
}

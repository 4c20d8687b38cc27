// What an engine did since it was last asked: the rows that changed (before and after), the units
// and positions it re-evaluated, positions whose results changed or went away, and whether the
// settings changed. A reader of the engine's state that keeps derived figures of its own (savings,
// engine/savings/) takes the journal after each batch and redoes only what it names.
// Kept only when asked for (Engine.trackEdits): an engine nobody watches writes nothing.

import type { AnyRow } from './rows';
import type { SheetName } from './schema';
import type { UnitKey } from './metrics/rule';
import type { Position } from './positions/position';

export interface RowEdit {
  sheet: SheetName;
  /** The row as it was (a copy), undefined when it was added. */
  was: AnyRow | undefined;
  /** The row as it is now (the live row), undefined when it was removed. */
  now: AnyRow | undefined;
}

export class EditJournal {
  rows: RowEdit[] = [];
  /** Units re-evaluated, by position. */
  units = new Map<Position, Set<UnitKey>>();
  /** Positions re-evaluated whole (every unit). */
  whole = new Set<Position>();
  /** Positions whose summary (result) changed, and keys of positions that went away. */
  results = new Set<Position>();
  removed: string[] = [];
  /** Settings changed, or rows were renamed in bulk (a normalization rule edit): derived figures are redone whole. */
  settings = false;

  row(sheet: SheetName, was: AnyRow | undefined, now: AnyRow | undefined): void {
    this.rows.push({ sheet, was, now });
  }

  unitsOf(p: Position, keys: Iterable<UnitKey>): void {
    let set = this.units.get(p);
    if (!set) this.units.set(p, (set = new Set()));
    for (const k of keys) set.add(k);
  }

  /** Everything recorded so far; the journal starts again empty. */
  take(): EditJournal {
    const out = new EditJournal();
    [out.rows, this.rows] = [this.rows, []];
    [out.units, this.units] = [this.units, new Map()];
    [out.whole, this.whole] = [this.whole, new Set()];
    [out.results, this.results] = [this.results, new Set()];
    [out.removed, this.removed] = [this.removed, []];
    [out.settings, this.settings] = [this.settings, false];
    return out;
  }

  get empty(): boolean {
    return this.rows.length === 0 && this.units.size === 0 && this.whole.size === 0 && this.results.size === 0
      && this.removed.length === 0 && !this.settings;
  }
}

// One engine, several sides: the baseline and any scenarios of it open in the worker, each with
// the results its view gives, without a second engine (a second engine doubles the memory of a
// million-installation estate). The engine rests on one side's view (the primary: the one the page
// shows). Another side's results are obtained by moving the engine to that side's view: every row
// and setting where the two views may differ (the two scenarios' layers: a scenario differs from
// the baseline only where it changed something) is re-read from the target view and applied as an
// engine change (rowAdded / rowRemoved / settingsChanged); the engine re-evaluates what those rows
// feed, and moving back undoes it. The engine stays pure and knows nothing of scenarios.
//
// Invariants, between batches: the engine holds the primary's view, every row current; each side's
// mirror holds exactly that side's results (what its UI was sent). A patch the engine returns is
// relative to the engine's previous state, which is the mirror of the side it was at, so the next
// side's results are that mirror plus the patch. tests/scenario/compare-property.test.ts checks
// every side against a full reconcile of its view after every step.

import type { Change, Patch } from '../../engine/changes';
import { emptyPatch, isEmptyPatch } from '../../engine/changes';
import type { Contribution } from '../../engine/metrics/rule';
import { isSheetName } from '../../engine/schema';
import type { Bridge } from '../bridge';
import type { WorkbookRead } from '../doc/reader';
import { ResultMirror } from '../mirror';
import { sameRow } from './changes';
import { sameCell } from './layout';
import type { LayeredReader } from './reader';
import { Touched, layerOf } from './touched';

export { Touched };

/** The id of the baseline side. */
export const BASE = '';

interface Side {
  reader: LayeredReader;
  mirror: ResultMirror;
}

export class SideEngine {
  private readonly sides = new Map<string, Side>();
  private primary = BASE;
  /** The side whose view the engine holds now (the primary, between batches). */
  private at = BASE;

  /** `bridge` holds the engine and the baseline's mirror; its reader reads the baseline. */
  constructor(private readonly bridge: Bridge) {}

  /** The side the engine rests on between batches (the one the page shows). */
  get primaryId(): string {
    return this.primary;
  }

  get ids(): string[] {
    return [...this.sides.keys()];
  }

  has(id: string): boolean {
    return this.sides.has(id);
  }

  reader(id: string): WorkbookRead {
    return id === BASE ? this.bridge.reader : this.side(id).reader;
  }

  mirror(id: string): ResultMirror {
    return id === BASE ? this.bridge.mirror : this.side(id).mirror;
  }

  private side(id: string): Side {
    const s = this.sides.get(id);
    if (!s) throw new Error(`no scenario ${id} is open`);
    return s;
  }

  private layer(id: string): Touched {
    return id === BASE ? new Touched() : layerOf(this.side(id).reader);
  }

  /** Applies to the engine what `view` reads for the touched rows and settings. */
  private applyFrom(view: WorkbookRead, t: Touched, onlyDiffering?: WorkbookRead): Patch {
    const changes: Change[] = [];
    const settings = view.settings();
    const before = onlyDiffering?.settings();
    for (const k of t.settings) {
      // A setting change re-evaluates every position: never for a value that stays the same.
      if (before && sameCell(before[k], settings[k])) continue;
      changes.push({ kind: 'settingsChanged', key: k, value: settings[k] });
    }
    for (const [sheet, keys] of t.rows) {
      if (!isSheetName(sheet)) continue;
      const r = view.sheet(sheet), was = onlyDiffering?.sheet(sheet);
      for (const key of keys) {
        const cells = r.readRow(key);
        if (was) {
          const old = was.readRow(key);
          if (old === undefined ? cells === undefined : cells !== undefined && sameRow(old, cells)) continue;
        }
        changes.push(cells ? { kind: 'rowAdded', sheet, key, cells } : { kind: 'rowRemoved', sheet, key });
      }
    }
    if (changes.length === 0) return emptyPatch();
    return this.bridge.engine.apply(changes, (sheet, key) => (typeof key === 'string' ? view.sheet(sheet).readRow(key) : undefined));
  }

  /** Moves the engine to another side's view; the patch is relative to the side it was at. */
  private moveTo(to: string): Patch {
    if (to === this.at) return emptyPatch();
    const rows = this.layer(this.at).merge(this.layer(to));
    const patch = this.applyFrom(this.reader(to), rows, this.reader(this.at));
    this.at = to;
    return patch;
  }

  /**
   * Visits each side in turn (the engine at `from`, whose mirror is current): each side's mirror
   * becomes the previous side's plus the move's patch; returns the patches of the sides that changed.
   */
  private visit(from: string, sides: readonly string[], out: Map<string, Patch>): void {
    let prev = from;
    for (const y of sides) {
      if (y === prev) continue;
      const next = this.mirror(prev).copy();
      next.take(this.moveTo(y));
      const patch = this.mirror(y).patchTo(next);
      if (!isEmptyPatch(patch)) out.set(y, patch);
      prev = y;
    }
  }

  /** Opens a scenario as a side; returns its first patch (every result of its view). */
  open(id: string, reader: LayeredReader): Patch {
    this.sides.set(id, { reader, mirror: new ResultMirror() });
    this.guarded(() => {
      this.visit(this.at, [id], new Map());
      this.moveTo(this.primary);
    }, new Map());
    return this.side(id).mirror.fullPatch();
  }

  close(id: string): void {
    if (!this.sides.has(id)) return;
    if (this.primary === id) this.primary = BASE;
    this.guarded(() => { this.moveTo(this.primary); }, new Map());
    this.sides.delete(id);
  }

  /** The side the engine rests on (the one the page shows: its edits cost no move). */
  setPrimary(id: string): void {
    if (id !== BASE) this.side(id);
    this.primary = id;
    this.guarded(() => { this.moveTo(id); }, new Map());
  }

  /**
   * Applies a batch: `base` the rows and settings the baseline's changes touched, `scenarios` those
   * each scenario's changes touched. Returns a patch per side whose results changed (BASE: the
   * baseline's).
   */
  apply(base: Touched, scenarios: ReadonlyMap<string, Touched>): Map<string, Patch> {
    const out = new Map<string, Patch>();
    const own = scenarios.get(this.primary);
    const stale = new Touched().merge(base);
    if (own) stale.merge(own);
    if (this.bridge.shouldReload(stale.size)) {
      this.resync(out);
      return out;
    }
    this.guarded(() => {
      const t0 = performance.now();
      // The primary's own view first: its rows the batch touched.
      if (stale.size) {
        const patch = this.applyFrom(this.reader(this.primary), stale);
        this.mirror(this.primary).take(patch);
        if (!isEmptyPatch(patch)) out.set(this.primary, patch);
      }
      // Then every other side whose view changed: all of them when the baseline changed.
      const others = new Set<string>();
      if (base.size) for (const id of [BASE, ...this.sides.keys()]) others.add(id);
      for (const id of scenarios.keys()) if (this.sides.has(id)) others.add(id);
      others.delete(this.primary);
      this.visit(this.primary, [...others], out);
      this.moveTo(this.primary);
      this.bridge.noteApply(performance.now() - t0, stale.size);
    }, out);
    return out;
  }

  /** Every contribution of a position on one side. */
  explain(id: string, positionKey: string): Contribution[] {
    if (id !== BASE) this.side(id);
    let out: Contribution[] = [];
    this.guarded(() => {
      this.moveTo(id);
      out = this.bridge.engine.explain(positionKey);
      this.moveTo(this.primary);
    }, new Map());
    return out;
  }

  /**
   * Runs engine work; if the engine throws (a bug), reloads it and brings every side back to its
   * results (resync), so one bad batch cannot leave results stale.
   */
  private guarded(work: () => void, out: Map<string, Patch>): void {
    try {
      work();
    } catch (err) {
      this.bridge.noteError(err);
      out.clear();
      this.resync(out);
    }
  }

  /** A fresh engine loaded from the primary's view; every side's results recomputed from it. */
  private resync(out: Map<string, Patch>): void {
    const fresh = new ResultMirror();
    fresh.take(this.bridge.reload(this.reader(this.primary)));
    this.at = this.primary;
    const patch = this.mirror(this.primary).patchTo(fresh);
    if (!isEmptyPatch(patch)) out.set(this.primary, patch);
    this.visit(this.primary, [BASE, ...this.sides.keys()].filter((id) => id !== this.primary), out);
    this.moveTo(this.primary);
  }
}

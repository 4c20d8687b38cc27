// What the UI holds: every result as the patches sent so far left it. The bridge keeps this so a
// full reload can answer with a patch like any other: the difference between what the UI had and
// the new results, removals included.

import type { Problem } from '../engine/cells';
import type { Patch, RowProblems } from '../engine/changes';
import type { HamResult } from '../engine/ham/ham';
import { sameResult, type PositionResult } from '../engine/positions/position';
import type { UnlicensedResult } from '../engine/unlicensed';
import { emptyPatch } from '../engine/changes';
import type { UnrecognizedResult } from '../engine/normalize/unrecognized';

type UnlicensedRow = UnlicensedResult & { key: string };

const problemKey = (p: { sheet: string; key: unknown }) => `${p.sheet}\u0000${String(p.key)}`;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class ResultMirror {
  readonly positions = new Map<string, PositionResult>();
  readonly unlicensed = new Map<string, UnlicensedRow>();
  ham: HamResult | null = null;
  /** Rows that have problems (never an empty list). */
  readonly problems = new Map<string, RowProblems>();
  settingsProblems: Problem[] = [];
  readonly unrecognized = new Map<string, UnrecognizedResult>();

  /** Takes a patch as the UI does. */
  take(p: Patch): void {
    for (const r of p.positions) this.positions.set(r.key, r);
    for (const k of p.removedPositions) this.positions.delete(k);
    for (const u of p.unlicensed) this.unlicensed.set(u.key, u);
    for (const k of p.removedUnlicensed) this.unlicensed.delete(k);
    if (p.ham) this.ham = p.ham;
    for (const row of p.problems) {
      if (row.problems.length) this.problems.set(problemKey(row), row);
      else this.problems.delete(problemKey(row));
    }
    if (p.settingsProblems) this.settingsProblems = p.settingsProblems;
    for (const u of p.unrecognized) this.unrecognized.set(u.key, u);
    for (const k of p.removedUnrecognized) this.unrecognized.delete(k);
  }

  /**
   * The patch from what the UI has to `full` (the initial patch of a freshly loaded engine, which
   * holds every result), taken: positions, products and rows that vanished are removed.
   */
  diffTo(full: Patch): Patch {
    const target = new ResultMirror();
    target.take(full);
    return this.patchTo(target);
  }

  /** The patch from what this holds to what `target` holds, taken (this then equals target). */
  patchTo(target: ResultMirror): Patch {
    const out = emptyPatch();
    for (const [k, r] of target.positions) if (!sameResult(this.positions.get(k) ?? null, r)) out.positions.push(r);
    for (const k of this.positions.keys()) if (!target.positions.has(k)) out.removedPositions.push(k);

    for (const [k, u] of target.unlicensed) if (!sameJson(this.unlicensed.get(k), u)) out.unlicensed.push(u);
    for (const k of this.unlicensed.keys()) if (!target.unlicensed.has(k)) out.removedUnlicensed.push(k);

    if (target.ham && !sameJson(this.ham, target.ham)) out.ham = target.ham;

    for (const [k, p] of target.problems) if (!sameJson(this.problems.get(k)?.problems, p.problems)) out.problems.push(p);
    for (const [k, p] of this.problems) if (!target.problems.has(k)) out.problems.push({ sheet: p.sheet, key: p.key, problems: [] });

    for (const [k, u] of target.unrecognized) if (!sameJson(this.unrecognized.get(k), u)) out.unrecognized.push(u);
    for (const k of this.unrecognized.keys()) if (!target.unrecognized.has(k)) out.removedUnrecognized.push(k);

    if (!sameJson(this.settingsProblems, target.settingsProblems)) out.settingsProblems = target.settingsProblems;
    this.take(out);
    return out;
  }

  /** Another mirror holding the same results (results are never mutated, so sharing them is safe). */
  copy(): ResultMirror {
    const m = new ResultMirror();
    for (const [k, v] of this.positions) m.positions.set(k, v);
    for (const [k, v] of this.unlicensed) m.unlicensed.set(k, v);
    for (const [k, v] of this.problems) m.problems.set(k, v);
    for (const [k, v] of this.unrecognized) m.unrecognized.set(k, v);
    m.ham = this.ham;
    m.settingsProblems = this.settingsProblems;
    return m;
  }

  /** Every result held, as one patch (what a fresh view needs). */
  fullPatch(): Patch {
    return {
      positions: [...this.positions.values()], removedPositions: [], unlicensed: [...this.unlicensed.values()], removedUnlicensed: [],
      ham: this.ham, problems: [...this.problems.values()], settingsProblems: this.settingsProblems,
      unrecognized: [...this.unrecognized.values()], removedUnrecognized: [],
    };
  }
}

// The one closed set of changes that goes into the engine, and the patches that come out.

import type { SavingsPatch } from './savings/types';
import type { Problem, RawRow, RowKey } from './cells';
import type { SheetName } from './schema';
import type { PositionResult } from './positions/position';
import type { UnlicensedResult } from './unlicensed';
import type { HamResult } from './ham/ham';
import type { UnrecognizedResult } from './normalize/unrecognized';

export type Change =
  /** A row appeared, with all its cells. */
  | { kind: 'rowAdded'; sheet: SheetName; key: RowKey; cells: RawRow }
  | { kind: 'rowRemoved'; sheet: SheetName; key: RowKey }
  /** One cell of an existing row changed; the engine reads the whole row from its RowSource. */
  | { kind: 'cellChanged'; sheet: SheetName; key: RowKey; column: string; value: unknown }
  /** A setting changed (value undefined: removed, back to its default). */
  | { kind: 'settingsChanged'; key: string; value: unknown };

/** Where the engine reads the current cells of a row (the document, or a test's model). */
export type RowSource = (sheet: SheetName, key: RowKey) => RawRow | undefined;

export interface RowProblems {
  sheet: SheetName;
  key: RowKey;
  /** The row's problems now; empty: it has none any more. */
  problems: Problem[];
}

/** What changed in the results: only positions, products and rows whose results changed. */
export interface Patch {
  positions: PositionResult[];
  removedPositions: string[];
  unlicensed: (UnlicensedResult & { key: string })[];
  removedUnlicensed: string[];
  /** The whole HAM result, when anything in it changed. */
  ham: HamResult | null;
  problems: RowProblems[];
  /** Settings problems, when they changed. */
  settingsProblems: Problem[] | null;
  /** Unrecognized raw pairs that appeared or changed, and keys of those that left (incremental engines). */
  unrecognized: UnrecognizedResult[];
  removedUnrecognized: string[];
  /**
   * Savings (engine/savings/) of the side the worker's engine rests on, when the page watches them
   * (ReckonWorkerApi.watchSavings): what changed since the last one. Absent: nothing changed.
   */
  savings?: SavingsPatch;
}

export interface Result {
  positions: PositionResult[];
  unlicensed: UnlicensedResult[];
  ham: HamResult;
  problems: Problem[];
}

export function emptyPatch(): Patch {
  return {
    positions: [], removedPositions: [], unlicensed: [], removedUnlicensed: [], ham: null, problems: [], settingsProblems: null,
    unrecognized: [], removedUnrecognized: [],
  };
}

export function isEmptyPatch(p: Patch): boolean {
  return p.positions.length === 0 && p.removedPositions.length === 0 && p.unlicensed.length === 0
    && p.removedUnlicensed.length === 0 && p.ham === null && p.problems.length === 0 && p.settingsProblems === null
    && p.unrecognized.length === 0 && p.removedUnrecognized.length === 0;
}

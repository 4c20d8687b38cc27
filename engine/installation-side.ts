// Reconciling one workbook on two engines: the installation side holds the installations (the bulk
// of any estate) with the sheets their results read, and reconciles only what reads installations
// (and the problems of SIDE_CHECKED_SHEETS); the other engine holds everything but installations
// and takes those results in (Engine.resultBesidesInstallations).
// The command line's parallel reader runs the installation side on the thread that parsed the
// installations (cli/parse-worker.ts), so a million of them never cross between threads.
// Invariant: the two engines share every sheet the installation side reads, so a position that
// reads installations comes out the same as on one engine holding everything.

import type { Problem } from './cells';
import { RULES } from './metrics';
import type { Contribution, MetricRule } from './metrics/rule';
import type { PositionResult } from './positions/position';
import { COLUMNS, SHEETS, sheetRank, type SheetName } from './schema';
import type { UnlicensedResult } from './unlicensed';

/** The sheet each source feed of a rule reads. */
const FEED_SHEETS: Readonly<Record<string, SheetName>> = {
  install: 'installations', allocation: 'allocations', access: 'access', subscription: 'subscriptions',
  user: 'users', session: 'sessions', sensor: 'sensors', measurement: 'measurements',
};

/** The sheets a rule reads through its feeds. */
export function feedSheets(rule: MetricRule): SheetName[] {
  return Object.keys(FEED_SHEETS).filter((feed) => (rule as unknown as Record<string, unknown>)[feed] !== undefined).map((feed) => FEED_SHEETS[feed]);
}

/**
 * What the installation side needs besides installations, in sheet order: the entitlements (they
 * make the positions and decide what is unlicensed); the sheets any rule looks things up in (World:
 * devices, hosts, users, clusters, factors, tiers); every other sheet fed to a rule that also
 * reads installations (named_user's allocations, oracle_nup's access records); and the model
 * categories, which devices name, so that the side can check the devices (SIDE_CHECKED_SHEETS); the
 * normalization rules, which both engines apply to the rows they hold (the side to installations
 * typed before the rules were read, as it adds them).
 */
export const INSTALLATION_SIDE_SHEETS: readonly SheetName[] = (() => {
  const needed = new Set<SheetName>(['entitlements', 'devices', 'users', 'clusters', 'factors', 'tiers', 'modelCategories', 'normalization']);
  for (const rule of RULES.values()) if (rule.install) for (const sheet of feedSheets(rule)) needed.add(sheet);
  needed.delete('installations');
  return SHEETS.filter((s) => needed.has(s));
})();

const SIDE: ReadonlySet<string> = new Set<string>([...INSTALLATION_SIDE_SHEETS, 'installations']);

/**
 * The sheets whose problems (cells, references, duplicate ids) the installation side derives, and
 * the other engine does not: installations, and every sheet it holds whose references all name
 * sheets it holds (a model category name names modelCategories). Both engines hold those rows
 * alike, so either finds the same problems; the side, which finishes first, takes the lookups of
 * the devices', allocations' and access records' references off the other.
 */
export const SIDE_CHECKED_SHEETS: ReadonlySet<SheetName> = new Set(SHEETS.filter((sheet) => SIDE.has(sheet)
  && COLUMNS[sheet].every((c) => c.kind !== 'ref' || SIDE.has(c.ref === 'modelCategoryName' ? 'modelCategories' : c.ref!))));

/** What the installation side reconciled (Engine.installationResults), in a shape cheap to send between threads. */
export interface InstallationResults {
  /** Every position whose rule reads installations, without contributions. */
  positions: PositionResult[];
  /** Their contributions when asked for, column by column (a million small objects clone slowly). */
  contributions: PackedContributions | null;
  unlicensed: UnlicensedResult[];
  /** The problems of the sheets the side checks (SIDE_CHECKED_SHEETS), in sheet and row order. */
  problems: Problem[];
}

export interface PackedContributions {
  /** How many contributions each position has, in order. */
  counts: number[];
  refs: string[];
  amounts: Float64Array;
  whys: string[];
}

export function packContributions(lists: readonly Contribution[][]): PackedContributions {
  const total = lists.reduce((n, l) => n + l.length, 0);
  const packed: PackedContributions = { counts: lists.map((l) => l.length), refs: new Array(total), amounts: new Float64Array(total), whys: new Array(total) };
  let k = 0;
  for (const list of lists) {
    for (const c of list) {
      packed.refs[k] = c.ref;
      packed.amounts[k] = c.amount;
      packed.whys[k++] = c.why;
    }
  }
  return packed;
}

/** Packed contributions back as one list per position. */
export function unpackContributions(packed: PackedContributions): Contribution[][] {
  let k = 0;
  return packed.counts.map((count) => {
    const list: Contribution[] = new Array(count);
    for (let j = 0; j < count; j++, k++) list[j] = { ref: packed.refs[k], amount: packed.amounts[k], why: packed.whys[k] };
    return list;
  });
}

/** The positions with their contributions back as lists. */
export function withContributions(positions: readonly PositionResult[], packed: PackedContributions | null): PositionResult[] {
  if (!packed) return [...positions];
  const lists = unpackContributions(packed);
  return positions.map((p, n) => ({ ...p, contributions: lists[n] }));
}

/**
 * Problems of both engines in sheet order; each list is in sheet order already and keeps its own
 * (row) order within a sheet. The engines check different sheets (SIDE_CHECKED_SHEETS).
 */
export function mergeProblems(own: readonly Problem[], side: readonly Problem[]): Problem[] {
  const out: Problem[] = [];
  let i = 0, j = 0;
  while (i < own.length && j < side.length) out.push(sheetRank(side[j].sheet) < sheetRank(own[i].sheet) ? side[j++] : own[i++]);
  while (i < own.length) out.push(own[i++]);
  while (j < side.length) out.push(side[j++]);
  return out;
}

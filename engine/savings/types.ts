// What savings (engine/savings/) hands out: surplus totals, reclaim candidates, plans to compliance,
// and the edits that act on them in a scenario. Plain data: it crosses the worker boundary and is
// printed by `reckon savings --json` (the README documents that form).

import type { RowKey } from '../cells';

/** Why a row set is a reclaim candidate; each reason is one module of engine/savings/reasons/. */
export type ReasonId = 'installed-unused' | 'inactive-holder' | 'allocated-unused' | 'not-seen' | 'copies-exceeded' | 'duplicate';

export const REASONS: readonly ReasonId[] = ['installed-unused', 'not-seen', 'duplicate', 'copies-exceeded', 'inactive-holder', 'allocated-unused'];

export const REASON_LABELS: Readonly<Record<ReasonId, string>> = {
  'installed-unused': 'Installed, unused',
  'not-seen': 'Device not seen',
  duplicate: 'Duplicate installation',
  'copies-exceeded': 'Copies beyond allowed',
  'inactive-holder': 'Held by inactive or unknown user',
  'allocated-unused': 'Allocated, not in use',
};

/** A row a candidate rests on. */
export interface RowRef {
  sheet: 'installations' | 'allocations' | 'subscriptions';
  id: string;
  /** The row's key in its document (its index in a workbook file). */
  key: RowKey;
}

/** Rights a position gains, and their cost at the position's unit cost (null: it has none). */
export interface Freed {
  key: string;
  rights: number;
  cost: number | null;
}

export interface Candidate {
  /** Stable while the rows it names stay what they are: reason, scope, product. */
  id: string;
  reason: ReasonId;
  /** The rule, in words, for these rows. */
  why: string;
  publisher: string;
  product: string;
  /** The device (installation reasons) or the user (allocations, subscriptions) it is about, as shown. */
  deviceId: string | null;
  userId: string | null;
  rows: RowRef[];
  /** Acting on it: its rows are removed (installations, allocations) or deactivated (subscriptions). */
  action: 'remove' | 'deactivate';
  /** The positions its rows count in (or are allocated on). */
  positions: string[];
  /**
   * What acting on this candidate alone gains, per position, as the scenario compare then shows it
   * (available after − before); a covering position gains where shortfall stops moving up to it.
   */
  freed: Freed[];
  /** Σ freed rights, and their cost (null when a position it frees rights in has no unit cost). */
  rights: number;
  cost: number | null;
  currency: string;
  /** Flags it clears on its own unit (copies-exceeded on its device). */
  fixes: string[];
  /** Why it frees nothing, when it does not. */
  note: string;
}

/** Rights bought by a plan: a raised quantity, or a new entitlement where none counts today. */
export interface Purchase {
  key: string;
  rights: number;
  unitCost: number | null;
  cost: number | null;
  /** The entitlement whose quantity is raised (its id); null: a new entitlement row. */
  entitlementId: string | null;
}

export interface Plan {
  /** The noncompliant position it brings to compliance; '' for the whole workbook's plan. */
  key: string;
  /** Positions it covers (one, or every noncompliant one). */
  positions: string[];
  shortfall: number;
  shortfallCost: number;
  /** Candidates to act on (ids), fewest first among equal costs. */
  reclaim: string[];
  /** Rights the reclaims free in the planned position(s). */
  reclaimed: number;
  buy: Purchase[];
  /** What the purchases cost (null when one is not priced). */
  buyCost: number | null;
  /** What buying the whole shortfall would cost (null without a unit cost). */
  buyOnlyCost: number | null;
  /** buyOnlyCost − buyCost (null when either is unknown). */
  saving: number | null;
  currency: string;
  /** What it cannot do or price, in words ('' when nothing). */
  note: string;
}

export interface CostTotal {
  /** Σ cost of the priced ones. */
  cost: number;
  /** How many positions (or candidates) there are, and how many of them have no unit cost. */
  count: number;
  unpriced: number;
}

export interface PublisherTotal extends CostTotal {
  publisher: string;
  /** Σ rights (in each position's own units). */
  rights: number;
}

export interface SavingsTotals {
  currency: string;
  /** Rights bought beyond consumption (available > 0 on a counting position), at unit cost. */
  surplus: CostTotal & { rights: number; byPublisher: PublisherTotal[] };
  /**
   * Rights freed if every candidate were acted on, together: per position as the compare would
   * show it, summed; `count` is the number of candidates.
   */
  reclaim: CostTotal & { rights: number; byPublisher: PublisherTotal[]; byReason: { reason: ReasonId; count: number }[] };
  /** The whole workbook's plan, in short. */
  plan: { positions: number; buyOnlyCost: number | null; planCost: number | null; saving: number | null };
}

/** Everything, once (`reckon savings --json`, and a page's first view). */
export interface SavingsResult {
  format: 'reckon-savings/1';
  asOf: string;
  notSeenDays: number;
  totals: SavingsTotals;
  candidates: Candidate[];
  plans: Plan[];
  whole: Plan;
}

/** What changed since the last patch (upserts and removals by id/key). */
export interface SavingsPatch {
  /** Replace everything held (first patch, or the side shown changed). */
  reset: boolean;
  candidates: Candidate[];
  removedCandidates: string[];
  plans: Plan[];
  removedPlans: string[];
  whole: Plan;
  totals: SavingsTotals;
}

/** One change a savings action makes in a scenario (worker/scenario/edit.ts applies it). */
export type SavingsEdit =
  | { op: 'delete'; sheet: 'installations' | 'allocations'; key: string }
  | { op: 'set'; sheet: 'subscriptions' | 'entitlements'; key: string; column: string; value: string | number | boolean }
  | { op: 'add'; sheet: 'entitlements'; cells: Record<string, string | number | boolean> };

/** What to act on: chosen candidates, one position's plan, or the whole workbook's plan. */
export type SavingsAction = { candidates: string[] } | { plan: string } | { whole: true };

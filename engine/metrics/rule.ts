// The shape every metric rule has. A position's consumption is built from units (a device, a host,
// a cluster, a user, or the whole position); each rule says which unit every source row feeds and
// what a unit is worth. Because a unit's worth depends only on its own members and their
// neighbourhood, an edit re-evaluates the few units it touches, never the whole position.

import type {
  Access, Allocation, Device, Installation, Measurement, Sensor, Session, Subscription, User,
} from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';

/**
 * What a unit is: a row object (a device as device or host, a user, a lone installation,
 * subscription or allocation) or a string for clusters (`c:<id>`), products (`p:<product>`) and the
 * whole position (`*`). Row objects are kept identical across edits, so they are stable keys.
 */
export type UnitKey = Device | User | Installation | Subscription | Allocation | string;

export const WHOLE = '*';
export const clusterUnit = (clusterN: string) => `c:${clusterN}`;

/** A unit's members: the source rows that feed it. Absent lists are empty. */
export interface Members {
  inst?: Installation[];
  alloc?: Allocation[];
  access?: Access[];
  subs?: Subscription[];
  users?: User[];
  sessions?: Session[];
  sensors?: Sensor[];
  measurements?: Measurement[];
}
export type MemberList = keyof Members;

export interface Contribution {
  /** `sheet/id` of the row that gave it. */
  ref: string;
  amount: number;
  why: string;
  /** Explanations only: the flags its unit raised (FLAG_NAMES), which make it worth a look first. */
  flags?: string[];
  /** Explanations only: the name of the device, user or cluster `ref` names, when it has one. */
  name?: string;
}

/** Flags a unit can raise; a position carries a flag when any of its units does. */
export const FLAG_NO_FACTOR = 1;
export const FLAG_MISSING_CAPACITY = 2;
export const FLAG_COPIES_EXCEEDED = 4;
export const FLAG_NAMES: readonly [number, string][] = [
  [FLAG_NO_FACTOR, 'no-factor'], [FLAG_MISSING_CAPACITY, 'missing-capacity'], [FLAG_COPIES_EXCEEDED, 'copies-exceeded'],
];

/** A unit's worth: integers in the rule's scale, so sums are exact in any order. */
export interface Unit {
  amount: number;
  /** Further sums a rule keeps (oracle_nup's processors, the subscription breakdown). */
  parts?: number[];
  flags: number;
}

/** Explanations are written only when asked for: `why` is null on the hot path. */
export type Why = Contribution[] | null;

type Feed<T> = (w: World, p: Position, row: T) => UnitKey | UnitKey[] | null;

export interface MetricRule {
  readonly id: string;
  /** Unit amounts are integers equal to the real amount × scale (default 1). */
  readonly scale?: number;
  /** Length of Unit.parts (default 0). */
  readonly parts?: number;
  /** enterprise and site: always compliant, no shortfall. */
  readonly alwaysCompliant?: boolean;
  readonly factorKind?: 'multiplier' | 'constant' | 'pvu' | 'core_factor';
  readonly usesTiers?: boolean;
  /** Which scope the entitlement's company/site filters: devices, users or both. */
  readonly scope: 'device' | 'user' | 'both' | 'none';

  // Sources: present when the rule consumes that kind of row. Each gets rows already matched to
  // the position (installations by product/version/edition on a counting device; allocations on
  // the position; the others by product) and returns the unit(s) the row feeds, or null.
  readonly install?: Feed<Installation>;
  readonly allocation?: Feed<Allocation>;
  readonly access?: Feed<Access>;
  readonly subscription?: Feed<Subscription>;
  readonly user?: Feed<User>;
  readonly session?: Feed<Session>;
  readonly sensor?: Feed<Sensor>;
  readonly measurement?: Feed<Measurement>;

  /** A unit's worth from its members; null when it consumes nothing. */
  evaluate(w: World, p: Position, unit: UnitKey, m: Members, why: Why): Unit | null;
  /** Consumption from the integer sums of the units (in the rule's scale); default amount ÷ scale. */
  combine?(w: World, p: Position, amount: number, parts: readonly number[]): number;
  /**
   * For a rule with combine: the last line of an explanation, saying how the units' sum became the
   * consumption; null when there is nothing to say (it is the sum).
   */
  explainTotal?(w: World, p: Position, amount: number, parts: readonly number[]): string | null;
  /** The allocation breakdown (user_subscription) from the part sums. */
  breakdown?(parts: readonly number[]): AllocationBreakdown;
}

export interface AllocationBreakdown {
  allocatedInUse: number;
  allocatedNotInUse: number;
  notAllocatedInUse: number;
}

export const NONE: readonly never[] = Object.freeze([]) as readonly never[];

/** Units always have the same shape (parts undefined when unused), so reading them stays fast. */
export function unit(amount: number, flags = 0, parts?: number[]): Unit {
  return { amount, flags, parts };
}

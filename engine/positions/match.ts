// Whether a source row matches a position by its own fields (metrics.md, "Shared notions" and
// "Overlapping positions"), before any rule's scope and before the ranking decides between the
// positions that match it.

import type { Allocation, Installation } from '../rows';
import type { World } from '../store/world';
import type { Position } from './position';
import { versionMatches } from './ranking';

/**
 * An installation matches a position: publisher, product (or `*`), version (a downgrade right's
 * lower versions too) and edition where set, on a counting device.
 */
export function installMatches(_w: World, p: Position, i: Installation): boolean {
  return i.publisher === p.publisher && (p.product === '*' || i.product === p.product)
    // The common case (no version, or the same) inline: the command line runs V8 without inlining.
    && (p.version === '' || i.version === p.version || (p.downgrade && versionMatches(p, i.version)))
    && (p.edition === '' || i.edition === p.edition)
    && i.device !== undefined && i.device.counts;
}

/** The position's publisher and product (`*`: every product of it). */
export function ofProduct(p: Position, row: { publisher: string; product: string }): boolean {
  return row.publisher === p.publisher && (p.product === '*' || row.product === p.product);
}

/**
 * A row "for the product" (access records, sessions, subscriptions, sensors, measurements): the
 * position's publisher and product. Such rows have no version, so only blank-version positions
 * match them (metrics.md, "Overlapping positions").
 */
export function forProduct(p: Position, row: { publisher: string; product: string }): boolean {
  return p.version === '' && ofProduct(p, row);
}

export function allocationOn(p: Position, a: Allocation): boolean {
  for (const e of p.entitlements) if (e.idN !== '' && e.idN === a.entitlementId) return true;
  return false;
}

// Shortfall moves up (metrics.md, "Overlapping positions"): after every position of a publisher
// and metric has its own consumption, positions are taken in rank order, so each comes after every
// position it covers; one whose consumption (its own and what it received) exceeds its purchased
// rights by s > 0 hands s to its nearest cover: its consumed becomes purchased, the cover's grows
// by s. Amounts are in millionths of the metric's units as the giver computed them (after its
// tiers, peaks, minimums and rounding): the cover adds them as they are.
//
// Two ways in, one meaning: `moveAll` redoes a whole group (its ranking or covers changed);
// `moveFrom` starts at the positions whose consumption or purchases changed and follows the
// moves up their chains of covers only as far as something changes, so an edit in a group of
// thousands of positions beside one `*` right costs its chain, not the group.

import { toMicro } from '../metrics/common';
import type { Group } from './registry';
import { purchasedOf, type Position } from './position';

/** A position's consumption after moves, in millionths. */
export function finalMicros(p: Position): number {
  return toMicro(p.own) + p.inMicros - (p.moveOut === null ? 0 : p.moveOut.micros);
}

/** The shortfall a position hands to its cover now (0 without one). */
function excess(p: Position): number {
  if (p.cover === null) return 0;
  const s = toMicro(p.own) + p.inMicros - purchasedOf(p);
  return s > 0 ? s : 0;
}

/** Sets what p hands over (to its current cover), keeping the cover's received sum; true when it changed. */
function handOver(p: Position, micros: number): boolean {
  const was = p.moveOut;
  if (was !== null && was.other === p.cover && was.micros === micros) return false;
  if (was === null && micros === 0) return false;
  if (was !== null) {
    was.other.movesIn.delete(p);
    was.other.inMicros -= was.micros;
  }
  p.moveOut = micros > 0 ? { other: p.cover!, micros } : null;
  if (p.moveOut) {
    p.cover!.movesIn.set(p, micros);
    p.cover!.inMicros += micros;
  }
  return true;
}

/** Redoes every move of a ranked group; `changed` hears every position whose moves changed. */
export function moveAll(g: Group, changed: (p: Position) => void): void {
  const before = new Map<Position, string>();
  const signature = (p: Position) => `${p.moveOut ? `${p.moveOut.other.key}\u0001${p.moveOut.micros}` : ''}\u0002${[...p.movesIn].map(([q, m]) => `${q.key}\u0001${m}`).sort().join('\u0002')}`;
  for (const p of g.ranked) {
    before.set(p, signature(p));
    p.movesIn = new Map();
    p.inMicros = 0;
    p.moveOut = null;
  }
  for (const p of g.ranked) handOver(p, excess(p));
  for (const p of g.ranked) if (before.get(p) !== signature(p)) changed(p);
}

/**
 * Redoes the moves out of these positions of one ranked group (their consumption or purchases
 * changed) and, wherever what a position hands over changes, of its cover, up the chain. A
 * position is handled after every position below it in rank whose moves it waits on.
 */
export function moveFrom(start: Iterable<Position>, changed: (p: Position) => void): void {
  const queue = [...start].sort((a, b) => a.rank - b.rank);
  const queued = new Set(queue);
  for (let k = 0; k < queue.length; k++) {
    const p = queue[k];
    if (!handOver(p, excess(p))) continue;
    changed(p);
    // Covers do not change here (moveAll follows a new ranking), so the cover gave or takes the difference.
    const cover = p.cover;
    if (cover === null || queued.has(cover)) continue;
    changed(cover);
    queued.add(cover);
    // Insert the cover after every queued position ranked below it (a cover ranks after what it covers).
    let at = queue.length;
    while (at > k + 1 && queue[at - 1].rank > cover.rank) at--;
    queue.splice(at, 0, cover);
  }
}

// Shortfall moves up (metrics.md, "Overlapping positions"): after every position of a publisher
// and metric has its own consumption, positions are taken in rank order, so each comes after every
// position it covers; one whose consumption (its own and what it received) exceeds its purchased
// rights by s > 0 hands s to its nearest cover: its consumed becomes purchased, the cover's grows
// by s. Amounts are in millionths of the metric's units as the giver computed them (after its
// tiers, peaks, minimums and rounding): the cover adds them as they are.

import { toMicro } from '../metrics/common';
import type { Group } from './registry';
import { purchasedOf, type Move, type Position } from './position';

/** A position's consumption after moves, in millionths. */
export function finalMicros(p: Position): number {
  let m = toMicro(p.own);
  for (const x of p.movesIn) m += x.micros;
  if (p.moveOut) m -= p.moveOut.micros;
  return m;
}

const sameMove = (a: Move | null, b: Move | null) => a === b || (a !== null && b !== null && a.other === b.other && a.micros === b.micros);

/**
 * Moves the shortfall of one ranked group again, from each position's own consumption and active
 * entitlements; calls `changed` for every position whose moves are not what they were.
 */
export function moveShortfall(g: Group, changed: (p: Position) => void): void {
  const was = new Map<Position, { in: Move[]; out: Move | null }>();
  for (const p of g.ranked) {
    was.set(p, { in: p.movesIn, out: p.moveOut });
    p.movesIn = [];
    p.moveOut = null;
  }
  let moved = false;
  for (const p of g.ranked) {
    if (p.cover === null) continue;
    const s = finalMicros(p) - purchasedOf(p);
    if (s <= 0) continue;
    p.moveOut = { other: p.cover, micros: s };
    p.cover.movesIn.push({ other: p, micros: s });
    moved = true;
  }
  g.moved = moved;
  for (const p of g.ranked) {
    const old = was.get(p)!;
    if (!sameMove(old.out, p.moveOut) || old.in.length !== p.movesIn.length || old.in.some((m, k) => !sameMove(m, p.movesIn[k]))) changed(p);
  }
}

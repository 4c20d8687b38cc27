// Would an update leave anything pending in the room? Yjs integrates a struct only once everything
// it refers to is there (the struct before it from the same client, its origins, its parent) and
// deletes only ranges it has; anything else it keeps aside as "pending" and retries on every later
// update, and encodes with the room's state, so it is stored and sent to every peer who syncs.
// Thousands of updates with missing dependencies stalled other rooms for seconds; one delete set
// naming 200,000 unknown clients made every later edit of its room a hundred times slower, for
// good (yjs#687). So an update is checked against the room's state vector before it is applied:
//
// - a struct must start at or before what the room (or the update, earlier) has of its client;
// - every id a struct refers to must be in the room or in the update;
// - deleted ranges past what the room and the update have may name at most `maxUnknownDeleteClients`
//   clients (a peer that saw another peer's edit first, e.g. through a second tab, may delete a
//   little ahead of the relay: that much stays pending, bounded; room.ts also bounds what piles up).
//
// A refused update closes the connection (1008): its peer reconnects and its sync step 2, built
// against the relay's state vector, carries whatever the relay was missing, so an honest peer
// loses nothing.

import type { UpdateLimits } from './config';
import { reject } from './binary-reader';
import { validateUpdate, type UpdateStats, type UpdateVisitor } from './validate-update';

/** The room's state vector: client → the first clock it does not have (a Map, or the doc itself). */
export interface StateVector {
  get(client: number): number | undefined;
}

/**
 * Validates `update` (validate-update.ts) and checks it leaves nothing pending against `known`.
 * Throws UpdateRejected ('pending-structs', 'unknown-delete-clients').
 */
export function validateAgainstRoom(update: Uint8Array, known: StateVector, limits: UpdateLimits): UpdateStats {
  const check = new DependencyCheck(known);
  const stats = validateUpdate(update, limits, check);
  check.finish(limits.maxUnknownDeleteClients);
  return stats;
}

class DependencyCheck implements UpdateVisitor {
  /** Per client of the update: the first clock after what the room and the update have of it. */
  private readonly ends = new Map<number, number>();
  /** References not satisfied by the room alone, checked once the update's ends are known. */
  private readonly later: number[] = [];
  private readonly deletes: number[] = [];

  constructor(private readonly known: StateVector) {}

  private have(client: number): number {
    return this.ends.get(client) ?? this.known.get(client) ?? 0;
  }

  struct(client: number, clock: number, length: number, skip: boolean): void {
    if (skip) return; // a range the sender does not have: what follows must be known some other way
    const have = this.have(client);
    if (clock > have) reject('pending-structs');
    if (clock + length > have) this.ends.set(client, clock + length);
  }

  ref(client: number, clock: number): void {
    if (clock < (this.known.get(client) ?? 0)) return;
    this.later.push(client, clock);
  }

  deleteRange(client: number, clock: number, length: number): void {
    if (clock + length <= (this.known.get(client) ?? 0)) return;
    this.deletes.push(client, clock + length);
  }

  finish(maxUnknownDeleteClients: number): void {
    for (let i = 0; i < this.later.length; i += 2) {
      if (this.later[i + 1] >= this.have(this.later[i])) reject('pending-structs');
    }
    const unknown = new Set<number>();
    for (let i = 0; i < this.deletes.length; i += 2) {
      if (this.deletes[i + 1] > this.have(this.deletes[i])) unknown.add(this.deletes[i]);
      if (unknown.size > maxUnknownDeleteClients) reject('unknown-delete-clients');
    }
  }
}

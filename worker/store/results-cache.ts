// Results kept beside the document, as a spreadsheet keeps computed values beside its formulas: the
// worker stores its last results (every position, unlicensed product, HAM, problem, unrecognized
// pair) with the identity of the document state they were computed for; the page shows them the
// moment it opens, as exact only when the document it opened is exactly that state.
//
// The state's identity is its state vector AND its delete set (Y.snapshot), hashed. A state vector
// alone does not do: deleting a map entry or an array item adds to the delete set without advancing
// any clock, so two documents with equal state vectors can hold different rows. Both are written
// in a fixed order (clients sorted, deleted ranges merged), so equal states give equal bytes. The
// results also depend on the engine that computed them (the worker's build) and, for a workbook
// whose asOf is blank or unreadable, on the date that stood in for it.
//
// Invariant: `isExact(cache, now)` holds only when a full reconcile of the document as it is now
// would give `cache.patch`; anything else is shown as being brought up to date
// (tests/worker/results-cache-property.test.ts).

import * as Y from 'yjs';
import { isBlank, toTime } from '../../engine/cells';
import type { Patch } from '../../engine/changes';

export interface CachedResults {
  /** This record's own id (random): the page tells the worker which cached results it shows. */
  id: string;
  /** The document state they are the results of (`stateIdentity`). */
  state: string;
  /** The date that stood in for asOf (`todayKey`). */
  today: string;
  /** The worker build that computed them. */
  build: string;
  /** When they were stored (ISO time), to say how old figures on screen are. */
  writtenAt: string;
  /** Every result, as one patch (a fresh view takes it whole). */
  patch: Patch;
}

/** What the results of a document depend on besides its state. */
export interface ResultsInputs {
  today: string;
  build: string;
}

/** The state's snapshot (state vector and delete set), in its canonical encoding. */
export function stateSnapshot(doc: Y.Doc): Uint8Array {
  return Y.encodeSnapshot(Y.snapshot(doc));
}

/** A SHA-256 of bytes, in hex. */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** The identity of a document's state: equal for two documents exactly when they hold the same structs and deletions. */
export function stateIdentity(doc: Y.Doc): Promise<string> {
  return sha256(stateSnapshot(doc));
}

/**
 * The date standing in for asOf in a reconcile of a workbook with these settings: `today` when its
 * asOf is blank or not a date (engine/settings.ts falls back to it), else '' (today plays no part).
 */
export function todayKey(settings: Record<string, unknown>, today: string): string {
  const asOf = settings.asOf;
  return isBlank(asOf) || Number.isNaN(toTime(asOf)) ? today : '';
}

/** Whether cached results are exactly those of the document now (its state identity, today's key and the build given). */
export function isExact(cache: CachedResults | null | undefined, now: { state: string; today: string; build: string }): boolean {
  return !!cache && cache.state === now.state && cache.today === now.today && cache.build === now.build;
}

/** A new id for a cache record. */
export function newCacheId(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

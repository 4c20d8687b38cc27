// Bounded checks of a Yjs (v1) update or state vector from a client, run
// before `Y.applyUpdate` / `Y.encodeStateAsUpdate` see the bytes.
//
// Why a pre-validation pass (and not a worker thread):
// - yjs decodes by trusting declared sizes: `new Array(numberOfStructs)`,
//   loops over declared counts, lib0's `readUint8` returning `undefined` past
//   the end (which yjs then reads as a GC struct). Tiny inputs can declare
//   huge counts, and short encodings expand a lot in heap (a 2-byte empty
//   object, a 3-byte client entry, a 2-byte delete range). A single linear
//   pass over the bytes, with every count checked against the bytes left and
//   a heap estimate charged to a budget, makes the later decode bounded by
//   construction, costs ~one decode's worth of CPU, and allocates nothing
//   proportional to declared sizes.
// - A worker with `resourceLimits` bounds only the decode it runs. The room
//   doc lives on the main thread, so the update must be decoded again there
//   anyway, and integration (below) is where the remaining cost is. A worker
//   also copies every message and adds latency to every keystroke.
//
// Integration: a well-formed update can still be slow to integrate. YATA
// resolves concurrent insertions at one position by scanning the items
// already there, so k items sharing an insertion point can cost ~k²/2 steps
// (measured: a 336 KB update of 32k items after one origin, alternating
// right origins, took 20 s). The pass estimates that cost from the bytes:
// items are grouped by insertion point (left origin; for items without one,
// the parent and map key, or one shared group when only a right origin is
// known) and Σ n(n-1)/2 over groups is returned. The grouping
// over-approximates (a chain of rows each inserted before the previous one
// shares an origin but never conflicts), so the estimate is a filter, not a
// verdict: above `maxIntegrationSteps` the relay first tries the update in a
// worker with a time limit (integration-trial.ts) and only rejects it if that
// trial is too slow. Cost that depends on what is already in the room doc
// (conflicts with earlier updates, retries of pending structs) is bounded per
// connection by timing each apply (ConnectionRateLimiter.chargeApply).
//
// Yjs encoders write delete sets sorted and merged per client, and each
// client once; we require that, because overlapping ranges make the delete
// set's application cost multiply.

import type { UpdateLimits } from './config';
import { BoundedReader, decodeUtf8, reject } from './binary-reader';
import { checkAny, checkJsonString, DecodeBudget, HEAP_COST } from './validate-values';

export { UpdateRejected } from './binary-reader';

/** Rough heap costs of decoded structures (see validate-values.ts). */
const COST = {
  clientEntry: 200,
  struct: 200,
  deleteRange: 64,
  type: 400,
  rootKey: 600,
  subdoc: 8192,
} as const;

/**
 * What a pass over an update reports as it goes, for checks that need the room (dependencies.ts):
 * every struct's id and length, every id an item refers to (its origins and parent), every deleted
 * range.
 */
export interface UpdateVisitor {
  struct(client: number, clock: number, length: number, skip: boolean): void;
  ref(client: number, clock: number): void;
  deleteRange(client: number, clock: number, length: number): void;
}

export interface UpdateStats {
  /** Items (structs with content), i.e. what integration works on. */
  items: number;
  structs: number;
  /** Structs and values decoded one by one (bounded by maxValues). */
  values: number;
  estimatedHeapBytes: number;
  /**
   * Over-estimate of YATA conflict-resolution steps; 0 when the update is too
   * small for it to reach `maxIntegrationSteps` (the estimate is then skipped).
   */
  integrationSteps: number;
}

/**
 * Throws UpdateRejected unless `update` is a well-formed v1 update within
 * `limits`. Linear in the update's length; allocates O(1) besides the sets
 * of client ids and root type names (both capped), and, for updates with
 * enough items to matter, one 8-byte key per item for the integration estimate.
 */
export function validateUpdate(update: Uint8Array, limits: UpdateLimits, visitor: UpdateVisitor | null = null): UpdateStats {
  const first = scanUpdate(update, limits, null, visitor);
  let integrationSteps = 0;
  // Σ n(n-1)/2 ≤ items(items-1)/2: only large updates can exceed the bound,
  // so only they pay for a second pass that records insertion points.
  if ((first.items * (first.items - 1)) / 2 > limits.maxIntegrationSteps) {
    const keys = new Float64Array(first.items);
    scanUpdate(update, limits, keys, null);
    integrationSteps = conflictSteps(keys);
  }
  return { ...first, integrationSteps };
}

/** Throws UpdateRejected unless `sv` is a well-formed state vector within `limits`. */
export function validateStateVector(sv: Uint8Array, limits: UpdateLimits): void {
  const r = new BoundedReader(sv);
  const entries = r.count(2, limits.maxClients, 'clients');
  for (let i = 0; i < entries; i++) {
    r.varUint(); // client
    if (r.varUint() > limits.maxClock) reject('clock-out-of-range');
  }
  if (!r.atEnd()) reject('trailing-bytes');
}

/** No bound at all: for estimating what a room's own stored state costs (estimateHeap). */
const UNBOUNDED: UpdateLimits = {
  maxDecodeHeapBytes: Infinity, maxClients: Infinity, maxDepth: Infinity, maxValues: Infinity, maxUnknownDeleteClients: Infinity,
  maxRootKeys: Infinity, maxSubdocs: Infinity, maxClock: Number.MAX_SAFE_INTEGER, maxIntegrationSteps: Infinity,
  trialTimeoutMs: 0, trialLoadTimeoutMs: 0, trialHeapMb: 0,
};

/**
 * The heap a room's state is estimated to take once decoded (the same estimate that bounds one
 * update), for the room's memory budget. The state is one Yjs itself encoded: only its size is
 * in question, so nothing bounds this pass but the bytes.
 */
export function estimateHeap(state: Uint8Array): number {
  return scanUpdate(state, UNBOUNDED, null, null).estimatedHeapBytes;
}

interface ScanResult {
  items: number;
  structs: number;
  values: number;
  estimatedHeapBytes: number;
}

function scanUpdate(update: Uint8Array, limits: UpdateLimits, keys: Float64Array | null, visitor: UpdateVisitor | null): ScanResult {
  const r = new BoundedReader(update);
  const budget = new DecodeBudget(limits.maxDecodeHeapBytes, limits.maxValues);
  const rootKeys = new Set<string>();
  const hasher = new KeyHasher();
  let items = 0;
  let structs = 0;
  let subdocs = 0;

  const checkClock = (clock: number): void => {
    if (clock > limits.maxClock) reject('clock-out-of-range');
  };

  // --- structs, grouped by client ---
  const clientEntries = r.count(3, limits.maxClients, 'clients');
  const seenClients = new Set<number>();
  for (let c = 0; c < clientEntries; c++) {
    budget.charge(COST.clientEntry);
    const structCount = r.count(2, Number.MAX_SAFE_INTEGER, 'structs');
    const client = r.varUint();
    if (seenClients.has(client)) reject('duplicate-client');
    seenClients.add(client);
    let clock = r.varUint();
    checkClock(clock);
    for (let s = 0; s < structCount; s++) {
      budget.charge(COST.struct);
      budget.value();
      structs++;
      const structClock = clock;
      const info = r.u8();
      const contentRef = info & 0x1f;
      let length: number;
      if (contentRef === 0 || contentRef === 10) {
        // GC or Skip: a length and nothing else
        length = r.varUint();
      } else if (contentRef <= 9) {
        hasher.start();
        const hasOrigin = (info & 0x80) !== 0;
        const hasRightOrigin = (info & 0x40) !== 0;
        if (hasOrigin) {
          const originClient = r.varUint();
          const originClock = r.varUint();
          checkClock(originClock);
          hasher.tag(1).num(originClient).num(originClock);
          visitor?.ref(originClient, originClock);
        }
        if (hasRightOrigin) {
          const rightClient = r.varUint();
          const rightClock = r.varUint();
          checkClock(rightClock);
          visitor?.ref(rightClient, rightClock);
          // no left origin: one group per update is the safe over-approximation
          if (!hasOrigin) hasher.tag(2);
        }
        if (!hasOrigin && !hasRightOrigin) {
          // parent written explicitly: a root type name, or the id of a type item
          const parentInfo = r.varUint();
          if (parentInfo === 1) {
            const { start, length: keyLength } = r.varBytes();
            hasher.tag(3).bytes(update, start, keyLength);
            if (!rootKeys.has(decodeUtf8(update, start, keyLength))) {
              if (rootKeys.size >= limits.maxRootKeys) reject('too-many-root-types');
              rootKeys.add(decodeUtf8(update, start, keyLength));
              budget.charge(COST.rootKey + keyLength * HEAP_COST.byte);
            }
          } else if (parentInfo === 0) {
            const parentClient = r.varUint();
            const parentClock = r.varUint();
            checkClock(parentClock);
            hasher.tag(4).num(parentClient).num(parentClock);
            visitor?.ref(parentClient, parentClock);
          } else {
            reject('bad-parent-info');
          }
          if ((info & 0x20) !== 0) {
            const sub = r.varBytes(); // map key (parentSub)
            budget.charge(HEAP_COST.leaf + sub.length * HEAP_COST.byte);
            hasher.tag(5).bytes(update, sub.start, sub.length);
          }
        }
        length = checkContent(r, contentRef, budget, limits);
        if (contentRef === 9 && ++subdocs > limits.maxSubdocs) reject('too-many-subdocs');
        if (keys !== null) keys[items] = hasher.value();
        items++;
      } else {
        reject('bad-content-ref');
      }
      if (length < 1) reject('empty-struct');
      visitor?.struct(client, structClock, length, contentRef === 10);
      clock += length;
      checkClock(clock);
    }
  }

  // --- delete set: per client, ranges sorted and disjoint ---
  const dsClients = r.count(2, limits.maxClients, 'clients');
  const seenDsClients = new Set<number>();
  for (let c = 0; c < dsClients; c++) {
    budget.charge(COST.clientEntry);
    const client = r.varUint();
    if (seenDsClients.has(client)) reject('duplicate-client');
    seenDsClients.add(client);
    const ranges = r.count(2, Number.MAX_SAFE_INTEGER, 'delete-ranges');
    let previousEnd = 0;
    for (let i = 0; i < ranges; i++) {
      budget.charge(COST.deleteRange);
      const clock = r.varUint();
      const end = clock + r.varUint();
      if (clock < previousEnd) reject('unsorted-delete-set');
      checkClock(end);
      previousEnd = end;
      visitor?.deleteRange(client, clock, end - clock);
    }
  }
  if (!r.atEnd()) reject('trailing-bytes');
  return { items, structs, values: budget.values, estimatedHeapBytes: budget.spent };
}

/** Checks one item's content; returns the item's length (an upper bound for strings). */
function checkContent(r: BoundedReader, contentRef: number, budget: DecodeBudget, limits: UpdateLimits): number {
  switch (contentRef) {
    case 1: // ContentDeleted
      return r.varUint();
    case 2: {
      // ContentJSON (legacy): n JSON strings
      const n = r.count(1, Number.MAX_SAFE_INTEGER, 'values');
      for (let i = 0; i < n; i++) checkJsonString(r, budget, limits.maxDepth, true);
      return n;
    }
    case 3: {
      // ContentBinary
      const { length } = r.varBytes();
      budget.charge(HEAP_COST.leaf + length * HEAP_COST.byte);
      return 1;
    }
    case 4: {
      // ContentString: UTF-16 length ≤ UTF-8 byte length
      const { length } = r.varBytes();
      budget.charge(HEAP_COST.leaf + length * HEAP_COST.byte);
      return length;
    }
    case 5: // ContentEmbed
      checkJsonString(r, budget, limits.maxDepth, false);
      return 1;
    case 6: {
      // ContentFormat: key, JSON value
      const key = r.varBytes();
      budget.charge(HEAP_COST.leaf + key.length * HEAP_COST.byte);
      checkJsonString(r, budget, limits.maxDepth, false);
      return 1;
    }
    case 7: {
      // ContentType: type ref 0..6; XmlElement (3) and XmlHook (5) carry a name
      const typeRef = r.varUint();
      if (typeRef > 6) reject('bad-type-ref');
      if (typeRef === 3 || typeRef === 5) {
        const name = r.varBytes();
        budget.charge(name.length * HEAP_COST.byte);
      }
      budget.charge(COST.type);
      return 1;
    }
    case 8: {
      // ContentAny: n values
      const n = r.count(1, Number.MAX_SAFE_INTEGER, 'values');
      for (let i = 0; i < n; i++) checkAny(r, budget, 1, limits.maxDepth);
      return n;
    }
    case 9: {
      // ContentDoc: guid, options object
      const guid = r.varBytes();
      budget.charge(COST.subdoc + guid.length * HEAP_COST.byte);
      if (checkAny(r, budget, 1, limits.maxDepth) !== 118) reject('bad-subdoc-options');
      return 1;
    }
    default:
      return reject('bad-content-ref');
  }
}

/** Σ n(n-1)/2 over runs of equal keys. Sorts `keys` in place. */
function conflictSteps(keys: Float64Array): number {
  keys.sort();
  let steps = 0;
  let run = 1;
  for (let i = 1; i <= keys.length; i++) {
    if (i < keys.length && keys[i] === keys[i - 1]) {
      run++;
    } else {
      steps += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return steps;
}

/**
 * Two independent 32-bit FNV-1a style hashes combined into a 52-bit integer
 * (exact in a double): collisions among a few million insertion points are
 * negligible, and a collision only over-estimates the cost.
 */
class KeyHasher {
  private a = 0;
  private b = 0;

  start(): void {
    this.a = 0x811c9dc5;
    this.b = 0x01000193;
  }

  private mix(word: number): void {
    this.a = Math.imul(this.a ^ word, 0x01000193);
    this.b = Math.imul(this.b ^ word, 0x5bd1e995) ^ (this.b >>> 15);
  }

  tag(t: number): this {
    this.mix(t | 0x100);
    return this;
  }

  num(n: number): this {
    this.mix(n % 0x100000000);
    this.mix(Math.floor(n / 0x100000000));
    return this;
  }

  bytes(arr: Uint8Array, start: number, length: number): this {
    this.mix(length);
    for (let i = start; i < start + length; i++) this.mix(arr[i] as number);
    return this;
  }

  value(): number {
    return (this.a >>> 0) * 0x100000 + ((this.b >>> 0) >>> 12);
  }
}

// Token buckets: the one rate-limiting mechanism of the relay. A bucket holds
// at most `capacity` tokens and gains `ratePerSecond` tokens per second; a
// request takes tokens or is refused. Time is passed in (milliseconds) so the
// buckets are deterministic under test.
//
// Buckets and counts keyed by a remote address, a token id or a room live
// behind small interfaces (the LimitStore at the end), with in-memory
// implementations here. Relay processes sharing rooms through Redis share
// them too (redis/limits.ts), so every limit holds across processes:
// - KeyedBuckets are synchronous: they are charged on every message. A shared
//   store keeps a local view of each bucket and settles it with Redis every
//   few tens of milliseconds.
// - AsyncKeyedBuckets, ConnectionCounts and KeyedWindowCounts decide
//   admissions (a new connection, an API request): exact, one round trip to a
//   shared store.

import type { RelayLimits } from './config';

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly capacity: number,
    readonly ratePerSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.ratePerSecond);
  }

  /** Takes `amount` tokens if available. */
  tryTake(amount: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }

  /**
   * Charges a cost that was already incurred (it may drive the bucket
   * negative); returns whether the bucket is still in credit.
   */
  charge(amount: number, nowMs: number): boolean {
    this.refill(nowMs);
    this.tokens -= amount;
    return this.tokens >= 0;
  }

  /** Sets the level as of `nowMs` (a shared bucket's local view, settled with the shared level). */
  reset(tokens: number, nowMs: number): void {
    if (!Number.isFinite(tokens)) return;
    this.tokens = Math.min(this.capacity, tokens);
    this.lastMs = nowMs;
  }

  /** True when the bucket would be full again (nothing to remember). */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity;
  }

  /** True while the bucket holds at least nothing (it may be driven negative by `charge`). */
  inCredit(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= 0;
  }
}

/** The shape of one kind of bucket. */
export interface BucketSpec {
  capacity: number;
  ratePerSecond: number;
}

/** Token buckets by key (an address, a token id), all of one spec. */
export interface KeyedBuckets {
  /** Takes `amount` from the key's bucket if it holds that much. */
  tryTake(key: string, amount: number, nowMs: number): boolean;
  /** Charges an amount already spent (the bucket may go negative). */
  charge(key: string, amount: number, nowMs: number): void;
  /** Whether the key's bucket holds at least nothing. */
  inCredit(key: string, nowMs: number): boolean;
}

/** Token buckets by key that decide an admission: exact across processes when shared. */
export interface AsyncKeyedBuckets {
  tryTake(key: string, amount: number, nowMs: number): Promise<boolean>;
}

/** A count that must stay below `max` for a connection to be admitted. */
export interface CountLimit {
  key: string;
  max: number;
}

/**
 * Open connections by key (an address, a token, a room, a room's viewers), counted over every
 * process sharing the store. A process that dies stops being counted (redis/limits.ts).
 */
export interface ConnectionCounts {
  /**
   * Counts one more connection under every key, unless one of them is already at its max (then
   * nothing is counted): -1 when counted, else the index of the first full key.
   */
  tryAdd(limits: readonly CountLimit[]): Promise<number>;
  /** Releases one connection under each key (counted by tryAdd). */
  release(keys: readonly string[]): void;
  /** Other processes holding connections under `key` (a full room asks one of them to shed a viewer). */
  holders(key: string): Promise<string[]>;
}

/**
 * KeyedBuckets in this process's memory. Bounded: when `maxKeys` keys are held, buckets that have
 * refilled completely are dropped (they carry no information); if none has, a new key is refused
 * (tryTake false, inCredit false) rather than growing memory.
 */
export class MemoryKeyedBuckets implements KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly spec: BucketSpec, private readonly maxKeys = 100_000) {}

  private bucket(key: string, nowMs: number): TokenBucket | null {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evictFull(nowMs);
      if (this.buckets.size >= this.maxKeys) return null;
      bucket = new TokenBucket(this.spec.capacity, this.spec.ratePerSecond, nowMs);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  tryTake(key: string, amount: number, nowMs: number): boolean {
    return this.bucket(key, nowMs)?.tryTake(amount, nowMs) ?? false;
  }

  charge(key: string, amount: number, nowMs: number): void {
    this.bucket(key, nowMs)?.charge(amount, nowMs);
  }

  inCredit(key: string, nowMs: number): boolean {
    return this.bucket(key, nowMs)?.inCredit(nowMs) ?? false;
  }

  private evictFull(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(nowMs)) this.buckets.delete(key);
    }
  }
}

/** Counts by key in this process's memory; a count back at zero is forgotten. */
export class MemoryKeyedCounts {
  private readonly counts = new Map<string, number>();

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  add(key: string, delta: number): number {
    const next = this.get(key) + delta;
    if (next <= 0) this.counts.delete(key);
    else this.counts.set(key, next);
    return Math.max(0, next);
  }

  /** Every key and its count. */
  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }
}

/** ConnectionCounts of this process alone. */
export class MemoryConnectionCounts implements ConnectionCounts {
  readonly counts = new MemoryKeyedCounts();

  async tryAdd(limits: readonly CountLimit[]): Promise<number> {
    return this.tryAddNow(limits);
  }

  /** tryAdd, synchronously (a shared store counts this process's part with it). */
  tryAddNow(limits: readonly CountLimit[]): number {
    const full = limits.findIndex((l) => this.counts.get(l.key) >= l.max);
    if (full >= 0) return full;
    for (const l of limits) this.counts.add(l.key, 1);
    return -1;
  }

  release(keys: readonly string[]): void {
    for (const key of keys) this.counts.add(key, -1);
  }

  async holders(): Promise<string[]> {
    return [];
  }
}

/** A synchronous bucket set used where an admission is decided (memory: nothing to wait for). */
export function asyncBuckets(buckets: KeyedBuckets): AsyncKeyedBuckets {
  return { tryTake: async (key, amount, nowMs) => buckets.tryTake(key, amount, nowMs) };
}

/**
 * Counts that forget after a window (workspaces an address made in the last 24 hours): each key
 * keeps the times of its last `max` events.
 */
export class WindowCounts implements KeyedWindowCounts {
  private readonly events = new Map<string, number[]>();

  constructor(private readonly windowMs: number, private readonly maxKeys = 100_000) {}

  async tryAdd(key: string, max: number, nowMs: number): Promise<boolean> {
    return this.tryAddNow(key, max, nowMs);
  }

  /** Records an event for `key` unless it already has `max` in the window; false when refused. */
  tryAddNow(key: string, max: number, nowMs: number): boolean {
    const since = nowMs - this.windowMs;
    const times = (this.events.get(key) ?? []).filter((t) => t > since);
    if (times.length >= max) return false;
    if (!this.events.has(key) && this.events.size >= this.maxKeys) this.forgetOld(since);
    if (!this.events.has(key) && this.events.size >= this.maxKeys) return false;
    times.push(nowMs);
    this.events.set(key, times);
    return true;
  }

  private forgetOld(since: number): void {
    for (const [key, times] of this.events) if (times.every((t) => t <= since)) this.events.delete(key);
  }
}

/** Token buckets per connection. The bytes burst always admits one max-size message. */
export interface ConnectionRates {
  messagesPerSecond: number;
  messageBurst: number;
  bytesPerSecond: number;
  bytesBurst: number;
  applyMillisPerSecond: number;
  applyMillisBurst: number;
}

/**
 * Per-connection limits: messages, bytes, time spent applying updates, sync step 1 messages,
 * presence queries, the answers the relay sends (bytes), and presence fanned out (bytes).
 */
export class ConnectionRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly applyMillis: TokenBucket;
  private readonly step1: TokenBucket;
  private readonly queries: TokenBucket;
  readonly answers: TokenBucket;
  private readonly fanout: TokenBucket;

  constructor(rates: RelayLimits, nowMs: number) {
    this.messages = new TokenBucket(rates.messageBurst, rates.messagesPerSecond, nowMs);
    this.bytes = new TokenBucket(rates.bytesBurst, rates.bytesPerSecond, nowMs);
    this.applyMillis = new TokenBucket(rates.applyMillisBurst, rates.applyMillisPerSecond, nowMs);
    this.step1 = new TokenBucket(rates.syncStep1Burst, rates.syncStep1PerSecond, nowMs);
    this.queries = new TokenBucket(rates.awarenessQueriesBurst, rates.awarenessQueriesPerSecond, nowMs);
    this.answers = new TokenBucket(rates.answerBytesBurst, rates.answerBytesPerSecond, nowMs);
    this.fanout = new TokenBucket(rates.awarenessFanoutBytesBurst, rates.awarenessFanoutBytesPerSecond, nowMs);
  }

  /** Admits one incoming message of `size` bytes. */
  admitMessage(size: number, nowMs: number): boolean {
    // Both buckets are checked before either is charged only in the common
    // case; a refused message closes the connection, so partial charging
    // never matters.
    return this.messages.tryTake(1, nowMs) && this.bytes.tryTake(size, nowMs);
  }

  /** Charges time spent applying an update; false when the connection is over budget. */
  chargeApply(millis: number, nowMs: number): boolean {
    return this.applyMillis.charge(millis, nowMs);
  }

  admitSyncStep1(nowMs: number): boolean {
    return this.step1.tryTake(1, nowMs);
  }

  admitAwarenessQuery(nowMs: number): boolean {
    return this.queries.tryTake(1, nowMs);
  }

  /** Takes the bytes of presence about to be fanned out; false: drop it. */
  admitFanout(bytes: number, nowMs: number): boolean {
    return this.fanout.tryTake(bytes, nowMs);
  }
}

/**
 * The budgets kept per remote address, per token and per room, shared by every connection and
 * request of one relay, and by every relay process when they share rooms (redis/limits.ts).
 */
export interface LimitStore {
  /** Answer bytes (sync step 2 answering a step 1, presence answering a query). */
  tokenAnswers: KeyedBuckets;
  addressAnswers: KeyedBuckets;
  /** Bytes received, by address (all its connections). */
  bytesByAddress: KeyedBuckets;
  /** New websocket connections, by address. */
  upgrades: AsyncKeyedBuckets;
  /** Open websocket connections: by address, token, room and a room's viewers (connectionKeys). */
  connections: ConnectionCounts;
  /** Every /api/* request. */
  apiByAddress: AsyncKeyedBuckets;
  apiByToken: AsyncKeyedBuckets;
  /** POST /api/share. */
  shareByAddress: AsyncKeyedBuckets;
  shareByToken: AsyncKeyedBuckets;
  /** POST /api/workspaces, by address, and for the whole relay (key "all"). */
  workspaceCreates: AsyncKeyedBuckets;
  workspaceCreatesGlobal: AsyncKeyedBuckets;
  /** Workspaces created per address in the last 24 hours. */
  workspacesByAddress: KeyedWindowCounts;
  /** Stops timers and connections (a shared store). */
  close?(): Promise<void>;
}

export interface KeyedWindowCounts {
  /** Records an event for `key` unless it already has `max` in the window; false when refused. */
  tryAdd(key: string, max: number, nowMs: number): Promise<boolean>;
}

/** The keys one connection is counted under (ConnectionCounts), in the order their caps are checked. */
export const connectionKeys = {
  address: (address: string) => `address:${address}`,
  token: (tokenId: string) => `token:${tokenId}`,
  room: (room: string) => `room:${room}`,
  viewers: (room: string) => `viewers:${room}`,
};

/** The bucket shapes of every keyed budget (a shared store uses the same). */
export function bucketSpecs(l: RelayLimits) {
  return {
    tokenAnswers: { capacity: l.tokenAnswerBytesBurst, ratePerSecond: l.tokenAnswerBytesPerSecond },
    addressAnswers: { capacity: l.addressAnswerBytesBurst, ratePerSecond: l.addressAnswerBytesPerSecond },
    bytesByAddress: { capacity: l.addressBytesBurst, ratePerSecond: l.addressBytesPerSecond },
    upgrades: perMinute(l.upgradesBurst, l.upgradesPerAddressPerMinute),
    apiByAddress: perMinute(l.apiBurst, l.apiPerAddressPerMinute),
    apiByToken: perMinute(l.apiBurst, l.apiPerTokenPerMinute),
    shareByAddress: perMinute(l.shareBurst, l.sharePerMinute),
    shareByToken: perMinute(l.shareBurst, l.sharePerMinute),
    workspaceCreates: perMinute(l.workspaceCreateBurst, l.workspaceCreatePerMinute),
    workspaceCreatesGlobal: perMinute(Math.max(1, l.workspaceCreateGlobalPerMinute), l.workspaceCreateGlobalPerMinute),
  } satisfies Record<string, BucketSpec>;
}

/** Milliseconds in the window of workspacesByAddress. */
export const WORKSPACE_WINDOW_MS = 24 * 3600 * 1000;

const perMinute = (burst: number, perMinute: number): BucketSpec => ({ capacity: burst, ratePerSecond: perMinute / 60 });

export function memoryLimitStore(l: RelayLimits): LimitStore {
  const spec = bucketSpecs(l);
  const buckets = (s: BucketSpec) => asyncBuckets(new MemoryKeyedBuckets(s));
  return {
    tokenAnswers: new MemoryKeyedBuckets(spec.tokenAnswers),
    addressAnswers: new MemoryKeyedBuckets(spec.addressAnswers),
    bytesByAddress: new MemoryKeyedBuckets(spec.bytesByAddress),
    upgrades: buckets(spec.upgrades),
    connections: new MemoryConnectionCounts(),
    apiByAddress: buckets(spec.apiByAddress),
    apiByToken: buckets(spec.apiByToken),
    shareByAddress: buckets(spec.shareByAddress),
    shareByToken: buckets(spec.shareByToken),
    workspaceCreates: buckets(spec.workspaceCreates),
    workspaceCreatesGlobal: buckets(spec.workspaceCreatesGlobal),
    workspacesByAddress: new WindowCounts(WORKSPACE_WINDOW_MS),
  };
}

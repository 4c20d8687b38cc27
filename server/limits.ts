// Token buckets: the one rate-limiting mechanism of the relay. A bucket holds
// at most `capacity` tokens and gains `ratePerSecond` tokens per second; a
// request takes tokens or is refused. Time is passed in (milliseconds) so the
// buckets are deterministic under test.
//
// Buckets and counts keyed by a remote address or a token id live behind two
// small interfaces, KeyedBuckets and KeyedCounts, with in-memory
// implementations here: a relay scaled out over several processes would
// implement them on a shared store (Redis: a bucket is two numbers per key, a
// count one) and every limit would hold across processes unchanged.

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

/** Counts by key (open connections per address, workspaces made per address today). */
export interface KeyedCounts {
  get(key: string): number;
  /** Adds `delta` (negative to release); a count back at zero is forgotten. */
  add(key: string, delta: number): number;
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

export class MemoryKeyedCounts implements KeyedCounts {
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
}

/**
 * Counts that forget after a window (workspaces an address made in the last 24 hours): each key
 * keeps the times of its last `max` events.
 */
export class WindowCounts implements KeyedWindowCounts {
  private readonly events = new Map<string, number[]>();

  constructor(private readonly windowMs: number, private readonly maxKeys = 100_000) {}

  /** Records an event for `key` unless it already has `max` in the window; false when refused. */
  tryAdd(key: string, max: number, nowMs: number): boolean {
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
 * The budgets kept per remote address and per token, shared by every connection and request of
 * one relay. A scaled-out relay gives every process the same store (see the file comment).
 */
export interface LimitStore {
  /** Answer bytes (sync step 2 answering a step 1, presence answering a query). */
  tokenAnswers: KeyedBuckets;
  addressAnswers: KeyedBuckets;
  /** New websocket connections, by address. */
  upgrades: KeyedBuckets;
  /** Bytes received, by address (all its connections). */
  bytesByAddress: KeyedBuckets;
  /** Open websocket connections. */
  connectionsByAddress: KeyedCounts;
  connectionsByToken: KeyedCounts;
  /** Every /api/* request. */
  apiByAddress: KeyedBuckets;
  apiByToken: KeyedBuckets;
  /** POST /api/share. */
  shareByAddress: KeyedBuckets;
  shareByToken: KeyedBuckets;
  /** POST /api/workspaces, by address, and for the whole relay (key "all"). */
  workspaceCreates: KeyedBuckets;
  workspaceCreatesGlobal: KeyedBuckets;
  /** Workspaces created per address in the last 24 hours. */
  workspacesByAddress: KeyedWindowCounts;
}

export interface KeyedWindowCounts {
  /** Records an event for `key` unless it already has `max` in the window; false when refused. */
  tryAdd(key: string, max: number, nowMs: number): boolean;
}

const perMinute = (burst: number, perMinute: number): BucketSpec => ({ capacity: burst, ratePerSecond: perMinute / 60 });

export function memoryLimitStore(l: RelayLimits): LimitStore {
  return {
    tokenAnswers: new MemoryKeyedBuckets({ capacity: l.tokenAnswerBytesBurst, ratePerSecond: l.tokenAnswerBytesPerSecond }),
    addressAnswers: new MemoryKeyedBuckets({ capacity: l.addressAnswerBytesBurst, ratePerSecond: l.addressAnswerBytesPerSecond }),
    upgrades: new MemoryKeyedBuckets(perMinute(l.upgradesBurst, l.upgradesPerAddressPerMinute)),
    bytesByAddress: new MemoryKeyedBuckets({ capacity: l.addressBytesBurst, ratePerSecond: l.addressBytesPerSecond }),
    connectionsByAddress: new MemoryKeyedCounts(),
    connectionsByToken: new MemoryKeyedCounts(),
    apiByAddress: new MemoryKeyedBuckets(perMinute(l.apiBurst, l.apiPerAddressPerMinute)),
    apiByToken: new MemoryKeyedBuckets(perMinute(l.apiBurst, l.apiPerTokenPerMinute)),
    shareByAddress: new MemoryKeyedBuckets(perMinute(l.shareBurst, l.sharePerMinute)),
    shareByToken: new MemoryKeyedBuckets(perMinute(l.shareBurst, l.sharePerMinute)),
    workspaceCreates: new MemoryKeyedBuckets(perMinute(l.workspaceCreateBurst, l.workspaceCreatePerMinute)),
    workspaceCreatesGlobal: new MemoryKeyedBuckets(perMinute(Math.max(1, l.workspaceCreateGlobalPerMinute), l.workspaceCreateGlobalPerMinute)),
    workspacesByAddress: new WindowCounts(24 * 3600 * 1000),
  };
}


// Token buckets: the one rate-limiting mechanism of the relay. A bucket holds
// at most `capacity` tokens and gains `ratePerSecond` tokens per second; a
// request takes tokens or is refused. Time is passed in (milliseconds) so the
// buckets are deterministic under test.

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

/** Per-connection limits: messages, bytes, and time spent applying updates. */
export class ConnectionRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly applyMillis: TokenBucket;

  constructor(rates: ConnectionRates, nowMs: number) {
    this.messages = new TokenBucket(rates.messageBurst, rates.messagesPerSecond, nowMs);
    this.bytes = new TokenBucket(rates.bytesBurst, rates.bytesPerSecond, nowMs);
    this.applyMillis = new TokenBucket(rates.applyMillisBurst, rates.applyMillisPerSecond, nowMs);
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
}

/**
 * Buckets keyed by a string (a remote address), plus one global bucket. The
 * map is bounded: when full, buckets that have refilled completely are
 * dropped (they carry no information), and if none has, the request is
 * refused rather than growing memory.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly global: TokenBucket;

  constructor(
    private readonly perKeyBurst: number,
    private readonly perKeyPerMinute: number,
    globalPerMinute: number,
    nowMs: number,
    private readonly maxKeys = 10_000,
  ) {
    this.global = new TokenBucket(Math.max(1, globalPerMinute), globalPerMinute / 60, nowMs);
  }

  tryTake(key: string, nowMs: number): boolean {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evictFull(nowMs);
      if (this.buckets.size >= this.maxKeys) return false;
      bucket = new TokenBucket(this.perKeyBurst, this.perKeyPerMinute / 60, nowMs);
      this.buckets.set(key, bucket);
    }
    if (!bucket.tryTake(1, nowMs)) return false;
    return this.global.tryTake(1, nowMs);
  }

  private evictFull(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(nowMs)) this.buckets.delete(key);
    }
  }
}

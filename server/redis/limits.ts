// The relay's limits shared by every process through Redis (the LimitStore of limits.ts).
//
// - Admissions are exact: a new connection (its caps per address, token and room, and the new
//   connections per address), an API request, a share, a workspace created. Each is one script: it
//   reads and changes the shared counts or buckets in one step, so processes racing for the last
//   place cannot both take it.
// - Budgets charged on every message (bytes per address, answer bytes per token and address) are
//   too hot for a round trip each: every process keeps a local view of those buckets, charges it,
//   and every SYNC_MS settles what it charged with Redis and takes the shared level back. Across N
//   processes a key can overspend by at most what N processes let through in SYNC_MS.
// - Connections are counted per process (a hash field per process under each key) and only live
//   processes count: a process that dies (kill -9) stops counting once its heartbeat lapses
//   (processTtlSeconds), and its fields are dropped by the next script that reads them. A process
//   that reconnects (or finds it was taken for dead) writes its counts again.

import {
  bucketSpecs,
  MemoryConnectionCounts,
  TokenBucket,
  WORKSPACE_WINDOW_MS,
  type AsyncKeyedBuckets,
  type BucketSpec,
  type ConnectionCounts,
  type CountLimit,
  type KeyedBuckets,
  type KeyedWindowCounts,
  type LimitStore,
} from '../limits';
import type { RelayLimits } from '../config';
import { describeError, type Logger } from '../log';
import type { Metrics } from '../metrics';
import { randomBytes } from 'node:crypto';
import type { RedisConnection } from './client';

/** How often the local views of message-path budgets are settled with Redis. */
export const SYNC_MS = 50;
/** Local views kept at most (full ones are dropped first; see MemoryKeyedBuckets). */
const MAX_LOCAL_KEYS = 100_000;

type Report = (op: string, error: unknown) => void;

/** Exact token buckets: one script per admission. */
class RedisBuckets implements AsyncKeyedBuckets {
  constructor(private readonly redis: RedisConnection, private readonly kind: string, private readonly spec: BucketSpec) {}

  async tryTake(key: string, amount: number, nowMs: number): Promise<boolean> {
    const [[ok]] = (await this.redis.run('buckets', [`${this.redis.prefix}b:${this.kind}:${key}`], [
      this.spec.capacity, this.spec.ratePerSecond, Math.floor(nowMs), 'take', amount,
    ])) as Array<[number, string]>;
    return ok === 1;
  }
}

/** Message-path buckets: a local view, settled with Redis every SYNC_MS (see the file comment). */
class SyncedBuckets implements KeyedBuckets {
  private readonly views = new Map<string, TokenBucket>();
  /** Charged here since the last settlement, by key (0: only read, its shared level is wanted). */
  private unsent = new Map<string, number>();
  private settling = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly kind: string,
    private readonly spec: BucketSpec,
    private readonly report: Report,
  ) {}

  private view(key: string, nowMs: number): TokenBucket | null {
    let bucket = this.views.get(key);
    if (!bucket) {
      if (this.views.size >= MAX_LOCAL_KEYS) {
        for (const [k, b] of this.views) if (b.isFull(nowMs) && !this.unsent.has(k)) this.views.delete(k);
        if (this.views.size >= MAX_LOCAL_KEYS) return null;
      }
      bucket = new TokenBucket(this.spec.capacity, this.spec.ratePerSecond, nowMs);
      this.views.set(key, bucket);
    }
    if (!this.unsent.has(key)) this.unsent.set(key, 0);
    return bucket;
  }

  tryTake(key: string, amount: number, nowMs: number): boolean {
    const ok = this.view(key, nowMs)?.tryTake(amount, nowMs) ?? false;
    if (ok) this.unsent.set(key, (this.unsent.get(key) ?? 0) + amount);
    return ok;
  }

  charge(key: string, amount: number, nowMs: number): void {
    const bucket = this.view(key, nowMs);
    if (!bucket) return;
    bucket.charge(amount, nowMs);
    this.unsent.set(key, (this.unsent.get(key) ?? 0) + amount);
  }

  inCredit(key: string, nowMs: number): boolean {
    return this.view(key, nowMs)?.inCredit(nowMs) ?? false;
  }

  /** Sends what was charged, and sets each view to the shared level less what was charged meanwhile. */
  async settle(nowMs: number): Promise<void> {
    if (this.settling || this.unsent.size === 0) return;
    this.settling = true;
    const batch = this.unsent;
    this.unsent = new Map();
    const keys = [...batch.keys()];
    try {
      for (let i = 0; i < keys.length; i += 500) {
        const part = keys.slice(i, i + 500);
        const levels = (await this.redis.run('buckets', part.map((k) => `${this.redis.prefix}b:${this.kind}:${k}`), [
          this.spec.capacity, this.spec.ratePerSecond, Math.floor(nowMs), 'charge', ...part.map((k) => batch.get(k) as number),
        ])) as Array<[number, string]>;
        part.forEach((key, j) => {
          const since = this.unsent.get(key) ?? 0;
          this.views.get(key)?.reset(Number(levels[j]?.[1]) - since, nowMs);
        });
      }
    } catch (error) {
      // Not sent: charged again next time.
      for (const [key, amount] of batch) this.unsent.set(key, (this.unsent.get(key) ?? 0) + amount);
      this.report('settle', error);
    } finally {
      this.settling = false;
    }
  }
}

/** Connections counted per process under each key; only live processes count. */
class RedisConnectionCounts implements ConnectionCounts {
  /** This process's own counts (written again after a reconnect). */
  private readonly own = new MemoryConnectionCounts();
  /** Keys whose release may not have reached Redis. */
  private readonly dirty = new Set<string>();

  constructor(private readonly redis: RedisConnection, private readonly report: Report) {}

  private key(key: string): string {
    return `${this.redis.prefix}c:${key}`;
  }

  async tryAdd(limits: readonly CountLimit[]): Promise<number> {
    const full = (await this.redis.run('countAdd', [`${this.redis.prefix}procs`, ...limits.map((l) => this.key(l.key))], [
      this.redis.processId,
      ...limits.map((l) => (Number.isFinite(l.max) ? l.max : -1)),
    ])) as number;
    if (full < 0) this.own.tryAddNow(limits.map((l) => ({ key: l.key, max: Infinity })));
    return full;
  }

  release(keys: readonly string[]): void {
    this.own.release(keys);
    this.redis.run('countRelease', keys.map((k) => this.key(k)), [this.redis.processId]).catch((error: unknown) => {
      for (const k of keys) this.dirty.add(k);
      this.report('release', error);
    });
  }

  async holders(key: string): Promise<string[]> {
    return (await this.redis.run('countHolders', [`${this.redis.prefix}procs`, this.key(key)], [this.redis.processId])) as string[];
  }

  /** Writes every count of this process again (after a reconnect, or when taken for dead). */
  async rewrite(): Promise<void> {
    const counts = new Map<string, number>();
    for (const key of this.dirty) counts.set(key, 0);
    for (const [key, count] of this.own.counts.entries()) counts.set(key, count);
    const keys = [...counts.keys()];
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      await this.redis.run('countSet', part.map((k) => this.key(k)), [this.redis.processId, ...part.map((k) => counts.get(k) as number)]);
    }
    this.dirty.clear();
  }
}

class RedisWindowCounts implements KeyedWindowCounts {
  constructor(private readonly redis: RedisConnection, private readonly windowMs: number) {}

  async tryAdd(key: string, max: number, nowMs: number): Promise<boolean> {
    const added = await this.redis.run('windowAdd', [`${this.redis.prefix}w:${key}`], [max, this.windowMs, Math.floor(nowMs), randomBytes(6).toString('hex')]);
    return added === 1;
  }
}

export interface RedisLimitStore extends LimitStore {
  /** This process's connection counts, to write again after a reconnect. */
  rewriteCounts(): Promise<void>;
  close(): Promise<void>;
}

export function redisLimitStore(redis: RedisConnection, limits: RelayLimits, deps: { log: Logger; metrics: Metrics; nowMs: () => number }): RedisLimitStore {
  const report: Report = (op, error) => {
    deps.metrics.inc('reckon_redis_errors_total', 'Redis commands that failed', { op });
    deps.log('warn', 'redis-limit-failed', { op, error: describeError(error) });
  };
  const spec = bucketSpecs(limits);
  const exact = (kind: keyof typeof spec) => new RedisBuckets(redis, kind, spec[kind]);
  const synced = (kind: keyof typeof spec) => new SyncedBuckets(redis, kind, spec[kind], report);
  const settled = [synced('tokenAnswers'), synced('addressAnswers'), synced('bytesByAddress')] as const;
  const counts = new RedisConnectionCounts(redis, report);
  const timer = setInterval(() => {
    for (const buckets of settled) void buckets.settle(deps.nowMs());
  }, SYNC_MS);
  timer.unref();
  return {
    tokenAnswers: settled[0],
    addressAnswers: settled[1],
    bytesByAddress: settled[2],
    upgrades: exact('upgrades'),
    connections: counts,
    apiByAddress: exact('apiByAddress'),
    apiByToken: exact('apiByToken'),
    shareByAddress: exact('shareByAddress'),
    shareByToken: exact('shareByToken'),
    workspaceCreates: exact('workspaceCreates'),
    workspaceCreatesGlobal: exact('workspaceCreatesGlobal'),
    workspacesByAddress: new RedisWindowCounts(redis, WORKSPACE_WINDOW_MS),
    rewriteCounts: () => counts.rewrite(),
    async close() {
      clearInterval(timer);
      await Promise.all(settled.map((b) => b.settle(deps.nowMs())));
    },
  };
}

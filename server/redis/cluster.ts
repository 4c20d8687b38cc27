// A relay process joining the others that share one Redis (REDIS_URL): its rooms, token secret,
// ledger, revocations and limits all live there (rooms.ts, tokens.ts, limits.ts), and its heartbeat
// says it is alive (connections it holds count only while it is).
//
//   const cluster = await connectCluster(config, { log, metrics, nowMs });   // rejects if Redis is unreachable
//   cluster.links / .limitStore / .ledger / .revocations / .secret           // what server/app.ts uses
//   await cluster.health()    // { redis: 'ok' | 'unreachable', redisLatencyMs, process, processes }

import type { RelayConfig } from '../config';
import type { LimitStore } from '../limits';
import { describeError, type Logger } from '../log';
import type { Metrics } from '../metrics';
import type { RoomLinks } from '../room-link';
import type { Ledger, Revocations } from '../sharing';
import { connectRedis, withTimeout } from './client';
import { redisLimitStore } from './limits';
import { RedisRoomLinks } from './rooms';
import { RedisLedger, RedisRevocations, sharedSecret } from './tokens';

export interface ClusterHealth {
  redis: 'ok' | 'unreachable';
  redisLatencyMs?: number;
  /** This process's id, as other processes see it. */
  process: string;
  /** Live relay processes sharing the Redis (as of the last heartbeat or scrape). */
  processes: number;
}

export interface Cluster {
  /** The token secret kept in Redis (when RECKON_TOKEN_SECRET does not give it). */
  secret: Buffer;
  ledger: Ledger;
  revocations: Revocations;
  links: RoomLinks;
  limitStore: LimitStore;
  processId: string;
  /** What the heartbeat publishes about this process (set once the relay exists). */
  setFigures(read: () => { connections: number; rooms: number }): void;
  health(): Promise<ClusterHealth>;
  /** Reads the shared figures for /metrics (every live process's connections and rooms, Redis memory). */
  refreshMetrics(): Promise<void>;
  close(): Promise<void>;
}

interface Deps {
  log: Logger;
  metrics: Metrics;
  nowMs: () => number;
}

const HEALTH_TIMEOUT_MS = 1_000;

export async function connectCluster(config: RelayConfig, deps: Deps): Promise<Cluster> {
  const redis = await connectRedis(config.redisUrl as string, config.redisPrefix);
  const { log, metrics } = deps;
  const secret = config.tokenSecret !== null ? Buffer.from(config.tokenSecret, 'hex') : await sharedSecret(redis);
  const revocations = await RedisRevocations.open(redis);
  const links = new RedisRoomLinks(redis, log, metrics);
  const limitStore = redisLimitStore(redis, config.limits, deps);
  const ttlMs = Math.max(1, config.processTtlSeconds) * 1000;
  let figures = () => ({ connections: 0, rooms: 0 });
  const shared = { processes: 0, connections: 0, rooms: 0, redisMemory: 0, up: 1 };

  const beat = async (): Promise<void> => {
    const forgotten = await redis.run('heartbeat', [`${redis.prefix}procs`, `${redis.prefix}procinfo`], [redis.processId, ttlMs, JSON.stringify(figures())]);
    // Taken for dead (a stall longer than the TTL): the others dropped this process's counts.
    if (forgotten === 1 && started) await limitStore.rewriteCounts();
  };
  let started = false;
  await beat();
  started = true;
  const heartbeat = setInterval(() => {
    beat().catch((error: unknown) => {
      metrics.inc('reckon_redis_errors_total', 'Redis commands that failed', { op: 'heartbeat' });
      log('warn', 'redis-heartbeat-failed', { error: describeError(error) });
    });
  }, ttlMs / 3);
  heartbeat.unref();

  // After a reconnect: alive again, counts written again, revocations missed meanwhile read. The
  // connection is up when this is built (connectRedis resolves once connected), so every 'ready'
  // is a reconnect (a first version skipped the first one as the initial connect: a restarted
  // Redis was then not caught up with until its second restart).
  redis.cmd.on('ready', () => {
    log('info', 'redis-reconnected', {});
    Promise.all([beat(), limitStore.rewriteCounts(), (revocations as RedisRevocations).readNew()]).catch((error: unknown) =>
      log('warn', 'redis-resync-failed', { error: describeError(error) }),
    );
  });
  redis.cmd.on('close', () => log('warn', 'redis-disconnected', {}));

  metrics.gauge('reckon_redis_up', 'Whether Redis answered the last scrape', () => shared.up);
  metrics.gauge('reckon_cluster_processes', 'Live relay processes sharing this Redis', () => shared.processes);
  metrics.gauge('reckon_cluster_connections', 'Open connections on every live relay process', () => shared.connections);
  metrics.gauge('reckon_cluster_rooms_loaded', 'Rooms loaded, summed over every live relay process (a room held by two counts twice)', () => shared.rooms);
  metrics.gauge('reckon_redis_used_memory_bytes', 'Memory Redis uses (rooms, logs, tokens, limits)', () => shared.redisMemory);

  /** Live processes and their figures. */
  const readProcesses = async (): Promise<Array<{ connections: number; rooms: number }>> => {
    const result = await redis.cmd.multi().time().zrange(`${redis.prefix}procs`, 0, -1, 'WITHSCORES').hgetall(`${redis.prefix}procinfo`).exec();
    const [[, time], [, procs], [, info]] = result as [[unknown, [string, string]], [unknown, string[]], [unknown, Record<string, string>]];
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    const live: Array<{ connections: number; rooms: number }> = [];
    for (let i = 0; i + 1 < procs.length; i += 2) {
      if (Number(procs[i + 1]) <= now) continue;
      try {
        live.push(JSON.parse(info[procs[i] as string] ?? '{}'));
      } catch {
        live.push({ connections: 0, rooms: 0 });
      }
    }
    return live;
  };

  return {
    secret,
    ledger: new RedisLedger(redis),
    revocations,
    links,
    limitStore,
    processId: redis.processId,
    setFigures(read) {
      figures = read;
    },
    async health() {
      const started = performance.now();
      try {
        await withTimeout(redis.cmd.ping(), HEALTH_TIMEOUT_MS, 'redis ping timed out');
        shared.processes = (await withTimeout(readProcesses(), HEALTH_TIMEOUT_MS, 'redis timed out')).length;
        return { redis: 'ok', redisLatencyMs: Number((performance.now() - started).toFixed(2)), process: redis.processId, processes: shared.processes };
      } catch {
        return { redis: 'unreachable', process: redis.processId, processes: shared.processes };
      }
    },
    async refreshMetrics() {
      try {
        // This process's own figures first, so a scrape right after a change sees it.
        await withTimeout(beat(), HEALTH_TIMEOUT_MS, 'redis timed out');
        const live = await withTimeout(readProcesses(), HEALTH_TIMEOUT_MS, 'redis timed out');
        shared.processes = live.length;
        shared.connections = live.reduce((sum, p) => sum + (Number(p.connections) || 0), 0);
        shared.rooms = live.reduce((sum, p) => sum + (Number(p.rooms) || 0), 0);
        const memory = /used_memory:(\d+)/.exec(await withTimeout(redis.cmd.info('memory'), HEALTH_TIMEOUT_MS, 'redis timed out'));
        shared.redisMemory = memory ? Number(memory[1]) : 0;
        shared.up = 1;
      } catch {
        shared.up = 0;
      }
    },
    async close() {
      clearInterval(heartbeat);
      await limitStore.close?.();
      // Leaving: this process's connections (all closed by now) stop counting at once.
      await Promise.allSettled([
        redis.cmd.zrem(`${redis.prefix}procs`, redis.processId),
        redis.cmd.hdel(`${redis.prefix}procinfo`, redis.processId),
      ]);
      await redis.close();
    },
  };
}

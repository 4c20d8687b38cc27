// The Redis side of a relay process: two connections (commands, and a subscriber for the rooms'
// channels), the Lua scripts every shared operation runs as one atomic step, key names, and this
// process's heartbeat (processes that stop renewing it stop counting: redis/limits.ts).
//
// Loaded only when REDIS_URL is set (server/app.ts imports this folder dynamically), so the embedded
// default never loads the client.
//
// Keys (all under `prefix`, "reckon:" by default; `{room}` is a hash tag, so a room's keys share a
// slot):
//   room:{R}:seq   the last sequence number given to an update of room R (INCR)
//   room:{R}:log   stream of R's updates since its snapshot: id 0-<seq>, fields p (process), u (update)
//   room:{R}:snap  hash: state (one Yjs update holding every update up to seq `upto`), upto
//   room:{R}       pub/sub channel of R: updates as stored, presence, presence queries, shed requests
//   procs          sorted set: process id → heartbeat deadline (ms, Redis clock)
//   procinfo       hash: process id → JSON {connections, rooms} (shared figures in /metrics)
//   c:<key>        hash: process id → connections counted under <key> (address, token, room, viewers)
//   b:<kind>:<key> hash: a token bucket {t: tokens, ts: ms}, expiring once it would be full again
//   w:<key>        sorted set: times of events in a window (workspaces per address and day)
//   token-secret, tokens, ws-tokens:<W>, revoked, revoked-ids, control: redis/tokens.ts

import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export type Arg = string | Buffer | number;
export type ScriptCall = (keys: readonly string[], args: readonly Arg[]) => Promise<unknown>;

/** Milliseconds on Redis's clock (one clock for every process). */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Is process `id` alive: its heartbeat deadline (KEYS[1] = procs) is ahead of `now`? */
const ALIVE = `local function alive(id) local s = redis.call('ZSCORE', KEYS[1], id); return s and tonumber(s) > now end`;

export const SCRIPTS = {
  /**
   * A room's update, stored and published as one step: the next sequence number, the stream entry,
   * the message on the room's channel. KEYS: seq, log. ARGV: process id, update, channel.
   * Returns {seq, entries in the log}.
   */
  append: `
    local seq = redis.call('INCR', KEYS[1])
    redis.call('XADD', KEYS[2], '0-' .. seq, 'p', ARGV[1], 'u', ARGV[2])
    redis.call('PUBLISH', ARGV[3], 'U' .. seq .. ' ' .. ARGV[1] .. ' ' .. ARGV[2])
    return {seq, redis.call('XLEN', KEYS[2])}`,
  /**
   * Compaction: the snapshot becomes `state`, which holds every update up to `upto`, and those
   * entries leave the log. Refused (0) unless `upto` is beyond the current snapshot's: a process
   * that read less than another already compacted can never replace more with less.
   * KEYS: snap, log. ARGV: upto, state.
   */
  compact: `
    local upto = tonumber(ARGV[1])
    local current = tonumber(redis.call('HGET', KEYS[1], 'upto') or '0')
    if upto <= current then return 0 end
    redis.call('HSET', KEYS[1], 'state', ARGV[2], 'upto', upto)
    redis.call('XTRIM', KEYS[2], 'MINID', '0-' .. (upto + 1))
    return 1`,
  /**
   * Heartbeat: this process's deadline, its figures; processes past theirs are forgotten.
   * KEYS: procs, procinfo. ARGV: id, ttl ms, info JSON. Returns 1 when this process had been
   * forgotten (its counts must be written again).
   */
  heartbeat: `
    ${NOW}
    local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
    for _, id in ipairs(dead) do redis.call('HDEL', KEYS[2], id) end
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
    return added`,
  /**
   * Counts one more connection of process ARGV[1] under every key KEYS[2..], unless the sum over
   * live processes of one of them is at its max ARGV[i+1] (-1: no max). Fields of dead processes
   * are dropped on the way. Returns -1, or the (0-based) index of the first full key.
   */
  countAdd: `
    ${NOW}
    ${ALIVE}
    for i = 2, #KEYS do
      local max = tonumber(ARGV[i])
      if max >= 0 then
        local fields = redis.call('HGETALL', KEYS[i])
        local sum = 0
        for j = 1, #fields, 2 do
          if alive(fields[j]) then sum = sum + tonumber(fields[j + 1])
          elseif fields[j] ~= ARGV[1] then redis.call('HDEL', KEYS[i], fields[j]) end
        end
        if sum >= max then return i - 2 end
      end
    end
    for i = 2, #KEYS do redis.call('HINCRBY', KEYS[i], ARGV[1], 1) end
    return -1`,
  /** Releases one connection of process ARGV[1] under every key KEYS[1..]. */
  countRelease: `
    for i = 1, #KEYS do
      if redis.call('HINCRBY', KEYS[i], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[i], ARGV[1]) end
    end
    return 1`,
  /** Writes this process's counts again (after a reconnect): KEYS[i] gets ARGV[i+1] (0: none). */
  countSet: `
    for i = 1, #KEYS do
      local n = tonumber(ARGV[i + 1])
      if n > 0 then redis.call('HSET', KEYS[i], ARGV[1], n) else redis.call('HDEL', KEYS[i], ARGV[1]) end
    end
    return 1`,
  /** Live processes other than ARGV[1] with connections under KEYS[2]. */
  countHolders: `
    ${NOW}
    ${ALIVE}
    local out = {}
    local fields = redis.call('HGETALL', KEYS[2])
    for j = 1, #fields, 2 do
      if fields[j] ~= ARGV[1] and tonumber(fields[j + 1]) > 0 and alive(fields[j]) then table.insert(out, fields[j]) end
    end
    return out`,
  /**
   * Token buckets: refills each KEYS[i] to time ARGV[3] (capacity ARGV[1], ARGV[2] per second), then
   * for mode ARGV[4] 'take' takes ARGV[4+i] if there is that much (result 1, else 0), for 'charge'
   * charges it (may go negative). Returns, per key, {taken or charged: 1|0, tokens left (string)}.
   * A bucket expires once it would be full again (it holds nothing then).
   */
  buckets: `
    local cap, rate, now, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
    local out = {}
    for i = 1, #KEYS do
      local amount = tonumber(ARGV[4 + i])
      local v = redis.call('HMGET', KEYS[i], 't', 'ts')
      local tokens, ts = tonumber(v[1]) or cap, tonumber(v[2]) or now
      if now > ts then tokens = math.min(cap, tokens + (now - ts) / 1000 * rate); ts = now end
      local ok = 1
      if mode == 'take' then
        if amount > tokens then ok = 0 else tokens = tokens - amount end
      else
        tokens = tokens - amount
      end
      if tokens >= cap then
        redis.call('DEL', KEYS[i])
      else
        redis.call('HSET', KEYS[i], 't', tostring(tokens), 'ts', ts)
        local ttl = 86400000
        if rate > 0 then ttl = math.ceil((cap - tokens) / rate * 1000) + 1000 end
        redis.call('PEXPIRE', KEYS[i], ttl)
      end
      table.insert(out, {ok, tostring(tokens)})
    end
    return out`,
  /** An event for KEYS[1] at ARGV[3] unless it has ARGV[1] in the last ARGV[2] ms: 1, else 0. */
  windowAdd: `
    local max, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
    if redis.call('ZCARD', KEYS[1]) >= max then return 0 end
    redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[4])
    redis.call('PEXPIRE', KEYS[1], window)
    return 1`,
  /**
   * Records an issued token unless its workspace has ARGV[3] already. KEYS: tokens, ws-tokens:<W>.
   * ARGV: id, JSON, capacity (-1: none). 1 recorded, 0 refused.
   */
  recordToken: `
    local cap = tonumber(ARGV[3])
    if cap >= 0 and redis.call('LLEN', KEYS[2]) >= cap then return 0 end
    if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
    return 1`,
  /** Revokes a token id (once): KEYS: revoked-ids, revoked (stream). ARGV: id, time, control channel. */
  revoke: `
    if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
    redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'at', ARGV[2])
    redis.call('PUBLISH', ARGV[3], 'R' .. ARGV[1])
    return 1`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

export interface RedisConnection {
  /** Commands. */
  readonly cmd: Redis;
  /** Subscriber (pub/sub only). */
  readonly sub: Redis;
  readonly prefix: string;
  /** This process, as other processes see it: host, pid and 32 random bits. */
  readonly processId: string;
  run(script: ScriptName, keys: readonly string[], args: readonly Arg[]): Promise<unknown>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens both connections; rejects when Redis cannot be reached within 10 s. */
export async function connectRedis(url: string, prefix: string): Promise<RedisConnection> {
  const options = {
    lazyConnect: true,
    // Reconnects forever (backing off to 2 s); a command waits through 3 reconnect attempts, then
    // fails (appends are retried by the room, admissions answer 503).
    retryStrategy: (times: number) => Math.min(times * 100, 2_000),
    maxRetriesPerRequest: 3,
    connectTimeout: CONNECT_TIMEOUT_MS,
  };
  const cmd = new Redis(url, { ...options, connectionName: 'reckon-relay' });
  const sub = new Redis(url, { ...options, connectionName: 'reckon-relay-sub' });
  // Errors are reported through health and failed commands; an unhandled 'error' event would crash.
  cmd.on('error', () => {});
  sub.on('error', () => {});
  try {
    await withTimeout(Promise.all([cmd.connect(), sub.connect()]), CONNECT_TIMEOUT_MS, `cannot reach Redis at ${redactUrl(url)}`);
  } catch (error) {
    cmd.disconnect();
    sub.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(reason.startsWith('cannot reach') ? reason : `cannot reach Redis at ${redactUrl(url)}: ${reason}`);
  }
  for (const [name, lua] of Object.entries(SCRIPTS)) cmd.defineCommand(`reckon_${name}`, { lua });
  const scripted = cmd as unknown as Record<string, (...a: Arg[]) => Promise<unknown>>;
  return {
    cmd,
    sub,
    prefix,
    processId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    run: (script, keys, args) => (scripted[`reckon_${script}`] as (...a: Arg[]) => Promise<unknown>)(keys.length, ...keys, ...args),
    async close() {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
      cmd.disconnect();
      sub.disconnect();
    },
  };
}

/** The URL without its password (for messages). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

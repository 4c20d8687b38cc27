// The Redis parts in one test process, two "processes" being two connections with their own
// process ids: compaction by two holders in either order never trims what the newer snapshot lacks;
// admissions racing on two processes never pass a limit (exact); message budgets charged on one
// process are seen by the other once settled.

import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { resolveConfig } from '../../server/config';
import { Metrics } from '../../server/metrics';
import { connectRedis, type RedisConnection } from '../../server/redis/client';
import { redisLimitStore, SYNC_MS } from '../../server/redis/limits';
import { RedisRoomLinks } from '../../server/redis/rooms';
import type { RoomLink } from '../../server/room-link';
import { tempDir, waitFor } from '../relay/helpers';
import { freshPrefix, startRedis, type RedisServer } from './harness';

const redis = await startRedis();
if (typeof redis === 'string') console.warn(`[skipped] shared-state tests: ${redis}`);

describe.skipIf(typeof redis === 'string')('shared state in Redis', () => {
  const server = redis as RedisServer;
  const connections: RedisConnection[] = [];
  const connect = async (prefix: string) => {
    const c = await connectRedis(server.url, prefix);
    connections.push(c);
    return c;
  };
  const quiet = () => {};

  afterAll(async () => {
    for (const c of connections) await c.close();
    await server.stop();
  });

  /** A room held by one "process": a doc the link's remote updates are applied to. */
  async function holder(prefix: string, room: string): Promise<{ doc: Y.Doc; link: RoomLink; redis: RedisConnection; write: (key: string, value: number) => Promise<void> }> {
    const redis = await connect(prefix);
    const links = new RedisRoomLinks(redis, quiet, new Metrics());
    const doc = new Y.Doc();
    const link = links.open(room, {
      remoteUpdate: (u) => Y.applyUpdate(doc, u, 'remote'),
      remoteAwareness: () => {},
      awarenessQuery: () => {},
      shedViewer: () => {},
    });
    const state = await link.load();
    if (state) Y.applyUpdate(doc, state);
    link.start();
    const write = async (key: string, value: number) => {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = u);
      doc.once('update', capture);
      doc.getMap('m').set(key, value);
      await link.append(update as unknown as Uint8Array);
    };
    return { doc, link, redis, write };
  }

  it('a holder whose subscriber reconnects reads what was stored meanwhile, the first reconnect too, though the room then goes quiet', async () => {
    const prefix = freshPrefix();
    const a = await holder(prefix, 'q');
    const b = await holder(prefix, 'q');
    await a.write('before', 1);
    await waitFor(() => b.doc.getMap('m').size === 1, 'b applied a\'s first update');
    for (let round = 0; round < 2; round++) {
      // b's subscriber drops (ioredis reconnects it after 100 ms); a stores two updates meanwhile,
      // published while b hears nothing; then nothing more is written to the room.
      b.redis.sub.disconnect(true);
      await a.write(`missed${round}a`, round);
      await a.write(`missed${round}b`, round);
      await waitFor(() => b.doc.getMap('m').size === 3 + 2 * round, `b caught up after reconnect ${round + 1}`);
    }
    await Promise.all([a.link.close(), b.link.close()]);
  });

  it('a relay given a Redis it cannot reach refuses to start, saying so without the password', async () => {
    const { startServer } = await import('../../server/app');
    const failed = await startServer({ port: 0, redisUrl: 'redis://:hunter2@127.0.0.1:1', dataDir: tempDir() }).then(
      (s) => s.close().then(() => 'started'),
      (e: Error) => e.message,
    );
    expect(failed).toMatch(/^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(failed).not.toContain('hunter2');
  });

  it('compaction by two holders, in either order, keeps every update', async () => {
    const prefix = freshPrefix();
    const a = await holder(prefix, 'r');
    const b = await holder(prefix, 'r');
    for (let i = 0; i < 10; i++) await a.write(`a${i}`, i);
    await waitFor(() => b.doc.getMap('m').size === 10, 'b applied a\'s updates');
    // a compacts with what it has; b, which has seen the same and more by now, compacts later.
    const aState = Y.encodeStateAsUpdate(a.doc);
    const aCompaction = a.link.compact(aState);
    for (let i = 0; i < 5; i++) await b.write(`b${i}`, i);
    await aCompaction;
    await waitFor(() => a.doc.getMap('m').size === 15, 'a applied b\'s updates');
    await b.link.compact(Y.encodeStateAsUpdate(b.doc));
    for (let i = 0; i < 3; i++) await a.write(`late${i}`, i);
    // A holder that read less than the snapshot holds (here: nothing past update 3) cannot replace it.
    const raw = await connect(prefix);
    const room = (part: string) => `${prefix}room:{r}:${part}`;
    expect(await raw.run('compact', [room('snap'), room('log')], [3, Buffer.from(Y.encodeStateAsUpdate(new Y.Doc()))])).toBe(0);
    const loaded = new Y.Doc();
    const links = new RedisRoomLinks(raw, quiet, new Metrics());
    Y.applyUpdate(loaded, (await links.load('r')) as Uint8Array);
    expect(loaded.getMap('m').size).toBe(18);
    // Only what the snapshot does not hold is left in the log.
    expect(await raw.cmd.xlen(room('log'))).toBeLessThan(10);
    await Promise.all([a.link.close(), b.link.close()]);
  });

  it('admissions racing on two processes never pass a limit', async () => {
    const prefix = freshPrefix();
    const config = resolveConfig({ limits: { upgradesBurst: 60 } });
    const deps = { log: quiet, metrics: new Metrics(), nowMs: () => 1_000_000 };
    const [c1, c2] = [await connect(prefix), await connect(prefix)];
    // Connections count while their process is alive (its heartbeat: redis/cluster.ts).
    for (const c of [c1, c2]) await c.run('heartbeat', [`${prefix}procs`, `${prefix}procinfo`], [c.processId, 60_000, '{}']);
    const one = redisLimitStore(c1, config.limits, deps);
    const two = redisLimitStore(c2, config.limits, deps);
    // New connections per address (burst 60), at one instant: exactly 60 of 100.
    const takes = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).upgrades.tryTake('10.0.0.1', 1, 1_000_000)));
    expect(takes.filter(Boolean)).toHaveLength(60);
    // A cap of 5 connections: exactly 5 of 12 are counted, whichever process asks.
    const cap = [{ key: 'address:x', max: 5 }];
    const adds = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).connections.tryAdd(cap)));
    expect(adds.filter((r) => r === -1)).toHaveLength(5);
    expect(await one.connections.tryAdd(cap)).toBe(0);
    // A place released by the process holding it is taken by the other.
    const holder = adds.findIndex((r) => r === -1) % 2 ? one : two;
    const other = holder === one ? two : one;
    holder.connections.release(['address:x']);
    await waitFor(async () => (await other.connections.tryAdd(cap)) === -1, 'a released place is taken by the other');
    await Promise.all([one.close(), two.close()]);
  });

  it('message budgets charged on one process are seen by the other once settled', async () => {
    const prefix = freshPrefix();
    const config = resolveConfig({ limits: { addressBytesPerSecond: 1, addressBytesBurst: 1_000, maxMessageBytes: 100 } });
    let now = 5_000_000;
    const deps = { log: quiet, metrics: new Metrics(), nowMs: () => now };
    const one = redisLimitStore(await connect(prefix), config.limits, deps);
    const two = redisLimitStore(await connect(prefix), config.limits, deps);
    expect(two.bytesByAddress.inCredit('10.0.0.2', now)).toBe(true);
    one.bytesByAddress.charge('10.0.0.2', 1_500, now);
    expect(one.bytesByAddress.inCredit('10.0.0.2', now)).toBe(false);
    await waitFor(() => !two.bytesByAddress.inCredit('10.0.0.2', now), 'the other process sees the spent budget', 60 * SYNC_MS);
    // Both charge at once: the shared level is the sum.
    now += 2_000_000; // refilled
    await new Promise((r) => setTimeout(r, 3 * SYNC_MS));
    one.bytesByAddress.charge('10.0.0.3', 600, now);
    two.bytesByAddress.charge('10.0.0.3', 600, now);
    expect(one.bytesByAddress.inCredit('10.0.0.3', now) && two.bytesByAddress.inCredit('10.0.0.3', now)).toBe(true);
    await waitFor(() => !one.bytesByAddress.inCredit('10.0.0.3', now) && !two.bytesByAddress.inCredit('10.0.0.3', now), 'both see 1,200 of 1,000 spent', 60 * SYNC_MS);
    await Promise.all([one.close(), two.close()]);
  });
});

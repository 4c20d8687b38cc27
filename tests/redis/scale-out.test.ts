// Several relay processes, one set of rooms (issue 25): three real relay processes share a real
// redis-server. Stock y-websocket clients on different processes see each other's updates and
// presence; a client that reconnects to another process syncs without loss; random disconnects
// and reconnects to other processes converge (seeded property); compaction by two processes at
// once loses nothing; /healthz and /metrics report Redis and the shared figures.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { Redis } from 'ioredis';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, synced, waitFor } from '../relay/helpers';
import { freshPrefix, startRedis, startRelayProcess, type RedisServer, type RelayProcess } from './harness';
import { mintFor, secretOf } from './tokens';

/** A replica's entries in key order (Y.Map's own order depends on the order updates arrived in). */
const canonical = (doc: Y.Doc): string => JSON.stringify(Object.entries(doc.getMap('m').toJSON()).sort(([a], [b]) => (a < b ? -1 : 1)));

const redis = await startRedis();
if (typeof redis === 'string') console.warn(`[skipped] scale-out tests: ${redis}`);

describe.skipIf(typeof redis === 'string')('several relay processes share rooms through Redis', () => {
  const server = redis as RedisServer;
  const prefix = freshPrefix();
  let relays: RelayProcess[] = [];
  const providers: WebsocketProvider[] = [];
  let secret: Buffer;

  // Each client its own address: one address's new connections are budgeted (60, then 5/s), on every process.
  let clients = 0;
  const provider = (relay: RelayProcess, workspace: string, token: string, doc = new Y.Doc()) => {
    const n = clients++;
    const p = connectProvider(relay.wsUrl, workspace, token, doc, { address: `10.9.${n >> 8}.${n & 255}` });
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    // A compaction every 20 updates: the tests below cross it many times, on several processes.
    relays = await Promise.all([0, 1, 2].map(() => startRelayProcess(server, prefix, { RECKON_COMPACT_EVERY: '20', RECKON_IDLE_SECONDS: '1' })));
    secret = await secretOf(server, prefix);
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await Promise.all(relays.map((r) => r.kill('SIGTERM')));
    await server.stop();
  });

  it('an update and a presence change accepted by one process reach the clients of the others', async () => {
    const token = mintFor(secret, 'fan', 'edit');
    const [a, b, c] = relays.map((r) => provider(r, 'fan', token));
    for (const p of [a, b, c]) await synced(p!);
    a!.doc.getMap('m').set('from-a', 1);
    c!.doc.getMap('m').set('from-c', 3);
    await waitFor(() => [a, b, c].every((p) => p!.doc.getMap('m').size === 2), 'every process relays both');
    a!.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => [b, c].every((p) => [...p!.awareness.getStates().values()].some((s) => s.user?.name === 'Ada')), 'presence on every process');
    // Leaving removes it everywhere.
    a!.destroy();
    await waitFor(() => [b, c].every((p) => ![...p!.awareness.getStates().values()].some((s) => s.user?.name === 'Ada')), 'presence gone everywhere');
  });

  // Presence is renewed every 15 s: seen within 8 s, it came because the loading process asked.
  it('a process that loads a room asks the others for their presence (no wait for the next renewal)', async () => {
    const token = mintFor(secret, 'presence', 'edit');
    const a = provider(relays[0]!, 'presence', token);
    await synced(a);
    a.awareness.setLocalStateField('user', { name: 'Grace' });
    await waitFor(() => a.awareness.getStates().size >= 1, 'own presence');
    await new Promise((r) => setTimeout(r, 100));
    // relays[1] has not loaded the room: it does now, and its client sees Grace at once.
    const b = provider(relays[1]!, 'presence', token);
    await synced(b);
    await waitFor(() => [...b.awareness.getStates().values()].some((s) => s.user?.name === 'Grace'), 'presence from another process', 8_000);
  });

  it('a client reconnecting to another process syncs without loss, offline edits included', async () => {
    const token = mintFor(secret, 'move', 'edit');
    const doc = new Y.Doc();
    const first = provider(relays[0]!, 'move', token, doc);
    const watcher = provider(relays[2]!, 'move', token);
    await synced(first);
    for (let i = 0; i < 30; i++) doc.getMap('m').set(`k${i}`, i);
    await waitFor(() => watcher.doc.getMap('m').size === 30, 'watcher on another process has all');
    first.destroy();
    doc.getMap('m').set('offline', true);
    const second = provider(relays[1]!, 'move', token, doc);
    await synced(second);
    await waitFor(() => watcher.doc.getMap('m').get('offline') === true, 'offline edit reached the third process');
    expect(watcher.doc.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
  });

  it('converges under random disconnects and reconnects to other processes (seeded property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('edit' as const), client: fc.nat(3), key: fc.nat(9), value: fc.integer() }),
            fc.record({ kind: fc.constant('delete' as const), client: fc.nat(3), key: fc.nat(9) }),
            fc.record({ kind: fc.constant('disconnect' as const), client: fc.nat(3) }),
            fc.record({ kind: fc.constant('connect' as const), client: fc.nat(3), relay: fc.nat(2) }),
            fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 40 }) }),
          ),
          { minLength: 10, maxLength: 50 },
        ),
        async (steps) => {
          const workspace = `prop-${run++}`;
          const token = mintFor(secret, workspace, 'edit');
          const docs = Array.from({ length: 4 }, () => new Y.Doc());
          const connected: Array<WebsocketProvider | null> = docs.map((doc, i) => provider(relays[i % 3]!, workspace, token, doc));
          try {
            for (const step of steps) {
              if (step.kind === 'pause') await new Promise((r) => setTimeout(r, step.ms));
              else if (step.kind === 'edit') docs[step.client]!.getMap('m').set(`k${step.key}`, step.value);
              else if (step.kind === 'delete') docs[step.client]!.getMap('m').delete(`k${step.key}`);
              else if (step.kind === 'disconnect') {
                connected[step.client]?.destroy();
                connected[step.client] = null;
              } else {
                connected[step.client]?.destroy();
                connected[step.client] = provider(relays[step.relay]!, workspace, token, docs[step.client]);
              }
            }
            for (let i = 0; i < docs.length; i++) connected[i] ??= provider(relays[(i + 1) % 3]!, workspace, token, docs[i]);
            const expected = () => canonical(docs[0]!);
            await waitFor(() => docs.every((d) => canonical(d) === expected()), 'replicas converge', 20_000);
            // A fresh client on each process gets the same document (what is stored and loaded agrees).
            const fresh = relays.map((r) => provider(r, workspace, token));
            for (const f of fresh) await synced(f);
            await waitFor(() => fresh.every((f) => canonical(f.doc) === expected()), 'fresh clients agree', 20_000);
            for (const f of fresh) f.destroy();
          } finally {
            for (const p of connected) p?.destroy();
          }
        },
      ),
      { seed: 25_2025, numRuns: 20, endOnFailure: true },
    );
  });

  it('two processes compacting the same room at once lose nothing; storage stays proportional to the document', async () => {
    const token = mintFor(secret, 'compact', 'edit');
    const a = provider(relays[0]!, 'compact', token);
    const b = provider(relays[1]!, 'compact', token);
    await synced(a);
    await synced(b);
    // Both write at once, each crossing the compaction threshold (20) many times over.
    for (let i = 0; i < 200; i++) {
      a.doc.getMap('m').set(`a${i % 50}`, i);
      b.doc.getMap('m').set(`b${i % 50}`, i);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    // Each saw the other's last edits: those went through Redis, so they are stored.
    await waitFor(() => a.doc.getMap('m').get('b49') === 199 && b.doc.getMap('m').get('a49') === 199 && canonical(a.doc) === canonical(b.doc), 'both have all');
    const client = new Redis(server.url);
    try {
      const logLength = await client.xlen(`${prefix}room:{compact}:log`);
      expect(logLength).toBeLessThan(60);
      // What Redis holds, loaded by a fresh client on the third process, is the whole document.
      const fresh = provider(relays[2]!, 'compact', token);
      await synced(fresh);
      expect(canonical(fresh.doc)).toBe(canonical(a.doc));
      // Once every process has unloaded the room (idle 1 s), the log is gone into the snapshot.
      for (const p of [a, b, fresh]) p.destroy();
      await waitFor(async () => (await client.xlen(`${prefix}room:{compact}:log`)) === 0, 'compacted on unload', 15_000);
    } finally {
      client.disconnect();
    }
  });

  it('/healthz reports Redis; /metrics per-process and shared figures', async () => {
    const health = await (await fetch(`${relays[0]!.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', redis: 'ok', processes: 3 });
    const token = mintFor(secret, 'metrics', 'edit');
    const p = provider(relays[1]!, 'metrics', token);
    await synced(p);
    const text = await (await fetch(`${relays[0]!.url}/metrics`)).text();
    expect(text).toMatch(/^reckon_redis_up 1$/m);
    expect(text).toMatch(/^reckon_cluster_processes 3$/m);
    expect(Number(/^reckon_cluster_connections (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^reckon_connections_open \d+$/m);
  });
});

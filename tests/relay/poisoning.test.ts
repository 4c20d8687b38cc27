// Rooms cannot be poisoned: updates that would leave structs pending, or whose delete set names
// clients the room does not have beyond a bound, are refused (closed with a reason) before the room
// sees them; an update of millions of values is refused before it is decoded; a room has a memory
// budget; and a room stored poisoned (by a relay before these checks) is repaired when it loads.
// Honest peers that ran ahead of the relay (a second tab) recover by reconnecting.

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MemoryRoomStore } from '../../server/store';
import { conflictStorm } from './hostile';
import { connectProvider, docWith, RawClient, synced, updateMessage, useRelays, waitFor, type TestServer } from './helpers';

const { cleanups, relay } = useRelays();
const MB = 1 << 20;

/** An update with no structs whose delete set names `n` clients nobody has. */
function unknownDeletes(n: number, first = 1_000_000): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, n);
  for (let i = 0; i < n; i++) {
    encoding.writeVarUint(e, first + i);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
  }
  return encoding.toUint8Array(e);
}

/** The structs of client `client` from clock `from` on: a gap for anyone who lacks the ones before. */
function withGap(client: number, from: number): Uint8Array {
  const d = new Y.Doc();
  d.clientID = client;
  const a = d.getArray('a');
  for (let i = 0; i < from + 5; i++) a.push([i]);
  return Y.encodeStateAsUpdate(d, Y.encodeStateVector(docClock(client, from)));
}

/** A doc whose state vector says `client` is at `clock`. */
function docClock(client: number, clock: number): Y.Doc {
  const d = new Y.Doc();
  d.clientID = client;
  for (let i = 0; i < clock; i++) d.getArray('a').push([i]);
  return d;
}

/** One item holding `n` nulls in root array 'a': 28.6 MB for 30M. */
function nulls(n: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 42);
  encoding.writeVarUint(e, 0);
  encoding.writeUint8(e, 8);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, 'a');
  encoding.writeVarUint(e, n);
  const block = new Uint8Array(1 << 16).fill(126);
  for (let left = n; left > 0; left -= block.length) encoding.writeUint8Array(e, left >= block.length ? block : block.subarray(0, left));
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

function raw(t: TestServer, room: string, token: string): RawClient {
  const c = new RawClient(`${t.wsUrl}/${room}?token=${token}`);
  cleanups.push(() => c.close());
  return c;
}

async function stillServed(t: TestServer, room: string, round: number): Promise<void> {
  const token = t.token(room, 'edit');
  const a = connectProvider(t.wsUrl, room, token);
  const b = connectProvider(t.wsUrl, room, token);
  cleanups.push(() => a.destroy(), () => b.destroy());
  await synced(a);
  await synced(b);
  a.doc.getMap('m').set(`round${round}`, round);
  await waitFor(() => b.doc.getMap('m').get(`round${round}`) === round, `${room} is served`);
}

const appends = (t: TestServer, room: string) => t.store.calls.filter((c) => c.op === 'append' && c.room === room).length;

describe('updates that would leave anything pending are refused before the room sees them', () => {
  it('a delete set naming 200,000 unknown clients (1.4 MB): closed, nothing stored, later edits unaffected', async () => {
    const t = await relay();
    await stillServed(t, 'room', 1);
    const update = unknownDeletes(200_000);
    expect(update.length).toBeGreaterThan(MB);
    const before = appends(t, 'room');
    const c = raw(t, 'room', t.token('room', 'edit'));
    await c.waitOpen();
    c.send(updateMessage(update));
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('unknown-delete-clients');
    expect(appends(t, 'room')).toBe(before);
    expect(t.store.docOf('room').store.pendingDs).toBeNull();
    await stillServed(t, 'room', 2);
    // A few (a peer a little ahead of the relay) are allowed.
    const few = raw(t, 'room', t.token('room', 'edit'));
    await few.waitOpen();
    few.send(updateMessage(unknownDeletes(3)));
    await stillServed(t, 'room', 3);
    expect(few.closeCode).toBeNull();
  });

  it('5,000 updates with missing dependencies over 20 connections: each closed at its first, another room served', async () => {
    const t = await relay();
    const clients = Array.from({ length: 20 }, () => raw(t, 'room', t.token('room', 'edit')));
    for (const c of clients) await c.waitOpen();
    const served = stillServed(t, 'other', 1);
    clients.forEach((c, i) => { for (let k = 0; k < 250; k++) c.send(updateMessage(withGap(100 + i, 3 + (k % 5)))); });
    for (const c of clients) {
      expect(await c.waitClosed()).toBe(1008);
      expect(c.closeReason).toBe('pending-structs');
    }
    await served;
    expect(t.server.metrics.get('reckon_updates_refused_total', { reason: 'pending-structs' })).toBe(20);
    expect(appends(t, 'room')).toBe(0);
  });

  it('an origin the room does not have is a missing dependency too', async () => {
    const t = await relay();
    const a = new Y.Doc();
    a.clientID = 5;
    a.getArray('a').push(['x']);
    const b = new Y.Doc();
    b.clientID = 6;
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getArray('a').insert(1, ['y']); // its origin is a's item, which the relay never got
    const c = raw(t, 'room', t.token('room', 'edit'));
    await c.waitOpen();
    c.send(updateMessage(Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))));
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('pending-structs');
  });

  it('an honest peer that ran ahead of the relay (another tab\'s edit) reconnects and loses nothing', async () => {
    const t = await relay();
    const token = t.token('room', 'edit');
    const tab1 = connectProvider(t.wsUrl, 'room', token);
    cleanups.push(() => tab1.destroy());
    await synced(tab1);
    // A second tab edited offline and handed its edit to tab 1 directly: over BroadcastChannel the
    // provider applies it with itself as origin, so it does not send it to the relay.
    const tab2 = new Y.Doc();
    Y.applyUpdate(tab2, Y.encodeStateAsUpdate(tab1.doc));
    tab2.getArray('a').push(['from tab 2']);
    Y.applyUpdate(tab1.doc, Y.encodeStateAsUpdate(tab2, Y.encodeStateVector(tab1.doc)), tab1);
    // Tab 1 builds on it: its next update refers to tab 2's item, which the relay lacks.
    tab1.doc.getArray('a').push(['from tab 1']);
    await waitFor(() => t.store.docOf('room').getArray('a').toArray().join() === 'from tab 2,from tab 1', 'both edits stored');
    expect(t.server.metrics.get('reckon_updates_refused_total', { reason: 'pending-structs' })).toBeGreaterThanOrEqual(1);
  });
});

describe('size', () => {
  it('a 28.6 MB update of 30M nulls is refused before it is decoded; memory stays low', async () => {
    const t = await relay();
    const update = nulls(30_000_000);
    expect(update.length).toBeGreaterThan(28 * 1000 * 1000);
    globalThis.gc?.();
    const before = process.memoryUsage.rss();
    const c = raw(t, 'room', t.token('room', 'edit'));
    await c.waitOpen();
    c.send(updateMessage(update));
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('too-many-values');
    expect(process.memoryUsage.rss() - before).toBeLessThan(200 * MB);
    expect(appends(t, 'room')).toBe(0);
    await stillServed(t, 'room', 1);
  });

  it('a room has a memory budget: updates past it are refused', async () => {
    const t = await relay({ limits: { maxRoomHeapBytes: 2 * MB } });
    const c = raw(t, 'room', t.token('room', 'edit'));
    await c.waitOpen();
    for (let i = 0; i < 8; i++) c.send(updateMessage(Y.encodeStateAsUpdate(docWith({ [`k${i}`]: 'x'.repeat(256 * 1024) }, 1000 + i))));
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('room-budget');
    expect(t.store.docOf('room').getMap('m').size).toBeLessThan(8);
  });
});

describe('integration trials', () => {
  it('run one at a time in the process; past a few waiting, refused as busy', async () => {
    const t = await relay();
    const storm = updateMessage(conflictStorm(32_000));
    const clients = Array.from({ length: 10 }, (_, i) => raw(t, `room${i}`, t.token(`room${i}`, 'edit')));
    for (const c of clients) await c.waitOpen();
    for (const c of clients) c.send(storm);
    for (const c of clients) expect(await c.waitClosed()).toBeGreaterThanOrEqual(1007);
    expect(t.server.metrics.get('reckon_integration_trials_total', { result: 'timeout' })).toBe(5);
    expect(t.server.metrics.get('reckon_integration_trials_total', { result: 'busy' })).toBe(5);
    expect(t.server.metrics.get('reckon_updates_refused_total', { reason: 'trials-busy' })).toBe(5);
  });
});

describe('a room stored poisoned', () => {
  it('is repaired when it loads: pending deletions dropped, the stored state compacted without them', async () => {
    const store = new MemoryRoomStore();
    const good = Y.encodeStateAsUpdate(docWith({ kept: 1 }));
    const poisoned = Y.mergeUpdates([good, unknownDeletes(20_000)]);
    const check = new Y.Doc();
    Y.applyUpdate(check, poisoned);
    expect(check.store.pendingDs).not.toBeNull(); // what the old relay kept, retried and stored
    await store.append('room', poisoned);
    const t = await relay({ store });
    const p = connectProvider(t.wsUrl, 'room', t.token('room', 'edit'));
    cleanups.push(() => p.destroy());
    await synced(p);
    expect(p.doc.getMap('m').get('kept')).toBe(1);
    expect(t.server.metrics.get('reckon_pending_dropped_total', { when: 'load' })).toBe(1);
    await waitFor(() => store.calls.some((c) => c.op === 'compact' && c.room === 'room'), 'compacted after load');
    expect(store.rooms.get('room')).toHaveLength(1);
    expect(store.docOf('room').store.pendingDs).toBeNull();
    expect(store.docOf('room').getMap('m').get('kept')).toBe(1);
    // Its peers get a clean state too.
    expect(p.doc.store.pendingDs).toBeNull();
  });
});

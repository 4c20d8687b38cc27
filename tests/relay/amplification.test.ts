// Bounded cost per client: what a peer makes the relay send back is budgeted per connection, per
// token and per address, whatever it repeats. Hand-made frames from a raw client against the real
// relay on a loopback port; bytes sent back and resident memory growth stay within bounds, and
// other rooms keep being served meanwhile (their latency is a bench figure, not asserted here).

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { syncMessage, SyncType } from '../../server/messages';
import { connectProvider, RawClient, synced, useRelays, waitFor, type TestServer } from './helpers';

const { cleanups, relay } = useRelays();
const MB = 1 << 20;

/** A room holding about `bytes` of text. */
async function bigRoom(t: TestServer, room: string, bytes: number): Promise<void> {
  const d = new Y.Doc();
  const m = d.getMap('m');
  for (let i = 0; i * 64 * 1024 < bytes; i++) m.set(`k${i}`, `${i}`.padEnd(64 * 1024, 'x'));
  await t.server.writeWorkspace(room, Y.encodeStateAsUpdate(d));
}

function raw(t: TestServer, room: string, token: string, address?: string): RawClient {
  const c = new RawClient(`${t.wsUrl}/${room}?token=${token}`, { address });
  c.keepMessages = false;
  cleanups.push(() => c.close());
  return c;
}

/** Another room keeps working: an edit from one stock client reaches another. */
async function otherRoomServed(t: TestServer, round: number): Promise<void> {
  const token = t.token('other', 'edit');
  const a = connectProvider(t.wsUrl, 'other', token);
  const b = connectProvider(t.wsUrl, 'other', token);
  cleanups.push(() => a.destroy(), () => b.destroy());
  await synced(a);
  await synced(b);
  a.doc.getMap('m').set('round', round);
  await waitFor(() => b.doc.getMap('m').get('round') === round, 'the other room is served');
}

async function healthy(t: TestServer): Promise<boolean> {
  return (await fetch(`${t.server.url}/healthz`)).status === 200;
}

function rss(): number {
  globalThis.gc?.();
  return process.memoryUsage.rss();
}

describe('answers are budgeted', () => {
  it('950 sync step 1 messages on a 3 MB room: closed once its budget is spent, a few copies sent, not 950', async () => {
    const t = await relay();
    await bigRoom(t, 'big', 3 * MB);
    const token = t.token('big', 'view');
    const before = rss();
    const c = raw(t, 'big', token);
    await c.waitOpen();
    const step1 = syncMessage(SyncType.step1, new Uint8Array([0]));
    for (let i = 0; i < 950; i++) c.send(step1);
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('answer-budget');
    // The connection's burst (32 MiB) and one more copy: the answer that overdrew it.
    expect(c.received).toBeLessThan(32 * MB + 2 * 3.2 * MB);
    expect(rss() - before).toBeLessThan(256 * MB);
    expect(await healthy(t)).toBe(true);
    await otherRoomServed(t, 1);
  });

  it('reconnecting does not reset the budget: the token and the address have their own', async () => {
    const t = await relay({ limits: { tokenAnswerBytesBurst: 12 * MB, tokenAnswerBytesPerSecond: 64 * 1024 } });
    await bigRoom(t, 'big', 2 * MB);
    const token = t.token('big', 'view');
    const step1 = syncMessage(SyncType.step1, new Uint8Array([0]));
    let received = 0;
    for (let round = 0; round < 20; round++) {
      const c = raw(t, 'big', token);
      await c.waitOpen();
      for (let i = 0; i < 50; i++) c.send(step1);
      await c.waitClosed();
      received += c.received;
    }
    // 20 connections, yet about the token's burst: each new one is refused once it is spent.
    expect(received).toBeLessThan(12 * MB + 2 * 2.2 * MB + 20 * 64 * 1024);
    expect(t.server.metrics.get('reckon_closes_total', { reason: 'answer-budget' })).toBe(20);
    await otherRoomServed(t, 2);
  });

  it('a peer that has everything still gets its small answer (the page\'s "saved?" probe)', async () => {
    const t = await relay({ limits: { answerBytesBurst: 1 * MB, answerBytesPerSecond: 1 } });
    await bigRoom(t, 'big', 2 * MB);
    const p = connectProvider(t.wsUrl, 'big', t.token('big', 'edit'));
    cleanups.push(() => p.destroy());
    await synced(p); // its first answer overdrew the connection's budget
    const ws = p.ws!;
    const answers = () => t.server.metrics.get('reckon_messages_handled_total', { type: 'sync_step1' });
    const asked = answers();
    for (let i = 0; i < 20; i++) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(p.doc));
      ws.send(encoding.toUint8Array(e));
    }
    await waitFor(() => answers() === asked + 20, 'probes handled');
    expect(p.wsconnected).toBe(true);
  });
});

describe('presence is bounded', () => {
  it('large presence states are dropped; 10 presence queries from a viewer: a few bounded answers, then closed', async () => {
    const t = await relay();
    const editor = t.token('room', 'edit');
    const peers = Array.from({ length: 12 }, () => connectProvider(t.wsUrl, 'room', editor));
    cleanups.push(() => peers.forEach((p) => p.destroy()));
    for (const p of peers) await synced(p);
    peers.forEach((p, i) => p.awareness.setLocalStateField('note', (i % 2 ? 'y' : 'z').repeat(i < 6 ? 4 * 1024 : 20 * 1024)));
    await waitFor(() => (t.server.metrics.get('reckon_awareness_entries_dropped_total', { reason: 'state-too-large' }) ?? 0) >= 6, 'huge states dropped');
    const before = rss();
    const c = raw(t, 'room', t.token('room', 'view'));
    await c.waitOpen();
    for (let i = 0; i < 10; i++) c.send(new Uint8Array([3]));
    expect(await c.waitClosed()).toBe(1008);
    expect(c.closeReason).toBe('rate-limit');
    // At most the burst of queries (5), each at most the room's presence (≤ 1 MiB; 6 × 4 KiB here).
    expect(c.received).toBeLessThan(6 * 64 * 1024);
    expect(rss() - before).toBeLessThan(128 * MB);
    expect(await healthy(t)).toBe(true);
  });

  it('one connection cannot hold more presence entries than a person needs', async () => {
    const t = await relay();
    const c = raw(t, 'room', t.token('room', 'edit'));
    await c.waitOpen();
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    const entries = encoding.createEncoder();
    encoding.writeVarUint(entries, 100);
    for (let id = 1; id <= 100; id++) {
      encoding.writeVarUint(entries, id);
      encoding.writeVarUint(entries, 1);
      encoding.writeVarString(entries, '{"user":{"name":"x"}}');
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(entries));
    c.send(encoding.toUint8Array(e));
    await waitFor(() => (t.server.metrics.get('reckon_awareness_entries_dropped_total', { reason: 'too-many-clients' }) ?? 0) === 92, 'entries past 8 dropped');
    expect(c.closeCode).toBeNull();
  });
});

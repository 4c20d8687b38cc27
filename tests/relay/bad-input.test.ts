// Malformed, oversized, hostile and too-fast input closes only the
// connection that sent it; the room and its other peers go on, and nothing
// malformed is stored or forwarded.

import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { hostileUpdates } from './hostile';
import {
  connectProvider,
  docWith,
  RawClient,
  startTestServer,
  synced,
  syncStep1Message,
  updateMessage,
  waitFor,
  type TestServer,
} from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Scene {
  t: TestServer;
  a: WebsocketProvider;
  b: WebsocketProvider;
  token: string;
  /** A raw peer that only listens; records every document update it is sent. */
  listener: RawClient;
  rounds: number;
}

async function scene(options: Parameters<typeof startTestServer>[0] = {}): Promise<Scene> {
  const t = await startTestServer(options);
  cleanups.push(() => t.server.close());
  const token = t.token('room', 'edit');
  const a = connectProvider(t.wsUrl, 'room', token);
  const b = connectProvider(t.wsUrl, 'room', token);
  cleanups.push(() => a.destroy(), () => b.destroy());
  const listener = new RawClient(`${t.wsUrl}/room?token=${token}`);
  cleanups.push(() => listener.close());
  await synced(a);
  await synced(b);
  await listener.waitOpen();
  return { t, a, b, token, listener, rounds: 0 };
}

/** The room still works: an edit from a reaches b and the store. */
async function stillWorks(s: Scene): Promise<void> {
  const key = `round${++s.rounds}`;
  s.a.doc.getMap('m').set(key, s.rounds);
  await waitFor(() => s.b.doc.getMap('m').get(key) === s.rounds, `b receives ${key}`);
  await waitFor(() => s.t.store.docOf('room').getMap('m').get(key) === s.rounds, `${key} stored`);
}

/** Every update the listener was sent, applied to a fresh doc. */
function listenerDoc(listener: RawClient): Y.Doc {
  const doc = new Y.Doc();
  for (const message of listener.messages) {
    const d = decoding.createDecoder(message);
    if (decoding.readVarUint(d) !== 0) continue;
    const type = decoding.readVarUint(d);
    if (type === 1 || type === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(d));
  }
  return doc;
}

async function sendAndExpectClose(s: Scene, message: Uint8Array | string): Promise<number> {
  const raw = new RawClient(`${s.t.wsUrl}/room?token=${s.token}`);
  cleanups.push(() => raw.close());
  await raw.waitOpen();
  raw.send(message);
  return raw.waitClosed();
}

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

describe('bad input', () => {
  it('closes only the sender of a malformed frame', async () => {
    const s = await scene();
    const valid = Y.encodeStateAsUpdate(docWith({ evil: 1 }));
    const withTrailing = new Uint8Array([...syncStep1Message(new Y.Doc()), 0]);
    const badAwareness = (() => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, bytes(1, 5, 1, 3, ...Buffer.from('{x:')));
      return encoding.toUint8Array(e);
    })();
    const frames: Array<[string, Uint8Array | string, number]> = [
      ['text frame', 'hello', 1003],
      ['empty', bytes(), 1007],
      ['garbage varint', bytes(0xff, 0xff, 0xff), 1007],
      ['unknown message type', bytes(9), 1007],
      ['auth message from a client', bytes(2, 0), 1007],
      ['unknown sync type', bytes(0, 7, 0), 1007],
      ['trailing bytes', withTrailing, 1007],
      ['truncated update', updateMessage(valid.subarray(0, valid.length - 3)), 1007],
      ['update length past end', bytes(0, 2, 100, 1, 2), 1007],
      ['bad awareness JSON', badAwareness, 1007],
      ['state vector of garbage', bytes(0, 0, 3, 0xff, 0xff, 0xff), 1007],
    ];
    for (const [what, frame, code] of frames) {
      expect(await sendAndExpectClose(s, frame), what).toBe(code);
      await stillWorks(s);
    }
    expect(s.listener.closeCode).toBeNull();
    expect(s.t.store.docOf('room').getMap('m').has('evil')).toBe(false);
    expect(listenerDoc(s.listener).getMap('m').has('evil')).toBe(false);
  });

  it('rejects hostile updates before yjs decodes them, and never stores or forwards them', async () => {
    const s = await scene();
    const appendsBefore = () => s.t.store.calls.filter((c) => c.op === 'append').length;
    for (const [name, update] of Object.entries(hostileUpdates)) {
      const before = appendsBefore();
      const messagesBefore = s.listener.messages.length;
      // Well-formed but too many values to decode one by one: refused as a matter of policy (1008).
      expect(await sendAndExpectClose(s, updateMessage(update)), name).toBe(name === 'emptyObjectBomb' ? 1008 : 1007);
      expect(appendsBefore(), name).toBe(before);
      expect(s.listener.messages.length, name).toBe(messagesBefore);
      await stillWorks(s);
    }
    const rejected = s.t.server.metrics.get('reckon_malformed_messages_total');
    expect(rejected).toBe(Object.keys(hostileUpdates).length - 1);
    expect(s.t.server.metrics.get('reckon_malformed_messages_total', { reason: 'integration-cost' })).toBe(1);
    expect(s.t.server.metrics.get('reckon_integration_trials_total', { result: 'timeout' })).toBe(1);
    expect(s.t.server.metrics.get('reckon_updates_refused_total', { reason: 'too-many-values' })).toBe(1);
  });

  it('tries updates with a high integration estimate in a worker: accepts the harmless, refuses the slow', async () => {
    const s = await scene();
    // 10k rows each inserted at the same index: flagged by the estimate, cheap in fact.
    const d = new Y.Doc();
    const rows = d.getArray('rows');
    rows.insert(0, ['first']);
    d.transact(() => {
      for (let i = 0; i < 10_000; i++) rows.insert(1, [i]);
    });
    const raw = new RawClient(`${s.t.wsUrl}/room?token=${s.token}`);
    cleanups.push(() => raw.close());
    await raw.waitOpen();
    raw.send(updateMessage(Y.encodeStateAsUpdate(d)));
    await waitFor(() => s.b.doc.getArray('rows').length === 10_001, 'b receives all rows');
    expect(s.t.server.metrics.get('reckon_integration_trials_total', { result: 'ok' })).toBe(1);
    expect(raw.closeCode).toBeNull();
    // (the conflict storm, refused after its trial, is among the hostile updates above)
    expect(s.t.server.metrics.get('reckon_integration_trials_total', { result: 'timeout' })).toBe(0);
  });

  it('closes only the sender of an oversized frame', async () => {
    const s = await scene({ limits: { maxMessageBytes: 64 * 1024 } });
    const big = new Y.Doc();
    big.getMap('m').set('blob', 'x'.repeat(100 * 1024));
    expect(await sendAndExpectClose(s, updateMessage(Y.encodeStateAsUpdate(big)))).toBe(1009);
    await stillWorks(s);
    expect(s.t.server.metrics.get('reckon_closes_total', { reason: 'oversized' })).toBe(1);
    expect(s.t.store.docOf('room').getMap('m').has('blob')).toBe(false);
  });

  it('closes a connection that exceeds its message rate', async () => {
    const s = await scene({ limits: { messageBurst: 20, messagesPerSecond: 1 } });
    const raw = new RawClient(`${s.t.wsUrl}/room?token=${s.token}`);
    cleanups.push(() => raw.close());
    await raw.waitOpen();
    for (let i = 0; i < 40; i++) raw.send(bytes(3)); // query awareness
    expect(await raw.waitClosed()).toBe(1008);
    expect(s.t.server.metrics.get('reckon_closes_total', { reason: 'rate-limit' })).toBe(1);
    // a's and b's own buckets are untouched (one round of edits is a few messages)
    await stillWorks(s);
  });

  it('closes a connection that exceeds its apply-time budget', async () => {
    // Every applying connection has a zero budget here; a viewer never applies.
    const t = await startTestServer({ limits: { applyMillisBurst: 0, applyMillisPerSecond: 0 } });
    cleanups.push(() => t.server.close());
    const viewer = connectProvider(t.wsUrl, 'room', t.token('room', 'view'));
    cleanups.push(() => viewer.destroy());
    await synced(viewer);
    const raw = new RawClient(`${t.wsUrl}/room?token=${t.token('room', 'edit')}`);
    cleanups.push(() => raw.close());
    await raw.waitOpen();
    raw.send(updateMessage(Y.encodeStateAsUpdate(docWith({ costly: 1 }))));
    expect(await raw.waitClosed()).toBe(1008);
    expect(t.server.metrics.get('reckon_closes_total', { reason: 'apply-budget' })).toBe(1);
    // the update itself was valid: it was applied before the budget was checked
    await waitFor(() => viewer.doc.getMap('m').get('costly') === 1, 'valid update delivered');
  });
});

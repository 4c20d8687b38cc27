// Sync, presence, loading and unloading, against a real relay on a loopback
// port with stock y-websocket clients.

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { MemoryRoomStore } from '../../server/store';
import { connectProvider, docWith, RawClient, synced, syncStep1Message, waitFor, type TestServer, useRelays } from './helpers';

const { cleanups, relay } = useRelays();

function provider(t: TestServer, workspace: string, token: string, doc?: Y.Doc): WebsocketProvider {
  const p = connectProvider(t.wsUrl, workspace, token, doc);
  cleanups.push(() => p.destroy());
  return p;
}

function awarenessMessage(clientID: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientID);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

describe('relay sync', () => {
  it('syncs two clients both ways, and a late joiner gets everything', async () => {
    const t = await relay();
    const token = t.token('alpha', 'edit');
    const a = provider(t, 'alpha', token);
    const b = provider(t, 'alpha', token);
    await synced(a);
    await synced(b);
    a.doc.getMap('m').set('fromA', 1);
    b.doc.getMap('m').set('fromB', 2);
    await waitFor(() => b.doc.getMap('m').get('fromA') === 1, 'b sees a');
    await waitFor(() => a.doc.getMap('m').get('fromB') === 2, 'a sees b');
    const late = provider(t, 'alpha', token);
    await synced(late);
    expect(late.doc.getMap('m').toJSON()).toEqual({ fromA: 1, fromB: 2 });
    // and the store holds it
    await waitFor(() => t.store.docOf('alpha').getMap('m').size === 2, 'stored');
  });

  it('keeps rooms apart', async () => {
    const t = await relay();
    const a = provider(t, 'one', t.token('one', 'edit'));
    const b = provider(t, 'two', t.token('two', 'edit'));
    await synced(a);
    await synced(b);
    a.doc.getMap('m').set('x', 1);
    await waitFor(() => t.store.docOf('one').getMap('m').get('x') === 1, 'stored in room one');
    expect(b.doc.getMap('m').size).toBe(0);
    expect(t.store.rooms.has('two')).toBe(false);
  });

  it('removes the presence a connection controlled when its socket closes', async () => {
    const t = await relay();
    const token = t.token('pres', 'edit');
    const watcher = provider(t, 'pres', token);
    await synced(watcher);
    const a = provider(t, 'pres', token);
    a.awareness.setLocalStateField('user', { name: 'Ada' });
    await synced(a);
    await waitFor(() => watcher.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 'watcher sees Ada');

    // A raw peer that vanishes without saying goodbye.
    const raw = new RawClient(`${t.wsUrl}/pres?token=${token}`);
    cleanups.push(() => raw.close());
    await raw.waitOpen();
    raw.send(awarenessMessage(777_001, 1, { user: { name: 'Ghost' } }));
    await waitFor(() => watcher.awareness.getStates().has(777_001), 'watcher sees ghost');
    raw.close();
    await waitFor(() => !watcher.awareness.getStates().has(777_001), 'ghost removed');

    a.disconnect(); // the provider sends no null state of its own on disconnect
    await waitFor(() => !watcher.awareness.getStates().has(a.doc.clientID), 'Ada removed');
  });

  it('does not let one peer overwrite the presence of another', async () => {
    const t = await relay();
    const a = provider(t, 'spoof', t.token('spoof', 'edit'));
    a.awareness.setLocalStateField('user', { name: 'Ada' });
    await synced(a);
    const watcher = provider(t, 'spoof', t.token('spoof', 'view'));
    await waitFor(() => watcher.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 'watcher sees Ada');
    const raw = new RawClient(`${t.wsUrl}/spoof?token=${t.token('spoof', 'edit')}`);
    cleanups.push(() => raw.close());
    await raw.waitOpen();
    raw.send(awarenessMessage(a.doc.clientID, 1_000, { user: { name: 'Mallory' } }));
    raw.send(awarenessMessage(4242, 1, { user: { name: 'Raw' } }));
    await waitFor(() => watcher.awareness.getStates().has(4242), 'watcher sees raw peer');
    expect(watcher.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Ada');
    expect(t.server.metrics.get('reckon_awareness_entries_dropped_total')).toBe(1);
  });

  it('loads the stored state before answering the first sync', async () => {
    const store = new MemoryRoomStore();
    await store.append('stored', Y.encodeStateAsUpdate(docWith({ before: 'restart' })));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.loadGate = () => gate;
    const t = await relay({ store });
    const raw = new RawClient(`${t.wsUrl}/stored?token=${t.token('stored', 'edit')}`);
    cleanups.push(() => raw.close());
    await raw.waitOpen();
    const local = new Y.Doc();
    raw.send(syncStep1Message(local));
    await waitFor(() => t.server.metrics.get('reckon_messages_received_total') >= 1, 'relay received step 1');
    expect(raw.messages).toHaveLength(0); // queued while loading: nothing answered yet
    release();
    await waitFor(() => raw.messages.length >= 2, 'step 1 and step 2 from the relay');
    for (const message of raw.messages) {
      const d = decoding.createDecoder(message);
      if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 1) Y.applyUpdate(local, decoding.readVarUint8Array(d));
    }
    expect(local.getMap('m').get('before')).toBe('restart');
  });

  it('closes the peers of a room whose load fails, and loads it afresh for the next peer', async () => {
    const store = new MemoryRoomStore();
    let failNext = true;
    store.loadGate = async () => {
      if (failNext) {
        failNext = false;
        throw new Error('disk on fire');
      }
    };
    const t = await relay({ store });
    const raw = new RawClient(`${t.wsUrl}/flaky?token=${t.token('flaky', 'edit')}`);
    cleanups.push(() => raw.close());
    expect(await raw.waitClosed()).toBe(1011);
    expect(raw.messages).toHaveLength(0);
    const p = provider(t, 'flaky', t.token('flaky', 'edit'));
    await synced(p);
    expect(t.server.metrics.get('reckon_store_errors_total', { op: 'load' })).toBe(1);
  });

  it('compacts and unloads idle rooms, then loads them again', async () => {
    const t = await relay({ idleSeconds: 0.05 });
    const token = t.token('idle', 'edit');
    const a = provider(t, 'idle', token);
    await synced(a);
    for (let i = 0; i < 5; i++) a.doc.getMap('m').set(`k${i}`, i);
    await waitFor(() => t.store.docOf('idle').getMap('m').size === 5, 'appended');
    a.destroy();
    await waitFor(() => t.server.metrics.get('reckon_rooms_open') === 0, 'room unloaded');
    expect(t.store.calls.filter((c) => c.op === 'compact' && c.room === 'idle')).toHaveLength(1);
    expect(t.store.rooms.get('idle')).toHaveLength(1); // one compacted update
    const b = provider(t, 'idle', token);
    await synced(b);
    expect(b.doc.getMap('m').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
    expect(t.store.calls.filter((c) => c.op === 'load' && c.room === 'idle')).toHaveLength(2);
  });

  it('drops every document update from a view token, but shows it presence', async () => {
    const t = await relay();
    const editor = provider(t, 'ro', t.token('ro', 'edit'));
    editor.awareness.setLocalStateField('user', { name: 'Editor' });
    editor.doc.getMap('m').set('shared', 'yes');
    await synced(editor);
    const viewer = provider(t, 'ro', t.token('ro', 'view'));
    viewer.doc.getMap('m').set('offline-viewer-edit', 1); // goes out in its sync step 2
    viewer.awareness.setLocalStateField('user', { name: 'Viewer' });
    await synced(viewer);
    await waitFor(() => viewer.doc.getMap('m').get('shared') === 'yes', 'viewer reads');
    await waitFor(() => viewer.awareness.getStates().get(editor.doc.clientID)?.user?.name === 'Editor', 'viewer sees editor');
    await waitFor(() => editor.awareness.getStates().get(viewer.doc.clientID)?.user?.name === 'Viewer', 'editor sees viewer');
    viewer.doc.getMap('m').set('viewer-live-edit', 2);
    await waitFor(() => t.server.metrics.get('reckon_view_updates_dropped_total') >= 2, 'both viewer updates dropped');
    editor.doc.getMap('m').set('after', true); // a marker that passes the viewer's edits in the pipeline
    await waitFor(() => viewer.doc.getMap('m').get('after') === true, 'viewer still receives');
    const fresh = provider(t, 'ro', t.token('ro', 'edit'));
    await synced(fresh);
    for (const doc of [editor.doc, fresh.doc, t.store.docOf('ro')]) {
      expect(doc.getMap('m').toJSON()).toEqual({ shared: 'yes', after: true });
    }
  });
});

// The sync status of a relay workspace, from acknowledgements rather than guesses.
//
// Root cause of the old "stuck on syncing after a reload": the status was `provider.synced` (set
// once per connection, when the relay's first sync step 2 arrives) plus `ws.bufferedAmount === 0`,
// sampled in the `sync` event. At that moment the page has just queued its own messages (its answer
// to the relay's step 1 — after a reload, the IndexedDB state — and its awareness), and browsers
// lower bufferedAmount only asynchronously, with no event when the buffer drains: the status read
// "syncing" and nothing re-evaluated it, so a 500 ms poll papered over it. Besides, neither signal
// says the relay has what this page wrote (`synced` means *we* have the relay's state).
//
// What is used instead is the protocol itself. The relay answers every sync step 1 with a step 2,
// and handles one connection's messages in order, so a step 2 answering a step 1 we sent after our
// updates proves the relay has applied them. A "probe" (our state vector) is sent:
//   - once the relay's first step 2 arrived, and after we answered a step 1 of the relay (our answer
//     carries what the relay lacked, e.g. offline edits);
//   - after local updates (any update not from the relay: edits, IndexedDB, other tabs' edits are
//     from the provider and were sent by their own tab), at most one probe in flight: updates made
//     while one is in flight are covered by the next, sent when its answer comes.
// Status: no token → local; not connected → connecting (first attempt) / offline; a probe owed or
// in flight → syncing; else saved. Every input is an event; there is no timer.

import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'saved' | 'local';

/** y-websocket's message type of sync messages (its `messageSync`). */
const MESSAGE_SYNC = 0;

type Handler = (encoder: encoding.Encoder, decoder: decoding.Decoder, provider: WebsocketProvider, emitSynced: boolean, type: number) => void;

/** Drives `set` from the provider's events; returns a function that stops it. */
export function trackSyncStatus(provider: WebsocketProvider, doc: Y.Doc, relay: boolean, set: (s: SyncStatus) => void): () => void {
  if (!relay) {
    set('local');
    return () => {};
  }
  let attemptFailed = false;
  /** The relay's first step 2 on this connection has come. */
  let initial = false;
  /** Local updates (or an answer to the relay's step 1) not yet covered by a probe. */
  let owed = false;
  let inflight = false;
  let scheduled = false;

  const recompute = (): void => {
    if (!provider.wsconnected) return set(attemptFailed ? 'offline' : 'connecting');
    set(!initial || owed || inflight ? 'syncing' : 'saved');
  };

  // Sent from a microtask: the message handler that made us owe one sends its own answer first.
  const probe = (): void => {
    scheduled = false;
    const ws = provider.ws;
    if (!initial || inflight || !owed || !ws || ws.readyState !== ws.OPEN) return recompute();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, doc);
    owed = false;
    inflight = true;
    ws.send(encoding.toUint8Array(encoder));
    recompute();
  };
  const owe = (): void => {
    owed = true;
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(probe);
    }
    recompute();
  };

  // Only websocket messages carry emitSynced = true (BroadcastChannel ones do not).
  const handlers = provider.messageHandlers as unknown as Handler[];
  const original = handlers[MESSAGE_SYNC];
  handlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
    const syncType = decoding.peekVarUint(decoder);
    original(encoder, decoder, p, emitSynced, type);
    if (!emitSynced) return;
    if (syncType === syncProtocol.messageYjsSyncStep1) owe();
    else if (syncType === syncProtocol.messageYjsSyncStep2) {
      if (!initial) {
        initial = true;
        owe();
      } else {
        inflight = false;
        if (owed) owe();
        else recompute();
      }
    }
  };

  const onStatus = ({ status }: { status: string }): void => {
    if (status === 'connected') {
      initial = owed = inflight = false;
    }
    recompute();
  };
  const failed = (): void => {
    attemptFailed = true;
    initial = owed = inflight = false;
    recompute();
  };
  const onUpdate = (_u: Uint8Array, origin: unknown): void => {
    if (origin !== provider && provider.wsconnected) owe();
  };
  provider.on('status', onStatus);
  provider.on('connection-close', failed);
  provider.on('connection-error', failed);
  doc.on('update', onUpdate);
  recompute();
  return () => {
    handlers[MESSAGE_SYNC] = original;
    provider.off('status', onStatus);
    provider.off('connection-close', failed);
    provider.off('connection-error', failed);
    doc.off('update', onUpdate);
  };
}

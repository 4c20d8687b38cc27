// Handling of one message from a peer, per the y-websocket protocol:
//   [0 sync][0 step1 | 1 step2 | 2 update][varUint8Array payload]
//   [1 awareness][varUint8Array awareness update]
//   [3 query awareness]
//
// Every read is bounds-checked and every message must end exactly where its
// last field ends. Anything else throws UpdateRejected, and the caller
// (Connection) closes that one connection. Payloads are validated
// (validate-update.ts) before yjs or y-protocols decode them.

import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import { BoundedReader, reject } from './binary-reader';
import { CloseCode, type RelayContext } from './context';
import type { Connection } from './connection';
import type { Room } from './room';
import { awarenessMessage, MessageType, syncMessage, SyncType } from './messages';
import { trialIntegration } from './integration-trial';
import { validateStateVector, validateUpdate } from './validate-update';

const utf8 = new TextDecoder();

/** Handles one message; returns a promise only while an update is on trial. */
export function handleMessage(
  ctx: RelayContext,
  room: Room,
  connection: Connection,
  data: Uint8Array,
): void | Promise<void> {
  const r = new BoundedReader(data);
  const type = r.varUint();
  switch (type) {
    case MessageType.sync:
      return handleSync(ctx, room, connection, r);
    case MessageType.awareness:
      count(ctx, 'awareness');
      handleAwareness(ctx, room, connection, readPayload(r));
      return;
    case MessageType.queryAwareness: {
      count(ctx, 'query_awareness');
      if (!r.atEnd()) reject('trailing-bytes');
      connection.send(awarenessMessage(room.awareness, [...room.awareness.getStates().keys()]));
      return;
    }
    default:
      reject('bad-message-type');
  }
}

function count(ctx: RelayContext, type: string): void {
  ctx.metrics.inc('reckon_messages_handled_total', 'Messages handled, by type', { type });
}

/** The last field of a message: a var-length byte string ending the message. */
function readPayload(r: BoundedReader): Uint8Array {
  const { start, length } = r.varBytes();
  if (!r.atEnd()) reject('trailing-bytes');
  return r.bytes.subarray(start, start + length);
}

function handleSync(ctx: RelayContext, room: Room, connection: Connection, r: BoundedReader): void | Promise<void> {
  const syncType = r.varUint();
  if (syncType === SyncType.step1) {
    count(ctx, 'sync_step1');
    const stateVector = readPayload(r);
    validateStateVector(stateVector, ctx.config.limits.update);
    connection.send(syncMessage(SyncType.step2, Y.encodeStateAsUpdate(room.doc, stateVector)));
    return;
  }
  if (syncType !== SyncType.step2 && syncType !== SyncType.update) reject('bad-sync-type');
  count(ctx, syncType === SyncType.step2 ? 'sync_step2' : 'sync_update');
  if (!connection.canWrite) {
    // View-only: the document is never touched, whatever the bytes are.
    ctx.metrics.inc('reckon_view_updates_dropped_total', 'Document updates from view-only peers, dropped');
    return;
  }
  const update = readPayload(r);
  const { integrationSteps } = validateUpdate(update, ctx.config.limits.update);
  if (integrationSteps > ctx.config.limits.update.maxIntegrationSteps) return applyAfterTrial(ctx, room, connection, update);
  applyUpdate(ctx, room, connection, update);
}

/** Applies a validated update; the room persists and broadcasts it. */
function applyUpdate(ctx: RelayContext, room: Room, connection: Connection, update: Uint8Array): void {
  const started = performance.now();
  // Origin = the connection: the room's update handler persists, then
  // broadcasts to everyone but this connection.
  Y.applyUpdate(room.doc, update, connection);
  const elapsed = performance.now() - started;
  ctx.metrics.inc('reckon_updates_applied_total', 'Client updates applied to room docs');
  if (!connection.limiter.chargeApply(elapsed, ctx.nowMs())) {
    connection.close('apply-budget', CloseCode.policyViolation);
  }
}

/** An update whose estimated integration cost is high: try it in a worker first. */
async function applyAfterTrial(ctx: RelayContext, room: Room, connection: Connection, update: Uint8Array): Promise<void> {
  const { trialTimeoutMs, trialLoadTimeoutMs, trialHeapMb } = ctx.config.limits.update;
  const copy = update.slice(); // the socket's buffer is not ours to keep
  const result = await trialIntegration(Y.encodeStateAsUpdate(room.doc), copy, {
    timeoutMs: trialTimeoutMs,
    loadTimeoutMs: trialLoadTimeoutMs,
    maxHeapMb: trialHeapMb,
  });
  ctx.metrics.inc('reckon_integration_trials_total', 'Updates tried in a worker before applying', {
    result: result.ok ? 'ok' : result.reason,
  });
  if (!result.ok) reject('integration-cost');
  if (connection.closed || room.status !== 'ready') return;
  applyUpdate(ctx, room, connection, copy);
}

/**
 * An awareness update: [count]([clientID][clock][JSON state])*. Checked in
 * full before y-protocols applies it. Entries for a client id controlled by
 * a live connection of another token are dropped, so one peer cannot
 * overwrite or remove another's presence.
 */
function handleAwareness(ctx: RelayContext, room: Room, connection: Connection, update: Uint8Array): void {
  if (update.byteLength > ctx.config.limits.maxAwarenessBytes) reject('awareness-too-large');
  const r = new BoundedReader(update);
  const entries = r.count(3, Number.MAX_SAFE_INTEGER, 'awareness-entries');
  const accepted: Uint8Array[] = [];
  for (let i = 0; i < entries; i++) {
    const entryStart = r.pos;
    const clientID = r.varUint();
    const clock = r.varUint();
    const { start, length } = r.varBytes();
    let state: unknown;
    try {
      state = JSON.parse(utf8.decode(update.subarray(start, start + length)));
    } catch {
      reject('bad-awareness-state');
    }
    // Entries y-protocols would ignore (not newer) are skipped quietly: every
    // y-websocket client echoes the presence it receives back to the relay.
    if (!changesAwareness(room, clientID, clock, state)) continue;
    if (!mayControl(room, connection, clientID)) {
      ctx.metrics.inc('reckon_awareness_entries_dropped_total', 'Awareness entries for a client controlled by another peer');
      continue;
    }
    accepted.push(update.subarray(entryStart, r.pos));
  }
  if (!r.atEnd()) reject('trailing-bytes');
  if (accepted.length === 0) return;
  let filtered = update;
  if (accepted.length !== entries) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, accepted.length);
    for (const entry of accepted) encoding.writeUint8Array(encoder, entry);
    filtered = encoding.toUint8Array(encoder);
  }
  applyAwarenessUpdate(room.awareness, filtered, connection);
}

/** Would y-protocols apply this entry (same rule as applyAwarenessUpdate)? */
function changesAwareness(room: Room, clientID: number, clock: number, state: unknown): boolean {
  const current = room.awareness.meta.get(clientID)?.clock ?? 0;
  return current < clock || (current === clock && state === null && room.awareness.states.has(clientID));
}

/**
 * May `connection` set the presence of `clientID`? Not while a live
 * connection with another token controls it. The same token (the same person
 * reconnecting before the old socket was noticed dead) may take it over; the
 * room moves ownership when the entry is applied.
 */
function mayControl(room: Room, connection: Connection, clientID: number): boolean {
  for (const other of room.connections) {
    if (other !== connection && other.awarenessClients.has(clientID) && other.claims.id !== connection.claims.id) {
      return false;
    }
  }
  return true;
}

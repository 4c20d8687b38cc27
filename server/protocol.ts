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
import { BoundedReader, reject, UpdateRejected } from './binary-reader';
import { CloseCode, type RelayContext } from './context';
import type { Connection } from './connection';
import type { Room } from './room';
import { awarenessMessage, MessageType, syncMessage, SyncType } from './messages';
import { trialIntegration } from './integration-trial';
import { validateAgainstRoom } from './dependencies';
import { validateStateVector, type UpdateStats } from './validate-update';

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
      if (!connection.limiter.admitAwarenessQuery(ctx.nowMs())) return connection.close('rate-limit', CloseCode.policyViolation);
      if (!connection.answerCredit(ctx.nowMs()) && room.awarenessBytes > ctx.config.limits.smallAnswerBytes) {
        return connection.close('answer-budget', CloseCode.policyViolation);
      }
      answer(ctx, connection, awarenessMessage(room.awareness, [...room.awareness.getStates().keys()]));
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

/** Sends an answer the peer asked for and charges it to its answer budgets. */
function answer(ctx: RelayContext, connection: Connection, message: Uint8Array): void {
  connection.chargeAnswer(message.byteLength, ctx.nowMs());
  ctx.metrics.inc('reckon_answer_bytes_total', 'Bytes sent answering sync step 1 and presence queries', {}, message.byteLength);
  connection.send(message);
}

/**
 * Sync step 1: the peer's state vector, answered with what the room has beyond it. Costs the relay
 * an encoding of (up to) the whole room, so it is budgeted: a peer that has everything gets its
 * (small) answer anyway (the page's "saved?" probe); any other answer needs credit in the
 * connection's, token's and address's answer budgets, checked before the answer is made.
 *
 * The answer is what tells a page its edits are saved (web/state/sync-status.ts), so it waits until
 * every update the room applied before it is stored (room.durable); this connection's later
 * messages wait with it, in order.
 */
function handleStep1(ctx: RelayContext, room: Room, connection: Connection, stateVector: Uint8Array): void | Promise<void> {
  if (!connection.limiter.admitSyncStep1(ctx.nowMs())) return connection.close('rate-limit', CloseCode.policyViolation);
  validateStateVector(stateVector, ctx.config.limits.update);
  if (!room.isDurable()) {
    const copy = stateVector.slice(); // the socket's buffer is not ours to keep
    return room.durable().then(() => answerStep1(ctx, room, connection, copy));
  }
  answerStep1(ctx, room, connection, stateVector);
}

function answerStep1(ctx: RelayContext, room: Room, connection: Connection, stateVector: Uint8Array): void {
  if (connection.closed || room.status !== 'ready') return;
  const nowMs = ctx.nowMs();
  const credit = connection.answerCredit(nowMs);
  if (!credit && !coversRoom(room, Y.decodeStateVector(stateVector))) return connection.close('answer-budget', CloseCode.policyViolation);
  const message = syncMessage(SyncType.step2, Y.encodeStateAsUpdate(room.doc, stateVector));
  if (!credit && message.byteLength > ctx.config.limits.smallAnswerBytes) return connection.close('answer-budget', CloseCode.policyViolation);
  answer(ctx, connection, message);
}

/** Does a peer's state vector have every struct the room has (its answer is only the delete set)? */
function coversRoom(room: Room, peer: Map<number, number>): boolean {
  for (const [client, structs] of room.doc.store.clients) {
    const last = structs[structs.length - 1];
    if (last && (peer.get(client) ?? 0) < last.id.clock + last.length) return false;
  }
  return true;
}

function handleSync(ctx: RelayContext, room: Room, connection: Connection, r: BoundedReader): void | Promise<void> {
  const syncType = r.varUint();
  if (syncType === SyncType.step1) {
    count(ctx, 'sync_step1');
    return handleStep1(ctx, room, connection, readPayload(r));
  }
  if (syncType !== SyncType.step2 && syncType !== SyncType.update) reject('bad-sync-type');
  count(ctx, syncType === SyncType.step2 ? 'sync_step2' : 'sync_update');
  if (!connection.canWrite) {
    // View-only: the document is never touched, whatever the bytes are.
    ctx.metrics.inc('reckon_view_updates_dropped_total', 'Document updates from view-only peers, dropped');
    return;
  }
  const update = readPayload(r);
  let stats: UpdateStats;
  try {
    stats = checkUpdate(ctx, room, update);
  } catch (error) {
    if (!isPendingStructs(error) || !room.shared) throw error;
    // Shared rooms: the peer may have seen an update through another process (another tab, a
    // reconnect) before this process applied it. Catch up from the shared log, then judge again.
    const copy = update.slice();
    return room.catchUp().then(() => checkAndApply(ctx, room, connection, copy));
  }
  if (stats.integrationSteps > ctx.config.limits.update.maxIntegrationSteps) return applyAfterTrial(ctx, room, connection, update);
  applyUpdate(ctx, room, connection, update, stats);
}

function isPendingStructs(error: unknown): boolean {
  return error instanceof UpdateRejected && error.reason === 'pending-structs';
}

function checkAndApply(ctx: RelayContext, room: Room, connection: Connection, update: Uint8Array): void | Promise<void> {
  if (connection.closed || room.status !== 'ready') return;
  const stats = checkUpdate(ctx, room, update);
  if (stats.integrationSteps > ctx.config.limits.update.maxIntegrationSteps) return applyAfterTrial(ctx, room, connection, update);
  applyUpdate(ctx, room, connection, update, stats);
}

/**
 * Everything an update must pass before the room sees it: well-formed and bounded (validate-update.ts),
 * nothing left pending (dependencies.ts), and within the room's memory budget.
 */
export function checkUpdate(ctx: RelayContext, room: Room, update: Uint8Array): UpdateStats {
  const stats = validateAgainstRoom(update, { get: (client) => Y.getState(room.doc.store, client) }, ctx.config.limits.update);
  if (room.heapEstimate + stats.estimatedHeapBytes > ctx.config.limits.maxRoomHeapBytes) reject('room-budget');
  return stats;
}

/** Applies a checked update; the room persists and broadcasts it. */
function applyUpdate(ctx: RelayContext, room: Room, connection: Connection, update: Uint8Array, stats: UpdateStats): void {
  const started = performance.now();
  // Origin = the connection: the room's update handler persists, then
  // broadcasts to everyone but this connection.
  room.apply(update, connection, stats.estimatedHeapBytes);
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
  const result = await trialIntegration(() => Y.encodeStateAsUpdate(room.doc), copy, {
    timeoutMs: trialTimeoutMs,
    loadTimeoutMs: trialLoadTimeoutMs,
    maxHeapMb: trialHeapMb,
  });
  ctx.metrics.inc('reckon_integration_trials_total', 'Updates tried in a worker before applying', {
    result: result.ok ? 'ok' : result.reason,
  });
  if (!result.ok) reject(result.reason === 'busy' ? 'trials-busy' : 'integration-cost');
  if (connection.closed || room.status !== 'ready') return;
  // The room may have changed while the trial ran: checked again against it.
  applyUpdate(ctx, room, connection, copy, checkUpdate(ctx, room, copy));
}

/**
 * An awareness update: [count]([clientID][clock][JSON state])*. Checked in
 * full before y-protocols applies it. Entries are dropped (and counted) when
 * their client id is controlled by a live connection of another token (one
 * peer cannot overwrite or remove another's presence), when the state is
 * larger than a presence can be, when the connection already controls as
 * many client ids as it may, or when the room's presence would outgrow its
 * budget. The whole message is dropped when fanning it out would overspend
 * the connection's fan-out budget (presence is resent every 15 s anyway).
 */
function handleAwareness(ctx: RelayContext, room: Room, connection: Connection, update: Uint8Array): void {
  const { limits } = ctx.config;
  if (update.byteLength > limits.maxAwarenessBytes) reject('awareness-too-large');
  const r = new BoundedReader(update);
  const entries = r.count(3, Number.MAX_SAFE_INTEGER, 'awareness-entries');
  const accepted: Uint8Array[] = [];
  const sizes = new Map<number, number>();
  let roomBytes = room.awarenessBytes;
  let controlled = connection.awarenessClients.size;
  const drop = (why: string) => ctx.metrics.inc('reckon_awareness_entries_dropped_total', 'Awareness entries dropped', { reason: why });
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
      drop('other-peer');
      continue;
    }
    const size = state === null ? 0 : length;
    if (size > limits.maxAwarenessStateBytes) {
      drop('state-too-large');
      continue;
    }
    const isNew = !connection.awarenessClients.has(clientID) && !sizes.has(clientID);
    if (isNew && state !== null && controlled >= limits.maxAwarenessClientsPerConnection) {
      drop('too-many-clients');
      continue;
    }
    const next = roomBytes - (sizes.get(clientID) ?? room.awarenessSize(clientID)) + size;
    if (size > 0 && next > limits.maxRoomAwarenessBytes) {
      drop('room-full');
      continue;
    }
    if (isNew && state !== null) controlled++;
    roomBytes = next;
    sizes.set(clientID, size);
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
  if (!connection.limiter.admitFanout(filtered.byteLength * room.connections.size, ctx.nowMs())) {
    ctx.metrics.inc('reckon_awareness_messages_dropped_total', 'Awareness messages dropped: the fan-out budget of their connection was spent');
    return;
  }
  room.noteAwarenessSizes(sizes);
  applyAwarenessUpdate(room.awareness, filtered, connection);
}

/** Would y-protocols apply this entry (same rule as applyAwarenessUpdate)? */
function changesAwareness(room: Room, clientID: number, clock: number, state: unknown): boolean {
  const current = room.awareness.meta.get(clientID)?.clock ?? 0;
  return current < clock || (current === clock && state === null && room.awareness.states.has(clientID));
}

/**
 * May `connection` set the presence of `clientID`? Not while a live
 * connection with another token controls it, on this process or another. The
 * same token (the same person reconnecting before the old socket was noticed
 * dead) may take it over; the room moves ownership when the entry is applied.
 */
function mayControl(room: Room, connection: Connection, clientID: number): boolean {
  const remote = room.remoteOwners.get(clientID);
  if (remote !== undefined && remote !== '' && remote !== connection.claims.id) return false;
  for (const other of room.connections) {
    if (other !== connection && other.awarenessClients.has(clientID) && other.claims.id !== connection.claims.id) {
      return false;
    }
  }
  return true;
}

// Message numbers of the y-websocket protocol, and the two messages the
// relay composes: a sync message and an awareness message.

import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';

export const MessageType = {
  sync: 0,
  awareness: 1,
  /** y-websocket's auth message; never sent by clients. */
  auth: 2,
  queryAwareness: 3,
} as const;

export const SyncType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;

/** [0 sync][syncType][payload]: payload is a state vector (step 1) or an update. */
export function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** [1 awareness][the states of `clients`] (a removed client is sent as null). */
export function awarenessMessage(awareness: Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

// Message and sub-message numbers of the y-websocket protocol.

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

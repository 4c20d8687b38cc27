// What every part of the relay shares: configuration, the store, metrics,
// the logger and the clock. Passed explicitly, never imported as a global.

import type { RelayConfig } from './config';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { RoomLinks } from './room-link';
import type { LimitStore } from './limits';

export interface RelayContext {
  readonly config: RelayConfig;
  /** Where rooms are stored (and, with Redis, shared with other relay processes). */
  readonly links: RoomLinks;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Budgets per address and per token (limits.ts). */
  readonly limitStore: LimitStore;
  /** Milliseconds; injectable for tests. */
  readonly nowMs: () => number;
}

/** Websocket close codes used by the relay (1000-range are RFC 6455). */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  invalidData: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  /**
   * 4400-4499: y-websocket clients treat these as permanent and stop
   * reconnecting (their default `shouldReconnect`).
   */
  revoked: 4403,
  /** The token expired (permanent too: a new link is needed). */
  expired: 4401,
  /** 4500-4599: "try again later"; stock clients reconnect. A viewer shed for an editor in a full room. */
  roomFull: 4503,
} as const;

/** Why a connection was closed by the relay (metrics label, log field). */
export type CloseReason =
  | 'malformed'
  | 'oversized'
  | 'rate-limit'
  | 'apply-budget'
  | 'slow-consumer'
  | 'revoked'
  | 'expired'
  | 'heartbeat'
  | 'queue-full'
  | 'room-failed'
  | 'room-full'
  | 'answer-budget'
  | 'pending-structs'
  | 'unknown-delete-clients'
  | 'too-many-values'
  | 'room-budget'
  | 'trials-busy'
  | 'shutdown'
  | 'internal';

/**
 * Update refusals that are a matter of policy (the update is well-formed but would cost the room
 * too much): the connection is closed with 1008 and the reason, and its peer reconnects.
 */
export const POLICY_REFUSALS: ReadonlySet<string> = new Set(['pending-structs', 'unknown-delete-clients', 'too-many-values', 'room-budget', 'trials-busy']);

// Configuration of the relay: one typed object with defaults, and the mapping
// from environment variables used by `server/main.ts`. Every limit has a sane
// default so `startServer({})` is a working relay.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionRates } from './limits';

/**
 * Limits that protect the process. All sizes in bytes, rates per second. The per-connection token
 * buckets (messages, bytes, and milliseconds spent applying updates, which bounds the harm of
 * updates that are valid but costly to integrate: see validate-update.ts) are ConnectionRates.
 */
export interface RelayLimits extends ConnectionRates {
  /**
   * Largest websocket message accepted. The default (64 MiB) leaves room for a
   * whole-workbook sync step 2 (the 1M-installation workbook of the
   * architecture notes encodes to ~37 MB). Larger frames close the connection
   * with 1009 before being buffered.
   */
  maxMessageBytes: number;
  /** Largest awareness update (presence is tiny; this only bounds JSON.parse). */
  maxAwarenessBytes: number;
  maxRooms: number;
  maxConnections: number;
  maxConnectionsPerRoom: number;
  /** Messages held per connection while its room loads from the store. */
  maxQueuedMessages: number;
  /** A peer that stops reading is dropped once this much is buffered for it. */
  maxBufferedBytes: number;
  /** Bounds on decoding one Yjs update (see validate-update.ts). */
  update: UpdateLimits;
  /** POST /api/workspaces: per remote address, and for the whole process. */
  workspaceCreatePerMinute: number;
  workspaceCreateBurst: number;
  workspaceCreateGlobalPerMinute: number;
}

/** Bounds on one update from a client, checked before Yjs decodes it. */
export interface UpdateLimits {
  /** Estimated heap the decoder may allocate for one update. */
  maxDecodeHeapBytes: number;
  /** Client entries in the struct section, in the delete set, in a state vector. */
  maxClients: number;
  /** Nesting of `any` values and legacy JSON content. */
  maxDepth: number;
  /** Distinct root type names one update may name (each creates a type in the room doc). */
  maxRootKeys: number;
  maxSubdocs: number;
  /** Highest clock (and clock + length) accepted; far above any real history. */
  maxClock: number;
  /**
   * Estimated YATA conflict-resolution steps (see validate-update.ts) above
   * which an update is first tried in a worker. ~10-20 ns a step here.
   */
  maxIntegrationSteps: number;
  /** Time a trial may take to apply the update (after loading the room state). */
  trialTimeoutMs: number;
  /** Time a trial may take to load the room's state. */
  trialLoadTimeoutMs: number;
  /** Heap limit of the trial worker. */
  trialHeapMb: number;
}

export interface RelayConfig {
  host: string;
  port: number;
  /** Data directory: LevelDB rooms, the token secret, the token ledger and revocations. */
  dataDir: string;
  /** Built web app (vite output). */
  staticDir: string;
  /** Base URL printed in share links; defaults to the listening URL. */
  publicUrl: string | null;
  /** Rooms with no connection for this long are compacted and unloaded. */
  idleSeconds: number;
  /** A room is compacted after this many appended updates. */
  compactEvery: number;
  /** Websocket ping interval; a peer missing one pong is dropped. */
  heartbeatSeconds: number;
  /** How often the revocation file is re-read for revocations made by the CLI. */
  revocationPollSeconds: number;
  limits: RelayLimits;
}

const MiB = 1024 * 1024;

export const defaultUpdateLimits: UpdateLimits = {
  maxDecodeHeapBytes: 512 * MiB,
  maxClients: 250_000,
  maxDepth: 64,
  maxRootKeys: 1_000,
  maxSubdocs: 100,
  maxClock: 2 ** 48,
  maxIntegrationSteps: 2 ** 25,
  trialTimeoutMs: 1_000,
  trialLoadTimeoutMs: 30_000,
  trialHeapMb: 2_048,
};

export const defaultLimits: RelayLimits = {
  maxMessageBytes: 64 * MiB,
  maxAwarenessBytes: 1 * MiB,
  maxRooms: 5_000,
  maxConnections: 10_000,
  maxConnectionsPerRoom: 250,
  messagesPerSecond: 200,
  messageBurst: 1_000,
  bytesPerSecond: 8 * MiB,
  bytesBurst: 64 * MiB + 8 * MiB,
  applyMillisPerSecond: 250,
  applyMillisBurst: 2_000,
  maxQueuedMessages: 1_000,
  maxBufferedBytes: 256 * MiB,
  update: defaultUpdateLimits,
  workspaceCreatePerMinute: 10,
  workspaceCreateBurst: 10,
  workspaceCreateGlobalPerMinute: 120,
};

/** Repository root, from this file's location (server/config.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const defaultConfig: RelayConfig = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  staticDir: path.join(repoRoot, 'dist'),
  publicUrl: null,
  idleSeconds: 30,
  compactEvery: 500,
  heartbeatSeconds: 30,
  revocationPollSeconds: 2,
  limits: defaultLimits,
};

/** Partial configuration as callers write it: limits merge field by field. */
export type RelayConfigInput = Partial<Omit<RelayConfig, 'limits'>> & {
  limits?: Partial<Omit<RelayLimits, 'update'>> & { update?: Partial<UpdateLimits> };
};

export function resolveConfig(input: RelayConfigInput = {}): RelayConfig {
  const { limits, ...rest } = input;
  const merged: RelayConfig = {
    ...defaultConfig,
    ...stripUndefined(rest),
    limits: {
      ...defaultLimits,
      ...stripUndefined(limits ?? {}),
      update: { ...defaultUpdateLimits, ...stripUndefined(limits?.update ?? {}) },
    },
  };
  // The byte bucket must always admit one message of the maximum size.
  merged.limits.bytesBurst = Math.max(merged.limits.bytesBurst, merged.limits.maxMessageBytes);
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Environment variables: PORT, HOST, DATA_DIR, STATIC_DIR, PUBLIC_URL, and
 * RECKON_* for the limits (see server/README.md). A malformed number throws:
 * a relay that silently ignores its configuration is worse than one that
 * refuses to start.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): RelayConfigInput {
  const num = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
    return value;
  };
  return {
    host: env.HOST || undefined,
    port: num('PORT'),
    dataDir: env.DATA_DIR || undefined,
    staticDir: env.STATIC_DIR || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    idleSeconds: num('RECKON_IDLE_SECONDS'),
    compactEvery: num('RECKON_COMPACT_EVERY'),
    heartbeatSeconds: num('RECKON_HEARTBEAT_SECONDS'),
    limits: {
      maxMessageBytes: num('RECKON_MAX_MESSAGE_BYTES'),
      maxRooms: num('RECKON_MAX_ROOMS'),
      maxConnections: num('RECKON_MAX_CONNECTIONS'),
      maxConnectionsPerRoom: num('RECKON_MAX_CONNECTIONS_PER_ROOM'),
      messagesPerSecond: num('RECKON_MESSAGES_PER_SECOND'),
      bytesPerSecond: num('RECKON_BYTES_PER_SECOND'),
    },
  };
}

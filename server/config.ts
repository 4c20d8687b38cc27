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
 * Every limit is documented, with its default and its environment variable, in server/README.md.
 */
export interface RelayLimits extends ConnectionRates {
  /**
   * Largest websocket message accepted. The default (64 MiB) leaves room for a
   * whole-workbook sync step 2 (the 1M-installation workbook of the
   * architecture notes encodes to ~37 MB). Larger frames close the connection
   * with 1009 before being buffered; a larger document is uploaded in pieces
   * (POST /api/upload, uploads.ts).
   */
  maxMessageBytes: number;
  /** Largest awareness message (presence is tiny; this only bounds JSON.parse). */
  maxAwarenessBytes: number;
  /** Largest presence state of one client (its JSON). */
  maxAwarenessStateBytes: number;
  /** Presence a room holds in all (JSON bytes); entries past it are dropped. */
  maxRoomAwarenessBytes: number;
  /** Presence entries (client ids) one connection may control. */
  maxAwarenessClientsPerConnection: number;
  maxRooms: number;
  maxConnections: number;
  maxConnectionsPerRoom: number;
  /** Open connections from one remote address (all rooms). */
  maxConnectionsPerAddress: number;
  /** Open connections using one share token. */
  maxConnectionsPerToken: number;
  /** Bytes received from one remote address (all its connections), per second (and burst). */
  addressBytesPerSecond: number;
  addressBytesBurst: number;
  /** New websocket connections per remote address, per minute (and burst). */
  upgradesPerAddressPerMinute: number;
  upgradesBurst: number;
  /** Messages held per connection while its room loads from the store. */
  maxQueuedMessages: number;
  /** A peer that stops reading is dropped once this much is buffered for it. */
  maxBufferedBytes: number;
  /** Bounds on decoding one Yjs update (see validate-update.ts). */
  update: UpdateLimits;
  /**
   * The answers a peer makes the relay send (sync step 2 answering its step 1, the presence
   * answering a query) are charged, in bytes, to buckets per connection, per token and per
   * address. An answer is sent while all three are in credit (or when it is small), then charged:
   * one full copy of a room is always possible, repeating it is throttled.
   */
  answerBytesPerSecond: number;
  answerBytesBurst: number;
  tokenAnswerBytesPerSecond: number;
  tokenAnswerBytesBurst: number;
  addressAnswerBytesPerSecond: number;
  addressAnswerBytesBurst: number;
  /** Answers up to this size pass even when a bucket is spent (a page's "saved?" probe); still charged. */
  smallAnswerBytes: number;
  /** Sync step 1 messages per connection, per second (and burst). */
  syncStep1PerSecond: number;
  syncStep1Burst: number;
  /** Presence queries per connection, per second (and burst); stock clients never send them. */
  awarenessQueriesPerSecond: number;
  awarenessQueriesBurst: number;
  /** Presence bytes a connection may make the relay fan out (message × recipients), per second; past it, dropped. */
  awarenessFanoutBytesPerSecond: number;
  awarenessFanoutBytesBurst: number;
  /** Estimated heap one room may take (its stored state and what peers add); updates past it are refused. */
  maxRoomHeapBytes: number;
  /** POST /api/workspaces: per remote address, and for the whole process. */
  workspaceCreatePerMinute: number;
  workspaceCreateBurst: number;
  workspaceCreateGlobalPerMinute: number;
  /** Workspaces one address may create in 24 hours (an operator credential is not limited). */
  workspacesPerAddressPerDay: number;
  /** Every /api/* request, per remote address and per token: per minute (and burst). */
  apiPerAddressPerMinute: number;
  apiPerTokenPerMinute: number;
  apiBurst: number;
  /** POST /api/share, per token and per address: per minute (and burst). */
  sharePerMinute: number;
  shareBurst: number;
  /** Tokens issued for one workspace (the ledger cannot be grown without bound through one). */
  maxTokensPerWorkspace: number;
  /** Largest document uploaded in pieces (POST /api/upload). */
  maxUploadBytes: number;
  /** Largest piece of an upload (one request body). */
  maxUploadPieceBytes: number;
  /** Bytes held by all uploads in progress. */
  uploadMemoryBytes: number;
  /** An upload with no piece for this long is dropped. */
  uploadIdleSeconds: number;
}

/** Bounds on one update from a client, checked before Yjs decodes it. */
export interface UpdateLimits {
  /** Estimated heap the decoder may allocate for one update. */
  maxDecodeHeapBytes: number;
  /** Client entries in the struct section, in the delete set, in a state vector. */
  maxClients: number;
  /** Nesting of `any` values and legacy JSON content. */
  maxDepth: number;
  /**
   * Items and values (each element of an array of values) in one update: what integrating it
   * allocates one by one. A 28 MB update of 30M nulls took the relay to 2.7 GB.
   */
  maxValues: number;
  /**
   * Clients a delete set may name whose deleted ranges the room does not have: Yjs keeps such
   * deletions pending and retries them on every later update (and stores them with the room).
   */
  maxUnknownDeleteClients: number;
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
  /**
   * Bearer credential of the operator: it creates workspaces without the per-address limits. With
   * `workspaceCreation: 'operator'` nobody else can create one.
   */
  operatorToken: string | null;
  workspaceCreation: 'open' | 'operator';
  /** Behind a reverse proxy: the client's address is the first of X-Forwarded-For. */
  trustProxy: boolean;
  /**
   * Redis (`redis://[:password@]host:port[/db]`, `rediss://` for TLS): relay processes given the same
   * URL share rooms, tokens, revocations and limits (server/README.md, "Several processes"). Null:
   * one process, the data directory (LevelDB and files).
   */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel (several deployments, or tests, on one Redis). */
  redisPrefix: string;
  /**
   * The token secret (64 hex digits). Default: `<dataDir>/token-secret`, or with Redis one kept in
   * Redis (created by the first process). Processes sharing rooms must share it.
   */
  tokenSecret: string | null;
  /** A process that has not renewed its heartbeat in Redis for this long no longer counts (its connections are freed). */
  processTtlSeconds: number;
  limits: RelayLimits;
}

const MiB = 1024 * 1024;

export const defaultUpdateLimits: UpdateLimits = {
  maxDecodeHeapBytes: 512 * MiB,
  maxClients: 250_000,
  maxDepth: 64,
  maxValues: 2_000_000,
  maxUnknownDeleteClients: 16,
  maxRootKeys: 1_000,
  maxSubdocs: 100,
  maxClock: 2 ** 48,
  maxIntegrationSteps: 2 ** 25,
  trialTimeoutMs: 1_000,
  trialLoadTimeoutMs: 30_000,
  trialHeapMb: 1_024,
};

export const defaultLimits: RelayLimits = {
  maxMessageBytes: 64 * MiB,
  maxAwarenessBytes: 64 * 1024,
  maxAwarenessStateBytes: 8 * 1024,
  maxRoomAwarenessBytes: 1 * MiB,
  maxAwarenessClientsPerConnection: 8,
  maxRooms: 5_000,
  maxConnections: 10_000,
  maxConnectionsPerRoom: 250,
  maxConnectionsPerAddress: 200,
  maxConnectionsPerToken: 100,
  upgradesPerAddressPerMinute: 300,
  upgradesBurst: 60,
  addressBytesPerSecond: 16 * MiB,
  addressBytesBurst: 128 * MiB,
  messagesPerSecond: 200,
  messageBurst: 1_000,
  bytesPerSecond: 8 * MiB,
  bytesBurst: 64 * MiB + 8 * MiB,
  applyMillisPerSecond: 250,
  applyMillisBurst: 2_000,
  maxQueuedMessages: 1_000,
  maxBufferedBytes: 256 * MiB,
  update: defaultUpdateLimits,
  answerBytesPerSecond: 1 * MiB,
  answerBytesBurst: 32 * MiB,
  tokenAnswerBytesPerSecond: 4 * MiB,
  tokenAnswerBytesBurst: 256 * MiB,
  addressAnswerBytesPerSecond: 8 * MiB,
  addressAnswerBytesBurst: 512 * MiB,
  smallAnswerBytes: 64 * 1024,
  syncStep1PerSecond: 50,
  syncStep1Burst: 200,
  awarenessQueriesPerSecond: 1,
  awarenessQueriesBurst: 5,
  awarenessFanoutBytesPerSecond: 2 * MiB,
  awarenessFanoutBytesBurst: 8 * MiB,
  maxRoomHeapBytes: 1024 * MiB,
  workspaceCreatePerMinute: 10,
  workspaceCreateBurst: 10,
  workspaceCreateGlobalPerMinute: 120,
  workspacesPerAddressPerDay: 50,
  apiPerAddressPerMinute: 300,
  apiPerTokenPerMinute: 300,
  apiBurst: 100,
  sharePerMinute: 20,
  shareBurst: 20,
  maxTokensPerWorkspace: 1_000,
  maxUploadBytes: 1024 * MiB,
  maxUploadPieceBytes: 8 * MiB,
  uploadMemoryBytes: 2048 * MiB,
  uploadIdleSeconds: 120,
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
  operatorToken: null,
  workspaceCreation: 'open',
  trustProxy: false,
  redisUrl: null,
  redisPrefix: 'reckon:',
  tokenSecret: null,
  processTtlSeconds: 15,
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
  merged.limits.addressBytesBurst = Math.max(merged.limits.addressBytesBurst, merged.limits.maxMessageBytes);
  if (merged.tokenSecret !== null && !/^[0-9a-f]{64}$/i.test(merged.tokenSecret)) {
    throw new Error('the token secret (RECKON_TOKEN_SECRET) must be 64 hex digits (32 bytes)');
  }
  if (merged.workspaceCreation === 'operator' && !merged.operatorToken) {
    throw new Error('workspace creation by the operator only needs an operator token (RECKON_OPERATOR_TOKEN)');
  }
  return merged;
}

/** Environment variable of each limit (server/README.md's configuration table lists them all). */
export const LIMIT_ENV: Partial<Record<keyof Omit<RelayLimits, 'update'>, string>> = {
  maxMessageBytes: 'RECKON_MAX_MESSAGE_BYTES',
  maxRooms: 'RECKON_MAX_ROOMS',
  maxConnections: 'RECKON_MAX_CONNECTIONS',
  maxConnectionsPerRoom: 'RECKON_MAX_CONNECTIONS_PER_ROOM',
  maxConnectionsPerAddress: 'RECKON_MAX_CONNECTIONS_PER_ADDRESS',
  maxConnectionsPerToken: 'RECKON_MAX_CONNECTIONS_PER_TOKEN',
  upgradesPerAddressPerMinute: 'RECKON_UPGRADES_PER_ADDRESS_PER_MINUTE',
  addressBytesPerSecond: 'RECKON_ADDRESS_BYTES_PER_SECOND',
  messagesPerSecond: 'RECKON_MESSAGES_PER_SECOND',
  bytesPerSecond: 'RECKON_BYTES_PER_SECOND',
  answerBytesPerSecond: 'RECKON_ANSWER_BYTES_PER_SECOND',
  answerBytesBurst: 'RECKON_ANSWER_BYTES_BURST',
  tokenAnswerBytesPerSecond: 'RECKON_TOKEN_ANSWER_BYTES_PER_SECOND',
  addressAnswerBytesPerSecond: 'RECKON_ADDRESS_ANSWER_BYTES_PER_SECOND',
  syncStep1PerSecond: 'RECKON_SYNC_STEP1_PER_SECOND',
  awarenessQueriesPerSecond: 'RECKON_AWARENESS_QUERIES_PER_SECOND',
  maxAwarenessStateBytes: 'RECKON_MAX_AWARENESS_STATE_BYTES',
  maxRoomAwarenessBytes: 'RECKON_MAX_ROOM_AWARENESS_BYTES',
  maxRoomHeapBytes: 'RECKON_MAX_ROOM_HEAP_BYTES',
  workspacesPerAddressPerDay: 'RECKON_WORKSPACES_PER_ADDRESS_PER_DAY',
  workspaceCreatePerMinute: 'RECKON_WORKSPACE_CREATE_PER_MINUTE',
  apiPerAddressPerMinute: 'RECKON_API_PER_ADDRESS_PER_MINUTE',
  apiPerTokenPerMinute: 'RECKON_API_PER_TOKEN_PER_MINUTE',
  sharePerMinute: 'RECKON_SHARE_PER_MINUTE',
  maxTokensPerWorkspace: 'RECKON_MAX_TOKENS_PER_WORKSPACE',
  maxUploadBytes: 'RECKON_MAX_UPLOAD_BYTES',
  uploadMemoryBytes: 'RECKON_UPLOAD_MEMORY_BYTES',
};

export const UPDATE_LIMIT_ENV: Partial<Record<keyof UpdateLimits, string>> = {
  maxValues: 'RECKON_MAX_UPDATE_VALUES',
  maxUnknownDeleteClients: 'RECKON_MAX_UNKNOWN_DELETE_CLIENTS',
};

function creation(raw: string | undefined): RelayConfig['workspaceCreation'] | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'open' && raw !== 'operator') throw new Error('RECKON_WORKSPACE_CREATION must be "open" or "operator"');
  return raw;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Environment variables: PORT, HOST, DATA_DIR, STATIC_DIR, PUBLIC_URL, REDIS_URL,
 * and RECKON_* for the rest and the limits (see server/README.md). A malformed number throws:
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
    operatorToken: env.RECKON_OPERATOR_TOKEN || undefined,
    workspaceCreation: creation(env.RECKON_WORKSPACE_CREATION),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.RECKON_REDIS_PREFIX || undefined,
    tokenSecret: env.RECKON_TOKEN_SECRET || undefined,
    processTtlSeconds: num('RECKON_PROCESS_TTL_SECONDS'),
    trustProxy: env.RECKON_TRUST_PROXY === undefined || env.RECKON_TRUST_PROXY === '' ? undefined : env.RECKON_TRUST_PROXY === '1' || env.RECKON_TRUST_PROXY === 'true',
    limits: {
      ...Object.fromEntries(Object.entries(LIMIT_ENV).map(([key, name]) => [key, num(name)])),
      update: Object.fromEntries(Object.entries(UPDATE_LIMIT_ENV).map(([key, name]) => [key, num(name)])),
    },
  };
}

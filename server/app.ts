// One process, one port: the built web app, the sharing API, health and
// metrics over HTTP, and the relay on websocket upgrade.
//
//   const server = await startServer({ port: 0, dataDir });
//   server.url            // http://127.0.0.1:<port>
//   await server.close(); // closes peers, writes every room, closes the store

import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { resolveConfig, type RelayConfig, type RelayConfigInput } from './config';
import type { RelayContext } from './context';
import { handleApi, sendJson } from './api';
import { createAuthorizer } from './auth';
import { memoryLimitStore, type LimitStore } from './limits';
import { consoleLogger, describeError, rateLimitedLogger, type Logger } from './log';
import { Metrics } from './metrics';
import { Relay } from './relay';
import { Uploads } from './uploads';
import { estimateHeap } from './validate-update';
import { StaticFiles } from './static';
import type { RoomStore } from './store';
import { LevelDbRoomStore } from './store-leveldb';
import { LocalRoomLinks, type RoomLinks } from './room-link';
import type { Ledger, Revocations } from './sharing';
import { loadOrCreateSecret, RevocationList, TokenLedger } from './token-files';
import type { Cluster } from './redis/cluster';
import { isWorkspaceId, mintToken, shareLink, type Role } from './tokens';

export interface StartServerOptions extends RelayConfigInput {
  /** Defaults to LevelDB in `<dataDir>/rooms`. Closed by `close()` either way. Not used with Redis. */
  store?: RoomStore;
  /** Budgets per address and per token; defaults to this process's memory (limits.ts). */
  limitStore?: LimitStore;
  log?: Logger;
  nowMs?: () => number;
  /**
   * Called once listening, before startServer resolves: e.g. to seed a demo
   * workspace and print or open its link.
   */
  onStart?: (server: ServerHandle) => void | Promise<void>;
}

export interface ShareLink {
  token: string;
  tokenId: string;
  url: string;
}

/** What a caller (or the onStart hook) can do with a running server. */
export interface ServerHandle {
  url: string;
  port: number;
  config: RelayConfig;
  metrics: Metrics;
  /** Mints a token (recorded in the ledger) and returns its link. */
  mintShareLink(workspace: string, role: Role, expiresInSeconds?: number): ShareLink;
  /** The workspace's current state (loaded room or store), or null if never written. */
  readWorkspace(workspace: string): Promise<Uint8Array | null>;
  /** Applies a server-side update to the workspace: stored, and sent to its peers. */
  writeWorkspace(workspace: string, update: Uint8Array): Promise<void>;
}

export interface RunningServer extends ServerHandle {
  close(): Promise<void>;
}

const SERVER_ORIGIN = Symbol('server');

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const { store: givenStore, log: givenLog = consoleLogger, nowMs = Date.now, onStart, limitStore: _limitStore, ...input } = options;
  const log = rateLimitedLogger(givenLog, 60, nowMs);
  const config = resolveConfig(input);
  const metrics = new Metrics();
  // With Redis, rooms, tokens, revocations and limits are shared by every process given the same
  // URL; the Redis client is loaded only then (server/redis/).
  let cluster: Cluster | null = null;
  if (config.redisUrl !== null) {
    const { connectCluster } = await import('./redis/cluster');
    cluster = await connectCluster(config, { log, metrics, nowMs });
  }
  const secret = cluster?.secret ?? (config.tokenSecret !== null ? Buffer.from(config.tokenSecret, 'hex') : loadOrCreateSecret(config.dataDir));
  const ledger: Ledger = cluster?.ledger ?? new TokenLedger(config.dataDir);
  const revocations: Revocations = cluster?.revocations ?? new RevocationList(config.dataDir);
  const links: RoomLinks = cluster?.links ?? new LocalRoomLinks(givenStore ?? (await LevelDbRoomStore.open(path.join(config.dataDir, 'rooms'))));
  const limitStore = options.limitStore ?? cluster?.limitStore ?? memoryLimitStore(config.limits);
  const ctx: RelayContext = { config, links, metrics, log, nowMs, limitStore };
  const authorizer = createAuthorizer(secret, revocations, () => nowMs() / 1000);
  const relay = new Relay(ctx, authorizer, revocations);
  cluster?.setFigures(() => ({ connections: relay.connectionCount, rooms: relay.rooms.size }));
  const uploads = new Uploads(ctx, relay.rooms);
  const staticFiles = new StaticFiles(config.staticDir);
  metrics.gauge('process_resident_memory_bytes', 'Resident set size', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed);

  let baseUrl = '';
  let closing: Promise<void> | null = null;
  const publicUrl = (): string => config.publicUrl ?? baseUrl;
  const apiDeps = {
    secret,
    authorizer,
    ledger,
    revocations,
    metrics,
    log,
    nowMs,
    publicUrl,
    onRevoked: (tokenId: string) => relay.closeToken(tokenId),
    roomExists: async (workspace: string) => relay.rooms.has(workspace) || (await links.load(workspace)) !== null,
    claiming: new Set<string>(),
    config,
    limitStore,
    uploads,
    stateVector: async (workspace: string) => {
      const room = relay.rooms.get(workspace);
      if (room && (await room.loaded) && room.status === 'ready') return Y.encodeStateVector(room.doc);
      const state = await links.load(workspace);
      return state === null ? null : Y.encodeStateVectorFromUpdate(state);
    },
  };
  const sweep = setInterval(() => uploads.sweep(), 10_000);
  sweep.unref();

  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Only the path is looked at; the query string (which may carry a token) is never logged.
    const pathname = (req.url ?? '/').split('?')[0] as string;
    handleRequest(req, res, pathname).catch((error) => {
      log('error', 'request-failed', { method: req.method, error: describeError(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.destroy();
    });
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (pathname === '/healthz') {
      // With Redis: whether it answers (a process that cannot reach it can neither load, store nor admit).
      const redis = cluster ? await cluster.health() : null;
      const ok = closing === null && (redis === null || redis.redis === 'ok');
      return sendJson(res, ok ? 200 : 503, {
        status: closing !== null ? 'shutting-down' : ok ? 'ok' : 'redis-unreachable',
        rooms: relay.rooms.size,
        connections: relay.connectionCount,
        ...(redis ?? {}),
      });
    }
    if (pathname === '/metrics') {
      await cluster?.refreshMetrics();
      const text = metrics.render();
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return;
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) return handleApi(apiDeps, req, res, pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method-not-allowed' });
    if (staticFiles.serve(req, res, pathname)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(staticFiles.resolve('/') === null ? 'Not found (is the web app built? run: npm run build)\n' : 'Not found\n');
  }

  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
  server.on('clientError', (_error, socket) => socket.destroy());

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Not listening (the port is taken): nothing was served, let go of what was opened.
    clearInterval(sweep);
    await relay.close();
    await links.close();
    await cluster?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  baseUrl = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;

  const handle: RunningServer = {
    url: baseUrl,
    port,
    config,
    metrics,
    mintShareLink(workspace, role, expiresInSeconds) {
      const { token, claims } = mintToken(secret, {
        workspace,
        role,
        nowSeconds: nowMs() / 1000,
        ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      });
      // A shared ledger records it with the next round trip to Redis (in order: this process's later
      // reads see it); a failure is logged.
      Promise.resolve(ledger.record(claims)).catch((error: unknown) => log('error', 'ledger-record-failed', { error: describeError(error) }));
      return { token, tokenId: claims.id, url: shareLink(publicUrl(), workspace, token) };
    },
    async readWorkspace(workspace) {
      const room = relay.rooms.get(workspace);
      if (room && (await room.loaded) && room.status === 'ready') return Y.encodeStateAsUpdate(room.doc);
      return links.load(workspace);
    },
    async writeWorkspace(workspace, update) {
      if (!isWorkspaceId(workspace)) throw new Error('invalid workspace id');
      const room = relay.rooms.acquire(workspace);
      if (!(await room.loaded)) throw new Error('workspace could not be loaded');
      room.apply(update, SERVER_ORIGIN, estimateHeap(update));
      await room.flush();
      if (room.connections.size === 0) relay.rooms.scheduleIdle(room);
    },
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        server.close();
        await relay.close();
        await links.close();
        await cluster?.close();
        server.closeAllConnections();
      })();
      return closing;
    },
  };

  if (onStart) {
    try {
      await onStart(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

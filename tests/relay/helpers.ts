// Shared helpers for the relay tests: a relay on a loopback port, stock
// y-websocket clients, raw websocket clients, and bounded waits (tests wait
// on conditions, never on sleeps).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach } from 'vitest';
import { WebSocket } from '../../server/node-deps';
import { WebsocketProvider } from 'y-websocket';
import { startServer, type RunningServer, type StartServerOptions } from '../../server/app';
import { syncMessage, SyncType } from '../../server/messages';
import { MemoryRoomStore } from '../../server/store';
import type { LogFields, Logger } from '../../server/log';
import { loadOrCreateSecret } from '../../server/token-files';
import { mintToken, type Role } from '../../server/tokens';

export function tempDir(prefix = 'reckon-relay-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Polls `condition` until true; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface LogLine {
  level: string;
  event: string;
  fields: LogFields;
}

export interface TestServer {
  server: RunningServer;
  store: MemoryRoomStore;
  dataDir: string;
  logs: LogLine[];
  wsUrl: string;
  token(workspace: string, role: Role, options?: { expiresInSeconds?: number; nowSeconds?: number }): string;
}

/**
 * A relay on 127.0.0.1:0 with a captured log, and an in-memory store unless
 * `leveldb` is set (then `store` is an unused placeholder).
 */
export async function startTestServer(options: StartServerOptions = {}, { leveldb = false } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const store = options.store instanceof MemoryRoomStore ? options.store : new MemoryRoomStore();
  const logs: LogLine[] = [];
  const log: Logger = (level, event, fields = {}) => logs.push({ level, event, fields });
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: path.join(dataDir, 'no-dist'),
    log,
    ...options,
    dataDir,
    ...(leveldb ? {} : { store: options.store ?? store }),
  });
  const secret = loadOrCreateSecret(dataDir);
  return {
    server,
    store,
    dataDir,
    logs,
    wsUrl: server.url.replace(/^http/, 'ws'),
    token(workspace, role, tokenOptions = {}) {
      const { expiresInSeconds, nowSeconds = Date.now() / 1000 } = tokenOptions;
      return mintToken(secret, {
        workspace,
        role,
        nowSeconds,
        ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      }).token;
    },
  };
}

/** A stock y-websocket client in Node (BroadcastChannel off: only the relay connects them). */
export function connectProvider(wsUrl: string, workspace: string, token: string, doc = new Y.Doc(), options: { address?: string } = {}): WebsocketProvider {
  return new WebsocketProvider(wsUrl, workspace, doc, {
    params: { token },
    WebSocketPolyfill: (options.address ? socketFrom(options.address) : WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
}

/** A WebSocket class whose connections claim to come from `address` (a relay started with trustProxy). */
export function socketFrom(address: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { 'X-Forwarded-For': address } });
    }
  } as unknown as typeof WebSocket;
}

export async function synced(provider: WebsocketProvider, what = 'provider synced'): Promise<void> {
  await waitFor(() => provider.synced, what);
}

/** A raw websocket that records what it receives and how it ended. */
export class RawClient {
  readonly socket: InstanceType<typeof WebSocket>;
  readonly messages: Uint8Array[] = [];
  opened = false;
  closeCode: number | null = null;
  /** Keep every message (false: only count bytes, for floods). */
  keepMessages = true;
  httpStatus: number | null = null;

  closeReason = '';
  /** Bytes received in all. */
  received = 0;

  constructor(url: string, options: { address?: string } = {}) {
    this.socket = options.address ? new WebSocket(url, { headers: { 'X-Forwarded-For': options.address } }) : new WebSocket(url);
    this.socket.binaryType = 'nodebuffer';
    this.socket.on('open', () => {
      this.opened = true;
    });
    this.socket.on('message', (data: Buffer) => {
      this.received += data.byteLength;
      if (this.keepMessages) this.messages.push(new Uint8Array(data));
    });
    this.socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
    this.socket.on('unexpected-response', (_req, res) => {
      this.httpStatus = res.statusCode ?? null;
      res.resume();
      this.socket.terminate();
    });
    this.socket.on('error', () => {});
  }

  async waitOpen(): Promise<void> {
    await waitFor(() => this.opened, 'raw client open');
  }

  async waitClosed(): Promise<number> {
    await waitFor(() => this.closeCode !== null, 'raw client closed');
    return this.closeCode as number;
  }

  send(bytes: Uint8Array | string): void {
    this.socket.send(bytes);
  }

  close(): void {
    this.socket.terminate();
  }
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  return syncMessage(SyncType.step1, Y.encodeStateVector(doc));
}

export function updateMessage(update: Uint8Array, syncType: number = SyncType.update): Uint8Array {
  return syncMessage(syncType, update);
}

/** A doc holding the given map entries (for building updates). */
export function docWith(entries: Record<string, unknown>, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const map = doc.getMap('m');
  for (const [key, value] of Object.entries(entries)) map.set(key, value);
  return doc;
}

/** Captures process.stdout/stderr writes (the CLI prints). */
export function captureOutput(): { stdout: string[]; stderr: string[]; restore: () => void } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => (stdout.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
  return {
    stdout,
    stderr,
    restore: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

export type Cleanup = () => Promise<void> | void;

/**
 * Registers an afterEach that runs the file's cleanups (last first), and gives `relay()`, which
 * starts a test server closed after the test.
 */
export function useRelays(): { cleanups: Cleanup[]; relay: (options?: StartServerOptions) => Promise<TestServer> } {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  const relay = async (options: StartServerOptions = {}): Promise<TestServer> => {
    const t = await startTestServer(options);
    cleanups.push(() => t.server.close());
    return t;
  };
  return { cleanups, relay };
}

// What the relay benches share: the relay in a child process (as deployed, LevelDB), its memory
// from /metrics, lean raw y-websocket peers, percentiles.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { repoRoot } from '../server/config';
import { syncMessage, SyncType } from '../server/messages';
import { WebSocket } from '../server/node-deps';

export type Socket = InstanceType<typeof WebSocket>;

export interface Relay {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

export async function startRelay(env: Record<string, string> = {}): Promise<Relay> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RECKON_IDLE_SECONDS: '3600', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', () => reject(new Error(`relay exited:\n${out}`)));
  });
  return { child, url, dataDir };
}

export async function stopRelay(relay: Relay): Promise<void> {
  const exited = new Promise((resolve) => relay.child.once('exit', resolve));
  relay.child.kill('SIGTERM');
  await exited;
  fs.rmSync(relay.dataDir, { recursive: true, force: true });
}

export async function relayMemory(relay: Relay): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  const read = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_used_bytes') };
}

/** Opens a raw y-websocket peer: sends sync step 1, answers the relay's step 1. */
export function openPeer(relay: Relay, room: string, token: string, doc: Y.Doc, onUpdate?: (update: Uint8Array) => void, address?: string): Promise<Socket> {
  const url = `${relay.url.replace(/^http/, 'ws')}/${room}?token=${token}`;
  // With an address, the peer claims it through X-Forwarded-For (a relay started with RECKON_TRUST_PROXY=1).
  const socket = address ? new WebSocket(url, { headers: { 'X-Forwarded-For': address } }) : new WebSocket(url);
  socket.binaryType = 'nodebuffer';
  socket.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== 0) return; // awareness
    const syncType = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (syncType === 0) socket.send(syncMessage(SyncType.step2, Y.encodeStateAsUpdate(doc, payload)));
    else onUpdate?.(payload);
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.send(syncMessage(SyncType.step1, Y.encodeStateVector(doc)));
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}


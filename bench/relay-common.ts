// What the relay benches share: the relay in a child process (as deployed: LevelDB, or Redis when
// REDIS_URL is in `env`), its memory from /metrics, lean raw y-websocket peers, percentiles, and
// the two load measures (fan-out in one room, idle rooms) over one relay or several.

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
    // Peers claim addresses of their own (X-Forwarded-For): one address may open only so many connections.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RECKON_IDLE_SECONDS: '3600', RECKON_TRUST_PROXY: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A bench that fails leaves no relay behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
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


/**
 * The edits an update carries, as `client:clock` (what identifies an edit here: each edit is one
 * struct of length 1). A relay may send several editors' edits in one update (a process that
 * stored them as one batch, sent on by another), so every client's range is read.
 */
function editIds(update: Uint8Array): string[] {
  const { from, to } = Y.parseUpdateMeta(update);
  const ids: string[] = [];
  for (const [client, start] of from) for (let clock = start; clock < (to.get(client) ?? start); clock++) ids.push(`${client}:${clock}`);
  return ids;
}

export interface FanOutOptions {
  editors: number;
  editsPerSecond: number;
  seconds: number;
}

/**
 * Fan-out: editors in one room ("fanout"), editor i on relays[i % relays.length], each making
 * `editsPerSecond` edits. Latency from an editor's send to each other editor's receipt, all clocks
 * in this process; editors are lean raw peers (each edit a Yjs update of the editor's own doc,
 * receipts recognized by the update's first struct id), so the figures measure the relays.
 */
export async function fanOut(relays: Relay[], token: (room: string) => string, options: FanOutOptions): Promise<Record<string, number>> {
  const { editors: EDITORS, editsPerSecond: EDITS_PER_SECOND, seconds: SECONDS } = options;
  /** Send time of each edit made inside the measuring window. */
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let edits = 0;
  const editors = await Promise.all(
    Array.from({ length: EDITORS }, async (_, i) => {
      const doc = new Y.Doc();
      doc.clientID = 1_000 + i;
      const socket = await openPeer(relays[i % relays.length] as Relay, 'fanout', token('fanout'), doc, (update) => {
        const now = performance.now();
        for (const id of editIds(update)) {
          const sent = sentAt.get(id);
          if (sent !== undefined) latencies.push(now - sent);
        }
      }, `10.200.${i >> 8}.${i & 255}`);
      doc.on('update', (update: Uint8Array) => socket.send(syncMessage(SyncType.update, update)));
      return { doc, socket, seq: 0 };
    }),
  );
  const edit = (editor: (typeof editors)[number], index: number): void => {
    if (measuring) {
      sentAt.set(`${editor.doc.clientID}:${Y.getState(editor.doc.store, editor.doc.clientID)}`, performance.now());
      edits++;
    }
    editor.doc.getMap('cells').set(`${index}:${editor.seq++}`, Math.random());
  };
  const timers = editors.map((editor, i) =>
    setTimeout(() => {
      timers[i] = setInterval(() => edit(editor, i), 1000 / EDITS_PER_SECOND);
    }, (i * 1000) / EDITS_PER_SECOND / EDITORS),
  );
  await new Promise((r) => setTimeout(r, 2_000)); // warm-up
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1_000));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  for (const t of timers) clearInterval(t);
  await new Promise((r) => setTimeout(r, 1_000)); // let the last deliveries land
  for (const { socket } of editors) socket.terminate();
  latencies.sort((a, b) => a - b);
  const expected = edits * (EDITORS - 1);
  return {
    editors: EDITORS,
    editsPerSecondPerEditor: EDITS_PER_SECOND,
    seconds: Math.round(elapsed),
    editsPerSecond: Math.round(edits / elapsed),
    deliveriesPerSecond: Math.round(latencies.length / elapsed),
    deliveredShare: Number((latencies.length / Math.max(1, expected)).toFixed(4)),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p95Ms: Number(percentile(latencies, 95).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number((latencies[latencies.length - 1] ?? NaN).toFixed(2)),
  };
}

/**
 * Idle rooms: `ROOMS` rooms with one peer and a small document each, room i on relays[i % n]; RSS
 * and heap of each relay before and after (summed in the result; per process in `perProcess`).
 */
export interface IdleRoomFigures {
  rooms: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapAfterMb: number;
  rssPerRoomKb: number;
  heapPerRoomKb: number;
  perProcess?: Array<{ rooms: number; rssBeforeMb: number; rssAfterMb: number }>;
}

export async function idleRooms(relays: Relay[], token: (room: string) => string, ROOMS: number): Promise<IdleRoomFigures> {
  await new Promise((r) => setTimeout(r, 1_000));
  const before = await Promise.all(relays.map(relayMemory));
  const sockets: Socket[] = [];
  for (let batch = 0; batch < ROOMS; batch += 100) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(100, ROOMS - batch) }, async (_, j) => {
        const room = `room-${batch + j}`;
        const doc = new Y.Doc();
        const sheet = doc.getMap('sheet');
        for (let k = 0; k < 5; k++) sheet.set(`cell${k}`, { value: k, note: 'idle room' });
        const n = batch + j;
        const socket = await openPeer(relays[n % relays.length] as Relay, room, token(room), doc, undefined, `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
        socket.send(syncMessage(SyncType.update, Y.encodeStateAsUpdate(doc)));
        return socket;
      }),
    );
    sockets.push(...opened);
  }
  // Wait until the relays have every room loaded and written, then let them settle.
  const roomsOpen = async (relay: Relay) => Number(/^reckon_rooms_open (\d+)/m.exec(await (await fetch(`${relay.url}/metrics`)).text())?.[1] ?? 0);
  let open: number[] = [];
  for (;;) {
    open = await Promise.all(relays.map(roomsOpen));
    if (open.reduce((a, b) => a + b, 0) >= ROOMS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 3_000));
  const after = await Promise.all(relays.map(relayMemory));
  for (const socket of sockets) socket.terminate();
  const MB = 1024 * 1024;
  const sum = (list: Array<{ rss: number; heap: number }>, k: 'rss' | 'heap') => list.reduce((a, m) => a + m[k], 0);
  return {
    rooms: ROOMS,
    rssBeforeMb: Number((sum(before, 'rss') / MB).toFixed(1)),
    rssAfterMb: Number((sum(after, 'rss') / MB).toFixed(1)),
    heapAfterMb: Number((sum(after, 'heap') / MB).toFixed(1)),
    rssPerRoomKb: Number(((sum(after, 'rss') - sum(before, 'rss')) / ROOMS / 1024).toFixed(1)),
    heapPerRoomKb: Number(((sum(after, 'heap') - sum(before, 'heap')) / ROOMS / 1024).toFixed(1)),
    perProcess: relays.map((_, i) => ({
      rooms: open[i] ?? 0,
      rssBeforeMb: Number(((before[i]?.rss ?? NaN) / MB).toFixed(1)),
      rssAfterMb: Number(((after[i]?.rss ?? NaN) / MB).toFixed(1)),
    })),
  };
}


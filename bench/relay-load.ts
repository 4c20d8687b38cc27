// Load figures for the relay (not a test): `npx tsx bench/relay-load.ts [--json] [--seconds N] [--rooms N]`
//
// 1. Fan-out: 50 editors in one room, each making 10 edits/s. Latency is
//    measured from an editor's send to each other editor's receipt (49
//    receipts per edit), all clocks in this process. Editors are lean raw
//    y-websocket clients (each edit is a Yjs update from the editor's own
//    Y.Doc; receipts are recognized from the update's first struct id), so
//    the figures measure the relay, not 50 replicas applying every update.
// 2. Idle rooms: 1,000 rooms, each with one connected peer and a small
//    document; the relay's RSS and heap before and after.
//
// The relay runs as a child process (`node --import tsx server/main.ts`)
// with its own data directory (LevelDB), exactly as deployed.

import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { syncMessage, SyncType } from '../server/messages';
import { loadOrCreateSecret } from '../server/token-files';
import { mintToken } from '../server/tokens';
import { openPeer, percentile, relayMemory, startRelay, stopRelay, type Relay, type Socket } from './relay-common';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EDITORS = option('--editors', 50);
const EDITS_PER_SECOND = option('--rate', 10);
const SECONDS = option('--seconds', 10);
const ROOMS = option('--rooms', 1000);

const log = (line: string): void => {
  if (!asJson) console.log(line);
};

/** Client id and clock of the first struct of a v1 update (what identifies an edit here). */
function firstStructId(update: Uint8Array): string | null {
  const d = decoding.createDecoder(update);
  if (decoding.readVarUint(d) === 0) return null;
  decoding.readVarUint(d); // structs
  const client = decoding.readVarUint(d);
  const clock = decoding.readVarUint(d);
  return `${client}:${clock}`;
}

async function fanOut(relay: Relay, token: string): Promise<Record<string, number>> {
  /** Send time of each edit made inside the measuring window. */
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let edits = 0;
  const editors = await Promise.all(
    Array.from({ length: EDITORS }, async (_, i) => {
      const doc = new Y.Doc();
      doc.clientID = 1_000 + i;
      const socket = await openPeer(relay, 'fanout', token, doc, (update) => {
        const id = firstStructId(update);
        const sent = id === null ? undefined : sentAt.get(id);
        if (sent !== undefined) latencies.push(performance.now() - sent);
      });
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

async function idleRooms(relay: Relay, secret: Buffer): Promise<Record<string, number>> {
  await new Promise((r) => setTimeout(r, 1_000));
  const before = await relayMemory(relay);
  const sockets: Socket[] = [];
  const nowSeconds = Date.now() / 1000;
  for (let batch = 0; batch < ROOMS; batch += 100) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(100, ROOMS - batch) }, async (_, j) => {
        const room = `room-${batch + j}`;
        const token = mintToken(secret, { workspace: room, role: 'edit', nowSeconds }).token;
        const doc = new Y.Doc();
        const sheet = doc.getMap('sheet');
        for (let k = 0; k < 5; k++) sheet.set(`cell${k}`, { value: k, note: 'idle room' });
        const socket = await openPeer(relay, room, token, doc);
        socket.send(syncMessage(SyncType.update, Y.encodeStateAsUpdate(doc)));
        return socket;
      }),
    );
    sockets.push(...opened);
  }
  // Wait until the relay has every room loaded and written, then let it settle.
  for (;;) {
    const text = await (await fetch(`${relay.url}/metrics`)).text();
    const rooms = Number(/^reckon_rooms_open (\d+)/m.exec(text)?.[1] ?? 0);
    if (rooms >= ROOMS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 3_000));
  const after = await relayMemory(relay);
  for (const socket of sockets) socket.terminate();
  const MB = 1024 * 1024;
  return {
    rooms: ROOMS,
    rssBeforeMb: Number((before.rss / MB).toFixed(1)),
    rssAfterMb: Number((after.rss / MB).toFixed(1)),
    heapAfterMb: Number((after.heap / MB).toFixed(1)),
    rssPerRoomKb: Number(((after.rss - before.rss) / ROOMS / 1024).toFixed(1)),
    heapPerRoomKb: Number(((after.heap - before.heap) / ROOMS / 1024).toFixed(1)),
  };
}

async function main(): Promise<void> {
  const fanRelay = await startRelay();
  const secret = loadOrCreateSecret(fanRelay.dataDir);
  const token = mintToken(secret, { workspace: 'fanout', role: 'edit', nowSeconds: Date.now() / 1000 }).token;
  log(`fan-out: ${EDITORS} editors × ${EDITS_PER_SECOND} edits/s for ${SECONDS} s …`);
  const fan = await fanOut(fanRelay, token);
  await stopRelay(fanRelay);
  log(`  edits/s ${fan.editsPerSecond}, deliveries/s ${fan.deliveriesPerSecond} (${(fan.deliveredShare! * 100).toFixed(2)}% of expected)`);
  log(`  fan-out latency p50 ${fan.p50Ms} ms, p95 ${fan.p95Ms} ms, p99 ${fan.p99Ms} ms, max ${fan.maxMs} ms (goal p95 ≤ 50 ms)`);

  const roomRelay = await startRelay();
  log(`idle rooms: ${ROOMS} rooms, one peer each …`);
  const idle = await idleRooms(roomRelay, loadOrCreateSecret(roomRelay.dataDir));
  await stopRelay(roomRelay);
  log(`  relay RSS ${idle.rssBeforeMb} MB → ${idle.rssAfterMb} MB (goal < 500 MB); heap ${idle.heapAfterMb} MB`);
  log(`  per idle room: ${idle.rssPerRoomKb} KB RSS, ${idle.heapPerRoomKb} KB heap`);
  if (asJson) console.log(JSON.stringify({ fanOut: fan, idleRooms: idle }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

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

import { loadOrCreateSecret } from '../server/token-files';
import { mintToken } from '../server/tokens';
import { benchArgs } from './args';
import { fanOut, idleRooms, startRelay, stopRelay } from './relay-common';

const { asJson, option, log } = benchArgs();
const EDITORS = option('--editors', 50);
const EDITS_PER_SECOND = option('--rate', 10);
const SECONDS = option('--seconds', 10);
const ROOMS = option('--rooms', 1000);

async function main(): Promise<void> {
  const fanRelay = await startRelay();
  const secret = loadOrCreateSecret(fanRelay.dataDir);
  const token = mintToken(secret, { workspace: 'fanout', role: 'edit', nowSeconds: Date.now() / 1000 }).token;
  log(`fan-out: ${EDITORS} editors × ${EDITS_PER_SECOND} edits/s for ${SECONDS} s …`);
  const fan = await fanOut([fanRelay], () => token, { editors: EDITORS, editsPerSecond: EDITS_PER_SECOND, seconds: SECONDS });
  await stopRelay(fanRelay);
  log(`  edits/s ${fan.editsPerSecond}, deliveries/s ${fan.deliveriesPerSecond} (${(fan.deliveredShare! * 100).toFixed(2)}% of expected)`);
  log(`  fan-out latency p50 ${fan.p50Ms} ms, p95 ${fan.p95Ms} ms, p99 ${fan.p99Ms} ms, max ${fan.maxMs} ms (goal p95 ≤ 50 ms)`);

  const roomRelay = await startRelay();
  log(`idle rooms: ${ROOMS} rooms, one peer each …`);
  const roomSecret = loadOrCreateSecret(roomRelay.dataDir);
  const idle = await idleRooms([roomRelay], (room) => mintToken(roomSecret, { workspace: room, role: 'edit', nowSeconds: Date.now() / 1000 }).token, ROOMS);
  await stopRelay(roomRelay);
  log(`  relay RSS ${idle.rssBeforeMb} MB → ${idle.rssAfterMb} MB (goal < 500 MB); heap ${idle.heapAfterMb} MB`);
  log(`  per idle room: ${idle.rssPerRoomKb} KB RSS, ${idle.heapPerRoomKb} KB heap`);
  delete idle.perProcess;
  if (asJson) console.log(JSON.stringify({ fanOut: fan, idleRooms: idle }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

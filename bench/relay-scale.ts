// Scale-out figures (not a test): `npx tsx bench/relay-scale.ts [--json] [--seconds N] [--rooms N] [--processes N]`
//
// A real redis-server (Debian's, on a free loopback port, appendonly with appendfsync everysec: the
// production setting of server/README.md) and relay processes as deployed (`node --import tsx
// server/main.ts` with REDIS_URL), all on this machine:
// 1. Fan-out: 50 editors in one room, 10 edits/s each — first on one relay process alone (the
//    embedded LevelDB default), then spread round-robin over 3 processes sharing Redis, in the same
//    run. Latency from an editor's send to each other editor's receipt (relay-common.ts's fanOut):
//    across processes it includes the trip through Redis. Goal: p95 ≤ 25 ms.
// 2. Idle rooms: 1,000 rooms, one peer and a small document each, spread round-robin over the 3
//    processes: each process's rooms and RSS. Goal: no process holds more than its share.
// Figures are printed, never asserted (docs/performance.md).

import { randomBytes } from 'node:crypto';
import { mintToken } from '../server/tokens';
import { loadOrCreateSecret } from '../server/token-files';
import { startRedis } from '../tests/redis/redis-server';
import { benchArgs } from './args';
import { fanOut, idleRooms, startRelay, stopRelay, type Relay } from './relay-common';

const { asJson, option, log } = benchArgs();
const EDITORS = option('--editors', 50);
const EDITS_PER_SECOND = option('--rate', 10);
const SECONDS = option('--seconds', 10);
const ROOMS = option('--rooms', 1000);
const PROCESSES = option('--processes', 3);
/** Redis's used memory, as a relay reports it (/metrics reads it at each scrape). */
async function redisMemoryMb(relay: Relay): Promise<number> {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  return Number((Number(/^reckon_redis_used_memory_bytes (\d+)/m.exec(text)?.[1] ?? NaN) / 1024 / 1024).toFixed(1));
}

function describeFan(label: string, fan: Record<string, number>): void {
  log(`  ${label}: edits/s ${fan.editsPerSecond}, deliveries/s ${fan.deliveriesPerSecond} (${((fan.deliveredShare ?? 0) * 100).toFixed(2)}% of expected)`);
  log(`    fan-out latency p50 ${fan.p50Ms} ms, p95 ${fan.p95Ms} ms, p99 ${fan.p99Ms} ms, max ${fan.maxMs} ms`);
}

async function main(): Promise<void> {
  const redis = await startRedis('everysec');
  if (typeof redis === 'string') {
    log(`skipped: ${redis}`);
    if (asJson) console.log(JSON.stringify({ skipped: redis }));
    return;
  }
  try {
    const fanOptions = { editors: EDITORS, editsPerSecond: EDITS_PER_SECOND, seconds: SECONDS };
    log(`fan-out: ${EDITORS} editors × ${EDITS_PER_SECOND} edits/s for ${SECONDS} s, one process, then ${PROCESSES} sharing Redis …`);
    const single = await startRelay();
    const singleSecret = loadOrCreateSecret(single.dataDir);
    const singleFan = await fanOut([single], (room) => mintToken(singleSecret, { workspace: room, role: 'edit', nowSeconds: Date.now() / 1000 }).token, fanOptions);
    await stopRelay(single);
    describeFan('one process (LevelDB)', singleFan);

    const secretHex = randomBytes(32).toString('hex');
    const secret = Buffer.from(secretHex, 'hex');
    const token = (room: string) => mintToken(secret, { workspace: room, role: 'edit', nowSeconds: Date.now() / 1000 }).token;
    const startShared = (prefix: string): Promise<Relay[]> =>
      Promise.all(Array.from({ length: PROCESSES }, () => startRelay({ REDIS_URL: redis.url, RECKON_REDIS_PREFIX: prefix, RECKON_TOKEN_SECRET: secretHex })));

    const fanRelays = await startShared('fan:');
    const sharedFan = await fanOut(fanRelays, token, fanOptions);
    await Promise.all(fanRelays.map(stopRelay));
    describeFan(`${PROCESSES} processes (Redis)`, sharedFan);
    log(`    goal: p95 ≤ 25 ms across processes; deliveries/s ${(sharedFan.deliveriesPerSecond! / singleFan.deliveriesPerSecond!).toFixed(2)}× one process's`);

    log(`idle rooms: ${ROOMS} rooms, one peer each, over ${PROCESSES} processes …`);
    const roomRelays = await startShared('rooms:');
    const redisBefore = await redisMemoryMb(roomRelays[0] as Relay);
    const idle = await idleRooms(roomRelays, token, ROOMS);
    const redisAfter = await redisMemoryMb(roomRelays[0] as Relay);
    await Promise.all(roomRelays.map(stopRelay));
    for (const [i, p] of (idle.perProcess ?? []).entries()) {
      log(`  process ${i + 1}: ${p.rooms} rooms, RSS ${p.rssBeforeMb} MB → ${p.rssAfterMb} MB`);
    }
    const share = ROOMS / PROCESSES;
    const most = Math.max(...(idle.perProcess ?? []).map((p) => p.rooms));
    log(`  goal: no process holds more than its share (${Math.ceil(share)} rooms + the demo room each seeds): the most is ${most}; ${idle.rssPerRoomKb} KB RSS per room over all`);
    log(`  Redis memory ${redisBefore} MB → ${redisAfter} MB`);
    const redisMemory = { beforeMb: redisBefore, afterMb: redisAfter };
    if (asJson) console.log(JSON.stringify({ processes: PROCESSES, fanOutSingle: singleFan, fanOutShared: sharedFan, idleRooms: idle, redisMemory }));
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Moving a one-process relay's data directory into the Redis that relay processes will share:
//
//   REDIS_URL=redis://… npx tsx server/redis/migrate.ts [--data-dir DIR]      (the relay stopped)
//
// Every room of `<dir>/rooms` (LevelDB) is appended to its Redis log as one update (merged with
// anything already there: appending never replaces), every issued token goes to the shared ledger,
// every revoked id to the shared revocations, and the token secret becomes Redis's unless Redis
// already has another one (then the old links would stop working: it says so and stops before
// writing anything). Running it twice is harmless. Prints one line per kind and exit code 0; a
// problem is one line on stderr and exit code 2.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LevelDbRoomStore } from '../store-leveldb';
import { loadOrCreateSecret, RevocationList, TokenLedger } from '../token-files';
import { connectRedis } from './client';

export interface MigrationResult {
  rooms: number;
  tokens: number;
  revoked: number;
}

export async function migrateDataDir(dataDir: string, redisUrl: string, prefix = 'reckon:'): Promise<MigrationResult> {
  const redis = await connectRedis(redisUrl, prefix);
  const store = await LevelDbRoomStore.open(path.join(dataDir, 'rooms'));
  try {
    const secretHex = loadOrCreateSecret(dataDir).toString('hex');
    const secretKey = `${prefix}token-secret`;
    await redis.cmd.set(secretKey, secretHex, 'NX');
    if ((await redis.cmd.get(secretKey)) !== secretHex) {
      throw new Error(`Redis already has another token secret (${secretKey}): links made by this data directory would stop working; nothing was moved`);
    }
    const rooms = await store.rooms();
    for (const room of rooms) {
      const state = await store.load(room);
      if (state === null) continue;
      const key = (part: string) => `${prefix}room:{${room}}:${part}`;
      await redis.run('append', [key('seq'), key('log')], ['migrate', Buffer.from(state), `${prefix}room:{${room}}`]);
    }
    const tokens = new TokenLedger(dataDir).all();
    for (const issued of tokens) {
      await redis.run('recordToken', [`${prefix}tokens`, `${prefix}ws-tokens:${issued.workspace}`], [issued.id, JSON.stringify(issued), -1]);
    }
    const revoked = new RevocationList(dataDir).all();
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const id of revoked) await redis.run('revoke', [`${prefix}revoked-ids`, `${prefix}revoked`], [id, nowSeconds, `${prefix}control`]);
    return { rooms: rooms.length, tokens: tokens.length, revoked: revoked.length };
  } finally {
    await store.close();
    await redis.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--data-dir');
  const dataDir = at >= 0 ? args[at + 1] : (process.env.DATA_DIR ?? './data');
  const url = process.env.REDIS_URL;
  if (!url || !dataDir) {
    process.stderr.write('usage: REDIS_URL=redis://… npx tsx server/redis/migrate.ts [--data-dir DIR]\n');
    process.exit(2);
  }
  migrateDataDir(dataDir, url, process.env.RECKON_REDIS_PREFIX || 'reckon:').then(
    (r) => {
      process.stdout.write(`moved ${r.rooms} rooms, ${r.tokens} issued tokens, ${r.revoked} revocations and the token secret from ${dataDir} to Redis\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}

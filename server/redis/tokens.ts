// Sharing state kept in Redis for every relay process (the files of token-files.ts otherwise):
//
//   token-secret   the HMAC secret (64 hex digits), created by the first process (SET NX) unless
//                  RECKON_TOKEN_SECRET gives it (preferred in production: from the secret store)
//   tokens         hash: token id → the ledger entry (JSON, as in tokens.jsonl)
//   ws-tokens:<W>  list: the ids issued for workspace W, in order
//   revoked-ids    set of revoked ids; revoked: the same as a stream, in revocation order
//   control        channel: "R<id>" for each revocation
//
// Revocations are checked on every upgrade and request, synchronously, so each process keeps the
// revoked ids in memory: all of them at start, then each new one as it is published (and, in case
// a message was missed, read from the stream every `revocationPollSeconds` and after a reconnect).

import { randomBytes } from 'node:crypto';
import type { Ledger, Revocations } from '../sharing';
import { issuedOf, type IssuedToken } from '../token-files';
import { isTokenId, type TokenClaims } from '../tokens';
import type { RedisConnection } from './client';

/** The shared token secret: RECKON_TOKEN_SECRET, else the one in Redis (the first process makes it). */
export async function sharedSecret(redis: RedisConnection): Promise<Buffer> {
  const key = `${redis.prefix}token-secret`;
  await redis.cmd.set(key, randomBytes(32).toString('hex'), 'NX');
  const hex = await redis.cmd.get(key);
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${key} in Redis is not a 32-byte hex secret`);
  return Buffer.from(hex, 'hex');
}

export class RedisLedger implements Ledger {
  constructor(private readonly redis: RedisConnection) {}

  private get tokensKey(): string {
    return `${this.redis.prefix}tokens`;
  }

  private workspaceKey(workspace: string): string {
    return `${this.redis.prefix}ws-tokens:${workspace}`;
  }

  async record(claims: TokenClaims, capacity = Infinity): Promise<IssuedToken | null> {
    const issued = issuedOf(claims);
    const recorded = await this.redis.run('recordToken', [this.tokensKey, this.workspaceKey(claims.w)], [
      claims.id, JSON.stringify(issued), Number.isFinite(capacity) ? capacity : -1,
    ]);
    return recorded === 1 ? issued : null;
  }

  async find(tokenId: string): Promise<IssuedToken | undefined> {
    const json = await this.redis.cmd.hget(this.tokensKey, tokenId);
    return json ? (JSON.parse(json) as IssuedToken) : undefined;
  }

  async listWorkspace(workspace: string): Promise<IssuedToken[]> {
    const ids = await this.redis.cmd.lrange(this.workspaceKey(workspace), 0, -1);
    if (ids.length === 0) return [];
    const entries = await this.redis.cmd.hmget(this.tokensKey, ...ids);
    return entries.filter((e): e is string => e !== null).map((e) => JSON.parse(e) as IssuedToken);
  }

  countWorkspace(workspace: string): Promise<number> {
    return this.redis.cmd.llen(this.workspaceKey(workspace));
  }
}

export class RedisRevocations implements Revocations {
  private readonly ids = new Set<string>();
  private fresh: string[] = [];
  /** The last stream id read. */
  private lastId = '0-0';
  private listeners: Array<(tokenId: string) => void> = [];
  private reading: Promise<void> | null = null;

  private constructor(private readonly redis: RedisConnection) {}

  /** Reads every revocation, then follows the control channel. */
  static async open(redis: RedisConnection): Promise<RedisRevocations> {
    const list = new RedisRevocations(redis);
    await list.readNew();
    list.fresh = [];
    redis.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      if (channel.toString() !== list.channel || message[0] !== 0x52 /* R */) return;
      list.add(message.subarray(1).toString());
    });
    await redis.sub.subscribe(list.channel);
    return list;
  }

  get channel(): string {
    return `${this.redis.prefix}control`;
  }

  private add(id: string): void {
    if (!isTokenId(id) || this.ids.has(id)) return;
    this.ids.add(id);
    this.fresh.push(id);
    for (const listener of this.listeners) listener(id);
  }

  /** Reads the stream from the last id read (a missed message, a reconnect). */
  readNew(): Promise<void> {
    this.reading ??= (async () => {
      try {
        for (;;) {
          const entries = await this.redis.cmd.xrange(`${this.redis.prefix}revoked`, `(${this.lastId}`, '+', 'COUNT', 10_000);
          for (const [id, values] of entries) {
            this.lastId = id;
            const at = values.indexOf('id');
            if (at >= 0 && at + 1 < values.length) this.add(values[at + 1] as string);
          }
          if (entries.length < 10_000) return;
        }
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  anyRevoked(tokenIds: readonly string[]): boolean {
    return tokenIds.some((id) => this.ids.has(id));
  }

  async revoke(tokenId: string, nowSeconds: number): Promise<void> {
    if (!isTokenId(tokenId)) throw new Error('not a token id');
    await this.redis.run('revoke', [`${this.redis.prefix}revoked-ids`, `${this.redis.prefix}revoked`], [tokenId, Math.floor(nowSeconds), this.channel]);
    this.add(tokenId);
  }

  takeNew(): string[] {
    // The poll also reads the stream, in case a message was missed; what it finds comes next time.
    this.readNew().catch(() => {});
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  onRevoked(listener: (tokenId: string) => void): void {
    this.listeners.push(listener);
  }
}

/** What `reckon share` needs of a Redis deployment: its secret, ledger and revocations (no room, no subscription). */
export async function openSharing(url: string, prefix: string, tokenSecret: string | null) {
  if (tokenSecret !== null && !/^[0-9a-f]{64}$/i.test(tokenSecret)) throw new Error('RECKON_TOKEN_SECRET must be 64 hex digits (32 bytes)');
  const { connectRedis } = await import('./client');
  const redis = await connectRedis(url, prefix);
  try {
    const secret = tokenSecret !== null ? Buffer.from(tokenSecret, 'hex') : await sharedSecret(redis);
    return {
      secret,
      ledger: new RedisLedger(redis) as Ledger,
      async revoke(tokenId: string, nowSeconds: number): Promise<void> {
        await redis.run('revoke', [`${redis.prefix}revoked-ids`, `${redis.prefix}revoked`], [tokenId, Math.floor(nowSeconds), `${redis.prefix}control`]);
      },
      close: () => redis.close(),
    };
  } catch (error) {
    await redis.close();
    throw error;
  }
}

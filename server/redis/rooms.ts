// Rooms shared by relay processes through Redis (keys in client.ts).
//
// A room is a snapshot plus a log of the updates stored since, each with a sequence number given in
// order by Redis; the script that stores an update also publishes it on the room's channel. Every
// process holding the room keeps a cursor: the highest sequence number up to which it has applied
// every update, in order. So:
// - Durable once acknowledged: `append` resolves when Redis has the entry (with AOF, on its disk per
//   its fsync policy); the room sends the update on, and answers "saved", only then.
// - Every process converges: updates arrive on the channel in log order; one arriving past
//   cursor + 1 (a gap: a subscriber reconnect, a message lost) makes the process read the log from
//   its cursor (`catchUp`), and one at or below the cursor is already applied.
// - Compaction is safe with several holders: a process compacts with the state of its doc and its
//   cursor taken in the same tick; its doc holds every update up to the cursor (and maybe more, which
//   is harmless: updates apply twice to the same result). The script trims only entries up to that
//   cursor and refuses a snapshot older than the current one, so nothing stored after what the
//   snapshot holds is ever trimmed, whoever compacts and in whatever order.
// - Loading reads the snapshot and the log in one MULTI, so a compaction cannot fall in between.
//   The room's channel is subscribed before, and messages meanwhile are kept until the loaded state
//   is applied (`start`).
// - Presence goes only through the channel (it is not stored): each process applies the presence
//   of the others' peers, and a process that loads a room asks the others for theirs.

import * as Y from 'yjs';
import type { Logger } from '../log';
import { describeError } from '../log';
import type { Metrics } from '../metrics';
import type { RoomLink, RoomLinkHandlers, RoomLinks } from '../room-link';
import type { RedisConnection } from './client';

interface LogEntry {
  seq: number;
  process: string;
  update: Buffer;
}

interface Stored {
  /** The snapshot's state (null: none) and the last sequence number it holds. */
  state: Buffer | null;
  upto: number;
  entries: LogEntry[];
}

const SPACE = 0x20;
/** A catch-up that failed (Redis away) is tried again after this long. */
const CATCH_UP_RETRY_MS = 1000;

export class RedisRoomLinks implements RoomLinks {
  readonly shared = true;
  private readonly byChannel = new Map<string, RedisRoomLink>();

  constructor(
    readonly redis: RedisConnection,
    readonly log: Logger,
    readonly metrics: Metrics,
  ) {
    redis.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      this.byChannel.get(channel.toString())?.receive(message);
    });
    // After a reconnect the subscriptions are renewed, but what was published meanwhile is gone:
    // every room reads the log from its cursor, once its channel is subscribed again. ioredis says
    // 'ready' before it sends its own SUBSCRIBE, and the log is read on the other connection: read
    // before the subscription holds, an update stored in between would be neither read nor heard,
    // and a room that then goes quiet would stay behind for good. The connection is up when this
    // is built (connectRedis resolves once connected): every 'ready' is a reconnect.
    redis.sub.on('ready', () => void this.resubscribed());
  }

  private async resubscribed(): Promise<void> {
    const channels = [...this.byChannel.keys()];
    if (channels.length === 0) return;
    try {
      await this.redis.sub.subscribe(...channels);
    } catch {
      return; // the connection went again: its next 'ready' comes back here
    }
    for (const link of this.byChannel.values()) link.resync();
  }

  key(room: string, part: 'seq' | 'log' | 'snap' | null): string {
    return `${this.redis.prefix}room:{${room}}${part ? `:${part}` : ''}`;
  }

  open(room: string, handlers: RoomLinkHandlers): RoomLink {
    return new RedisRoomLink(this, room, handlers);
  }

  async load(room: string): Promise<Uint8Array | null> {
    return merge(await this.readAll(room));
  }

  async close(): Promise<void> {
    for (const link of [...this.byChannel.values()]) await link.close();
  }

  /** The snapshot and the log (entries after `after`), read in one MULTI. */
  async readAll(room: string, after = 0): Promise<Stored> {
    const results = await this.redis.cmd
      .multi()
      .hgetallBuffer(this.key(room, 'snap'))
      .xrangeBuffer(this.key(room, 'log'), after > 0 ? `0-${after + 1}` : '-', '+')
      .exec();
    const [snapResult, logResult] = results ?? [];
    if (!snapResult || !logResult || snapResult[0] || logResult[0]) throw snapResult?.[0] ?? logResult?.[0] ?? new Error('redis transaction aborted');
    const snap = snapResult[1] as Record<string, Buffer>;
    return {
      state: snap.state ?? null,
      upto: snap.upto ? Number(snap.upto.toString()) : 0,
      entries: parseEntries(logResult[1] as Array<[Buffer, Buffer[]]>),
    };
  }

  /** The last snapshot's `upto` and the log after `after`, in one MULTI (a catch-up). */
  async readSince(room: string, after: number): Promise<{ upto: number; entries: LogEntry[] }> {
    const results = await this.redis.cmd.multi().hget(this.key(room, 'snap'), 'upto').xrangeBuffer(this.key(room, 'log'), `0-${after + 1}`, '+').exec();
    const [uptoResult, logResult] = results ?? [];
    if (!uptoResult || !logResult || uptoResult[0] || logResult[0]) throw uptoResult?.[0] ?? logResult?.[0] ?? new Error('redis transaction aborted');
    return { upto: Number(uptoResult[1] ?? 0), entries: parseEntries(logResult[1] as Array<[Buffer, Buffer[]]>) };
  }

  async subscribe(link: RedisRoomLink): Promise<void> {
    this.byChannel.set(link.channel, link);
    await this.redis.sub.subscribe(link.channel);
  }

  async unsubscribe(link: RedisRoomLink): Promise<void> {
    if (this.byChannel.get(link.channel) !== link) return;
    this.byChannel.delete(link.channel);
    await this.redis.sub.unsubscribe(link.channel).catch(() => {});
  }

  publish(channel: string, ...parts: Array<string | Uint8Array>): void {
    const message = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    this.redis.cmd.publish(channel, message).catch((error: unknown) => {
      this.metrics.inc('reckon_redis_errors_total', 'Redis commands that failed', { op: 'publish' });
      this.log('warn', 'redis-publish-failed', { error: describeError(error) });
    });
  }
}

class RedisRoomLink implements RoomLink {
  readonly shared = true;
  readonly channel: string;
  /** Every update up to this sequence number is applied to the room's doc. */
  private cursor = 0;
  /** The `upto` of the last snapshot this process read or wrote. */
  private snapshotUpto = 0;
  private state: 'new' | 'loading' | 'started' | 'closed' = 'new';
  /** Channel messages received while loading, handled once the loaded state is applied. */
  private early: Buffer[] = [];
  private catching: Promise<boolean> | null = null;
  private catchAgain = false;
  /** The subscriber reconnected while the room was loading: read the log once started. */
  private resyncOnStart = false;

  constructor(
    private readonly links: RedisRoomLinks,
    private readonly room: string,
    private readonly handlers: RoomLinkHandlers,
  ) {
    this.channel = links.key(room, null);
  }

  private get processId(): string {
    return this.links.redis.processId;
  }

  async load(): Promise<Uint8Array | null> {
    this.state = 'loading';
    await this.links.subscribe(this);
    const stored = await this.links.readAll(this.room);
    this.snapshotUpto = stored.upto;
    this.cursor = stored.entries.length > 0 ? (stored.entries[stored.entries.length - 1] as LogEntry).seq : stored.upto;
    return merge(stored);
  }

  start(): void {
    if (this.state !== 'loading') return;
    this.state = 'started';
    const early = this.early;
    this.early = [];
    for (const message of early) this.receive(message);
    if (this.resyncOnStart) void this.catchUp();
    // The others' presence (a process answers for its own peers).
    this.links.publish(this.channel, `Q${this.processId}`);
  }

  /** After a subscriber reconnect: what was published meanwhile is read from the log. */
  resync(): void {
    if (this.state === 'loading') this.resyncOnStart = true;
    else if (this.state === 'started') void this.catchUp();
  }

  /** A message on the room's channel. */
  receive(message: Buffer): void {
    if (this.state === 'loading') {
      this.early.push(message);
      return;
    }
    if (this.state !== 'started') return;
    try {
      const kind = String.fromCharCode(message[0] as number);
      if (kind === 'U') {
        const [seqText, process, update] = fields(message, 2);
        this.deliver(Number(seqText.toString()), process.toString(), update);
      } else if (kind === 'A') {
        const [process, token, update] = fields(message, 2);
        if (process.toString() !== this.processId) this.handlers.remoteAwareness(update, token.toString());
      } else if (kind === 'Q') {
        if (message.subarray(1).toString() !== this.processId) this.handlers.awarenessQuery();
      } else if (kind === 'S') {
        if (message.subarray(1).toString() === this.processId) this.handlers.shedViewer();
      }
    } catch (error) {
      this.links.log('warn', 'redis-message-failed', { room: this.room, error: describeError(error) });
    }
  }

  /** An update from the log: applied when it is the next one, a gap makes the process read the log. */
  private deliver(seq: number, process: string, update: Uint8Array): void {
    if (seq <= this.cursor) return;
    if (seq !== this.cursor + 1) {
      void this.catchUp();
      return;
    }
    this.cursor = seq;
    // This process's own updates are in its doc already (applied before they were stored).
    if (process !== this.processId) this.handlers.remoteUpdate(update);
  }

  catchUp(): Promise<boolean> {
    if (this.catching) {
      this.catchAgain = true;
      return this.catching;
    }
    this.catching = (async () => {
      let applied = false;
      do {
        this.catchAgain = false;
        try {
          applied = (await this.catchUpOnce()) || applied;
        } catch (error) {
          this.links.metrics.inc('reckon_redis_errors_total', 'Redis commands that failed', { op: 'catch-up' });
          this.links.log('warn', 'redis-catch-up-failed', { room: this.room, error: describeError(error) });
          // Tried again in a while: a room that goes quiet would otherwise never hear of the gap.
          this.retryCatchUpLater();
          return applied;
        }
      } while (this.catchAgain && this.state === 'started');
      return applied;
    })().finally(() => {
      this.catching = null;
    });
    return this.catching;
  }

  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  private retryCatchUpLater(): void {
    if (this.retryTimer || this.state !== 'started') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'started') void this.catchUp();
    }, CATCH_UP_RETRY_MS);
    this.retryTimer.unref?.();
  }

  private async catchUpOnce(): Promise<boolean> {
    if (this.state !== 'started') return false;
    this.links.metrics.inc('reckon_redis_catch_ups_total', 'Rooms that read the shared log to fill a gap');
    const since = await this.links.readSince(this.room, this.cursor);
    let { entries } = since;
    let applied = false;
    if (since.upto > this.cursor) {
      // Another process compacted past this cursor: what was trimmed is in the snapshot.
      const stored = await this.links.readAll(this.room, this.cursor);
      if (this.state !== 'started') return false;
      if (stored.upto > this.cursor && stored.state) {
        this.handlers.remoteUpdate(stored.state);
        this.cursor = stored.upto;
        applied = true;
      }
      this.snapshotUpto = Math.max(this.snapshotUpto, stored.upto);
      entries = stored.entries;
    }
    if (this.state !== 'started') return false;
    for (const entry of entries) {
      if (entry.seq !== this.cursor + 1) continue;
      this.cursor = entry.seq;
      if (entry.process !== this.processId) {
        this.handlers.remoteUpdate(entry.update);
        applied = true;
      }
    }
    return applied;
  }

  async append(update: Uint8Array): Promise<number> {
    const result = (await this.links.redis.run('append', [this.links.key(this.room, 'seq'), this.links.key(this.room, 'log')], [
      this.processId,
      Buffer.from(update.buffer, update.byteOffset, update.byteLength),
      this.channel,
    ])) as [number, number];
    this.links.metrics.inc('reckon_redis_appends_total', 'Updates stored in Redis by this process');
    return result[1];
  }

  compact(state: Uint8Array): Promise<void> {
    // The cursor is read in the same tick as `state` was encoded (room.ts): the state holds every
    // update up to it.
    const upto = this.cursor;
    if (upto <= this.snapshotUpto) return Promise.resolve();
    return this.links.redis
      .run('compact', [this.links.key(this.room, 'snap'), this.links.key(this.room, 'log')], [upto, Buffer.from(state.buffer, state.byteOffset, state.byteLength)])
      .then((done) => {
        this.snapshotUpto = Math.max(this.snapshotUpto, upto);
        if (done !== 1) this.links.metrics.inc('reckon_redis_compactions_superseded_total', 'Compactions refused: another process had compacted further');
      });
  }

  pendingEntries(): number {
    return this.cursor - this.snapshotUpto;
  }

  publishAwareness(update: Uint8Array, ownerTokenId: string): void {
    if (this.state !== 'started') return;
    this.links.publish(this.channel, `A${this.processId} ${ownerTokenId} `, update);
  }

  requestShed(processId: string): void {
    this.links.publish(this.channel, `S${processId}`);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.early = [];
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.links.unsubscribe(this);
  }
}

/** The first `count` space-separated fields after the kind byte, and the rest (binary). */
function fields(message: Buffer, count: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 1;
  for (let i = 0; i < count; i++) {
    const space = message.indexOf(SPACE, at);
    if (space < 0) throw new Error('malformed channel message');
    out.push(message.subarray(at, space));
    at = space + 1;
  }
  out.push(message.subarray(at));
  return out;
}

function parseEntries(raw: Array<[Buffer, Buffer[]]>): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const [id, values] of raw) {
    const seq = Number(id.toString().split('-')[1]);
    let process = '';
    let update: Buffer | null = null;
    for (let i = 0; i + 1 < values.length; i += 2) {
      const name = (values[i] as Buffer).toString();
      if (name === 'p') process = (values[i + 1] as Buffer).toString();
      else if (name === 'u') update = values[i + 1] as Buffer;
    }
    if (update && Number.isSafeInteger(seq)) entries.push({ seq, process, update });
  }
  return entries;
}

/** One update holding the snapshot and the entries after it (null: the room was never written). */
function merge(stored: Stored): Uint8Array | null {
  const parts: Uint8Array[] = [];
  if (stored.state) parts.push(stored.state);
  for (const entry of stored.entries) if (entry.seq > stored.upto) parts.push(entry.update);
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts);
}

// The set of loaded rooms: creates a room on first use, unloads it after it
// has been idle (no connection) for `idleSeconds`, and unloads all of them on
// shutdown.
//
// Invariant: at most one live Room per name. A room being unloaded stays in
// the map until it is closed; a connection arriving meanwhile gets a fresh
// Room whose load waits for the old one's final write, so it loads that state.

import type { RelayContext } from './context';
import { Room } from './room';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private shuttingDown = false;

  constructor(private readonly ctx: RelayContext) {
    ctx.metrics.gauge('reckon_rooms_open', 'Rooms loaded in memory', () => this.rooms.size);
  }

  get size(): number {
    return this.rooms.size;
  }

  has(name: string): boolean {
    return this.rooms.has(name);
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** The live room for `name`, created (and loading) if needed. */
  acquire(name: string): Room {
    if (this.shuttingDown) throw new Error('relay is shutting down');
    const existing = this.rooms.get(name);
    if (existing && (existing.status === 'loading' || existing.status === 'ready')) {
      this.cancelIdle(existing);
      return existing;
    }
    const previousUnload = existing ? existing.close() : Promise.resolve();
    const room = new Room(name, this.ctx, previousUnload);
    this.rooms.set(name, room);
    void room.loaded.then((ok) => {
      if (!ok) this.forget(room);
      else if (room.connections.size === 0) this.scheduleIdle(room);
    });
    return room;
  }

  /** Called when a room's last connection left. */
  scheduleIdle(room: Room): void {
    if (this.shuttingDown || room.status !== 'ready' || room.connections.size > 0) return;
    this.cancelIdle(room);
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (room.connections.size === 0 && room.status === 'ready') void this.unload(room);
    }, this.ctx.config.idleSeconds * 1000);
    room.idleTimer.unref();
  }

  private cancelIdle(room: Room): void {
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
  }

  private async unload(room: Room): Promise<void> {
    await room.close();
    this.forget(room);
    this.ctx.metrics.inc('reckon_rooms_unloaded_total', 'Rooms unloaded after being idle or at shutdown');
  }

  private forget(room: Room): void {
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
  }

  /** Unloads every room (peers must have been closed); no room is created afterwards. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all(this.all().map((room) => this.unload(room)));
  }
}

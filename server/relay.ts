// The websocket side of the server: accepts or refuses upgrades, attaches
// connections to rooms, and runs the timers that keep connections honest
// (heartbeat, token expiry, revocations made by another process).
//
// Invariant: a refused upgrade is answered with a plain HTTP status before
// the websocket handshake completes, so a refused peer never receives a
// single byte of document data.

import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from './node-deps';
import { Connection, newestViewer } from './connection';
import { CloseCode, type RelayContext } from './context';
import type { Authorizer } from './auth';
import type { Revocations } from './sharing';
import { connectionKeys } from './limits';
import { describeError } from './log';
import { handleMessage } from './protocol';
import { RoomRegistry } from './rooms';
import { isWorkspaceId, type TokenClaims } from './tokens';
import type { Room } from './room';

export type RefusalReason =
  | 'bad-request'
  | 'bad-workspace'
  | 'shutting-down'
  | 'too-many-connections'
  | 'too-many-rooms'
  | 'room-full'
  | 'too-many-connections-from-address'
  | 'too-many-connections-for-token'
  | 'too-many-new-connections'
  | 'missing-token'
  | 'malformed-token'
  | 'bad-mac'
  | 'expired'
  | 'wrong-workspace'
  | 'revoked'
  | 'unavailable';

export class Relay {
  readonly rooms: RoomRegistry;
  private readonly connections = new Set<Connection>();
  /** Gives back each open connection's counts (ConnectionCounts). */
  private readonly releases = new Map<Connection, () => void>();
  private readonly wss: InstanceType<typeof WebSocketServer>;
  private readonly timers: NodeJS.Timeout[] = [];
  private closing = false;

  constructor(
    private readonly ctx: RelayContext,
    private readonly authorizer: Authorizer,
    private readonly revocations: Revocations,
  ) {
    this.rooms = new RoomRegistry(ctx);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: ctx.config.limits.maxMessageBytes,
      // Compression would let a small frame inflate past maxPayload checks'
      // intent and costs CPU per message; Yjs updates are compact already.
      perMessageDeflate: false,
    });
    ctx.metrics.gauge('reckon_connections_open', 'Open websocket connections', () => this.connections.size);
    this.every(ctx.config.heartbeatSeconds, () => this.heartbeat());
    this.every(ctx.config.revocationPollSeconds, () => {
      for (const tokenId of this.revocations.takeNew()) this.closeToken(tokenId);
    });
    // A shared list tells at once of revocations made on another process.
    revocations.onRevoked?.((tokenId) => this.closeToken(tokenId));
  }

  private every(seconds: number, task: () => void): void {
    const timer = setInterval(() => {
      try {
        task();
      } catch (error) {
        this.ctx.log('error', 'timer-failed', { error: String(error) });
      }
    }, seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** HTTP upgrade: authorize, check limits, then hand over to ws. Never logs the URL. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.upgrade(req, socket, head).catch((error: unknown) => {
      this.ctx.log('error', 'upgrade-failed', { error: describeError(error) });
      if (!socket.destroyed) this.refuse(socket, 503, 'unavailable');
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const address = clientAddress(req, this.ctx.config.trustProxy);
    const { limitStore } = this.ctx;
    // An address that spent its byte budget (huge messages, again and again) waits before it may reconnect.
    if (!limitStore.bytesByAddress.inCredit(address, this.ctx.nowMs()) || !(await limitStore.upgrades.tryTake(address, 1, this.ctx.nowMs()))) {
      this.refuse(socket, 429, 'too-many-new-connections');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://relay.invalid');
    } catch {
      this.refuse(socket, 400, 'bad-request');
      return;
    }
    const workspace = decodeURIComponentSafe(url.pathname.slice(1));
    if (workspace === null || !isWorkspaceId(workspace)) {
      this.refuse(socket, 400, 'bad-workspace');
      return;
    }
    if (this.closing) {
      this.refuse(socket, 503, 'shutting-down');
      return;
    }
    const auth = this.authorizer.authorize(url.searchParams.get('token'), workspace);
    if (!auth.ok) {
      this.refuse(socket, auth.status, auth.reason, workspace);
      return;
    }
    const { limits } = this.ctx.config;
    const { claims } = auth;
    const existing = this.rooms.get(workspace);
    // A full process (maxConnections, maxRooms: this process's memory) lets an editor in by shedding its newest viewer.
    let shed: Connection | null = null;
    if (this.connections.size >= limits.maxConnections) {
      shed = claims.r === 'edit' ? newestViewer(this.connections) : null;
      if (!shed) {
        this.refuse(socket, 503, 'too-many-connections', workspace);
        return;
      }
    }
    if (!existing && this.rooms.size >= limits.maxRooms) {
      this.refuse(socket, 503, 'too-many-rooms', workspace);
      return;
    }
    // Caps per address, token and room count the connections of every process sharing the rooms.
    const caps = [
      { key: connectionKeys.address(address), max: limits.maxConnectionsPerAddress },
      { key: connectionKeys.token(claims.id), max: limits.maxConnectionsPerToken },
      { key: connectionKeys.room(workspace), max: limits.maxConnectionsPerRoom },
      ...(claims.r === 'view' ? [{ key: connectionKeys.viewers(workspace), max: Infinity }] : []),
    ];
    const counts = limitStore.connections;
    let full = await counts.tryAdd(caps);
    // In a full room an editor takes the place of a viewer: view connections are shed first, so a
    // room filled by one view link still lets its owner in. This process's newest viewer of the
    // room if it has one, else one of another process's.
    let shedInRoom: (() => void) | null = null;
    if (full === 2 && claims.r === 'edit') {
      const local = existing?.newestViewer() ?? null;
      const remote = local ? [] : await counts.holders(connectionKeys.viewers(workspace));
      if (local || remote.length > 0) {
        full = await counts.tryAdd(caps.map((c, i) => (i === 2 ? { ...c, max: Infinity } : c)));
        shedInRoom = local
          ? () => local.close('room-full', CloseCode.roomFull)
          : () => this.rooms.acquire(workspace).requestShed(remote[0] as string);
      }
    }
    if (full >= 0) {
      const reason = (['too-many-connections-from-address', 'too-many-connections-for-token', 'room-full'] as const)[full] ?? 'room-full';
      this.refuse(socket, 503, reason, workspace);
      return;
    }
    const release = () => counts.release(caps.map((c) => c.key));
    if (this.closing || socket.destroyed) {
      release();
      if (!socket.destroyed) this.refuse(socket, 503, 'shutting-down', workspace);
      return;
    }
    shed?.close('room-full', CloseCode.roomFull);
    shedInRoom?.();
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, claims, address, release));
  }

  private refuse(socket: Duplex, status: number, reason: RefusalReason, workspace?: string): void {
    this.ctx.metrics.inc('reckon_refusals_total', 'Websocket upgrades refused', { reason });
    this.ctx.log('info', 'upgrade-refused', { reason, status, workspace });
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.destroy();
  }

  /** `release`: gives back what the connection was counted under (once, when it ends). */
  private accept(ws: WebSocket, claims: TokenClaims, address: string, release: () => void): void {
    if (this.closing) {
      release();
      ws.close(CloseCode.goingAway, 'shutdown');
      return;
    }
    const room = this.rooms.acquire(claims.w);
    const connection = new Connection(ws, claims, address, this.ctx, {
      onMessage: (c, data) => handleMessage(this.ctx, room, c, data),
      onClose: (c) => this.onClose(room, c),
    });
    if (connection.closed) {
      release(); // the socket died during the handshake
      return;
    }
    this.connections.add(connection);
    this.releases.set(connection, release);
    room.join(connection);
    this.ctx.metrics.inc('reckon_connections_total', 'Websocket connections accepted', { role: claims.r });
  }

  private onClose(room: Room, connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.releases.get(connection)?.();
    this.releases.delete(connection);
    room.leave(connection);
    if (room.connections.size === 0) this.rooms.scheduleIdle(room);
  }

  /** Closes every connection using a token id or a token minted from it (after a revocation). */
  closeToken(tokenId: string): void {
    for (const connection of [...this.connections]) {
      if (connection.descendsFrom(tokenId)) connection.close('revoked', CloseCode.revoked);
    }
  }

  /** Drops peers that missed a pong, and those whose token expired meanwhile. */
  private heartbeat(): void {
    const nowSeconds = this.ctx.nowMs() / 1000;
    for (const connection of [...this.connections]) {
      const { exp } = connection.claims;
      if (exp !== undefined && exp <= nowSeconds) {
        connection.close('expired', CloseCode.expired);
      } else if (!connection.alive) {
        connection.terminate('heartbeat');
      } else {
        connection.alive = false;
        try {
          connection.socket.ping();
        } catch {
          connection.terminate('heartbeat');
        }
      }
    }
  }

  /** Closes every peer (1001), then writes and unloads every room. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const connection of [...this.connections]) connection.close('shutdown', CloseCode.goingAway);
    await this.rooms.closeAll();
    this.wss.close();
  }
}

/**
 * The client's address: the socket's peer, or behind a trusted reverse proxy the first address of
 * X-Forwarded-For (the one the proxy saw). Used for per-address limits only, never logged.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

function decodeURIComponentSafe(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

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
import { Connection } from './connection';
import { CloseCode, type RelayContext } from './context';
import type { Authorizer } from './auth';
import type { RevocationList } from './token-files';
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
  | 'revoked';

export class Relay {
  readonly rooms: RoomRegistry;
  private readonly connections = new Set<Connection>();
  private readonly wss: InstanceType<typeof WebSocketServer>;
  private readonly timers: NodeJS.Timeout[] = [];
  private closing = false;

  constructor(
    private readonly ctx: RelayContext,
    private readonly authorizer: Authorizer,
    private readonly revocations: RevocationList,
    /** Records a token's use (the share dialog's "last used"); cheap, throttled by the callee. */
    private readonly onUse: (claims: TokenClaims) => void = () => {},
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
    const address = clientAddress(req, this.ctx.config.trustProxy);
    const { limitStore } = this.ctx;
    // An address that spent its byte budget (huge messages, again and again) waits before it may reconnect.
    if (!limitStore.upgrades.tryTake(address, 1, this.ctx.nowMs()) || !limitStore.bytesByAddress.inCredit(address, this.ctx.nowMs())) {
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
    if (limitStore.connectionsByAddress.get(address) >= limits.maxConnectionsPerAddress) {
      this.refuse(socket, 503, 'too-many-connections-from-address', workspace);
      return;
    }
    if (limitStore.connectionsByToken.get(claims.id) >= limits.maxConnectionsPerToken) {
      this.refuse(socket, 503, 'too-many-connections-for-token', workspace);
      return;
    }
    // In a full room (or a full relay), an editor takes the place of a viewer: view connections
    // are shed first, so a room filled by one view link still lets its owner in.
    const roomFull = existing !== undefined && existing.connections.size >= limits.maxConnectionsPerRoom;
    const relayFull = this.connections.size >= limits.maxConnections;
    let shed: Connection | null = null;
    if (roomFull || relayFull) {
      shed = claims.r === 'edit' ? this.viewerToShed(roomFull ? existing : undefined) : null;
      if (!shed) {
        this.refuse(socket, 503, roomFull ? 'room-full' : 'too-many-connections', workspace);
        return;
      }
    }
    if (!existing && this.rooms.size >= limits.maxRooms) {
      this.refuse(socket, 503, 'too-many-rooms', workspace);
      return;
    }
    shed?.close('room-full', CloseCode.roomFull);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, claims, address));
  }

  /** The newest view connection of `room` (or of the relay when no room is given), if any. */
  private viewerToShed(room: Room | undefined): Connection | null {
    let newest: Connection | null = null;
    for (const c of room ? room.connections : this.connections) {
      if (!c.canWrite && !c.closed && (newest === null || c.id > newest.id)) newest = c;
    }
    return newest;
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

  private accept(ws: WebSocket, claims: TokenClaims, address: string): void {
    if (this.closing) {
      ws.close(CloseCode.goingAway, 'shutdown');
      return;
    }
    const room = this.rooms.acquire(claims.w);
    const connection = new Connection(ws, claims, address, this.ctx, {
      onMessage: (c, data) => handleMessage(this.ctx, room, c, data),
      onClose: (c) => this.onClose(room, c),
    });
    if (connection.closed) return; // the socket died during the handshake
    this.connections.add(connection);
    this.ctx.limitStore.connectionsByAddress.add(address, 1);
    this.ctx.limitStore.connectionsByToken.add(claims.id, 1);
    room.join(connection);
    this.onUse(claims);
    this.ctx.metrics.inc('reckon_connections_total', 'Websocket connections accepted', { role: claims.r });
  }

  private onClose(room: Room, connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.ctx.limitStore.connectionsByAddress.add(connection.address, -1);
    this.ctx.limitStore.connectionsByToken.add(connection.claims.id, -1);
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

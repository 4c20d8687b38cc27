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
      for (const tokenId of this.revocations.refresh()) this.closeToken(tokenId);
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
    const existing = this.rooms.get(workspace);
    if (this.connections.size >= limits.maxConnections) {
      this.refuse(socket, 503, 'too-many-connections', workspace);
      return;
    }
    if (!existing && this.rooms.size >= limits.maxRooms) {
      this.refuse(socket, 503, 'too-many-rooms', workspace);
      return;
    }
    if (existing && existing.connections.size >= limits.maxConnectionsPerRoom) {
      this.refuse(socket, 503, 'room-full', workspace);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, auth.claims));
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

  private accept(ws: WebSocket, claims: TokenClaims): void {
    if (this.closing) {
      ws.close(CloseCode.goingAway, 'shutdown');
      return;
    }
    const room = this.rooms.acquire(claims.w);
    const connection = new Connection(ws, claims, this.ctx, {
      onMessage: (c, data) => handleMessage(this.ctx, room, c, data),
      onClose: (c) => this.onClose(room, c),
    });
    if (connection.closed) return; // the socket died during the handshake
    this.connections.add(connection);
    room.join(connection);
    this.ctx.metrics.inc('reckon_connections_total', 'Websocket connections accepted', { role: claims.r });
  }

  private onClose(room: Room, connection: Connection): void {
    this.connections.delete(connection);
    room.leave(connection);
    if (room.connections.size === 0) this.rooms.scheduleIdle(room);
  }

  /** Closes every connection using a token id (after a revocation). */
  closeToken(tokenId: string): void {
    for (const connection of [...this.connections]) {
      if (connection.claims.id === tokenId) connection.close('revoked', CloseCode.revoked);
    }
  }

  /** Drops peers that missed a pong, and those whose token expired meanwhile. */
  private heartbeat(): void {
    const nowSeconds = this.ctx.nowMs() / 1000;
    for (const connection of [...this.connections]) {
      const { exp } = connection.claims;
      if (exp !== undefined && exp <= nowSeconds) {
        connection.close('expired', CloseCode.revoked);
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

function decodeURIComponentSafe(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

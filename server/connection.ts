// One websocket peer in one room: who it is (token claims), its rate limits,
// the awareness client ids it controls, and the messages it sent while its
// room was still loading.
//
// Invariants:
// - A connection never receives document bytes before its room is loaded
//   (`start` is called by the room once ready).
// - Messages are handled one at a time, in arrival order (a message whose
//   handling is asynchronous holds back the ones after it); a failure
//   handling one closes this connection only.
// - Once `closed` is set nothing more is sent or handled.

import type { WebSocket } from 'ws';
import type { TokenClaims } from './tokens';
import { ConnectionRateLimiter } from './limits';
import { CloseCode, POLICY_REFUSALS, type CloseReason, type RelayContext } from './context';
import { describeError } from './log';

/** How long a peer closed for misbehaving has to answer the close before it is dropped. */
const UNANSWERED_CLOSE_MS = 1000;

let nextConnectionId = 1;

export interface ConnectionHandlers {
  /**
   * Handles one message; throws (or rejects) to close the connection as
   * malformed. While a returned promise is pending, later messages of this
   * connection wait in its queue, so order is kept.
   */
  onMessage(connection: Connection, data: Uint8Array): void | Promise<void>;
  onClose(connection: Connection): void;
}

export class Connection {
  readonly id = nextConnectionId++;
  /** Awareness client ids whose state this connection set. */
  readonly awarenessClients = new Set<number>();
  readonly limiter: ConnectionRateLimiter;
  /** Set by the heartbeat: false until the next pong. */
  alive = true;
  closed = false;
  private started = false;
  /** A message is being handled asynchronously. */
  private busy = false;
  private queue: Uint8Array[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly claims: TokenClaims,
    /** The peer's remote address (per-address budgets and counts). */
    readonly address: string,
    private readonly ctx: RelayContext,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.limiter = new ConnectionRateLimiter(ctx.config.limits, ctx.nowMs());
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after an error (1009 for a frame above
      // maxPayload); we only record why.
      const reason: CloseReason = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversized' : 'malformed';
      this.markClosed(reason);
    });
    socket.on('close', () => this.markClosed(null));
  }

  get room(): string {
    return this.claims.w;
  }

  get canWrite(): boolean {
    return this.claims.r === 'edit';
  }

  /** Whether this token was minted from `tokenId` (or is it): revoking that one closes this. */
  descendsFrom(tokenId: string): boolean {
    return this.claims.id === tokenId || (this.claims.a?.includes(tokenId) ?? false);
  }

  /** Are this connection's, its token's and its address's answer budgets all in credit? */
  answerCredit(nowMs: number): boolean {
    const { limitStore } = this.ctx;
    return this.limiter.answers.inCredit(nowMs) && limitStore.tokenAnswers.inCredit(this.claims.id, nowMs)
      && limitStore.addressAnswers.inCredit(this.address, nowMs);
  }

  /** Charges an answer sent to the three answer budgets. */
  chargeAnswer(bytes: number, nowMs: number): void {
    const { limitStore } = this.ctx;
    this.limiter.answers.charge(bytes, nowMs);
    limitStore.tokenAnswers.charge(this.claims.id, bytes, nowMs);
    limitStore.addressAnswers.charge(this.address, bytes, nowMs);
  }

  /** Called by the room once loaded: from here on messages are handled directly. */
  start(initialMessages: Uint8Array[]): void {
    if (this.closed || this.started) return;
    this.started = true;
    for (const message of initialMessages) this.send(message);
    this.drainQueue();
  }

  private drainQueue(): void {
    while (!this.closed && !this.busy && this.queue.length > 0) this.handle(this.queue.shift() as Uint8Array);
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.ctx.config.limits.maxBufferedBytes) {
      this.close('slow-consumer', CloseCode.policyViolation);
      return;
    }
    this.socket.send(message, { binary: true });
    this.ctx.metrics.inc('reckon_messages_sent_total', 'Messages sent to peers');
    this.ctx.metrics.inc('reckon_bytes_sent_total', 'Bytes sent to peers', {}, message.byteLength);
  }

  close(reason: CloseReason, code: number): void {
    if (this.closed) return;
    this.markClosed(reason);
    try {
      if (code === CloseCode.policyViolation || code === CloseCode.invalidData || code === CloseCode.unsupportedData) {
        // A misbehaving peer: read nothing more from it (what it already queued would still be
        // parsed), and drop it if it does not answer the close within a second. Not sooner: a socket
        // dropped with unread bytes is reset, and a busy client then loses the close frame with its
        // reason (1006 instead of 1008); a paused socket costs nothing meanwhile.
        this.socket.pause();
        setTimeout(() => this.socket.terminate(), UNANSWERED_CLOSE_MS).unref();
      }
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }

  /** Drops the TCP connection without a closing handshake (dead peers). */
  terminate(reason: CloseReason): void {
    if (this.closed) return;
    this.markClosed(reason);
    this.socket.terminate();
  }

  private markClosed(reason: CloseReason | null): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    if (reason !== null) this.ctx.metrics.inc('reckon_closes_total', 'Connections closed by the relay', { reason });
    this.handlers.onClose(this);
  }

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary || !(data instanceof Uint8Array)) {
      this.close('malformed', CloseCode.unsupportedData);
      return;
    }
    const { metrics } = this.ctx;
    metrics.inc('reckon_messages_received_total', 'Messages received from peers');
    metrics.inc('reckon_bytes_received_total', 'Bytes received from peers', {}, data.byteLength);
    const nowMs = this.ctx.nowMs();
    const addressInCredit = this.ctx.limitStore.bytesByAddress.inCredit(this.address, nowMs);
    this.ctx.limitStore.bytesByAddress.charge(this.address, data.byteLength, nowMs);
    if (!this.limiter.admitMessage(data.byteLength, nowMs) || !addressInCredit) {
      this.close('rate-limit', CloseCode.policyViolation);
      return;
    }
    if (!this.started || this.busy) {
      if (this.queue.length >= this.ctx.config.limits.maxQueuedMessages) {
        this.close('queue-full', CloseCode.policyViolation);
        return;
      }
      this.queue.push(data);
      return;
    }
    this.handle(data);
  }

  private handle(data: Uint8Array): void {
    let pending: void | Promise<void>;
    try {
      pending = this.handlers.onMessage(this, data);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (pending instanceof Promise) {
      this.busy = true;
      pending.then(
        () => {
          this.busy = false;
          this.drainQueue();
        },
        (error: unknown) => this.fail(error),
      );
    }
  }

  private fail(error: unknown): void {
    const rejected = error instanceof Error && error.name === 'UpdateRejected';
    const reason = rejected ? (error as Error & { reason: string }).reason : 'apply-error';
    if (rejected && POLICY_REFUSALS.has(reason)) {
      this.ctx.metrics.inc('reckon_updates_refused_total', 'Well-formed updates refused as too costly for the room', { reason });
      this.close(reason as CloseReason, CloseCode.policyViolation);
      return;
    }
    if (!rejected) {
      this.ctx.log('warn', 'message-failed', { room: this.room, connection: this.id, error: describeError(error) });
    }
    this.ctx.metrics.inc('reckon_malformed_messages_total', 'Messages rejected as malformed', { reason });
    this.close('malformed', CloseCode.invalidData);
  }
}

/** The newest view connection among `connections` (shed for an editor when a room or the process is full), if any. */
export function newestViewer(connections: Iterable<Connection>): Connection | null {
  let newest: Connection | null = null;
  for (const c of connections) {
    if (!c.canWrite && !c.closed && (newest === null || c.id > newest.id)) newest = c;
  }
  return newest;
}

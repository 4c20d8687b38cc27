// A document too large for one websocket message (the 73 MB 1M-installation estate against the 64
// MiB message limit) reaches the relay in pieces: the page posts its state (an ordinary Yjs update,
// `Y.encodeStateAsUpdate` against the relay's state vector) in pieces of at most
// `maxUploadPieceBytes` to POST /api/upload with its edit token; the relay holds the pieces, and
// when the last one is there checks the whole update as it checks any client update (bounded
// decoding, dependencies, the room's budget, an integration trial when costly) and applies it to
// the room as one update, which is stored and sent to the room's peers. Then the page connects as
// usual and the sync protocol has little left to exchange. Stock clients never use this.
//
//   POST /api/upload?id=<upload id>&offset=<bytes received so far>&total=<bytes in all>
//   Authorization: Bearer <edit token>      body: the next piece (application/octet-stream)
//   → 200 {received, total, applied}        (applied: true once the last piece was applied)
//   → 409 {error: "wrong-offset", received} (resume from `received`)
//
// Bounds: one upload per workspace at a time (a new id replaces one idle for `uploadIdleSeconds`),
// `maxUploadBytes` an upload, and `uploadMemoryBytes` held by all uploads in progress; pieces are
// held as they came (memory follows what was sent, not what was announced).

import * as Y from 'yjs';
import type { RelayContext } from './context';
import { checkUpdate } from './protocol';
import type { RoomRegistry } from './rooms';
import { trialIntegration } from './integration-trial';
import type { TokenClaims } from './tokens';
import { UpdateRejected } from './binary-reader';

export class UploadError extends Error {
  constructor(readonly status: number, readonly reason: string, readonly extra: Record<string, unknown> = {}) {
    super(reason);
  }
}

interface Upload {
  id: string;
  total: number;
  pieces: Uint8Array[];
  received: number;
  lastMs: number;
}

export interface PieceResult {
  received: number;
  total: number;
  applied: boolean;
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/;
const UPLOAD_ORIGIN = Symbol('upload');

export class Uploads {
  private readonly byWorkspace = new Map<string, Upload>();
  private held = 0;

  constructor(private readonly ctx: RelayContext, private readonly rooms: RoomRegistry) {
    ctx.metrics.gauge('reckon_upload_bytes_held', 'Bytes held by uploads in progress', () => this.held);
  }

  /** Checks a piece's place before its body is read (so a refused piece is never buffered). */
  expect(claims: TokenClaims, id: string, offset: number, total: number, length: number): void {
    const { limits } = this.ctx.config;
    if (!UPLOAD_ID.test(id) || !Number.isSafeInteger(offset) || !Number.isSafeInteger(total) || offset < 0 || total < 1) {
      throw new UploadError(400, 'bad-upload');
    }
    if (total > limits.maxUploadBytes) throw new UploadError(413, 'upload-too-large');
    if (length > limits.maxUploadPieceBytes || offset + length > total) throw new UploadError(413, 'piece-too-large');
    const current = this.byWorkspace.get(claims.w);
    const nowMs = this.ctx.nowMs();
    if (current && current.id !== id) {
      if (nowMs - current.lastMs < limits.uploadIdleSeconds * 1000) throw new UploadError(409, 'upload-in-progress');
      this.drop(claims.w);
    }
    const received = current?.id === id ? current.received : 0;
    if (offset !== received) throw new UploadError(409, 'wrong-offset', { received });
    if (current?.id === id && current.total !== total) throw new UploadError(400, 'bad-upload');
    if (this.held + length > limits.uploadMemoryBytes) throw new UploadError(503, 'uploads-busy');
  }

  /** Adds a piece (after `expect`); applies the update when it is whole. */
  async piece(claims: TokenClaims, id: string, offset: number, total: number, body: Uint8Array): Promise<PieceResult> {
    this.expect(claims, id, offset, total, body.byteLength);
    let upload = this.byWorkspace.get(claims.w);
    if (!upload) this.byWorkspace.set(claims.w, (upload = { id, total, pieces: [], received: 0, lastMs: 0 }));
    upload.pieces.push(body);
    upload.received += body.byteLength;
    upload.lastMs = this.ctx.nowMs();
    this.held += body.byteLength;
    if (upload.received < total) return { received: upload.received, total, applied: false };
    const update = concat(upload.pieces, total);
    this.drop(claims.w);
    await this.apply(claims.w, update);
    return { received: total, total, applied: true };
  }

  private drop(workspace: string): void {
    const upload = this.byWorkspace.get(workspace);
    if (!upload) return;
    this.held -= upload.received;
    this.byWorkspace.delete(workspace);
  }

  /** Drops uploads idle for longer than allowed (called by the relay's timer). */
  sweep(): void {
    const cutoff = this.ctx.nowMs() - this.ctx.config.limits.uploadIdleSeconds * 1000;
    for (const [workspace, upload] of this.byWorkspace) if (upload.lastMs < cutoff) this.drop(workspace);
  }

  private async apply(workspace: string, update: Uint8Array): Promise<void> {
    const room = this.rooms.acquire(workspace);
    try {
      if (!(await room.loaded)) throw new UploadError(503, 'room-failed');
      let stats = checkUpdate(this.ctx, room, update);
      const { update: limits } = this.ctx.config.limits;
      if (stats.integrationSteps > limits.maxIntegrationSteps) {
        const trial = await trialIntegration(() => Y.encodeStateAsUpdate(room.doc), update, {
          timeoutMs: limits.trialTimeoutMs, loadTimeoutMs: limits.trialLoadTimeoutMs, maxHeapMb: limits.trialHeapMb,
        });
        if (!trial.ok) throw new UploadError(trial.reason === 'busy' ? 503 : 422, trial.reason === 'busy' ? 'trials-busy' : 'integration-cost');
        stats = checkUpdate(this.ctx, room, update);
      }
      room.apply(update, UPLOAD_ORIGIN, stats.estimatedHeapBytes);
      this.ctx.metrics.inc('reckon_uploads_applied_total', 'Documents uploaded in pieces and applied');
      await room.flush();
    } catch (error) {
      if (error instanceof UpdateRejected) throw new UploadError(422, error.reason);
      throw error;
    } finally {
      if (room.connections.size === 0) this.rooms.scheduleIdle(room);
    }
  }
}

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

// A first sync too large for one websocket message: the page uploads what the relay lacks in
// pieces (server/uploads.ts), with progress, before its provider connects; the provider's sync then
// has little left to send. Used by the session on connect and when the relay closes a connection
// for a message too big (1009), e.g. after a large import made offline. Plain fetch and Yjs: the
// relay tests run it in Node too.

import * as Y from 'yjs';

export interface UploadProgress {
  sent: number;
  total: number;
}

export interface UploadOptions {
  /** Relay base URL (http[s]://host[:port]); the page's own origin by default. */
  baseUrl: string;
  token: string;
  doc: Y.Doc;
  onProgress?: (p: UploadProgress) => void;
  /** Upload when what the relay lacks is larger than this (default: half the relay's message limit). */
  threshold?: number;
  signal?: AbortSignal;
}

/** How long to wait before retrying a piece the relay was too busy for (429/503), at most. */
const MAX_BACKOFF_MS = 5_000;

export class UploadFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Uploads what the relay lacks of `doc` when it is too large to send as one message. Resolves to
 * the bytes uploaded (0 when the normal sync can carry it); throws UploadFailed when the relay
 * refuses, or a TypeError when it cannot be reached.
 */
export async function uploadIfLarge(options: UploadOptions): Promise<number> {
  const { baseUrl, token, doc, onProgress, signal } = options;
  const auth = { authorization: `Bearer ${token}` };
  const svResponse = await fetch(`${baseUrl}/api/state-vector`, { headers: auth, signal });
  if (!svResponse.ok) throw new UploadFailed(await reasonOf(svResponse));
  const maxMessage = Number(svResponse.headers.get('x-reckon-max-message-bytes')) || 64 * 1024 * 1024;
  const pieceBytes = Number(svResponse.headers.get('x-reckon-upload-piece-bytes')) || 8 * 1024 * 1024;
  const update = Y.encodeStateAsUpdate(doc, new Uint8Array(await svResponse.arrayBuffer()));
  if (update.byteLength <= (options.threshold ?? maxMessage / 2)) return 0;
  const id = uploadId();
  const total = update.byteLength;
  let offset = 0, wait = 250;
  onProgress?.({ sent: 0, total });
  while (offset < total) {
    const piece = update.subarray(offset, Math.min(total, offset + pieceBytes));
    const r = await fetch(`${baseUrl}/api/upload?id=${id}&offset=${offset}&total=${total}`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: piece as Uint8Array<ArrayBuffer>, signal,
    });
    const body = (await r.json().catch(() => ({}))) as { received?: number; error?: string };
    if (r.status === 409 && body.error === 'wrong-offset' && typeof body.received === 'number') {
      offset = body.received;
      continue;
    }
    if (r.status === 429 || r.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(MAX_BACKOFF_MS, wait * 2);
      continue;
    }
    if (!r.ok || typeof body.received !== 'number') throw new UploadFailed(body.error ?? `HTTP ${r.status}`);
    offset = body.received;
    wait = 250;
    onProgress?.({ sent: offset, total });
  }
  return total;
}

async function reasonOf(r: Response): Promise<string> {
  try {
    return ((await r.json()) as { error?: string }).error ?? `HTTP ${r.status}`;
  } catch {
    return `HTTP ${r.status}`;
  }
}

function uploadId(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

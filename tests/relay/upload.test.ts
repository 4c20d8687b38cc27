// Any workspace can be shared, whatever its size: a document larger than the relay's message limit,
// made offline, reaches the relay in pieces (POST /api/upload) and then everyone else through the
// normal sync. A stock client alone cannot send it (closed 1009, forever); with the page's uploader
// (web/state/upload.ts, run here in Node) it goes up in pieces under the limit, is checked and
// applied as one update, and a stock client in the room receives it.

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { uploadIfLarge, UploadFailed } from '../../web/state/upload';
import { connectProvider, synced, useRelays, waitFor, type TestServer } from './helpers';

const { cleanups, relay } = useRelays();
const MB = 1 << 20;

/** A workbook-like document of about `bytes`, made offline (chunks of text in an array). */
function bigDoc(bytes: number): Y.Doc {
  const d = new Y.Doc();
  const chunks = d.getArray<string>('installations/chunks');
  for (let i = 0; i * 100_000 < bytes; i++) chunks.push([`${i}:`.padEnd(100_000, 'abcdefghij')]);
  return d;
}

const limits = { maxMessageBytes: 1 * MB, maxUploadPieceBytes: 256 * 1024 };

async function api(t: TestServer, route: string, token: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const r = await fetch(`${t.server.url}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  return { status: r.status, json: await r.json() };
}

describe('a document larger than a message', () => {
  it('a stock client alone cannot send it; uploaded in pieces it reaches the relay and another stock client', async () => {
    const t = await relay({ limits });
    const token = t.token('big', 'edit');
    const doc = bigDoc(3 * MB);
    const alone = connectProvider(t.wsUrl, 'big', token, doc);
    await waitFor(() => (t.server.metrics.get('reckon_closes_total', { reason: 'oversized' }) ?? 0) >= 2, 'closed as oversized, again');
    alone.destroy();

    const progress: number[] = [];
    const sent = await uploadIfLarge({ baseUrl: t.server.url, token, doc, onProgress: (p) => progress.push(p.sent) });
    expect(sent).toBeGreaterThan(3 * MB);
    expect(progress.length).toBeGreaterThan(12); // pieces of 256 KiB, each reported
    expect(progress[progress.length - 1]).toBe(sent);
    expect(t.server.metrics.get('reckon_uploads_applied_total')).toBe(1);

    const other = connectProvider(t.wsUrl, 'big', t.token('big', 'view'));
    cleanups.push(() => other.destroy());
    await synced(other);
    expect(other.doc.getArray('installations/chunks').length).toBe(doc.getArray('installations/chunks').length);
    // Now the uploader's own provider connects with little left to say.
    const uploader = connectProvider(t.wsUrl, 'big', token, doc);
    cleanups.push(() => uploader.destroy());
    await synced(uploader);
    doc.getArray<string>('installations/chunks').push(['after']);
    await waitFor(() => other.doc.getArray('installations/chunks').length === doc.getArray('installations/chunks').length, 'a later edit');
    expect(await uploadIfLarge({ baseUrl: t.server.url, token, doc })).toBe(0);
  });

  it('pieces resume at the relay\'s offset; only editors upload; sizes and concurrent uploads are bounded', async () => {
    const t = await relay({ limits: { ...limits, maxUploadBytes: 4 * MB } });
    const token = t.token('w', 'edit');
    const piece = new Uint8Array(1000);
    const post = (query: string, body: Uint8Array, as = token) => api(t, `/api/upload?${query}`, as, { method: 'POST', body: body as Uint8Array<ArrayBuffer> });
    expect(await post('id=upload-one&offset=0&total=3000', piece)).toEqual({ status: 200, json: { received: 1000, total: 3000, applied: false } });
    expect(await post('id=upload-one&offset=2000&total=3000', piece)).toEqual({ status: 409, json: { error: 'wrong-offset', received: 1000 } });
    expect(await post('id=upload-two&offset=0&total=3000', piece)).toEqual({ status: 409, json: { error: 'upload-in-progress' } });
    expect((await post('id=upload-one&offset=1000&total=3000', piece, t.token('w', 'view'))).json).toEqual({ error: 'edit-token-required' });
    expect((await post('id=upload-big&offset=0&total=5000000', piece, t.token('x', 'edit'))).json).toEqual({ error: 'upload-too-large' });
    expect((await post('id=upload-big&offset=0&total=4000000', new Uint8Array(300 * 1024), t.token('x', 'edit'))).json).toEqual({ error: 'piece-too-large' });
    // The whole of it is checked like any update: garbage is refused, the room untouched.
    await post('id=upload-one&offset=1000&total=3000', piece);
    expect(await post('id=upload-one&offset=2000&total=3000', piece)).toEqual({ status: 422, json: { error: 'trailing-bytes' } });
    expect(t.store.calls.filter((c) => c.op === 'append' && c.room === 'w')).toEqual([]);
    await expect(uploadIfLarge({ baseUrl: t.server.url, token: t.token('y', 'view'), doc: bigDoc(2 * MB) })).rejects.toBeInstanceOf(UploadFailed);
  });
});

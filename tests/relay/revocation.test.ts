// Revocation cascades: a token minted with a token (POST /api/share) carries the ids it descends
// from, so revoking any of them refuses it everywhere (upgrade, API) and closes its open connections
// with 4403 "revoked", whether revoked through the API or with `reckon share --revoke` while the
// relay runs. The page shows that reason (tests/browser/relay-notices.test.ts).

import { describe, expect, it } from 'vitest';
import { share as shareCommand } from '../../cli/share';
import { loadOrCreateSecret } from '../../server/token-files';
import { MAX_ANCESTORS, mintToken, verifyToken } from '../../server/tokens';
import { captureOutput, connectProvider, RawClient, synced, useRelays, waitFor, type TestServer } from './helpers';

const { cleanups, relay } = useRelays();

async function api(t: TestServer, method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.server.url}${route}`, {
    method,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

async function mint(t: TestServer, by: string, workspace: string, role: 'edit' | 'view'): Promise<{ token: string; tokenId: string }> {
  const r = await api(t, 'POST', '/api/share', by, { workspace, role });
  expect(r.status).toBe(201);
  return r.json;
}

/** A chain: owner → editor → (viewer, sub-editor → sub-viewer). */
async function chain(t: TestServer) {
  const owner = (await api(t, 'POST', '/api/workspaces')).json;
  const w = owner.workspace as string;
  const editor = await mint(t, owner.token, w, 'edit');
  const viewer = await mint(t, editor.token, w, 'view');
  const subEditor = await mint(t, editor.token, w, 'edit');
  const subViewer = await mint(t, subEditor.token, w, 'view');
  return { w, owner, editor, viewer, subEditor, subViewer };
}

function connect(t: TestServer, workspace: string, token: string): RawClient {
  const c = new RawClient(`${t.wsUrl}/${workspace}?token=${token}`);
  cleanups.push(() => c.close());
  return c;
}

describe('revocation cascades', () => {
  it('revoking a token through the API revokes every token minted from it, and closes their connections', async () => {
    const t = await relay();
    const { w, owner, editor, viewer, subEditor, subViewer } = await chain(t);
    expect(verifyToken(loadOrCreateSecret(t.dataDir), subViewer.token, Date.now() / 1000)).toMatchObject({ ok: true, claims: { a: [owner.tokenId, editor.tokenId, subEditor.tokenId] } });
    const open = [viewer, subEditor, subViewer].map((x) => connect(t, w, x.token));
    const ownerPeer = connectProvider(t.wsUrl, w, owner.token);
    cleanups.push(() => ownerPeer.destroy());
    for (const c of open) await c.waitOpen();
    await synced(ownerPeer);

    expect((await api(t, 'POST', '/api/revoke', owner.token, { tokenId: editor.tokenId })).status).toBe(200);
    for (const c of open) {
      expect(await c.waitClosed()).toBe(4403);
      expect(c.closeReason).toBe('revoked');
    }
    for (const x of [editor, viewer, subEditor, subViewer]) {
      expect(await api(t, 'GET', '/api/whoami', x.token)).toEqual({ status: 403, json: { error: 'revoked' } });
      const again = connect(t, w, x.token);
      await waitFor(() => again.httpStatus !== null || again.opened, 'refused');
      expect(again.httpStatus).toBe(403);
    }
    // The owner and what it minted separately are untouched.
    expect(ownerPeer.wsconnected).toBe(true);
    const other = await mint(t, owner.token, w, 'view');
    expect((await api(t, 'GET', '/api/whoami', other.token)).status).toBe(200);
  });

  it('revoking with the command line while the relay runs cascades too', async () => {
    const t = await relay({ revocationPollSeconds: 0.1 });
    const { w, editor, subViewer } = await chain(t);
    const c = connect(t, w, subViewer.token);
    await c.waitOpen();
    const out = captureOutput();
    try {
      expect(await shareCommand(['--revoke', editor.tokenId, '--data-dir', t.dataDir])).toBe(0);
    } finally {
      out.restore();
    }
    expect(await c.waitClosed()).toBe(4403);
    expect(c.closeReason).toBe('revoked');
  });

  it('an expired token is closed with 4401 "expired"; a chain has a bounded length', async () => {
    let now = Date.now();
    const t = await relay({ heartbeatSeconds: 0.1, nowMs: () => now });
    const owner = (await api(t, 'POST', '/api/workspaces')).json;
    const short = await api(t, 'POST', '/api/share', owner.token, { workspace: owner.workspace, role: 'view', expiresInSeconds: 60 });
    const c = connect(t, owner.workspace, short.json.token);
    await c.waitOpen();
    now += 61_000;
    expect(await c.waitClosed()).toBe(4401);
    expect(c.closeReason).toBe('expired');

    const secret = loadOrCreateSecret(t.dataDir);
    let parent = mintToken(secret, { workspace: 'deep', role: 'edit', nowSeconds: now / 1000 });
    for (let i = 0; i < MAX_ANCESTORS; i++) parent = mintToken(secret, { workspace: 'deep', role: 'edit', nowSeconds: now / 1000, parent: parent.claims });
    expect(await api(t, 'POST', '/api/share', parent.token, { workspace: 'deep', role: 'view' })).toEqual({ status: 400, json: { error: 'chain-too-long' } });
  });
});

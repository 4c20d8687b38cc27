// What the page needs to manage links and explain refusals: the token list with last use, live
// connections and revocation (own or through the token that minted it), whoami telling an altered
// link from one this relay never issued, published workspaces for a first visit, and the data
// directory's marker saying which relay uses it.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../../server/app';
import { parsePublicWorkspaces } from '../../server/config';
import { silentLogger } from '../../server/log';
import { MemoryRoomStore } from '../../server/store';
import { readRelayMarker, TokenUse } from '../../server/token-files';
import { connectProvider, synced, tempDir, useRelays, waitFor, type TestServer } from './helpers';

const { cleanups, relay } = useRelays();

async function api(t: TestServer, method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.server.url}${route}`, {
    method,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

describe('links', () => {
  it('lists tokens with who minted them, last use, live connections and revocation through a parent', async () => {
    let now = Date.UTC(2026, 0, 1);
    const t = await relay({ nowMs: () => now });
    const owner = (await api(t, 'POST', '/api/workspaces')).json;
    const editor = (await api(t, 'POST', '/api/share', owner.token, { workspace: owner.workspace, role: 'edit' })).json;
    const viewer = (await api(t, 'POST', '/api/share', editor.token, { workspace: owner.workspace, role: 'view', expiresInSeconds: 3600 })).json;

    let list = (await api(t, 'GET', '/api/tokens', owner.token)).json.tokens as any[];
    const byId = (id: string) => list.find((x) => x.id === id);
    expect(byId(editor.tokenId)).toMatchObject({ role: 'edit', parent: owner.tokenId, revoked: false, lastUsedAt: now / 1000, connections: 0 });
    expect(byId(viewer.tokenId)).toMatchObject({ role: 'view', parent: editor.tokenId, revoked: false, lastUsedAt: null, expiresAt: now / 1000 + 3600 });

    // The viewer connects: its use is recorded and its connection counted.
    now += 120_000;
    const p = connectProvider(t.wsUrl, owner.workspace, viewer.token);
    cleanups.push(() => p.destroy());
    await synced(p);
    list = (await api(t, 'GET', '/api/tokens', owner.token)).json.tokens;
    expect(byId(viewer.tokenId)).toMatchObject({ lastUsedAt: now / 1000, connections: 1 });

    // Revoking the editor revokes the viewer it minted.
    await api(t, 'POST', '/api/revoke', owner.token, { tokenId: editor.tokenId });
    await waitFor(() => p.wsconnected === false, 'the viewer closed');
    list = (await api(t, 'GET', '/api/tokens', owner.token)).json.tokens;
    expect([byId(owner.tokenId).revoked, byId(editor.tokenId).revoked, byId(viewer.tokenId).revoked]).toEqual([false, true, true]);
  });

  it('records a token\'s use at most once a minute, and keeps it across restarts', () => {
    const dir = tempDir();
    const use = new TokenUse(dir);
    use.touch('aaaaaaaaaaaaaaaaaaaaaa', 1000);
    use.touch('aaaaaaaaaaaaaaaaaaaaaa', 1030);
    expect(use.lastUsed('aaaaaaaaaaaaaaaaaaaaaa')).toBe(1000);
    use.touch('aaaaaaaaaaaaaaaaaaaaaa', 1061);
    expect(fs.readFileSync(path.join(dir, 'token-use.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(new TokenUse(dir).lastUsed('aaaaaaaaaaaaaaaaaaaaaa')).toBe(1061);
    expect(new TokenUse(dir).lastUsed('bbbbbbbbbbbbbbbbbbbbbb')).toBeNull();
  });

  it('whoami tells a link this relay issued and someone altered from one it never issued', async () => {
    const t = await relay();
    const other = await relay();
    const owner = (await api(t, 'POST', '/api/workspaces')).json;
    const [payload, mac] = owner.token.split('.');
    const altered = `${payload}.${mac.slice(0, -4)}AAAA`;
    expect((await api(t, 'GET', '/api/whoami', altered)).json).toEqual({ error: 'bad-mac', issued: true });
    const cut = owner.token.slice(0, 30);
    expect((await api(t, 'GET', '/api/whoami', cut)).json).toMatchObject({ error: 'malformed-token' });
    const foreign = (await api(other, 'POST', '/api/workspaces')).json.token;
    expect((await api(t, 'GET', '/api/whoami', foreign)).json).toEqual({ error: 'bad-mac', issued: false });
    expect((await api(t, 'GET', '/api/whoami', owner.token)).json).toMatchObject({ workspace: owner.workspace, role: 'edit', roomFull: false });
    expect((await api(t, 'GET', `/api/whoami?workspace=${owner.workspace}`, owner.token)).status).toBe(200);
    expect((await api(t, 'GET', '/api/whoami?workspace=another', owner.token)).json).toEqual({ error: 'wrong-workspace' });
  });

  it('whoami says when the token\'s room is full', async () => {
    const t = await relay({ limits: { maxConnectionsPerRoom: 1 } });
    const owner = (await api(t, 'POST', '/api/workspaces')).json;
    const p = connectProvider(t.wsUrl, owner.workspace, owner.token);
    cleanups.push(() => p.destroy());
    await synced(p);
    expect((await api(t, 'GET', '/api/whoami', owner.token)).json.roomFull).toBe(true);
  });

  it('publishes the operator\'s workspaces: listed, a view link per visitor, revoked all at once through the public token', async () => {
    const t = await relay({ publicWorkspaces: [{ id: 'demo', name: 'Demo estate' }], limits: { shareBurst: 3, sharePerMinute: 1 } });
    await t.server.writeWorkspace('demo', Y.encodeStateAsUpdate(new Y.Doc()));
    expect((await api(t, 'GET', '/api/public')).json).toEqual({ workspaces: [{ workspace: 'demo', name: 'Demo estate' }] });
    const a = await api(t, 'POST', '/api/public', undefined, { workspace: 'demo' });
    const b = await api(t, 'POST', '/api/public', undefined, { workspace: 'demo' });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ workspace: 'demo', role: 'view', name: 'Demo estate', expiresAt: null });
    expect(a.json.url).toBe(`${t.server.url}/#/w/demo?token=${a.json.token}`);
    expect(a.json.tokenId).not.toBe(b.json.tokenId);
    expect((await api(t, 'GET', '/api/whoami', a.json.token)).json).toMatchObject({ workspace: 'demo', role: 'view' });
    expect((await api(t, 'POST', '/api/public', undefined, { workspace: 'secret' })).json).toEqual({ error: 'not-public' });
    // Throttled per address like sharing (burst 3).
    expect((await api(t, 'POST', '/api/public', undefined, { workspace: 'demo' })).json).toEqual({ error: 'rate-limited' });

    // Visitors' links are not in the ledger; the public token is, and an editor revokes it.
    const editor = t.token('demo', 'edit');
    const listed = (await api(t, 'GET', '/api/tokens', editor)).json.tokens as any[];
    expect(listed.map((x) => x.id)).not.toContain(a.json.tokenId);
    const pub = listed.find((x) => x.public);
    expect(pub).toMatchObject({ role: 'view', public: true, revoked: false });
    // A visitor's use counts as the public token's.
    const p = connectProvider(t.wsUrl, 'demo', a.json.token);
    cleanups.push(() => p.destroy());
    await synced(p);
    expect((await api(t, 'GET', '/api/tokens', editor)).json.tokens.find((x: any) => x.public).lastUsedAt).not.toBeNull();
    await api(t, 'POST', '/api/revoke', editor, { tokenId: pub.id });
    expect((await api(t, 'GET', '/api/whoami', b.json.token)).json).toEqual({ error: 'revoked' });
    expect((await api(t, 'GET', '/api/public')).json).toEqual({ workspaces: [] });
  });

  it('writes relay.json into its data directory: the address its links use', async () => {
    const dataDir = tempDir();
    const s = await startServer({ port: 0, dataDir, log: silentLogger, store: new MemoryRoomStore(), publicUrl: 'https://reckon.example' });
    cleanups.push(() => s.close());
    expect(readRelayMarker(dataDir)).toMatchObject({ url: 'https://reckon.example', pid: process.pid });
  });

  it('reads RECKON_PUBLIC_WORKSPACES', () => {
    expect(parsePublicWorkspaces('demo=Demo estate, handbook')).toEqual([{ id: 'demo', name: 'Demo estate' }, { id: 'handbook', name: 'handbook' }]);
    expect(parsePublicWorkspaces('')).toEqual([]);
    expect(parsePublicWorkspaces(undefined)).toBeUndefined();
    expect(() => parsePublicWorkspaces('../x')).toThrow(/not a workspace id/);
  });
});

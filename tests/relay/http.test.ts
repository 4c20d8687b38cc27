// The HTTP side of the one-port server: the sharing API, static files with
// SPA fallback, health and metrics, the start hook, and the rule that tokens
// never reach the log.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, docWith, synced, tempDir, waitFor, type TestServer, useRelays } from './helpers';

const { cleanups, relay } = useRelays();

async function api(t: TestServer, method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.server.url}${route}`, {
    method,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

/** A raw GET (fetch would normalize `..` away). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sharing API', () => {
  it('mints a workspace, shares view and edit links, answers whoami, revokes', async () => {
    const t = await relay();
    const created = await api(t, 'POST', '/api/workspaces');
    expect(created.status).toBe(201);
    const { workspace, token: owner } = created.json;
    expect(workspace).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.json.url).toBe(`${t.server.url}/#/w/${workspace}?token=${owner}`);
    expect((await api(t, 'GET', '/api/whoami', owner)).json).toMatchObject({ workspace, role: 'edit', expiresAt: null });

    const view = await api(t, 'POST', '/api/share', owner, { workspace, role: 'view', expiresInSeconds: 3600 });
    expect(view.status).toBe(201);
    expect(view.json).toMatchObject({ workspace, role: 'view' });
    expect(view.json.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(view.json.url).toContain(`/#/w/${workspace}?token=${view.json.token}`);
    expect((await api(t, 'GET', '/api/whoami', view.json.token)).json).toMatchObject({ workspace, role: 'view' });

    // a view token cannot share or revoke; an editor of another workspace cannot either
    expect((await api(t, 'POST', '/api/share', view.json.token, { workspace, role: 'edit' })).status).toBe(403);
    const stranger = (await api(t, 'POST', '/api/workspaces')).json.token;
    expect((await api(t, 'POST', '/api/share', stranger, { workspace, role: 'view' })).json).toEqual({ error: 'wrong-workspace' });
    expect((await api(t, 'POST', '/api/revoke', stranger, { tokenId: view.json.tokenId })).status).toBe(404);
    expect((await api(t, 'POST', '/api/revoke', view.json.token, { tokenId: view.json.tokenId })).status).toBe(403);

    const listed = await api(t, 'GET', '/api/tokens', owner);
    expect(listed.json.tokens.map((x: { id: string }) => x.id)).toContain(view.json.tokenId);

    expect((await api(t, 'POST', '/api/revoke', owner, { tokenId: view.json.tokenId })).json).toEqual({ revoked: view.json.tokenId });
    expect((await api(t, 'GET', '/api/whoami', view.json.token)).json).toEqual({ error: 'revoked' });
  });

  it('refuses bad requests with a reason', async () => {
    const t = await relay();
    const { workspace, token } = (await api(t, 'POST', '/api/workspaces')).json;
    expect((await api(t, 'GET', '/api/whoami')).json).toEqual({ error: 'missing-token' });
    expect((await api(t, 'GET', '/api/whoami', 'x.y')).json).toEqual({ error: 'bad-mac', issued: false });
    expect((await api(t, 'POST', '/api/share', token, { workspace, role: 'admin' })).json).toEqual({ error: 'bad-role' });
    expect((await api(t, 'POST', '/api/share', token, { workspace: '../x', role: 'view' })).json).toEqual({ error: 'bad-workspace' });
    expect((await api(t, 'POST', '/api/share', token, { workspace, role: 'view', expiresInSeconds: -5 })).json).toEqual({ error: 'bad-expiry' });
    expect((await api(t, 'POST', '/api/revoke', token, { tokenId: 'short' })).json).toEqual({ error: 'bad-token-id' });
    expect((await api(t, 'GET', '/api/share', token)).status).toBe(405);
    expect((await api(t, 'GET', '/api/nothing', token)).status).toBe(404);
    const notJson = await fetch(`${t.server.url}/api/share`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('never lets a shared token outlive the token that shared it', async () => {
    const t = await relay();
    const parent = t.token('ws', 'edit', { expiresInSeconds: 600 });
    const child = await api(t, 'POST', '/api/share', parent, { workspace: 'ws', role: 'view', expiresInSeconds: 86_400 });
    expect(child.json.expiresAt).toBeLessThanOrEqual(Date.now() / 1000 + 600 + 1);
    const forever = await api(t, 'POST', '/api/share', parent, { workspace: 'ws', role: 'view' });
    expect(forever.json.expiresAt).not.toBeNull();
  });

  it('lets a workspace made offline claim its id once, never an id the relay knows', async () => {
    const t = await relay();
    const offline = 'local-abcdefghij0123456789';
    const claimed = await api(t, 'POST', '/api/workspaces', undefined, { workspace: offline });
    expect(claimed.status).toBe(201);
    expect(claimed.json).toMatchObject({ workspace: offline, role: 'edit' });
    expect(claimed.json.url).toBe(`${t.server.url}/#/w/${offline}?token=${claimed.json.token}`);
    expect((await api(t, 'GET', '/api/whoami', claimed.json.token)).json).toMatchObject({ workspace: offline, role: 'edit' });
    // Tokens were issued for it: a second claim (anyone who learned the id) is refused.
    expect(await api(t, 'POST', '/api/workspaces', undefined, { workspace: offline })).toEqual({ status: 409, json: { error: 'workspace-exists' } });
    // A room with data but no recorded token (seeded server-side) is refused too.
    await t.server.writeWorkspace('seeded', Y.encodeStateAsUpdate(docWith({ a: 1 })));
    expect((await api(t, 'POST', '/api/workspaces', undefined, { workspace: 'seeded' })).json).toEqual({ error: 'workspace-exists' });
    // Two claims of one id at once: exactly one wins.
    const both = await Promise.all([1, 2].map(() => api(t, 'POST', '/api/workspaces', undefined, { workspace: 'raced-id' })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await api(t, 'POST', '/api/workspaces', undefined, { workspace: '../x' })).json).toEqual({ error: 'bad-workspace' });
    expect((await api(t, 'POST', '/api/workspaces', undefined, { workspace: 7 })).json).toEqual({ error: 'bad-workspace' });
    // The claimed token syncs the workspace up.
    const doc = docWith({ from: 'offline' });
    const p = connectProvider(t.wsUrl, offline, claimed.json.token, doc);
    cleanups.push(() => p.destroy());
    await synced(p);
    await waitFor(async () => {
      const state = await t.server.readWorkspace(offline);
      if (!state) return false;
      const d = new Y.Doc();
      Y.applyUpdate(d, state);
      return d.getMap('m').get('from') === 'offline';
    }, 'the offline content on the relay');
  });

  it('rate-limits workspace creation', async () => {
    const t = await relay({ limits: { workspaceCreateBurst: 3, workspaceCreatePerMinute: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api(t, 'POST', '/api/workspaces')).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});

describe('static files, health, metrics', () => {
  function builtApp(): string {
    const dir = tempDir('reckon-dist-');
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Reckon</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.css'), 'body{}');
    fs.writeFileSync(path.join(path.dirname(dir), 'reckon-outside-secret.txt'), 'outside');
    return dir;
  }

  it('serves the app with content types, SPA fallback and no way out of its directory', async () => {
    const t = await relay({ staticDir: builtApp() });
    const { port } = t.server;
    expect(await rawGet(port, '/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(await rawGet(port, '/assets/app-abc123.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await rawGet(port, '/assets/app-abc123.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    const route = await rawGet(port, '/w/some-workspace?token=abc');
    expect(route).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(route.body).toContain('<title>Reckon</title>');
    expect((await rawGet(port, '/assets/missing.js')).status).toBe(404);
    for (const attempt of ['/../reckon-outside-secret.txt', '/..%2freckon-outside-secret.txt', '/assets/..%2f..%2freckon-outside-secret.txt', '/%2e%2e/reckon-outside-secret.txt', '/..\\reckon-outside-secret.txt', '/%00']) {
      const res = await rawGet(port, attempt);
      expect(res.body, attempt).not.toContain('outside');
    }
    expect((await fetch(`${t.server.url}/index.html`, { method: 'POST' })).status).toBe(405);
  });

  it('says so when the app is not built', async () => {
    const t = await relay({ staticDir: path.join(tempDir(), 'missing') });
    const res = await rawGet(t.server.port, '/');
    expect(res.status).toBe(404);
    expect(res.body).toContain('npm run build');
  });

  it('reports health and Prometheus metrics', async () => {
    const t = await relay();
    const p = connectProvider(t.wsUrl, 'm1', t.token('m1', 'edit'));
    cleanups.push(() => p.destroy());
    await synced(p);
    p.doc.getMap('m').set('x', 1);
    await waitFor(() => t.server.metrics.get('reckon_updates_applied_total') >= 1, 'update applied');
    const health = await (await fetch(`${t.server.url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', rooms: 1, connections: 1 });
    const text = await (await fetch(`${t.server.url}/metrics`)).text();
    for (const name of ['reckon_rooms_open 1', 'reckon_connections_open 1', 'reckon_messages_received_total', 'reckon_bytes_received_total', 'process_resident_memory_bytes']) {
      expect(text).toContain(name);
    }
    await fetch(`${t.server.url}/api/whoami`);
    new WebSocketProbe(`${t.wsUrl}/m1`);
    await waitFor(async () => (await (await fetch(`${t.server.url}/metrics`)).text()).includes('reckon_refusals_total{reason="missing-token"} 1'), 'refusal counted');
  });

  it('runs the start hook, which can seed a workspace and mint its link', async () => {
    let link = '';
    const t = await relay({
      onStart: async (server) => {
        const seed = new Y.Doc();
        seed.getMap('m').set('demo', true);
        await server.writeWorkspace('demo', Y.encodeStateAsUpdate(seed));
        link = server.mintShareLink('demo', 'edit').url;
      },
    });
    expect(link).toMatch(new RegExp(`^${t.server.url}/#/w/demo\\?token=`));
    const token = new URL(link.replace('#/', '')).searchParams.get('token') as string;
    const p = connectProvider(t.wsUrl, 'demo', token);
    cleanups.push(() => p.destroy());
    await synced(p);
    expect(p.doc.getMap('m').get('demo')).toBe(true);
  });

  it('never writes a token to the log', async () => {
    const t = await relay();
    const token = t.token('logged', 'edit');
    const p = connectProvider(t.wsUrl, 'logged', token);
    cleanups.push(() => p.destroy());
    await synced(p);
    const owner = (await api(t, 'POST', '/api/workspaces')).json;
    const shared = await api(t, 'POST', '/api/share', owner.token, { workspace: owner.workspace, role: 'view' });
    await api(t, 'POST', '/api/revoke', owner.token, { tokenId: shared.json.tokenId });
    new WebSocketProbe(`${t.wsUrl}/logged?token=${token.slice(0, -2)}xx`); // refused: logged
    new WebSocketProbe(`${t.wsUrl}/other?token=${token}`); // refused: logged
    await waitFor(() => t.logs.filter((l) => l.event === 'upgrade-refused').length === 2, 'refusals logged');
    const text = JSON.stringify(t.logs);
    expect(t.logs.length).toBeGreaterThan(4);
    for (const secret of [token, owner.token, shared.json.token, token.slice(0, -2)]) expect(text).not.toContain(secret);
    expect(text).not.toContain('token=');
  });
});

/** Fire-and-forget websocket attempt (its refusal is what the test looks at). */
class WebSocketProbe {
  constructor(url: string) {
    const req = http.request(url.replace(/^ws/, 'http'), {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('response', (res) => res.resume());
    req.on('upgrade', (_res, socket) => socket.destroy());
    req.on('error', () => {});
    req.end();
  }
}

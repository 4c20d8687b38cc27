// Capacity cannot be hoarded: creating workspaces takes an operator credential or is capped per
// address; connections are capped per address and per token; in a full room an editor takes the
// place of a viewer; sharing is throttled and the ledger does not grow without bound through one
// workspace. Addresses are told apart through X-Forwarded-For (a relay started with trustProxy).

import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { connectProvider, RawClient, synced, useRelays, waitFor, type TestServer } from './helpers';

const { cleanups, relay } = useRelays();

async function api(t: TestServer, method: string, route: string, options: { token?: string; body?: unknown; address?: string } = {}): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.address) headers['X-Forwarded-For'] = options.address;
  const res = await fetch(`${t.server.url}${route}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  return { status: res.status, json: await res.json() };
}

function raw(t: TestServer, room: string, token: string, address = '10.0.0.1'): RawClient {
  const c = new RawClient(`${t.wsUrl}/${room}?token=${token}`, { address });
  cleanups.push(() => c.close());
  return c;
}

/** Opens a raw client and reports whether it got in (open) or was refused (HTTP status). */
async function tryConnect(c: RawClient): Promise<'open' | number> {
  await waitFor(() => c.opened || c.httpStatus !== null, 'connected or refused');
  return c.opened ? 'open' : (c.httpStatus as number);
}

describe('creating workspaces', () => {
  it('is capped per address and day; other addresses and the operator are not held back', async () => {
    const t = await relay({ trustProxy: true, operatorToken: 'op-secret-0123456789', limits: { workspacesPerAddressPerDay: 3, workspaceCreateBurst: 100 } });
    for (let i = 0; i < 3; i++) expect((await api(t, 'POST', '/api/workspaces', { address: '10.0.0.1' })).status).toBe(201);
    expect(await api(t, 'POST', '/api/workspaces', { address: '10.0.0.1' })).toEqual({ status: 429, json: { error: 'too-many-workspaces' } });
    expect((await api(t, 'POST', '/api/workspaces', { address: '10.0.0.2' })).status).toBe(201);
    expect((await api(t, 'POST', '/api/workspaces', { address: '10.0.0.1', token: 'op-secret-0123456789' })).status).toBe(201);
  });

  it('can be kept to the operator', async () => {
    const t = await relay({ operatorToken: 'op-secret-0123456789', workspaceCreation: 'operator' });
    expect(await api(t, 'POST', '/api/workspaces')).toEqual({ status: 403, json: { error: 'operator-only' } });
    expect((await api(t, 'POST', '/api/workspaces', { token: 'wrong' })).status).toBe(403);
    expect((await api(t, 'POST', '/api/workspaces', { token: 'op-secret-0123456789' })).status).toBe(201);
  });
});

describe('connections', () => {
  it('one address cannot hold every connection; one token cannot either', async () => {
    const t = await relay({ trustProxy: true, limits: { maxConnections: 40, maxConnectionsPerAddress: 10, maxConnectionsPerToken: 6 } });
    // One client, many workspaces (the tester's 40), one address: stops at 10.
    const mine = Array.from({ length: 12 }, (_, i) => raw(t, `w${i}`, t.token(`w${i}`, 'edit'), '10.0.0.66'));
    const got = await Promise.all(mine.map(tryConnect));
    expect(got.filter((g) => g === 'open')).toHaveLength(10);
    expect(got.filter((g) => g === 503)).toHaveLength(2);
    // One token from many addresses: stops at 6.
    const token = t.token('shared', 'view');
    const many = Array.from({ length: 8 }, (_, i) => raw(t, 'shared', token, `10.1.0.${i}`));
    const got2 = await Promise.all(many.map(tryConnect));
    expect(got2.filter((g) => g === 'open')).toHaveLength(6);
    // Everyone else still gets in.
    const p = connectProvider(t.wsUrl, 'someone', t.token('someone', 'edit'), undefined, { address: '10.9.9.9' });
    cleanups.push(() => p.destroy());
    await synced(p);
    // Closing frees the slots.
    for (const c of mine) c.close();
    await waitFor(() => t.server.metrics.get('reckon_connections_open') === 7, 'closed');
    expect(await tryConnect(raw(t, 'w0', t.token('w0', 'edit'), '10.0.0.66'))).toBe('open');
  });

  it('in a full room, the owner and editors still get in: the newest viewer is shed', async () => {
    const t = await relay({ trustProxy: true, limits: { maxConnectionsPerRoom: 4 } });
    const viewers = Array.from({ length: 4 }, (_, i) => raw(t, 'room', t.token('room', 'view'), `10.2.0.${i}`));
    for (const v of viewers) await v.waitOpen();
    expect(await tryConnect(raw(t, 'room', t.token('room', 'view'), '10.2.0.9'))).toBe(503);
    const owner = connectProvider(t.wsUrl, 'room', t.token('room', 'edit'), undefined, { address: '10.3.0.1' });
    cleanups.push(() => owner.destroy());
    await synced(owner);
    expect(await viewers[3].waitClosed()).toBe(4503);
    expect(viewers[3].closeReason).toBe('room-full');
    expect(viewers.slice(0, 3).every((v) => v.closeCode === null)).toBe(true);
  });
});

describe('sharing', () => {
  it('POST /api/share is throttled per token and per address; tokens per workspace are capped', async () => {
    const t = await relay({ trustProxy: true, limits: { shareBurst: 5, sharePerMinute: 5, maxTokensPerWorkspace: 8, apiBurst: 1000 } });
    const owner = (await api(t, 'POST', '/api/workspaces', { address: '10.4.0.1' })).json;
    const share = (address: string, token = owner.token) => api(t, 'POST', '/api/share', { token, address, body: { workspace: owner.workspace, role: 'view' } });
    for (let i = 0; i < 5; i++) expect((await share('10.4.0.1')).status).toBe(201);
    expect(await share('10.4.0.2')).toEqual({ status: 429, json: { error: 'rate-limited' } }); // the token's burst is spent
    const editor = t.server.mintShareLink(owner.workspace, 'edit').token;
    expect((await share('10.4.0.1', editor)).status).toBe(429); // the address's burst is spent
    expect((await share('10.4.0.3', editor)).status).toBe(201);
    expect((await share('10.4.0.3', editor)).json).toEqual({ error: 'too-many-tokens' }); // 8 issued for the workspace
    const ledger = fs.readFileSync(path.join(t.dataDir, 'tokens.jsonl'), 'utf8').trim().split('\n');
    expect(ledger).toHaveLength(8);
  });

  it('every API call is rate-limited per address', async () => {
    const t = await relay({ trustProxy: true, limits: { apiBurst: 10, apiPerAddressPerMinute: 10 } });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await api(t, 'GET', '/api/whoami', { address: '10.5.0.1' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await api(t, 'GET', '/api/whoami', { address: '10.5.0.2' })).status).toBe(401);
  });
});

// The same rules on every process (issue 25): a token revoked on one process (through the API, or
// with `reckon share --revoke` against Redis) is refused by every process and its open connections
// on every process are closed, cascading to the tokens minted from it; the caps per address, per
// token and per room count the connections of all processes (an editor in a full room sheds a
// viewer held by another process); a process killed with -9 stops counting once its heartbeat
// lapses; API budgets per address are shared.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { share as shareCommand } from '../../cli/share';
import { captureOutput, connectProvider, RawClient, synced, waitFor } from '../relay/helpers';
import { freshPrefix, startRedis, startRelayProcess, type RedisServer, type RelayProcess } from './harness';
import { api, mintFor, secretOf } from './tokens';

const redis = await startRedis();
if (typeof redis === 'string') console.warn(`[skipped] trust tests: ${redis}`);

describe.skipIf(typeof redis === 'string')('the same rules on every process', () => {
  const server = redis as RedisServer;
  const prefix = freshPrefix();
  let relays: RelayProcess[] = [];
  let secret: Buffer;
  const cleanups: Array<() => void> = [];

  const raw = (relay: RelayProcess, room: string, token: string, address: string): RawClient => {
    const c = new RawClient(`${relay.wsUrl}/${room}?token=${token}`, { address });
    cleanups.push(() => c.close());
    return c;
  };
  /** Opens a raw client and reports whether it got in (open) or was refused (HTTP status). */
  const tryConnect = async (c: RawClient): Promise<'open' | number> => {
    await waitFor(() => c.opened || c.httpStatus !== null, 'connected or refused');
    return c.opened ? 'open' : (c.httpStatus as number);
  };

  beforeAll(async () => {
    const env = {
      RECKON_MAX_CONNECTIONS_PER_ADDRESS: '4',
      RECKON_MAX_CONNECTIONS_PER_TOKEN: '5',
      RECKON_MAX_CONNECTIONS_PER_ROOM: '6',
      RECKON_PROCESS_TTL_SECONDS: '2',
      // API requests per address: the burst of 100, refilled at one a minute (nothing refills during a test).
      RECKON_API_PER_ADDRESS_PER_MINUTE: '1',
    };
    relays = await Promise.all([0, 1, 2].map(() => startRelayProcess(server, prefix, env)));
    relays.push(await startRelayProcess(server, prefix, env)); // the one killed below
    secret = await secretOf(server, prefix);
  });

  afterAll(async () => {
    for (const c of cleanups) c();
    await Promise.all(relays.map((r) => r.kill('SIGKILL')));
    await server.stop();
  });

  it('revoking on one process closes the token and every token minted from it on every process, and every process refuses them', async () => {
    const [a, b, c] = relays as [RelayProcess, RelayProcess, RelayProcess];
    const owner = (await api(a, 'POST', '/api/workspaces', { address: '10.6.0.1' })).json;
    const w = owner.workspace as string;
    const mint = async (relay: RelayProcess, by: string, role: 'edit' | 'view') => {
      const r = await api(relay, 'POST', '/api/share', { token: by, body: { workspace: w, role }, address: '10.6.0.1' });
      expect(r.status).toBe(201);
      return r.json as { token: string; tokenId: string };
    };
    // Minted on different processes: one ledger.
    const editor = await mint(b, owner.token, 'edit');
    const viewer = await mint(c, editor.token, 'view');
    const subEditor = await mint(a, editor.token, 'edit');
    const subViewer = await mint(b, subEditor.token, 'view');
    expect((await api(c, 'GET', '/api/tokens', { token: owner.token })).json.tokens).toHaveLength(5);

    const open = [raw(b, w, viewer.token, '10.6.1.1'), raw(c, w, subEditor.token, '10.6.1.2'), raw(a, w, subViewer.token, '10.6.1.3')];
    const ownerPeer = connectProvider(c.wsUrl, w, owner.token, undefined, { address: '10.6.1.4' });
    cleanups.push(() => ownerPeer.destroy());
    for (const peer of open) await peer.waitOpen();
    await synced(ownerPeer);

    expect((await api(a, 'POST', '/api/revoke', { token: owner.token, body: { tokenId: editor.tokenId } })).status).toBe(200);
    for (const peer of open) {
      expect(await peer.waitClosed()).toBe(4403);
      expect(peer.closeReason).toBe('revoked');
    }
    for (const relay of [a, b, c]) {
      for (const x of [editor, viewer, subEditor, subViewer]) {
        expect(await api(relay, 'GET', '/api/whoami', { token: x.token, address: '10.6.2.1' })).toEqual({ status: 403, json: { error: 'revoked' } });
        expect(await tryConnect(raw(relay, w, x.token, '10.6.2.2'))).toBe(403);
      }
    }
    expect(ownerPeer.wsconnected).toBe(true);
  });

  it('`reckon share` with REDIS_URL mints into the shared ledger and revokes on every process', async () => {
    const [a, b, c] = relays as [RelayProcess, RelayProcess, RelayProcess];
    const saved = { REDIS_URL: process.env.REDIS_URL, RECKON_REDIS_PREFIX: process.env.RECKON_REDIS_PREFIX };
    process.env.REDIS_URL = server.url;
    process.env.RECKON_REDIS_PREFIX = prefix;
    const out = captureOutput();
    try {
      expect(await shareCommand(['cli-room', '--role', 'edit', '--base-url', 'http://example.test'])).toBe(0);
      const token = /token=([^\s]+)/.exec(out.stdout.join(''))?.[1] as string;
      const tokenId = /token id (\S+)/.exec(out.stdout.join(''))?.[1] as string;
      // The CLI's token works on every process, which find it in the shared ledger.
      expect((await api(b, 'GET', '/api/tokens', { token, address: '10.6.3.1' })).json.tokens.map((t: { id: string }) => t.id)).toEqual([tokenId]);
      const peers = [raw(a, 'cli-room', token, '10.6.3.2'), raw(c, 'cli-room', token, '10.6.3.3')];
      for (const peer of peers) await peer.waitOpen();
      expect(await shareCommand(['--revoke', tokenId])).toBe(0);
      for (const peer of peers) expect(await peer.waitClosed()).toBe(4403);
    } finally {
      out.restore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('a view token reads through any process and writes through none', async () => {
    const [a, b] = relays as [RelayProcess, RelayProcess];
    const editor = connectProvider(a.wsUrl, 'roles', mintFor(secret, 'roles', 'edit'), undefined, { address: '10.6.9.1' });
    const viewer = connectProvider(b.wsUrl, 'roles', mintFor(secret, 'roles', 'view'), undefined, { address: '10.6.9.2' });
    cleanups.push(() => editor.destroy(), () => viewer.destroy());
    await synced(editor);
    await synced(viewer);
    editor.doc.getMap('m').set('by-editor', 1);
    await waitFor(() => viewer.doc.getMap('m').get('by-editor') === 1, 'the viewer reads the edit');
    viewer.doc.getMap('m').set('by-viewer', 2);
    editor.doc.getMap('m').set('after', 3);
    await waitFor(() => viewer.doc.getMap('m').get('after') === 3, 'later edits still reach the viewer');
    // A fresh editor on a third process loads what is stored: never the viewer's write.
    const fresh = connectProvider(relays[2]!.wsUrl, 'roles', mintFor(secret, 'roles', 'edit'), undefined, { address: '10.6.9.3' });
    cleanups.push(() => fresh.destroy());
    await synced(fresh);
    expect(fresh.doc.getMap('m').toJSON()).toEqual({ 'by-editor': 1, after: 3 });
    expect(editor.doc.getMap('m').has('by-viewer')).toBe(false);
  });

  it('caps per address and per token count the connections of every process', async () => {
    const [a, b, c] = relays as [RelayProcess, RelayProcess, RelayProcess];
    // One address, four workspaces, three processes: the fifth connection is refused wherever it goes.
    const mine = [a, b, c, a].map((r, i) => raw(r, `cap-${i}`, mintFor(secret, `cap-${i}`, 'edit'), '10.6.4.1'));
    for (const m of mine) expect(await tryConnect(m)).toBe('open');
    for (const relay of [a, b, c]) expect(await tryConnect(raw(relay, 'cap-x', mintFor(secret, 'cap-x', 'edit'), '10.6.4.1'))).toBe(503);
    // Closing one (on a) frees a place on c.
    mine[0]!.close();
    await waitFor(async () => (await tryConnect(raw(c, 'cap-y', mintFor(secret, 'cap-y', 'edit'), '10.6.4.1'))) === 'open', 'a place freed');

    // One token, many addresses: five in all.
    const token = mintFor(secret, 'cap-token', 'view');
    const many = [a, b, c, a, b].map((r, i) => raw(r, 'cap-token', token, `10.6.5.${i}`));
    for (const m of many) expect(await tryConnect(m)).toBe('open');
    expect(await tryConnect(raw(c, 'cap-token', token, '10.6.5.9'))).toBe(503);
  });

  it('a full room counts every process; an editor arriving on a third process sheds a viewer held by another', async () => {
    const [a, b, c] = relays as [RelayProcess, RelayProcess, RelayProcess];
    const viewToken = () => mintFor(secret, 'full', 'view');
    const viewers = [a, b, a, b, a, b].map((r, i) => raw(r, 'full', viewToken(), `10.6.6.${i}`));
    for (const v of viewers) expect(await tryConnect(v)).toBe('open');
    expect(await tryConnect(raw(c, 'full', viewToken(), '10.6.6.9'))).toBe(503);
    const owner = connectProvider(c.wsUrl, 'full', mintFor(secret, 'full', 'edit'), undefined, { address: '10.6.6.10' });
    cleanups.push(() => owner.destroy());
    await synced(owner);
    await waitFor(() => viewers.some((v) => v.closeCode !== null), 'a viewer shed');
    const shed = viewers.filter((v) => v.closeCode !== null);
    expect(shed).toHaveLength(1);
    expect(shed[0]!.closeCode).toBe(4503);
    expect(shed[0]!.closeReason).toBe('room-full');
  });

  it('a process killed with -9 stops counting once its heartbeat lapses', async () => {
    const [, b] = relays as [RelayProcess, RelayProcess];
    const doomed = relays[3] as RelayProcess;
    const held = [0, 1, 2, 3].map((i) => raw(doomed, `dead-${i}`, mintFor(secret, `dead-${i}`, 'edit'), '10.6.7.1'));
    for (const h of held) expect(await tryConnect(h)).toBe('open');
    expect(await tryConnect(raw(b, 'dead-x', mintFor(secret, 'dead-x', 'edit'), '10.6.7.1'))).toBe(503);
    await doomed.kill('SIGKILL');
    // Counted until its heartbeat (2 s here; 15 s by default) lapses, then freed.
    await waitFor(async () => (await tryConnect(raw(b, 'dead-y', mintFor(secret, 'dead-y', 'edit'), '10.6.7.1'))) === 'open', 'freed after the heartbeat lapsed', 15_000);
    expect((await (await fetch(`${b.url}/healthz`)).json()).processes).toBe(3);
  });

  it('API budgets per address are shared: the burst is spent across processes', async () => {
    const statuses: number[] = [];
    // apiBurst is 100: 100 requests spread over three processes pass, then every process refuses.
    for (let i = 0; i < 100; i++) statuses.push((await api(relays[i % 3]!, 'GET', '/api/whoami', { address: '10.6.8.1' })).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    for (const relay of relays.slice(0, 3)) expect((await api(relay, 'GET', '/api/whoami', { address: '10.6.8.1' })).status).toBe(429);
  });
});

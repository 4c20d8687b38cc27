// Moving a one-process relay's data directory into Redis (server/redis/migrate.ts): its rooms, its
// ledger, its revocations and its token secret, so links made before keep working on every process
// and revoked ones stay revoked. Twice is harmless; a Redis with another secret is refused.

import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { migrateDataDir } from '../../server/redis/migrate';
import { connectProvider, RawClient, startTestServer, synced, waitFor } from '../relay/helpers';
import { freshPrefix, startRedis, startRelayProcess, type RedisServer, type RelayProcess } from './harness';

const redis = await startRedis();
if (typeof redis === 'string') console.warn(`[skipped] migration tests: ${redis}`);

describe.skipIf(typeof redis === 'string')('moving a data directory into Redis', () => {
  const server = redis as RedisServer;
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await server.stop();
  });

  it('rooms, tokens, revocations and the secret move; links made before keep working, revoked ones stay refused', async () => {
    const before = await startTestServer({ trustProxy: true }, { leveldb: true });
    const post = async (route: string, token?: string, body?: unknown) =>
      (await fetch(`${before.server.url}${route}`, { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {}, ...(body ? { body: JSON.stringify(body) } : {}) })).json();
    const owner = await post('/api/workspaces');
    const viewer = await post('/api/share', owner.token, { workspace: owner.workspace, role: 'view' });
    const revoked = await post('/api/share', owner.token, { workspace: owner.workspace, role: 'edit' });
    await post('/api/revoke', owner.token, { tokenId: revoked.tokenId });
    const writer = connectProvider(before.wsUrl, owner.workspace, owner.token);
    await synced(writer);
    for (let i = 0; i < 20; i++) writer.doc.getMap('m').set(`k${i}`, i);
    await waitFor(async () => {
      const state = await before.server.readWorkspace(owner.workspace);
      const doc = new Y.Doc();
      if (state) Y.applyUpdate(doc, state);
      return doc.getMap('m').size === 20;
    }, 'stored');
    writer.destroy();
    await before.server.close();

    const prefix = freshPrefix();
    expect(await migrateDataDir(before.dataDir, server.url, prefix)).toEqual({ rooms: 1, tokens: 3, revoked: 1 });
    expect(await migrateDataDir(before.dataDir, server.url, prefix)).toEqual({ rooms: 1, tokens: 3, revoked: 1 });

    const relay: RelayProcess = await startRelayProcess(server, prefix);
    cleanups.push(() => relay.kill('SIGKILL'));
    const reader = connectProvider(relay.wsUrl, owner.workspace, viewer.token, new Y.Doc(), { address: '10.4.0.1' });
    cleanups.push(() => reader.destroy());
    await synced(reader);
    expect(reader.doc.getMap('m').size).toBe(20);
    const tokens = await (await fetch(`${relay.url}/api/tokens`, { headers: { Authorization: `Bearer ${owner.token}`, 'X-Forwarded-For': '10.4.0.2' } })).json();
    expect(tokens.tokens).toHaveLength(3);
    const refused = new RawClient(`${relay.wsUrl}/${owner.workspace}?token=${revoked.token}`, { address: '10.4.0.3' });
    cleanups.push(() => refused.close());
    await waitFor(() => refused.httpStatus !== null || refused.opened, 'answered');
    expect(refused.httpStatus).toBe(403);

    // Another data directory (another secret) into the same Redis: refused, nothing moved.
    const other = await startTestServer({}, { leveldb: true });
    await other.server.close();
    await expect(migrateDataDir(other.dataDir, server.url, prefix)).rejects.toThrow(/another token secret/);
  });
});

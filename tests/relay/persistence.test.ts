// Persistence with the real LevelDB store: across a clean restart, across
// `kill -9` of a relay child process, and SIGTERM exits cleanly after
// writing everything.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { repoRoot } from '../../server/config';
import { loadOrCreateSecret } from '../../server/token-files';
import { mintToken } from '../../server/tokens';
import { connectProvider, startTestServer, synced, tempDir, waitFor } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface RelayChild {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --import tsx server/main.ts`: one process, so SIGKILL hits the relay itself. */
async function spawnRelay(dataDir: string, port = 0): Promise<RelayChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: path.join(dataDir, 'dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /listening on (http:\/\/\S+)/.test(output) || child.exitCode !== null, 'relay child listening', 30_000);
  const match = /listening on (http:\/\/\S+)/.exec(output);
  if (!match) throw new Error(`relay child failed to start:\n${output}`);
  const url = match[1] as string;
  return { child, url, port: Number(new URL(url).port), exited };
}

function entries(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap('m').toJSON();
}

describe('persistence', () => {
  it('keeps rooms across a clean restart of an in-process relay (LevelDB)', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir, idleSeconds: 0.05 }, { leveldb: true });
    cleanups.push(() => first.server.close());
    const token = first.token('keep', 'edit');
    const a = connectProvider(first.wsUrl, 'keep', token);
    cleanups.push(() => a.destroy());
    await synced(a);
    for (let i = 0; i < 20; i++) a.doc.getMap('m').set(`k${i}`, i);
    await waitFor(async () => Object.keys(entries(await docOf(first.server, 'keep'))).length === 20, 'relay has all');
    a.destroy();
    await waitFor(() => first.server.metrics.get('reckon_rooms_open') === 0, 'idle room compacted and unloaded');
    await first.server.close();

    const second = await startTestServer({ dataDir }, { leveldb: true });
    cleanups.push(() => second.server.close());
    const b = connectProvider(second.wsUrl, 'keep', token);
    cleanups.push(() => b.destroy());
    await synced(b);
    expect(Object.keys(entries(b.doc))).toHaveLength(20);
  });

  it('loses nothing a peer has seen when the relay is killed with SIGKILL, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDir();
    const relay1 = await spawnRelay(dataDir);
    const secret = loadOrCreateSecret(dataDir);
    const token = mintToken(secret, { workspace: 'crash', role: 'edit', nowSeconds: Date.now() / 1000 }).token;
    const wsUrl = relay1.url.replace(/^http/, 'ws');
    const a = connectProvider(wsUrl, 'crash', token);
    const b = connectProvider(wsUrl, 'crash', token);
    cleanups.push(() => a.destroy(), () => b.destroy());
    await synced(a);
    await synced(b);
    for (let i = 0; i < 50; i++) a.doc.getMap('m').set(`before${i}`, i);
    // The relay persists before it broadcasts: once b has seen them, they are on disk.
    await waitFor(() => b.doc.getMap('m').size === 50, 'b has seen all 50');

    relay1.child.kill('SIGKILL');
    expect((await relay1.exited).signal).toBe('SIGKILL');
    a.disconnect();
    b.disconnect();
    a.doc.getMap('m').set('offline', 'made while the relay was down');

    const relay2 = await spawnRelay(dataDir, relay1.port);
    // Before a or b come back, a fresh client sees only what the relay stored.
    const fresh = connectProvider(wsUrl, 'crash', token);
    cleanups.push(() => fresh.destroy());
    await synced(fresh);
    expect(fresh.doc.getMap('m').size).toBe(50);
    a.connect();
    b.connect();
    await waitFor(() => [a, b, fresh].every((p) => p.doc.getMap('m').size === 51), 'all three converge');
    expect(entries(b.doc)).toEqual(entries(a.doc));
    expect(entries(fresh.doc)).toEqual(entries(a.doc));

    relay2.child.kill('SIGTERM');
    expect(await relay2.exited).toEqual({ code: 0, signal: null });
    const reopened = await startTestServer({ dataDir }, { leveldb: true });
    cleanups.push(() => reopened.server.close());
    expect(entries(await docOf(reopened.server, 'crash'))).toEqual(entries(a.doc));
  });
});

async function docOf(server: { readWorkspace(w: string): Promise<Uint8Array | null> }, workspace: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const state = await server.readWorkspace(workspace);
  if (state) Y.applyUpdate(doc, state);
  return doc;
}

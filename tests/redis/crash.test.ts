// Persistence that survives any process (issue 25): a page is "told saved" when the relay answers
// its sync step 1 probe after applying its updates (web/state/sync-status.ts, used here as the page
// uses it). `kill -9` of the relay process a client edits through, mid-edit, loses nothing it was
// told was saved, nor anything another process's clients saw; the client goes on through another
// process. The same holds when redis-server itself is killed with -9 and restarted from its
// append-only file while the relays run.

import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { trackSyncStatus, type SyncStatus } from '../../web/state/sync-status';
import { connectProvider, synced, waitFor } from '../relay/helpers';
import { freshPrefix, startRedis, startRelayProcess, type RedisServer, type RelayProcess } from './harness';
import { mintFor, secretOf } from './tokens';

const redis = await startRedis();
if (typeof redis === 'string') console.warn(`[skipped] crash tests: ${redis}`);

/** A page editing through `relay`: numbered edits, and the count the relay had acknowledged as saved. */
class Editor {
  readonly doc = new Y.Doc();
  provider: WebsocketProvider;
  made = 0;
  /** Edits the relay acknowledged (the page showed "saved" with this many made). */
  acknowledged = 0;
  status: SyncStatus = 'connecting';
  private stop: () => void;

  constructor(relay: RelayProcess, private readonly workspace: string, private readonly token: string, private readonly address: string) {
    this.provider = connectProvider(relay.wsUrl, workspace, token, this.doc, { address });
    this.stop = this.track();
  }

  private track(): () => void {
    return trackSyncStatus(this.provider, this.doc, true, (s) => {
      this.status = s;
      if (s === 'saved') this.acknowledged = this.made;
    });
  }

  edit(): void {
    this.doc.getMap('m').set(`e${this.made}`, this.made);
    this.made++;
  }

  moveTo(relay: RelayProcess): void {
    this.stop();
    this.provider.destroy();
    this.provider = connectProvider(relay.wsUrl, this.workspace, this.token, this.doc, { address: this.address });
    this.stop = this.track();
  }

  destroy(): void {
    this.stop();
    this.provider.destroy();
  }
}

/**
 * Edits in small bursts with short pauses until `stop` resolves; now and then it waits (up to 300
 * ms) for "saved", so that some edits are acknowledged even on a busy machine.
 */
async function editUntil(editor: Editor, stop: Promise<unknown>): Promise<void> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let burst = 0; !stopped; burst++) {
    for (let i = 0; i < 1 + Math.floor(Math.random() * 4); i++) editor.edit();
    if (burst % 8 === 7) {
      const until = Date.now() + 300;
      while (!stopped && editor.status !== 'saved' && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    } else {
      await new Promise((r) => setTimeout(r, Math.random() * 15));
    }
  }
}

describe.skipIf(typeof redis === 'string')('persistence across processes', () => {
  const server = redis as RedisServer;
  const relays: RelayProcess[] = [];
  const cleanups: Array<() => void> = [];

  afterAll(async () => {
    for (const c of cleanups) c();
    await Promise.all(relays.map((r) => r.kill('SIGKILL')));
    await server.stop();
  });

  const start = async (prefix: string, count: number) => {
    const started = await Promise.all(Array.from({ length: count }, () => startRelayProcess(server, prefix)));
    relays.push(...started);
    return started;
  };

  it('kill -9 of the process a client edits through loses nothing it was told was saved', async () => {
    const prefix = freshPrefix();
    const [a, b, c] = await start(prefix, 3);
    const token = mintFor(await secretOf(server, prefix), 'crash', 'edit');
    const editor = new Editor(a!, 'crash', token, '10.7.0.1');
    const watcher = connectProvider(b!.wsUrl, 'crash', token, new Y.Doc(), { address: '10.7.0.2' });
    cleanups.push(() => editor.destroy(), () => watcher.destroy());
    await synced(editor.provider);
    await synced(watcher);

    // Mid-edit: the process dies after a random while, with updates in flight.
    const killAt = 400 + Math.floor(Math.random() * 600);
    const killed = new Promise((r) => setTimeout(r, killAt)).then(() => a!.kill('SIGKILL'));
    await editUntil(editor, killed);
    expect((await killed).signal).toBe('SIGKILL');
    const acknowledged = editor.acknowledged;
    const seen = new Set(Object.keys(watcher.doc.getMap('m').toJSON()));
    expect(acknowledged).toBeGreaterThan(0);

    // What Redis holds, read by a fresh client on the third process: everything acknowledged, everything seen.
    const fresh = connectProvider(c!.wsUrl, 'crash', token, new Y.Doc(), { address: '10.7.0.3' });
    cleanups.push(() => fresh.destroy());
    await synced(fresh);
    const stored = fresh.doc.getMap('m');
    for (let i = 0; i < acknowledged; i++) expect(stored.get(`e${i}`), `acknowledged edit e${i}`).toBe(i);
    for (const key of seen) expect(stored.has(key), `edit ${key} seen on another process`).toBe(true);

    // The page reconnects through another process and everything it made arrives.
    editor.moveTo(b!);
    for (let i = 0; i < 5; i++) editor.edit();
    await waitFor(() => editor.status === 'saved', 'saved again through another process');
    await waitFor(() => stored.size === editor.made && watcher.doc.getMap('m').size === editor.made, 'everyone has every edit');
  });

  it('kill -9 of redis-server mid-edit, restarted from its append-only file: nothing acknowledged is lost, the relays carry on', async () => {
    const prefix = freshPrefix();
    const [a, b] = await start(prefix, 2);
    const token = mintFor(await secretOf(server, prefix), 'redis-crash', 'edit');
    const editor = new Editor(a!, 'redis-crash', token, '10.7.1.1');
    const watcher = connectProvider(b!.wsUrl, 'redis-crash', token, new Y.Doc(), { address: '10.7.1.2' });
    cleanups.push(() => editor.destroy(), () => watcher.destroy());
    await synced(editor.provider);
    await synced(watcher);

    const crashed = new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 400))).then(() => server.crashAndRestart());
    await editUntil(editor, crashed);
    const acknowledged = editor.acknowledged;
    expect(acknowledged).toBeGreaterThan(0);
    // Edits go on while the relays reconnect; they are stored once Redis is back.
    for (let i = 0; i < 5; i++) editor.edit();
    // A failure says what the relays logged (the order of reconnects and catch-ups).
    const logged = (what: string) => (e: Error) => { throw new Error(`${e.message}; ${what}\n--- a:\n${a!.output().slice(-4000)}\n--- b:\n${b!.output().slice(-4000)}`); };
    await waitFor(() => editor.status === 'saved', 'saved after Redis restarted', 30_000).catch(logged(`made ${editor.made}`));
    await waitFor(() => watcher.doc.getMap('m').size === editor.made, 'the other process relays again', 30_000)
      .catch(logged(`made ${editor.made}, the other process's client has ${watcher.doc.getMap('m').size}, its status ${watcher.wsconnected ? 'connected' : 'not connected'}`));

    const fresh = connectProvider(b!.wsUrl, 'redis-crash', token, new Y.Doc(), { address: '10.7.1.3' });
    cleanups.push(() => fresh.destroy());
    await synced(fresh);
    await waitFor(() => fresh.doc.getMap('m').size === editor.made, 'a fresh client gets every edit', 30_000);
    for (let i = 0; i < acknowledged; i++) expect(fresh.doc.getMap('m').get(`e${i}`)).toBe(i);
    expect((await (await fetch(`${a!.url}/healthz`)).json())).toMatchObject({ redis: 'ok' });

    // Redis stops answering: /healthz says so (503), and says ok again once it answers.
    server.pause();
    try {
      const res = await fetch(`${a!.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'redis-unreachable', redis: 'unreachable' });
    } finally {
      server.resume();
    }
    await waitFor(async () => (await fetch(`${a!.url}/healthz`)).status === 200, 'healthy again');
  });
});

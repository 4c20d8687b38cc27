// Local-first: with the relay gone, the workspace still opens (app shell from the service worker,
// document from IndexedDB), an edit made offline survives a reload and reaches the relay when it
// is back; the status says offline / saved. The IndexedDB update log stays bounded.

import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app';
import { silentLogger } from '../../server/log';
import { OFFLINE_NOISE, launch, openWorkspace, startApp, waitReady, watchedPage, type App, type WatchedPage } from './harness';
import { cellValue, editCell, keyOfId } from './page-helpers';

let app: App;
let restarted: RunningServer | null = null;
let browser: Browser;
let w: WatchedPage;

beforeAll(async () => {
  app = await startApp();
  browser = await launch();
  w = await watchedPage(await browser.newContext());
  await openWorkspace(w, app.demoUrl);
});

afterAll(async () => {
  await browser?.close();
  await restarted?.close();
  fs.rmSync(app.dataDir, { recursive: true, force: true });
});

const status = (s: string) => w.page.waitForSelector(`[data-testid="sync-status"][data-status="${s}"]`, { timeout: 30_000 });

test('an offline edit survives a reload and syncs when the relay is back', async () => {
  const { page } = w;
  await status('saved');
  // Let the service worker take the page, then load once through it so every asset is cached.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await waitReady(page);
  await status('saved');

  // The relay goes away.
  const port = app.server.port;
  w.allow = OFFLINE_NOISE;
  await app.server.close();
  await status('offline');
  const key = await keyOfId(page, 'entitlements', 'e0006');
  await editCell(page, 'entitlements', key, 'notes', 'typed offline');

  // Reload with no relay: the shell comes from the service worker, the doc from IndexedDB.
  await page.reload();
  await waitReady(page);
  expect(await cellValue(page, 'entitlements', key, 'notes')).toBe('typed offline');
  await status('offline');

  // The relay is back (same port, same data): the edit reaches it. "Saved" means the relay
  // acknowledged it (sync-status.ts), so the relay has it as soon as the status says so.
  restarted = await startServer({ port, dataDir: app.dataDir, log: silentLogger });
  await status('saved');
  w.allow = null;
  const state = await restarted.readWorkspace('demo');
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  const onRelay = doc.getMap('entitlements/cells').get(`${key}\tnotes`);
  doc.destroy();
  expect(onRelay).toBe('typed offline');
  expect(w.errors).toEqual([]);
});

test('the IndexedDB update log stays bounded in a long session', async () => {
  const { page } = w;
  const count = () => page.evaluate(() => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open('reckon:demo');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('updates').objectStore('updates').count();
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  }));
  const key = await keyOfId(page, 'entitlements', 'e0007');
  // 3,000 edits in quick succession (y-indexeddb's own merge waits for a quiet second, which a
  // busy session never has): the stored log never grows far past the compaction threshold.
  let max = 0;
  for (let round = 0; round < 30; round++) {
    await page.evaluate(async ({ k, round }) => {
      const s = (window as any).reckon;
      for (let i = 0; i < 100; i++) s.edit(() => s.doc.getMap('entitlements/cells').set(`${k}\tnotes`, `edit ${round * 100 + i}`));
      await new Promise((r) => setTimeout(r, 0));
    }, { k: key, round });
    max = Math.max(max, await count());
  }
  expect(max).toBeLessThan(1300);
  // After the burst the status settles on saved by itself (acknowledged; no poll).
  await status('saved');
  // And the merged state is whole: a reload shows the last edit.
  await page.reload();
  await waitReady(page);
  expect(await cellValue(page, 'entitlements', key, 'notes')).toBe('edit 2999');
  expect(w.errors).toEqual([]);
});

// The page and the relay under the new limits: a workspace made offline and too large for one
// message reaches the relay in pieces with progress shown, and another browser gets it; a link
// revoked while open (or before the page opened) is said in plain words. Screenshots of the
// notice at 1440×900 and 390×844 are saved under tests/.artifacts/.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createWorkbookDoc } from '../../worker/doc/open';
import { screenshotPath, useAppAndBrowser, watchedPage, type WatchedPage } from './harness';

const MB = 1 << 20;
const s = useAppAndBrowser({ demo: false, limits: { maxMessageBytes: 1 * MB, maxUploadPieceBytes: 256 * 1024 } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-notices-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function api(method: string, route: string, token?: string, body?: unknown): Promise<any> {
  const r = await fetch(`${s.app.server.url}${route}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { body: JSON.stringify(body) } : {}) });
  return r.json();
}

/** A workspace on the relay holding a workbook (a viewer cannot make one of an empty room). */
async function workspace(): Promise<{ workspace: string; token: string }> {
  const owner = await api('POST', '/api/workspaces');
  await s.app.server.writeWorkspace(owner.workspace, Y.encodeStateAsUpdate(createWorkbookDoc()));
  return owner;
}

/** Records whether an element matching `selector` was ever added (mutation records: no timing). */
async function watchFor(w: WatchedPage, selector: string, flag: string): Promise<void> {
  await w.page.evaluate(([sel, name]) => {
    const win = window as any;
    win[name] = false;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof Element && (n.matches(sel) || n.querySelector(sel))) win[name] = true;
    }).observe(document.body, { childList: true, subtree: true });
  }, [selector, flag] as const);
}

test('a workspace made offline, larger than a message, is put on the relay in pieces with progress, and shared', async () => {
  const w = await watchedPage(await s.browser.newContext());
  const { page } = w;
  await page.route('**/api/workspaces', (route) => route.abort('internetdisconnected'));
  w.allow = /Failed to load resource/;
  await page.goto(s.app.server.url);
  await page.click('button:has-text("New workspace")');
  await page.waitForURL(/#\/w\/local-/);
  await page.waitForSelector('[data-testid="sync-status"][data-status="local"]');
  const id = page.url().split('#/w/')[1];

  // 60,000 installations imported offline: a document of a few MB, against a 1 MB message limit.
  const csv = path.join(dir, 'installations.csv');
  const rows = Array.from({ length: 60_000 }, (_, i) => `i${i},dev-${i % 5000},Acme Software,Product ${i % 40},${i % 7}.0`);
  fs.writeFileSync(csv, `id,deviceId,publisher,product,version\n${rows.join('\n')}\n`);
  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', [csv]);
  await page.waitForSelector('[data-testid="import-preview"] tbody tr');
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  await page.click('[data-testid="import-done"] button');

  await page.unroute('**/api/workspaces');
  w.allow = null;
  await watchFor(w, '[data-testid="upload-progress"]', '__uploadSeen');
  await page.click('button:has-text("Share")');
  await page.click('[data-testid="attach"]');
  await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]', { timeout: 60_000 });
  expect(await page.evaluate(() => (window as any).__uploadSeen)).toBe(true);
  expect(s.app.server.metrics.get('reckon_uploads_applied_total')).toBe(1);
  expect(s.app.server.metrics.get('reckon_closes_total', { reason: 'oversized' }) ?? 0).toBe(0);

  await page.click('.modal button:has-text("Create link")');
  const link = await (await page.waitForSelector('.share-link input')).inputValue();
  const other = await watchedPage(await s.browser.newContext());
  await other.page.goto(link);
  await other.page.waitForFunction(() => (window as any).reckon.reader('installations').keys().length === 60_000, undefined, { timeout: 60_000 });
  expect(w.errors).toEqual([]);
  expect(other.errors).toEqual([]);
  expect(link).toContain(`#/w/${id}?token=`);
});

test('a link revoked while the page is open: the page says so in plain words, stops reconnecting and drops the view link\'s copy', async () => {
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    // owner → editor → viewer: revoking the editor revokes the viewer's link too.
    const owner = await workspace();
    const editor = await api('POST', '/api/share', owner.token, { workspace: owner.workspace, role: 'edit' });
    const viewer = await api('POST', '/api/share', editor.token, { workspace: owner.workspace, role: 'view' });
    const w = await watchedPage(await s.browser.newContext(), viewport);
    await w.page.goto(`${s.app.server.url}/#/w/${owner.workspace}?token=${viewer.token}`);
    await w.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]', { timeout: 30_000 });
    w.allow = /WebSocket|Failed to load resource/;
    await api('POST', '/api/revoke', owner.token, { tokenId: editor.tokenId });
    const notice = await w.page.waitForSelector('[data-testid="link-problem"][data-kind="revoked"]', { timeout: 15_000 });
    expect(await notice.textContent()).toContain('Your access to this workspace was revoked');
    await w.page.screenshot({ path: screenshotPath(`relay-notice-revoked-${viewport.width}.png`) });
    expect(await w.page.evaluate(() => (window as any).reckon.provider.shouldConnect)).toBe(false);
    expect(await w.page.$('.workspace')).toBeNull();
    expect(w.errors).toEqual([]);
  }
});

test('a link already revoked when the page opens: refused at the upgrade, the page asks why and says so', async () => {
  const owner = await workspace();
  const viewer = await api('POST', '/api/share', owner.token, { workspace: owner.workspace, role: 'view' });
  await api('POST', '/api/revoke', owner.token, { tokenId: viewer.tokenId });
  const w = await watchedPage(await s.browser.newContext());
  w.allow = /WebSocket|Failed to load resource/;
  await w.page.goto(`${s.app.server.url}/#/w/${owner.workspace}?token=${viewer.token}`);
  await w.page.waitForSelector('[data-testid="link-problem"][data-kind="revoked"]', { timeout: 20_000 });
  expect(w.errors).toEqual([]);
});

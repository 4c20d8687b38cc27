// Links that fail, each in its own words with its next step, never an empty workspace that says
// "Offline" and "Reconciling…": revoked (a view link's copy deleted; an edit link's unsent changes
// kept, hidden, then sent by a new link or downloaded), expired, altered or cut short, unknown to
// this relay, for another workspace, and a workspace the relay does not hold (opened as soon as it
// does). Screenshots at 1440×900 and 390×844 under tests/.artifacts/.

import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app';
import { silentLogger } from '../../server/log';
import { MemoryRoomStore } from '../../server/store';
import { createWorkbookDoc } from '../../worker/doc/open';
import { screenshotPath, useAppAndBrowser, waitReady, watchedPage, type WatchedPage } from './harness';
import { cellValue, keyOfId } from './page-helpers';

const s = useAppAndBrowser();
/** Refused connections and API answers are logged by the browser; they are what these tests cause. */
const REFUSED = /WebSocket connection to .* failed|Failed to load resource: the server responded with a status of 40[13]/;

let other: RunningServer;
const otherDir = fs.mkdtempSync('/tmp/reckon-other-relay-');
beforeAll(async () => {
  other = await startServer({ port: 0, dataDir: otherDir, log: silentLogger, store: new MemoryRoomStore() });
});
afterAll(async () => {
  await other?.close();
  fs.rmSync(otherDir, { recursive: true, force: true });
});

const ownerToken = () => new URL(s.app.demoUrl.replace('#/w/demo?', '?')).searchParams.get('token')!;

async function api(method: string, route: string, token?: string, body?: unknown): Promise<any> {
  const r = await fetch(`${s.app.server.url}${route}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { body: JSON.stringify(body) } : {}) });
  return r.json();
}

const link = (workspace: string, token: string) => `${s.app.server.url}/#/w/${workspace}?token=${encodeURIComponent(token)}`;

async function page(viewport = { width: 1440, height: 900 }): Promise<WatchedPage> {
  const w = await watchedPage(await s.browser.newContext(), viewport);
  w.allow = REFUSED;
  return w;
}

/** The failure page of a kind: shown instead of any workspace. */
async function problem(p: Page, kind: string, variant?: string): Promise<string> {
  const el = await p.waitForSelector(`[data-testid="link-problem"][data-kind="${kind}"]${variant ? `[data-variant="${variant}"]` : ''}`, { timeout: 20_000 });
  expect(await p.$('.workspace')).toBeNull();
  expect(await p.$('[data-testid="sync-status"]')).toBeNull();
  return (await el.textContent()) ?? '';
}

const databases = (p: Page) => p.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

test('a revoked view link: the page stops showing the workspace and deletes this device\'s copy', async () => {
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    const viewer = await api('POST', '/api/share', ownerToken(), { workspace: 'demo', role: 'view' });
    const w = await page(viewport);
    await w.page.goto(link('demo', viewer.token));
    await waitReady(w.page);
    await w.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
    expect(await databases(w.page)).toContain('reckon:demo');

    await api('POST', '/api/revoke', ownerToken(), { tokenId: viewer.tokenId });
    const text = await problem(w.page, 'revoked');
    expect(text).toContain('Your access to this workspace was revoked');
    expect(text).toContain('The copy this device held was removed.');
    await w.page.waitForFunction(async () => !(await indexedDB.databases()).some((d) => d.name === 'reckon:demo'));
    await w.page.screenshot({ path: screenshotPath(`link-revoked-${viewport.width}.png`) });

    // A reload shows the same page, not the old data; the list says so; removing it clears the entry.
    await w.page.reload();
    await problem(w.page, 'revoked');
    await w.page.click('a:has-text("All workspaces")');
    expect(await (await w.page.waitForSelector('tr[data-workspace="demo"]')).textContent()).toContain('access revoked');
    await w.page.click('tr[data-workspace="demo"] a');
    await w.page.click('[data-testid="remove-link"]');
    await w.page.waitForSelector('[data-testid="published"], .card-head');
    expect(await w.page.$('tr[data-workspace="demo"]')).toBeNull();
    expect(w.errors).toEqual([]);
    await w.page.context().close();
  }
});

test('a revoked edit link with changes the relay never received: kept, hidden; downloaded; a new link sends them', async () => {
  const editor = await api('POST', '/api/share', ownerToken(), { workspace: 'demo', role: 'edit' });
  const w = await page();
  const p = w.page;
  await p.goto(link('demo', editor.token));
  await waitReady(p);
  await p.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  // Cut off from the relay (as offline), an edit is made; meanwhile the link is revoked.
  const key = await keyOfId(p, 'entitlements', 'e0004');
  await p.evaluate(() => (window as any).reckon.provider.disconnect());
  await p.evaluate((k) => { const r = (window as any).reckon; r.edit(() => r.setCell('entitlements', k, 'notes', 'made while cut off')); }, key);
  await api('POST', '/api/revoke', ownerToken(), { tokenId: editor.tokenId });
  await p.evaluate(() => (window as any).reckon.provider.connect());

  const text = await problem(p, 'revoked');
  expect(text).toContain('You made changes here that the relay never received.');
  await p.screenshot({ path: screenshotPath('link-revoked-kept-1440.png') });
  expect(await databases(p)).toContain('reckon:demo');
  await p.reload();
  await problem(p, 'revoked');

  // The copy, as a workbook file, holds the change.
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid="download-kept"]')]);
  const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(file.entitlements.find((e: any) => e.id === 'e0004').notes).toBe('made while cut off');

  // A new edit link opened here sends the kept change to the relay.
  const again = await api('POST', '/api/share', ownerToken(), { workspace: 'demo', role: 'edit' });
  await p.goto(link('demo', again.token));
  await waitReady(p);
  expect(await cellValue(p, 'entitlements', key, 'notes')).toBe('made while cut off');
  await p.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  const d = new Y.Doc();
  Y.applyUpdate(d, (await s.app.server.readWorkspace('demo'))!);
  expect(d.getMap('entitlements/cells').get(`${key}\tnotes`)).toBe('made while cut off');
  expect(w.errors).toEqual([]);
  await p.context().close();
});

test('an expired link, an altered one, one cut short: each its own page and next step', async () => {
  const expiring = await api('POST', '/api/share', ownerToken(), { workspace: 'demo', role: 'view', expiresInSeconds: 1 });
  await new Promise((r) => setTimeout(r, 1200)); // the token's own lifetime (seconds on the relay's clock)
  const w = await page();
  await w.page.goto(link('demo', expiring.token));
  expect(await problem(w.page, 'expired')).toContain('Your link to this workspace has expired');

  const [payload, mac] = ownerToken().split('.');
  for (const [name, token] of [['altered', `${payload}.${mac.slice(0, -4)}${mac.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`], ['cut', ownerToken().slice(0, 40)]]) {
    const t = await page(name === 'cut' ? { width: 390, height: 844 } : undefined);
    await t.page.goto(link('demo', token));
    const text = await problem(t.page, 'tampered');
    expect(text).toContain('This link is damaged');
    expect(text).toContain('Copy it whole.');
    await t.page.screenshot({ path: screenshotPath(`link-tampered-${name}.png`) });
    expect(t.errors).toEqual([]);
    await t.page.context().close();
  }
  expect(w.errors).toEqual([]);
  await w.page.context().close();
});

test('a link of another relay, a link for another workspace, and a workspace the relay does not hold (opened when it does)', async () => {
  const foreign = other.mintShareLink('demo', 'view').token;
  const a = await page();
  await a.page.goto(link('demo', foreign));
  expect(await problem(a.page, 'unknown', 'not-issued')).toContain('did not make this link');
  await a.page.screenshot({ path: screenshotPath('link-unknown-1440.png') });

  const b = await page();
  await b.page.goto(link('elsewhere', ownerToken()));
  expect(await problem(b.page, 'unknown', 'wrong-workspace')).toContain('This link is for another workspace');

  const c = await page({ width: 390, height: 844 });
  await c.page.goto(s.app.server.mintShareLink('not-yet', 'edit').url);
  expect(await problem(c.page, 'unknown', 'empty')).toContain('has no workspace under this link');
  await c.page.screenshot({ path: screenshotPath('link-empty-390.png') });
  // Its owner puts a workbook there: the waiting page opens it.
  await s.app.server.writeWorkspace('not-yet', Y.encodeStateAsUpdate(createWorkbookDoc({ name: 'Arrived' })));
  await c.page.waitForSelector('.workspace [data-testid="workspace-name"]:has-text("Arrived")', { timeout: 20_000 });
  await c.page.waitForFunction(() => (window as any).reckon.results.ready[0]());
  for (const x of [a, b, c]) {
    expect(x.errors).toEqual([]);
    await x.page.context().close();
  }
});

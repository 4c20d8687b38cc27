// Two people on one workspace through the relay (two browser contexts: separate storage, separate
// identities): edits converge, each sees the other's presence and cursor, and undo takes back only
// one's own edits. Two tabs of one browser see each other's cursor too.

import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cell, launch, openWorkspace, startApp, waitReady, watchedPage, type App, type WatchedPage } from './harness';
import { cellValue, editCell, focusCell, keyOfId } from './page-helpers';

let app: App;
let browser: Browser;
let ctxA: BrowserContext, ctxB: BrowserContext;
let a: WatchedPage, b: WatchedPage;

async function setName(page: Page, name: string): Promise<void> {
  await page.evaluate((n) => localStorage.setItem('reckon.me', JSON.stringify({ name: n, color: n === 'Ana' ? '#2f6fb3' : '#b3582f' })), name);
}

beforeAll(async () => {
  app = await startApp();
  browser = await launch();
  ctxA = await browser.newContext();
  ctxB = await browser.newContext();
  a = await watchedPage(ctxA);
  b = await watchedPage(ctxB);
  // Names are stored per browser: set them on the origin, then open the workspace.
  const origin = app.server.url;
  await a.page.goto(origin);
  await setName(a.page, 'Ana');
  await b.page.goto(origin);
  await setName(b.page, 'Ben');
  // Opening the link from the origin is a same-document (hash) navigation: reload so the
  // names set above are read.
  for (const w of [a, b]) {
    await openWorkspace(w, app.demoUrl);
    await w.page.reload();
    await waitReady(w.page);
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const valueIs = (page: Page, sheet: string, key: string, col: string, v: unknown) =>
  page.waitForFunction(({ sheet, key, col, v }) => (window as any).reckon.reader(sheet).get(key, col) === v, { sheet, key, col, v });

test('two pages co-editing through the relay converge, with each other\'s presence shown', async () => {
  const k1 = await keyOfId(a.page, 'entitlements', 'e0001');
  const k2 = await keyOfId(a.page, 'entitlements', 'e0002');
  // Different cells, then the same cell from both sides.
  await editCell(a.page, 'entitlements', k1, 'notes', 'from Ana');
  await editCell(b.page, 'entitlements', k2, 'notes', 'from Ben');
  for (const p of [a.page, b.page]) {
    await valueIs(p, 'entitlements', k1, 'notes', 'from Ana');
    await valueIs(p, 'entitlements', k2, 'notes', 'from Ben');
  }
  await Promise.all([
    a.page.evaluate((k) => { const s = (window as any).reckon; s.edit(() => s.doc.getMap('entitlements/cells').set(`${k}\tedition`, 'A')); }, k1),
    b.page.evaluate((k) => { const s = (window as any).reckon; s.edit(() => s.doc.getMap('entitlements/cells').set(`${k}\tedition`, 'B')); }, k1),
  ]);
  const settle = async () => {
    const va = await cellValue(a.page, 'entitlements', k1, 'edition');
    const vb = await cellValue(b.page, 'entitlements', k1, 'edition');
    return va === vb && (va === 'A' || va === 'B') ? va : null;
  };
  let agreed: unknown = null;
  while (agreed === null) agreed = await settle();
  // The grid shows what the doc holds, on both pages.
  for (const p of [a.page, b.page]) {
    await p.evaluate((k) => (window as any).reckonUi.reveal({ sheet: 'entitlements', key: k, col: 'edition' }), k1);
    await p.waitForFunction(({ sel, v }) => document.querySelector(sel)?.textContent === v, { sel: cell('entitlements', k1, 'edition'), v: agreed });
  }
  // Presence: each sees the other by name, and the other's cursor on the cell it is on.
  await focusCell(b.page, 'entitlements', k2, 'product');
  await a.page.waitForSelector('[data-testid="presence"] [data-peer="Ben"]');
  await b.page.waitForSelector('[data-testid="presence"] [data-peer="Ana"]');
  await a.page.waitForSelector(`${cell('entitlements', k2, 'product')}.peer-cursor`);
  await focusCell(a.page, 'entitlements', k1, 'publisher');
  await b.page.waitForSelector(`${cell('entitlements', k1, 'publisher')}.peer-cursor`);
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
});

test('undo takes back only one\'s own edits', async () => {
  const k3 = await keyOfId(a.page, 'entitlements', 'e0003');
  const k4 = await keyOfId(a.page, 'entitlements', 'e0004');
  const before = await cellValue(a.page, 'entitlements', k3, 'notes');
  await editCell(a.page, 'entitlements', k3, 'notes', 'Ana was here');
  await valueIs(b.page, 'entitlements', k3, 'notes', 'Ana was here');
  await editCell(b.page, 'entitlements', k4, 'notes', 'Ben was here');
  await valueIs(a.page, 'entitlements', k4, 'notes', 'Ben was here');
  // Ana undoes (Ctrl+Z in the grid): her edit goes, Ben's stays, on both pages.
  await focusCell(a.page, 'entitlements', k4, 'product');
  await a.page.keyboard.press('ControlOrMeta+z');
  for (const p of [a.page, b.page]) {
    await valueIs(p, 'entitlements', k3, 'notes', before);
    await valueIs(p, 'entitlements', k4, 'notes', 'Ben was here');
  }
  // Redo brings hers back.
  await a.page.keyboard.press('ControlOrMeta+Shift+z');
  await valueIs(b.page, 'entitlements', k3, 'notes', 'Ana was here');
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
});

test('two tabs of one browser show each other\'s cursor', async () => {
  const tab2 = await watchedPage(ctxA);
  await openWorkspace(tab2, app.demoUrl.replace(/\?token=.*/, ''));
  const k5 = await keyOfId(a.page, 'entitlements', 'e0005');
  await focusCell(tab2.page, 'entitlements', k5, 'metric');
  await a.page.waitForSelector(`${cell('entitlements', k5, 'metric')}.peer-cursor`);
  // An edit in one tab shows in the other.
  await editCell(tab2.page, 'entitlements', k5, 'notes', 'second tab');
  await valueIs(a.page, 'entitlements', k5, 'notes', 'second tab');
  expect(tab2.errors).toEqual([]);
  await tab2.page.close();
});

// What-if scenarios in the browser (issue 18), with the real relay and headless Chromium:
// - the whole flow: fork from the toolbar while offline, edit in the grid, compare (totals, changed
//   positions first, "changed only", contributions on both sides), revert one change, apply to the
//   baseline (one transaction), undo the merge with Ctrl+Z;
// - two people: one edits the baseline while the other edits a scenario (forked with the
//   keyboard); the scenario's compare follows the baseline; the scenario is shared by link, the
//   other (baseline editor) opens it and applies it; its author discards it everywhere, with a
//   warning naming who had it;
// - the demo's prepared scenario opens from its link and shows its saving;
// - Duplicate on the workspace list keeps the copy on this device.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ensureDemoScenario } from '../../server/demo';
import { OFFLINE_NOISE, openWorkspace, screenshotPath, useAppAndBrowser, waitReady, watchedPage } from './harness';
import { editCell, focusCell, keyOfId } from './page-helpers';

const s = useAppAndBrowser();

const ORACLE = 'oracle|database enterprise edition|||oracle_processor|||';

async function setName(context: BrowserContext, name: string, color: string): Promise<void> {
  await context.addInitScript(({ n, c }) => localStorage.setItem('reckon.me', JSON.stringify({ name: n, color: c })), { n: name, c: color });
}

/** The open session's view of a cell (the scenario's layered view on a scenario page). */
const valueIs = (page: Page, sheet: string, key: string, col: string, v: unknown) =>
  page.waitForFunction(({ sheet, key, col, v }) => (window as any).reckon.reader(sheet).get(key, col) === v, { sheet, key, col, v });

const position = (page: Page, key: string, side: 'scenario' | 'baseline' = 'scenario') =>
  page.evaluate(({ key, side }) => {
    const s = (window as any).reckon;
    const results = side === 'baseline' && s.baseline ? s.baseline.results : s.results;
    return results.positions.get(key) ?? null;
  }, { key, side });

/** Flips a yes/no cell as a person does: focus, Enter (the checkbox editor), Space, Enter. */
async function toggleCell(page: Page, sheet: string, key: string, col: string, to: boolean): Promise<void> {
  await focusCell(page, sheet, key, col);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.ag-cell-inline-editing input[type="checkbox"], .ag-popup-editor input[type="checkbox"]');
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await valueIs(page, sheet, key, col, to);
}

async function waitScenario(page: Page): Promise<string> {
  await page.waitForSelector('[data-testid="scenario-banner"]');
  await waitReady(page);
  return page.evaluate(() => location.hash.slice('#/w/'.length));
}

test('fork offline, edit, compare, revert one change, apply to the baseline, undo the merge', async () => {
  const context = await s.browser.newContext();
  const w = await watchedPage(context);
  const { page } = w;
  await openWorkspace(w, s.app.demoUrl);
  await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  const clusterKey = await keyOfId(page, 'clusters', 'c000');
  const entitlementKey = await keyOfId(page, 'entitlements', 'e0001');
  const before = await position(page, ORACLE);
  expect(before.consumed).toBe(312);

  // Offline: fork from the toolbar.
  w.allow = OFFLINE_NOISE;
  await context.setOffline(true);
  // The network is gone: the open websocket drops too (emulation alone keeps it), reconnects fail.
  await page.evaluate(() => (window as any).reckon.provider.ws?.close());
  await page.waitForSelector('[data-testid="sync-status"][data-status="offline"]');
  await page.click('[data-testid="scenario-menu"]');
  await page.click('[data-testid="new-scenario"]');
  await page.fill('[data-testid="scenario-name"]', 'Pin the Oracle cluster');
  await page.click('[data-testid="create-scenario"]');
  const id = await waitScenario(page);
  expect(id).toMatch(/^local-/);
  expect(await page.textContent('[data-testid="scenario-baseline"]')).toBe('Demo estate');
  expect(await page.textContent('[data-testid="scenario-where"]')).toBe('on this device only');
  expect(await page.textContent('[data-testid="workspace-name"]')).toBe('Pin the Oracle cluster');

  // Edits in the scenario, through the grid: one that changes positions, one that does not.
  await toggleCell(page, 'clusters', clusterKey, 'mobility', false);
  await editCell(page, 'entitlements', entitlementKey, 'notes', 'what-if note');
  await page.waitForFunction((k) => (window as any).reckon.results.positions.get(k)?.consumed === 288, ORACLE);
  // The baseline is untouched.
  expect(await page.evaluate((k) => (window as any).reckon.baseline.reader('clusters').get(k, 'mobility'), clusterKey)).toBe(true);

  // Compare: the saving first, changed positions only, then every position.
  await page.click('[data-tab="compare"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="total-delta-0"]')?.textContent?.includes('−1,140,000.00'));
  const shownRows = () => new Set([...document.querySelectorAll('.sheet[data-sheet="compare"] .ag-row')].map((e) => e.getAttribute('row-id'))).size;
  await page.waitForFunction(`(${shownRows.toString()})() === 3`);
  const first = await page.$eval('.sheet[data-sheet="compare"] .ag-row[row-index="0"]', (el) => el.getAttribute('row-id'));
  expect(first).toBe(ORACLE);
  expect(await page.textContent(`.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="s0-dcost"]`)).toBe('−1,140,000.00');
  await page.screenshot({ path: screenshotPath('scenario-compare.png') });
  await page.click('[data-testid="changed-only"]');
  await page.waitForFunction(`(${shownRows.toString()})() > 3`);
  await page.click('[data-testid="changed-only"]');

  // A position's contributions on both sides: the cluster licensed whole is gone, its hosts come in.
  await page.click(`.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="publisher"]`);
  await page.waitForSelector('[data-testid="compare-explain"] .contrib[data-mark="removed"]');
  const marks = await page.$$eval('[data-testid="compare-explain"] .contrib', (els) => els.map((e) => [e.getAttribute('data-mark'), e.querySelector('.ref')!.textContent!.split(' ')[0]]));
  expect(marks).toContainEqual(['removed', 'clusters/c000']);
  expect(marks.filter(([m]) => m === 'added').map(([, r]) => r).sort()).toEqual(['devices/d000000', 'devices/d000001', 'devices/d000003']);
  await page.screenshot({ path: screenshotPath('scenario-explain.png') });
  await page.click('[data-testid="compare-explain"] .close');

  // The change list: both changes, old → new; revert the note alone.
  await page.click('[data-tab="changes"]');
  await page.waitForSelector('.changes-view li[data-change="cell"][data-column="notes"]');
  expect(await page.$$eval('.changes-view li[data-change]', (els) => els.length)).toBe(2);
  expect(await page.textContent('.changes-view li[data-column="mobility"]')).toContain('true → false');
  await page.screenshot({ path: screenshotPath('scenario-changes.png') });
  await page.click('.changes-view li[data-column="notes"] .revert');
  await page.waitForFunction(() => document.querySelectorAll('.changes-view li[data-change]').length === 1);
  await valueIs(page, 'entitlements', entitlementKey, 'notes', null);
  await valueIs(page, 'clusters', clusterKey, 'mobility', false);

  // Online again; the scenario never left this device.
  await context.setOffline(false);
  w.allow = null;
  expect(await s.app.server.readWorkspace(id)).toBeNull();

  // Apply to the baseline: it opens there; one transaction; Ctrl+Z takes the merge back.
  await page.click('[data-testid="apply-scenario"]');
  await page.waitForSelector('[data-testid="merge-dialog"] [data-testid="confirm-merge"]:not([disabled])');
  expect(await page.textContent('[data-testid="merge-counts"]')).toContain('1 cell changed');
  await page.screenshot({ path: screenshotPath('scenario-merge.png') });
  await page.click('[data-testid="confirm-merge"]');
  await page.waitForSelector('[data-testid="merge-done"]');
  await valueIs(page, 'clusters', clusterKey, 'mobility', false);
  await page.waitForFunction((k) => (window as any).reckon.results.positions.get(k)?.consumed === 288, ORACLE);
  expect(await page.evaluate(() => (window as any).reckon.undo.undoStack.length)).toBe(1);
  await page.click('[data-testid="merge-dialog"] button:has-text("Done")');
  await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  const relayHas = async () => {
    const d = new Y.Doc();
    Y.applyUpdate(d, (await s.app.server.readWorkspace('demo'))!);
    return d.getMap('clusters/cells').get(`${clusterKey}\tmobility`);
  };
  expect(await relayHas()).toBe(false);
  await focusCell(page, 'clusters', clusterKey, 'name');
  await page.keyboard.press('ControlOrMeta+z');
  await valueIs(page, 'clusters', clusterKey, 'mobility', true);
  await page.waitForFunction((k) => (window as any).reckon.results.positions.get(k)?.consumed === 312, ORACLE);
  await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  expect(await relayHas()).toBeUndefined();
  expect(w.errors).toEqual([]);
  await context.close();
});

test('two people: the baseline edited while a scenario is, shared by link, applied by the other, discarded', async () => {
  const ctxA = await s.browser.newContext(), ctxB = await s.browser.newContext();
  await setName(ctxA, 'Ana', '#2f6fb3');
  await setName(ctxB, 'Ben', '#b3582f');
  const a = await watchedPage(ctxA), b = await watchedPage(ctxB);
  await openWorkspace(a, s.app.demoUrl);
  await openWorkspace(b, s.app.demoUrl);
  const clusterKey = await keyOfId(b.page, 'clusters', 'c000');
  const oracleEntitlement = await b.page.evaluate(() => {
    const r = (window as any).reckon.reader('entitlements');
    return r.keys().find((k: string) => r.get(k, 'product') === 'Database Enterprise Edition' && r.get(k, 'metric') === 'oracle_processor');
  });
  const quantity = await b.page.evaluate((k) => (window as any).reckon.reader('entitlements').get(k, 'quantity'), oracleEntitlement) as number;

  // Ben forks with the keyboard and edits his scenario.
  await focusCell(b.page, 'entitlements', oracleEntitlement, 'product');
  await b.page.keyboard.press('Alt+Shift+N');
  await b.page.fill('[data-testid="scenario-name"]', 'Ben: no live migration');
  await b.page.keyboard.press('Enter');
  const id = await waitScenario(b.page);
  await toggleCell(b.page, 'clusters', clusterKey, 'mobility', false);
  await b.page.click('[data-tab="compare"]');
  await b.page.waitForFunction(() => document.querySelector('[data-testid="total-delta-0"]')?.textContent?.includes('−1,140,000.00'));

  // Meanwhile Ana edits the baseline: 20 more Oracle processors bought. Ben's compare follows, both sides.
  await editCell(a.page, 'entitlements', oracleEntitlement, 'quantity', String(quantity + 20));
  const purchased = 285;
  await b.page.waitForFunction(({ sel, v }) => document.querySelector(sel)?.textContent === v,
    { sel: `.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="base-purchased"]`, v: String(purchased) }, { timeout: 20_000 });
  expect(await b.page.textContent(`.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="s0-purchased"]`)).toBe(String(purchased));
  expect(await b.page.textContent(`.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="s0-dcost"]`)).toBe('−1,140,000.00');
  expect(await b.page.textContent('[data-testid="total-base-cost"]')).not.toContain('2,675,956.50');

  // Ben shares his scenario (view); the link carries a baseline token.
  await b.page.click('button:has-text("Share")');
  await b.page.click('[data-testid="attach"]');
  await b.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  await b.page.click('.modal button:has-text("Create link")');
  const link = await (await b.page.waitForSelector('.share-link input')).inputValue();
  expect(link).toMatch(new RegExp(`#/w/${id}\\?token=[^&]+&base=`));
  await b.page.click('.modal .close');
  expect(await s.app.server.readWorkspace(id)).not.toBeNull();

  // Ana (edit rights on the baseline) opens it, sees Ben's change over the baseline, and applies it.
  await a.page.goto(link);
  await waitScenario(a.page);
  expect(await a.page.textContent('[data-testid="scenario-where"]')).toBe('shared (can view)');
  await valueIs(a.page, 'clusters', clusterKey, 'mobility', false);
  await b.page.waitForSelector('[data-testid="presence"] [data-peer="Ana"]');
  await a.page.click('[data-testid="apply-scenario"]');
  await a.page.click('[data-testid="confirm-merge"]');
  await a.page.waitForSelector('[data-testid="merge-done"]');
  // Ben's compare shows the baseline caught up: nothing differs any more.
  await b.page.waitForFunction(() => document.querySelector('[data-testid="total-delta-0"]')?.textContent?.startsWith('0'));

  // Ben discards it everywhere; the warning names the link and Ana.
  await b.page.click('[data-testid="discard-scenario"]');
  await b.page.waitForSelector('[data-testid="discard-dialog"] p:has-text("view link")');
  expect(await b.page.textContent('[data-testid="discard-people"]')).toContain('Ana');
  await b.page.screenshot({ path: screenshotPath('scenario-discard.png') });
  await b.page.click('[data-testid="confirm-discard"]');
  await b.page.waitForFunction(() => location.hash === '#/w/demo');
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await s.app.server.readWorkspace(id))!);
  expect(stored.getMap('meta').size).toBe(0);
  expect(stored.getMap('clusters/cells').size).toBe(0);
  const linkToken = decodeURIComponent(/token=([^&]+)/.exec(link)![1]);
  const whoami = await fetch(`${s.app.server.url}/api/whoami`, { headers: { authorization: `Bearer ${linkToken}` } });
  expect(whoami.status).toBe(403);
  expect(await b.page.evaluate((i) => JSON.parse(localStorage.getItem('reckon.workspaces')!).some((e: { id: string }) => e.id === i), id)).toBe(false);
  // Ana takes her merge back (the dialog's Undo), then her quantity edit: the demo is as it was.
  await a.page.click('[data-testid="undo-merge"]');
  await valueIs(a.page, 'clusters', clusterKey, 'mobility', true);
  await a.page.evaluate(() => (window as any).reckon.undo.undo());
  await valueIs(a.page, 'entitlements', oracleEntitlement, 'quantity', quantity);
  await a.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
  expect(b.errors).toEqual([]);
  expect(a.errors.filter((e) => !/WebSocket|Failed to load resource/.test(e))).toEqual([]);
  await ctxA.close();
  await ctxB.close();
});

test('change anything in a scenario: paste, import (replace), a setting, explanations, undo; the baseline stays', async () => {
  const context = await s.browser.newContext();
  const w = await watchedPage(context);
  const { page } = w;
  await openWorkspace(w, s.app.demoUrl);
  const clusters: string[] = await page.evaluate(() => (window as any).reckon.reader('clusters').keys());
  await page.keyboard.press('Alt+Shift+N');
  await page.keyboard.press('Enter');
  await waitScenario(page);

  // Paste: two rows overwrite cells of the baseline's clusters, one is added. One undo step.
  const start = clusters[clusters.length - 2];
  await focusCell(page, 'clusters', start, 'name');
  await page.evaluate(({ sel, tsv }) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', tsv);
    document.querySelector(sel)!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, { sel: `.sheet[data-sheet="clusters"] .ag-row[row-id="${start}"] .ag-cell[col-id="name"]`, tsv: 'Alpha\tno\r\nBeta\tno\r\nGamma\tno\r\n' });
  await page.waitForFunction((n) => (window as any).reckon.reader('clusters').keys().length === n + 1, clusters.length);
  await valueIs(page, 'clusters', start, 'name', 'Alpha');
  expect(await page.evaluate((k) => (window as any).reckon.baseline.reader('clusters').get(k, 'name'), start)).not.toBe('Alpha');
  await page.keyboard.press('ControlOrMeta+z');
  await page.waitForFunction((n) => (window as any).reckon.reader('clusters').keys().length === n, clusters.length);
  await page.waitForFunction((k) => (window as any).reckon.reader('clusters').get(k, 'name') !== 'Alpha', start);

  // Import, replacing the clusters sheet: in the scenario only.
  const csv = path.join(os.tmpdir(), `reckon-scenario-clusters-${Date.now()}.csv`);
  fs.writeFileSync(csv, 'id,name,mobility\nc000,ORA-ONE,no\nz1,New cluster,no\n');
  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', [csv]);
  await page.waitForSelector('[data-testid="import-preview"] tbody tr');
  await page.selectOption('[data-testid="import-sheet"]', 'clusters');
  await page.click('[data-testid="import-replace"]');
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-done"]');
  await page.click('[data-testid="import-done"] button');
  await page.waitForFunction(() => { const r = (window as any).reckon.reader('clusters'); return r.keys().map((k: string) => r.get(k, 'id')).join() === 'c000,z1'; });
  expect(await page.evaluate(() => (window as any).reckon.baseline.reader('clusters').keys().length)).toBe(clusters.length);
  // c000 (the Oracle cluster) has no live migration any more: the saving, and its explanation.
  await page.waitForFunction((k) => (window as any).reckon.results.positions.get(k)?.consumed === 288, ORACLE);
  await page.click('[data-tab="positions"]');
  await page.click(`.sheet[data-sheet="positions"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="product"]`);
  await page.waitForSelector('.panel[aria-label="Explanation"] [data-testid="explain-count"]');
  await page.selectOption('.panel[aria-label="Explanation"] [data-testid="explain-group"]', 'none');
  await page.waitForSelector('.panel[aria-label="Explanation"] .contrib');
  const refs = await page.$$eval('.panel[aria-label="Explanation"] .contrib', (els) => els.map((e) => e.getAttribute('data-ref')));
  expect(refs).toContain('devices/d000000');
  expect(refs).not.toContain('clusters/c000');
  await page.click('.panel[aria-label="Explanation"] .close');

  // A setting: the scenario's asOf, not the baseline's.
  await page.click('[data-tab="settings"]');
  await page.fill('[data-setting-input="currency"]', 'EUR');
  await page.press('[data-setting-input="currency"]', 'Enter');
  await page.waitForFunction(() => (window as any).reckon.setting('currency') === 'EUR');
  await page.waitForFunction((k) => (window as any).reckon.results.positions.get(k)?.currency === 'EUR', ORACLE);
  expect(await page.evaluate(() => (window as any).reckon.baseline.setting('currency'))).not.toBe('EUR');
  await page.click('[data-tab="changes"]');
  await page.waitForSelector('.changes-view li[data-change="setting"][data-key="currency"]');
  expect(w.errors).toEqual([]);
  await context.close();
});

test('the demo\'s prepared scenario opens from its link and shows its saving', async () => {
  const link = await ensureDemoScenario(s.app.server);
  const w = await watchedPage(await s.browser.newContext());
  await w.page.goto(link);
  await waitScenario(w.page);
  await w.page.click('[data-tab="compare"]');
  await w.page.waitForFunction(() => document.querySelector('[data-testid="total-delta-0"]')?.textContent?.includes('−1,140,000.00'));
  expect(await w.page.textContent('[data-testid="workspace-name"]')).toBe('Move the Oracle hosts into a cluster without live migration');
  await w.page.screenshot({ path: screenshotPath('scenario-demo-1440.png') });
  await w.page.setViewportSize({ width: 390, height: 844 });
  await w.page.screenshot({ path: screenshotPath('scenario-demo-390.png') });
  await w.page.setViewportSize({ width: 1440, height: 900 });

  // A second scenario of the demo (forked from this one's page: a scenario of the same baseline),
  // then compared with both: one column group each.
  const demoScenario = await w.page.evaluate(() => location.hash.slice('#/w/'.length));
  await w.page.keyboard.press('Alt+Shift+N');
  await w.page.fill('[data-testid="scenario-name"]', 'More Oracle processors');
  await w.page.keyboard.press('Enter');
  await w.page.waitForFunction((id) => !location.hash.endsWith(id), demoScenario);
  await waitScenario(w.page);
  const oracleEntitlement = await w.page.evaluate(() => {
    const r = (window as any).reckon.reader('entitlements');
    return r.keys().find((k: string) => r.get(k, 'product') === 'Database Enterprise Edition' && r.get(k, 'metric') === 'oracle_processor');
  });
  const q = await w.page.evaluate((k) => (window as any).reckon.reader('entitlements').get(k, 'quantity'), oracleEntitlement) as number;
  await editCell(w.page, 'entitlements', oracleEntitlement, 'quantity', String(q + 47));
  await w.page.click('[data-tab="compare"]');
  await w.page.waitForFunction(() => document.querySelector('[data-testid="total-delta-0"]')?.textContent?.includes('−2,232,500.00'));
  await w.page.selectOption('[data-testid="compare-with"]', demoScenario);
  await w.page.waitForFunction(() => document.querySelector('[data-testid="total-delta-1"]')?.textContent?.includes('−1,140,000.00'));
  expect(await w.page.textContent(`.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="s1-dcost"]`)).toBe('−1,140,000.00');
  expect(await w.page.textContent(`.sheet[data-sheet="compare"] .ag-row[row-id="${ORACLE}"] .ag-cell[col-id="s0-dcost"]`)).toBe('−2,232,500.00');
  await w.page.screenshot({ path: screenshotPath('scenario-compare-two.png') });
  // The list shows it under its baseline.
  await w.page.goto(`${s.app.server.url}/#/`);
  await w.page.waitForSelector('.ws-table tr.ws-scenario[data-level="1"]');
  expect(w.errors).toEqual([]);
});

test('Duplicate keeps the copy on this device, even of a shared workspace', async () => {
  const w = await watchedPage(await s.browser.newContext());
  await openWorkspace(w, s.app.demoUrl);
  await w.page.goto(`${s.app.server.url}/#/`);
  await w.page.click('.ws-table tr[data-workspace="demo"] button:has-text("Duplicate")');
  await w.page.waitForSelector('.ws-table tr:has-text("Demo estate (copy)")');
  const copy = await w.page.evaluate(() => JSON.parse(localStorage.getItem('reckon.workspaces')!).find((e: { name: string }) => e.name === 'Demo estate (copy)'));
  expect(copy).toMatchObject({ role: 'local' });
  expect(copy.token).toBeUndefined();
  // The copy has the rows, here only; the relay never heard of it.
  await w.page.click('.ws-table a:has-text("Demo estate (copy)")');
  await waitReady(w.page);
  await w.page.waitForSelector('[data-testid="sync-status"][data-status="local"]');
  expect(await w.page.evaluate(() => (window as any).reckon.reader('devices').keys().length)).toBe(3000);
  expect(await s.app.server.readWorkspace(copy.id)).toBeNull();
  const claim = await fetch(`${s.app.server.url}/api/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: copy.id }) });
  expect(claim.status).toBe(201); // never claimed before: nothing was uploaded
  expect(w.errors).toEqual([]);
});

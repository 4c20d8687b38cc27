// A sheet that was empty when its grid was made shows the rows that come later: one added by hand,
// and many imported while the tab is open and sorted (the infinite row model asks
// for no block while its row count is 0; web/grid/SheetGrid.tsx).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { useAppAndBrowser, watchedPage } from './harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-empty-'));

const s = useAppAndBrowser({ demo: false });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const gridRows = (sheet: string) => `document.querySelectorAll('.sheet[data-sheet="${sheet}"] .ag-row').length`;

test('a new workspace: a row added by hand and rows imported into an open, empty tab are shown', async () => {
  const w = await watchedPage(await s.browser.newContext());
  const { page } = w;
  await page.goto(s.app.server.url);
  await page.click('button:has-text("New workspace")');
  await page.waitForURL(/#\/w\//);
  await page.waitForSelector('.sheet[data-sheet="entitlements"] .ag-root');
  expect(await page.evaluate(gridRows('entitlements'))).toBe(0);

  await page.click('.sheet[data-sheet="entitlements"] button:has-text("+ Row")');
  await page.waitForFunction(`${gridRows('entitlements')} === 1`);

  // 500 devices imported while the (empty) Devices tab is showing.
  await page.click('[data-tab="devices"]');
  await page.waitForSelector('.sheet[data-sheet="devices"] .ag-root');
  const csv = path.join(dir, 'devices.csv');
  fs.writeFileSync(csv, `id,name,cores\n${Array.from({ length: 500 }, (_, i) => `d${i},host-${i},${4 + (i % 8)}`).join('\n')}\n`);
  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', [csv]);
  await page.waitForSelector('[data-testid="import-preview"] tbody tr');
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  await page.click('[data-testid="import-done"] button');
  await page.waitForFunction(() => document.querySelector('.sheet[data-sheet="devices"] .ag-row[row-index="0"] .ag-cell[col-id="id"]')?.textContent === 'd0');
  expect(await page.evaluate(() => (window as any).reckonUi.gridApi('devices').getDisplayedRowCount())).toBe(500);

  // Sorted (a new cache in the grid): still every row, now in order.
  await page.click('.sheet[data-sheet="devices"] .ag-header-cell[col-id="id"] .ag-header-cell-label');
  await page.click('.sheet[data-sheet="devices"] .ag-header-cell[col-id="id"] .ag-header-cell-label');
  await page.waitForFunction(() => document.querySelector('.sheet[data-sheet="devices"] .ag-row[row-index="0"] .ag-cell[col-id="id"]')?.textContent === 'd499');
  expect(await page.evaluate(() => (window as any).reckonUi.gridApi('devices').getDisplayedRowCount())).toBe(500);
  expect(w.errors).toEqual([]);
});

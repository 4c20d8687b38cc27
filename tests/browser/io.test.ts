// Import, dashboard and report in the browser, against the running app with the demo workspace:
// a CSV (semicolon-separated, vendor column names) and an XLSX import together, the progress is
// shown, the new position appears with the right numbers, the dashboard renders its charts, and a
// broken file imports nothing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectXlsx } from '../../io/xlsx/write';
import { launch, openWorkspace, startApp, watchedPage, type App, type WatchedPage } from './harness';

let app: App;
let browser: Browser;
let w: WatchedPage;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-io-'));

beforeAll(async () => {
  app = await startApp();
  browser = await launch();
  w = await watchedPage(await browser.newContext({ acceptDownloads: true }));
  await openWorkspace(w, app.demoUrl);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows of a sheet in the page's document. */
const rowCount = (sheet: string) => w.page.evaluate((s) => (window as any).reckon.reader(s).keys().length as number, sheet);

/** Records whether the progress bar was ever shown (by mutation records: no timing involved). */
async function watchProgress(): Promise<void> {
  await w.page.evaluate(() => {
    const win = window as any;
    win.__progressSeen = false;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n instanceof Element && (n.matches('[data-testid="import-progress"]') || n.querySelector('[data-testid="import-progress"]'))) win.__progressSeen = true;
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

test('imports a CSV and an XLSX together, shows progress, and the position appears', async () => {
  const { page } = w;
  const devices: string[] = await page.evaluate(() => {
    const r = (window as any).reckon.reader('devices');
    return r.keys().slice(0, 2).map((k: string) => String(r.get(k, 'id')));
  });
  const csv = path.join(dir, 'alm_license.csv');
  fs.writeFileSync(csv, '\uFEFFNumber;Publisher;Product;License metric;Purchased rights;Unit cost\r\nT-1;Testco Ütil;Widget;per_device;1;100\r\n');
  const xlsx = path.join(dir, 'Software installs.xlsx');
  fs.writeFileSync(xlsx, collectXlsx((x) => {
    const s = x.addSheet('Software installs');
    s.row(['Configuration item', 'Publisher', 'Display name'].map((v) => ({ v })));
    for (const d of devices) s.row([{ v: d }, { v: 'Testco Ütil' }, { v: 'Widget' }]);
    s.end();
  }));
  const before = await rowCount('installations');

  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', [csv, xlsx]);
  await page.waitForSelector('[data-testid="import-preview"] tbody tr');
  // The CSV's vendor names are mapped; the preview shows typed values.
  expect(await page.$eval('[data-testid="import-sheet"]', (e) => (e as HTMLSelectElement).value)).toBe('entitlements');
  expect(await page.$eval('[data-testid="map-4"]', (e) => (e as HTMLSelectElement).value)).toBe('quantity');
  expect(await page.textContent('[data-testid="import-preview"] tbody tr')).toContain('Testco Ütil');

  await watchProgress();
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  expect(await page.textContent('[data-testid="import-done"]')).toContain('Imported 3 rows');
  expect(await page.evaluate(() => (window as any).__progressSeen)).toBe(true);
  expect(await rowCount('installations')).toBe(before + 2);

  // The worker reconciles the new rows: one device too many.
  await page.waitForFunction(() => [...(window as any).reckon.results.positions.values()]
    .some((p: any) => p.publisher === 'Testco Ütil' && p.consumed === 2 && p.purchased === 1 && p.status === 'noncompliant' && p.shortfallCost === 100), undefined, { timeout: 30_000 });
  await page.click('[data-testid="import-done"] button');
  expect(w.errors).toEqual([]);
});

test('the dashboard renders its counts and charts', async () => {
  const { page } = w;
  await page.click('[data-testid="dashboard-open"]');
  // Each chart has drawn its bars (SVG paths beyond the axes and grid lines).
  for (const id of ['chart-cost', 'chart-positions', 'chart-hardware']) {
    await page.waitForFunction((t) => document.querySelectorAll(`[data-testid="${t}"] svg path`).length > 10, id, { timeout: 30_000 });
  }
  const noncompliant = Number((await page.textContent('[data-testid="count-noncompliant"] b'))?.replace(/,/g, ''));
  const expected = await page.evaluate(() => [...(window as any).reckon.results.positions.values()].filter((p: any) => p.status === 'noncompliant').length);
  expect(noncompliant).toBe(expected);
  // The publisher chart names the imported publisher.
  expect(await page.textContent('[data-testid="chart-cost"]')).toContain('Testco');
  await page.screenshot({ path: path.join(dir, 'dashboard.png') });
  expect(w.errors).toEqual([]);
});

test('a ragged CSV imports nothing and says why', async () => {
  const { page } = w;
  await openWorkspace(w, app.demoUrl);
  const bad = path.join(dir, 'devices.csv');
  // Good rows first (the preview shows them), then one with a field too many.
  const good = Array.from({ length: 40 }, (_, i) => `new${i},a,4`).join('\n');
  fs.writeFileSync(bad, `id,name,cores\n${good}\nnewX,b,4,extra\n`);
  const before = await rowCount('devices');
  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', [bad]);
  await page.waitForSelector('[data-testid="import-preview"] tbody tr');
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-error"]');
  expect(await page.textContent('[data-testid="import-error"]')).toBe('Nothing was imported: devices.csv: row 42 has 4 fields, the header has 3: check the delimiter and the quotes');
  expect(await rowCount('devices')).toBe(before);
  expect(w.errors).toEqual([]);
});

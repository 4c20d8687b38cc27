// Sorting and filtering a sheet that pages through the infinite row model: the order comes from a
// view computed on the page (small sheets) or in the worker (large ones; forced here with
// `window.reckonPageViewRows = 0`), and what the grid shows is that order, live as rows come.

import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useDemoWorkspace } from './harness';

const demo = useDemoWorkspace();

/** The first `n` values of a column as the grid shows them, top down. */
function shown(page: Page, sheet: string, col: string, n: number): Promise<string[]> {
  return page.evaluate(({ sheet, col, n }) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(document.querySelector(`.sheet[data-sheet="${sheet}"] .ag-row[row-index="${i}"] .ag-cell[col-id="${col}"]`)?.textContent ?? '\u0000');
    return out;
  }, { sheet, col, n });
}

/** The column's values in the document, sorted the way the view sorts text (collation, blanks first). */
function expected(page: Page, sheet: string, col: string, dir: 1 | -1, n: number): Promise<string[]> {
  return page.evaluate(({ sheet, col, dir, n }) => {
    const r = (window as any).reckon.reader(sheet);
    const c = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const vals: string[] = r.keys().map((k: string) => String(r.get(k, col) ?? ''));
    vals.sort((a, b) => (a === '' ? (b === '' ? 0 : -1) : b === '' ? 1 : c.compare(a, b)) * dir);
    return vals.slice(0, n);
  }, { sheet, col, dir, n });
}

async function sortedBy(page: Page, sheet: string, col: string): Promise<void> {
  for (const dir of [1, -1] as const) {
    await page.click(`.sheet[data-sheet="${sheet}"] .ag-header-cell[col-id="${col}"] .ag-header-cell-label`);
    const want = await expected(page, sheet, col, dir, 8);
    await page.waitForFunction(({ sheet, col, want }) => want.every((v: string, i: number) =>
      (document.querySelector(`.sheet[data-sheet="${sheet}"] .ag-row[row-index="${i}"] .ag-cell[col-id="${col}"]`)?.textContent ?? '\u0000') === v), { sheet, col, want });
    expect(await shown(page, sheet, col, 8)).toEqual(want);
  }
  // A third click: back to sheet order.
  await page.click(`.sheet[data-sheet="${sheet}"] .ag-header-cell[col-id="${col}"] .ag-header-cell-label`);
}

test('a sheet opened fills its whole grid with rows (the top half is drawn first)', async () => {
  const { page } = demo.w;
  await page.click('[data-tab="installations"]');
  const sel = '.sheet[data-sheet="installations"]';
  await page.waitForSelector(`${sel} .ag-row`);
  // Then the host is let out to its full height and the rows reach the bottom of the grid.
  await page.waitForFunction((sel) => !document.querySelector(`${sel} .grid-host.first-rows`), sel);
  await page.waitForFunction((sel) => {
    const body = document.querySelector(`${sel} .ag-grid-viewport`)!.getBoundingClientRect();
    const rows = [...document.querySelectorAll(`${sel} .ag-row`)].map((r) => r.getBoundingClientRect().bottom);
    return body.height > 300 && rows.length > 0 && Math.max(...rows) >= body.bottom - 24;
  }, sel);
  expect(demo.w.errors).toEqual([]);
});

test('installations sort by product on the page, both ways', async () => {
  const { page } = demo.w;
  await page.click('[data-tab="installations"]');
  await page.waitForSelector('.sheet[data-sheet="installations"] .ag-row');
  await sortedBy(page, 'installations', 'product');
  expect(demo.w.errors).toEqual([]);
});

test('in the worker: devices sort by name; the quick filter and a column filter narrow them; a new row shows', async () => {
  const { page } = demo.w;
  await page.evaluate(() => { (window as any).reckonPageViewRows = 0; });
  await page.click('[data-tab="devices"]');
  await page.waitForSelector('.sheet[data-sheet="devices"] .ag-row');
  await sortedBy(page, 'devices', 'name');

  // Quick filter: every row shown holds the text; as many rows as the document has.
  const id: string = await page.evaluate(() => { const r = (window as any).reckon.reader('devices'); return String(r.get(r.keys()[7], 'id')); });
  const matching: number = await page.evaluate((id) => { const r = (window as any).reckon.reader('devices'); return r.keys().filter((k: string) => Object.values(r.row(k)).some((v) => String(v).toLowerCase().includes(id.toLowerCase()))).length; }, id);
  await page.fill('.sheet[data-sheet="devices"] .quick-filter', id);
  await page.waitForFunction(({ n }) => document.querySelectorAll('.sheet[data-sheet="devices"] .ag-row').length === n, { n: matching });
  // A filter that matches nothing, then cleared: every row comes back.
  await page.fill('.sheet[data-sheet="devices"] .quick-filter', 'no device has this text');
  await page.waitForFunction(() => (window as any).reckonUi.gridApi('devices').getDisplayedRowCount() === 0);
  await page.fill('.sheet[data-sheet="devices"] .quick-filter', '');
  const all: number = await page.evaluate(() => (window as any).reckon.reader('devices').keys().length);
  await page.waitForFunction((n) => (window as any).reckonUi.gridApi('devices').getDisplayedRowCount() === n
    && document.querySelector('.sheet[data-sheet="devices"] .ag-row[row-index="0"] .ag-cell[col-id="id"]')?.textContent, all);

  // A column filter from the grid's own filter UI: cores greater than 60 (numbers only).
  const big: number = await page.evaluate(() => { const r = (window as any).reckon.reader('devices'); return r.keys().filter((k: string) => typeof r.get(k, 'cores') === 'number' && r.get(k, 'cores') > 60).length; });
  expect(big).toBeGreaterThan(0);
  await page.evaluate(async () => {
    const api = (window as any).reckonUi.gridApi('devices');
    await api.setColumnFilterModel('cores', { filterType: 'number', type: 'greaterThan', filter: 60 });
    api.onFilterChanged();
  });
  await page.waitForFunction((n) => Math.min(n, 20) <= document.querySelectorAll('.sheet[data-sheet="devices"] .ag-row').length
    && [...document.querySelectorAll('.sheet[data-sheet="devices"] .ag-cell[col-id="cores"]')].every((c) => Number(c.textContent) > 60), big);
  expect(await page.evaluate(() => (window as any).reckonUi.gridApi('devices').getDisplayedRowCount())).toBe(big);
  await page.evaluate(() => { const api = (window as any).reckonUi.gridApi('devices'); api.setFilterModel(null); });

  // A row added while sorted by name lands in its place.
  await page.click('.sheet[data-sheet="devices"] .ag-header-cell[col-id="name"] .ag-header-cell-label');
  await page.evaluate(() => {
    const s = (window as any).reckon;
    const YMap = s.doc.getMap('meta').constructor;
    s.edit(() => s.doc.getMap('devices/rows').set('zzzzzzzzzview', new YMap([['id', 'view-1'], ['name', '!!! first by name']])));
  });
  await page.waitForSelector('.sheet[data-sheet="devices"] .ag-row[row-index="0"] .ag-cell[col-id="name"]:text-is("!!! first by name")');
  expect(demo.w.errors).toEqual([]);
});

// Editing like a spreadsheet: a block pasted from a spreadsheet lands in the right cells (adding
// rows past the end), and a bad value shows as a problem and is kept as typed. Rows are added and
// deleted from the toolbar.

import { expect, test } from 'vitest';
import { cell, openWorkspace, useDemoWorkspace, watchedPage } from './harness';
import { cellValue, editCell, focusCell, keyOfId } from './page-helpers';

const demo = useDemoWorkspace();

test('a pasted block lands in the right cells, adding rows when needed', async () => {
  const { page } = demo.w;
  await page.click('[data-tab="clusters"]');
  await page.waitForSelector('.sheet[data-sheet="clusters"] .ag-row');
  const keys: string[] = await page.evaluate(() => (window as any).reckon.reader('clusters').keys());
  const n = keys.length;
  // Start on the name cell of the second-to-last row: 2 rows overwrite, 1 row is new.
  const start = keys[n - 2];
  await focusCell(page, 'clusters', start, 'name');
  const tsv = 'Alpha\tyes\r\n"Beta, ""quoted"""\tno\r\nGamma\t1\r\n';
  await page.evaluate(({ sel, tsv }) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', tsv);
    document.querySelector(sel)!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, { sel: cell('clusters', start, 'name'), tsv });
  await page.waitForFunction((n) => (window as any).reckon.reader('clusters').keys().length === n + 1, n);
  const after: string[] = await page.evaluate(() => (window as any).reckon.reader('clusters').keys());
  const added = after[n];
  expect(await cellValue(page, 'clusters', keys[n - 2], 'name')).toBe('Alpha');
  expect(await cellValue(page, 'clusters', keys[n - 2], 'mobility')).toBe(true);
  expect(await cellValue(page, 'clusters', keys[n - 1], 'name')).toBe('Beta, "quoted"');
  expect(await cellValue(page, 'clusters', keys[n - 1], 'mobility')).toBe(false);
  expect(await cellValue(page, 'clusters', added, 'name')).toBe('Gamma');
  expect(await cellValue(page, 'clusters', added, 'mobility')).toBe(true);
  expect(String(await cellValue(page, 'clusters', added, 'id'))).toMatch(/^c-/);
  // On screen too.
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'Gamma', cell('clusters', added, 'name'));
  // One paste is one undo step.
  await page.keyboard.press('ControlOrMeta+z');
  await page.waitForFunction((n) => (window as any).reckon.reader('clusters').keys().length === n, n);
  expect(await cellValue(page, 'clusters', keys[n - 2], 'name')).not.toBe('Alpha');
  expect(demo.w.errors).toEqual([]);
});

test('a bad value shows as a problem and is kept as typed', async () => {
  const { page } = demo.w;
  const key = await keyOfId(page, 'devices', (await page.evaluate(() => {
    const r = (window as any).reckon.reader('devices');
    return String(r.get(r.keys()[3], 'id'));
  })));
  const problemsBefore = Number((await page.textContent('[data-testid="problem-count"]'))!.replace(/\D/g, ''));
  await editCell(page, 'devices', key, 'cores', 'lots');
  const sel = cell('devices', key, 'cores');
  await page.waitForSelector(`${sel}.cell-problem`);
  expect(await page.textContent(sel)).toBe('lots');
  expect(await cellValue(page, 'devices', key, 'cores')).toBe('lots');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="problem-count"]')!.textContent!.replace(/\D/g, '')) === n + 1, problemsBefore);
  // The tooltip says what is wrong.
  await page.mouse.move(5, 5);
  await page.hover(sel);
  await page.waitForSelector('.cell-tip[role="tooltip"]:has-text("cores")');
  // The problems panel lists it, and its link leads back to the cell.
  await page.click('[data-testid="problem-count"]');
  await page.waitForSelector('.panel .problem:has-text("cores")');
  await page.click('[data-tab="entitlements"]');
  await page.click('.panel .problem:has-text("cores")');
  await page.waitForFunction(() => document.querySelector('[data-tab="devices"]')?.getAttribute('aria-selected') === 'true');
  await page.waitForSelector(`${sel}.ag-cell-focus`);
  // Kept across a reload (IndexedDB) and still a problem.
  await page.reload();
  await page.waitForSelector('.sheet[data-sheet="entitlements"] .ag-row');
  await page.evaluate((k) => (window as any).reckonUi.reveal({ sheet: 'devices', key: k, col: 'cores' }), key);
  await page.waitForSelector(`${sel}.cell-problem`);
  expect(await page.textContent(sel)).toBe('lots');
  expect(demo.w.errors).toEqual([]);
});

test('rows are added and deleted from the toolbar', async () => {
  const { page } = demo.w;
  await page.click('[data-tab="users"]');
  await page.waitForSelector('.sheet[data-sheet="users"] .ag-row');
  const n: number = await page.evaluate(() => (window as any).reckon.reader('users').keys().length);
  await page.click('.sheet[data-sheet="users"] button:has-text("+ Row")');
  await page.waitForFunction((n) => (window as any).reckon.reader('users').keys().length === n + 1, n);
  const key: string = await page.evaluate(() => { const k = (window as any).reckon.reader('users').keys(); return k[k.length - 1]; });
  await page.waitForSelector(`${cell('users', key, 'name')}.ag-cell-focus`);
  await page.keyboard.type('Zoë');
  await page.keyboard.press('Enter');
  await page.waitForFunction((k) => (window as any).reckon.reader('users').get(k, 'name') === 'Zoë', key);
  await focusCell(page, 'users', key, 'name');
  await page.click('.sheet[data-sheet="users"] button:has-text("Delete row")');
  await page.waitForFunction((n) => (window as any).reckon.reader('users').keys().length === n, n);
  await page.waitForSelector(`.sheet[data-sheet="users"] .ag-row[row-id="${key}"]`, { state: 'detached' });
  expect(demo.w.errors).toEqual([]);
});

test('a view link shows the workspace read-only', async () => {
  const viewer = await watchedPage(await demo.browser.newContext());
  const { url } = demo.app.server.mintShareLink('demo', 'view');
  await openWorkspace(viewer, url);
  const { page } = viewer;
  await page.waitForSelector('.statusbar .badge:has-text("Read-only")');
  expect(await page.isDisabled('.sheet[data-sheet="entitlements"] button:has-text("+ Row")')).toBe(true);
  const key = await keyOfId(page, 'entitlements', 'e0001');
  await focusCell(page, 'entitlements', key, 'notes');
  await page.keyboard.press('Enter');
  await page.keyboard.type('nope');
  await page.keyboard.press('Enter');
  expect(await page.$(`${cell('entitlements', key, 'notes')} input`)).toBeNull();
  expect(await cellValue(page, 'entitlements', key, 'notes')).not.toBe('nope');
  expect(viewer.errors).toEqual([]);
  await page.context().close();
});

test('every cell a sheet shows takes its own clicks, to its right edge, on a wide screen and a phone', async () => {
  // Where scrollbars overlay the page (phones, headless Chromium), a scrollbar AG Grid is told to
  // show always lies over the last row or column and takes their clicks.
  const { page } = demo.w;
  const covered = () => page.evaluate(() => {
    const out: string[] = [];
    // Cells wholly inside the grid's body, below its header (rows scrolled partly out of it are not whole).
    const body = document.querySelector('.sheet[data-sheet="users"] .ag-grid-viewport')!.getBoundingClientRect();
    const top = Math.max(body.top, document.querySelector('.sheet[data-sheet="users"] .ag-header')!.getBoundingClientRect().bottom);
    for (const c of document.querySelectorAll('.sheet[data-sheet="users"] .ag-row .ag-cell')) {
      const r = c.getBoundingClientRect();
      if (r.width < 8 || r.left < body.left || r.right > Math.min(body.right, innerWidth) || r.top < top || r.bottom > body.bottom) continue;
      for (const [x, y] of [[r.left + r.width / 2, r.top + r.height / 2], [r.right - 3, r.top + r.height / 2]]) {
        if (document.elementFromPoint(x, y)?.closest('.ag-cell') !== c) out.push(`${c.getAttribute('col-id')} at ${Math.round(x)},${Math.round(y)} under ${document.elementFromPoint(x, y)?.className}`);
      }
    }
    return out;
  });
  await page.click('[data-tab="users"]');
  await page.waitForSelector('.sheet[data-sheet="users"] .ag-row .ag-cell');
  expect(await covered()).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.waitForFunction(() => document.querySelector('.sheet[data-sheet="users"]')!.getBoundingClientRect().width <= 390);
    await new Promise((r) => setTimeout(r, 300));
    expect(await covered()).toEqual([]);
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  expect(demo.w.errors).toEqual([]);
});

test('a column that explains itself says so when the pointer rests on its header', async () => {
  const { page } = demo.w;
  await page.click('[data-tab="positions"]');
  const header = '.ag-header-cell[col-id="surplus"]';
  await page.waitForSelector(header, { state: 'visible' });
  await page.mouse.move(5, 5);
  await page.hover(header);
  await page.waitForSelector('.cell-tip[role="tooltip"]:has-text("Rights bought beyond consumption")');
  // It goes when the pointer leaves the grid.
  await page.mouse.move(5, 5);
  await page.waitForSelector('.cell-tip', { state: 'detached' });
  expect(demo.w.errors).toEqual([]);
});

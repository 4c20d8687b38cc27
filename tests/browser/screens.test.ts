// Every screen: at 390×844 the workspace fits the width (no sideways page), Share and Problems are on
// screen, the tab bar scrolls to the tab opened, a grid's key columns are in view and a side panel
// covers the grid; at 1440×900 every tab is on screen and the tab bar takes arrow keys (WAI-ARIA
// tabs: one Tab stop, arrows/Home/End move and open). The explanation panel puts what raised a
// flag first, names rows beside their ids, and filters, sorts and groups. Screenshots of each.

import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, useDemoWorkspace } from './harness';

const demo = useDemoWorkspace();

/** Left and right edges of the elements matching a selector. */
const edges = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent }; }));

test('1440×900: every tab is on screen; arrow keys, Home and End move between tabs and open them', async () => {
  const { page } = demo.w;
  await page.setViewportSize({ width: 1440, height: 900 });
  const tabs = await edges(page, '[role="tablist"] [role="tab"]');
  expect(tabs.length).toBeGreaterThan(15);
  for (const t of tabs) expect(t.right, `${t.text} is cut off`).toBeLessThanOrEqual(1440);
  // One Tab stop: only the open tab is focusable.
  expect(await page.$$eval('[role="tab"][tabindex="0"]', (els: Element[]) => els.length)).toBe(1);
  await page.focus('[role="tab"][aria-selected="true"]');
  const before = await page.getAttribute('[role="tab"][aria-selected="true"]', 'data-tab');
  const order = await page.$$eval('[role="tab"]', (els: Element[]) => els.map((e) => e.getAttribute('data-tab')));
  await page.keyboard.press('ArrowRight');
  const next = order[order.indexOf(before) + 1];
  expect(await page.getAttribute('[role="tab"][aria-selected="true"]', 'data-tab')).toBe(next);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-tab'))).toBe(next);
  await page.waitForSelector(`.sheet[data-sheet="${next}"]`, { state: 'visible' }).catch(() => undefined);
  await page.keyboard.press('End');
  expect(await page.getAttribute('[role="tab"][aria-selected="true"]', 'data-tab')).toBe(order[order.length - 1]);
  await page.keyboard.press('ArrowRight'); // wraps to the first
  expect(await page.getAttribute('[role="tab"][aria-selected="true"]', 'data-tab')).toBe(order[0]);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Home');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-tab'))).toBe(order[0]);
  await page.click('[data-tab="entitlements"]');
  await page.screenshot({ path: screenshotPath('workspace-1440.png') });
});

test('the explanation puts what raised a flag first, names rows, and sorts, filters and groups', async () => {
  const { page } = demo.w;
  await page.setViewportSize({ width: 1440, height: 900 });
  // The position with the most contributions among those that raised a flag (the demo has some).
  const key = await page.evaluate(() => {
    const all = [...(window as any).reckon.results.positions.values()] as { key: string; flags: string[]; consumed: number }[];
    return all.filter((p) => p.flags.length).sort((a, b) => b.consumed - a.consumed)[0]?.key;
  });
  expect(key).toBeTruthy();
  await page.click('[data-tab="positions"]');
  await page.evaluate((k) => (window as any).reckonUi.reveal({ sheet: 'positions', id: k }), key);
  const panel = 'aside[aria-label="Explanation"]';
  await page.waitForSelector(`${panel} [data-testid="explain-count"]`);
  await page.waitForSelector(`${panel} [data-testid="explain-flags"]`);
  // The lines that raised a flag come first, before any group.
  const first = await page.$$eval(`${panel} [data-testid="explain-first"] .contrib`, (els) => els.map((e) => ({ flagged: e.classList.contains('flagged'), text: e.textContent })));
  expect(first.length).toBeGreaterThan(0);
  expect(first[0].flagged).toBe(true);
  // Rows are named beside their ids.
  const named = await page.$$eval(`${panel} .contrib .contrib-name`, (els) => els.length);
  expect(named).toBeGreaterThan(0);
  const ref = await page.$eval(`${panel} [data-testid="explain-first"] .contrib`, (e) => e.getAttribute('data-ref')!);
  const deviceName = await page.evaluate((id) => {
    const r = (window as any).reckon.reader('devices');
    const k = r.keys().find((x: string) => r.get(x, 'id') === id);
    return r.get(k, 'name');
  }, ref.slice('devices/'.length));
  expect(await page.textContent(`${panel} [data-testid="explain-first"] .contrib .contrib-name`)).toBe(deviceName);
  await page.screenshot({ path: screenshotPath('explain-1440.png') });

  // Grouped by reason: the groups fold lines; a group opens to show them.
  const total = Number(/(\d+) contributions/.exec((await page.textContent(`${panel} [data-testid="explain-count"]`))!)![1]);
  const groups = await page.$$eval(`${panel} [data-testid="contrib-group"] summary`, (els) => els.map((e) => e.textContent ?? ''));
  expect(groups.length).toBeGreaterThan(0);
  const inGroups = groups.reduce((n, g) => n + Number(/· (\d+) rows?/.exec(g)![1]), 0);
  expect(inGroups + first.length).toBe(total);
  // By amount: one group per amount, the largest first.
  await page.selectOption(`${panel} [data-testid="explain-group"]`, 'amount');
  const amounts = await page.$$eval(`${panel} [data-testid="contrib-group"] .group-label`, (els) => els.map((e) => Number(/counting (\S+)/.exec(e.textContent ?? '')![1])));
  expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  // No groups, sorted by name: the names in order.
  await page.selectOption(`${panel} [data-testid="explain-group"]`, 'none');
  await page.selectOption(`${panel} [data-testid="explain-sort"]`, 'name');
  const names = await page.$$eval(`${panel} .panel-list > .contrib:not(.flagged) .contrib-name`, (els) => els.slice(0, 50).map((e) => e.textContent ?? ''));
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })));
  // Filter by the flagged device's name: only its line is left.
  await page.fill(`${panel} [data-testid="explain-filter"]`, deviceName);
  await page.waitForFunction((p) => /of \d+ contributions/.test(document.querySelector(`${p} [data-testid="explain-count"]`)?.textContent ?? ''), panel);
  const left = await page.$$eval(`${panel} .contrib .contrib-name`, (els) => els.map((e) => e.textContent));
  expect(left.length).toBeGreaterThan(0);
  for (const n of left) expect(n).toContain(deviceName);
  await page.fill(`${panel} [data-testid="explain-filter"]`, '');
  await page.selectOption(`${panel} [data-testid="explain-group"]`, 'reason');
  await page.selectOption(`${panel} [data-testid="explain-sort"]`, 'amount');
  await page.setViewportSize({ width: 390, height: 844 });
  const box = (await edges(page, panel))[0];
  expect(box.left).toBeGreaterThanOrEqual(0);
  expect(box.right).toBeLessThanOrEqual(390);
  await page.screenshot({ path: screenshotPath('explain-390.png') });
  await page.click(`${panel} .close`);
});

test('390×844: the page fits the width, Share and Problems are on screen, the key columns are in view', async () => {
  const { page } = demo.w;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-tab="entitlements"]');
  await page.waitForSelector('.sheet[data-sheet="entitlements"] .ag-header-cell[col-id="quantity"]');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  for (const name of ['Share', 'Problems']) {
    const [b] = await edges(page, `.appbar button:has-text("${name}")`);
    expect(b.right, name).toBeLessThanOrEqual(390);
    expect(b.left, name).toBeGreaterThanOrEqual(0);
  }
  // The key columns of entitlements (product, quantity, available) are in view without scrolling.
  for (const col of ['product', 'quantity']) {
    const [h] = await edges(page, `.sheet[data-sheet="entitlements"] .ag-header-cell[col-id="${col}"]`);
    expect(h.right, col).toBeLessThanOrEqual(390);
  }
  await page.screenshot({ path: screenshotPath('workspace-390.png') });
  // A tab far along the bar, opened by keys, is scrolled into view.
  await page.focus('[role="tab"][aria-selected="true"]');
  await page.keyboard.press('End');
  const [last] = await edges(page, '[role="tab"][aria-selected="true"]');
  expect(last.right).toBeLessThanOrEqual(390 + 1);
  expect(last.left).toBeGreaterThanOrEqual(0);
  await page.click('[data-tab="positions"]');
  await page.waitForSelector('.sheet[data-sheet="positions"] .ag-header-cell[col-id="available"]');
  for (const col of ['product', 'available']) {
    const [h] = await edges(page, `.sheet[data-sheet="positions"] .ag-header-cell[col-id="${col}"]`);
    expect(h.right, col).toBeLessThanOrEqual(390);
  }
  await page.screenshot({ path: screenshotPath('positions-390.png') });
  await page.click('button:has-text("Share")');
  await page.waitForSelector('[data-testid="share-links"] [data-testid="link-row"]');
  const [dialog] = await edges(page, '.modal');
  expect(dialog.right).toBeLessThanOrEqual(390);
  await page.click('.modal .close');
  await page.setViewportSize({ width: 1440, height: 900 });
});

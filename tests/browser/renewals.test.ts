// Issue 21 on screen: the Renewals tab (30/90/180 days, status now, cost at stake), next renewals on
// the dashboard, an expired entitlement saying it does not count today (its row and its
// position), and a moved shortfall in the explanation linking to the other position. Screenshots
// at 1440×900 and 390×844 under tests/.artifacts/.

import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { cell, openWorkspace, screenshotPath, useDemoWorkspace, watchedPage } from './harness';
import { keyOfId } from './page-helpers';

const demo = useDemoWorkspace();

/** Adds a row through the document, as a person's edit. */
function addRow(page: Page, sheet: string, cells: Record<string, unknown>): Promise<void> {
  return page.evaluate(({ sheet, cells }) => {
    const s = (window as any).reckon;
    const YMap = s.doc.getMap('meta').constructor;
    const key = `zz${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    s.edit(() => s.doc.getMap(`${sheet}/rows`).set(key, new YMap(Object.entries(cells))));
  }, { sheet, cells });
}

const rows = (page: Page) => page.$$eval('[data-testid="renewal-row"]', (r) => r.length);

test('the Renewals tab lists rights ending or due for notice, by horizon, with status and cost at stake', async () => {
  const { page } = demo.w;
  // The demo's asOf is 2026-11-01: a right due for notice in 10 days, at 4 × 250.
  await addRow(page, 'entitlements', { id: 'renew-1', publisher: 'Renewco', product: 'Suite', metric: 'per_device', quantity: 4, unitCost: 250, renewal: '2026-12-11', noticeDays: 30 });
  await page.click('[data-tab="renewals"]');
  await page.waitForSelector('[data-testid="renewals"] [data-testid="renewal-row"]');
  const row = page.locator('[data-testid="renewal-row"]', { hasText: 'renew-1' });
  await row.waitFor();
  expect(await row.textContent()).toMatch(/2026-11-11.*in 10 days.*Notice due.*renews 2026-12-11.*renew-1.*Renewco Suite.*Compliant.*4.*\$1,000/);

  await page.click('[data-testid="horizon-30"]');
  const in30 = await rows(page);
  await page.click('[data-testid="horizon-180"]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="renewal-row"]').length >= n, in30);
  const in180 = await rows(page);
  expect(in180).toBeGreaterThan(in30);
  expect(await page.textContent('[data-testid="renewals-count"]')).toBe(`${in180} rights`);
  await page.screenshot({ path: screenshotPath('renewals-1440.png') });

  // A position link opens its explanation; the entitlement link its row.
  await row.locator('button', { hasText: 'Renewco Suite' }).click();
  await page.waitForSelector('aside[aria-label="Explanation"] .explain-title:has-text("Renewco Suite")');
  await page.keyboard.press('Escape');
  await page.click('[data-testid="horizon-30"]');
  await row.locator('button', { hasText: 'renew-1' }).click();
  const key = await keyOfId(page, 'entitlements', 'renew-1');
  await page.waitForSelector(cell('entitlements', key, 'id'));
  expect(demo.w.errors).toEqual([]);
});

test('an expired entitlement says it does not count today, on its row and on its position', async () => {
  const { page } = demo.w;
  const device: string = await page.evaluate(() => {
    const r = (window as any).reckon.reader('devices');
    return r.keys().map((k: string) => ({ id: String(r.get(k, 'id')), status: r.get(k, 'status') })).find((d: { status: unknown }) => !d.status || d.status === 'in use').id;
  });
  await addRow(page, 'entitlements', { id: 'old-1', publisher: 'Oldco', product: 'Tool', metric: 'per_device', quantity: 3, start: '2024-01-01', end: '2026-01-31' });
  await addRow(page, 'installations', { id: 'old-i1', deviceId: device, publisher: 'Oldco', product: 'Tool' });
  // Its row: the "counts today" column.
  await page.click('[data-tab="entitlements"]');
  await page.waitForFunction(() => [...(window as any).reckon.results.positions.values()].some((p: any) => p.publisher === 'Oldco'));
  const key = await keyOfId(page, 'entitlements', 'old-1');
  await page.evaluate((k) => (window as any).reckonUi.reveal({ sheet: 'entitlements', key: k, col: 'counts' }), key);
  await page.waitForSelector(`${cell('entitlements', key, 'counts')}:has-text("ended on 2026-01-31")`);
  expect(await page.getAttribute(cell('entitlements', key, 'counts'), 'class')).toContain('right-inactive');
  await page.screenshot({ path: screenshotPath('entitlement-expired-1440.png') });
  // Its position: noncompliant (purchased 0), and the explanation says why.
  await page.click('[data-tab="positions"]');
  await page.fill('.sheet[data-sheet="positions"] .quick-filter', 'Oldco');
  const pos = 'oldco|tool|||per_device|||';
  await page.waitForSelector(`${cell('positions', pos, 'status')} .status-noncompliant`);
  expect(await page.textContent(cell('positions', pos, 'rights'))).toBe('no right counts today: it ended (last on 2026-01-31)');
  await page.click(cell('positions', pos, 'product'));
  await page.waitForSelector('[data-testid="rights-note"]');
  expect(await page.textContent('[data-testid="rights-note"]')).toBe('no right counts today: it ended (last on 2026-01-31)');
  await page.keyboard.press('Escape');
  expect(demo.w.errors).toEqual([]);
});

test('a moved shortfall is a line on both positions, linking to the other', async () => {
  const { page } = demo.w;
  const devices: string[] = await page.evaluate(() => {
    const r = (window as any).reckon.reader('devices');
    return r.keys().map((k: string) => ({ id: String(r.get(k, 'id')), status: r.get(k, 'status'), virtual: r.get(k, 'virtual') }))
      .filter((d: any) => (!d.status || d.status === 'in use') && !d.virtual).slice(0, 3).map((d: any) => d.id);
  });
  // Office-like: 2019 on two devices, 2016 on a third; 1 right for 2019 with downgrade, 2 without version.
  await addRow(page, 'entitlements', { id: 'mv-1', publisher: 'Moveco', product: 'Office', version: '2019', downgrade: true, metric: 'per_device', quantity: 1 });
  await addRow(page, 'entitlements', { id: 'mv-2', publisher: 'Moveco', product: 'Office', metric: 'per_device', quantity: 2 });
  for (const [k, v] of [[0, '2019'], [1, '2019'], [2, '2016']] as const) {
    await addRow(page, 'installations', { id: `mv-i${k}`, deviceId: devices[k], publisher: 'Moveco', product: 'Office', version: v });
  }
  await page.click('[data-tab="positions"]');
  await page.fill('.sheet[data-sheet="positions"] .quick-filter', 'Moveco');
  const giver = 'moveco|office|2019+||per_device|||', cover = 'moveco|office|||per_device|||';
  await page.waitForSelector(`${cell('positions', giver, 'moved')}:has-text("−2 up")`);
  expect(await page.textContent(cell('positions', cover, 'moved'))).toBe('+2 in');
  expect(await page.textContent(cell('positions', giver, 'version'))).toBe('2019 and lower');
  await page.click(cell('positions', giver, 'product'));
  const move = page.locator('[data-testid="contrib-move"]');
  await move.waitFor();
  expect(await page.textContent('aside[aria-label="Explanation"] .explain-title')).toBe('Moveco Office 2019 and lower · per_device');
  expect(await move.textContent()).toMatch(/-2position Moveco Office \(per_device\)shortfall of 2 moved up to Moveco Office \(per_device\), its nearest cover/);
  await page.screenshot({ path: screenshotPath('explain-move-1440.png') });
  await move.click();
  // The other position's explanation, with the line back.
  await page.waitForSelector('aside[aria-label="Explanation"] [data-testid="contrib-move"]:has-text("moved up from Moveco Office 2019 and lower")');
  expect(await page.textContent('aside[aria-label="Explanation"] .explain-figures')).toContain('consumed 2');
  await page.keyboard.press('Escape');
  expect(demo.w.errors).toEqual([]);
});

test('the dashboard shows the next renewals', async () => {
  const { page } = demo.w;
  await page.click('[data-testid="dashboard-open"]');
  await page.waitForSelector('[data-testid="next-renewals"] [data-testid="next-renewal"]');
  expect(await page.textContent('[data-testid="next-renewals"]')).toContain('renew-1');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-positions"] svg path').length > 10, undefined, { timeout: 30_000 });
  await page.screenshot({ path: screenshotPath('dashboard-renewals-1440.png') });
  await page.click('.io-report-bar button:has-text("Close")');
  expect(demo.w.errors).toEqual([]);
});

test('on a phone: Renewals as cards, the explanation of a moved shortfall', async () => {
  const w = await watchedPage(await demo.browser.newContext(), { width: 390, height: 844 });
  await openWorkspace(w, demo.app.demoUrl);
  const { page } = w;
  await page.evaluate(() => (window as any).reckonUi.open('renewals'));
  await page.waitForSelector('[data-testid="renewal-row"]');
  // Each right is a card: its cells stacked under their labels, nothing wider than the screen.
  const widest = await page.$$eval('[data-testid="renewal-row"]', (r) => Math.max(...r.map((x) => x.getBoundingClientRect().right)));
  expect(widest).toBeLessThanOrEqual(390);
  await page.screenshot({ path: screenshotPath('renewals-390.png') });
  await page.click('[data-testid="dashboard-open"]');
  await page.waitForSelector('[data-testid="next-renewal"]');
  await page.screenshot({ path: screenshotPath('dashboard-renewals-390.png') });
  await page.click('.io-report-bar button:has-text("Close")');
  // The explanation of the position that handed its shortfall up (made by the test above).
  await page.evaluate(() => (window as any).reckonUi.open('positions'));
  await page.fill('.sheet[data-sheet="positions"] .quick-filter', 'Moveco');
  await page.click(cell('positions', 'moveco|office|2019+||per_device|||', 'status'));
  await page.waitForSelector('[data-testid="contrib-move"]');
  await page.screenshot({ path: screenshotPath('explain-move-390.png') });
  expect(w.errors).toEqual([]);
  await w.page.close();
});

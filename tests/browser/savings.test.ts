// The Savings view in the browser (issue 22), with the real relay and headless Chromium, on the
// demo estate: totals, reclaim candidates filtered by reason; chosen candidates open as a new
// what-if scenario on its Compare tab with the rows removed, the rights they free shown there and
// the baseline untouched; in that scenario, the whole plan to compliance applied leaves every
// planned position compliant; the dashboard's savings cards; screenshots at 1440×900 and 390×844.

import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openWorkspace, screenshotPath, useAppAndBrowser, waitReady, watchedPage } from './harness';

const s = useAppAndBrowser();

const GRID = '.sheet[data-sheet="savings"] [data-testid="savings-candidates-grid"]';

async function openSavings(page: Page): Promise<void> {
  await page.click('[data-tab="savings"]');
  await page.waitForFunction(() => ((window as any).reckon.results.savings.totals ?? null) !== null);
  await page.waitForSelector(`${GRID} .ag-row`);
}

test('from the Savings view to a scenario and its compare view', async () => {
  const context = await s.browser.newContext();
  const w = await watchedPage(context);
  const { page } = w;
  await openWorkspace(w, s.app.demoUrl);
  // The Positions grid totals the surplus of the positions it shows.
  await page.click('[data-tab="positions"]');
  await page.waitForFunction(() => /Surplus [1-9][\d,.]* USD/.test(document.querySelector('[data-testid="positions-surplus"]')?.textContent ?? ''));
  await openSavings(page);
  const totals = await page.evaluate(() => (window as any).reckon.results.savings.totals);
  expect(await page.textContent('[data-testid="positions-surplus"]')).toContain(totals.surplus.cost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  expect(totals.surplus.cost).toBeGreaterThan(0);
  expect(totals.reclaim.count).toBeGreaterThan(0);
  expect(await page.textContent('[data-testid="savings-surplus"]')).toMatch(/\$[\d,]+/);
  await page.screenshot({ path: screenshotPath('savings-candidates.png') });

  // Devices not seen by discovery: the first (most rights freed) is chosen.
  await page.selectOption('[data-testid="savings-reason"]', 'not-seen');
  await page.waitForFunction((g) => [...document.querySelectorAll(`${g} .ag-row .ag-cell[col-id="reason"]`)].every((c) => c.textContent === 'Device not seen'), GRID);
  const id = await page.$eval(`${GRID} .ag-row[row-index="0"]`, (el) => el.getAttribute('row-id')!);
  await page.click(`${GRID} .ag-row[row-id="${id}"] .ag-selection-checkbox input`);
  await page.waitForSelector('[data-testid="savings-act-candidates"]:not([disabled])');
  const cand = await page.evaluate((i) => (window as any).reckon.results.savings.candidates.get(i), id);
  expect(cand.reason).toBe('not-seen');
  expect(cand.rights).toBeGreaterThan(0);
  const before = await page.evaluate((keys: string[]) => keys.map((k) => (window as any).reckon.results.positions.get(k)), cand.freed.map((f: { key: string }) => f.key));

  // Acting opens a new scenario, on its Compare tab, with the candidate's rows removed.
  await page.click('[data-testid="savings-act-candidates"]');
  await page.waitForSelector('[data-testid="scenario-banner"]');
  await waitReady(page).catch(() => undefined);
  await page.waitForSelector('[data-tab="compare"].active');
  await page.waitForFunction((n) => (window as any).reckon.baseline && document.querySelector('[data-testid="scenario-change-count"]')?.textContent?.includes(String(n)), cand.rows.length);
  for (const [k, f] of cand.freed.entries()) {
    await page.waitForFunction(({ key, want }) => Math.abs(((window as any).reckon.results.positions.get(key)?.available ?? NaN) - want) < 1e-6,
      { key: f.key, want: before[k].available + f.rights });
  }
  await page.waitForFunction(() => /[1-9][\d,]* of [\d,]+ positions change/.test(document.querySelector('[data-testid="changed-count"]')?.textContent ?? ''));
  const shown = await page.$$eval('.sheet[data-sheet="compare"] .ag-row', (els) => els.map((e) => e.getAttribute('row-id')));
  expect(shown).toEqual(expect.arrayContaining(cand.freed.map((f: { key: string }) => f.key)));
  // The baseline still holds the rows.
  const stillThere = await page.evaluate((rows: { sheet: string; key: string }[]) => rows.every((r) => (window as any).reckon.baseline.reader(r.sheet).get(r.key, 'id') != null), cand.rows);
  expect(stillThere).toBe(true);
  await page.screenshot({ path: screenshotPath('savings-scenario-compare.png') });

  // In the scenario: its own savings; the whole plan applied here leaves every planned position compliant.
  await openSavings(page);
  await page.click('[data-testid="savings-plans"]');
  await page.waitForSelector('[data-testid="savings-whole"]');
  const planned: string[] = await page.evaluate(() => (window as any).reckon.results.savings.whole.positions);
  expect(planned.length).toBeGreaterThan(0);
  await page.screenshot({ path: screenshotPath('savings-plans.png') });
  await page.click('[data-testid="savings-act-whole"]');
  await page.waitForSelector('[data-tab="compare"].active');
  await page.waitForFunction((keys) => keys.every((k: string) => {
    const p = (window as any).reckon.results.positions.get(k);
    return p && p.shortfall === 0 && p.status !== 'noncompliant';
  }), planned, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="total-delta-0"]')?.textContent?.includes('−'));
  await page.screenshot({ path: screenshotPath('savings-plan-compare.png') });
  expect(w.errors).toEqual([]);
  await context.close();
}, 180_000);

test('the dashboard shows the savings; the Savings view on a phone', async () => {
  const context = await s.browser.newContext();
  const w = await watchedPage(context, { width: 390, height: 844 });
  const { page } = w;
  await openWorkspace(w, s.app.demoUrl);
  await openSavings(page);
  await page.screenshot({ path: screenshotPath('savings-phone.png') });
  await page.click('[data-testid="savings-plans"]');
  await page.waitForSelector('[data-testid="savings-plans-grid"] .ag-row');
  await page.screenshot({ path: screenshotPath('savings-phone-plans.png') });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.click('[data-testid="dashboard-open"]');
  await page.waitForSelector('[data-testid="surplus-cost"]');
  const totals = await page.evaluate(() => (window as any).reckon.results.savings.totals);
  const dollars = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 }).format(n);
  expect(await page.textContent('[data-testid="surplus-cost"] b')).toContain(dollars(totals.surplus.cost));
  expect(await page.textContent('[data-testid="reclaimable-cost"] span')).toContain(`${totals.reclaim.count} candidates`);
  expect(await page.textContent('[data-testid="plan-saving"] b')).toMatch(/\$[\d,]+/);
  expect(await page.$$eval('[data-testid="surplus-by-publisher"] tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
  expect(await page.textContent('[data-testid="surplus-by-publisher"] tbody tr td')).toBe(totals.surplus.byPublisher[0].publisher);
  await page.screenshot({ path: screenshotPath('savings-dashboard.png') });
  expect(w.errors).toEqual([]);
  await context.close();
}, 120_000);

// Live results on screen: an edit on Entitlements changes a status; an edit on Devices moves a
// processor position, and the explanation panel links contributions to their rows.

import { expect, test } from 'vitest';
import { cell, useDemoWorkspace } from './harness';
import { editCell, keyOfId, positionOf } from './page-helpers';

const demo = useDemoWorkspace();

test('an edit on Entitlements changes a status on screen', async () => {
  const { page } = demo.w;
  // A compliant position with an entitlement whose quantity exceeds the position's slack.
  const pick = await page.evaluate(() => {
    const s = (window as any).reckon;
    const r = s.reader('entitlements');
    const byId = new Map<string, string>();
    for (const k of r.keys()) byId.set(String(r.get(k, 'id')), k);
    for (const p of s.results.positions.values()) {
      if (p.status !== 'compliant' || p.metric === 'enterprise' || p.metric === 'site' || p.consumed <= 0) continue;
      for (const id of p.entitlementIds) {
        const key = byId.get(id);
        const q = Number(r.get(key, 'quantity'));
        const newQ = q - p.available - 1;
        const start = String(r.get(key, 'start') ?? '');
        if (key && newQ >= 0 && Number.isInteger(newQ) && start < '2026-11-01' && !r.get(key, 'end')) return { id, key, newQ };
      }
    }
    return null;
  });
  expect(pick).not.toBeNull();
  const { key, newQ } = pick!;
  await editCell(page, 'entitlements', key, 'quantity', String(newQ));
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('Noncompliant'), cell('entitlements', key, 'status'));
  const available = await page.textContent(cell('entitlements', key, 'available'));
  expect(available?.trim()).toBe('-1');
  expect(demo.w.errors).toEqual([]);
});

test('a host\'s cores on Devices move the Oracle position; the explanation links to the row', async () => {
  const { page } = demo.w;
  const oracle = await page.evaluate(() => {
    const s = (window as any).reckon;
    for (const p of s.results.positions.values()) if (p.metric === 'oracle_processor' && p.consumed > 0) return { key: p.key, consumed: p.consumed };
    return null;
  });
  expect(oracle).not.toBeNull();
  // Open the position's explanation from the Positions tab.
  await page.click('[data-tab="positions"]');
  await page.fill('.sheet[data-sheet="positions"] .quick-filter', 'oracle_processor');
  await page.click(`.sheet[data-sheet="positions"] .ag-row[row-id="${oracle!.key}"] .ag-cell[col-id="product"]`);
  await page.waitForSelector('.panel .contrib');
  // The first contribution from a device row: follow its link.
  const ref = await page.$$eval('.panel .contrib', (els) => els.map((e) => e.getAttribute('data-ref') ?? '').find((t) => t.startsWith('devices/')));
  expect(ref).toBeTruthy();
  const deviceId = ref!.slice('devices/'.length);
  await page.click(`.panel .contrib[data-ref="${ref}"]`);
  const deviceKey = await keyOfId(page, 'devices', deviceId);
  await page.waitForSelector(`.sheet[data-sheet="devices"] .ag-row[row-id="${deviceKey}"]`, { state: 'visible' });
  expect(await page.getAttribute('[data-tab="devices"]', 'aria-selected')).toBe('true');
  // Double the host's cores: the position's consumption goes up.
  const cores = await page.evaluate(({ k }) => Number((window as any).reckon.reader('devices').get(k, 'cores')), { k: deviceKey });
  expect(cores).toBeGreaterThan(0);
  await editCell(page, 'devices', deviceKey, 'cores', String(cores * 2));
  await page.waitForFunction(({ k, before }) => (window as any).reckon.results.positions.get(k)?.consumed > before, { k: oracle!.key, before: oracle!.consumed });
  const after = await positionOf(page, oracle!.key);
  // The explanation panel follows the position.
  await page.waitForFunction((v) => [...document.querySelectorAll('.panel .explain-figures b')].some((b) => b.textContent === v), new Intl.NumberFormat('en-US').format(after.consumed));
  expect(demo.w.errors).toEqual([]);
});

// Settings, unlicensed installations and hardware units on screen, live: moving asOf past an
// entitlement's end flips its position (and undo flips it back); a settings problem is shown next
// to its setting; installing an unentitled product adds an Unlicensed row and entitling it removes
// the row; changing a device's model category changes the hardware units.

import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { cell, useDemoWorkspace } from './harness';
import { editCell } from './page-helpers';

const demo = useDemoWorkspace();

/** Adds a row through the document, as a person's edit (Y.Map is reached through an existing map). */
function addRow(page: Page, sheet: string, cells: Record<string, unknown>): Promise<void> {
  return page.evaluate(({ sheet, cells }) => {
    const s = (window as any).reckon;
    const YMap = s.doc.getMap('meta').constructor;
    const key = `zz${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    s.edit(() => s.doc.getMap(`${sheet}/rows`).set(key, new YMap(Object.entries(cells))));
  }, { sheet, cells });
}

const unlicensedRow = (product: string) => `.sheet[data-sheet="unlicensed"] .ag-row:has(.ag-cell[col-id="product"]:text-is("${product}"))`;

test('asOf moved past an entitlement\'s end flips its position on screen; undo flips it back', async () => {
  const { page } = demo.w;
  const device: string = await page.evaluate(() => {
    const r = (window as any).reckon.reader('devices');
    return r.keys().map((k: string) => ({ id: String(r.get(k, 'id')), status: r.get(k, 'status') })).find((d: { status: unknown }) => !d.status || d.status === 'in use').id;
  });
  await addRow(page, 'entitlements', { id: 'whatif-1', publisher: 'Whatif Co', product: 'Gadget', metric: 'per_device', quantity: 1, end: '2026-12-31' });
  await addRow(page, 'installations', { id: 'whatif-i1', deviceId: device, publisher: 'Whatif Co', product: 'Gadget' });
  await page.click('[data-tab="positions"]');
  await page.fill('.sheet[data-sheet="positions"] .quick-filter', 'Gadget');
  const status = (s: string) => page.waitForSelector(`${cell('positions', 'whatif co|gadget|||per_device|||', 'status')} .status-${s}`);
  await status('compliant');

  // The Settings tab: asOf shows the demo's date; moving it past the end makes the position short.
  await page.click('[data-tab="settings"]');
  const asOf = '[data-setting="asOf"] [data-setting-input="asOf"]';
  expect(await page.inputValue(asOf)).toBe('2026-11-01');
  await page.fill(asOf, '2027-01-15');
  await page.click('[data-tab="positions"]');
  await status('noncompliant');

  // One undo step takes the setting back (the toolbar button of the Settings tab).
  await page.click('[data-tab="settings"]');
  await page.click('.sheet[data-sheet="settings"] button:has-text("Undo")');
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value === '2026-11-01', asOf);
  await page.click('[data-tab="positions"]');
  await status('compliant');
  expect(demo.w.errors).toEqual([]);
});

test('settings show their defaults and their problems', async () => {
  const { page } = demo.w;
  await page.click('[data-tab="settings"]');
  // Blank settings say what applies.
  expect(await page.textContent('[data-setting="customCategoryLicensing"] [data-default]')).toBe('default: yes');
  expect(await page.textContent('[data-setting="windowEnd"] [data-default]')).toBe('default: as of (2026-11-01)');
  expect(await page.textContent('[data-setting="asmFreeConnectors"] .chips')).toContain('Microsoft Teams');
  // A window that ends before it starts is a problem of windowStart.
  await page.fill('[data-setting-input="windowEnd"]', '2026-06-30');
  await page.fill('[data-setting-input="windowStart"]', '2026-07-31');
  await page.waitForSelector('[data-setting="windowStart"] .setting-problem');
  expect(await page.textContent('[data-setting="windowStart"] .setting-problem')).toContain('windowStart is after windowEnd');
  // HAM: version 4 and one entitlement fewer are written as typed values.
  await page.selectOption('[data-setting-input="hamLicenseVersion"]', '4');
  await page.uncheck('[data-setting-input="hamEntitlements:ham_printer_license"]');
  await page.fill('[data-setting-input="currency"]', 'eur');
  await page.press('[data-setting-input="currency"]', 'Enter');
  await page.waitForFunction(() => (window as any).reckon.doc.getMap('settings').get('currency') === 'EUR');
  const stored = await page.evaluate(() => (window as any).reckon.doc.getMap('settings').toJSON());
  expect(stored.hamLicenseVersion).toBe(4);
  expect(stored.hamEntitlements).not.toContain('ham_printer_license');
  expect(stored.hamEntitlements).toHaveLength(7);
  // Back to the default: the problem goes away.
  await page.click('[data-setting="windowStart"] button:has-text("use default")');
  await page.waitForFunction(() => !document.querySelector('[data-setting="windowStart"] .setting-problem'));
  expect(demo.w.errors).toEqual([]);
});

test('an unentitled installation shows as unlicensed until an entitlement covers it', async () => {
  const { page } = demo.w;
  const device: string = await page.evaluate(() => {
    const r = (window as any).reckon.reader('devices');
    return r.keys().map((k: string) => ({ id: String(r.get(k, 'id')), status: r.get(k, 'status') })).find((d: { status: unknown }) => !d.status || d.status === 'in use').id;
  });
  await page.click('[data-tab="unlicensed"]');
  await page.waitForSelector('.sheet[data-sheet="unlicensed"] .ag-root');
  await addRow(page, 'installations', { id: 'orphan-i1', deviceId: device, publisher: 'Nobody Soft', product: 'Orphanware' });
  await page.fill('.sheet[data-sheet="unlicensed"] .quick-filter', 'Orphanware');
  await page.waitForSelector(unlicensedRow('Orphanware'));
  expect(await page.textContent(`${unlicensedRow('Orphanware')} .ag-cell[col-id="publisher"]`)).toBe('Nobody Soft');
  expect(await page.textContent(`${unlicensedRow('Orphanware')} .ag-cell[col-id="installations"]`)).toBe('1');
  expect(await page.textContent(`${unlicensedRow('Orphanware')} .ag-cell[col-id="devices"]`)).toBe('1');

  await addRow(page, 'entitlements', { id: 'orphan-e1', publisher: 'Nobody Soft', product: 'Orphanware', metric: 'per_device', quantity: 5 });
  await page.waitForSelector(unlicensedRow('Orphanware'), { state: 'detached' });
  expect(demo.w.errors).toEqual([]);
});

test('a device\'s model category moves hardware units', async () => {
  const { page } = demo.w;
  // A counting Computer (End User Computers, 4 per unit) becomes a Server (1 per unit).
  const pick = await page.evaluate(() => {
    const s = (window as any).reckon;
    const r = s.reader('devices');
    const servers = s.results.ham.categories.find((c: any) => c.category === 'Servers');
    for (const k of r.keys()) {
      const st = r.get(k, 'status');
      if (r.get(k, 'modelCategory') === 'Computer' && (!st || st === 'in use') && !r.get(k, 'ot')) return { key: k, units: servers?.units ?? 0, ratio: servers?.ratio };
    }
    return null;
  });
  expect(pick).not.toBeNull();
  expect(pick!.ratio).toBe(1);
  await page.click('[data-tab="hardware"]');
  const units = cell('hardware', 'Servers', 'units');
  await page.waitForSelector(units);
  expect(await page.textContent(units)).toBe(new Intl.NumberFormat('en-US').format(pick!.units));
  const total = Number((await page.textContent('[data-testid="ham-total"]'))!.replace(/,/g, ''));

  await editCell(page, 'devices', pick!.key, 'modelCategory', 'Server');
  await page.click('[data-tab="hardware"]');
  await page.waitForFunction(({ sel, want }) => document.querySelector(sel)?.textContent === want, { sel: units, want: new Intl.NumberFormat('en-US').format(pick!.units + 1) });
  const after = Number((await page.textContent('[data-testid="ham-total"]'))!.replace(/,/g, ''));
  expect(after).toBeGreaterThanOrEqual(total);
  expect(demo.w.errors).toEqual([]);
});

// The look, checked by eye: screenshots of the main views at 1440×900 and 1024×768, saved under
// tests/.artifacts/ (the assertions only check that each view is there, with no console error).

import { expect, test } from 'vitest';
import { openWorkspace, screenshotPath, useAppAndBrowser, watchedPage } from './harness';
import { editCell, focusCell, keyOfId } from './page-helpers';

const s = useAppAndBrowser();

for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
  test(`screenshots at ${width}×${height}`, async () => {
    const w = await watchedPage(await s.browser.newContext(), { width, height });
    const { page } = w;
    const shot = (name: string) => page.screenshot({ path: screenshotPath(`${name}-${width}.png`) });
    await openWorkspace(w, s.app.demoUrl);
    await page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');
    await shot('entitlements');

    // A problem on Devices, and the problems panel.
    const dkey = await keyOfId(page, 'devices', await page.evaluate(() => { const r = (window as any).reckon.reader('devices'); return String(r.get(r.keys()[2], 'id')); }));
    await editCell(page, 'devices', dkey, 'cpus', 'two');
    await page.click('[data-testid="problem-count"]');
    await page.waitForSelector('.panel .problem');
    await focusCell(page, 'devices', dkey, 'cpus');
    await shot('devices-problems');

    // Positions with an explanation open.
    await page.click('[data-tab="positions"]');
    await page.waitForSelector('.sheet[data-sheet="positions"] .ag-row');
    await page.click('.sheet[data-sheet="positions"] .ag-row[row-index="0"] .ag-cell[col-id="product"]');
    await page.waitForSelector('.panel .contrib');
    await shot('positions-explain');

    // The metric picker.
    await page.keyboard.press('Escape');
    const ekey = await keyOfId(page, 'entitlements', 'e0010');
    await focusCell(page, 'entitlements', ekey, 'metric');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.picker-item');
    await shot('metric-picker');
    await page.keyboard.press('Escape');

    // A reference picker (an installation's device).
    await page.click('[data-tab="installations"]');
    await page.waitForSelector('.sheet[data-sheet="installations"] .ag-row');
    const ikey: string = await page.evaluate(() => (window as any).reckon.reader('installations').keys()[1]);
    await focusCell(page, 'installations', ikey, 'deviceId');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.picker-item');
    await shot('ref-picker');
    await page.keyboard.press('Escape');

    // Unlicensed installations and the settings.
    await page.click('[data-tab="unlicensed"]');
    await page.waitForSelector('.sheet[data-sheet="unlicensed"] .ag-row');
    await shot('unlicensed');
    await page.click('[data-tab="settings"]');
    await page.waitForSelector('[data-setting="asOf"]');
    await shot('settings');

    // Hardware units and the share dialog.
    await page.click('[data-tab="hardware"]');
    await page.waitForSelector('.sheet[data-sheet="hardware"] .ag-row');
    await page.click('button:has-text("Share")');
    await page.click('.modal button:has-text("Create link")');
    await page.waitForSelector('.share-link input');
    await shot('share');
    await page.click('.modal .close');

    // The workspace list.
    await page.click('.brand');
    await page.waitForSelector('.ws-table');
    await shot('workspaces');
    expect(w.errors).toEqual([]);
    await page.context().close();
  });
}

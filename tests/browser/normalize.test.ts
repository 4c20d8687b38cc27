// A new estate through normalization, in the browser: a new workspace (it starts with the default
// catalogue) imports a raw vendor CSV whose devices are named by host name, FQDN and serial number;
// the import dialog names the export's profile and counts, before writing, the one reference it
// cannot resolve, which is the count the workspace then shows. A free viewer inflates an enterprise
// agreement's position; from the Unrecognized view, "make a rule" ignores it, and the position turns
// compliant. Screenshots at 1440×900 and 390×844 go to tests/.artifacts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { screenshotPath, useAppAndBrowser, watchedPage } from './harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-normalize-'));
const s = useAppAndBrowser({ demo: false });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const position = (entitlementId: string) => `[...window.reckon.results.positions.values()].find((p) => p.entitlementIds.includes('${entitlementId}'))`;

test('a raw vendor CSV into an empty workspace; one unrecognized product fixed by a rule; its position turns compliant', async () => {
  const w = await watchedPage(await s.browser.newContext());
  const { page } = w;
  await page.goto(s.app.server.url);
  await page.click('button:has-text("New workspace")');
  await page.waitForURL(/#\/w\//);
  await page.waitForSelector('.sheet[data-sheet="entitlements"] .ag-root');
  await page.waitForFunction(() => (window as any).reckon.results.ready[0]() === true);
  // A new workspace starts with the default catalogue.
  expect(await page.evaluate(() => (window as any).reckon.reader('normalization').keys().length)).toBeGreaterThan(100);

  const files = [
    write('devices.csv', 'id,name,serialNumber\nd000545,MTY-DT-000545,5CG1234ABC\nd000546,MTY-DT-000546.corp.example.com,5CG1234ABD\nd000547,MTY-LT-000547,5CG1234ABE\n'),
    write('entitlements.csv', 'id,publisher,product,metric,quantity\ne-contoso,Contoso Ltd.,*,per_device,2\ne-visio,Microsoft,Visio,per_device,1\n'),
    write('software.csv', [
      'Computer Name,Manufacturer,Display Name,Version,Last Used By,Install Date',
      'MTY-DT-000545,Contoso Ltd.,Contoso Designer 7 (x64),7.2.1,,2024-03-01',
      'MTY-DT-000546,Contoso Ltd.,Contoso Designer 7 (x64),7.2.1,,2024-03-01',
      '5CG1234ABE,Contoso Ltd.,Contoso Viewer 7,7.2.1,,2024-03-01',
      'mty-dt-000545.corp.example.com,Microsoft Corporation,Microsoft Visio Standard 2021 - en-us,16.0.14332.20255,,2023-09-14',
      'MTY-DT-000999,Fabrikam,Fabrikam Notes,3.1,,2024-01-10',
    ].join('\n') + '\n'),
  ];

  // Import: the vendor file is recognised, its references matched, the one it cannot resolve counted.
  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', files);
  await page.waitForSelector('[data-testid="import-preview"] tbody tr');
  await page.click('.io-table-tab:has-text("software.csv")');
  await page.waitForSelector('[data-testid="import-profile"]');
  expect(await page.textContent('[data-testid="import-profile"]')).toContain('Flexera / Snow-style installations export');
  await page.waitForSelector('[data-testid="check-problems"]', { timeout: 30_000 });
  expect(await page.textContent('[data-testid="check-problems"]')).toBe('1 problem');
  const matches = await page.$$eval('[data-testid="check-references"]', (els) => els.map((e) => e.textContent));
  expect(matches).toEqual(['deviceId: 1 matched by name · 2 matched by host name · 1 matched by serial number · 1 not found (e.g. "MTY-DT-000999")']);
  await page.screenshot({ path: screenshotPath('normalize-import-1440.png') });
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-done"]', { timeout: 60_000 });
  expect(await page.textContent('[data-testid="import-done"]')).toContain('Imported 10 rows, with 1 problem to review');
  await page.click('[data-testid="import-done"] button');
  // The workspace shows the problem the preview counted, and nothing else.
  await page.waitForFunction(() => (window as any).reckon.results.problemCount() === 1, undefined, { timeout: 30_000 });

  // The catalogue named Visio; the free Contoso Viewer makes the Contoso agreement's position noncompliant.
  await page.waitForFunction(`${position('e-visio')}?.consumed === 1 && ${position('e-contoso')}?.status === 'noncompliant'`, undefined, { timeout: 30_000 });
  expect(await page.evaluate(`${position('e-contoso')}.consumed`)).toBe(3);

  // The Unrecognized view: largest first.
  await page.click('[data-tab="unrecognized"]');
  await page.waitForSelector('.sheet[data-sheet="unrecognized"] .ag-row');
  const listed = await page.$$eval('.sheet[data-sheet="unrecognized"] .ag-row:has([col-id="product"])', (rows) =>
    rows.map((r) => ({ index: Number(r.getAttribute('row-index')), text: r.querySelector('[col-id="product"]')?.textContent ?? '' }))
      .sort((a, b) => a.index - b.index).map((r) => r.text));
  expect(listed).toEqual(['Contoso Designer 7 (x64)', 'Contoso Viewer 7', 'Fabrikam Notes']);
  await page.screenshot({ path: screenshotPath('normalize-unrecognized-1440.png') });

  // Make a rule from the viewer's row: it is pre-filled; ignore it.
  const viewerRow = await page.$$eval('.sheet[data-sheet="unrecognized"] .ag-row:has([col-id="product"])', (rows) =>
    rows.find((r) => r.querySelector('[col-id="product"]')?.textContent === 'Contoso Viewer 7')?.getAttribute('row-index'));
  await page.click(`.sheet[data-sheet="unrecognized"] .ag-row[row-index="${viewerRow}"] [data-testid="make-rule"]`);
  await page.waitForSelector('[data-testid="rule-dialog"]');
  expect(await page.inputValue('[data-testid="rule-toPublisher"]')).toBe('Contoso');
  expect(await page.inputValue('[data-testid="rule-toProduct"]')).toBe('Viewer');
  expect(await page.inputValue('[data-testid="rule-toVersion"]')).toBe('7');
  await page.click('[data-testid="rule-kind-ignore"]');
  expect(await page.inputValue('[data-testid="rule-product"]')).toBe('^Contoso Viewer 7$');
  await page.waitForFunction(() => document.querySelector('[data-testid="rule-reach"]')?.textContent?.startsWith('Decides 1 of the unrecognized products (1 installation)'));
  await page.screenshot({ path: screenshotPath('normalize-rule-1440.png') });
  await page.click('[data-testid="rule-add"]');

  // The position turns compliant; the pair leaves the list.
  await page.waitForFunction(`${position('e-contoso')}?.status === 'compliant' && ${position('e-contoso')}?.consumed === 2`, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => ![...(window as any).reckon.results.unrecognized.values()].some((u: any) => u.product === 'Contoso Viewer 7'));
  expect(await page.evaluate(() => (window as any).reckon.results.unrecognized.size)).toBe(2);
  await page.waitForFunction(() => document.querySelector('[data-testid="unrecognized-count"]')?.textContent === '2');

  // Installations show their normalized names beside the raw ones.
  await page.click('[data-tab="installations"]');
  await page.waitForSelector('.sheet[data-sheet="installations"] .ag-row [col-id="normalized"]');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('.sheet[data-sheet="installations"] .ag-cell[col-id="normalized"]')].map((c) => c.textContent);
    return cells.includes('ignored: needs no license') && cells.includes('Microsoft · Visio · 2021 · standard');
  });
  // Resting on a renamed row's names says which rule renamed it.
  await page.mouse.move(5, 5);
  await page.hover('.sheet[data-sheet="installations"] .ag-cell[col-id="normalized"]:has-text("ignored: needs no license")');
  await page.waitForSelector('.cell-tip[role="tooltip"]:has-text("by rule")');
  await page.screenshot({ path: screenshotPath('normalize-installations-1440.png') });
  // The rule made is the last row of the Normalization sheet, after the catalogue's.
  await page.click('[data-tab="normalization"]');
  await page.waitForSelector('.sheet[data-sheet="normalization"] .ag-row');
  const last = await page.evaluate(() => {
    const r = (window as any).reckon.reader('normalization');
    const keys = r.keys();
    const k = keys[keys.length - 1];
    return { kind: r.get(k, 'kind'), publisher: r.get(k, 'publisher'), product: r.get(k, 'product') };
  });
  expect(last).toEqual({ kind: 'ignore', publisher: 'Contoso Ltd.', product: '^Contoso Viewer 7$' });
  await page.screenshot({ path: screenshotPath('normalize-rules-1440.png') });

  // A phone-sized window: the Unrecognized view and the rule dialog still fit.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-tab="unrecognized"]');
  await page.waitForSelector('.sheet[data-sheet="unrecognized"] .ag-row');
  await page.screenshot({ path: screenshotPath('normalize-unrecognized-390.png') });
  await page.click('.sheet[data-sheet="unrecognized"] .ag-row[row-index="0"] [data-testid="make-rule"]');
  await page.waitForSelector('[data-testid="rule-dialog"]');
  await page.screenshot({ path: screenshotPath('normalize-rule-390.png') });
  await page.click('[data-testid="rule-dialog"] button:has-text("Cancel")');
  expect(w.errors).toEqual([]);
});

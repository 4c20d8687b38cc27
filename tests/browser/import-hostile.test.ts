// The browser's import worker runs the same io/ code as the command line: every malformed file the
// security tester found gets its one line in the import dialog, and nothing is imported.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { deflatedRepeat, sheetXml, xlsxWith } from '../helpers/zip-files';
import { useDemoWorkspace, waitReady } from './harness';

const s = useDemoWorkspace();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-import-hostile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rowCount = (sheet: string) => s.w.page.evaluate((x) => (window as any).reckon.reader(x).keys().length as number, sheet);

/** Picks a file in the import dialog; runs the import if the file opens; returns the error line shown, what the file did wrong. */
async function importError(name: string, content: string | Uint8Array): Promise<string> {
  const { page } = s.w;
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  await page.reload();
  await waitReady(page);
  await page.click('[data-testid="import-open"]');
  await page.setInputFiles('[data-testid="import-file"]', [file]);
  await page.waitForSelector('[data-testid="import-error"], [data-testid="import-preview"] tbody tr, [data-testid="import-run"]:not([disabled])', { timeout: 60_000 });
  if (!(await page.$('[data-testid="import-error"]'))) {
    await page.click('[data-testid="import-run"]');
    await page.waitForSelector('[data-testid="import-error"]', { timeout: 60_000 });
  }
  // The preview and the import read the same file: whichever meets the fault first says it (the
  // import button is enabled before the preview is in, so a slow machine may run the import first).
  return ((await page.textContent('[data-testid="import-error"]')) ?? '').replace(/^Nothing was imported: /, '');
}

test('malformed files: one line each in the dialog, nothing imported', async () => {
  const before = await rowCount('devices');
  const zzz = xlsxWith([sheetXml('xl/worksheets/sheet1.xml', '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="ZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>')]);
  expect(await importError('devices.xlsx', zzz)).toBe('devices.xlsx: cell ZZZZZZZ1 is past column XFD, the last a worksheet has: is the file damaged?');

  const bomb = deflatedRepeat('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>', '0', 64 << 20, '</v></c></row></sheetData></worksheet>');
  expect(await importError('bomb.xlsx', xlsxWith([{ name: 'xl/worksheets/sheet1.xml', data: bomb.data, method: 8, size: bomb.size }])))
    .toBe('bomb.xlsx: the workbook would inflate to 64 MB from 1 MB: a zip bomb?');

  const rows = Array.from({ length: 20_000 }, (_, i) => `d${i},${'x'.repeat(200)}`).join('\n');
  // Found while reading the preview: the quote runs on to the end of the file.
  expect(await importError('devices.csv', `id,name\nd,"never closed\n${rows}\n`))
    .toBe('devices.csv: row 2: a quoted field is never closed (an odd number of quotes)');
  expect(await rowCount('devices')).toBe(before);
  expect(s.w.errors).toEqual([]);
});

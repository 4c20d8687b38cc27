// Page-side helpers for browser tests: reach the open session (window.reckon), bring a cell into
// view, edit it through the grid like a person (focus, type, Enter).

import type { Page } from 'playwright-core';
import { cell } from './harness';

export async function keyOfId(page: Page, sheet: string, id: string): Promise<string> {
  return page.evaluate(({ sheet, id }) => {
    const r = (window as any).reckon.reader(sheet);
    return r.keys().find((k: string) => String(r.get(k, 'id')) === id);
  }, { sheet, id });
}

export async function cellValue(page: Page, sheet: string, key: string, col: string): Promise<unknown> {
  return page.evaluate(({ sheet, key, col }) => (window as any).reckon.reader(sheet).get(key, col), { sheet, key, col });
}

export async function positionOf(page: Page, key: string): Promise<{ consumed: number; status: string; purchased: number }> {
  return page.evaluate((k) => (window as any).reckon.results.positions.get(k), key);
}

/** Opens the sheet's tab, scrolls the cell into view and focuses it. */
export async function focusCell(page: Page, sheet: string, key: string, col: string): Promise<void> {
  await page.evaluate(({ sheet, key, col }) => (window as any).reckonUi.reveal({ sheet, key, col }), { sheet, key, col });
  const sel = cell(sheet, key, col);
  await page.waitForSelector(sel, { state: 'visible' });
  await page.click(sel);
  await page.waitForFunction((s) => document.querySelector(s)?.classList.contains('ag-cell-focus'), sel);
}

/** Types a value into a cell as a person does: focus, type (starts editing), Enter. */
export async function editCell(page: Page, sheet: string, key: string, col: string, text: string): Promise<void> {
  await focusCell(page, sheet, key, col);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${cell(sheet, key, col)} input, .ag-popup-editor input`);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.waitForFunction(({ sheet, key, col, text }) => {
    const v = (window as any).reckon.reader(sheet).get(key, col);
    return v !== null && String(v) === text;
  }, { sheet, key, col, text });
}

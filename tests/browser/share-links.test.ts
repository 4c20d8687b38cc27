// Links managed in the share dialog: the workspace's links as a tree of which link made which, with
// role, when made, expiry, last use (in use now) and this device's own; revoking one that made
// others says so, and every page using one of them loses access. Screenshots at 1440×900 and 390×844.

import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, useAppAndBrowser, waitReady, watchedPage } from './harness';

const s = useAppAndBrowser();
const REFUSED = /WebSocket connection to .* failed|Failed to load resource: the server responded with a status of 40[13]/;

/** Makes a link in the share dialog; returns it. */
async function makeLink(page: Page, role: 'edit' | 'view'): Promise<string> {
  await page.click('button:has-text("Share")');
  await page.click(`.modal input[name="role"] >> nth=${role === 'view' ? 0 : 1}`);
  await page.click('.modal button:has-text("Create link")');
  const link = await (await page.waitForSelector('.share-link input')).inputValue();
  await page.click('.modal .close');
  return link;
}

const tokenId = (link: string): string => {
  const token = decodeURIComponent(/token=([^&]+)/.exec(link)![1]);
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).id;
};

test('the share dialog lists which link made which, with use, and revokes a link and those made from it', async () => {
  const owner = await watchedPage(await s.browser.newContext());
  await owner.page.goto(s.app.demoUrl);
  await waitReady(owner.page);
  const editLink = await makeLink(owner.page, 'edit');

  // Someone opens the edit link and makes a view link from it, which a third person opens.
  const editor = await watchedPage(await s.browser.newContext());
  await editor.page.goto(editLink);
  await waitReady(editor.page);
  const viewLink = await makeLink(editor.page, 'view');
  const viewer = await watchedPage(await s.browser.newContext());
  await viewer.page.goto(viewLink);
  await waitReady(viewer.page);
  await viewer.page.waitForSelector('[data-testid="sync-status"][data-status="saved"]');

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await owner.page.setViewportSize(viewport);
    await owner.page.click('button:has-text("Share")');
    await owner.page.waitForSelector(`[data-testid="link-row"][data-token-id="${tokenId(viewLink)}"]`);
    await owner.page.screenshot({ path: screenshotPath(`share-links-${viewport.width}.png`) });
    await owner.page.click('.modal .close');
  }
  await owner.page.setViewportSize({ width: 1440, height: 900 });
  await owner.page.click('button:has-text("Share")');
  const rows = await owner.page.$$eval('[data-testid="link-row"]', (els) => els.map((e) => ({
    id: e.getAttribute('data-token-id'), depth: getComputedStyle(e).getPropertyValue('--depth').trim(), text: e.textContent ?? '',
  })));
  const row = (id: string) => rows.find((r) => r.id === id)!;
  const ownId = rows.find((r) => r.text.includes('this device'))!;
  expect(ownId.depth).toBe('0');
  expect(row(tokenId(editLink))).toMatchObject({ depth: '1' });
  expect(row(tokenId(editLink)).text).toContain('can edit');
  expect(row(tokenId(editLink)).text).toContain('1 made from it');
  expect(row(tokenId(editLink)).text).toContain(`made from ${ownId.id!.slice(0, 8)}`);
  expect(row(tokenId(viewLink))).toMatchObject({ depth: '2' });
  expect(row(tokenId(viewLink)).text).toContain('can view');
  expect(row(tokenId(viewLink)).text).toContain('in use now (1)');
  expect(row(tokenId(viewLink)).text).toContain('never expires');

  // Revoking the edit link says that the view link made from it goes too.
  let asked = '';
  owner.page.once('dialog', (d) => { asked = d.message(); void d.accept(); });
  editor.allow = viewer.allow = REFUSED;
  await owner.page.click(`[data-testid="link-row"][data-token-id="${tokenId(editLink)}"] [data-testid="revoke-link"]`);
  expect(asked).toContain('1 other link was made from it: it stops working too.');
  await editor.page.waitForSelector('[data-testid="link-problem"][data-kind="revoked"]', { timeout: 20_000 });
  await viewer.page.waitForSelector('[data-testid="link-problem"][data-kind="revoked"]', { timeout: 20_000 });
  // Revoked links leave the list (a box shows them again, greyed).
  await owner.page.waitForSelector(`[data-testid="link-row"][data-token-id="${tokenId(editLink)}"]`, { state: 'detached' });
  await owner.page.click('.share-links-head input[type="checkbox"]');
  expect(await owner.page.$eval(`[data-testid="link-row"][data-token-id="${tokenId(viewLink)}"]`, (e) => e.classList.contains('revoked'))).toBe(true);
  for (const x of [owner, editor, viewer]) expect(x.errors).toEqual([]);
});

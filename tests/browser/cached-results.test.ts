// Results kept beside the document (worker/store/results-cache.ts), on screen: a workspace opened
// again shows the results its last session stored at once, marked as being brought up to date,
// and the worker's first results then replace them with those of the document as opened. Here the
// last edit was made after the results were stored, so the stored figure is out of date: it may be
// shown only under the mark, and the figure left on screen is the new one.

import { expect, test } from 'vitest';
import { cell, screenshotPath, useDemoWorkspace, waitReady } from './harness';
import { positionOf } from './page-helpers';

const demo = useDemoWorkspace();

/** The results record in the workspace's IndexedDB database (null: none stored yet). */
const storedAt = (page: import('playwright-core').Page) => page.evaluate(() => new Promise<string | null>((resolve, reject) => {
  const open = indexedDB.open('reckon:demo');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const req = db.transaction('custom').objectStore('custom').get('reckon.results');
    req.onsuccess = () => { db.close(); resolve((req.result as { writtenAt?: string } | undefined)?.writtenAt ?? null); };
    req.onerror = () => reject(req.error);
  };
}));

test('a workspace opened again shows its stored results at once, marked, then the results of the document as opened', async () => {
  const { page } = demo.w;
  // The worker stores its results once it has been idle a moment after its first results.
  for (let i = 0; i < 300 && (await storedAt(page)) === null; i++) await page.waitForTimeout(100);
  expect(await storedAt(page)).not.toBeNull();

  // An active entitlement whose quantity counts in its position's purchased figure.
  const [key, posKey] = (await page.evaluate(() => {
    const s = (window as any).reckon;
    const r = s.reader('entitlements');
    const asOf = String(s.setting('asOf') ?? '9999');
    for (const k of r.keys() as string[]) {
      const pos = s.results.positionOfEntitlement(r.get(k, 'id'));
      const start = String(r.get(k, 'start') ?? ''), end = String(r.get(k, 'end') ?? '');
      if (pos && start <= asOf && (!end || end >= asOf) && pos.metric !== 'enterprise' && pos.metric !== 'site') return [k, pos.key];
    }
    return [null, null];
  })) as [string, string];
  expect(key).not.toBeNull();
  const before = await positionOf(page, posKey);
  // An edit after the results were stored, then the page goes before they are stored again.
  await page.evaluate(async (k) => {
    const s = (window as any).reckon;
    const q = Number(s.reader('entitlements').get(k, 'quantity')) || 0;
    s.edit(() => s.doc.getMap('entitlements/cells').set(`${k}\tquantity`, q + 7));
    await s.store.whenWritten();
  }, key);

  // What the edited row's purchased cell shows, and whether the mark is up, at every change of the page from the first paint on.
  await page.addInitScript((sel: string) => {
    const w = window as unknown as { __seen: { text: string | null; marked: boolean }[] };
    w.__seen = [];
    new MutationObserver(() => {
      const text = document.querySelector(sel)?.textContent ?? null;
      const marked = !!document.querySelector('[data-testid="results-updating"]');
      const last = w.__seen[w.__seen.length - 1];
      if (!last || last.text !== text || last.marked !== marked) w.__seen.push({ text, marked });
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, cell('entitlements', key, 'purchased'));
  await page.reload();
  await waitReady(page);
  const seen = (await page.evaluate(() => (window as any).__seen)) as { text: string | null; marked: boolean }[];
  const fmt = new Intl.NumberFormat('en-US');
  // The stored (old) figure was on screen, and only ever under the mark.
  expect(seen.some((x) => x.marked)).toBe(true);
  const old = seen.filter((x) => x.text === fmt.format(before.purchased));
  expect(old.length).toBeGreaterThan(0);
  for (const x of old) expect(x.marked).toBe(true);
  // Once the worker's results are in, the mark is gone and the figures are those of the edit.
  expect(await page.$('[data-testid="results-updating"]')).toBeNull();
  expect(await page.$('.workspace.results-cached')).toBeNull();
  const after = await positionOf(page, posKey);
  expect(after.purchased).toBe(before.purchased + 7);
  expect(await page.textContent(cell('entitlements', key, 'purchased'))).toBe(fmt.format(before.purchased + 7));
  expect(demo.w.errors).toEqual([]);
});

test('the mark, as a person sees it', async () => {
  const { page } = demo.w;
  // Shown as the page shows it while stored results wait for the worker (set by hand: on the demo
  // the worker is too quick to catch it).
  await page.evaluate(() => (window as any).reckon.results.cachedAt[1](new Date(Date.now() - 5 * 60_000).toISOString()));
  await page.evaluate(() => (window as any).reckon.results.ready[1](false));
  await page.waitForSelector('[data-testid="results-updating"]');
  expect(await page.textContent('[data-testid="results-updating"]')).toContain('being brought up to date');
  await page.screenshot({ path: screenshotPath('cached-results-1440.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('cached-results-390.png') });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => { const r = (window as any).reckon.results; r.cachedAt[1](null); r.ready[1](true); });
});

// What the browser benches share: the browser they launch, a local workspace preloaded into the
// page's IndexedDB, and long tasks recorded from navigation on.

import { chromium, type Browser, type Page } from 'playwright-core';

export interface LongTask { start: number; duration: number }

export function launchBenchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
}

/** From the page's next navigation on, every long task lands in `window.__longtasks`. */
export async function recordLongTasks(page: Page): Promise<void> {
  // tsx compiles the functions passed to evaluate with esbuild's keepNames: give them its helper.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(() => {
    const w = window as unknown as { __longtasks: LongTask[] };
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/**
 * Stores the document state served at `stateUrl` in the page's IndexedDB the way y-indexeddb does,
 * and lists it as a local-only workspace `id` (the page must be on the app's origin).
 */
export async function preloadLocalWorkspace(page: Page, workspace: { stateUrl: string; id: string; name: string }): Promise<void> {
  await page.evaluate(async ({ stateUrl, id, name }) => {
    const bytes = new Uint8Array(await (await fetch(stateUrl)).arrayBuffer());
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(`reckon:${id}`);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('updates', { autoIncrement: true });
        open.result.createObjectStore('custom');
      };
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('updates', 'readwrite');
        tx.objectStore('updates').add(bytes);
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    });
    localStorage.setItem('reckon.workspaces', JSON.stringify([{ id, name, role: 'local', openedAt: Date.now() }]));
  }, workspace);
}

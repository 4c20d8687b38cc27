// Scenarios at scale (issue 18): the LARGE estate (100k devices, 1M installations) in headless
// Chromium, preloaded into IndexedDB as a local workspace (bench/browser-page.ts).
//
//   npx tsx bench/scenario.ts [--json] [--edits N]
//
// 1. Opens the workspace and waits for its results and its warm-up.
// 2. Measures the heap of the page and of its workers (CDP Runtime.getHeapUsage after a forced
//    collection) and the IndexedDB bytes of the workspace: the baseline's cost.
// 3. Forks a scenario the way a person does (Alt+Shift+N, a name, Enter) and times it until the
//    scenario's grid shows rows and its results are in: fork + open.
// 4. Measures again: the extra heap and IndexedDB bytes the scenario costs.
// 5. Edits an entitlement's quantity in the scenario N times with the Compare tab on screen and
//    times each edit until the compare grid shows the new figure: edit → compare updated, p50/p95.
// 6. Measures the scenario's cost once more, after its edits.
// Prints figures and goals; not a test (no pass/fail).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { LARGE, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { startServer } from '../server/app';
import { silentLogger } from '../server/log';
import { preloadLocalWorkspace, collectErrors } from './browser-page';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const editsArg = process.argv.indexOf('--edits');
const EDITS = editsArg > 0 ? Number(process.argv[editsArg + 1]) : 40;
const log = (...a: unknown[]) => { if (!json) console.log(...a); };
const ms = (x: number) => Math.round(x);
const mb = (x: number) => Math.round(x / 1e5) / 10;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** Heap in use of the page and of each of its workers, after a forced collection, through CDP. */
async function heapOf(page: Page, cdp: CDPSession, workers: Map<string, string>): Promise<{ page: number; workers: number }> {
  let next = 1;
  const pending = new Map<number, (v: unknown) => void>();
  const onMessage = (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id: number; result: unknown };
    pending.get(m.id)?.(m.result);
  };
  cdp.on('Target.receivedMessageFromTarget', onMessage);
  const inWorker = async (sessionId: string, method: string): Promise<unknown> => {
    const id = next++;
    const answer = new Promise((resolve) => pending.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    return answer;
  };
  for (let i = 0; i < 2; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    for (const s of workers.values()) await inWorker(s, 'HeapProfiler.collectGarbage');
  }
  const own = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  let w = 0;
  for (const s of workers.values()) w += ((await inWorker(s, 'Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  cdp.off('Target.receivedMessageFromTarget', onMessage);
  void page;
  return { page: own.usedSize, workers: w };
}

/** Bytes stored in a workspace's IndexedDB database (y-indexeddb's update records). */
function idbBytes(page: Page, id: string): Promise<number> {
  return page.evaluate((name) => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('updates')) { db.close(); return resolve(0); }
      let n = 0;
      const cursor = db.transaction('updates').objectStore('updates').openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) { db.close(); return resolve(n); }
        n += (c.value as Uint8Array).byteLength;
        c.continue();
      };
    };
  }), `reckon:${id}`);
}

async function main(): Promise<void> {
  const figures: Record<string, unknown> = { machine: { cpus: os.cpus().length, node: process.version }, goals: { forkOpenMs: 1000, extraShare: 0.15, editToCompareP95Ms: 150 } };

  log('building the app…');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error' });

  log('generating and importing LARGE…');
  const wb = generateEstate(LARGE) as unknown as Record<string, unknown> & { settings: Record<string, unknown> };
  const doc = createWorkbookDoc({ name: 'Large estate (bench)' });
  const sheets: Record<string, Record<string, unknown>[]> = {};
  for (const s of SHEETS) sheets[s] = (wb[s] as Record<string, unknown>[] | undefined) ?? [];
  importWorkbook(doc, { settings: wb.settings, sheets });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const statePath = path.join(ROOT, 'dist', 'bench-large.bin');
  fs.writeFileSync(statePath, state);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-bench-'));
  const server = await startServer({ port: 0, dataDir, log: silentLogger });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    const preload = await context.newPage();
    await preload.goto(server.url);
    await preload.addInitScript({ content: 'window.__name = (f) => f;' });
    await preloadLocalWorkspace(preload, { stateUrl: '/bench-large.bin', id: 'large', name: 'Large estate (bench)' });
    await preload.close();
    fs.rmSync(statePath);

    const page = await context.newPage();
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    collectErrors(page, errors);
    await page.goto(`${server.url}/#/w/large`);
    await page.waitForFunction(() => (window as any).reckon?.results.ready[0](), undefined, { polling: 200, timeout: 600_000 });
    // The worker's warm-up (indexing chunks, the engine's structures for edits) done: it would otherwise run during the fork.
    while (!(await page.evaluate(async () => ((await (window as any).reckon.workerStats()) as { warm: boolean } | null)?.warm === true))) await page.waitForTimeout(500);
    log('workspace open and warm');

    // The page's CDP session, attached to its workers (their heap is measured through it).
    const cdp = await context.newCDPSession(page);
    const workers = new Map<string, string>();
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; targetId: string } }) => { if (e.targetInfo.type === 'worker') workers.set(e.targetInfo.targetId, e.sessionId); });
    cdp.on('Target.detachedFromTarget', (e: { targetId?: string }) => { if (e.targetId) workers.delete(e.targetId); });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    await page.waitForTimeout(300);

    const before = await heapOf(page, cdp, workers);
    const baseIdb = await idbBytes(page, 'large');
    const baseHeap = before.page + before.workers;
    log(`baseline: heap ${mb(before.page)} MB page + ${mb(before.workers)} MB workers; IndexedDB ${mb(baseIdb)} MB`);

    // Fork as a person does; the clock starts at the Enter that creates it.
    await page.keyboard.press('Alt+Shift+N');
    await page.waitForSelector('[data-testid="scenario-name"]');
    await page.fill('[data-testid="scenario-name"]', 'Bench scenario');
    const t0 = await page.evaluate(() => {
      // Phases of the fork, for the figures: the scenario's page shows, its document is loaded, its results are in.
      const w = window as any;
      w.__phases = {};
      const watch = () => {
        const s = w.reckon, p = w.__phases, now = performance.now();
        if (!p.banner && document.querySelector('[data-testid="scenario-banner"]')) p.banner = now;
        if (!p.loaded && s?.baseline && s.loaded()) p.loaded = now;
        if (!p.rows && s?.baseline && document.querySelector('.sheet[data-sheet="entitlements"] .ag-row')) p.rows = now;
        if (!p.results && s?.baseline && s.results.ready[0]()) p.results = now;
        if (!(p.banner && p.loaded && p.rows && p.results)) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      return performance.now();
    });
    await page.keyboard.press('Enter');
    const opened = await page.waitForFunction(() => {
      const s = (window as any).reckon;
      return s?.baseline && s.results.ready[0]() && document.querySelector('[data-testid="scenario-banner"]') && document.querySelector('.sheet[data-sheet="entitlements"] .ag-row') ? performance.now() : 0;
    }, undefined, { polling: 'raf', timeout: 120_000 });
    const forkOpenMs = ((await opened.jsonValue()) as number) - t0;
    figures.forkPhasesMs = await page.evaluate((t) => Object.fromEntries(Object.entries((window as any).__phases as Record<string, number>).map(([k, v]) => [k, Math.round(v - t)])), t0);
    log('fork phases (ms after Enter):', figures.forkPhasesMs);
    const id = await page.evaluate(() => location.hash.slice('#/w/'.length));
    log(`fork + open: ${ms(forkOpenMs)} ms`);
    await page.waitForTimeout(1500); // y-indexeddb writes the scenario's meta
    const forked = await heapOf(page, cdp, workers);
    const forkedIdb = await idbBytes(page, id);

    // Edit → compare updated on screen, with the Compare tab showing.
    await page.click('[data-tab="compare"]');
    await page.waitForSelector('[data-testid="compare-totals"]');
    const latencies = (await page.evaluate(async (n) => {
      const s = (window as any).reckon;
      const r = s.reader('entitlements');
      const fmt = new Intl.NumberFormat('en-US');
      const asOf = String(s.setting('asOf') ?? '9999');
      const key = (r.keys() as string[]).find((k) => {
        const p = s.results.positionOfEntitlement(r.get(k, 'id'));
        const start = String(r.get(k, 'start') ?? ''), end = String(r.get(k, 'end') ?? '');
        return p && start <= asOf && (!end || end >= asOf) && p.metric !== 'enterprise' && p.metric !== 'site';
      })!;
      const q0 = Number(r.get(key, 'quantity')) || 0;
      const pos = s.results.positionOfEntitlement(r.get(key, 'id'));
      const p0 = pos.purchased;
      const out: number[] = [];
      const edit = async (i: number, measure: boolean) => {
        const want = fmt.format(p0 + i);
        const sel = `.sheet[data-sheet="compare"] .ag-row[row-id="${CSS.escape(pos.key)}"] .ag-cell[col-id="s0-purchased"]`;
        const t = performance.now();
        s.edit(() => s.setCell('entitlements', key, 'quantity', q0 + i));
        const ok = await new Promise<boolean>((resolve) => {
          const check = () => {
            if (document.querySelector(sel)?.textContent === want) return resolve(true);
            if (performance.now() - t > 5000) return resolve(false);
            requestAnimationFrame(check);
          };
          check();
        });
        if (ok && measure) out.push(performance.now() - t);
        await new Promise((res) => setTimeout(res, 50));
      };
      for (let i = 1; i <= 3; i++) await edit(i, false);
      for (let i = 4; i < 4 + n; i++) await edit(i, true);
      return out;
    }, EDITS)) as number[];
    const edited = await heapOf(page, cdp, workers);
    await page.waitForTimeout(1500);
    const editedIdb = await idbBytes(page, id);

    const extra = (h: { page: number; workers: number }) => h.page + h.workers - baseHeap;
    figures.heapMB = { before: { page: mb(before.page), workers: mb(before.workers) }, afterFork: { page: mb(forked.page), workers: mb(forked.workers) }, afterEdits: { page: mb(edited.page), workers: mb(edited.workers) } };
    figures.baseline = { heapPageMB: mb(before.page), heapWorkersMB: mb(before.workers), indexedDbMB: mb(baseIdb) };
    figures.forkOpenMs = ms(forkOpenMs);
    figures.scenarioCost = {
      afterFork: { extraHeapMB: mb(extra(forked)), extraHeapShare: Math.round((extra(forked) / baseHeap) * 1000) / 1000, indexedDbBytes: forkedIdb, indexedDbShare: Math.round((forkedIdb / baseIdb) * 1e5) / 1e5 },
      afterEdits: { extraHeapMB: mb(extra(edited)), extraHeapShare: Math.round((extra(edited) / baseHeap) * 1000) / 1000, indexedDbBytes: editedIdb, indexedDbShare: Math.round((editedIdb / baseIdb) * 1e5) / 1e5 },
    };
    figures.editToCompare = { edits: latencies.length, missed: EDITS - latencies.length, p50Ms: ms(pct(latencies, 50)), p95Ms: ms(pct(latencies, 95)), maxMs: ms(Math.max(...latencies)) };
    figures.consoleErrors = errors;
    log('scenario cost:', figures.scenarioCost);
    log('edit → compare on screen:', figures.editToCompare);
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (fs.existsSync(statePath)) fs.rmSync(statePath);
  }
  console.log(json ? JSON.stringify(figures) : JSON.stringify(figures, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

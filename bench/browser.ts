// Scale in the browser: the LARGE estate (100k devices, 1M installations) in headless Chromium.
//
//   npx tsx bench/browser.ts [--json] [--edits N] [--demo] [--profile FILE] [--profile-edits FILE] [--trace-edits FILE]
//   (--demo: the small demo estate, a quick check; --profile: a CPU profile of the page's main
//   thread during the daily open, as a .cpuprofile for Chrome's DevTools, with its longest task's
//   heaviest functions printed; --profile-edits: the same over the edits of step 5;
//   --trace-edits: a Chrome trace of the edits, with `edit` and `seen` marks around each, and the
//   main thread's time per kind of work printed)
//
// 1. Builds the app, generates generateEstate(LARGE) and imports it into a workbook document
//    (worker/doc/import.ts), served once as a binary file.
// 2. Preloads it into the page's IndexedDB (as y-indexeddb stores it) under a local-only
//    workspace, so the open below reads IndexedDB only (no relay, no network).
// 3. Opens the workspace in a fresh page twice: first as preloaded (one record, no stored results:
//    the worker rewrites the records in pieces and reconciles in full), then as that session left
//    it (its results stored beside the document), the open a person makes every day. Measures
//    each: time to the first grid rows (the grid is interactive from then on), to positions on
//    screen (the opening view's list while the document loads, or the grid's purchased figures;
//    and whether they were stored results under the "being brought up to date" mark), to
//    the worker's results for the document as opened, and long tasks meanwhile.
// 4. Scrolls the Devices (100k) and Installations (1M) grids frame by frame, recording long tasks
//    (PerformanceObserver 'longtask', > 50 ms).
// 5. Edits entitlement quantities one at a time and measures edit → new position on screen (the
//    computed `purchased` cell shows the new figure), p50/p95. Each row is scrolled into view
//    and left to settle before its edit is timed.
// Prints figures; not a test (no pass/fail).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { DEMO, LARGE, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { preloadLocalWorkspace, serveBench, recordLongTasks, startProfile, startTrace, collectErrors } from './browser-page';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const editsArg = process.argv.indexOf('--edits');
const EDITS = editsArg > 0 ? Number(process.argv[editsArg + 1]) : 40;
const profileArg = process.argv.indexOf('--profile');
const PROFILE = profileArg > 0 ? process.argv[profileArg + 1] : null;
const profileEditsArg = process.argv.indexOf('--profile-edits');
const PROFILE_EDITS = profileEditsArg > 0 ? process.argv[profileEditsArg + 1] : null;
const traceEditsArg = process.argv.indexOf('--trace-edits');
const TRACE_EDITS = traceEditsArg > 0 ? process.argv[traceEditsArg + 1] : null;
const log = (...a: unknown[]) => { if (!json) console.log(...a); };
const ms = (x: number) => Math.round(x);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main(): Promise<void> {
  const figures: Record<string, unknown> = { machine: { cpus: os.cpus().length, node: process.version } };

  log('building the app…');
  const { build } = await import('vite');
  // Profiled, the app is built unminified: the profile then names the functions.
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error', ...(PROFILE || PROFILE_EDITS ? { build: { minify: false } } : {}) });

  log('generating and importing LARGE…');
  let t = performance.now();
  const wb = generateEstate(process.argv.includes('--demo') ? DEMO : LARGE) as unknown as Record<string, unknown> & { settings: Record<string, unknown> };
  const genMs = performance.now() - t;
  t = performance.now();
  const doc = createWorkbookDoc({ name: 'Large estate (bench)' });
  const sheets: Record<string, Record<string, unknown>[]> = {};
  for (const s of SHEETS) sheets[s] = (wb[s] as Record<string, unknown>[] | undefined) ?? [];
  const counts = importWorkbook(doc, { settings: wb.settings, sheets });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  figures.estate = { rows: counts, generateMs: ms(genMs), importMs: ms(performance.now() - t), stateBytes: state.length };
  log(`  ${counts.devices} devices, ${counts.installations} installations; document ${(state.length / 1e6).toFixed(1)} MB`);

  // The state is served as a static file next to the app for the preload step only.
  const served = await serveBench(path.join(ROOT, 'dist'), state, 'bench-large.bin');
  const { server, browser, statePath } = served;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    collectErrors(page, errors);

    // Preload: store the document in IndexedDB the way y-indexeddb does, and list the workspace.
    await page.goto(server.url);
    t = performance.now();
    await preloadLocalWorkspace(page, { stateUrl: '/bench-large.bin', id: 'large', name: 'Large estate (bench)' });
    figures.preloadMs = ms(performance.now() - t);
    fs.rmSync(statePath);

    // Opens the workspace from IndexedDB in a fresh page (the clock starts at navigation) and
    // measures: first grid rows (interactive from then on), positions on screen (a purchased
    // figure in the entitlements grid: stored results, or the worker's), the worker's results for
    // the document as opened (`ready`), and long tasks meanwhile.
    const openOnce = async (profile: string | null = null) => {
      const p = await context.newPage();
      collectErrors(p, errors);
      await recordLongTasks(p);
      const profiler = profile ? await startProfile(p) : null;
      await p.goto(`${server.url}/#/w/large`);
      const at = async (fn: string) => (await (await p.waitForFunction(fn, undefined, { polling: 'raf', timeout: 600_000 })).jsonValue()) as number;
      const [gridMs, positionsMs] = await Promise.all([
        // A row of the sheet's data (its id shown), not the placeholder row the grid draws first.
        at(`[...document.querySelectorAll('.sheet[data-sheet="entitlements"] .ag-row .ag-cell[col-id="id"]')].some((c) => c.textContent) ? performance.now() : 0`),
        // Positions on screen: the opening view's (stored results, while the document loads) or the grid's.
        at(`document.querySelector('[data-testid="opening-positions"] tbody tr') || [...document.querySelectorAll('.sheet[data-sheet="entitlements"] .ag-row .ag-cell[col-id="purchased"]')].some((c) => c.textContent) ? performance.now() : 0`),
      ]);
      const markedAtPositions = await p.evaluate(() => !!document.querySelector('[data-testid="results-updating"]'));
      const readyH = await p.waitForFunction(() => ((window as any).reckon?.results.ready[0]() ? performance.now() : 0), undefined, { polling: 100, timeout: 600_000 });
      const resultsMs = (await readyH.jsonValue()) as number;
      const tasks = (await p.evaluate(() => (window as any).__longtasks.slice())) as { start: number; duration: number }[];
      const mem = await p.evaluate(() => (performance as any).memory?.usedJSHeapSize ?? null);
      if (profiler && profile) console.error('the longest busy stretch in the profile:', await profiler.stop(profile));
      const max = (xs: { duration: number }[]) => ms(Math.max(0, ...xs.map((x) => x.duration)));
      const figures = {
        gridVisibleMs: ms(gridMs),
        positionsShownMs: ms(positionsMs),
        positionsFrom: markedAtPositions ? 'stored results, marked as being brought up to date' : 'the worker',
        resultsReadyMs: ms(resultsMs),
        longestTaskMs: max(tasks.filter((x) => x.start <= resultsMs)),
        longTasksBeforeGrid: tasks.filter((x) => x.start < gridMs).map((x) => ms(x.duration)),
        longTasksGridToResults: { count: tasks.filter((x) => x.start >= gridMs && x.start <= resultsMs).length, maxMs: max(tasks.filter((x) => x.start >= gridMs && x.start <= resultsMs)) },
        mainHeapMB: mem === null ? null : Math.round(mem / 1e6),
      };
      return { page: p, figures };
    };
    /** The worker stores its results beside the document once idle (results-cache.ts): waits for them. */
    const resultsStored = async (p: typeof page) => {
      for (let i = 0; i < 600; i++) {
        const stored = await p.evaluate(() => new Promise<boolean>((resolve) => {
          const o = indexedDB.open('reckon:large');
          o.onsuccess = () => {
            const db = o.result;
            const r = db.transaction('custom').objectStore('custom').getKey('reckon.results');
            r.onsuccess = () => { db.close(); resolve(r.result !== undefined); };
            r.onerror = () => { db.close(); resolve(false); };
          };
          o.onerror = () => resolve(false);
        }));
        if (stored) return;
        await p.waitForTimeout(500);
      }
      throw new Error('the worker never stored its results');
    };

    await page.close();
    // The first open after the preload: one record of the whole state (as y-indexeddb and earlier
    // Reckons store it) and no stored results: the worker rewrites the records in pieces and
    // reconciles in full.
    const first = await openOnce();
    figures.firstOpen = first.figures;
    log('first open (no stored results):', first.figures);
    await resultsStored(first.page);
    await first.page.close();
    // The open a person makes every day: the workspace as the last session left it.
    const { page: open, figures: openFigures } = await openOnce(PROFILE);
    figures.open = openFigures;
    log('open:', openFigures);
    // Scrolling: frame by frame through a large grid, long tasks recorded.
    const scroll = async (tab: string) => {
      const t0 = performance.now();
      await open.click(`[data-tab="${tab}"]`);
      const shown = await open.waitForFunction((tab) => (document.querySelector(`.sheet[data-sheet="${tab}"] .ag-row`) ? performance.now() : 0), tab, { polling: 'raf', timeout: 300_000 });
      const tabOpenMs = performance.now() - t0;
      void shown;
      return open.evaluate(async ({ tab, tabOpenMs }) => {
        const w = window as unknown as { __longtasks: { start: number; duration: number }[] };
        const vp = document.querySelector(`.sheet[data-sheet="${tab}"] .ag-body-viewport, .sheet[data-sheet="${tab}"] .ag-grid-viewport`) as HTMLElement | null;
        const sc = (vp?.querySelector('.ag-grid-scrolling-container') as HTMLElement | null) ?? vp;
        if (!sc) return { error: 'no viewport' };
        await new Promise((r) => setTimeout(r, 500));
        const start = performance.now();
        const before = w.__longtasks.length;
        const frames: number[] = [];
        let last = performance.now();
        const total = sc.scrollHeight - sc.clientHeight;
        for (let i = 0; i < 240; i++) {
          // Mostly small steps (reading), with a few long jumps (dragging the scrollbar).
          sc.scrollTop = i % 60 === 59 ? Math.random() * total : sc.scrollTop + 600;
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        const tasks = w.__longtasks.slice(before).filter((x) => x.start >= start);
        frames.sort((a, b) => a - b);
        return {
          tabOpenMs: Math.round(tabOpenMs),
          frames: frames.length,
          frameP50Ms: Math.round(frames[Math.floor(frames.length / 2)]),
          frameP95Ms: Math.round(frames[Math.floor(frames.length * 0.95)]),
          frameMaxMs: Math.round(frames[frames.length - 1]),
          longTasks: tasks.length,
          longTaskMaxMs: Math.round(Math.max(0, ...tasks.map((x) => x.duration))),
        };
      }, { tab, tabOpenMs });
    };
    figures.scrollDevices = await scroll('devices');
    log('scroll devices:', figures.scrollDevices);
    figures.scrollInstallations = await scroll('installations');
    log('scroll installations:', figures.scrollInstallations);

    // Sorting and filtering the 1M-row Installations sheet (the view is computed in the worker).
    // Done when the first rows show the expected order; what the grid shows is kept either way.
    const products = [...new Set((wb.installations as Record<string, unknown>[]).map((r) => String(r.product ?? '')))];
    const view = async (what: string, act: () => Promise<void>, check: string) => {
      const before = await open.evaluate(() => performance.now());
      await act();
      const h = await open.waitForFunction(check, undefined, { polling: 'raf', timeout: 120_000 }).catch(() => null);
      const at = h ? ((await h.jsonValue()) as number) : NaN;
      const shown = await open.evaluate(() => [0, 1, 2].map((i) => document.querySelector(`.sheet[data-sheet="installations"] .ag-row[row-index="${i}"] .ag-cell[col-id="product"]`)?.textContent ?? null));
      const tasks = (await open.evaluate(() => (window as any).__longtasks.slice())) as { start: number; duration: number }[];
      const inside = tasks.filter((x) => x.start >= before && (Number.isNaN(at) || x.start <= at));
      const r = { ms: Number.isNaN(at) ? null : ms(at - before), firstRows: shown, longTasks: inside.length, longTaskMaxMs: ms(Math.max(0, ...inside.map((x) => x.duration))) };
      log(`${what}:`, r);
      return r;
    };
    const sortedCheck = (dir: 1 | -1) => {
      const c = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
      const first = [...products].sort((a, b) => c.compare(a, b) * dir)[0];
      return `(() => { const c = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }); const v = []; for (let i = 0; i < 12; i++) { const t = document.querySelector('.sheet[data-sheet="installations"] .ag-row[row-index="' + i + '"] .ag-cell[col-id="product"]')?.textContent; if (!t) return 0; v.push(t); } for (let i = 1; i < v.length; i++) if (c.compare(v[i - 1], v[i]) * ${dir} > 0) return 0; return c.compare(v[0], ${JSON.stringify(first)}) === 0 ? performance.now() : 0; })()`;
    };
    const header = '.sheet[data-sheet="installations"] .ag-header-cell[col-id="product"] .ag-header-cell-label';
    figures.sortInstallations = await view('sort 1M installations by product', () => open.click(header), sortedCheck(1));
    figures.sortInstallationsDesc = await view('sort descending', () => open.click(header), sortedCheck(-1));
    await open.click(header); // back to sheet order
    const device = String((wb.installations as Record<string, unknown>[])[123_457 % (wb.installations as unknown[]).length].deviceId);
    figures.quickFilterInstallations = await view(`quick filter "${device}"`, () => open.fill('.sheet[data-sheet="installations"] .quick-filter', device),
      `(() => { const t = document.querySelector('.sheet[data-sheet="installations"] .ag-row[row-index="0"] .ag-cell[col-id="deviceId"]')?.textContent; const n = document.querySelectorAll('.sheet[data-sheet="installations"] .ag-row').length; return t === ${JSON.stringify(device)} && n < 40 ? performance.now() : 0; })()`);
    await open.fill('.sheet[data-sheet="installations"] .quick-filter', '');

    // Edit → new position on screen.
    await open.click('[data-tab="entitlements"]');
    // The worker answers in order: once it has, the re-sort that clearing the filter above started
    // is done, and the first edits do not wait behind it.
    await open.evaluate(() => (window as any).reckon.workerStats?.());
    const editProfiler = PROFILE_EDITS ? await startProfile(open) : null;
    const editTracer = TRACE_EDITS ? await startTrace(open) : null;
    const latencies = (await open.evaluate(async (n) => {
      const s = (window as any).reckon;
      const r = s.reader('entitlements');
      const keys: string[] = r.keys();
      const out: number[] = [];
      // Where the time goes: the page's own edit (its transaction and observers), and the patch's arrival.
      const editMs: number[] = [], patchMs: number[] = [];
      let patchAt = 0;
      s.results.onPatch(() => { patchAt ||= performance.now(); });
      const fmt = new Intl.NumberFormat('en-US');
      const asOf = String(s.doc.getMap('settings').get('asOf') ?? '9999');
      let missed = 0;
      for (let i = 0, tried = 0; out.length < n && tried < keys.length; i++, tried++) {
        // An active entitlement with a position (its quantity counts in `purchased`).
        const key = keys[i % keys.length];
        const pos = s.results.positionOfEntitlement(r.get(key, 'id'));
        const start = String(r.get(key, 'start') ?? ''), end = String(r.get(key, 'end') ?? '');
        if (!pos || start > asOf || (end && end < asOf) || pos.metric === 'enterprise' || pos.metric === 'site') continue;
        (window as any).reckonUi.reveal({ sheet: 'entitlements', key, col: 'quantity' });
        // The row is brought into view first, as a person scrolls to it before typing; the edit
        // is timed once the grid has drawn it and settled (its block loaded, its rows rendered),
        // so the figure is the edit's, not the tail of the scroll's rendering.
        const sel = `.sheet[data-sheet="entitlements"] .ag-row[row-id="${key}"] .ag-cell[col-id="purchased"]`;
        for (let f = 0; f < 120 && !document.querySelector(sel); f++) await new Promise((res) => requestAnimationFrame(res));
        await new Promise((res) => setTimeout(res, 250));
        const q = Number(r.get(key, 'quantity')) || 0;
        const delta = out.length % 2 === 0 ? 1 : -1;
        if (q + delta < 0) continue;
        const wantPurchased = fmt.format(s.results.positionOfEntitlement(r.get(key, 'id')).purchased + delta);
        patchAt = 0;
        const t0 = performance.now();
        performance.mark('edit');
        s.edit(() => s.doc.getMap('entitlements/cells').set(`${key}\tquantity`, q + delta));
        const edited = performance.now() - t0;
        const ok = await new Promise<boolean>((resolve) => {
          const check = () => {
            if (document.querySelector(sel)?.textContent === wantPurchased) { performance.mark('seen'); return resolve(true); }
            if (performance.now() - t0 > 3000) return resolve(false);
            requestAnimationFrame(check);
          };
          check();
        });
        if (ok) {
          out.push(performance.now() - t0);
          editMs.push(edited);
          patchMs.push(patchAt - t0);
        } else missed++;
        await new Promise((res) => setTimeout(res, 50));
      }
      (window as any).__missed = missed;
      (window as any).__parts = { editMs, patchMs };
      return out;
    }, EDITS)) as number[];
    if (editTracer && TRACE_EDITS) console.error('the main thread while editing:', await editTracer.stop(TRACE_EDITS));
    if (editProfiler && PROFILE_EDITS) console.error('the longest busy stretch while editing:', await editProfiler.stop(PROFILE_EDITS));
    const parts = await open.evaluate(() => (window as any).__parts) as { editMs: number[]; patchMs: number[] };
    const missed = await open.evaluate(() => (window as any).__missed);
    figures.editToScreen = {
      edits: latencies.length, notShownWithin3s: missed, p50Ms: ms(pct(latencies, 50)), p95Ms: ms(pct(latencies, 95)), maxMs: ms(Math.max(...latencies)),
      // The slowest edits, in the order made (`#i: ms`): whether they cluster (the start, a GC) or not.
      slowest: latencies.map((x, i) => [i, x] as const).sort((a, b) => b[1] - a[1]).slice(0, 4).sort((a, b) => a[0] - b[0]).map(([i, x]) => `#${i}: ${ms(x)}`),
      // The page's edit itself, and edit → the worker's patch on the page (the rest is the grid and the frame).
      pageEditP50Ms: ms(pct(parts.editMs, 50)), pageEditP95Ms: ms(pct(parts.editMs, 95)),
      patchP50Ms: ms(pct(parts.patchMs, 50)), patchP95Ms: ms(pct(parts.patchMs, 95)),
    };
    log('edit → position on screen:', figures.editToScreen);
    figures.workerStats = await open.evaluate(async () => {
      const st = await (window as any).reckon.workerStats?.();
      return st ?? null;
    });
    figures.consoleErrors = errors;
  } finally {
    await served.close();
  }
  console.log(json ? JSON.stringify(figures) : JSON.stringify(figures, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// A 1M-row import in the browser, then sorting and filtering the 1M-row sheet (issue 6).
//
//   npx tsx bench/browser-import.ts [--json] [--rows N]
//
// 1. Builds the app; generates generateEstate(LARGE); every sheet but installations goes into a
//    workbook document preloaded into the page's IndexedDB (a local-only workspace, no relay), and
//    the installations (1M rows) are written as one CSV file (io/csv/write.ts).
// 2. Opens the workspace with the Installations tab showing (the worst case: its grid is live),
//    imports the CSV through the real import dialog (setInputFiles, Import), and records every
//    progress figure a frame showed, long tasks (PerformanceObserver 'longtask'), frame gaps, the
//    time of each phase, and the document afterwards (chunks, rows).
// 3. Sorts Installations by a column (header click) and filters it (a column filter, then the quick
//    filter), each measured from the click/keystroke to the first rows shown in the new order, with
//    the long tasks meanwhile.
// Prints figures; not a test (no pass/fail).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { LARGE, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { csvChunks } from '../io/csv/write';
import { sheetColumns } from '../io/workbook';
import { startServer } from '../server/app';
import { silentLogger } from '../server/log';
import { launchBenchBrowser, preloadLocalWorkspace, recordLongTasks, type LongTask as Task, collectErrors } from './browser-page';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : LARGE.installations;
const log = (...a: unknown[]) => { if (!json) console.error(...a); };
const ms = (x: number) => Math.round(x);

/** Long tasks and frame gaps between two page times. */
async function tasksBetween(page: Page, from: number, to: number): Promise<{ count: number; over200: number; maxMs: number; totalMs: number }> {
  const tasks = (await page.evaluate(() => (window as any).__longtasks.slice())) as Task[];
  const inside = tasks.filter((t) => t.start >= from && t.start <= to);
  return {
    count: inside.length,
    over200: inside.filter((t) => t.duration > 200).length,
    maxMs: ms(Math.max(0, ...inside.map((t) => t.duration))),
    totalMs: ms(inside.reduce((n, t) => n + t.duration, 0)),
  };
}

async function main(): Promise<void> {
  const figures: Record<string, unknown> = { machine: { cpus: os.cpus().length, node: process.version }, rows: ROWS };
  log('building the app…');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error' });

  log('generating LARGE, writing the installations CSV…');
  const wb = generateEstate({ ...LARGE, installations: ROWS }) as unknown as Record<string, Record<string, unknown>[]> & { settings: Record<string, unknown> };
  const doc = createWorkbookDoc({ name: 'Import bench' });
  const sheets: Record<string, Record<string, unknown>[]> = {};
  for (const s of SHEETS) sheets[s] = s === 'installations' ? [] : (wb[s] ?? []);
  importWorkbook(doc, { settings: wb.settings, sheets });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-import-bench-'));
  const csvPath = path.join(tmp, 'installations.csv');
  const installs = wb.installations;
  const columns = sheetColumns('installations', installs);
  const fd = fs.openSync(csvPath, 'w');
  for (const text of csvChunks(columns, (function* () { for (const r of installs) yield columns.map((c) => r[c]); })())) fs.writeSync(fd, text);
  fs.closeSync(fd);
  figures.csvBytes = fs.statSync(csvPath).size;
  log(`  ${installs.length} rows, ${(Number(figures.csvBytes) / 1e6).toFixed(0)} MB of CSV`);

  const statePath = path.join(ROOT, 'dist', 'bench-import.bin');
  fs.writeFileSync(statePath, state);
  const dataDir = path.join(tmp, 'data');
  const server = await startServer({ port: 0, dataDir, log: silentLogger });
  const browser = await launchBenchBrowser();
  const errors: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    collectErrors(page, errors);
    await recordLongTasks(page);
    // Preload the document into IndexedDB the way y-indexeddb stores it.
    await page.goto(server.url);
    await preloadLocalWorkspace(page, { stateUrl: '/bench-import.bin', id: 'importbench', name: 'Import bench' });
    fs.rmSync(statePath);
    await page.goto(`${server.url}/#/w/importbench`);
    await page.waitForFunction(() => (window as any).reckon?.results.ready[0]() === true, undefined, { timeout: 300_000 });
    await page.click('[data-tab="installations"]');
    await page.waitForSelector('.sheet[data-sheet="installations"] .ag-root');

    // The import, through the dialog. A frame loop records what the progress bar shows.
    log('importing through the dialog…');
    await page.click('[data-testid="import-open"]');
    await page.setInputFiles('[data-testid="import-file"]', [csvPath]);
    await page.waitForSelector('[data-testid="import-preview"] tbody tr', { timeout: 120_000 });
    await page.evaluate(() => {
      const w = window as any;
      w.__progress = [];
      w.__frames = [];
      let last = '';
      let prev = performance.now();
      const tick = () => {
        const now = performance.now();
        w.__frames.push(now - prev);
        prev = now;
        const el = document.querySelector('[data-testid="import-progress"]');
        if (el) {
          const text = `${el.querySelector('div')?.textContent ?? ''}|${(el.querySelector('progress') as HTMLProgressElement | null)?.value ?? ''}`;
          if (text !== last) w.__progress.push({ t: now, text });
          last = text;
        }
        if (!w.__stopFrames) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t0 = await page.evaluate(() => performance.now());
    await page.click('[data-testid="import-run"]');
    const doneH = await page.waitForFunction(() => (document.querySelector('[data-testid="import-done"]') ? performance.now() : 0), undefined, { polling: 'raf', timeout: 900_000 });
    const tDone = (await doneH.jsonValue()) as number;
    const progress = (await page.evaluate(() => { (window as any).__stopFrames = true; return (window as any).__progress; })) as { t: number; text: string }[];
    const frames = (await page.evaluate(() => (window as any).__frames)) as number[];
    const firstWrite = progress.find((p) => p.text.startsWith('Writing'))?.t ?? tDone;
    // Results for the imported rows: the worker answers once it has taken every update before.
    const stats = await page.evaluate(async () => { await (window as any).reckon.workerFlushed?.(); return (window as any).reckon.workerStats(); }) as { rows?: Record<string, number> };
    const tResults = await page.evaluate(() => performance.now());
    const chunks = await page.evaluate(() => {
      const s = (window as any).reckon;
      const arr = s.doc.getArray('installations/chunks').toArray() as { n: number }[];
      return { chunks: arr.length, rows: arr.reduce((n, c) => n + c.n, 0), addedRows: s.doc.getMap('installations/rows').size, gridRows: s.reader('installations').keys().length };
    });
    frames.sort((a, b) => a - b);
    figures.import = {
      totalMs: ms(tDone - t0),
      readMs: ms(firstWrite - t0),
      writeMs: ms(tDone - firstWrite),
      resultsAfterDoneMs: ms(tResults - tDone),
      workerRows: stats?.rows?.installations ?? null,
      progressUpdatesShown: progress.length,
      progressSample: progress.filter((_, i) => i % Math.max(1, Math.floor(progress.length / 6)) === 0).map((p) => `${ms(p.t - t0)} ms: ${p.text}`),
      longTasks: await tasksBetween(page, t0, tDone),
      longTasksOver100: ((await page.evaluate(() => (window as any).__longtasks.slice())) as Task[]).filter((x) => x.start >= t0 && x.start <= tDone && x.duration > 100).map((x) => `${ms(x.start - t0)} ms: ${ms(x.duration)} ms`),
      longTasksUntilResults: await tasksBetween(page, tDone, tResults),
      frameP50Ms: ms(frames[Math.floor(frames.length / 2)] ?? 0),
      frameP99Ms: ms(frames[Math.floor(frames.length * 0.99)] ?? 0),
      frameMaxMs: ms(frames[frames.length - 1] ?? 0),
      document: chunks,
      mainHeapMB: await page.evaluate(() => Math.round(((performance as any).memory?.usedJSHeapSize ?? 0) / 1e6)),
    };
    log('import:', figures.import);
    await page.click('[data-testid="import-done"] button');

    // Sorting and filtering the 1M-row sheet.
    const sheet = '.sheet[data-sheet="installations"]';
    const measure = async (what: string, act: () => Promise<void>, changed: string): Promise<Record<string, unknown>> => {
      const before = await page.evaluate(() => performance.now());
      await act();
      const h = await page.waitForFunction(changed, undefined, { polling: 'raf', timeout: 300_000 });
      const at = (await h.jsonValue()) as number;
      const r = { ms: ms(at - before), longTasks: await tasksBetween(page, before, at) };
      log(`${what}:`, r);
      return r;
    };
    // Sorted: row 0 shows the first product in that order (computed here from the generated rows,
    // same collation as worker/view.ts) and the first 12 rows are in order.
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const products = [...new Set(installs.map((r) => String(r.product ?? '')))].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : collator.compare(a, b)));
    const firstOf = (dir: 1 | -1) => JSON.stringify(dir === 1 ? products[0] : products[products.length - 1]);
    const inOrder = (dir: 1 | -1) => `(() => { const c = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }); const v = []; for (let i = 0; i < 12; i++) { const t = document.querySelector('${sheet} .ag-row[row-index="' + i + '"] .ag-cell[col-id="product"]')?.textContent; if (t === undefined || t === null) return 0; v.push(t); } for (let i = 1; i < v.length; i++) if (c.compare(v[i - 1], v[i]) * ${dir} > 0) return 0; return v[0] === ${firstOf(dir)} ? performance.now() : 0; })()`;
    figures.sortProduct = await measure('sort by product', () => page.click(`${sheet} .ag-header-cell[col-id="product"] .ag-header-cell-label`), inOrder(1));
    figures.sortProductDesc = await measure('sort by product, descending', () => page.click(`${sheet} .ag-header-cell[col-id="product"] .ag-header-cell-label`), inOrder(-1));
    await page.click(`${sheet} .ag-header-cell[col-id="product"] .ag-header-cell-label`);
    // A quick filter on a device id: few rows match.
    const device = await page.evaluate(({ sheet }) => document.querySelector(`${sheet} .ag-row[row-index="5"] .ag-cell[col-id="deviceId"]`)?.textContent ?? '', { sheet });
    figures.quickFilter = await measure(`quick filter "${device}"`, () => page.fill(`${sheet} .quick-filter`, device),
      `(() => { const rows = [...document.querySelectorAll('${sheet} .ag-row .ag-cell[col-id="deviceId"]')]; return rows.length > 0 && rows.every((c) => (c.textContent ?? '').includes(${JSON.stringify(device)})) ? performance.now() : 0; })()`);
    figures.quickFilterClear = await measure('clear the quick filter', () => page.fill(`${sheet} .quick-filter`, ''),
      `(() => document.querySelectorAll('${sheet} .ag-row').length > 20 ? performance.now() : 0)()`);
    figures.consoleErrors = errors;
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (fs.existsSync(statePath)) fs.rmSync(statePath);
  }
  console.log(JSON.stringify(figures, json ? undefined : null, json ? undefined : 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

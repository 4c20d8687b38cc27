// What the browser benches share: the browser they launch, a local workspace preloaded into the
// page's IndexedDB, and long tasks recorded from navigation on.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../server/app';
import { silentLogger } from '../server/log';

export interface LongTask { start: number; duration: number }

/**
 * Chromium for the benches. BENCH_JS_FLAGS passes V8 flags to the page and its workers, e.g.
 * `BENCH_JS_FLAGS=--trace-gc-nvp DEBUG=pw:browser` prints every collection with its phases
 * (how the worker's long pauses during the edit loop were found; docs/performance.md).
 */
export function launchBenchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info', ...(process.env.BENCH_JS_FLAGS ? [`--js-flags=${process.env.BENCH_JS_FLAGS}`] : [])],
  });
}

/**
 * The app served by a relay of its own (empty data directory) with a workbook document beside it,
 * at `/<file>` for `preloadLocalWorkspace` (the bench removes it once preloaded), and the browser.
 * `close` stops both and removes what was written.
 */
export async function serveBench(distDir: string, state: Uint8Array, file: string): Promise<{ server: RunningServer; browser: Browser; statePath: string; close: () => Promise<void> }> {
  const statePath = path.join(distDir, file);
  fs.writeFileSync(statePath, state);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-bench-'));
  const server = await startServer({ port: 0, dataDir, log: silentLogger });
  const browser = await launchBenchBrowser();
  return {
    server, browser, statePath,
    async close() {
      await browser.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (fs.existsSync(statePath)) fs.rmSync(statePath);
    },
  };
}

/** Collects the page's console errors and uncaught exceptions into `errors` (a bench prints them). */
export function collectErrors(page: Page, errors: string[]): Page {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
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

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/**
 * Starts Chrome's sampling profiler on the page's main thread (before a navigation: it follows
 * it). `stop` writes the profile to `file` (.cpuprofile, DevTools opens it) and returns the
 * longest stretch of busy samples (the longest task, as the profiler saw it) and the functions
 * with the most self time in it, heaviest first.
 */
export async function startProfile(page: Page): Promise<{ stop: (file: string) => Promise<{ longestMs: number; heaviest: string[] }> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const fs = await import('node:fs');
      fs.writeFileSync(file, JSON.stringify(profile));
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const idle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
      // Sample i covers timeDeltas[i + 1] µs. The longest run of samples that are not idle.
      let best = { from: 0, to: 0, us: 0 }, from = -1, us = 0;
      profile.samples.forEach((id, i) => {
        if (idle(id)) { from = -1; return; }
        if (from < 0) { from = i; us = 0; }
        us += profile.timeDeltas[i + 1] ?? 0;
        if (us > best.us) best = { from, to: i, us };
      });
      const self = new Map<string, number>();
      for (let i = best.from; i <= best.to; i++) {
        const f = byId.get(profile.samples[i])!.callFrame;
        const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
        self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
      }
      return {
        longestMs: Math.round(best.us / 1000),
        heaviest: [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, t]) => `${t.toFixed(1)} ms ${n}`),
      };
    },
  };
}

interface TraceEvent { name: string; ph: string; dur?: number; tid: number; pid: number; ts: number; args?: { name?: string } }

/**
 * Records a Chrome trace of the page (timeline categories). `stop` writes it to `file` (DevTools'
 * Performance panel opens it) and returns, for the renderer's main thread, the time spent in each
 * kind of top-level work (script, style, layout, paint…), heaviest first.
 */
export async function startTrace(page: Page): Promise<{ stop: (file: string) => Promise<{ busyMs: number; byKind: string[] }> }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => { events.push(...(e.value as unknown as TraceEvent[])); });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing', transferMode: 'ReportEvents' });
  return {
    async stop(file) {
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await done;
      const fs = await import('node:fs');
      fs.writeFileSync(file, JSON.stringify({ traceEvents: events }));
      const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
      const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
      // Time of each event less that of events nested in it: what each kind of work cost itself.
      const self = new Map<string, number>();
      const stack: { end: number; name: string }[] = [];
      let busy = 0;
      for (const e of onMain) {
        while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
        else if (e.name === 'RunTask') busy += e.dur!;
        self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
        stack.push({ end: e.ts + e.dur!, name: e.name });
      }
      return {
        busyMs: Math.round(busy / 1000),
        byKind: [...self].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([n, us]) => `${(us / 1000).toFixed(1)} ms ${n}`),
      };
    },
  };
}

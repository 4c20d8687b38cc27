// Browser test harness: one `vite build` per test run (shared by every test file through a lock),
// the real server (`startServer`, port 0, temp DATA_DIR) with the demo workspace, headless
// Chromium through playwright-core, and pages that fail the test on any console error.
// Tests wait on conditions in the page, never on time.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer, type StartServerOptions } from '../../server/app';
import type { RelayConfigInput } from '../../server/config';
import { silentLogger } from '../../server/log';
import { ensureDemo } from '../../server/demo';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'tests/.artifacts');

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Builds dist/ once per test run. Test files run in worker processes of one vitest process, so
 * the parent pid names the run; the first worker to take the lock builds, the others wait.
 */
export async function ensureBuild(): Promise<void> {
  const stamp = path.join(ROOT, 'dist', `.built-${process.ppid}`);
  if (fs.existsSync(stamp)) return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const lock = path.join(ARTIFACTS, `.build-lock-${process.ppid}`);
  let mine = false;
  try {
    fs.mkdirSync(lock);
    mine = true;
  } catch { /* someone else builds */ }
  if (mine) {
    try {
      const { build } = await import('vite');
      await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error' });
      fs.writeFileSync(stamp, '');
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(stamp)) {
    if (!fs.existsSync(lock) && !fs.existsSync(stamp)) throw new Error('the build in another test file failed');
    if (Date.now() > deadline) throw new Error('timed out waiting for the build');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface App {
  server: RunningServer;
  dataDir: string;
  /** Edit link of the demo workspace. */
  demoUrl: string;
  close(): Promise<void>;
}

/** Relay options a test may set beyond its limits (published workspaces, heartbeat…). */
export type AppOptions = { demo?: boolean; limits?: RelayConfigInput['limits']; relay?: Omit<StartServerOptions, 'port' | 'dataDir' | 'log' | 'onStart' | 'limits'> };

export async function startApp(options: AppOptions = {}): Promise<App> {
  await ensureBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-browser-'));
  let demoUrl = '';
  const server = await startServer({
    port: 0,
    dataDir,
    log: silentLogger,
    ...options.relay,
    ...(options.limits ? { limits: options.limits } : {}),
    onStart: async (s) => {
      if (options.demo !== false) demoUrl = await ensureDemo(s);
    },
  });
  return {
    server,
    dataDir,
    demoUrl,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  errors: string[];
  /** While set, messages matching it are expected (e.g. refused websockets while offline). */
  allow: RegExp | null;
}

/** A page whose console errors and uncaught exceptions are collected (tests assert none). */
export async function watchedPage(context: BrowserContext, viewport = { width: 1440, height: 900 }): Promise<WatchedPage> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const w: WatchedPage = { page, errors: [], allow: null };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (w.allow && w.allow.test(text)) return;
    w.errors.push(text);
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  return w;
}

/** Network errors a page logs while the relay is unreachable on purpose. */
export const OFFLINE_NOISE = /WebSocket connection to .* failed|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to load resource/;

/** Opens a workspace link and waits for the grid and the first results. */
export async function openWorkspace(w: WatchedPage, url: string): Promise<void> {
  await w.page.goto(url);
  await waitReady(w.page);
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('.sheet[data-sheet="entitlements"] .ag-row', { timeout: 30_000 });
  await page.waitForFunction(() => {
    const s = (window as unknown as { reckon?: { results: { ready: [() => boolean] } } }).reckon;
    return s?.results.ready[0]() === true;
  }, undefined, { timeout: 30_000 });
}

/** The cell element of a row (by row key) and column, in the visible grid of a sheet. */
export function cell(sheet: string, key: string, col: string): string {
  return `.sheet[data-sheet="${sheet}"] .ag-row[row-id="${key}"] .ag-cell[col-id="${col}"]`;
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** What a test file works with: the app and a browser. */
export interface AppSession {
  app: App;
  browser: Browser;
}

/**
 * Starts the app (with or without its demo) and a browser before the file's tests and closes them
 * after. The returned object is filled in by beforeAll.
 */
export function useAppAndBrowser(options: AppOptions & { closeApp?: boolean } = {}): AppSession {
  const session = {} as AppSession;
  beforeAll(async () => {
    session.app = await startApp(options);
    session.browser = await launch();
  });
  afterAll(async () => {
    await session.browser?.close();
    if (options.closeApp !== false) await session.app?.close();
  });
  return session;
}

/** ... and one page on the demo workspace. */
export interface DemoSession extends AppSession {
  w: WatchedPage;
}

/** useAppAndBrowser, with the demo workspace open in one page before the file's tests. */
export function useDemoWorkspace(options: { closeApp?: boolean } = {}): DemoSession {
  const session = useAppAndBrowser(options) as DemoSession;
  beforeAll(async () => {
    session.w = await watchedPage(await session.browser.newContext());
    await openWorkspace(session.w, session.app.demoUrl);
  });
  return session;
}

// A normalization rule edit to screen, in headless Chromium, on the normalization bench estate
// (bench/raw-names.ts: 1M raw installations on 100k devices, 9,024 rules with the catalogue).
//
//   npx tsx bench/browser-rule-edit.ts [--json] [--rounds N]
//
// Imports the estate into a workbook document, preloads it into the page's IndexedDB as a local
// workspace, opens it, waits for the worker's results and its warm-up, then edits the widest
// patterns (those deciding the most installations of a licensed product) as a person edits a cell:
// each pattern's product renamed, then put back. Measures edit → the product's position on screen
// (the Entitlements grid's `consumed` cell shows the new figure), and edit → the worker's patch on
// the page. Prints figures; not a test.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { RawRow } from '../engine/cells';
import { normShared } from '../engine/cells';
import { Normalizer } from '../engine/normalize/normalizer';
import { parseRow, type NormalizationRule } from '../engine/rows';
import { SHEETS } from '../engine/schema';
import { catalogueRules } from '../catalogue';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { benchArgs } from './args';
import { preloadLocalWorkspace, serveBench, collectErrors } from './browser-page';
import { RAW_LARGE, rawEstate } from './raw-names';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArgs();
const rounds = args.option('--rounds', 8);
const TODAY = '2026-11-01';
const ms = (x: number) => Math.round(x * 10) / 10;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main(): Promise<void> {
  args.log('building the app…');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error' });

  args.log('generating the raw estate and its rules…');
  const estate = rawEstate(RAW_LARGE);
  const rules: RawRow[] = [...(catalogueRules() as unknown as RawRow[]), ...estate.rules];

  // The widest patterns: installations each decides, among patterns naming a licensed product.
  const normalizer = new Normalizer(rules.map((r) => parseRow('normalization', String(r.id), r) as NormalizationRule));
  const memo = new Map<string, string | null>();
  const byRule = new Map<string, number>();
  for (const i of estate.installations) {
    const key = `${i.publisher}\u0001${i.product}`;
    let rule = memo.get(key);
    if (rule === undefined) memo.set(key, (rule = normalizer.normalize(normShared(i.publisher), normShared(i.product)).productRule as string | null));
    if (rule !== null) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  }
  const ruleById = new Map(rules.map((r) => [String(r.id), r]));
  const licensed = new Map(estate.entitlements.map((e) => [`${String(e.publisher).toLowerCase()}|${String(e.product).toLowerCase()}`, String(e.id)]));
  const widest = [...byRule].flatMap(([id, n]) => {
    const r = ruleById.get(id)!;
    const entitlement = licensed.get(`${String(r.publisher).toLowerCase()}|${String(r.toProduct).toLowerCase()}`);
    return r.kind === 'pattern' && entitlement ? [{ id, installations: n, entitlement, toProduct: String(r.toProduct) }] : [];
  }).sort((a, b) => b.installations - a.installations).slice(0, rounds);

  const doc = createWorkbookDoc({ name: 'Raw estate (bench)' });
  const sheets: Record<string, RawRow[]> = Object.fromEntries(SHEETS.map((s) => [s, []]));
  Object.assign(sheets, { devices: estate.devices, installations: estate.installations, entitlements: estate.entitlements, normalization: rules });
  importWorkbook(doc, { settings: { asOf: TODAY }, sheets });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  args.log(`  ${estate.installations.length} installations, ${rules.length} rules; document ${(state.length / 1e6).toFixed(1)} MB`);

  const served = await serveBench(path.join(ROOT, 'dist'), state, 'bench-raw.bin');
  const { server, browser, statePath } = served;
  const figures: Record<string, unknown> = { machine: { cpus: os.cpus().length }, loadAverage: [ms(os.loadavg()[0])] };
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    collectErrors(page, errors);
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(server.url);
    await preloadLocalWorkspace(page, { stateUrl: '/bench-raw.bin', id: 'raw', name: 'Raw estate (bench)' });
    fs.rmSync(statePath);

    args.log('opening the workspace…');
    await page.goto(`${server.url}/#/w/raw`);
    await page.waitForFunction(() => (window as any).reckon?.results.ready[0](), undefined, { polling: 200, timeout: 900_000 });
    // The worker warms its edit indexes in the background once the results are out (~10 s here).
    await page.waitForTimeout(30_000);
    await page.click('[data-tab="entitlements"]');

    args.log('editing the widest rules…');
    const samples = (await page.evaluate(async (list) => {
      const s = (window as any).reckon;
      const rulesRead = s.reader('normalization'), ents = s.reader('entitlements');
      const ruleKey = new Map<string, string>(rulesRead.keys().map((k: string) => [String(rulesRead.get(k, 'id')), k]));
      const entKey = new Map<string, string>(ents.keys().map((k: string) => [String(ents.get(k, 'id')), k]));
      const out: { what: string; id: string; installations: number; screenMs: number | null; patchMs: number | null }[] = [];
      let patchAt = 0;
      s.results.onPatch(() => { patchAt ||= performance.now(); });
      const fmt = new Intl.NumberFormat('en-US');
      const frame = () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 30)));
      let n = 0;
      for (const w of list) {
        const key = ruleKey.get(w.id)!, ek = entKey.get(w.entitlement)!;
        (window as any).reckonUi.reveal({ sheet: 'entitlements', key: ek, col: 'consumed' });
        await frame();
        await new Promise((res) => setTimeout(res, 300));
        const sel = `.sheet[data-sheet="entitlements"] .ag-row[row-id="${ek}"] .ag-cell[col-id="consumed"]`;
        const before = fmt.format(s.results.positionOfEntitlement(w.entitlement).consumed);
        const edit = async (what: string, value: string, shown: (text: string) => boolean) => {
          patchAt = 0;
          const t0 = performance.now();
          s.edit(() => s.doc.getMap('normalization/cells').set(`${key}\ttoProduct`, value));
          const ok = await new Promise<boolean>((resolve) => {
            const check = () => {
              const text = document.querySelector(sel)?.textContent ?? '';
              if (text !== '' && shown(text)) return resolve(true);
              if (performance.now() - t0 > 5000) return resolve(false);
              requestAnimationFrame(check);
            };
            check();
          });
          out.push({ what, id: w.id, installations: w.installations, screenMs: ok ? performance.now() - t0 : null, patchMs: patchAt ? patchAt - t0 : null });
          await new Promise((res) => setTimeout(res, 500));
        };
        await edit('product renamed', `Renamed ${n++}`, (text) => text !== before);
        await edit('name put back', w.toProduct, (text) => text === before);
      }
      return out;
    }, widest)) as { what: string; id: string; installations: number; screenMs: number | null; patchMs: number | null }[];
    const shown = samples.filter((x) => x.screenMs !== null).map((x) => x.screenMs!);
    const patches = samples.filter((x) => x.patchMs !== null).map((x) => x.patchMs!);
    figures.ruleEditToScreen = {
      edits: samples.length, notShownWithin5s: samples.length - shown.length,
      p50Ms: ms(pct(shown, 50)), p95Ms: ms(pct(shown, 95)), maxMs: ms(Math.max(...shown)),
      patchP50Ms: ms(pct(patches, 50)), patchP95Ms: ms(pct(patches, 95)), goalMs: 50,
    };
    figures.samples = samples.map((x) => ({ ...x, screenMs: x.screenMs === null ? null : ms(x.screenMs), patchMs: x.patchMs === null ? null : ms(x.patchMs) }));
    (figures.loadAverage as number[]).push(ms(os.loadavg()[0]));
    figures.consoleErrors = errors;
  } finally {
    await served.close();
  }
  console.log(args.asJson ? JSON.stringify(figures) : JSON.stringify(figures, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

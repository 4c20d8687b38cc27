// The demo workspace `npm start` opens: the DEMO estate (estate/) and the default normalization
// catalogue (catalogue/) imported into a fresh workbook document, deterministically (fixed Yjs client id and key clock, so every fresh start
// makes the same document), written once into the relay's store, then linked with an edit token.
// An existing demo workspace is left as people edited it.
//
// It ships one prepared scenario (worker/scenario/), shared on the relay as its own room: "Move the
// Oracle hosts into a cluster without live migration". The Oracle database VMs run on three of the
// four hosts of ORA-CL01, a cluster with live migration, which Oracle Processor licenses whole (4
// hosts); in a cluster without live migration only the hosts that carry the product count, so
// Database Enterprise Edition needs 24 processors fewer (1,140,000 USD of shortfall less) and
// WebLogic, on one host, 72 fewer.

import * as Y from 'yjs';
import { DEMO, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { addCatalogue } from '../worker/doc/catalogue';
import { KeyClock, setClock } from '../worker/doc/keys';
import { WorkbookReader } from '../worker/doc/reader';
import { initScenarioDoc } from '../worker/scenario/layout';
import { LayeredReader } from '../worker/scenario/reader';
import { addScenarioRow, setScenarioCell } from '../worker/scenario/edit';
import type { ServerHandle } from './app';

export const DEMO_WORKSPACE = 'demo';
/** The demo's Yjs client id and key time: fixed so the document is the same on every machine. */
const DEMO_CLIENT = 0x5eed;
const DEMO_TIME = Date.UTC(2026, 10, 1);

export const DEMO_SCENARIO = 'demo-oracle-cluster';
export const DEMO_SCENARIO_NAME = 'Move the Oracle hosts into a cluster without live migration';
const DEMO_SCENARIO_CLIENT = 0x5eee;

/** The demo workbook as one Yjs update. */
export function demoUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = DEMO_CLIENT;
  setClock(doc, new KeyClock({ client: DEMO_CLIENT, now: () => DEMO_TIME }));
  createWorkbookDoc({ doc, name: 'Demo estate' });
  const wb = generateEstate(DEMO) as unknown as Record<string, unknown> & { settings: Record<string, unknown> };
  const sheets: Record<string, Record<string, unknown>[]> = {};
  for (const s of SHEETS) sheets[s] = (wb[s] as Record<string, unknown>[] | undefined) ?? [];
  importWorkbook(doc, { settings: wb.settings, sheets });
  // Like any new workspace, the demo starts with the default normalization catalogue.
  addCatalogue(doc);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * The prepared scenario of the demo as one Yjs update (a scenario document: only its changes). The
 * Oracle cluster's hosts move to a new cluster without live migration.
 */
export function demoScenarioUpdate(demo: Uint8Array = demoUpdate()): Uint8Array {
  const base = new Y.Doc();
  Y.applyUpdate(base, demo);
  const doc = new Y.Doc();
  doc.clientID = DEMO_SCENARIO_CLIENT;
  setClock(doc, new KeyClock({ client: DEMO_SCENARIO_CLIENT, now: () => DEMO_TIME + 86_400_000 }));
  initScenarioDoc(doc, { baseline: DEMO_WORKSPACE, baselineName: 'Demo estate', name: DEMO_SCENARIO_NAME, forkedAt: new Date(DEMO_TIME + 86_400_000).toISOString() });
  const r = new LayeredReader(new WorkbookReader(base), doc);
  const clusters = r.sheet('clusters').readAll();
  const oracle = clusters.rows.find((c) => String(c.name ?? '').startsWith('ORA-'));
  if (oracle) {
    addScenarioRow(r, 'clusters', { id: 'c900', name: `${String(oracle.name)}-PINNED`, mobility: false });
    const devices = r.sheet('devices').readAll();
    devices.rows.forEach((d, i) => {
      if (d.cluster === oracle.id) setScenarioCell(r, 'devices', devices.keys[i], 'cluster', 'c900');
    });
  }
  const update = Y.encodeStateAsUpdate(doc);
  r.destroy();
  doc.destroy();
  base.destroy();
  return update;
}

/** Seeds the demo's prepared scenario if it is not there yet; returns its link (edit, with a view token of the demo). */
export async function ensureDemoScenario(server: ServerHandle, workspace = DEMO_WORKSPACE): Promise<string> {
  const existing = await server.readWorkspace(DEMO_SCENARIO);
  if (existing === null || existing.length <= 2) await server.writeWorkspace(DEMO_SCENARIO, demoScenarioUpdate());
  const base = server.mintShareLink(workspace, 'view');
  return `${server.mintShareLink(DEMO_SCENARIO, 'edit').url}&base=${encodeURIComponent(base.token)}`;
}

/** Seeds the demo workspace if it is not there yet; returns its edit link. */
export async function ensureDemo(server: ServerHandle, workspace = DEMO_WORKSPACE): Promise<string> {
  const existing = await server.readWorkspace(workspace);
  if (existing === null || existing.length <= 2) await server.writeWorkspace(workspace, demoUpdate());
  return server.mintShareLink(workspace, 'edit').url;
}

/** The onStart hook of `npm start`: seed and print the demo link. */
export async function printDemo(server: ServerHandle): Promise<void> {
  const url = await ensureDemo(server);
  const scenario = await ensureDemoScenario(server);
  console.log(`\n  Reckon is running: ${server.url}\n  Demo workspace:    ${url}\n  Its scenario:      ${scenario}\n                     (${DEMO_SCENARIO_NAME})\n`);
}

// The demo workspace `npm start` opens: the DEMO estate (estate/) and the default normalization
// catalogue (catalogue/) imported into a fresh workbook document, deterministically (fixed Yjs client id and key clock, so every fresh start
// makes the same document), written once into the relay's store, then linked with an edit token.
// An existing demo workspace is left as people edited it.

import * as Y from 'yjs';
import { DEMO, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { addCatalogue } from '../worker/doc/catalogue';
import { KeyClock, setClock } from '../worker/doc/keys';
import type { ServerHandle } from './app';

export const DEMO_WORKSPACE = 'demo';
/** The demo's Yjs client id and key time: fixed so the document is the same on every machine. */
const DEMO_CLIENT = 0x5eed;
const DEMO_TIME = Date.UTC(2026, 10, 1);

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

/** Seeds the demo workspace if it is not there yet; returns its edit link. */
export async function ensureDemo(server: ServerHandle, workspace = DEMO_WORKSPACE): Promise<string> {
  const existing = await server.readWorkspace(workspace);
  if (existing === null || existing.length <= 2) await server.writeWorkspace(workspace, demoUpdate());
  return server.mintShareLink(workspace, 'edit').url;
}

/** The onStart hook of `npm start`: seed and print the demo link. */
export async function printDemo(server: ServerHandle): Promise<void> {
  const url = await ensureDemo(server);
  console.log(`\n  Reckon is running: ${server.url}\n  Demo workspace:    ${url}\n`);
}

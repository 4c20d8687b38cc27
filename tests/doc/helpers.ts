// Documents with fixed client ids and clocks, so keys (and so sheet order) are the same every run.

import * as Y from 'yjs';
import { KeyClock, setClock } from '../../worker/doc/keys';
import { createWorkbookDoc } from '../../worker/doc/open';

let tick = 1_700_000_000_000;

/** A new workbook document whose keys come from a deterministic clock. */
export function testDoc(client = 1): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = client;
  setClock(doc, new KeyClock({ client, now: () => tick++ }));
  return createWorkbookDoc({ doc });
}

/** A replica of `doc` (its state applied into a fresh doc with its own client id and clock). */
export function replicaOf(doc: Y.Doc, client: number): Y.Doc {
  const r = new Y.Doc();
  r.clientID = client;
  setClock(r, new KeyClock({ client, now: () => tick++ }));
  Y.applyUpdate(r, Y.encodeStateAsUpdate(doc));
  return r;
}

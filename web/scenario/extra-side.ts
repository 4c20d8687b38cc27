// A scenario's document opened beside another page: for the compare view, another scenario of the
// same baseline shown as a column group (attached to the baseline's worker as a side that is not
// the primary: the engine moves to its view on demand); for the merge, the scenario being applied.
// Its document comes from IndexedDB, and from its room when shared.

import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { applyJournal } from '../state/doc-store';
import { WebsocketProvider } from 'y-websocket';
import type { Patch } from '../../engine/changes';
import type { ScenarioAttachment, WorkerClient } from '../../worker/client';
import { isScenarioDoc } from '../../worker/scenario/layout';
import { dbName, type WorkspaceEntry } from '../state/workspaces';

export class ExtraSide {
  readonly doc = new Y.Doc();
  private readonly idb: IndexeddbPersistence;
  private readonly provider: WebsocketProvider;
  private attachment: ScenarioAttachment | null = null;
  private closed = false;

  constructor(readonly entry: WorkspaceEntry) {
    this.idb = new IndexeddbPersistence(dbName(entry.id), this.doc);
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    this.provider = new WebsocketProvider(base, entry.id, this.doc, { connect: false, params: entry.token ? { token: entry.token } : {}, maxBackoffTime: 2500 });
    this.provider.awareness.setLocalState(null);
    if (entry.token) this.provider.connect();
    else this.provider.connectBc();
  }

  /** Resolves once the scenario's document is here (IndexedDB, or the relay for a first visit); false if it is no scenario. */
  async ready(): Promise<boolean> {
    await this.idb.whenSynced;
    applyJournal(dbName(this.entry.id), this.doc);
    if (!isScenarioDoc(this.doc) && this.entry.token) {
      await new Promise<void>((resolve) => {
        const done = () => { this.provider.off('sync', done); resolve(); };
        this.provider.on('sync', done);
        setTimeout(done, 4000);
      });
    }
    return !this.closed && isScenarioDoc(this.doc);
  }

  /** Attaches the scenario to the worker once its document is here; false if it is no scenario. */
  async attach(worker: WorkerClient, onPatch: (patch: Patch) => void): Promise<boolean> {
    if (!(await this.ready())) return false;
    this.attachment = worker.attachScenario(this.entry.id, this.doc, { primary: false, onPatch });
    await this.attachment.ready;
    return !this.closed;
  }

  destroy(): void {
    this.closed = true;
    this.attachment?.close();
    this.provider.destroy();
    void this.idb.destroy();
    this.doc.destroy();
  }
}

// Savings through the worker (api.ts watchSavings / savingsEdits, Patch.savings): nothing is
// computed until a page watches; then the watched side's patches carry what changed; a scenario
// the engine rests on gets its own savings whole, and the baseline gets its own back when the
// scenario closes; the edits of a plan written into a scenario make its position compliant there.

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Patch } from '../../engine/changes';
import { importWorkbook } from '../../worker/doc/import';
import { setCell } from '../../worker/doc/edit';
import { WorkbookReader } from '../../worker/doc/reader';
import { createReckonService } from '../../worker/service';
import { LayeredReader } from '../../worker/scenario/reader';
import { applySavingsEdits } from '../../worker/scenario/savings';
import { TODAY } from '../doc/doc-harness';
import { testDoc } from '../doc/helpers';
import { forkDoc } from '../scenario/harness';

const VISIO = 'microsoft|visio|||per_device|||';
const WORKBOOK = {
  settings: { asOf: TODAY, currency: 'USD' },
  sheets: {
    entitlements: [{ id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 1, unitCost: 100 }],
    devices: [{ id: 'd1', lastSeen: '2026-10-30' }, { id: 'd2', lastSeen: '2026-10-30' }, { id: 's1', lastSeen: '2026-01-01' }],
    installations: [
      { id: 'i1', deviceId: 'd1', publisher: 'Microsoft', product: 'Visio' }, { id: 'i2', deviceId: 'd2', publisher: 'Microsoft', product: 'Visio' },
      { id: 'i3', deviceId: 's1', publisher: 'Microsoft', product: 'Visio' },
    ],
  },
};

describe('savings through the worker', () => {
  it('sent once watched, then as edits change them; a scenario the engine rests on gets its own', async () => {
    const doc = testDoc();
    importWorkbook(doc, WORKBOOK);
    const s = createReckonService();
    const base: Patch[] = [], scen: Patch[] = [];
    s.onPatch((p) => base.push(p));
    s.onScenarioPatch((_id, p) => scen.push(p));
    const first = await s.open(Y.encodeStateAsUpdate(doc), { today: TODAY });
    doc.on('update', (u: Uint8Array) => s.update(u));
    expect(first.savings).toBeUndefined();

    const all = s.watchSavings();
    expect(all.reset).toBe(true);
    expect(all.candidates.map((c) => c.id)).toEqual(['not-seen|s1|microsoft\u0001visio']);
    expect(all.whole).toMatchObject({ positions: [VISIO], shortfall: 2, reclaimed: 1, buyCost: 100, buyOnlyCost: 200, saving: 100 });

    // d2 not seen since January: one more candidate, in the next patch.
    const key = new WorkbookReader(doc).sheet('devices').readAll().keys[1];
    setCell(doc, 'devices', key, 'lastSeen', '2026-02-01');
    s.flush();
    const p = base.at(-1)!;
    expect(p.savings?.reset).toBe(false);
    expect(p.savings?.candidates.map((c) => c.id)).toEqual(['not-seen|d2|microsoft\u0001visio']);
    expect(p.savings?.whole).toMatchObject({ reclaimed: 2, buyCost: 0, saving: 200 });

    // A scenario the engine rests on: its page gets its savings whole; the plan's edits written in it.
    const sdoc = forkDoc(7);
    const layered = new LayeredReader(new WorkbookReader(doc), sdoc);
    const opened = s.openScenario('sc', Y.encodeStateAsUpdate(sdoc), { primary: true });
    expect(opened.savings?.reset).toBe(true);
    expect(opened.savings?.candidates).toHaveLength(2);
    sdoc.on('update', (u: Uint8Array) => s.updateScenario('sc', u));
    const edits = s.savingsEdits({ plan: VISIO });
    expect(edits.map((e) => e.op)).toEqual(['delete', 'delete']);
    expect(applySavingsEdits(layered, edits)).toBe(2);
    s.flush();
    const sp = scen.at(-1)!;
    expect(sp.positions.find((x) => x.key === VISIO)).toMatchObject({ status: 'compliant', consumed: 1, shortfall: 0 });
    expect(sp.savings?.reset).toBe(false);
    expect(sp.savings?.removedPlans).toEqual([VISIO]);
    expect(sp.savings?.removedCandidates.sort()).toEqual(['not-seen|d2|microsoft\u0001visio', 'not-seen|s1|microsoft\u0001visio']);
    expect(sp.savings?.whole.positions).toEqual([]);
    // The baseline is untouched; when the scenario closes its page gets the baseline's savings whole.
    const n = base.length;
    s.closeScenario('sc');
    expect(base.length).toBe(n + 1);
    expect(base.at(-1)!.savings).toMatchObject({ reset: true });
    expect(base.at(-1)!.savings!.candidates.map((c) => c.id).sort()).toEqual(['not-seen|d2|microsoft\u0001visio', 'not-seen|s1|microsoft\u0001visio']);
    s.close();
  });
});

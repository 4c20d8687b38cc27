import * as Y from 'yjs';
import { LARGE, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { workbookReader } from '../web/doc-adapter';
import { computeView } from '../worker/view';

const wb = generateEstate(LARGE) as any;
const doc = createWorkbookDoc({ name: 'x' });
const sheets: Record<string, Record<string, unknown>[]> = {};
for (const s of SHEETS) sheets[s] = wb[s] ?? [];
importWorkbook(doc, { settings: wb.settings, sheets });
const reader = workbookReader(doc);
const chunks = (reader as any).sheet('installations').chunksInKeyOrder?.() ;
console.error('columns', [...(chunks ?? [])][0]?.columns);
for (const [name, req] of [
  ['sort product', { sort: [{ colId: 'product', sort: 'asc' }], filter: {}, quick: '', columns: [] }],
  ['quick', { sort: [], filter: {}, quick: 'windows', columns: ['product', 'publisher', 'deviceId', 'id'] }],
] as const) {
  for (let i = 0; i < 3; i++) {
    (globalThis as any).gc?.();
    const before = process.memoryUsage().heapUsed;
    const t = performance.now();
    const a = computeView(reader as any, 'installations', req as any);
    const ms = performance.now() - t;
    console.log(name, a.order.length, Math.round(ms), 'ms', 'heap +', Math.round((process.memoryUsage().heapUsed - before) / 1e6), 'MB');
  }
}

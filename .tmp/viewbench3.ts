import { LARGE, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { workbookReader } from '../web/doc-adapter';
import { readColumns, computeView } from '../worker/view';
const wb = generateEstate(LARGE) as any;
const doc = createWorkbookDoc({ name: 'x' });
const sheets: Record<string, Record<string, unknown>[]> = {};
for (const s of SHEETS) sheets[s] = wb[s] ?? [];
importWorkbook(doc, { settings: wb.settings, sheets });
const reader = workbookReader(doc) as any;
const cols = ['product', 'publisher', 'deviceId', 'id'];
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  readColumns(reader, 'installations', cols);
  const rc = performance.now() - t;
  t = performance.now();
  const a = computeView(reader, 'installations', { sort: [], filter: {}, quick: 'windows', columns: cols });
  console.log('readColumns(4)', Math.round(rc), 'quick', Math.round(performance.now() - t), a.order.length);
}

import { LARGE, generateEstate } from '../estate/generate';
import { SHEETS } from '../engine/schema';
import { createWorkbookDoc } from '../worker/doc/open';
import { importWorkbook } from '../worker/doc/import';
import { workbookReader } from '../web/doc-adapter';
import { readColumns } from '../worker/view';
import { decodeChunk } from '../worker/doc/chunk';

const wb = generateEstate(LARGE) as any;
const doc = createWorkbookDoc({ name: 'x' });
const sheets: Record<string, Record<string, unknown>[]> = {};
for (const s of SHEETS) sheets[s] = wb[s] ?? [];
importWorkbook(doc, { settings: wb.settings, sheets });
const reader = workbookReader(doc);
const chunks = [...(reader as any).sheet('installations').chunksInKeyOrder()];
console.log('chunks', chunks.length, 'rows/chunk', chunks[0].n, 'bytes', chunks[0].data.length);
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  for (const c of chunks) decodeChunk(c);
  const dec = performance.now() - t;
  t = performance.now();
  for (const c of chunks) JSON.parse(c.data);
  const parse = performance.now() - t;
  t = performance.now();
  readColumns(reader as any, 'installations', ['product']);
  console.log('decode all', Math.round(dec), 'JSON.parse', Math.round(parse), 'readColumns(product)', Math.round(performance.now() - t));
}
import { decodeColumns } from '../worker/doc/chunk-index';
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  for (const c of chunks) decodeColumns(c, new Set(['product']));
  console.log('decodeColumns(product)', Math.round(performance.now() - t));
  t = performance.now();
  for (const c of chunks) decodeColumns(c, new Set(['nothing']));
  console.log('decodeColumns(nothing)', Math.round(performance.now() - t));
}

// What a group of positions that share rows costs (issue 21, "Overlapping positions"): one
// publisher and metric with 5,000 named products (every seventh versioned) beside one `*` right,
// 200k installations on 20k devices. Prints load + result, 50 quantity edits, and adding a `*` right.
//   npx tsx bench/overlap-group.ts [--json]

import { Engine } from '../engine/engine';
import type { RawRow } from '../engine/cells';

const PRODUCTS = 5000, INSTALLATIONS = 200_000, DEVICES = 20_000;
const entitlements: RawRow[] = Array.from({ length: PRODUCTS }, (_, k) => ({
  id: `e${k}`, publisher: 'Big', product: `p${k}`, metric: 'per_device', quantity: 10, ...(k % 7 === 0 ? { version: '2' } : {}),
}));
entitlements.push({ id: 'star', publisher: 'Big', product: '*', metric: 'per_device', quantity: 1000 });
const devices = Array.from({ length: DEVICES }, (_, k) => ({ id: `d${k}` }));
const installations = Array.from({ length: INSTALLATIONS }, (_, k) => ({
  id: `i${k}`, deviceId: `d${k % DEVICES}`, publisher: 'Big', product: `p${k % (PRODUCTS + 100)}`, version: k % 3 === 0 ? '2' : '1',
}));

const ms = (t: number) => Math.round(performance.now() - t);
let t = performance.now();
const engine = new Engine({ today: '2026-11-01', incremental: true });
engine.load({ asOf: '2026-11-01' }, { entitlements: { rows: entitlements }, devices: { rows: devices }, installations: { rows: installations } });
engine.result();
const loadMs = ms(t);
t = performance.now();
for (let k = 0; k < 50; k++) {
  engine.apply([{ kind: 'cellChanged', sheet: 'entitlements', key: k * 7, column: 'quantity', value: k }], (_s, key) => ({ ...entitlements[key as number], quantity: k }));
}
const editMs = ms(t) / 50;
t = performance.now();
engine.apply([{ kind: 'rowAdded', sheet: 'entitlements', key: PRODUCTS + 1, cells: { id: 'new', publisher: 'Big', product: '*', metric: 'per_device', quantity: 1, company: 'x' } }], () => undefined);
const addMs = ms(t);
const figures = { products: PRODUCTS, installations: INSTALLATIONS, loadAndResultMs: loadMs, quantityEditMs: editMs, addStarRightMs: addMs };
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures)}\n`);
else console.log(figures);

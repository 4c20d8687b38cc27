// Property: the unlicensed products of a fresh load (Unlicensed.countAll, one pass in sheet order)
// are those of the rule read installation by installation (Unlicensed.isUnlicensed, what edits
// use): per product, how many installations and on how many devices, named by the first of them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import { Engine } from '../../engine/engine';
import type { Device } from '../../engine/rows';
import { SHEETS, type SheetName } from '../../engine/schema';
import { Unlicensed } from '../../engine/unlicensed';
import { denseWorkbookArb } from '../helpers/random-workbook';

function loaded(sheets: Record<SheetName, RawRow[]>): Engine {
  const engine = new Engine({ today: '2026-11-01' });
  engine.load({}, Object.fromEntries(SHEETS.map((s) => [s, { rows: sheets[s] }])));
  return engine;
}

/** The unlicensed products, installation by installation. */
function byRule(engine: Engine) {
  const rule = new Unlicensed();
  const out = new Map<string, { publisher: string; product: string; installations: number; devices: Set<Device> }>();
  for (const i of engine.store.rows('installations')) {
    if (!rule.isUnlicensed(engine.world, i)) continue;
    let u = out.get(i.productKey);
    if (!u) out.set(i.productKey, (u = { publisher: i.publisherName, product: i.productName, installations: 0, devices: new Set() }));
    u.installations++;
    u.devices.add(i.device!);
  }
  return [...out.values()].map((u) => ({ publisher: u.publisher, product: u.product, installations: u.installations, devices: u.devices.size }));
}

const sorted = <T extends { publisher: string; product: string }>(list: T[]) =>
  [...list].sort((a, b) => (a.publisher + a.product < b.publisher + b.product ? -1 : 1));

describe('unlicensed products of a fresh load', () => {
  it('are those of the rule, installation by installation, in any row order (seeded)', () => {
    fc.assert(fc.property(denseWorkbookArb().chain((wb) => fc.shuffledSubarray(wb.installations, { minLength: wb.installations.length })
      .map((installations) => ({ ...wb, installations }))), (wb) => {
      const engine = loaded(wb as unknown as Record<SheetName, RawRow[]>);
      expect(sorted(engine.result().unlicensed)).toEqual(sorted(byRule(engine)));
    }), { seed: 20261123, numRuns: 400 });
  });

  it('a device counts once for a product whose installations on it are not side by side', () => {
    const sheets = Object.fromEntries(SHEETS.map((s) => [s, []])) as unknown as Record<SheetName, RawRow[]>;
    sheets.devices = [{ id: 'd1' }, { id: 'd2' }];
    sheets.installations = [
      { id: 'i1', deviceId: 'd1', publisher: 'Acme', product: 'A' },
      { id: 'i2', deviceId: 'd1', publisher: 'Acme', product: 'B' },
      { id: 'i3', deviceId: 'd1', publisher: 'Acme', product: 'A' },
      { id: 'i4', deviceId: 'd2', publisher: 'Acme', product: 'A' },
      { id: 'i5', deviceId: 'd1', publisher: 'Acme', product: 'A' },
    ];
    expect(sorted(loaded(sheets).result().unlicensed)).toEqual([
      { publisher: 'Acme', product: 'A', installations: 4, devices: 2 },
      { publisher: 'Acme', product: 'B', installations: 1, devices: 1 },
    ]);
  });
});

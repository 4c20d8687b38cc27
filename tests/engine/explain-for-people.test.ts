// The explanation for people (Engine.explain): each line names the device, user or cluster its ref
// names, and carries the flags its unit raised, while results keep the three fields of workbook.md.

import { expect, test } from 'vitest';
import { Engine } from '../../engine/engine';
import { dev, ent, installs } from './table';

test('explain names rows and marks the lines that raised a flag; results do not', () => {
  const e = new Engine({ today: '2026-11-01' });
  e.load({}, {
    devices: { rows: [{ ...dev('d1'), name: 'lab-pc-1' }, { ...dev('d2'), name: 'lab-pc-2' }] },
    installations: { rows: installs('d1', 'd1', 'd2') },
    entitlements: { rows: [ent('e1', 'per_copy_per_device', 10)] },
  });
  const r = e.result({ contributions: true });
  const p = r.positions[0];
  expect(p.flags).toEqual(['copies-exceeded']);
  for (const c of p.contributions!) expect(Object.keys(c).sort()).toEqual(['amount', 'ref', 'why']);
  const lines = e.explain(p.key);
  expect(lines.find((c) => c.ref === 'devices/d1')).toMatchObject({ name: 'lab-pc-1', flags: ['copies-exceeded'] });
  const d2 = lines.find((c) => c.ref === 'devices/d2')!;
  expect(d2.name).toBe('lab-pc-2');
  expect(d2.flags).toBeUndefined();
});

// Import profiles and reference matching (io/profiles.ts, io/matching.ts, io/batch.ts) on small
// sample exports written in each tool's layout (tests/io/samples): the profile each header is
// recognised as, its columns mapped and values typed, references matched by name, host name,
// FQDN, serial number, email and login, what could not be resolved counted with examples, and the
// count before anything is written equal to the problems reconciliation then reports.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import { Engine } from '../../engine/engine';
import { SHEETS } from '../../engine/schema';
import { textSource } from '../../io/bytes';
import { NO_EXISTING, stageBatch, type BatchTable, type Existing } from '../../io/batch';
import { ReferenceIndex } from '../../io/matching';
import { openTables } from '../../io/open';
import { detectProfile, looseDate, propose } from '../../io/profiles';
import type { Table } from '../../io/table';
import { workbookFromTables, type TableReport } from '../../io/workbook';

const SAMPLES = join(__dirname, 'samples');
const sample = (name: string) => textSource(name, readFileSync(join(SAMPLES, name), 'utf8'));
const tablesOf = (...names: string[]) => openTables(names.map(sample));

/** Stages tables as an import of them into a workspace holding `existing` would. */
async function imported(tables: Table[], existing: Existing = NO_EXISTING) {
  const batch: BatchTable[] = tables.map((t) => ({ table: t, mapping: propose(t.sheetHint, t.header).mapping, mode: 'add' }));
  const rows = new Map<BatchTable, RawRow[]>();
  const results = await stageBatch(batch, existing, (b) => {
    const list: RawRow[] = [];
    rows.set(b, list);
    return { onRows: (r) => list.push(...r) };
  });
  return { results, rows: batch.map((b) => rows.get(b)!) };
}

describe('import profiles', () => {
  const expected: [string, string, string][] = [
    ['configmgr-arp.csv', 'configmgr-arp', 'installations'],
    ['servicenow-sw-install.csv', 'servicenow-sw-install', 'installations'],
    ['servicenow-hardware.csv', 'servicenow-hardware', 'devices'],
    ['servicenow-entitlements.csv', 'servicenow-entitlements', 'entitlements'],
    ['lansweeper.csv', 'lansweeper', 'installations'],
    ['intune-discovered-apps.csv', 'intune-discovered-apps', 'installations'],
    ['flexera-snow.csv', 'flexera-snow', 'installations'],
  ];

  it.each(expected)('%s is recognised as %s, for %s', async (file, id, sheet) => {
    const [t] = await tablesOf(file);
    const p = propose(t.sheetHint, t.header);
    expect(p.profile?.id).toBe(id);
    expect(p.sheet).toBe(sheet);
    expect(p.mapping.profile).toBe(id);
  });

  it('leaves Reckon\'s own files and unknown headers to the names (no profile)', async () => {
    for (const f of ['devices.csv', 'users.csv']) {
      const [t] = await tablesOf(f);
      expect(detectProfile(t.header), f).toBeUndefined();
      expect(propose(t.sheetHint, t.header).sheet).toBe(f.replace('.csv', ''));
    }
    expect(detectProfile(['id', 'deviceId', 'publisher', 'product', 'version', 'edition', 'userId'])).toBeUndefined();
  });

  it('maps and types Configuration Manager\'s columns: yyyymmdd dates, versions as text, DOMAIN\\login users', async () => {
    const tables = await tablesOf('devices.csv', 'users.csv', 'configmgr-arp.csv');
    const { results, rows } = await imported(tables);
    const arp = rows[2];
    expect(arp[0]).toMatchObject({ deviceId: 'd000545', product: 'Microsoft Office Professional Plus 2019 - en-us', publisher: 'Microsoft Corporation', version: '16.0.10827.20138', installDate: '2023-01-15', userId: 'u100', resourceId: 16777220 });
    expect(arp[3]).toMatchObject({ deviceId: 'd000547', userId: 'u102' });
    // MTY-DT-000999 is no device of the workspace: kept as it was, counted, named as an example.
    expect(arp[4].deviceId).toBe('MTY-DT-000999');
    // MTY-DT-000546 is the host part of the device named by its FQDN.
    expect(results[2].references.deviceId).toEqual({ matched: { name: 3, 'host name': 1 }, unresolved: 1, ambiguous: 0, examples: ['MTY-DT-000999'] });
    expect(results[2].references.userId).toEqual({ matched: { login: 4 }, unresolved: 0, ambiguous: 0, examples: [] });
    expect(results[2].problemCount).toBe(1);
  });

  it('maps ServiceNow installations: devices by name, host name and FQDN', async () => {
    const { results, rows } = await imported(await tablesOf('devices.csv', 'users.csv', 'servicenow-sw-install.csv'));
    const installs = rows[2];
    expect(installs.map((r) => r.deviceId)).toEqual(['d000545', 'd000546', 'd000548', 'unknown-host']);
    expect(installs[0]).toMatchObject({ id: 'a1f3c0de0001', installDate: '2023-05-02T09:14:00Z', version: '16.0.14332.20255', discoveryModel: 'Microsoft Visio Professional 2021' });
    expect(results[2].references.deviceId).toEqual({ matched: { name: 1, 'host name': 2 }, unresolved: 1, ambiguous: 0, examples: ['unknown-host'] });
    expect(results[2].problemCount).toBe(1);
  });

  it('maps ServiceNow hardware assets and software entitlements', async () => {
    const { results, rows } = await imported(await tablesOf('users.csv', 'servicenow-hardware.csv', 'servicenow-entitlements.csv'));
    const [, hardware, entitlements] = rows;
    // Asset tags are ids, CI names the names, states typed (6 = in stock), owners by email and name.
    expect(hardware.map((r) => [r.id, r.name, r.status, r.ownerId, r.serialNumber, r.modelCategory, r.site])).toEqual([
      ['P1000545', 'MTY-DT-000545', 'in use', 'u100', '5CG1234ABC', 'Computer', 'Monterrey'],
      ['P1000546', 'MTY-DT-000546', 'in stock', undefined, '5CG1234ABD', 'Computer', 'Monterrey'],
      ['P1000548', 'BER-SRV-0001', 'retired', 'u101', 'CZJ9120XYZ', 'Server', 'Berlin'],
    ]);
    expect(results[1].problemCount).toBe(0);
    // Entitlements: metric labels to ids, "1,250" to a number, dates to ISO; an unknown metric kept, and counted.
    expect(entitlements.map((r) => [r.id, r.product, r.metric, r.quantity, r.start, r.end])).toEqual([
      ['ENT0001001', 'Office Professional Plus', 'per_device', 1250, '2023-01-01', undefined],
      ['ENT0001002', 'Java SE', 'oracle_processor', 16, '2024-01-01', '2026-12-31'],
      ['ENT0001003', 'SPSS Statistics', 'authorized_user', 25, '2024-06-01', '2027-05-31'],
      ['ENT0001004', 'Acrobat Pro', 'Per Seat of Sorts', 10, '2024-01-01', undefined],
    ]);
    expect(results[2].problemColumns).toEqual({ metric: 1 });
  });

  it('maps Lansweeper and Intune exports: logins and emails to users', async () => {
    const tables = await tablesOf('devices.csv', 'users.csv', 'lansweeper.csv', 'intune-discovered-apps.csv');
    const { results, rows } = await imported(tables);
    expect(rows[2].map((r) => [r.deviceId, r.userId, r.installDate, r.lastSeen])).toEqual([
      ['d000545', 'u100', '2023-06-11', '2024-10-30T08:12:44Z'],
      ['d000545', 'u100', '2023-06-11', '2024-10-30T08:12:44Z'],
      ['d000547', 'u102', '2023-10-09', '2024-10-29T17:01:02Z'],
    ]);
    expect(rows[3].map((r) => [r.deviceId, r.userId, r.product, r.version])).toEqual([
      ['d000545', 'u100', 'Microsoft Teams', '24215.1007'],
      ['d000546', 'u101', 'Zoom Workplace', '6.2.5'],
    ]);
    expect(results[3].references.userId.matched).toEqual({ email: 2 });
  });

  it('matches the issue\'s vendor file: names, FQDN, serial numbers; full names and logins; the rest counted', async () => {
    const tables = await tablesOf('devices.csv', 'users.csv', 'flexera-snow.csv');
    const { results, rows } = await imported(tables);
    expect(rows[2].map((r) => [r.deviceId, r.userId])).toEqual([
      ['d000545', 'u100'], ['d000546', 'u101'], ['d000547', 'u102'], ['MTY-DT-000999', 'someone.else'],
    ]);
    expect(results[2].references.deviceId).toEqual({ matched: { name: 2, 'serial number': 1 }, unresolved: 1, ambiguous: 0, examples: ['MTY-DT-000999'] });
    expect(results[2].references.userId).toEqual({ matched: { name: 1, login: 2 }, unresolved: 1, ambiguous: 0, examples: ['someone.else'] });
    expect(results[2].problemCount).toBe(2);
  });
});

describe('reference matching', () => {
  it('tries the id, then names, then host names and email local parts, then serial numbers; two rows in a tier are ambiguous', () => {
    const ix = new ReferenceIndex();
    ix.addAll('devices', [
      { id: 'D1', name: 'web-01.corp.example', serialNumber: 'S-1' },
      { id: 'd2', name: 'web-01.dmz.example' },
      { id: 'd3', name: 'S-1' },
      { id: 'd4', name: '10.0.0.5' },
    ]);
    expect(ix.resolve('devices', 'd1')).toEqual({ id: 'D1', via: 'id' });
    expect(ix.resolve('devices', 'WEB-01.CORP.EXAMPLE')).toEqual({ id: 'D1', via: 'name' });
    expect(ix.resolve('devices', 'web-01')).toEqual({ id: null, why: 'ambiguous' });
    expect(ix.resolve('devices', 's-1')).toEqual({ id: 'd3', via: 'name' }); // a name beats a serial number
    expect(ix.resolve('devices', '10.0.0.5')).toEqual({ id: 'd4', via: 'name' });
    expect(ix.resolve('devices', '10')).toEqual({ id: null, why: 'not found' }); // an IP address has no host part
    ix.addAll('users', [{ id: 'u1', name: 'Ana Ortiz', email: 'Ana.Ortiz@example.com' }, { id: 'u2', login: 'bokafor' }]);
    expect(ix.resolve('users', 'ana.ortiz')).toEqual({ id: 'u1', via: 'login' });
    expect(ix.resolve('users', 'EXAMPLE\\bokafor')).toEqual({ id: 'u2', via: 'login' });
    expect(ix.resolve('users', 'bokafor@example.com')).toEqual({ id: 'u2', via: 'login' });
    expect(ix.resolve('modelCategoryName', 'Computer')).toEqual({ id: 'Computer', via: 'name' });
    ix.add('modelCategoryName', { id: 'm1', name: 'Kiosk' });
    expect(ix.resolve('modelCategoryName', 'kiosk')).toEqual({ id: 'Kiosk', via: 'name' });
    // An FQDN cell finds a device named by its short name.
    expect(ix.resolve('devices', '10.0.0.5')).toEqual({ id: 'd4', via: 'name' });
  });

  it('reads loose dates: yyyymmdd and "yyyy-mm-dd hh:mm:ss"', () => {
    expect(looseDate('20230115')).toBe('2023-01-15');
    expect(looseDate('2024-10-30 08:12:44.000')).toBe('2024-10-30T08:12:44Z');
    expect(looseDate('2024-10-30 00:00:00')).toBe('2024-10-30');
    expect(looseDate('15/01/2023')).toBe('15/01/2023');
  });
});

describe('the count before an import', () => {
  it('equals the problems reconciliation reports for the imported rows, against a workspace, duplicates included', async () => {
    // The workspace: the sample devices and users, and an installation "i-dup" the import repeats.
    const [devices, users] = await tablesOf('devices.csv', 'users.csv');
    const workspace = await workbookFromTables([devices, users]);
    const existingInstall = { id: 'I-DUP', deviceId: 'd000545', publisher: 'X', product: 'Y' };
    const existing: Existing = {
      rows: { devices: workspace.devices as RawRow[], users: workspace.users as RawRow[] },
      ids: { installations: ['i-dup'] },
    };
    const csv = 'id,Computer Name,Manufacturer,Display Name,Version,Last Used By,Install Date\n'
      + 'i1,MTY-DT-000545,Microsoft Corporation,Visio,1,Ana Ortiz,2023-09-14\n'
      + 'i2,nowhere,Microsoft Corporation,Visio,1,,not a date\n'
      + 'i-dup,MTY-DT-000546,Microsoft Corporation,Visio,1,bokafor,\n'
      + 'i2,BER-SRV-0002,Contoso,Viewer,1,nobody,\n'
      + ',MTY-DT-000545,Contoso,Viewer,1,cwei,\n';
    const [installs] = await openTables([textSource('installs.csv', csv)]);
    const check = await stageBatch([{ table: installs, mapping: propose(installs.sheetHint, installs.header).mapping, mode: 'add' }], existing, () => ({ countOnly: true }));
    const { results, rows } = await imported([installs], existing);
    expect(check[0].problemCount).toBe(results[0].problemCount);
    expect(results[0].problemCount).toBe(5); // nowhere, nobody, i-dup, i2 again, a blank id

    // Reconciliation of the workspace with the rows added after its own.
    const engine = new Engine({ today: '2026-11-01' });
    engine.load({}, Object.fromEntries(SHEETS.map((s) => [s, {
      rows: s === 'installations' ? [existingInstall, ...rows[0]] : ((workspace[s] ?? []) as RawRow[]),
    }])));
    const reported = engine.result().problems.filter((p) => p.sheet === 'installations' && p.key !== 0);
    expect(reported).toHaveLength(results[0].problemCount);
  });

  it('a whole import through workbookFromTables reports each table\'s profile and matches', async () => {
    const report: TableReport[] = [];
    const wb = await workbookFromTables(await tablesOf('devices.csv', 'users.csv', 'flexera-snow.csv'), { report });
    expect(report.map((r) => [r.label, r.sheet, r.profile, r.rows, r.problemCount])).toEqual([
      ['devices.csv', 'devices', undefined, 5, 0],
      ['users.csv', 'users', undefined, 3, 0],
      ['flexera-snow.csv', 'installations', 'Flexera / Snow-style installations export', 4, 2],
    ]);
    expect((wb.installations ?? []).map((r) => r!.deviceId)).toEqual(['d000545', 'd000546', 'd000547', 'MTY-DT-000999']);
  });
});

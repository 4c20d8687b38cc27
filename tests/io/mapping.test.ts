// Column and sheet mapping: the names ServiceNow, Flexera and BMC exports use become our columns,
// compared ignoring case, spaces and punctuation; custom fields stay unknown columns.

import { describe, expect, it } from 'vitest';
import { autoMapping, guessSheet, mappingProblem } from '../../io/mapping';
import { textSource } from '../../io/bytes';
import { openCsv } from '../../io/csv/read';
import { stageTable } from '../../io/stage';

const mapped = (sheet: Parameters<typeof autoMapping>[0], header: string[]) =>
  Object.fromEntries(header.map((h, i) => [h, autoMapping(sheet, header).targets[i]]));

describe('automatic column mapping', () => {
  it('maps vendor names of entitlements', () => {
    expect(mapped('entitlements', ['Number', 'Publisher', 'Product', 'Purchased rights', 'License metric', 'Start date', 'Expiration date', 'Unit cost'])).toEqual({
      Number: 'id', Publisher: 'publisher', Product: 'product', 'Purchased rights': 'quantity', 'License metric': 'metric',
      'Start date': 'start', 'Expiration date': 'end', 'Unit cost': 'unitCost',
    });
    expect(mapped('entitlements', ['RIGHTS', 'manufacturer', 'software'])).toEqual({ RIGHTS: 'quantity', manufacturer: 'publisher', software: 'product' });
  });

  it('maps ServiceNow computer exports, keeping u_ fields as unknown columns', () => {
    const header = ['Name', 'Serial number', 'Model category', 'Install status', 'Processor count', 'Core count', 'Assigned to', 'Manufacturer', 'u_cost_center', 'Location'];
    expect(mapped('devices', header)).toEqual({
      Name: 'name', 'Serial number': 'id', 'Model category': 'modelCategory', 'Install status': 'status', 'Processor count': 'cpus',
      'Core count': 'cores', 'Assigned to': 'ownerId', Manufacturer: 'hardwareManufacturer', u_cost_center: 'u_cost_center', Location: 'site',
    });
  });

  it('maps installations: configuration item, display name, used by', () => {
    expect(mapped('installations', ['Configuration item', 'Publisher', 'Display name', 'Version', 'Used by'])).toEqual({
      'Configuration item': 'deviceId', Publisher: 'publisher', 'Display name': 'product', Version: 'version', 'Used by': 'userId',
    });
    expect(mapped('installations', ['configuration_item', 'PUBLISHER', 'product-name', 'Assigned to'])).toEqual({
      configuration_item: 'deviceId', PUBLISHER: 'publisher', 'product-name': 'product', 'Assigned to': 'userId',
    });
  });

  it('prefers our own name over a synonym, and keeps the loser', () => {
    const m = autoMapping('devices', ['Display name', 'name', 'CPUs']);
    expect(m.targets).toEqual(['Display name', 'name', 'cpus']);
  });

  it('takes the id from the name for named sheets without an id column', () => {
    const m = autoMapping('devices', ['Name', 'CPU count']);
    expect(m.idFrom).toBe(0);
    expect(autoMapping('installations', ['Configuration item', 'Software']).idFrom).toBe(-1);
  });

  it('reports a mapping that sends two columns to one', () => {
    expect(mappingProblem({ sheet: 'devices', targets: ['cpus', 'cpus'], idFrom: -1 }, ['a', 'b'])).toMatch(/both become "cpus"/);
  });
});

describe('sheet guessing', () => {
  it('by file or worksheet name', () => {
    expect(guessSheet('devices', [])).toBe('devices');
    expect(guessSheet('Devices', [])).toBe('devices');
    expect(guessSheet('cmdb_ci_computer', [])).toBe('devices');
    expect(guessSheet('cmdb_sam_sw_install', [])).toBe('installations');
    expect(guessSheet('alm_license', [])).toBe('entitlements');
    expect(guessSheet('Model categories', [])).toBe('modelCategories');
    expect(guessSheet('settings', [])).toBe('settings');
  });

  it('by header when the name says nothing', () => {
    expect(guessSheet('export (3)', ['Configuration item', 'Publisher', 'Display name', 'Version'])).toBe('installations');
    expect(guessSheet('export', ['Processor count', 'Core count', 'Model category', 'Name'])).toBe('devices');
    expect(guessSheet('export', ['foo'])).toBeUndefined();
  });
});

describe('staging', () => {
  it('types CSV text per column and reports the engine\'s cell problems', async () => {
    const t = await openCsv(textSource('cmdb_ci_computer.csv', 'Name;Processor count;Core count;Is virtual;Install status;u_note\nsrv1;2;abc;yes;Installed;0012\nsrv2;1,5;8;no;Retired;7\n'));
    const m = autoMapping('devices', t.header);
    const r = await stageTable(t, m, { decimalComma: false });
    expect(r.preview).toEqual([
      { id: 'srv1', name: 'srv1', cpus: 2, cores: 'abc', virtual: true, status: 'in use', u_note: '0012' },
      { id: 'srv2', name: 'srv2', cpus: '1,5', cores: 8, virtual: false, status: 'retired', u_note: 7 },
    ]);
    expect(r.problems.map((p) => `${p.rowId}/${p.column}: ${p.message}`)).toEqual([
      'srv1/cores: cores must be a whole number ≥ 0, got "abc"',
      'srv2/cpus: cpus must be a whole number ≥ 0, got "1,5"',
    ]);
  });
});

// Hardware asset licensing (ham.md): categories, walks, custom categories, opt-in, license
// version, entitlements, solution priority and operational technology.

import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import type { HamCategoryResult } from '../../engine/ham/ham';
import { hamCategory } from '../helpers/workbook';
import { reckon, type Sheets } from './table';

interface HamCase {
  name: string;
  why: string;
  sheets: Sheets;
  /** Per category: the fields expected, or null for "no assets counted there". */
  categories: Record<string, Partial<HamCategoryResult> | null>;
  totalUnits?: number;
  otTotalUnits?: number;
}

let seq = 0;
/** n assets of a model category. */
const assets = (n: number, modelCategory: string, more: RawRow = {}): RawRow[] =>
  Array.from({ length: n }, () => ({ id: `a${++seq}`, name: `A${seq}`, modelCategory, ...more }));
const cat = (id: string, name: string, more: RawRow = {}): RawRow => ({ id, name, ...more });

const cases: HamCase[] = [
  {
    name: 'default ratios, rounded up per category',
    why: '9 Computer /4 → 3; 1 Server → 1; 6 IP Router /5 → 2; 16 Monitor /15 → 2; 4 Storage Device /3 → 2; 10 Printer → 1; 1 Hardware → 1; 2 Card (TNI) → 2; 11 Mobile Device /10 → 2: total 16',
    sheets: {
      devices: [
        ...assets(9, 'Computer'), ...assets(1, 'AIX Server'), ...assets(6, 'IP Router'), ...assets(16, 'Monitor'), ...assets(4, 'Storage Device'),
        ...assets(10, 'Printer'), ...assets(1, 'Hardware'), ...assets(2, 'Card'), ...assets(11, 'Mobile Device'),
      ],
    },
    categories: {
      'End User Computers': { assets: 9, ratio: 4, units: 3, solution: 'ham', optedIn: true },
      Servers: { assets: 1, ratio: 1, units: 1 }, 'Network Gear': { assets: 6, ratio: 5, units: 2 }, Monitors: { assets: 16, ratio: 15, units: 2 },
      Storage: { assets: 4, ratio: 3, units: 2 }, Printers: { assets: 10, ratio: 10, units: 1 }, 'Unclassified hardware': { assets: 1, ratio: 1, units: 1 },
      'Telecom Network Inventory': { assets: 2, ratio: 1, units: 2, solution: 'ham' }, 'Mobile Device': { assets: 11, ratio: 10, units: 2, solution: 'ham' },
    },
    totalUnits: 16,
    otTotalUnits: 0,
  },
  {
    name: 'retired, disposed and blank categories never count',
    why: '2 Computers count; a retired, a disposed and a blank-category asset do not → EUC 2 assets, 1 unit',
    sheets: { devices: [...assets(2, ' computer '), ...assets(1, 'Computer', { status: 'retired' }), ...assets(1, 'Computer', { status: 'Disposed' }), ...assets(1, '')] },
    categories: { 'End User Computers': { assets: 2, units: 1 }, 'Unclassified hardware': null },
    totalUnits: 1,
  },
  {
    name: 'walk up through parents',
    why: 'Ultrabook → Laptop → Computer: 2 Ultrabook + 1 Laptop + 1 Computer = 4 EUC → 1 unit',
    sheets: {
      modelCategories: [cat('m1', 'Laptop', { parent: 'Computer' }), cat('m2', 'Ultrabook', { parent: 'laptop' })],
      devices: [...assets(2, 'Ultrabook'), ...assets(1, 'Laptop'), ...assets(1, 'Computer')],
    },
    categories: { 'End User Computers': { assets: 4, units: 1 } },
    totalUnits: 1,
  },
  {
    name: 'the first mapped category on the walk decides',
    why: 'Monitor with parent Computer counts under Monitors only: Monitors 1, EUC 0',
    sheets: { modelCategories: [cat('m1', 'Monitor', { parent: 'Computer' })], devices: assets(1, 'Monitor') },
    categories: { Monitors: { assets: 1, units: 1 }, 'End User Computers': null },
    totalUnits: 1,
  },
  {
    name: 'custom categories off',
    why: 'customCategoryLicensing false: Laptop (custom, parent Computer) and Kiosk (custom, maps itself to EUC) do not count; 1 Computer does → 1',
    sheets: {
      settings: { customCategoryLicensing: false },
      modelCategories: [cat('m1', 'Laptop', { parent: 'Computer' }), cat('m2', 'Kiosk', { resourceCategory: 'End User Computers' })],
      devices: [...assets(3, 'Laptop'), ...assets(2, 'Kiosk'), ...assets(1, 'Computer')],
    },
    categories: { 'End User Computers': { assets: 1, units: 1 } },
    totalUnits: 1,
  },
  {
    name: 'custom category mapping itself; custom without parent or mapping',
    why: 'Kiosk maps itself to End User Computers (custom, licensing on) → 2 assets; Gadget (no parent, no mapping) never counts',
    sheets: {
      modelCategories: [cat('m1', 'Kiosk', { resourceCategory: 'end user computers' }), cat('m2', 'Gadget')],
      devices: [...assets(2, 'Kiosk'), ...assets(3, 'Gadget')],
    },
    categories: { 'End User Computers': { assets: 2, units: 1 }, 'Unclassified hardware': null },
    totalUnits: 1,
  },
  {
    name: 'override of an out-of-box mapping',
    why: 'a row maps Computer to Servers: 2 Computers count as Servers (2 units), none as EUC',
    sheets: { modelCategories: [cat('m1', 'Computer', { resourceCategory: 'Servers' })], devices: assets(2, 'Computer') },
    categories: { Servers: { assets: 2, units: 2 }, 'End User Computers': null },
    totalUnits: 2,
  },
  {
    name: 'opt-out with no fallback',
    why: 'Monitors opted out: a Monitor under Computer does not fall back to EUC; Servers opted out: App Server (custom under Linux Server) counts nowhere; 4 Computers → 1',
    sheets: {
      hamCategories: [{ id: 'h1', category: 'Monitors', optedIn: false }, { id: 'h2', category: 'servers', optedIn: 'no' }],
      modelCategories: [cat('m1', 'Monitor', { parent: 'Computer' }), cat('m2', 'App Server', { parent: 'Linux Server' })],
      devices: [...assets(3, 'Monitor'), ...assets(2, 'App Server'), ...assets(1, 'Linux Server'), ...assets(4, 'Computer')],
    },
    categories: { Monitors: null, Servers: null, 'End User Computers': { assets: 4, units: 1 } },
    totalUnits: 1,
  },
  {
    name: 'ratio override',
    why: 'End User Computers ratio 2: 9 computers → ⌈4.5⌉ = 5',
    sheets: { hamCategories: [{ id: 'h1', category: 'End User Computers', ratio: 2 }], devices: assets(9, 'Computer') },
    categories: { 'End User Computers': { assets: 9, ratio: 2, units: 5, optedIn: true } },
    totalUnits: 5,
  },
  {
    name: 'a hamCategories row with blank cells keeps the defaults',
    why: 'Servers row with ratio and optedIn blank: ratio 1, opted in → 2 servers = 2 units',
    sheets: { hamCategories: [{ id: 'h1', category: 'Servers', ratio: null, optedIn: '' }], devices: assets(2, 'HPUX Server') },
    categories: { Servers: { assets: 2, ratio: 1, units: 2, optedIn: true } },
    totalUnits: 2,
  },
  {
    name: 'license version 4',
    why: 'version 4: Monitors, Storage, Printers and Unclassified hardware not licensable; 4 Computers (1) + 1 Card (1) → 2',
    sheets: {
      settings: { hamLicenseVersion: 4 },
      devices: [...assets(4, 'Computer'), ...assets(1, 'Card'), ...assets(2, 'Monitor'), ...assets(2, 'Storage Device'), ...assets(2, 'Printer'), ...assets(2, 'Hardware')],
    },
    categories: { 'End User Computers': { units: 1 }, 'Telecom Network Inventory': { units: 1 }, Monitors: null, Storage: null, Printers: null, 'Unclassified hardware': null },
    totalUnits: 2,
  },
  {
    name: 'hamEntitlements limit what is licensable',
    why: 'only ham_computer_license: Computers 1 unit; Servers and Monitors 0; Unclassified hardware needs no entitlement → 2 units; total 3',
    sheets: {
      settings: { hamEntitlements: ['ham_computer_license'] },
      devices: [...assets(4, 'Computer'), ...assets(2, 'Linux Server'), ...assets(3, 'Monitor'), ...assets(2, 'Hardware')],
    },
    categories: { 'End User Computers': { units: 1 }, Servers: null, Monitors: null, 'Unclassified hardware': { assets: 2, units: 2 } },
    totalUnits: 3,
  },
  {
    name: 'solution priority ztm',
    why: 'hamSolutions [ztm] brings ham: Mobile Device under ztm; Servers and Computers under ham (no tni)',
    sheets: { settings: { hamSolutions: ['ztm'] }, devices: [...assets(1, 'Mobile Device'), ...assets(1, 'Windows Server'), ...assets(1, 'Computer')] },
    categories: { 'Mobile Device': { solution: 'ztm', units: 1 }, Servers: { solution: 'ham', units: 1 }, 'End User Computers': { solution: 'ham', units: 1 } },
    totalUnits: 3,
  },
  {
    name: 'solution priority tni',
    why: 'hamSolutions [tni]: Servers, Network Gear, TNI under tni; Mobile Device and Monitors under ham',
    sheets: { settings: { hamSolutions: ['tni'] }, devices: [...assets(1, 'Solaris Server'), ...assets(1, 'IP Switch'), ...assets(1, 'Telco equipment'), ...assets(1, 'Mobile Device'), ...assets(1, 'Monitor')] },
    categories: {
      Servers: { solution: 'tni' }, 'Network Gear': { solution: 'tni' }, 'Telecom Network Inventory': { solution: 'tni' },
      'Mobile Device': { solution: 'ham' }, Monitors: { solution: 'ham' },
    },
    totalUnits: 5,
  },
  {
    name: 'solution priority ztm + tni + ham',
    why: 'all three: Mobile ztm, Servers tni, Printers ham',
    sheets: { settings: { hamSolutions: ['ham', 'tni', 'ztm'] }, devices: [...assets(1, 'Mobile Device'), ...assets(1, 'Unix Server'), ...assets(1, 'Printer')] },
    categories: { 'Mobile Device': { solution: 'ztm' }, Servers: { solution: 'tni' }, Printers: { solution: 'ham' } },
  },
  {
    name: 'empty solution list means ham',
    why: 'hamSolutions [] → ["ham"]: Mobile Device and Servers under ham',
    sheets: { settings: { hamSolutions: [] }, devices: [...assets(1, 'Mobile Device'), ...assets(1, 'Unix Server')] },
    categories: { 'Mobile Device': { solution: 'ham' }, Servers: { solution: 'ham' } },
  },
  {
    name: 'hamEntitlements apply whichever solution licenses the category',
    why: 'tni installed but ham_server_license not entitled: Servers 0 (even under tni); Network Gear entitled → 1',
    sheets: {
      settings: { hamSolutions: ['tni'], hamEntitlements: ['ham_networkgear_license', 'ham_tni_license'] },
      devices: [...assets(2, 'Linux Server'), ...assets(3, 'IP Switch')],
    },
    categories: { Servers: null, 'Network Gear': { solution: 'tni', units: 1 } },
    totalUnits: 1,
  },
  {
    name: 'OT assets count under OT categories',
    why: '2 OT Linux Servers → OT Servers (otam, ratio 1) 2 units; 5 OT Computers → OT End User Computers ⌈5/4⌉ = 2; 1 OT Mobile Device → OT Mobile Devices 1; plain Server 1; totalUnits 1, otTotalUnits 5',
    sheets: {
      devices: [...assets(2, 'Linux Server', { ot: true }), ...assets(5, 'Computer', { ot: 'yes' }), ...assets(1, 'Mobile Device', { ot: 1 }), ...assets(1, 'Linux Server')],
    },
    categories: {
      'OT Servers': { assets: 2, ratio: 1, units: 2, solution: 'otam' }, 'OT End User Computers': { assets: 5, ratio: 4, units: 2, solution: 'otam' },
      'OT Mobile Devices': { assets: 1, ratio: 10, units: 1 }, Servers: { assets: 1, units: 1 }, 'End User Computers': null,
    },
    totalUnits: 1,
    otTotalUnits: 5,
  },
  {
    name: 'OT ignores HAM opt-in, entitlements and license version',
    why: 'version 4, Servers opted out, no entitlements: OT Monitors 1 (ratio 15), OT Servers 1, OT Printers 1, OT Storage 1, OT Unclassified Hardware 1, OT Network Gear 1 → otTotal 6; HAM total 0',
    sheets: {
      settings: { hamLicenseVersion: 4, hamEntitlements: ['ham_mobiledevice_license'] },
      hamCategories: [{ id: 'h1', category: 'Servers', optedIn: false }],
      devices: [
        ...assets(2, 'Monitor', { ot: true }), ...assets(1, 'Linux Server', { ot: true }), ...assets(1, 'Printer', { ot: true }),
        ...assets(1, 'Storage Device', { ot: true }), ...assets(1, 'Hardware', { ot: true }), ...assets(1, 'IP Router', { ot: true }),
      ],
    },
    categories: {
      'OT Monitors': { assets: 2, units: 1, ratio: 15 }, 'OT Servers': { units: 1 }, 'OT Printers': { units: 1 }, 'OT Storage': { units: 1 },
      'OT Unclassified Hardware': { units: 1 }, 'OT Network Gear': { units: 1, ratio: 5 }, Monitors: null, Servers: null,
    },
    totalUnits: 0,
    otTotalUnits: 6,
  },
  {
    name: 'OT categories have their own opt-in and ratio',
    why: 'OT Servers opted out → 0 (Servers stays opted in: 1 plain server); OT End User Computers ratio 2: 5 → 3',
    sheets: {
      hamCategories: [{ id: 'h1', category: 'OT Servers', optedIn: false }, { id: 'h2', category: 'OT End User Computers', ratio: 2 }],
      devices: [...assets(2, 'Linux Server', { ot: true }), ...assets(1, 'Linux Server'), ...assets(5, 'Computer', { ot: true })],
    },
    categories: { 'OT Servers': null, Servers: { assets: 1, units: 1 }, 'OT End User Computers': { assets: 5, ratio: 2, units: 3 } },
    totalUnits: 1,
    otTotalUnits: 3,
  },
  {
    name: 'TNI has no OT equivalent',
    why: 'an OT Card counts nowhere: Telecom Network Inventory 0 and no OT total',
    sheets: { devices: assets(2, 'Card', { ot: true }) },
    categories: { 'Telecom Network Inventory': null },
    totalUnits: 0,
    otTotalUnits: 0,
  },
  {
    name: 'a row for an out-of-box name is not custom',
    why: 'customCategoryLicensing false, a row gives Monitor the parent Computer: Monitor is still out-of-box → Monitors 1',
    sheets: { settings: { customCategoryLicensing: 'false' }, modelCategories: [cat('m1', 'Monitor', { parent: 'Computer' })], devices: assets(1, 'Monitor') },
    categories: { Monitors: { assets: 1, units: 1 }, 'End User Computers': null },
    totalUnits: 1,
  },
  {
    name: 'custom under custom: the first mapping on the walk',
    why: 'Rugged Tablet → Tablet (maps itself to Mobile Device) → Computer: counts under Mobile Device; in-stock assets count',
    sheets: {
      modelCategories: [cat('m1', 'Tablet', { parent: 'Computer', resourceCategory: 'Mobile Device' }), cat('m2', 'Rugged Tablet', { parent: 'Tablet' })],
      devices: [...assets(2, 'Rugged Tablet', { status: 'In Stock' }), ...assets(1, 'Tablet')],
    },
    categories: { 'Mobile Device': { assets: 3, units: 1 }, 'End User Computers': null },
    totalUnits: 1,
  },
  {
    name: 'a cycle of parents maps nowhere',
    why: 'Loop A → Loop B → Loop A, neither mapped: never counts (and the walk ends)',
    sheets: { modelCategories: [cat('m1', 'Loop A', { parent: 'Loop B' }), cat('m2', 'Loop B', { parent: 'Loop A' })], devices: assets(2, 'Loop A') },
    categories: {},
    totalUnits: 0,
    otTotalUnits: 0,
  },
  {
    // Ambiguity decided: customCategoryLicensing is not one of the HAM settings that OT ignores
    // (ham.md names opt-in, entitlement and license version), so it applies to OT assets too.
    name: 'OT asset in a custom category with custom licensing off',
    why: 'Laptop (custom, parent Computer), ot, licensing off → counts nowhere; an OT Computer → OT End User Computers 1',
    sheets: {
      settings: { customCategoryLicensing: false },
      modelCategories: [cat('m1', 'Laptop', { parent: 'Computer' })],
      devices: [...assets(2, 'Laptop', { ot: true }), ...assets(1, 'Computer', { ot: true })],
    },
    categories: { 'OT End User Computers': { assets: 1, units: 1 } },
    otTotalUnits: 1,
  },
  {
    name: 'an OT category keeps its HAM category\'s default ratio',
    why: 'End User Computers ratio overridden to 2 (9 → 5 units); OT End User Computers keeps 4: 9 OT → 3',
    sheets: { hamCategories: [{ id: 'h1', category: 'End User Computers', ratio: 2 }], devices: [...assets(9, 'Computer'), ...assets(9, 'Computer', { ot: true })] },
    categories: { 'End User Computers': { ratio: 2, units: 5 }, 'OT End User Computers': { ratio: 4, units: 3 } },
    totalUnits: 5,
    otTotalUnits: 3,
  },
  {
    name: 'categories listed when opted in, even with no assets',
    why: 'no devices: Servers and OT Servers are listed (opted in, assets 0, units 0); Printers opted out with no assets is not listed',
    sheets: { hamCategories: [{ id: 'h1', category: 'Printers', optedIn: false }] },
    categories: { Servers: { assets: 0, units: 0, optedIn: true }, 'OT Servers': { assets: 0, units: 0, optedIn: true, solution: 'otam' } },
    totalUnits: 0,
  },
];

describe('HAM', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.why}`, () => {
      const r = reckon(c.sheets);
      for (const [name, want] of Object.entries(c.categories)) {
        const got = hamCategory(r, name);
        if (want === null) {
          expect(got?.assets ?? 0, `${name}.assets`).toBe(0);
          expect(got?.units ?? 0, `${name}.units`).toBe(0);
          continue;
        }
        expect(got, `category ${name} in ${JSON.stringify(r.ham.categories.map((x) => x.category))}`).toBeDefined();
        for (const [k, v] of Object.entries(want)) {
          const actual = got![k as keyof HamCategoryResult];
          if (typeof v === 'string') expect(String(actual).toLowerCase(), `${name}.${k}`).toBe(v.toLowerCase());
          else expect(actual, `${name}.${k}`).toEqual(v);
        }
      }
      if (c.totalUnits !== undefined) expect(r.ham.totalUnits, 'totalUnits').toBe(c.totalUnits);
      if (c.otTotalUnits !== undefined) expect(r.ham.otTotalUnits, 'otTotalUnits').toBe(c.otTotalUnits);
    });
  }

  it('an opted-out category with no assets is not listed', () => {
    const r = reckon({ hamCategories: [{ id: 'h1', category: 'Printers', optedIn: false }] });
    expect(hamCategory(r, 'Printers')).toBeUndefined();
  });
});

// Static reference data of the fictional estate: organisation, people's names, hardware,
// and the lookup sheets (factors, tiers, model and HAM categories). Values are real-world
// where the licensing rules depend on them (processor models, Oracle core factors, IBM PVUs).

import type { Row } from './types';

export const AS_OF = '2026-11-01';

export const COMPANIES = ['Northwind Group', 'Contoso Manufacturing', 'Fabrikam Finance'] as const;
export const CONTOSO = 1;
export const FABRIKAM = 2;

export interface SiteDef {
  readonly name: string;
  readonly code: string;
  readonly company: number;
  /** Share of the workforce based there (data centres host servers, not people). */
  readonly people: number;
  /** FlexNet licence-server network the site's engineers check licences out from. */
  readonly network: string;
  /** Hours to add to local (summer) time to get UTC: working hours in UTC for sessions and sensors. */
  readonly utc: number;
}

export const SITES: readonly SiteDef[] = [
  { name: 'New York', code: 'NYC', company: 0, people: 0.22, network: 'lic-us', utc: 4 },
  { name: 'Chicago', code: 'CHI', company: 0, people: 0.12, network: 'lic-us', utc: 5 },
  { name: 'Toronto', code: 'TOR', company: 0, people: 0.08, network: 'lic-us', utc: 4 },
  { name: 'London', code: 'LON', company: 0, people: 0.14, network: 'lic-eu', utc: -1 },
  { name: 'Detroit', code: 'DTW', company: 1, people: 0.12, network: 'lic-us', utc: 4 },
  { name: 'Stuttgart', code: 'STR', company: 1, people: 0.08, network: 'lic-eu', utc: -2 },
  { name: 'Monterrey', code: 'MTY', company: 1, people: 0.06, network: 'lic-us', utc: 6 },
  { name: 'Frankfurt', code: 'FRA', company: 2, people: 0.10, network: 'lic-eu', utc: -2 },
  { name: 'Singapore', code: 'SIN', company: 2, people: 0.08, network: 'lic-eu', utc: -8 },
  { name: 'DC-East', code: 'DCE', company: 0, people: 0, network: 'lic-us', utc: 4 },
  { name: 'DC-West', code: 'DCW', company: 0, people: 0, network: 'lic-us', utc: 7 },
];
export const SITE_DETROIT = 4;
export const DATA_CENTRES = [9, 10] as const;
export const NETWORKS = ['lic-us', 'lic-eu'] as const;

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily',
  'Paul', 'Michelle', 'Andrew', 'Amanda', 'Kenji', 'Mei', 'Raj', 'Priya', 'Lukas', 'Sophie',
  'Hans', 'Anna', 'Carlos', 'Lucia', 'Diego', 'Valentina', 'Wei', 'Xin', 'Olivia', 'Noah',
  'Liam', 'Emma', 'Ahmed', 'Fatima', 'Pierre', 'Camille', 'Jonas', 'Lena', 'Sanjay', 'Aisha',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyen', 'Hill', 'Flores', 'Green',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Tan', 'Lim', 'Wong', 'Patel', 'Sharma',
  'Dubois', 'Laurent', 'Rossi', 'Bianchi', 'Kowalski', 'Novak', 'Sato', 'Suzuki', 'Chen', 'Singh',
] as const;

export interface Processor {
  readonly manufacturer: string;
  readonly type: string;
  readonly family: string;
  readonly model: string;
  readonly coresPerSocket: number;
  readonly sockets: number;
  /** MHz, as discovery tools report maxClockSpeed. */
  readonly clock: number;
}

const xeon = (family: string, sku: string, cores: number, ghz: number): Processor => ({
  manufacturer: 'Intel', type: 'Xeon', family, coresPerSocket: cores, sockets: 2, clock: Math.round(ghz * 1000),
  model: `Intel(R) Xeon(R) ${family.replace('Xeon ', '')} ${sku} CPU @ ${ghz.toFixed(2)}GHz`,
});
const epyc = (sku: string, cores: number, ghz: number): Processor => ({
  manufacturer: 'AMD', type: 'EPYC', family: 'EPYC 7003', coresPerSocket: cores, sockets: 2, clock: Math.round(ghz * 1000),
  model: `AMD EPYC ${sku} ${cores}-Core Processor`,
});

/** Two-socket x86 servers (ESX hosts and standalone Linux/Windows): 16–64 cores in total. */
export const X86_PROCESSORS: readonly Processor[] = [
  xeon('Xeon Silver', '4208', 8, 2.1),
  xeon('Xeon Silver', '4314', 16, 2.4),
  xeon('Xeon Gold', '6130', 16, 2.1),
  xeon('Xeon Gold', '6248R', 24, 3.0),
  xeon('Xeon Gold', '6338', 32, 2.0),
  { ...epyc('7302', 16, 3.0), family: 'EPYC 7002' },
  epyc('7413', 24, 2.65),
  epyc('7543', 32, 2.8),
];
export const X86_WEIGHTS = [1, 2, 3, 4, 2, 1, 2, 2];

export const POWER_PROCESSORS: readonly Processor[] = [
  { manufacturer: 'IBM', type: 'POWER9', family: 'POWER9', model: 'POWER9 (architected)', coresPerSocket: 10, sockets: 2, clock: 3900 },
  { manufacturer: 'IBM', type: 'POWER9', family: 'POWER9', model: 'POWER9 (architected)', coresPerSocket: 12, sockets: 4, clock: 3800 },
  { manufacturer: 'IBM', type: 'POWER10', family: 'POWER10', model: 'POWER10 (architected)', coresPerSocket: 12, sockets: 2, clock: 4000 },
];

export const SPARC_PROCESSORS: readonly Processor[] = [
  { manufacturer: 'Fujitsu', type: 'SPARC64 VII+', family: 'SPARC64', model: 'SPARC64-VII+', coresPerSocket: 4, sockets: 4, clock: 3000 },
  { manufacturer: 'Oracle', type: 'UltraSPARC T1', family: 'UltraSPARC', model: 'UltraSPARC-T1', coresPerSocket: 8, sockets: 1, clock: 1000 },
  { manufacturer: 'Oracle', type: 'UltraSPARC T1', family: 'UltraSPARC', model: 'UltraSPARC-T1', coresPerSocket: 8, sockets: 1, clock: 1400 },
];

export const CLIENT_PROCESSORS: readonly Processor[] = [
  { manufacturer: 'Intel', type: 'Core', family: 'Core i5', model: '13th Gen Intel(R) Core(TM) i5-1345U', coresPerSocket: 10, sockets: 1, clock: 1600 },
  { manufacturer: 'Intel', type: 'Core', family: 'Core i7', model: '13th Gen Intel(R) Core(TM) i7-13700', coresPerSocket: 16, sockets: 1, clock: 2100 },
  { manufacturer: 'Intel', type: 'Core', family: 'Core i5', model: 'Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz', coresPerSocket: 6, sockets: 1, clock: 3100 },
  { manufacturer: 'AMD', type: 'Ryzen', family: 'Ryzen 7 PRO', model: 'AMD Ryzen 7 PRO 7840U', coresPerSocket: 8, sockets: 1, clock: 3300 },
];

/** Every processor the estate uses, for the estimator's factor lookups (index = device proc). */
export const ALL_PROCESSORS: readonly Processor[] = [...X86_PROCESSORS, ...POWER_PROCESSORS, ...SPARC_PROCESSORS, ...CLIENT_PROCESSORS];
export const POWER_BASE = X86_PROCESSORS.length;
export const SPARC_BASE = POWER_BASE + POWER_PROCESSORS.length;
export const CLIENT_BASE = SPARC_BASE + SPARC_PROCESSORS.length;

export type Model = readonly [manufacturer: string, model: string];
export const SERVER_MODELS: readonly Model[] = [
  ['Dell Inc.', 'PowerEdge R750'], ['Dell Inc.', 'PowerEdge R740'], ['HPE', 'ProLiant DL380 Gen10'],
  ['Lenovo', 'ThinkSystem SR650'], ['Cisco Systems', 'UCS C240 M6'],
];
export const DELL = 'Dell Inc.';
export const AIX_MODELS: readonly Model[] = [['IBM', 'Power S922'], ['IBM', 'Power E950'], ['IBM', 'Power S1022']];
export const SPARC_MODELS: readonly Model[] = [['Fujitsu', 'SPARC Enterprise M4000'], ['Oracle', 'Sun Fire T1000'], ['Oracle', 'Sun Fire T2000']];
export const VM_MODEL: Model = ['VMware, Inc.', 'VMware Virtual Platform'];
export const DESKTOP_MODELS: readonly Model[] = [['Dell Inc.', 'OptiPlex 7010'], ['HP', 'EliteDesk 800 G9'], ['Lenovo', 'ThinkCentre M90q']];
export const LAPTOP_MODELS: readonly Model[] = [['Dell Inc.', 'Latitude 5440'], ['HP', 'EliteBook 840 G10'], ['Lenovo', 'ThinkPad T14 Gen 4']];
export const THIN_MODELS: readonly Model[] = [['HP', 't640 Thin Client'], ['Dell Inc.', 'Wyse 5070']];
export const MOBILE_MODELS: readonly Model[] = [['Apple', 'iPhone 15'], ['Apple', 'iPhone 14'], ['Samsung', 'Galaxy S23']];
export const TABLET_MODELS: readonly Model[] = [['Zebra', 'ET45'], ['Panasonic', 'Toughbook G2']];
export const SWITCH_MODELS: readonly Model[] = [['Cisco Systems', 'Catalyst 9300'], ['Aruba', '6300M']];
export const ROUTER_MODELS: readonly Model[] = [['Cisco Systems', 'ISR 4331'], ['Juniper Networks', 'MX204']];
export const FIREWALL_MODELS: readonly Model[] = [['Palo Alto Networks', 'PA-3220'], ['Fortinet', 'FortiGate 200F']];
export const MONITOR_MODELS: readonly Model[] = [['Dell Inc.', 'P2423D'], ['LG', '27UP850'], ['Samsung', 'S27R650']];
export const PRINTER_MODELS: readonly Model[] = [['HP', 'LaserJet Enterprise M507'], ['Xerox', 'VersaLink C405']];
export const STORAGE_MODELS: readonly Model[] = [['NetApp', 'AFF A400'], ['Dell Inc.', 'PowerStore 1200T']];
export const PLC_MODELS: readonly Model[] = [['Siemens', 'SIMATIC S7-1500'], ['Rockwell Automation', 'ControlLogix 5580']];
export const HMI_MODELS: readonly Model[] = [['Siemens', 'SIMATIC IPC677E'], ['Beckhoff', 'CP2916']];
export const HARDWARE_MODELS: readonly Model[] = [['Axis Communications', 'P3265-LVE'], ['APC', 'Smart-UPS SRT 5000']];
export const TELCO_MODELS: readonly Model[] = [['Ciena', '6500 Packet-Optical'], ['Nokia', '7750 SR-1']];
export const KIOSK_MODELS: readonly Model[] = [['Elo Touch', 'I-Series 4']];
export const LAB_MODELS: readonly Model[] = [['Agilent', '1260 Infinity II']];

/** Custom model categories (rows of modelCategories): ham.md rules 1, 2 and 5 all get exercised. */
export const MODEL_CATEGORY_ROWS: readonly Row[] = [
  { id: 'mc01', name: 'Laptop', parent: 'Computer', resourceCategory: null },
  { id: 'mc02', name: 'Thin Client', parent: 'Computer', resourceCategory: null },
  { id: 'mc03', name: 'Rugged Tablet', parent: 'Mobile Device', resourceCategory: null },
  { id: 'mc04', name: 'Firewall', parent: 'Network Gear', resourceCategory: null },
  { id: 'mc05', name: 'PLC', parent: 'Hardware', resourceCategory: null },
  // Maps itself yet stays custom (rule 5); a kiosk maps nowhere and never counts (rule 2).
  { id: 'mc06', name: 'Lab Analyzer', parent: null, resourceCategory: 'Unclassified hardware' },
  { id: 'mc07', name: 'Kiosk', parent: null, resourceCategory: null },
];

export const HAM_CATEGORY_ROWS: readonly Row[] = [
  { id: 'hc01', category: 'Monitors', ratio: null, optedIn: false },
  { id: 'hc02', category: 'OT Network Gear', ratio: 2, optedIn: null },
];

export const FACTOR_ROWS: readonly Row[] = factorRows([
  // Oracle Processor Core Factor Table.
  ['core_factor', 'Oracle', 'Intel', '', 0, 0.5],
  ['core_factor', 'Oracle', 'AMD', '', 0, 0.5],
  ['core_factor', 'Oracle', 'IBM', 'POWER9', 0, 1.0],
  ['core_factor', 'Oracle', 'IBM', 'POWER10', 0, 1.0],
  ['core_factor', 'Oracle', 'Fujitsu', 'SPARC64 VII+', 0, 0.75],
  ['core_factor', 'Oracle', 'Oracle', 'UltraSPARC T1', 0, 0.5],
  // More specific (clock speed set) wins for the 1.0 GHz T1.
  ['core_factor', 'Oracle', 'Oracle', 'UltraSPARC T1', 1000, 0.25],
  // IBM PVU table: x86 two-socket 70, POWER9 100, POWER10 120.
  ['pvu', 'IBM', 'Intel', '', 0, 70],
  ['pvu', 'IBM', 'AMD', '', 0, 70],
  ['pvu', 'IBM', 'IBM', 'POWER9', 0, 100],
  ['pvu', 'IBM', 'IBM', 'POWER10', 0, 120],
  // BMC tiered CPU multipliers and constants.
  ['multiplier', '', 'Intel', '', 0, 1.25],
  ['multiplier', 'BMC', 'Intel', '', 0, 1],
  ['multiplier', 'BMC', 'AMD', '', 0, 1],
  ['multiplier', 'BMC', 'IBM', '', 0, 2],
  ['multiplier', 'BMC', 'Fujitsu', '', 0, 1.5],
  ['constant', 'BMC', '', '', 0, 1],
  ['constant', 'BMC', 'IBM', '', 0, 3],
  ['constant', 'BMC', 'Oracle', '', 0, 2],
]);

function factorRows(spec: readonly (readonly [string, string, string, string, number, number])[]): Row[] {
  return spec.map(([kind, publisher, manufacturer, type, clock, value], i) => ({
    id: 'f' + String(i + 1).padStart(2, '0'), kind, publisher: publisher || null,
    processorManufacturer: manufacturer || null, processorType: type || null, processorModel: null,
    processorFamily: null, maxClockSpeed: clock || null, value,
  }));
}

/** IBM value-unit conversion tables (tiers sheet). */
export const TIER_ROWS: readonly Row[] = tierRows([
  ['IBM', 'Cognos Analytics', 'auvu', [[1, 100, 1], [101, 1000, 0.5], [1001, null, 0.25]]],
  ['IBM', 'Security Identity Manager', 'euvu', [[1, 1000, 1], [1001, 5000, 0.5], [5001, null, 0.25]]],
  ['IBM', 'Security Verify Access', 'external_uvu', [[1, 500, 0.5], [501, null, 0.125]]],
  ['IBM', 'Tivoli Monitoring', 'rvu', [[1, 100, 1], [101, 500, 0.5], [501, null, 0.25]]],
]);

function tierRows(spec: readonly (readonly [string, string, string, readonly (readonly [number, number | null, number])[]])[]): Row[] {
  const rows: Row[] = [];
  for (const [publisher, product, metric, tiers] of spec) {
    for (const [from, to, unitsPer] of tiers) {
      rows.push({ id: 't' + String(rows.length + 1).padStart(2, '0'), publisher, product, metric, from, to, unitsPer });
    }
  }
  return rows;
}

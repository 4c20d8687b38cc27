// Import profiles: the exports people actually have, recognised by their headers, with their
// columns mapped to the workbook's and their values typed. A profile is chosen when enough of its
// signature headers are in the file (the best score wins; ties go to the earlier profile), and the
// import dialog and the command line say which. The person can still change every part of the
// mapping; choosing another sheet drops the profile.
//
// Layouts, as their tools document or export them:
// - Microsoft Configuration Manager, Add/Remove Programs inventory: SQL report columns of
//   v_GS_ADD_REMOVE_PROGRAMS / v_GS_INSTALLED_SOFTWARE joined to v_R_System (ResourceID,
//   Netbios_Name0, DisplayName0, Publisher0, Version0, InstallDate0 as yyyymmdd, ProdID0…).
// - ServiceNow: Software Installation [cmdb_sam_sw_install] (Display name, Publisher, Version,
//   Edition, Installed on, Install date, Discovery model…), Hardware Asset [alm_hardware] (Asset
//   tag, Display name, Serial number, Model category, Model, State, Substate, Assigned to,
//   Configuration Item, Location, Company) and software entitlements [alm_license /
//   samp_sw_entitlement] (Software model, Publisher, Product, License metric, Purchased rights…),
//   as list exports with labels or field names.
// - Lansweeper, software report: AssetName, Domain, softwareName, softwareVersion,
//   SoftwarePublisher, Installdate, Lastseen (tblAssets, tblSoftware, tblSoftwareUni).
// - Microsoft Intune, Discovered apps export (AppInvRawData): ApplicationKey, ApplicationName,
//   ApplicationPublisher, ApplicationShortVersion, ApplicationVersion, DeviceId, DeviceName,
//   OSDescription, OSVersion, Platform, UserId, EmailAddress, UserName.
// - Flexera / Snow style installation exports: Computer name, Publisher or Manufacturer,
//   Application (name) or Display name, Version, Edition, Install(ed) date, Last used, Last used by.

import { toNumber } from '../engine/cells';
import { METRICS } from '../engine/metrics/catalog';
import type { SheetName } from '../engine/schema';
import { autoMapping, columnsOf, guessSheet, type Mapping, type Target } from './mapping';
import { NAME_IS_ID, STATUS_ALIASES, nameKey } from './names';
import type { Cell } from './table';
import type { Typer } from './typing';

export interface Profile {
  id: string;
  /** What the person is shown. */
  label: string;
  sheet: SheetName;
  /** Header names (key form) that identify the export, with their weight. */
  signature: Readonly<Record<string, number>>;
  /** The score a file's header needs. */
  threshold: number;
  /**
   * Header (key form) → the column it becomes: ours, or an extra column kept under that name.
   * Several headers may name one column; the first in this list that the file has wins.
   */
  columns: readonly (readonly [string, string])[];
  /** Columns typed the profile's way rather than by their kind. */
  typers?: Readonly<Record<string, Typer>>;
}

/** "20230115", "2023-01-15 08:30:00(.000)", "2023-01-15T08:30:00" → ISO 8601 (UTC when zoneless); anything else as it was. */
export const looseDate: Typer = (v) => {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(t);
  if (m) return m[2] === '00:00:00' ? m[1] : `${m[1]}T${m[2]}Z`;
  return v;
};

/** "1,250" and "1 250" as numbers (license counts in exports often carry thousands separators). */
const count: Typer = (v) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().replace(/^(\d{1,3})([, ]\d{3})+$/, (s) => s.replace(/[, ]/g, ''));
  const n = toNumber(t);
  return Number.isNaN(n) ? v : n;
};

/** Text kept as text, however it looks ("8.0" is a version, not the number 8). */
const text: Typer = (v) => (v === null || typeof v === 'string' ? v : String(v));

/** ServiceNow install_status codes and labels → our device statuses. */
const SN_STATUS: Record<string, string> = { '1': 'in use', '3': 'in use', '2': 'in stock', '6': 'in stock', '9': 'in stock', '7': 'retired', '8': 'retired' };
const snStatus: Typer = (v) => {
  if (v === null) return v;
  const t = String(v).trim();
  return SN_STATUS[t] ?? STATUS_ALIASES[nameKey(t)] ?? v;
};

/** License metric names as tools write them (key form) → our metric ids; the catalog's names too. */
const METRIC_NAMES: Record<string, string> = {
  ...Object.fromEntries(METRICS.flatMap((m) => [[nameKey(m.name), m.id], [nameKey(m.id), m.id]])),
  perinstallation: 'per_instance', perinstance: 'per_instance', device: 'per_device', perdevice: 'per_device', user: 'per_user', peruser: 'per_user',
  processorvalueunitpvu: 'pvu', processorvalueunit: 'pvu', pvu: 'pvu', resourcevalueunitrvu: 'rvu', rvu: 'rvu', virtualprocessorcorevpc: 'vpc', vpc: 'vpc',
  nameduserplus: 'oracle_nup', nup: 'oracle_nup', processor: 'oracle_processor', oracleprocessor: 'oracle_processor', percore: 'per_core', core: 'per_core',
  concurrentuser: 'concurrent_user', authorizeduser: 'authorized_user', usercal: 'user_cal', devicecal: 'device_cal', enterprise: 'enterprise', site: 'site',
  perprocessor: 'per_processor', subscription: 'user_subscription', usersubscription: 'user_subscription', floating: 'floating', token: 'token',
  perserver: 'per_server', server: 'per_server', nameduser: 'named_user',
};
const metric: Typer = (v) => (typeof v === 'string' ? METRIC_NAMES[nameKey(v)] ?? v : v);

const k = (names: string) => names.split('|').map(nameKey);
const cols = (spec: [string, string][]): [string, string][] => spec.flatMap(([headers, column]) => k(headers).map((h) => [h, column] as [string, string]));

export const PROFILES: readonly Profile[] = [
  {
    id: 'configmgr-arp',
    label: 'Microsoft Configuration Manager — Add/Remove Programs inventory',
    sheet: 'installations',
    signature: {
      displayname0: 3, arpdisplayname0: 3, productname0: 2, publisher0: 3, version0: 3, productversion0: 2, installdate0: 2,
      netbiosname0: 3, name0: 1, resourceid: 2, prodid0: 2, topconsoleuser0: 2,
    },
    threshold: 6,
    columns: cols([
      ['Netbios_Name0|Name0|Computer Name|ResourceName', 'deviceId'],
      ['DisplayName0|ARPDisplayName0|ProductName0', 'product'],
      ['Publisher0', 'publisher'],
      ['Version0|ProductVersion0', 'version'],
      ['TopConsoleUser0|UserName0|Last Logon User Name', 'userId'],
      ['InstallDate0', 'installDate'],
      ['ProdID0|ProductCode0', 'productCode'],
      ['ResourceID', 'resourceId'],
    ]),
    typers: { version: text, installDate: looseDate },
  },
  {
    id: 'servicenow-sw-install',
    label: 'ServiceNow — Software installations (cmdb_sam_sw_install)',
    sheet: 'installations',
    signature: { installedon: 3, discoverymodel: 3, instancekey: 2, editionoverride: 2, normpublisher: 2, normproduct: 2, displayname: 1, installdate: 1, uninstallstring: 1 },
    threshold: 4,
    columns: cols([
      ['Sys ID|sys_id', 'id'],
      ['Installed on|installed_on', 'deviceId'],
      ['Display name|display_name', 'product'],
      ['Publisher', 'publisher'],
      ['Version', 'version'],
      ['Edition override|edition_override|Edition', 'edition'],
      ['Install date|install_date', 'installDate'],
      ['Discovery model|discovery_model', 'discoveryModel'],
      ['Normalized publisher|norm_publisher', 'normalizedPublisher'],
      ['Normalized product|norm_product', 'normalizedProduct'],
    ]),
    typers: { version: text, installDate: looseDate },
  },
  {
    id: 'servicenow-hardware',
    label: 'ServiceNow — Hardware assets (alm_hardware)',
    sheet: 'devices',
    signature: { assettag: 3, modelcategory: 2, substate: 3, serialnumber: 1, assignedto: 1, configurationitem: 2, ci: 1, installstatus: 2, state: 1 },
    threshold: 6,
    columns: cols([
      ['Asset tag|asset_tag', 'id'],
      ['Configuration Item|ci', 'name'],
      ['Display name|display_name', 'displayName'],
      ['Serial number|serial_number', 'serialNumber'],
      ['Model category|model_category', 'modelCategory'],
      ['Model', 'hardwareModel'],
      ['Manufacturer', 'hardwareManufacturer'],
      ['State|install_status', 'status'],
      ['Substate', 'substate'],
      ['Assigned to|assigned_to', 'ownerId'],
      ['Location', 'site'],
      ['Company', 'company'],
    ]),
    typers: { status: snStatus },
  },
  {
    id: 'servicenow-entitlements',
    label: 'ServiceNow — Software entitlements (alm_license, samp_sw_entitlement)',
    sheet: 'entitlements',
    signature: { licensemetric: 3, purchasedrights: 3, softwaremodel: 2, activerights: 2, licensedby: 2, rights: 1, metricgroup: 1 },
    threshold: 5,
    columns: cols([
      ['Sys ID|sys_id|Number|Asset tag|asset_tag', 'id'],
      ['Publisher', 'publisher'],
      ['Product|Software model|software_model|Display name', 'product'],
      ['Version', 'version'],
      ['Edition', 'edition'],
      ['License metric|license_metric|Metric', 'metric'],
      ['Purchased rights|purchased_rights|Rights', 'quantity'],
      ['Active rights|active_rights', 'activeRights'],
      ['Unit cost|unit_cost|Cost', 'unitCost'],
      ['Start date|start_date', 'start'],
      ['End date|end_date', 'end'],
      ['Company', 'company'],
      ['Location', 'site'],
      ['Licensed by|licensed_by', 'licensedBy'],
    ]),
    typers: { metric, quantity: count, activeRights: count, version: text, start: looseDate, end: looseDate },
  },
  {
    id: 'lansweeper',
    label: 'Lansweeper — software report',
    sheet: 'installations',
    signature: { assetname: 3, softwarename: 3, softwarepublisher: 3, softwareversion: 2, assetid: 1, lastseen: 1, domain: 1 },
    threshold: 6,
    columns: cols([
      ['AssetName', 'deviceId'],
      ['softwareName', 'product'],
      ['SoftwarePublisher', 'publisher'],
      ['softwareVersion', 'version'],
      ['Username|Lastuser', 'userId'],
      ['Installdate', 'installDate'],
      ['Domain', 'domain'],
      ['FQDN', 'fqdn'],
      ['Lastseen', 'lastSeen'],
      ['AssetID', 'assetId'],
    ]),
    typers: { version: text, installDate: looseDate, lastSeen: looseDate },
  },
  {
    id: 'intune-discovered-apps',
    label: 'Microsoft Intune — Discovered apps (AppInvRawData)',
    sheet: 'installations',
    signature: { applicationkey: 2, applicationname: 3, applicationpublisher: 3, applicationversion: 2, applicationshortversion: 2, devicename: 1, platform: 1 },
    threshold: 6,
    columns: cols([
      ['DeviceName|Device name', 'deviceId'],
      ['ApplicationName|Application name', 'product'],
      ['ApplicationPublisher|Application publisher', 'publisher'],
      ['ApplicationShortVersion|ApplicationVersion|Application version', 'version'],
      ['EmailAddress|UserName', 'userId'],
      ['DeviceId', 'intuneDeviceId'],
      ['Platform', 'platform'],
      ['ApplicationKey', 'applicationKey'],
    ]),
    typers: { version: text },
  },
  {
    id: 'flexera-snow',
    label: 'Flexera / Snow-style installations export',
    sheet: 'installations',
    signature: {
      computername: 2, computer: 1, applicationname: 2, application: 2, displayname: 1, manufacturer: 1, publisher: 1, version: 1,
      edition: 1, installeddate: 1, installdate: 1, lastused: 2, lastuseddate: 2, lastusedby: 2, evidence: 1,
    },
    threshold: 5,
    columns: cols([
      ['Computer name|Computer|Device name', 'deviceId'],
      ['Application name|Application|Display name', 'product'],
      ['Publisher|Manufacturer', 'publisher'],
      ['Version', 'version'],
      ['Edition', 'edition'],
      ['Last used by|Last logged on user|User|Users', 'userId'],
      ['Installed date|Install date|Installed', 'installDate'],
      ['Last used|Last used date', 'lastUsed'],
    ]),
    typers: { version: text, installDate: looseDate, lastUsed: looseDate },
  },
];

const byId = new Map(PROFILES.map((p) => [p.id, p]));
export const profileById = (id: string | undefined): Profile | undefined => (id ? byId.get(id) : undefined);

/** The profile a header belongs to, if any reaches its threshold (the best score wins). */
export function detectProfile(header: readonly string[]): Profile | undefined {
  const keys = new Set(header.map(nameKey));
  let best: Profile | undefined, bestScore = 0;
  for (const p of PROFILES) {
    let score = 0;
    for (const [h, w] of Object.entries(p.signature)) if (keys.has(h)) score += w;
    if (score >= p.threshold && score > bestScore) { best = p; bestScore = score; }
  }
  return best;
}

/** The mapping a profile gives a header: each column to the first header that names it; the rest kept under their own names. */
export function profileMapping(p: Profile, header: readonly string[]): Mapping {
  const keys = header.map(nameKey);
  const targets: (string | null)[] = header.map((h) => h);
  const taken = new Set<string>();
  const assigned = new Set<number>();
  for (const [h, column] of p.columns) {
    if (taken.has(column)) continue;
    const at = keys.indexOf(h);
    if (at < 0 || assigned.has(at)) continue;
    targets[at] = column;
    taken.add(column);
    assigned.add(at);
  }
  // A header the profile left that is one of our columns is that column, unless the profile gave
  // it to another header (then it is kept under another name, as autoMapping does).
  const ours = new Set(columnsOf(p.sheet));
  header.forEach((h, i) => {
    if (assigned.has(i) || !ours.has(h)) return;
    if (taken.has(h)) targets[i] = `${h} (file)`;
    else taken.add(h);
  });
  // As autoMapping: a named sheet without an id column takes its ids from the names.
  const idFrom = !taken.has('id') && NAME_IS_ID.has(p.sheet) ? targets.indexOf('name') : -1;
  return { sheet: p.sheet, targets, idFrom, profile: p.id };
}

/**
 * The proposed sheet and mapping of a table: its profile's, when its header is one tool's export;
 * else by its file or worksheet name and its header (mapping.ts). `sheet` undefined: unknown.
 */
export function propose(hint: string, header: readonly string[]): { sheet: Target | undefined; mapping: Mapping; profile?: Profile } {
  const profile = detectProfile(header);
  if (profile) return { sheet: profile.sheet, mapping: profileMapping(profile, header), profile };
  const sheet = guessSheet(hint, header);
  return { sheet, mapping: autoMapping(sheet ?? 'devices', header) };
}

/** The profile's typer for a column, if it types that column its own way. */
export function profileTyper(profileId: string | undefined, column: string): Typer | undefined {
  return profileById(profileId)?.typers?.[column];
}

export type { Cell };

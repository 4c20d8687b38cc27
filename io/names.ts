// The column names other tools use, per sheet: ServiceNow (labels and field names), Flexera and
// BMC exports. A header is compared in its key form (lower case, letters and digits only), so
// "Purchased rights", "purchased_rights" and "PURCHASED-RIGHTS" are the same name. Each list is in
// priority order: when two headers name the same column, the earlier name wins and the other header
// is kept as an unknown column. Every column also matches its own name.

import type { SheetName } from '../engine/schema';

/** "Purchased rights" → "purchasedrights". */
export function nameKey(s: string): string {
  return s.normalize('NFKD').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const DEVICE_REF = ['device', 'deviceid', 'configuration item', 'installed on', 'ci', 'ci name', 'computer', 'computer name', 'device name', 'host name', 'hostname', 'inventory device', 'machine', 'machine name'];
const USER_REF = ['user', 'user id', 'used by', 'assigned to', 'last used by', 'user name', 'username', 'login', 'owner', 'last logged on user'];
const PUBLISHER = ['publisher', 'manufacturer', 'vendor', 'software publisher', 'normalized publisher', 'norm publisher', 'software manufacturer'];
const PRODUCT = ['product', 'software', 'product name', 'software product', 'display name', 'application', 'application name', 'software title', 'title', 'normalized product', 'norm product', 'software model'];
const START = ['start date', 'valid from', 'effective date', 'start time'];
const END = ['end date', 'expiration date', 'expiry date', 'valid to', 'expires', 'end time'];

export const SYNONYMS: Readonly<Partial<Record<SheetName, Readonly<Record<string, readonly string[]>>>>> = {
  entitlements: {
    id: ['sys id', 'entitlement id', 'license id', 'licence id', 'number', 'entitlement number', 'license number'],
    publisher: PUBLISHER,
    product: PRODUCT,
    version: ['product version', 'software version', 'normalized version'],
    edition: ['product edition', 'normalized edition'],
    metric: ['license metric', 'licence metric', 'license type', 'licence type', 'metric name'],
    quantity: ['rights', 'purchased rights', 'purchased quantity', 'purchased', 'entitled quantity', 'license count', 'licence count', 'licenses', 'licences', 'number of licenses', 'total rights', 'active rights', 'count'],
    unitCost: ['unit cost', 'cost per unit', 'unit price', 'price', 'cost'],
    warn1: ['warning level 1', 'warning 1', 'warn 1'],
    warn2: ['warning level 2', 'warning 2', 'warn 2'],
    start: [...START, 'purchase date'],
    end: END,
    company: ['legal entity', 'organization', 'organisation'],
    site: ['location'],
    notes: ['comments', 'description', 'note'],
  },
  devices: {
    id: ['sys id', 'device id', 'ci id', 'configuration item id', 'asset tag', 'serial number', 'computer id', 'hardware id', 'reconciliation identity'],
    name: ['display name', 'device name', 'computer name', 'host name', 'hostname', 'configuration item', 'ci name', 'fqdn'],
    modelCategory: ['model category', 'category', 'device type', 'ci class', 'class', 'sys class name', 'hardware type'],
    status: ['install status', 'hardware status', 'asset status', 'lifecycle status', 'state'],
    virtual: ['is virtual', 'vm', 'virtual machine'],
    hostId: ['host', 'host id', 'virtual host', 'physical host', 'hypervisor', 'runs on'],
    cluster: ['cluster name', 'vcenter cluster'],
    cpus: ['cpu count', 'processor count', 'processors', 'number of processors', 'physical processors', 'sockets', 'cpu sockets', 'socket count', 'number of sockets'],
    cores: ['core count', 'cpu core count', 'number of cores', 'total cores', 'processor cores', 'cores count'],
    vcpus: ['vcpu', 'vcpu count', 'virtual cpus', 'virtual processors', 'number of vcpus'],
    hyperthreading: ['hyper threading', 'cpu hyperthreading', 'hyperthreading enabled'],
    cloud: ['cloud provider'],
    processorManufacturer: ['cpu manufacturer'],
    processorType: ['cpu type', 'cpu name'],
    processorModel: ['cpu model'],
    processorFamily: ['cpu family'],
    maxClockSpeed: ['cpu speed', 'cpu speed mhz', 'processor speed', 'clock speed'],
    site: ['location'],
    ownerId: ['owner', 'owned by', 'assigned to', 'primary user', 'used by', 'user'],
    ot: ['operational technology'],
    ipAddress: ['ip address', 'ip'],
    environment: ['used for'],
    hardwareManufacturer: ['manufacturer', 'vendor', 'make'],
    hardwareModel: ['model', 'model id', 'model number'],
  },
  installations: {
    id: ['sys id', 'installation id', 'install id'],
    deviceId: DEVICE_REF,
    publisher: PUBLISHER,
    product: PRODUCT,
    version: ['product version', 'normalized version', 'norm version'],
    edition: ['normalized edition', 'norm edition'],
    userId: USER_REF,
  },
  users: {
    id: ['sys id', 'user id', 'user name', 'username', 'login', 'email', 'employee number', 'account'],
    name: ['display name', 'full name'],
    employeeType: ['employee type', 'user type'],
    site: ['location'],
    active: ['enabled'],
  },
  clusters: {
    id: ['sys id', 'cluster id'],
    name: ['cluster name', 'display name'],
    mobility: ['vmotion', 'drs', 'vmotion enabled', 'drs enabled'],
  },
  allocations: {
    id: ['sys id', 'allocation id'],
    entitlementId: ['entitlement', 'license', 'licence', 'entitlement id', 'license id'],
    userId: ['user', 'assigned to', 'allocated to', 'used by', 'user name'],
    deviceId: ['device', 'configuration item', 'allocated to device', 'computer'],
    rights: ['quantity', 'allocated rights'],
  },
  subscriptions: { userId: ['user', 'assigned to', 'subscriber', 'used by'], publisher: PUBLISHER, product: PRODUCT },
  sessions: {
    publisher: PUBLISHER, product: PRODUCT, userId: USER_REF, deviceId: DEVICE_REF,
    start: [...START, 'checkout time', 'login time'], end: [...END, 'checkin time', 'logout time'],
  },
  access: { publisher: PUBLISHER, product: PRODUCT, serverId: ['server', 'server id', 'server name'], userId: USER_REF, deviceId: DEVICE_REF },
  sensors: { deviceId: DEVICE_REF, publisher: PUBLISHER, product: PRODUCT, seenAt: ['seen at', 'last seen', 'check in', 'checked in', 'timestamp'] },
  measurements: { publisher: PUBLISHER, product: PRODUCT, date: ['measured at', 'measurement date'] },
  modelCategories: { resourceCategory: ['resource category'], parent: ['parent category'] },
};

/** Sheets whose rows are named: with no id column, their name is also their id (ServiceNow exports references by name). */
export const NAME_IS_ID: ReadonlySet<SheetName> = new Set(['devices', 'users', 'clusters', 'modelCategories']);

/** File and worksheet names that mean a sheet (key form compared; plural or not). */
export const SHEET_NAMES: Readonly<Record<SheetName | 'settings', readonly string[]>> = {
  entitlements: ['entitlement', 'license', 'licence', 'licenses', 'licences', 'rights', 'alm license', 'alm entitlement', 'samp sw entitlement', 'software entitlements', 'license certificates'],
  devices: ['device', 'computers', 'computer', 'hardware', 'servers', 'cmdb ci computer', 'cmdb ci server', 'cmdb ci hardware', 'alm hardware', 'configuration items', 'assets'],
  installations: ['installation', 'installs', 'software installations', 'installed software', 'cmdb sam sw install', 'samp sw install', 'software installs', 'inventory'],
  users: ['user', 'sys user', 'people', 'employees'],
  clusters: ['cluster', 'cmdb ci cluster', 'cmdb ci vcenter cluster', 'vcenter clusters'],
  allocations: ['allocation', 'alm entitlement user', 'alm entitlement asset', 'license allocations'],
  subscriptions: ['subscription', 'samp sw subscription'],
  sessions: ['session', 'license usage', 'checkouts'],
  access: ['client access', 'access records'],
  sensors: ['sensor', 'check ins'],
  measurements: ['measurement', 'usage measurements'],
  factors: ['factor', 'processor factors'],
  tiers: ['tier', 'value unit tiers'],
  modelCategories: ['model categories', 'model category', 'cmdb model category'],
  hamCategories: ['ham categories', 'ham category', 'resource categories'],
  normalization: ['normalization rules', 'normalisation', 'normalisation rules', 'rules', 'software normalization', 'recognition rules'],
  settings: ['setting', 'workbook settings'],
};

/** Spellings of device statuses in discovery tools, in key form → our status. */
export const STATUS_ALIASES: Readonly<Record<string, string>> = {
  installed: 'in use', inuse: 'in use', active: 'in use', deployed: 'in use', operational: 'in use', inproduction: 'in use', live: 'in use',
  instock: 'in stock', stock: 'in stock', onorder: 'in stock', available: 'in stock', intransit: 'in stock',
  retired: 'retired', endoflife: 'retired', decommissioned: 'retired', absent: 'retired',
  disposed: 'disposed', pendingdisposal: 'disposed', scrapped: 'disposed',
};

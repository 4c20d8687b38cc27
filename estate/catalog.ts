// The software catalog: every product the estate can hold (installed, subscribed, measured),
// and every licence position the organisation has bought for. Names are the normalised
// publisher/product names a SAM recognition library would report.

import type { Cell, MetricId } from './types';

export interface ProductDef {
  readonly publisher: string;
  readonly product: string;
  readonly versions?: readonly string[];
  readonly versionWeights?: readonly number[];
  readonly editions?: readonly string[];
  readonly editionWeights?: readonly number[];
}

const p = (publisher: string, product: string, extra: Partial<ProductDef> = {}): ProductDef => ({ publisher, product, ...extra });

const PRODUCT_DEFS = {
  // Microsoft
  win11: p('Microsoft', 'Windows 11 Enterprise', { versions: ['23H2', '24H2'], versionWeights: [2, 3] }),
  office: p('Microsoft', 'Office Professional Plus', { versions: ['2016', '2019', '2021'], versionWeights: [0.05, 0.3, 0.65] }),
  visio: p('Microsoft', 'Visio', { versions: ['2019', '2021'], editions: ['Professional', 'Standard'], editionWeights: [0.7, 0.3] }),
  project: p('Microsoft', 'Project Professional', { versions: ['2019', '2021'] }),
  sql: p('Microsoft', 'SQL Server', { versions: ['2017', '2019', '2022'], versionWeights: [1, 3, 3], editions: ['Enterprise', 'Standard'] }),
  winsrv: p('Microsoft', 'Windows Server', { versions: ['2016', '2019', '2022', '2025'], versionWeights: [1, 3, 4, 1], editions: ['Datacenter', 'Standard'] }),
  exchange: p('Microsoft', 'Exchange Server', { versions: ['2019'], editions: ['Standard'] }),
  sharepoint: p('Microsoft', 'SharePoint Server', { versions: ['Subscription Edition'] }),
  m365e3: p('Microsoft', 'Microsoft 365 E3'),
  m365e5: p('Microsoft', 'Microsoft 365 E5'),
  vs: p('Microsoft', 'Visual Studio Professional', { versions: ['2022'] }),
  // Oracle
  oradb: p('Oracle', 'Database Enterprise Edition', { versions: ['19c', '21c'], versionWeights: [3, 1] }),
  orase2: p('Oracle', 'Database Standard Edition 2', { versions: ['19c'] }),
  weblogic: p('Oracle', 'WebLogic Server', { versions: ['12.2.1.4', '14.1.1'] }),
  java: p('Oracle', 'Java SE', { versions: ['8', '11', '17', '21'], versionWeights: [4, 2, 2, 1] }),
  // IBM
  was: p('IBM', 'WebSphere Application Server', { versions: ['8.5.5', '9.0.5'] }),
  db2: p('IBM', 'Db2 Standard Edition', { versions: ['11.5'] }),
  cognos: p('IBM', 'Cognos Analytics', { versions: ['12.0'] }),
  tivoli: p('IBM', 'Tivoli Monitoring', { versions: ['6.3'] }),
  isim: p('IBM', 'Security Identity Manager'),
  isva: p('IBM', 'Security Verify Access'),
  doors: p('IBM', 'Rational DOORS', { versions: ['9.7'] }),
  spss: p('IBM', 'SPSS Statistics', { versions: ['29'] }),
  pcomm: p('IBM', 'Personal Communications', { versions: ['14.0', '15.0'] }),
  // VMware
  vsphere: p('VMware', 'vSphere Enterprise Plus', { versions: ['7.0', '8.0'], versionWeights: [1, 2] }),
  vsphereStd: p('VMware', 'vSphere Standard', { versions: ['7.0'] }),
  vcenter: p('VMware', 'vCenter Server', { versions: ['8.0'], editions: ['Standard'] }),
  horizon: p('VMware', 'Horizon', { versions: ['2312'] }),
  aria: p('VMware', 'Aria Operations', { versions: ['8.14'] }),
  // Red Hat, Canonical
  rhel: p('Red Hat', 'Red Hat Enterprise Linux', { versions: ['8', '9'], versionWeights: [2, 3] }),
  openshift: p('Red Hat', 'OpenShift Container Platform', { versions: ['4.14', '4.16'] }),
  ubuntu: p('Canonical', 'Ubuntu Server', { versions: ['22.04 LTS', '24.04 LTS'] }),
  // Adobe
  creative: p('Adobe', 'Creative Cloud All Apps'),
  acroPro: p('Adobe', 'Acrobat Pro', { versions: ['2020', 'DC'], versionWeights: [1, 3] }),
  acroStd: p('Adobe', 'Acrobat Standard', { versions: ['DC'] }),
  reader: p('Adobe', 'Acrobat Reader', { versions: ['DC'] }),
  // Citrix
  cvad: p('Citrix', 'Virtual Apps and Desktops', { versions: ['2203 LTSR', '2402 LTSR'] }),
  cvaAdv: p('Citrix', 'Virtual Apps Advanced'),
  hypervisor: p('Citrix', 'Hypervisor', { versions: ['8.2'] }),
  // Autodesk, MathWorks, Dassault
  autocad: p('Autodesk', 'AutoCAD', { versions: ['2024', '2025'] }),
  revit: p('Autodesk', 'Revit', { versions: ['2025'] }),
  matlab: p('MathWorks', 'MATLAB', { versions: ['R2024a', 'R2024b'] }),
  solidworks: p('Dassault Systemes', 'SolidWorks Premium', { versions: ['2024'] }),
  // SAP
  sapPro: p('SAP', 'S/4HANA Professional Use'),
  sapFun: p('SAP', 'S/4HANA Functional Use'),
  sapProd: p('SAP', 'S/4HANA Productivity Use'),
  sapCloud: p('SAP', 'S/4HANA Cloud'),
  sapPayroll: p('SAP', 'Payroll Processing'),
  sapDigital: p('SAP', 'Digital Access'),
  sapGui: p('SAP', 'SAP GUI for Windows', { versions: ['7.70', '8.00'] }),
  // SaaS
  salesCloud: p('Salesforce', 'Sales Cloud Enterprise'),
  snowflake: p('Snowflake', 'Snowflake Enterprise'),
  zoom: p('Zoom', 'Zoom Workplace', { versions: ['6.2'] }),
  // CrowdStrike
  falcon: p('CrowdStrike', 'Falcon Insight XDR', { versions: ['7.16', '7.18'] }),
  discover: p('CrowdStrike', 'Falcon Discover'),
  // Alemba: the service desk and its connectors (a connector's product name is its integration).
  asm: p('Alemba', 'Service Manager', { versions: ['10.7'] }),
  asmTeams: p('Alemba', 'Microsoft Teams'),
  asmEntra: p('Alemba', 'AD/Entra'),
  asmSccm: p('Alemba', 'SCCM'),
  asmServiceNow: p('Alemba', 'ServiceNow'),
  asmJira: p('Alemba', 'Jira'),
  asmSalesforce: p('Alemba', 'Salesforce'),
  // BMC
  bladelogic: p('BMC', 'BladeLogic Server Automation', { versions: ['8.9'] }),
  clientMgmt: p('BMC', 'Client Management', { versions: ['21.02', '12.9'], versionWeights: [9, 1] }),
  truesight: p('BMC', 'TrueSight Server Automation', { versions: ['22.1'] }),
  controlM: p('BMC', 'Control-M', { versions: ['9.0.21'] }),
  patrolDb: p('BMC', 'Patrol for Databases', { versions: ['10.0'] }),
  capacity: p('BMC', 'TrueSight Capacity Optimization', { versions: ['20.02'] }),
  discovery: p('BMC', 'Helix Discovery', { versions: ['23.3'] }),
  patrolVirt: p('BMC', 'Patrol for Virtual Servers', { versions: ['10.0'] }),
  helixOps: p('BMC', 'Helix Operations Management', { versions: ['23.2'] }),
  controlMem: p('BMC', 'Control-M Enterprise Manager', { versions: ['9.0.21'] }),
  trackit: p('BMC', 'Track-It!', { versions: ['2021'] }),
  remedy: p('BMC', 'Remedy AR System', { versions: ['23.3'] }),
  // Quest (an enterprise agreement covers every product)
  toad: p('Quest', 'Toad for Oracle', { versions: ['17.1'] }),
  spotlight: p('Quest', 'Spotlight on SQL Server', { versions: ['13.7'] }),
  // Long tail: commercial tools, some licensed, some not
  snagit: p('TechSmith', 'Snagit', { versions: ['2024'] }),
  tableau: p('Salesforce', 'Tableau Desktop', { versions: ['2024.2'] }),
  winzip: p('Corel', 'WinZip', { versions: ['28'] }),
  intellij: p('JetBrains', 'IntelliJ IDEA Ultimate', { versions: ['2024.2'] }),
  minitab: p('Minitab', 'Minitab Statistical Software', { versions: ['22'] }),
  nitro: p('Nitro', 'Nitro PDF Pro', { versions: ['14'] }),
  winrar: p('RARLAB', 'WinRAR', { versions: ['7.01'] }),
  teamviewer: p('TeamViewer', 'TeamViewer', { versions: ['15'] }),
  docker: p('Docker', 'Docker Desktop', { versions: ['4.34'] }),
  camtasia: p('TechSmith', 'Camtasia', { versions: ['2024'] }),
  // Freeware (reported as unlicensed: no entitlement exists for it)
  edge: p('Microsoft', 'Edge', { versions: ['129', '130'] }),
  vcredist: p('Microsoft', 'Visual C++ 2015-2022 Redistributable', { versions: ['14.40', '14.38'] }),
  dotnet: p('Microsoft', '.NET Desktop Runtime', { versions: ['6.0', '8.0'] }),
  chrome: p('Google', 'Chrome', { versions: ['129', '130'] }),
  firefox: p('Mozilla', 'Firefox', { versions: ['131'] }),
  sevenZip: p('Igor Pavlov', '7-Zip', { versions: ['24.08'] }),
  notepadpp: p('Notepad++ Team', 'Notepad++', { versions: ['8.7'] }),
  vlc: p('VideoLAN', 'VLC media player', { versions: ['3.0.21'] }),
  git: p('Git', 'Git for Windows', { versions: ['2.46'] }),
  putty: p('Simon Tatham', 'PuTTY', { versions: ['0.81'] }),
  python: p('Python Software Foundation', 'Python', { versions: ['3.12'] }),
  wireshark: p('Wireshark Foundation', 'Wireshark', { versions: ['4.4'] }),
  keepass: p('Dominik Reichl', 'KeePass', { versions: ['2.57'] }),
  vscode: p('Microsoft', 'Visual Studio Code', { versions: ['1.94'] }),
  filezilla: p('Tim Kosse', 'FileZilla Client', { versions: ['3.67'] }),
  gimp: p('The GIMP Team', 'GIMP', { versions: ['2.10'] }),
  paintnet: p('dotPDN', 'Paint.NET', { versions: ['5.0'] }),
  greenshot: p('Greenshot', 'Greenshot', { versions: ['1.2'] }),
  postman: p('Postman', 'Postman', { versions: ['11'] }),
  apache: p('Apache Software Foundation', 'Apache HTTP Server', { versions: ['2.4'] }),
  tomcat: p('Apache Software Foundation', 'Tomcat', { versions: ['9.0', '10.1'] }),
  perl: p('Strawberry Perl', 'Perl', { versions: ['5.38'] }),
} satisfies Record<string, ProductDef>;

/** More everyday tools discovery finds on desktops: the long tail's variety (none licensed). */
const DESKTOP_TOOLS: readonly (readonly [string, string, string])[] = [
  ['Slack Technologies', 'Slack', '4.40'], ['Cisco', 'Webex', '44.8'], ['Dropbox', 'Dropbox', '207'],
  ['Audacity Team', 'Audacity', '3.6'], ['OBS Project', 'OBS Studio', '30.2'], ['Inkscape Project', 'Inkscape', '1.3'],
  ['The Document Foundation', 'LibreOffice', '24.8'], ['Mozilla', 'Thunderbird', '128'], ['Martin Prikryl', 'WinSCP', '6.3'],
  ['OpenJS Foundation', 'Node.js', '20.17'], ['Microsoft', 'PowerShell 7', '7.4'], ['Microsoft', 'Power BI Desktop', '2.134'],
  ['Microsoft', 'SQL Server Management Studio', '20.2'], ['DBeaver Corp', 'DBeaver Community', '24.2'],
  ['Eclipse Foundation', 'Eclipse IDE', '2024-09'], ['Google', 'Android Studio', '2024.1'], ['Irfan Skiljan', 'IrfanView', '4.67'],
  ['Foxit Software', 'Foxit PDF Reader', '2024.3'], ['TortoiseGit', 'TortoiseGit', '2.15'], ['WinMerge', 'WinMerge', '2.16'],
  ['voidtools', 'Everything', '1.4'], ['ShareX Team', 'ShareX', '16.1'], ['Mestrelab', 'HeidiSQL', '12.8'],
  ['Mobatek', 'MobaXterm', '24.2'], ['Oracle', 'VirtualBox', '7.1'], ['Microsoft', 'Remote Desktop Connection Manager', '2.93'],
];

export type ProductKey = keyof typeof PRODUCT_DEFS;
export const PRODUCT_KEYS = Object.keys(PRODUCT_DEFS) as ProductKey[];
export const PRODUCTS: readonly ProductDef[] = [
  ...PRODUCT_KEYS.map((k) => PRODUCT_DEFS[k]),
  ...DESKTOP_TOOLS.map(([publisher, product, version]) => p(publisher, product, { versions: [version] })),
];
/** Product indices of DESKTOP_TOOLS (they have no key: only the long tail installs them). */
export const DESKTOP_TOOL_INDICES: readonly number[] = DESKTOP_TOOLS.map((_, i) => PRODUCT_KEYS.length + i);
/** Product index by key: installations and activity store these small numbers. */
export const PI = Object.fromEntries(PRODUCT_KEYS.map((k, i) => [k, i])) as Record<ProductKey, number>;

/** What the generator wants the position's status to come out as (quantities are set to match). */
export type Posture = 'compliant' | 'warning1' | 'warning2' | 'noncompliant' | 'expired';
/** perpetual: bought once; term: a subscription with an end date after asOf. */
export type Term = 'perpetual' | 'term';

export interface PositionDef {
  readonly key: string;
  /** A product key, or `publisher:*` for every product of that publisher. */
  readonly product: ProductKey | `${string}:*`;
  readonly metric: MetricId;
  readonly posture: Posture;
  readonly unitCost: number;
  readonly term?: Term;
  readonly version?: string;
  readonly edition?: string;
  readonly company?: string;
  readonly site?: string;
  readonly network?: string;
  /** Entitlement settings outside the position key (minCoresPerVm, userType, …). */
  readonly extra?: Readonly<Record<string, Cell>>;
  readonly notes?: string;
}

const pos = (key: string, product: PositionDef['product'], metric: MetricId, posture: Posture, unitCost: number,
  more: Partial<PositionDef> = {}): PositionDef => ({ key, product, metric, posture, unitCost, ...more });

/**
 * Licence positions, most essential first: when fewer entitlement rows are asked for than
 * there are positions, the tail is dropped, and the first 50 cover every metric.
 */
export const POSITIONS: readonly PositionDef[] = [
  // Install and device metrics
  pos('bladelogic', 'bladelogic', 'per_instance', 'compliant', 1450),
  pos('office21', 'office', 'per_device', 'warning1', 439, { version: '2021', notes: 'Microsoft EA 2021 true-up' }),
  pos('clientMgmt', 'clientMgmt', 'per_copy_per_device', 'noncompliant', 38, { extra: { copiesPerDevice: 1 } }),
  pos('truesight', 'truesight', 'per_server', 'compliant', 2900, { extra: { hardwareManufacturer: 'Dell Inc.' } }),
  pos('controlMem', 'controlMem', 'enterprise', 'compliant', 0, { notes: 'Enterprise licence agreement' }),
  pos('trackit', 'trackit', 'site', 'compliant', 0, { site: 'Detroit' }),
  // Processor metrics
  pos('controlM', 'controlM', 'per_cpu_sum', 'warning1', 5200),
  pos('patrolDb', 'patrolDb', 'per_cpu_multiplier', 'compliant', 1800),
  pos('capacity', 'capacity', 'per_cpu_constant', 'warning2', 2400),
  pos('discovery', 'discovery', 'per_core_sum', 'compliant', 95),
  pos('patrolVirt', 'patrolVirt', 'per_core_multiplier', 'noncompliant', 120),
  pos('helixOps', 'helixOps', 'per_core_constant', 'compliant', 140),
  pos('hypervisor', 'hypervisor', 'per_processor', 'compliant', 763),
  pos('sqlEnt', 'sql', 'per_core', 'noncompliant', 7562, { edition: 'Enterprise', extra: { minCoresPerVm: 4 } }),
  pos('winDc', 'winsrv', 'per_core_cal', 'compliant', 385, { edition: 'Datacenter' }),
  pos('vsphere', 'vsphere', 'vmware_per_processor', 'compliant', 4780),
  pos('rhel', 'rhel', 'socket_pair', 'warning1', 1299, { term: 'term' }),
  pos('oradb', 'oradb', 'oracle_processor', 'noncompliant', 47500, { notes: 'OLSA 2019, CSI 22841137' }),
  pos('was', 'was', 'pvu', 'warning1', 68, { extra: { subcapacity: true } }),
  pos('tivoli', 'tivoli', 'rvu', 'warning2', 210),
  pos('db2', 'db2', 'vpc', 'compliant', 2950),
  // User metrics
  pos('project', 'project', 'per_user', 'warning2', 1129),
  pos('horizon', 'horizon', 'named_user', 'warning1', 395, { term: 'term' }),
  pos('doors', 'doors', 'authorized_user', 'compliant', 4500),
  pos('cognos', 'cognos', 'auvu', 'compliant', 640),
  pos('isim', 'isim', 'euvu', 'compliant', 22),
  pos('isva', 'isva', 'external_uvu', 'noncompliant', 9),
  pos('java', 'java', 'employee', 'compliant', 180, { term: 'term', notes: 'Java SE Universal Subscription' }),
  pos('winUserCal', 'winsrv', 'user_cal', 'compliant', 46),
  pos('winDeviceCal', 'winsrv', 'device_cal', 'warning1', 40),
  pos('orase2', 'orase2', 'oracle_nup', 'compliant', 350, { extra: { nupPerProcessor: 10 } }),
  pos('cvad', 'cvad', 'per_user_device', 'warning2', 410, { term: 'term' }),
  pos('aria', 'aria', 'per_osi', 'compliant', 150, { term: 'term' }),
  pos('sapPro', 'sapPro', 'sap_named_user', 'warning1', 3200, { extra: { userType: 'Professional' } }),
  pos('sapCloud', 'sapCloud', 'fue', 'compliant', 1450, { term: 'term' }),
  pos('m365e3', 'm365e3', 'user_subscription', 'warning1', 432, { term: 'term' }),
  pos('remedyFixed', 'remedy', 'named_fixed', 'compliant', 3100),
  // Concurrent, usage and sensor metrics
  pos('remedyFloat', 'remedy', 'floating', 'compliant', 5600),
  pos('cvaAdv', 'cvaAdv', 'concurrent_user', 'compliant', 450, { term: 'term' }),
  pos('revit', 'revit', 'token', 'noncompliant', 300, { term: 'term' }),
  pos('matlab', 'matlab', 'network', 'compliant', 4150, { network: 'lic-us' }),
  pos('sapPayroll', 'sapPayroll', 'engine_measurement', 'compliant', 11, { term: 'term' }),
  pos('sapDigital', 'sapDigital', 'digital_access', 'warning2', 0.5, { term: 'term' }),
  pos('snowflake', 'snowflake', 'saas_consumption', 'noncompliant', 3, { term: 'term' }),
  pos('falcon', 'falcon', 'sensor_hourly', 'warning1', 60, { term: 'term' }),
  pos('discover', 'discover', 'sensor_subscription', 'compliant', 25, { term: 'term' }),
  // Alemba Service Manager
  pos('asmAnalyst', 'asm', 'asm_analyst', 'warning1', 1200, { term: 'term' }),
  pos('asmConcurrent', 'asm', 'asm_concurrent', 'compliant', 2600, { term: 'term' }),
  pos('asmSite', 'asm', 'asm_site', 'compliant', 15000, { term: 'term' }),
  pos('asmConnector', 'Alemba:*', 'asm_connector', 'noncompliant', 5000, { term: 'term' }),
  // Further positions of the same metrics (a real estate has several per metric)
  pos('win11', 'win11', 'per_device', 'compliant', 180),
  pos('office19', 'office', 'per_device', 'compliant', 399, { version: '2019' }),
  pos('visio', 'visio', 'per_device', 'noncompliant', 530, { edition: 'Professional' }),
  pos('acroPro', 'acroPro', 'per_device', 'noncompliant', 360),
  pos('acroStd', 'acroStd', 'per_user', 'compliant', 239),
  pos('creative', 'creative', 'user_subscription', 'compliant', 1020, { term: 'term' }),
  pos('m365e5', 'm365e5', 'user_subscription', 'noncompliant', 684, { term: 'term' }),
  pos('salesCloud', 'salesCloud', 'user_subscription', 'warning2', 1980, { term: 'term' }),
  pos('zoom', 'zoom', 'user_subscription', 'compliant', 160, { term: 'term' }),
  pos('sqlStd', 'sql', 'per_core', 'compliant', 1971, { edition: 'Standard', extra: { minCoresPerVm: 4 } }),
  pos('winStd', 'winsrv', 'per_core_cal', 'warning1', 62, { edition: 'Standard' }),
  pos('exchange', 'exchange', 'per_instance', 'compliant', 1050),
  pos('vcenter', 'vcenter', 'per_instance', 'compliant', 6175),
  pos('sharepoint', 'sharepoint', 'per_server', 'compliant', 7000),
  pos('weblogic', 'weblogic', 'oracle_processor', 'warning2', 25000),
  pos('openshift', 'openshift', 'per_core', 'compliant', 1200, { term: 'term' }),
  pos('sapFun', 'sapFun', 'sap_named_user', 'compliant', 1600, { extra: { userType: 'Functional' } }),
  pos('sapProd', 'sapProd', 'sap_named_user', 'compliant', 400, { extra: { userType: 'Productivity' } }),
  pos('autocad', 'autocad', 'floating', 'warning1', 2100, { term: 'term' }),
  pos('pcomm', 'pcomm', 'per_device', 'compliant', 250),
  pos('spss', 'spss', 'per_user', 'noncompliant', 2500, { term: 'term' }),
  pos('quest', 'Quest:*', 'enterprise', 'compliant', 0, { notes: 'Quest enterprise agreement' }),
  pos('vs', 'vs', 'per_user', 'compliant', 1199, { company: 'Fabrikam Finance' }),
  pos('snagit', 'snagit', 'per_user', 'compliant', 63, { company: 'Contoso Manufacturing' }),
  pos('solidworks', 'solidworks', 'per_device', 'warning1', 3995, { site: 'Detroit' }),
  pos('tableau', 'tableau', 'per_user', 'expired', 900, { term: 'term' }),
  pos('winzip', 'winzip', 'per_device', 'compliant', 35),
  pos('intellij', 'intellij', 'per_user', 'warning2', 599, { term: 'term' }),
  pos('minitab', 'minitab', 'per_device', 'compliant', 1851),
  pos('nitro', 'nitro', 'per_device', 'expired', 180),
];

/** Position index by key (allocations name a position until entitlement ids exist). */
export const POS: Readonly<Record<string, number>> = Object.fromEntries(POSITIONS.map((p, i) => [p.key, i]));

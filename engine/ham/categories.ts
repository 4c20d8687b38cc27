// The hardware resource categories of ham.md and their out-of-box model categories.

export interface ResourceCategory {
  readonly name: string;
  readonly ratio: number;
  readonly modelCategories: readonly string[];
  /** The settings.hamEntitlements id that entitles it; null: needs none. */
  readonly entitlement: string | null;
  /** The HAM license version from which it is licensable. */
  readonly version: number;
  /** Its operational-technology equivalent; null: none (an OT asset there does not count). */
  readonly ot: string | null;
  /** Installed solutions that may license it, costliest first. */
  readonly solutions: readonly ('ztm' | 'tni' | 'ham')[];
}

const rc = (
  name: string, ratio: number, modelCategories: string[], entitlement: string | null, version: number,
  ot: string | null, solutions: ('ztm' | 'tni' | 'ham')[] = ['ham'],
): ResourceCategory => ({ name, ratio, modelCategories, entitlement, version, ot, solutions });

export const RESOURCE_CATEGORY_TABLE: readonly ResourceCategory[] = [
  rc('End User Computers', 4, ['Computer'], 'ham_computer_license', 4, 'OT End User Computers'),
  rc('Servers', 1, ['Server', 'AIX Server', 'ESX Server', 'HPUX Server', 'Linux Server', 'Netware Server', 'OS/X Server',
    'Solaris Server', 'Unix Server', 'Windows Server'], 'ham_server_license', 4, 'OT Servers', ['tni', 'ham']),
  rc('Network Gear', 5, ['Network Gear', 'IP Switch', 'IP Router'], 'ham_networkgear_license', 4, 'OT Network Gear', ['tni', 'ham']),
  rc('Mobile Device', 10, ['Mobile Device'], 'ham_mobiledevice_license', 4, 'OT Mobile Devices', ['ztm', 'ham']),
  rc('Telecom Network Inventory', 1, ['Card', 'Network Interface', 'Logical connection', 'Physical connection', 'Telco equipment'],
    'ham_tni_license', 4, null, ['tni', 'ham']),
  rc('Unclassified hardware', 1, ['Hardware'], null, 5, 'OT Unclassified Hardware'),
  rc('Monitors', 15, ['Monitor'], 'ham_monitor_license', 5, 'OT Monitors'),
  rc('Storage', 3, ['Storage Device'], 'ham_storage_license', 5, 'OT Storage'),
  rc('Printers', 10, ['Printer'], 'ham_printer_license', 5, 'OT Printers'),
];

export const RESOURCE_CATEGORIES: readonly string[] = RESOURCE_CATEGORY_TABLE.map((c) => c.name);
export const OT_CATEGORIES: readonly string[] = RESOURCE_CATEGORY_TABLE.flatMap((c) => (c.ot ? [c.ot] : []));
export const HAM_ENTITLEMENT_IDS: readonly string[] = RESOURCE_CATEGORY_TABLE.flatMap((c) => (c.entitlement ? [c.entitlement] : []));
export const HAM_SOLUTIONS = ['ztm', 'tni', 'ham'] as const;

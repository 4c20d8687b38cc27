// Every license metric of metrics.md: its id, family, the names publishers give it and its rule in
// words. The UI's metric picker is built from this table; the rules themselves live in the family
// modules next to it.

export type MetricFamily = 'install' | 'processor' | 'user' | 'concurrent' | 'servicedesk';

export interface MetricInfo {
  readonly id: string;
  readonly family: MetricFamily;
  readonly name: string;
  readonly publishers: readonly string[];
  readonly rule: string;
}

const m = (id: string, family: MetricFamily, name: string, publishers: string[], rule: string): MetricInfo =>
  ({ id, family, name, publishers, rule });

export const METRICS: readonly MetricInfo[] = [
  m('per_instance', 'install', 'Per instance', ['BMC', 'Microsoft', 'VMware'], 'Every matching installation counts one.'),
  m('per_device', 'install', 'Per device', ['Adobe', 'Citrix', 'IBM', 'Microsoft', 'VMware'], 'Distinct devices with a matching installation.'),
  m('per_copy_per_device', 'install', 'Per copy per device', ['BMC'], 'Distinct devices; noncompliant when a device has more copies than copiesPerDevice (default 1).'),
  m('per_server', 'install', 'Per server', ['BMC', 'Microsoft'], 'Distinct hosts of matching installations, optionally only hosts of the given hardware manufacturer/model.'),
  m('enterprise', 'install', 'Enterprise', ['BMC'], 'Matching installations, for information; always compliant.'),
  m('site', 'install', 'Site', ['BMC'], 'Matching installations at the entitlement’s site; always compliant.'),

  m('per_cpu_sum', 'processor', 'Per CPU (sum)', ['BMC'], 'Σ over hosts of their processors (sockets).'),
  m('per_cpu_multiplier', 'processor', 'Per CPU (multiplier)', ['BMC'], 'Σ over hosts of processors × the processor’s multiplier (default 1).'),
  m('per_cpu_constant', 'processor', 'Per CPU (constant)', ['BMC'], 'Σ over hosts of processors × the processor’s constant (default 1).'),
  m('per_core_sum', 'processor', 'Per core (sum)', ['BMC'], 'Σ over hosts of their physical cores.'),
  m('per_core_multiplier', 'processor', 'Per core (multiplier)', ['BMC'], 'Σ over hosts of cores × the processor’s multiplier (default 1).'),
  m('per_core_constant', 'processor', 'Per core (constant)', ['BMC'], 'Σ over hosts of cores × the processor’s constant (default 1).'),
  m('per_processor', 'processor', 'Per processor', ['Citrix', 'IBM', 'Microsoft'], 'Σ over matching devices: sockets of a physical device, vCPUs (else CPUs) of a VM.'),
  m('per_core', 'processor', 'Per core (with minimums)', ['Microsoft', 'Red Hat'], 'Per host the larger of its cores and the minimums; on VMs only, at most Σ max(vCPUs, min per VM).'),
  m('per_core_cal', 'processor', 'Per core (with CAL)', ['Microsoft'], 'Cores of each host, or of a whole ESX cluster when the host is an ESX Server in a cluster.'),
  m('vmware_per_processor', 'processor', 'Per processor (≤32 cores)', ['VMware'], 'Per host: sockets × ⌈cores per socket ÷ maxCoresPerProcessor (32)⌉.'),
  m('socket_pair', 'processor', 'Per socket-pair', ['Red Hat'], 'Per host ⌈sockets ÷ 2⌉; on VMs only ⌈VMs ÷ 2⌉.'),
  m('oracle_processor', 'processor', 'Processor (core factor)', ['Oracle'], 'Per host, or per cluster with live migration: ⌈Σ cores × core factor⌉; cloud VMs by vCPU.'),
  m('pvu', 'processor', 'Processor Value Unit', ['IBM'], 'Per host counted cores (sub-capacity: VM vCPUs up to the host’s cores) × PVU per core (default 100).'),
  m('rvu', 'processor', 'Resource Value Unit', ['IBM'], 'Counted cores as for PVU, summed, converted by tiers.'),
  m('vpc', 'processor', 'Virtual Processor Core', ['IBM'], 'Per host its cores; on VMs only Σ vCPUs up to the host’s cores.'),

  m('per_user', 'user', 'Per user', ['Adobe', 'BMC', 'Citrix', 'IBM', 'Microsoft'], 'Distinct users of matching installations; an installation with no user counts one.'),
  m('named_user', 'user', 'Named user', ['IBM', 'VMware'], 'Distinct users with an allocation or a matching installation.'),
  m('authorized_user', 'user', 'Authorized user', ['IBM'], 'Distinct users with an access record or an allocation.'),
  m('auvu', 'user', 'Authorized User Value Unit', ['IBM'], 'Authorized users, converted by tiers.'),
  m('euvu', 'user', 'Employee User Value Unit', ['IBM'], 'Users who are not external, converted by tiers.'),
  m('external_uvu', 'user', 'External User Value Unit', ['IBM'], 'External users, converted by tiers.'),
  m('employee', 'user', 'Employee', ['Oracle'], 'Every user who is not external, whether or not they use it.'),
  m('user_cal', 'user', 'User CAL', ['Microsoft'], 'Distinct users in access records.'),
  m('device_cal', 'user', 'Device CAL', ['Microsoft'], 'Distinct devices in access records.'),
  m('oracle_nup', 'user', 'Named User Plus', ['Oracle'], 'The larger of distinct users (access and installations) and nupPerProcessor × Oracle processors.'),
  m('per_user_device', 'user', 'Per user/device', ['Citrix'], 'The fewest users and devices that cover every (user, device) pair of use.'),
  m('per_osi', 'user', 'Per OSI', ['VMware'], 'Distinct devices with an IP address in access records.'),
  m('sap_named_user', 'user', 'Named user (SAP)', ['SAP'], 'Distinct users allocated with the entitlement’s user type.'),
  m('fue', 'user', 'Full Usage Equivalent', ['SAP'], '⌈Σ per allocated user of their highest class: advanced 1, core 1/5, self-service 1/30⌉.'),
  m('user_subscription', 'user', 'User subscription', ['Adobe', 'Microsoft', 'Subscription'], 'Active subscription records, with the allocated/in-use breakdown.'),
  m('named_fixed', 'user', 'AR System fixed', ['BMC'], 'Distinct users with an allocation.'),

  m('floating', 'concurrent', 'Floating', ['BMC', 'Subscription'], 'Peak number of sessions open at once in the window.'),
  m('concurrent_user', 'concurrent', 'Concurrent user', ['Citrix'], 'Peak number of distinct users with an open session.'),
  m('token', 'concurrent', 'Token', ['Subscription'], 'Peak total tokens of sessions open at once.'),
  m('network', 'concurrent', 'Network', ['Subscription'], 'Peak sessions open at once on the entitlement’s network.'),
  m('engine_measurement', 'concurrent', 'Engine measurement', ['SAP'], 'The latest measurement in the window.'),
  m('digital_access', 'concurrent', 'Digital access', ['SAP'], 'Σ documents measured in the window.'),
  m('saas_consumption', 'concurrent', 'SaaS consumption', ['Subscription'], 'Σ units measured in the window.'),
  m('sensor_hourly', 'concurrent', 'Reserved hourly average sensor', ['CrowdStrike'], '⌈Mean over the 672 hours before asOf of devices checking in each hour⌉.'),
  m('sensor_subscription', 'concurrent', 'Sensor subscription', ['CrowdStrike'], '⌈Mean over the four weeks before asOf of devices checking in each week⌉.'),

  m('asm_analyst', 'servicedesk', 'Analyst', ['Alemba'], 'Distinct active analysts and external contacts.'),
  m('asm_concurrent', 'servicedesk', 'Concurrent analyst', ['Alemba'], 'Peak analyst/external-contact sessions; each client session holds its own license.'),
  m('asm_site', 'servicedesk', 'Site (production server)', ['Alemba'], 'Distinct production devices with a matching installation.'),
  m('asm_connector', 'servicedesk', 'Connector', ['Alemba'], 'Distinct connector products installed, leaving out free connectors.'),
];

export const METRIC_IDS: readonly string[] = METRICS.map((x) => x.id);
export type MetricId = string;

const byId = new Map(METRICS.map((x) => [x.id, x]));
export function metricInfo(id: string): MetricInfo | undefined {
  return byId.get(id);
}

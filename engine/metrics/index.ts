// Every metric rule, by id. Each family module holds its rules with the rule of metrics.md beside.

import type { MetricRule } from './rule';
import { INSTALL_RULES } from './install';
import { PROCESSOR_RULES } from './processor';
import { USER_RULES } from './user';
import { CONCURRENT_RULES } from './concurrent';
import { SERVICEDESK_RULES } from './servicedesk';
import { METRIC_IDS } from './catalog';

export const RULES: ReadonlyMap<string, MetricRule> = new Map(
  [...INSTALL_RULES, ...PROCESSOR_RULES, ...USER_RULES, ...CONCURRENT_RULES, ...SERVICEDESK_RULES].map((r) => [r.id, r]),
);

for (const id of METRIC_IDS) if (!RULES.has(id)) throw new Error(`metric ${id} has no rule`);

// Every metric rule, by id. Each family module holds its rules with the rule of metrics.md beside.

import type { MetricRule } from './rule';
import { INSTALL_RULES } from './install';
import { PROCESSOR_RULES } from './processor';
import { USER_RULES } from './user';
import { CONCURRENT_RULES } from './concurrent';
import { SERVICEDESK_RULES } from './servicedesk';
import { METRIC_IDS } from './catalog';

export const RULES: ReadonlyMap<string, MetricRule> = new Map(
  [...INSTALL_RULES, ...PROCESSOR_RULES, ...USER_RULES, ...CONCURRENT_RULES, ...SERVICEDESK_RULES].map((r) => [r.id, sameShape(r)]),
);

/**
 * A rule with every field of MetricRule, in one order, absent ones undefined. Passes over
 * positions (computeWhole, eachSource) read a rule's sources and evaluate on rules of fifty
 * shapes otherwise; one shape keeps those reads monomorphic, so V8 compiles the passes once
 * instead of again after each new shape deoptimizes them.
 */
function sameShape(r: MetricRule): MetricRule {
  return {
    id: r.id, scale: r.scale, parts: r.parts, alwaysCompliant: r.alwaysCompliant, factorKind: r.factorKind,
    usesTiers: r.usesTiers, scope: r.scope,
    install: r.install, allocation: r.allocation, access: r.access, subscription: r.subscription, user: r.user,
    session: r.session, sensor: r.sensor, measurement: r.measurement,
    evaluate: r.evaluate, combine: r.combine, explainTotal: r.explainTotal, breakdown: r.breakdown,
  };
}

for (const id of METRIC_IDS) if (!RULES.has(id)) throw new Error(`metric ${id} has no rule`);

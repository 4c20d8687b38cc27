// Service desk licensing, Alemba Service Manager (metrics.md, "Service desk licensing").

import type { RawRow } from '../../engine/cells';
import { dev, OCTOBER, t, table, user, type Case } from './table';

const ASM = { publisher: 'Alemba', product: 'Service Manager' };
const sm = (id: string, metric: string, quantity: number, more: RawRow = {}): RawRow => ({ id, ...ASM, metric, quantity, ...more });
const sess = (id: string, userId: string | null, client: string, start: string, end: string, more: RawRow = {}): RawRow =>
  ({ id, ...ASM, ...(userId === null ? {} : { userId }), client, start, end, ...more });
const conn = (id: string, deviceId: string, product: string): RawRow => ({ id, deviceId, publisher: 'Alemba', product });

const staff = [
  user('a1', { role: 'analyst' }), user('a2', { role: ' Analyst ' }), user('x1', { role: 'External Contact' }),
  user('a3', { role: 'analyst', active: false }), user('s1', { role: 'user' }), user('s2'),
];

const cases: Case[] = [
  {
    name: 'asm_analyst',
    why: 'a1, a2 (" Analyst ") and x1 (external contact) = 3; a3 inactive, s1 (user) and s2 (default user) never',
    sheets: { users: staff, entitlements: [sm('e1', 'asm_analyst', 3)] },
    expect: { e1: { consumed: 3, status: 'compliant' } },
  },
  {
    name: 'asm_analyst company scope',
    why: 'company Contoso: a1 and x1 of Contoso → 2; a2 of Fabrikam out',
    sheets: {
      users: [user('a1', { role: 'analyst', company: 'Contoso' }), user('a2', { role: 'analyst', company: 'Fabrikam' }), user('x1', { role: 'external contact', company: 'contoso' })],
      entitlements: [sm('e1', 'asm_analyst', 5, { company: 'Contoso' })],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'asm_concurrent: each client session holds a license',
    why: 'a1 Core 09–12 and Nano 10–11 (two licenses), a2 Core 10:30–11, x1 Nano 10:45–11:30: at 10:45 → 4; s1 self-service session ignored',
    sheets: {
      settings: OCTOBER,
      users: staff,
      sessions: [
        sess('q1', 'a1', 'Core', t('09:00'), t('12:00')), sess('q2', 'a1', 'Nano', t('10:00'), t('11:00')), sess('q3', 'a2', 'Core', t('10:30'), t('11:00')),
        sess('q4', 'x1', 'Nano', t('10:45'), t('11:30')), sess('q5', 's1', 'Portal', t('10:30'), t('10:50')),
      ],
      entitlements: [sm('e1', 'asm_concurrent', 3)],
    },
    expect: { e1: { consumed: 4, status: 'noncompliant', shortfall: 1 } },
  },
  {
    name: 'asm_concurrent touching sessions, users that are not analysts, window',
    why: 'a1 Core 09–10 then Nano 10–11 (touching) → 1; sessions by unknown u9 and by nobody are not analysts\' sessions; a2 sessions in September are outside the October window → 1',
    sheets: {
      settings: OCTOBER,
      users: staff,
      sessions: [
        sess('q1', 'a1', 'Core', t('09:00'), t('10:00')), sess('q2', 'a1', 'Nano', t('10:00'), t('11:00')), sess('q3', 'u9', 'Core', t('09:30'), t('10:30')),
        sess('q4', null, 'Core', t('09:30'), t('10:30')), sess('q5', 'a2', 'Core', t('09:00', '2026-09-20'), t('10:00', '2026-09-20')), sess('q6', 'x1', 'Core', t('09:00', '2026-09-20'), t('10:00', '2026-09-20')),
      ],
      entitlements: [sm('e1', 'asm_concurrent', 3)],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    // Ambiguity decided: asm_concurrent is not among the counts of people that inactive users drop
    // out of, and "usage that happened (sessions) still counts": an inactive analyst's session
    // held a license. A session by an unknown user has no known role and does not count.
    name: 'asm_concurrent: an inactive analyst\'s session still counts',
    why: 'a3 (inactive analyst) Core 09–10 overlaps a1 Core 09:30–10:30 → 2',
    sheets: {
      settings: OCTOBER,
      users: staff,
      sessions: [sess('q1', 'a3', 'Core', t('09:00'), t('10:00')), sess('q2', 'a1', 'Core', t('09:30'), t('10:30'))],
      entitlements: [sm('e1', 'asm_concurrent', 3)],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'asm_concurrent network filter',
    why: 'network HQ: a1 Core on hq and a2 Core on HQ overlap → 2; x1 on Branch excluded',
    sheets: {
      settings: OCTOBER,
      users: staff,
      sessions: [sess('q1', 'a1', 'Core', t('09:00'), t('11:00'), { network: 'hq' }), sess('q2', 'a2', 'Core', t('10:00'), t('12:00'), { network: 'HQ' }), sess('q3', 'x1', 'Nano', t('10:00'), t('12:00'), { network: 'Branch' })],
      entitlements: [sm('e1', 'asm_concurrent', 3, { network: 'HQ' })],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'asm_site production servers',
    why: 'srv1 ("Production", 2 installs) and srv2 (production) → 2; srv3 test and srv4 retired production out',
    sheets: {
      devices: [dev('srv1', { environment: 'Production' }), dev('srv2', { environment: 'production ' }), dev('srv3', { environment: 'test' }), dev('srv4', { environment: 'production', status: 'retired' })],
      installations: [conn('i1', 'srv1', 'Service Manager'), conn('i2', 'srv1', 'Service Manager'), conn('i3', 'srv2', 'Service Manager'), conn('i4', 'srv3', 'Service Manager'), conn('i5', 'srv4', 'Service Manager')],
      entitlements: [sm('e1', 'asm_site', 2)],
    },
    expect: { e1: { consumed: 2, status: 'compliant' } },
  },
  {
    name: 'asm_connector distinct products, free connectors and Service Manager never count',
    why: 'Jira Connector (2 devices, once) + ServiceNow Connector + "SSO Bridge" (not the whole name SSO) = 3; Service Manager, Microsoft Teams (any case), Intune, SCCM free; retired srv3 Remedy out',
    sheets: {
      devices: [dev('srv1'), dev('srv2'), dev('srv3', { status: 'retired' })],
      installations: [
        conn('c0', 'srv1', 'Service Manager'), conn('c1', 'srv1', 'Microsoft Teams'), conn('c2', 'srv2', ' microsoft teams'), conn('c3', 'srv1', 'Jira Connector'),
        conn('c4', 'srv2', 'jira connector'), conn('c5', 'srv1', 'ServiceNow Connector'), conn('c6', 'srv1', 'SSO Bridge'), conn('c7', 'srv1', 'Intune'),
        conn('c8', 'srv2', 'SCCM'), conn('c9', 'srv3', 'Remedy Connector'),
      ],
      entitlements: [sm('e1', 'asm_connector', 3, { product: '*' })],
    },
    expect: { e1: { consumed: 3, status: 'compliant' } },
  },
  {
    name: 'asm_connector with asmFreeConnectors set',
    why: 'asmFreeConnectors = [Jira Connector] replaces the default list: Microsoft Teams + ServiceNow Connector + Intune = 3; Service Manager still never counts',
    sheets: {
      settings: { asmFreeConnectors: ['Jira Connector'] },
      devices: [dev('srv1')],
      installations: [conn('c0', 'srv1', 'Service Manager'), conn('c1', 'srv1', 'Microsoft Teams'), conn('c2', 'srv1', 'Jira Connector'), conn('c3', 'srv1', 'ServiceNow Connector'), conn('c4', 'srv1', 'Intune')],
      entitlements: [sm('e1', 'asm_connector', 3, { product: '*' })],
    },
    expect: { e1: { consumed: 3 } },
  },
  {
    name: 'asm_connector for one product',
    why: 'entitlement product Jira Connector: installed on srv1 and srv2 → 1 distinct product',
    sheets: {
      devices: [dev('srv1'), dev('srv2')],
      installations: [conn('c1', 'srv1', 'Jira Connector'), conn('c2', 'srv2', 'Jira Connector'), conn('c3', 'srv1', 'ServiceNow Connector')],
      entitlements: [sm('e1', 'asm_connector', 1, { product: 'Jira Connector' })],
    },
    expect: { e1: { consumed: 1 } },
  },
];

table('service desk metrics', cases);

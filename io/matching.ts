// Matching references on import: a reference cell (an installation's device, a device's owner…)
// finds the row it means by its id, else by what exports actually write there — a device's name,
// its host name or FQDN (case aside, the domain suffix optional either way), its serial number;
// a user's email or login (a DOMAIN\ prefix aside) or name. The match is written into the row as
// the id, so reconciliation finds it; a cell that matches nothing, or more than one row, is kept as
// it was and counted (the engine then reports it, as the preview said it would).
//
// Tiers (decision, in the README): the id first; then names and exact addresses (name, FQDN,
// email, login); then the short host name and an email's local part; then the serial number. The
// first tier with a hit decides; two rows in that tier make the cell ambiguous.

import type { RawRow } from '../engine/cells';
import { isBuiltinModelCategory } from '../engine/ham/ham';
import type { SheetName } from '../engine/schema';
import { nameKey } from './names';

export type RefTarget = SheetName | 'modelCategoryName';
/** Every target a reference column names (schema.ts Column.ref). */
export const REF_TARGETS: readonly RefTarget[] = ['devices', 'users', 'clusters', 'entitlements', 'modelCategoryName'];

/** Extra columns (by key form) that name a row another way, and their tier. */
const EXTRA_KEYS: Partial<Record<RefTarget, Record<string, number>>> = {
  devices: { fqdn: 2, dnsname: 2, dnshostname: 2, hostname: 2, computername: 2, serialnumber: 4, serial: 4, serialno: 4, biosserialnumber: 4 },
  users: { email: 2, emailaddress: 2, mail: 2, userprincipalname: 2, upn: 2, login: 2, username: 2, samaccountname: 2, account: 2 },
};

/** Whether a column (an extra one, by its name) is one matching reads for a target. */
export function matchingColumn(target: RefTarget, column: string): boolean {
  return EXTRA_KEYS[target]?.[nameKey(column)] !== undefined;
}

const IP = /^\d{1,3}(\.\d{1,3}){3}$/;
/** "mty-dt-000545.corp.example" → "mty-dt-000545"; an IP address has no host part. */
const hostPart = (v: string): string | null => {
  const dot = v.indexOf('.');
  return dot > 0 && !IP.test(v) ? v.slice(0, dot) : null;
};
/** "CORP\\jdoe" → "jdoe". */
const withoutDomain = (v: string): string => {
  const slash = v.lastIndexOf('\\');
  return slash >= 0 ? v.slice(slash + 1) : v;
};
const comparable = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : '');

export type Via = 'id' | 'name' | 'host name' | 'serial number' | 'email' | 'login';

export interface Resolution {
  /** The id the cell means, or null when it could not be resolved. */
  id: string | null;
  via?: Via;
  why?: 'not found' | 'ambiguous';
}

interface Hit { id: string; via: Via }

export class ReferenceIndex {
  private readonly ids = new Map<RefTarget, Map<string, string>>();
  /** target → tier → key → hits. */
  private readonly keys = new Map<RefTarget, Map<number, Map<string, Hit[]>>>();

  private file(target: RefTarget, tier: number, key: string, hit: Hit): void {
    if (key === '') return;
    let tiers = this.keys.get(target);
    if (!tiers) this.keys.set(target, (tiers = new Map()));
    let byKey = tiers.get(tier);
    if (!byKey) tiers.set(tier, (byKey = new Map()));
    const list = byKey.get(key);
    if (!list) byKey.set(key, [hit]);
    else if (!list.some((h) => h.id === hit.id)) list.push(hit);
  }

  /** Adds a row of a sheet that references can name (its cells as the document holds them). */
  add(target: RefTarget, row: RawRow): void {
    if (target === 'modelCategoryName') {
      const name = comparable(row.name);
      if (name) this.file(target, 1, name, { id: String(row.name).trim(), via: 'name' });
      return;
    }
    const idText = typeof row.id === 'string' ? row.id.trim() : typeof row.id === 'number' ? String(row.id) : '';
    const id = idText.toLowerCase();
    if (id === '') return;
    let ids = this.ids.get(target);
    if (!ids) this.ids.set(target, (ids = new Map()));
    if (!ids.has(id)) ids.set(id, idText);
    if (target !== 'devices' && target !== 'users' && target !== 'clusters') return;
    const name = comparable(row.name);
    if (name) {
      this.file(target, 2, name, { id: idText, via: 'name' });
      const host = target === 'devices' ? hostPart(name) : null;
      if (host) this.file(target, 3, host, { id: idText, via: 'host name' });
    }
    const extra = EXTRA_KEYS[target];
    if (!extra) return;
    for (const [column, value] of Object.entries(row)) {
      const tier = extra[nameKey(column)];
      const v = comparable(value);
      if (tier === undefined || v === '') continue;
      const via: Via = tier === 4 ? 'serial number' : target === 'users' ? (v.includes('@') ? 'email' : 'login') : 'name';
      this.file(target, tier, target === 'users' ? withoutDomain(v) : v, { id: idText, via });
      // A login also answers to an email's local part ("jdoe@corp.example" → "jdoe"), one tier down.
      if (target === 'users' && !v.includes('@')) this.file(target, 3, withoutDomain(v), { id: idText, via: 'login' });
      if (target === 'devices' && tier === 2) {
        const host = hostPart(v);
        if (host) this.file(target, 3, host, { id: idText, via: 'host name' });
      }
      if (target === 'users' && v.includes('@')) this.file(target, 3, v.slice(0, v.indexOf('@')), { id: idText, via: 'login' });
    }
  }

  addAll(target: RefTarget, rows: Iterable<RawRow>): void {
    for (const r of rows) this.add(target, r);
  }

  /** Whether any row of the target is known (a sheet with no rows resolves nothing). */
  has(target: RefTarget): boolean {
    return (this.ids.get(target)?.size ?? 0) > 0 || this.keys.has(target);
  }

  resolve(target: RefTarget, value: unknown): Resolution {
    const v = comparable(value);
    if (v === '') return { id: null, why: 'not found' };
    if (target === 'modelCategoryName') {
      if (isBuiltinModelCategory(v)) return { id: String(value).trim(), via: 'name' };
      const hits = this.keys.get(target)?.get(1)?.get(v);
      return hits ? { id: hits[0].id, via: 'name' } : { id: null, why: 'not found' };
    }
    const id = this.ids.get(target)?.get(v);
    if (id !== undefined) return { id, via: 'id' };
    const tiers = this.keys.get(target);
    if (!tiers) return { id: null, why: 'not found' };
    // What the cell may be, per tier: [tier, the tier's keys it is looked up in, the form]. A
    // device's host name is looked up among names too (an FQDN cell, a short name on the row).
    const host = target === 'devices' ? hostPart(v) ?? '' : '';
    const local = target === 'users' && v.includes('@') ? v.slice(0, v.indexOf('@')) : '';
    const forms: [number, number, string][] = target === 'users'
      ? [[2, 2, withoutDomain(v)], [3, 3, withoutDomain(v)], [3, 3, local]]
      : [[2, 2, v], [3, 3, v], [3, 2, host], [3, 3, host], [4, 4, v]];
    for (const tier of [2, 3, 4]) {
      const hits = new Map<string, Hit>();
      for (const [t, keysTier, form] of forms) {
        if (t !== tier || form === '') continue;
        for (const h of tiers.get(keysTier)?.get(form) ?? []) hits.set(h.id, t === keysTier ? h : { id: h.id, via: 'host name' });
      }
      if (hits.size === 1) {
        const h = [...hits.values()][0];
        return { id: h.id, via: h.via };
      }
      if (hits.size > 1) return { id: null, why: 'ambiguous' };
    }
    return { id: null, why: 'not found' };
  }
}

/** What matching did in one reference column of an import. */
export interface ColumnMatches {
  /** Cells resolved by something other than their id (the id was written in their place), by how. */
  matched: Partial<Record<Via, number>>;
  unresolved: number;
  ambiguous: number;
  /** A few cells that could not be resolved, as the file has them. */
  examples: string[];
}

export const EXAMPLES = 5;

export function noteMatch(stats: Record<string, ColumnMatches>, column: string, value: unknown, r: Resolution): void {
  const s = (stats[column] ??= { matched: {}, unresolved: 0, ambiguous: 0, examples: [] });
  if (r.id !== null) {
    if (r.via && r.via !== 'id') s.matched[r.via] = (s.matched[r.via] ?? 0) + 1;
    return;
  }
  if (r.why === 'ambiguous') s.ambiguous++;
  else s.unresolved++;
  const text = String(value).trim();
  if (s.examples.length < EXAMPLES && !s.examples.includes(text)) s.examples.push(text);
}

// Savings of one engine: reclaim candidates (reasons/), what each frees (effect.ts, derive.ts),
// plans to compliance (plan.ts), surplus and totals. Kept beside the engine's results and brought
// up to date after each batch of edits from the engine's journal (journal.ts): only the scopes
// (scopes.ts) an edit can reach are recomputed, candidates are re-priced where positions changed,
// and plans are redone in the groups of positions that changed. Pure: reads the engine, never
// changes it; no clock, no IO.
//
// Invariant, between updates: every candidate, total and plan equals what a fresh Savings on the
// same engine computes (tests/engine/savings-incremental.test.ts checks it after random edits).

import type { Engine } from '../engine';
import type { EditJournal } from '../journal';
import type { AnyRow, Installation } from '../rows';
import type { Position } from '../positions/position';
import type { Group } from '../positions/registry';
import type { UnitKey } from '../metrics/rule';
import { isoDate } from '../cells';
import { Effects, type SourceRow, type UnitDelta } from './effect';
import { addDelta, freedOf, gainMicros, outcomes, priced, sumByPosition, type PositionDelta } from './derive';
import { Usage } from './usage';
import type { Draft, ReasonContext } from './reasons/context';
import { installedUnused } from './reasons/installed-unused';
import { notSeen } from './reasons/not-seen';
import { duplicates } from './reasons/duplicates';
import { copiesExceeded } from './reasons/copies';
import { inactiveHolder } from './reasons/inactive-holder';
import { allocatedUnused } from './reasons/allocated-unused';
import { seedScopes, deviceScope, readDeviceScope, readUserScope, scopesOfPosition, scopesOfUnit, userScope } from './scopes';
import { planFor, wholePlan, type PlanCandidate, type PlanContext, type PlanState } from './plan';
import { editsFor } from './edits';
import { addMoney, addRights, sortTotals, surplusTotals } from './surplus';
import { MICRO } from '../metrics/common';
import {
  REASONS, type Candidate, type Freed, type PublisherTotal, type SavingsAction, type SavingsEdit, type SavingsPatch,
  type SavingsResult, type SavingsTotals,
} from './types';

/** A candidate as savings keeps it: its draft, what its rows feed, and its public form. */
class Cand implements PlanCandidate {
  readonly id: string;
  readonly reason: string;
  readonly rows: SourceRow[];
  readonly sum: Map<Position, PositionDelta>;
  /** Its public form; set by settle (describe) once it is priced. */
  result = null as unknown as Candidate;

  constructor(
    readonly draft: Draft,
    readonly scope: string,
    readonly units: Map<Position, Map<UnitKey, Set<AnyRow>>>,
    /** The delta of each unit its rows feed (unchanged units left out), as of the pass that made it. */
    readonly deltas: UnitDelta[],
    readonly positions: Position[],
    readonly fixes: string[],
  ) {
    this.id = draft.id;
    this.reason = draft.reason;
    this.rows = draft.rows;
    this.sum = sumByPosition(deltas);
  }

  marginal(key: string): number {
    for (const f of this.result.freed) if (f.key === key) return Math.round(f.rights * MICRO);
    return 0;
  }
}

const byPositionKey = (a: Position, b: Position) => (a.key < b.key ? -1 : 1);

const DEVICE_REASONS = [installedUnused, notSeen, duplicates, copiesExceeded];
const USER_REASONS = [inactiveHolder, allocatedUnused];

export class Savings {
  private journal: EditJournal;
  private usage: Usage;
  private effects!: Effects;
  private readonly scopes = new Map<string, Cand[]>();
  private readonly cands = new Map<string, Cand>();
  private readonly byUnit = new Map<Position, Map<UnitKey, Set<Cand>>>();
  private readonly byPosition = new Map<Position, Set<Cand>>();
  /** Every candidate acted on together: each unit's delta, and their sums by position. */
  private readonly joint = new Map<Position, Map<UnitKey, UnitDelta>>();
  private readonly jointSum = new Map<Position, PositionDelta>();
  /** What every candidate together frees, by position. */
  private readonly reclaimable = new Map<Position, Freed>();
  private readonly plans = new Map<string, PlanState>();
  /** The unit cost each position's candidates were priced at. */
  private readonly pricedAt = new Map<Position, number | null>();
  /** The whole workbook's plan; undefined only while a pass (full) is to compute it afresh. */
  private whole: PlanState | undefined;
  /** Units whose joint figure is to be redone at the end of the pass (once each, however many scopes touch them). */
  private jointDue = new Map<Position, Set<UnitKey>>();
  // What changed since the last patch.
  private reset = true;
  private changedCands = new Set<string>();
  private changedPlans = new Set<string>();

  constructor(private readonly engine: Engine) {
    this.journal = engine.trackEdits();
    this.usage = new Usage(engine.store);
    this.full();
  }

  /** Brings everything up to date with what the engine did since the last call. */
  update(): void {
    const j = this.journal.take();
    if (j.empty) return;
    if (j.settings) {
      this.full();
      return;
    }
    this.begin(j);
    const stale = new Set<string>();
    const touched = new Set<Position>();
    this.staleFromRows(j, stale);
    const store = this.engine.store;
    for (const [p, keys] of j.units) {
      const byKey = this.byUnit.get(p);
      for (const k of keys) {
        for (const c of byKey?.get(k) ?? []) stale.add(c.scope);
        // A copies-exceeded candidate appears when a device unit gains a copy.
        if (p.rule.id === 'per_copy_per_device') scopesOfUnit(store, p, k, stale);
      }
    }
    for (const p of j.whole) {
      for (const c of this.byPosition.get(p) ?? []) stale.add(c.scope);
      if (this.alive(p)) scopesOfPosition(store, p, stale);
    }
    for (const p of j.results) touched.add(p);
    // Candidates resting on positions that went away.
    if (j.removed.length) for (const [p, cs] of this.byPosition) if (!this.alive(p)) for (const c of cs) stale.add(c.scope);
    for (const s of stale) this.recomputeScope(s, touched);
    this.settle(touched, j.removed);
  }

  private alive(p: Position): boolean {
    return this.engine.positions.all.get(p.key) === p;
  }

  /** Scopes the edited rows reach (their own rules; units and positions come from the journal). */
  private staleFromRows(j: EditJournal, stale: Set<string>): void {
    const store = this.engine.store;
    const publishers = new Set<string>();
    for (const { sheet, was, now } of j.rows) {
      for (const r of [was, now]) {
        if (!r) continue;
        switch (r.sheet) {
          case 'installations': if (r.deviceId) stale.add(deviceScope(r.deviceId)); break;
          case 'devices': if (r.idN) stale.add(deviceScope(r.idN)); break;
          case 'users': if (r.idN) stale.add(userScope(r.idN)); break;
          case 'allocations': case 'subscriptions': if (r.userId) stale.add(userScope(r.userId)); break;
          case 'entitlements':
            if (r.idN) for (const a of store.allocationsByEntitlement.get(r.idN)) if (a.userId) stale.add(userScope(a.userId));
            break;
          case 'sessions':
            publishers.add(r.publisher);
            if (r.deviceId) stale.add(deviceScope(r.deviceId));
            if (r.userId) {
              stale.add(userScope(r.userId));
              for (const i of store.installsByUser.get(r.userId)) if (i.deviceId) stale.add(deviceScope(i.deviceId));
              for (const d of store.devicesByOwner.get(r.userId)) stale.add(deviceScope(d.idN));
            }
            break;
          default: break;
        }
      }
      void sheet;
    }
    // A product that gains its first session in the window, or loses its last, changes every
    // installation and allocation of it.
    for (const pub of publishers) {
      for (const key of this.usage.refreshPublisher(pub)) {
        const [publisher, product] = key.split('\u0001');
        // installed-unused reads a product's own usage; a publisher's (`*`) only allocated-unused does.
        if (product !== '*') for (const i of store.installsByProduct.exactly(publisher, product)) if (i.deviceId) stale.add(deviceScope(i.deviceId));
        for (const p of product === '*' ? this.engine.positions.forProduct(publisher, '*') : this.engine.positions.forProduct(publisher, product)) {
          if (p.rule.allocation) scopesOfPosition(store, p, stale);
        }
      }
    }
  }

  /** A pass over the engine as it is now: members the engine may have changed are forgotten (all, from scratch). */
  private begin(j: EditJournal | null): void {
    this.engine.store.makeEditable();
    this.engine.positions.rank();
    if (j === null) this.effects = new Effects(this.engine.world, this.engine.positions);
    else {
      this.effects.newPass();
      this.effects.forget(j.units, j.whole);
      for (const p of this.byPosition.keys()) if (!this.alive(p)) this.effects.drop(p);
    }
  }

  /** Everything from scratch. */
  private full(): void {
    this.journal.take();
    this.begin(null);
    this.usage.build();
    for (const m of [this.scopes, this.cands, this.byUnit, this.byPosition, this.joint, this.jointSum, this.reclaimable, this.plans, this.pricedAt]) m.clear();
    // Plans are redone from nothing: so is the whole plan, even when no position needs one any more.
    this.whole = undefined;
    const touched = new Set<Position>(this.engine.positions.all.values());
    const e = this.engine;
    for (const s of seedScopes(e.store, e.positions.all.values(), this.usage, e.store.settings, this.countsFn)) this.recomputeScope(s, touched);
    this.settle(touched, []);
    this.reset = true;
    this.changedCands.clear();
    this.changedPlans.clear();
  }

  /** Effects.installCounts, bound (the Effects object is replaced by a full pass). */
  private readonly countsFn = (i: Installation) => this.effects.installCounts(i);

  private context(): ReasonContext {
    const e = this.engine;
    return { w: e.world, store: e.store, settings: e.store.settings, usage: this.usage, effects: this.effects };
  }

  /** Replaces a scope's candidates; positions whose candidates or joint figures change go to `touched`. */
  private recomputeScope(scope: string, touched: Set<Position>): void {
    for (const c of this.scopes.get(scope) ?? []) {
      this.unindex(c);
      this.noteUnits(c, touched);
      this.changedCands.add(c.draft.id);
    }
    this.scopes.delete(scope);
    const idN = scope.slice(2);
    const ctx = this.context();
    const drafts: Draft[] = [];
    if (scope.startsWith('d:')) {
      const ds = readDeviceScope(ctx.store, idN, this.countsFn);
      if (ds) for (const reason of DEVICE_REASONS) drafts.push(...reason(ctx, ds));
    } else {
      const us = readUserScope(ctx.store, idN);
      for (const reason of USER_REASONS) drafts.push(...reason(ctx, us));
    }
    const made: Cand[] = [];
    for (const d of drafts) {
      const c = this.make(d, scope);
      if (!c) continue;
      made.push(c);
      this.index(c);
      this.noteUnits(c, touched);
      this.changedCands.add(c.draft.id);
    }
    if (made.length) this.scopes.set(scope, made);
  }

  /** A candidate's positions are touched, and the units it feeds are due for their joint figure at the end of the pass. */
  private noteUnits(c: Cand, touched: Set<Position>): void {
    for (const [p, byKey] of c.units) {
      touched.add(p);
      let due = this.jointDue.get(p);
      if (!due) this.jointDue.set(p, (due = new Set()));
      for (const k of byKey.keys()) due.add(k);
    }
    for (const p of c.positions) touched.add(p);
  }

  private make(d: Draft, scope: string): Cand | null {
    const units = this.effects.unitsFed(d.rows);
    const positions = new Set<Position>();
    for (const p of units.keys()) if (!p.rule.alwaysCompliant) positions.add(p);
    for (const r of d.rows) if (r.sheet === 'allocations') for (const p of this.effects.allocatedOn(r)) positions.add(p);
    if (positions.size === 0) return null;
    const deltas = this.effects.deltas(units);
    // The copies-exceeded flag (bit 4, index 2) cleared on a unit it feeds.
    let fixes: string[] = [];
    for (const u of deltas) if (u.flags[2] < 0) fixes = ['copies-exceeded'];
    return new Cand(d, scope, units, deltas, [...positions].sort(byPositionKey), fixes);
  }

  private index(c: Cand): void {
    this.cands.set(c.draft.id, c);
    for (const [p, byKey] of c.units) {
      let m = this.byUnit.get(p);
      if (!m) this.byUnit.set(p, (m = new Map()));
      for (const k of byKey.keys()) {
        let s = m.get(k);
        if (!s) m.set(k, (s = new Set()));
        s.add(c);
      }
      this.positionSet(p).add(c);
    }
    for (const p of c.positions) this.positionSet(p).add(c);
  }

  private positionSet(p: Position): Set<Cand> {
    let s = this.byPosition.get(p);
    if (!s) this.byPosition.set(p, (s = new Set()));
    return s;
  }

  private unindex(c: Cand): void {
    if (this.cands.get(c.draft.id) === c) this.cands.delete(c.draft.id);
    for (const [p, byKey] of c.units) {
      const m = this.byUnit.get(p);
      for (const k of byKey.keys()) {
        const s = m?.get(k);
        s?.delete(c);
        if (s?.size === 0) m!.delete(k);
      }
      if (m?.size === 0) this.byUnit.delete(p);
    }
    for (const p of [...c.units.keys(), ...c.positions]) {
      const s = this.byPosition.get(p);
      s?.delete(c);
      if (s?.size === 0) this.byPosition.delete(p);
    }
  }

  /** The unit's delta with every candidate on it acted on together. */
  private refreshJoint(p: Position, key: UnitKey): void {
    let m = this.joint.get(p);
    const old = m?.get(key);
    if (old) addDelta(this.jointSum, p, old, -1);
    m?.delete(key);
    const cs = this.byUnit.get(p)?.get(key);
    if (cs && cs.size && this.alive(p)) {
      let d: UnitDelta | null = null;
      if (cs.size === 1) {
        // One candidate on the unit (most units): the joint delta is its own, computed when it was
        // made. A candidate outlives no change of its units (the engine's journal makes its scope
        // recompute), so it still holds.
        for (const c of cs) d = c.deltas.find((x) => x.p === p && x.key === key) ?? null;
      } else {
        const gone = new Set<AnyRow>();
        for (const c of cs) for (const r of c.units.get(p)?.get(key) ?? []) gone.add(r);
        d = this.effects.unitDelta(p, key, gone);
      }
      if (d) {
        if (!m) this.joint.set(p, (m = new Map()));
        m.set(key, d);
        addDelta(this.jointSum, p, d, 1);
      }
    }
    if (m?.size === 0) this.joint.delete(p);
    const sum = this.jointSum.get(p);
    if (sum && sum.amount === 0 && !sum.parts?.some((x) => x !== 0) && sum.flags.every((x) => x === 0)) this.jointSum.delete(p);
  }

  /** Re-prices candidates, totals and plans in the groups of the touched positions. */
  private settle(touched: Set<Position>, removed: string[]): void {
    const w = this.engine.world;
    for (const [p, keys] of this.jointDue) for (const k of keys) this.refreshJoint(p, k);
    this.jointDue = new Map();
    const groups = new Set<Group>();
    for (const p of touched) if (this.alive(p)) groups.add(this.engine.positions.group(p));
    const inGroups: Position[] = [];
    for (const g of groups) inGroups.push(...g.ranked);
    // Candidates: what each frees alone. In a position alone in its chain (no cover, covering
    // nothing) whose consumption is the plain sum of its units, what a candidate frees does not
    // depend on the position's figures, only on its unit cost; elsewhere it may.
    const reprice = new Set<Cand>();
    const repriced = new Set<Position>();
    for (const p of touched) {
      if (!this.alive(p)) continue;
      const unitCost = p.result?.unitCost ?? null;
      const plain = !this.engine.positions.group(p).hasCovers && !p.rule.combine;
      if (plain && this.pricedAt.has(p) && this.pricedAt.get(p) === unitCost) continue;
      this.pricedAt.set(p, unitCost);
      repriced.add(p);
      for (const q of plain ? [p] : this.engine.positions.group(p).ranked) for (const c of this.byPosition.get(q) ?? []) reprice.add(c);
    }
    for (const id of this.changedCands) { const c = this.cands.get(id); if (c) reprice.add(c); }
    for (const c of reprice) {
      const freed = freedOf(w, c.sum);
      // The same candidate object keeps its rows: only what it frees can change.
      if (c.result && sameFreed(c.result.freed, freed) && c.result.currency === this.engine.store.settings.currency) continue;
      c.result = this.describe(c, freed);
      this.changedCands.add(c.draft.id);
      for (const p of c.units.keys()) touched.add(p);
    }
    // Totals: what every candidate together frees, group by group.
    for (const p of [...this.reclaimable.keys()]) if (!this.alive(p) || groups.has(this.engine.positions.group(p))) this.reclaimable.delete(p);
    const sums = new Map<Position, PositionDelta>();
    for (const p of inGroups) { const s = this.jointSum.get(p); if (s) sums.set(p, s); }
    for (const [p, o] of outcomes(w, sums)) {
      const gain = gainMicros(p, o);
      if (gain > 0) this.reclaimable.set(p, { key: p.key, rights: gain / MICRO, cost: priced(p, gain) });
    }
    // Plans: of the positions touched and those their shortfall moves up to.
    const ctx = this.planContext();
    for (const key of removed) if (this.plans.delete(key)) this.changedPlans.add(key);
    const replan = new Set<Position>();
    for (const p of touched) if (this.alive(p)) for (let x: Position | null = p; x !== null && !replan.has(x); x = x.cover) replan.add(x);
    for (const [key, state] of this.plans) {
      const p = this.engine.positions.all.get(key);
      if (!p || !this.alive(p)) { this.plans.delete(key); this.changedPlans.add(key); continue; }
      // A plan's candidates may have been replaced by their scope's recomputation.
      if (state.candidates.some((c) => this.cands.get(c.id) !== c)) replan.add(p);
    }
    let planned = false;
    for (const p of replan) {
      const state = planFor(ctx, p);
      const had = this.plans.get(p.key);
      if (!state) {
        if (had) { this.plans.delete(p.key); this.changedPlans.add(p.key); }
        continue;
      }
      planned = true;
      if (!had || JSON.stringify(had.plan) !== JSON.stringify(state.plan)) this.changedPlans.add(p.key);
      this.plans.set(p.key, state);
    }
    if (planned || this.changedPlans.size || !this.whole) {
      const states = [...this.plans.values()].sort((a, b) => (a.plan.key < b.plan.key ? -1 : 1));
      this.whole = wholePlan(ctx, states, this.engine.store.settings.currency);
    }
  }

  private planContext(): PlanContext {
    return {
      w: this.engine.world, positions: this.engine.positions, effects: this.effects,
      candidatesIn: (p) => this.byPosition.get(p) ?? [],
    };
  }

  private describe(c: Cand, freed: Freed[]): Candidate {
    const d = c.draft;
    let rights = 0, cost: number | null = 0;
    for (const f of freed) {
      rights = addRights(rights, f.rights);
      cost = cost === null || f.cost === null ? null : addMoney(cost, f.cost);
    }
    const note = freed.length ? ''
      : c.fixes.length ? 'frees no right: clears copies-exceeded on its device'
        : 'frees no counted right: what these rows fed still counts (another installation, VM, user or allocation keeps the unit), or they count nothing today';
    return {
      id: d.id, reason: d.reason, why: d.why, publisher: d.publisher, product: d.product, deviceId: d.deviceId, userId: d.userId,
      rows: d.rows.map((r) => ({ sheet: r.sheet, id: r.id, key: r.key })), action: d.action, positions: c.positions.map((p) => p.key),
      freed, rights, cost, currency: this.engine.store.settings.currency, fixes: c.fixes, note,
    };
  }

  totals(): SavingsTotals {
    const currency = this.engine.store.settings.currency;
    const positions = [...this.engine.positions.all.values()].map((p) => p.result!).filter(Boolean);
    const reclaim = { cost: 0, count: this.cands.size, unpriced: 0, rights: 0 };
    const byPublisher = new Map<string, PublisherTotal>();
    for (const [p, f] of this.reclaimable) {
      const name = p.result?.publisher ?? p.publisher;
      let t = byPublisher.get(p.publisher);
      if (!t) byPublisher.set(p.publisher, (t = { publisher: name, cost: 0, count: 0, unpriced: 0, rights: 0 }));
      for (const x of [reclaim, t]) {
        x.rights = addRights(x.rights, f.rights);
        if (f.cost === null) x.unpriced++;
        else x.cost = addMoney(x.cost, f.cost);
      }
      t.count++;
    }
    const byReason = REASONS.map((reason) => ({ reason, count: 0 }));
    for (const c of this.cands.values()) byReason.find((r) => r.reason === c.draft.reason)!.count++;
    const w = this.whole!.plan;
    return {
      currency,
      surplus: surplusTotals(positions),
      reclaim: { ...reclaim, byPublisher: sortTotals([...byPublisher.values()]), byReason },
      plan: { positions: w.positions.length, buyOnlyCost: w.buyOnlyCost, planCost: w.buyCost, saving: w.saving },
    };
  }

  result(): SavingsResult {
    const s = this.engine.store.settings;
    return {
      format: 'reckon-savings/1', asOf: isoDate(s.asOf), notSeenDays: s.notSeenDays, totals: this.totals(),
      candidates: [...this.cands.values()].map((c) => c.result).sort((a, b) => (a.id < b.id ? -1 : 1)),
      plans: [...this.plans.values()].map((p) => p.plan).sort((a, b) => (a.key < b.key ? -1 : 1)),
      whole: this.whole!.plan,
    };
  }

  /** The next patch holds everything (reset): its reader lost what it had, or holds another side's. */
  resend(): void {
    this.reset = true;
  }

  /** What changed since the last call (everything, the first time or after a full recompute). */
  takePatch(): SavingsPatch {
    const reset = this.reset;
    const patch: SavingsPatch = {
      reset, candidates: [], removedCandidates: [], plans: [], removedPlans: [], whole: this.whole!.plan, totals: this.totals(),
    };
    if (reset) {
      const r = this.result();
      patch.candidates = r.candidates;
      patch.plans = r.plans;
    } else {
      for (const id of this.changedCands) {
        const c = this.cands.get(id);
        if (c) patch.candidates.push(c.result);
        else patch.removedCandidates.push(id);
      }
      for (const key of this.changedPlans) {
        const s = this.plans.get(key);
        if (s) patch.plans.push(s.plan);
        else patch.removedPlans.push(key);
      }
    }
    this.reset = false;
    this.changedCands = new Set();
    this.changedPlans = new Set();
    return patch;
  }

  /** The scenario edits of an action: chosen candidates, one position's plan, or the whole plan. */
  edits(action: SavingsAction): SavingsEdit[] {
    const store = this.engine.store;
    if ('candidates' in action) {
      const rows = action.candidates.flatMap((id) => this.cands.get(id)?.rows ?? []);
      return editsFor(store, rows, new Map());
    }
    const state = 'plan' in action ? this.plans.get(action.plan) : this.whole;
    if (!state) return [];
    return editsFor(store, state.candidates.flatMap((c) => (c as Cand).rows), state.purchases);
  }
}

function sameFreed(a: readonly Freed[], b: readonly Freed[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k].key !== b[k].key || a[k].rights !== b[k].rights || a[k].cost !== b[k].cost) return false;
  return true;
}

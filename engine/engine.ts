// The engine: a workbook's rows in, positions, unlicensed products, HAM units and problems out.
// `load` reconciles a whole workbook; `apply` takes changes and returns a patch of only what changed,
// re-evaluating just the units the changes touch (dependencies.ts). Pure: no IO, no clock, no Yjs.

import type { Problem, RawRow, RowKey } from './cells';
import { parseRow, type AnyRow, type Device, type Entitlement, type Installation } from './rows';
import { SHEETS, type SheetName } from './schema';
import { readSettings } from './settings';
import { Store } from './store/store';
import { World } from './store/world';
import { Positions, type Group } from './positions/registry';
import { gatherGroup } from './positions/dispatch';
import { positionKey, summarize, sameResult, type Position, type PositionResult } from './positions/position';
import { computeUnits, computeWhole, explainPosition, feedOf, gatherAll } from './positions/compute';
import { finalMicros, moveAll, moveFrom } from './positions/moves';
import { MICRO } from './metrics/common';
import { clusterUnit, type Contribution, type MemberList, type UnitKey } from './metrics/rule';
import { Unlicensed } from './unlicensed';
import { Ham } from './ham/ham';
import { Problems } from './problems';
import { Near, collect, rulesTouched, type RuleFilter } from './dependencies';
import { emptyPatch, type Change, type Patch, type Result, type RowSource } from './changes';
import { mergeProblems, packContributions, SIDE_CHECKED_SHEETS, withContributions, type InstallationResults } from './installation-side';
import { EditJournal } from './journal';
import { Savings } from './savings/savings';
import { isNormalized, Normalization, NORMALIZED_SHEETS } from './normalize/normalization';
import { Unrecognized, type UnrecognizedResult } from './normalize/unrecognized';
import { normalizeLoaded, rulesEdited, type RenameHost } from './normalize/renames';
import { productKey } from './store/multimap';

export interface EngineOptions {
  /** ISO date used when the workbook leaves asOf blank: the engine has no clock. */
  today: string;
  /** Keep the indexes that incremental `apply` needs (a one-shot reconcile does not). */
  incremental?: boolean;
}

/**
 * A sheet to load: its raw rows in sheet order and their keys (default: their positions), or rows
 * already read by parseRow (read a piece at a time, or unpacked: see rows-columns.ts). The engine
 * may keep a `typed` array as it is: the caller gives it up.
 */
export type SheetInput = { rows: (RawRow | undefined)[]; keys?: readonly RowKey[] } | { typed: AnyRow[] };
export type SheetRows = { [S in SheetName]?: SheetInput };

/** Entitlement fields that shape a position's consumption (all but quantities, costs and names). */
const POSITION_INPUTS: (keyof Entitlement)[] = [
  'idN', 'publisher', 'product', 'version', 'downgrade', 'edition', 'metric', 'company', 'site', 'network', 'start', 'end',
  'copiesPerDevice', 'maxCoresPerProcessor', 'minCoresPerProcessor', 'minCoresPerServer', 'minCoresPerVm',
  'nupPerProcessor', 'subcapacity', 'hardwareManufacturer', 'hardwareModel', 'userType',
];

/** Settings no count reads (savings read them): changing one re-evaluates no position. */
const NO_COUNT_SETTINGS: ReadonlySet<string> = new Set(['notSeenDays']);

/** Sheets people edit row by row: warming opens them first, then the bulk sheets. */
const WARM_SHEETS: readonly SheetName[] = ['entitlements', 'devices', 'users', 'clusters', 'allocations', 'factors', 'tiers', 'modelCategories', 'hamCategories'];

/**
 * Sheets in the order they load: the normalization rules first (rows are normalized as they come),
 * then users and devices (installations resolve their device and user as they arrive).
 */
export const LOAD_ORDER: readonly SheetName[] = ['normalization', 'users', 'devices', ...SHEETS.filter((s) => s !== 'users' && s !== 'devices' && s !== 'normalization')];

export class Engine {
  readonly store: Store;
  readonly world: World;
  readonly positions = new Positions();
  private readonly unlicensed = new Unlicensed();
  private readonly ham: Ham;
  private readonly problems: Problems;
  private settingsRaw: Record<string, unknown> = {};
  private settingsProblems: Problem[] = [];
  private settingsProblemsChanged = false;
  /** finish() ran with installations pending. */
  private finishedOnce = false;
  /** Normalization rules in force, and each raw pair's result (engine/normalize/). */
  private readonly names = new Normalization();
  private readonly unrecognized = new Unrecognized();
  /** Rows of normalized sheets came before the rules (finish normalizes them). */
  private namesStale = false;
  /** Keys of normalization rules edited in the current apply. */
  private readonly rulesEdited = new Set<RowKey>();
  /** What a rule edit's re-feeding of rows reaches of this engine (normalize/renames.ts). */
  private readonly renameHost: RenameHost;

  private readonly dirtyWhole = new Set<Position>();
  private readonly dirtyUnits = new Map<Position, Set<UnitKey>>();
  private readonly dirtySummary = new Set<Position>();
  /** What apply() did, for a reader that keeps figures of its own (trackEdits); null: nobody asked. */
  private journal: EditJournal | null = null;
  private savingsState: Savings | null = null;

  constructor(private readonly options: EngineOptions) {
    this.store = new Store(readSettings({}, options.today, []), options.incremental ?? false);
    this.world = new World(this.store);
    this.ham = new Ham(this.store);
    this.problems = new Problems(this.store);
    this.renameHost = {
      store: this.store, names: this.names, unrecognized: this.unrecognized,
      forProduct: (publisher, product) => this.positions.forProduct(publisher, product),
      markWhole: (p) => this.dirtyWhole.add(p),
      recountUnlicensed: (publisher, product) => this.unlicensed.recount(this.world, publisher, product),
      replaceRow: (sheet, key, fresh) => this.replaceRow(sheet, key, fresh),
      renamedInBulk: () => { if (this.journal) this.journal.settings = true; },
    };
  }

  /**
   * Reconciles a whole workbook into this (fresh) engine. With `release`, each raw row is dropped
   * from its array once read, so a large file's parsed JSON can be collected while the engine grows.
   */
  load(settings: Record<string, unknown>, sheets: SheetRows, options: { release?: boolean } = {}): void {
    this.begin(settings);
    for (const sheet of LOAD_ORDER) {
      const input = sheets[sheet];
      if (input) this.addSheet(sheet, input, options);
    }
    this.finish();
  }

  /** load() in steps, for a caller that reads sheets as they become available: begin, addSheet…, finish. */
  begin(settings: Record<string, unknown>): void {
    this.settingsRaw = { ...settings };
    this.readSettings();
  }

  /** Adds a sheet's rows. Devices and users come before installations (each holds its device and user). */
  addSheet(sheet: SheetName, input: SheetInput, options: { release?: boolean } = {}): void {
    const s = this.store;
    // Rows are normalized before they are filed (rows fresh from parseRow hold their raw names).
    const names = isNormalized(sheet) && this.names.active ? this.names : null;
    if ('typed' in input) {
      if (names) for (const row of input.typed) names.apply(row);
      s.addAll(sheet, input.typed);
    } else {
      const { rows, keys } = input;
      for (let i = 0; i < rows.length; i++) {
        const row = parseRow(sheet, keys ? keys[i] : i, rows[i]!);
        names?.apply(row);
        s.add(row);
        if (options.release) rows[i] = undefined;
      }
    }
    if (sheet === 'normalization') {
      this.names.reset(s.ordered('normalization'));
      // Rows of normalized sheets loaded before the rules are normalized by finish().
      if (this.names.active && NORMALIZED_SHEETS.some((x) => s.count(x) > 0)) this.namesStale = true;
    }
  }

  /**
   * Reconciles what was loaded. With `pending: 'installations'`, everything that does not read
   * installations is reconciled now and the rest by a second finish() once they are added, so a
   * caller still reading them (the parallel file reader) gets the other work done meanwhile. With
   * `only: 'installations'`, only what reads installations is reconciled: this engine is the
   * installation side of a workbook split across two engines (installation-side.ts).
   */
  finish(options: { pending?: 'installations'; only?: 'installations' } = {}): void {
    const s = this.store, w = this.world;
    const later = options.pending === 'installations';
    const only = options.only === 'installations';
    // The part reconciled now: the installation side's (what reads installations, and the problems
    // of SIDE_CHECKED_SHEETS), the rest, or both.
    const now = (installationSide: boolean) => (later ? !installationSide : only ? installationSide : true);
    if (this.namesStale) {
      normalizeLoaded(s, this.names);
      this.namesStale = false;
    }
    if (!this.finishedOnce) {
      if (s.installationsStale) this.resolveInstallations();
      this.positions.joinAll(s.rows('entitlements'));
      if (now(false)) this.ham.rebuild(s.settings);
      for (const sheet of SHEETS) if (now(SIDE_CHECKED_SHEETS.has(sheet))) this.problems.checkNewRows(s.rows(sheet));
      for (const p of this.positions.all.values()) if (now(p.rule.install !== undefined)) this.dirtyWhole.add(p);
      // Every position to reconcile now is marked whole already; the rest wait for their turn.
      this.positions.takeReranked();
      this.positions.takeMovesDue();
      if (later) {
        this.flush();
        this.finishedOnce = true;
        return;
      }
    } else {
      // Installations added after the first finish found every device and user already in the store
      // (Store.add); the first finish left them, and the sheets checked with them, unchecked.
      for (const sheet of SIDE_CHECKED_SHEETS) this.problems.checkNewRows(s.rows(sheet));
      for (const p of this.positions.all.values()) if (p.rule.install) this.dirtyWhole.add(p);
    }
    this.unlicensed.countAll(w);
    // An engine that will be edited keeps the unrecognized list (the workspace shows it).
    if (s.incremental && !only) this.unrecognized.countAll(s, this.names);
  }

  /**
   * The unrecognized software of the workbook (normalize/unrecognized.ts), largest first. An engine
   * that is not incremental counts it on the first call.
   */
  unrecognizedResults(): UnrecognizedResult[] {
    if (!this.unrecognized.active) this.unrecognized.countAll(this.store, this.names);
    this.unrecognized.flush(this.store, this.names);
    this.unrecognized.takeChanged();
    return this.unrecognized.results();
  }

  /**
   * Installations loaded before some of the devices or users (any sheet order is allowed) hold the
   * rows their ids name now.
   */
  private resolveInstallations(): void {
    const s = this.store;
    for (const i of s.rows('installations')) {
      i.device = s.device(i.deviceId);
      i.user = i.userId === '' ? undefined : s.first('users', i.userId);
    }
    s.installationsStale = false;
  }

  /**
   * Builds what edits need now rather than on the first edit (about a second on a million
   * installations): for a caller with idle time after showing the first results.
   */
  warm(): void {
    this.warmStep(Infinity);
  }

  /**
   * Opens the next slice (`rows` rows) of the big sheets for edits; true when every sheet is open.
   * Called between other work, it spares the first edit of an installation a second's wait.
   */
  warmStep(rows = 20_000): boolean {
    if (!this.store.makeEditablePart(rows)) return false;
    if (!this.unlicensed.preparePart(this.world, rows)) return false;
    for (const sheet of [...WARM_SHEETS, ...SHEETS]) if (!this.store.openSheetPart(sheet, rows)) return false;
    return true;
  }

  /** Applies changes and returns what changed in the results. */
  apply(changes: readonly Change[], source: RowSource): Patch {
    this.store.makeEditable();
    this.unlicensed.preparePart(this.world, Infinity);
    let settingsTouched = false, countsTouched = false;
    for (const c of changes) {
      switch (c.kind) {
        case 'rowAdded': this.rowChanged(c.sheet, c.key, c.cells); break;
        case 'rowRemoved': this.rowChanged(c.sheet, c.key, undefined); break;
        case 'cellChanged': this.rowChanged(c.sheet, c.key, source(c.sheet, c.key)); break;
        case 'settingsChanged':
          if (c.value === undefined) delete this.settingsRaw[c.key];
          else this.settingsRaw[c.key] = c.value;
          settingsTouched = true;
          if (!NO_COUNT_SETTINGS.has(c.key)) countsTouched = true;
          break;
      }
    }
    if (settingsTouched) this.settingsChanged(countsTouched);
    if (this.rulesEdited.size) {
      rulesEdited(this.renameHost, this.rulesEdited);
      this.rulesEdited.clear();
    }
    this.unrecognized.flush(this.store, this.names);
    return this.flush();
  }

  /**
   * From now on, records what every apply() changes and re-evaluates (journal.ts), for a reader
   * that keeps derived figures of its own (engine/savings/). The same journal on every call.
   */
  trackEdits(): EditJournal {
    this.journal ??= new EditJournal();
    return this.journal;
  }

  /**
   * Surplus, reclaim candidates and plans to compliance (engine/savings/): computed on the first
   * call, then brought up to date with what each apply() changed, on each call.
   */
  savings(): Savings {
    this.flush();
    if (this.savingsState) this.savingsState.update();
    else this.savingsState = new Savings(this);
    return this.savingsState;
  }

  /** The patch of everything: what a fresh view needs after `load`. */
  initialPatch(): Patch {
    return this.flush();
  }

  private readSettings(): void {
    const problems: Problem[] = [];
    this.store.settings = readSettings(this.settingsRaw, this.options.today, problems);
    if (JSON.stringify(problems) !== JSON.stringify(this.settingsProblems)) this.settingsProblemsChanged = true;
    this.settingsProblems = problems;
  }

  /** `counts`: a setting that counts read changed (not only ones no count reads): every position is re-evaluated. */
  private settingsChanged(counts: boolean): void {
    if (this.journal) this.journal.settings = true;
    this.readSettings();
    if (!counts) return;
    for (const p of this.positions.all.values()) this.dirtyWhole.add(p);
    this.ham.rebuild(this.store.settings);
  }

  private markUnits(p: Position, keys: UnitKey | UnitKey[] | null): void {
    if (keys === null) return;
    let set = this.dirtyUnits.get(p);
    if (!set) this.dirtyUnits.set(p, (set = new Set()));
    if (Array.isArray(keys)) for (const k of keys) set.add(k);
    else set.add(keys);
  }

  /** Marks the units a source row feeds now, in every position it can feed (of the rules touched). */
  private markSource(list: MemberList, row: unknown, touched: RuleFilter | null): void {
    let candidates: Iterable<Position>;
    if (list === 'alloc') candidates = this.positions.forEntitlementId((row as { entitlementId: string }).entitlementId);
    else if (list === 'users') candidates = this.positions.overUsers;
    else {
      const r = row as { publisher: string; product: string };
      candidates = this.positions.forProduct(r.publisher, r.product);
    }
    for (const p of candidates) if (touched === null || touched(p.rule)) this.markUnits(p, feedOf(this.world, p, list, row));
  }

  /** A row object that is in the store now (a row being added is not yet; a removed one no longer). */
  private isLive(row: AnyRow): boolean {
    this.store.openSheet(row.sheet);
    return this.store.get(row.sheet, row.key) === row;
  }

  /**
   * Marks what the neighbourhood feeds, and (un)counts it for unlicensed and HAM, in the current
   * state. Neighbours were found through the indexes, so they exist; only the edited row itself
   * (`edited`: its old and new objects) may not be in the store at this moment.
   */
  private examine(near: Near, sign: 1 | -1, touched: RuleFilter | null, unlicensedToo: boolean, edited: readonly (AnyRow | undefined)[]): void {
    // Which position a row feeds depends on the ranking of its group (an entitlement may have just changed it).
    this.positions.rank();
    const gone = (row: unknown) => (row === edited[0] || row === edited[1]) && !this.isLive(row as AnyRow);
    for (const [list, rows] of near.rows) {
      for (const row of rows) {
        if (gone(row)) continue;
        this.markSource(list, row, touched);
        if (unlicensedToo && list === 'inst') this.unlicensed.update(this.world, row as never, sign);
      }
    }
    for (const d of near.devices) if (!gone(d)) this.ham.update(d, sign);
  }

  private rowChanged(sheet: SheetName, key: RowKey, raw: RawRow | undefined): void {
    const fresh = raw === undefined ? undefined : parseRow(sheet, key, raw);
    if (fresh) this.names.apply(fresh);
    this.replaceRow(sheet, key, fresh);
  }

  /** Puts a row's new version (typed and normalized; undefined: removed) in place of its old one, and marks what that touches. */
  private replaceRow(sheet: SheetName, key: RowKey, fresh: AnyRow | undefined): void {
    const s = this.store;
    s.openSheet(sheet);
    const old = s.get(sheet, key) as AnyRow | undefined;
    if (!old && !fresh) return;
    if (sheet === 'normalization') this.rulesEdited.add(key);
    if (sheet === 'installations') this.unrecognized.rowReplaced(old as Installation | undefined, fresh as Installation | undefined);

    const near = new Near();
    if (old) collect(s, old, near);
    if (fresh) collect(s, fresh, near);
    // An edit of columns only some rules read re-evaluates only those rules' positions; unlicensed
    // installations depend only on installations and on their devices' status, company and site.
    const touched = old && fresh ? rulesTouched(sheet, old, fresh) : null;
    const unlicensedToo = sheet === 'installations' || (sheet === 'devices' && (!old || !fresh
      || old.idN !== fresh.idN || (old as Device).counts !== (fresh as Device).counts
      || (old as Device).company !== (fresh as Device).company || (old as Device).site !== (fresh as Device).site));
    const edited = [old, fresh] as const;
    this.examine(near, -1, touched, unlicensedToo, edited);

    // An entitlement whose position inputs stay the same only changes the position's summary.
    const oldE = old?.sheet === 'entitlements' ? old : undefined;
    const freshE = fresh?.sheet === 'entitlements' ? fresh : undefined;
    const summaryOnly = oldE !== undefined && freshE !== undefined && POSITION_INPUTS.every((f) => oldE[f] === freshE[f]);
    if (oldE && !summaryOnly) this.markWhole(this.positions.leave(oldE));

    // `old` is updated in place (it may be a unit key); `was` keeps its values from before.
    const was = old ? ({ ...old } as AnyRow) : undefined;
    if (old) s.remove(old);
    const row = old && fresh ? Object.assign(old, fresh) : (fresh ?? old)!;
    if (fresh) s.add(row);
    // Installations hold the device and user their ids name; such a row changing can change which.
    if (sheet === 'devices' || sheet === 'users') {
      for (const i of near.rows.get('inst') ?? []) {
        const inst = i as Installation;
        if (!this.isLive(inst)) continue;
        if (sheet === 'devices') inst.device = s.device(inst.deviceId);
        else inst.user = inst.userId === '' ? undefined : s.first('users', inst.userId);
      }
    }

    switch (sheet) {
      case 'entitlements': this.entitlementChanged(was as Entitlement | undefined, fresh ? (row as Entitlement) : undefined, summaryOnly); break;
      case 'factors': this.factorsChanged([was, fresh]); break;
      case 'tiers':
        this.world.tiersChanged();
        for (const p of this.positions.all.values()) if (p.rule.usesTiers) this.dirtySummary.add(p);
        break;
      case 'modelCategories':
      case 'hamCategories':
        this.problems.modelCategoriesChanged();
        this.ham.rebuild(s.settings);
        break;
      default: break;
    }

    this.examine(near, 1, touched, unlicensedToo, edited);
    this.journal?.row(sheet, was, fresh ? row : undefined);
    for (const c of near.clusters) {
      const unitKey = clusterUnit(c);
      for (const p of this.positions.overClusters) if ((touched === null || touched(p.rule)) && p.units.has(unitKey)) this.markUnits(p, unitKey);
    }

    this.problems.recheck(row, fresh === undefined);
    const ids = new Set([was?.idN ?? '', fresh?.idN ?? '']);
    for (const r of this.problems.affectedByIds(sheet, ids)) if (r !== row) this.problems.recheck(r);
  }

  private markWhole(p: Position | null): void {
    if (p) this.dirtyWhole.add(p);
  }

  private entitlementChanged(old: Entitlement | undefined, now: Entitlement | undefined, summaryOnly: boolean): void {
    if (summaryOnly && now) {
      const p = this.positions.all.get(positionKey(now));
      if (p) this.dirtySummary.add(p);
      return;
    }
    if (now) this.markWhole(this.positions.join(now));
    // Entitlements name products: the unrecognized list may change.
    for (const e of [old, now]) if (e) this.unrecognized.touchProduct(productKey(e.publisher, e.product));
    // Entitlements of any metric decide what is unlicensed, by product.
    const w = this.world;
    for (const e of [old, now]) {
      if (!e) continue;
      if (e.product === '*') this.unlicensed.recountPublisher(w, e.publisher);
      else this.unlicensed.recount(w, e.publisher, e.product);
    }
  }

  private factorsChanged(rows: (AnyRow | undefined)[]): void {
    this.world.factorsChanged();
    for (const r of rows) {
      if (r?.sheet !== 'factors') continue;
      for (const p of this.positions.all.values()) {
        if (p.rule.factorKind === r.kind && (r.publisher === '' || r.publisher === p.publisher)) this.dirtyWhole.add(p);
      }
    }
  }

  /** A position's consumption from its own rows, before shortfall moves. */
  private ownConsumption(p: Position): number {
    const r = p.rule;
    return r.combine ? r.combine(this.world, p, p.amount, p.parts) : p.amount / (r.scale ?? 1);
  }

  private summaryOf(p: Position): PositionResult {
    const breakdown = p.rule.breakdown ? p.rule.breakdown(p.parts) : null;
    return summarize(p, finalMicros(p) / MICRO, this.store.settings, breakdown);
  }

  private flush(): Patch {
    const w = this.world, asOf = this.store.settings.asOf;
    const alive = (p: Position) => this.positions.all.get(p.key) === p;
    this.positions.rank();
    for (const p of this.positions.takeReranked()) if (alive(p)) this.dirtyWhole.add(p);
    // Positions rebuilt whole, a group at a time: one pass over a product's rows serves them all.
    const whole = new Map<Group, Position[]>();
    for (const p of this.dirtyWhole) {
      if (!alive(p)) continue;
      p.refreshEntitlements(asOf);
      const g = this.positions.group(p);
      const list = whole.get(g);
      if (list) list.push(p);
      else whole.set(g, [p]);
      this.dirtySummary.add(p);
      this.journal?.whole.add(p);
    }
    for (const [g, list] of whole) computeWhole(w, g.ranked, list);
    for (const [p, keys] of this.dirtyUnits) {
      if (this.dirtyWhole.has(p) || !alive(p)) continue;
      computeUnits(w, this.positions.group(p).ranked, p, keys);
      this.dirtySummary.add(p);
      this.journal?.unitsOf(p, keys);
    }
    // Own consumption first; then shortfall moves: whole groups whose covers may have changed, and
    // from each position whose consumption or purchases changed up its chain of covers.
    const regroup = this.positions.takeMovesDue();
    const from: Position[] = [];
    for (const p of this.dirtySummary) {
      if (!alive(p)) continue;
      if (!this.dirtyWhole.has(p)) p.refreshEntitlements(asOf);
      p.own = this.ownConsumption(p);
      const g = this.positions.group(p);
      if (g.hasCovers && !regroup.has(g)) from.push(p);
    }
    const moved = (p: Position) => this.dirtySummary.add(p);
    for (const g of regroup) moveAll(g, moved);
    moveFrom(from, moved);
    const patch = emptyPatch();
    for (const p of this.dirtySummary) {
      if (!alive(p)) continue;
      const r = this.summaryOf(p);
      if (!sameResult(p.result, r)) {
        patch.positions.push(r);
        this.journal?.results.add(p);
      }
      p.result = r;
    }
    this.dirtyWhole.clear();
    this.dirtyUnits.clear();
    this.dirtySummary.clear();
    patch.removedPositions = this.positions.takeRemoved();
    this.journal?.removed.push(...patch.removedPositions);
    const unl = this.unlicensed.takeChanged();
    patch.unlicensed = unl.upsert;
    patch.removedUnlicensed = unl.removed;
    if (this.ham.changed) {
      patch.ham = this.ham.result();
      this.ham.changed = false;
    }
    patch.problems = this.problems.takeChanged();
    if (this.unrecognized.active) {
      const unr = this.unrecognized.takeChanged();
      patch.unrecognized = unr.upsert;
      patch.removedUnrecognized = unr.removed;
    }
    if (this.settingsProblemsChanged) {
      patch.settingsProblems = this.settingsProblems;
      this.settingsProblemsChanged = false;
    }
    return patch;
  }

  /** Every position's current summary, in sheet order of their first entitlement. */
  positionResults(): PositionResult[] {
    this.flush();
    return this.positions.ordered().map((p) => p.result!);
  }

  explain(positionKey: string): Contribution[] {
    const p = this.positions.all.get(positionKey);
    if (!p) return [];
    const out: Contribution[] = [];
    explainPosition(this.world, p, gatherAll(this.world, this.positions.group(p).ranked, p), out, true);
    return out;
  }

  /**
   * The contribution lines of these positions, in this order (none for a key that names no
   * position): a caller writing a large result asks a batch at a time rather than for all at once.
   * Reads the positions as last reconciled (after result(), apply() or initialPatch()).
   */
  explainMany(positionKeys: readonly string[]): Contribution[][] {
    const known = positionKeys.map((k) => this.positions.all.get(k));
    const lines = new Map(this.linesOf(known.filter((p) => p !== undefined)));
    return known.map((p) => (p === undefined ? [] : lines.get(p)!));
  }

  /** The whole result (workbook.md, "Results"). */
  result(options: { contributions?: boolean } = {}): Result {
    this.flush();
    return {
      positions: this.withLines(this.positions.ordered(), options.contributions),
      unlicensed: this.unlicensed.results(),
      ham: this.ham.result(),
      problems: [...this.settingsProblems, ...this.problems.all()],
    };
  }

  /**
   * For an engine finished with `pending: 'installations'` whose installations another engine holds
   * (installation-side.ts): the result of everything else now, completed by that engine's results.
   */
  resultBesidesInstallations(options: { contributions?: boolean } = {}): (side: InstallationResults) => Result {
    this.flush();
    const ordered = this.positions.ordered();
    const mine = this.withLines(ordered.filter((p) => !p.rule.install), options.contributions);
    let k = 0;
    const own = ordered.map((p) => (p.rule.install ? p.key : mine[k++]));
    const ham = this.ham.result();
    const problems = this.problems.all();
    return (side) => {
      const fromSide = new Map(withContributions(side.positions, side.contributions).map((r) => [r.key, r]));
      return {
        positions: own.map((r) => (typeof r === 'string' ? sideResult(fromSide, r) : r)),
        unlicensed: side.unlicensed,
        ham,
        problems: [...this.settingsProblems, ...mergeProblems(problems, side.problems)],
      };
    };
  }

  /** The results of an engine reconciled with finish({ only: 'installations' }). */
  installationResults(options: { contributions?: boolean } = {}): InstallationResults {
    this.flush();
    const reading = this.positions.ordered().filter((p) => p.rule.install);
    return {
      positions: reading.map((p) => this.positionResult(p)),
      contributions: options.contributions ? packContributions(this.linesOf(reading).map(([, lines]) => lines)) : null,
      unlicensed: this.unlicensed.results(),
      problems: this.problems.all(),
    };
  }

  private positionResult(p: Position, contributions?: Contribution[]): PositionResult {
    const r = { ...(p.result ?? this.summaryOf(p)) };
    if (contributions) r.contributions = contributions;
    return r;
  }

  /** The results of these positions, in this order, with their contribution lines when asked. */
  private withLines(list: readonly Position[], contributions = false): PositionResult[] {
    if (!contributions) return list.map((p) => this.positionResult(p));
    return this.linesOf(list).map(([p, lines]) => this.positionResult(p, lines));
  }

  /**
   * The contribution lines of these positions, in this order. Gathered a group at a time: one pass
   * over a group's rows serves every position of it asked for (dispatch.ts), where a pass per
   * position cost positions × rows in a group of many positions per product.
   */
  private linesOf(list: readonly Position[]): [Position, Contribution[]][] {
    const byGroup = new Map<Group, Position[]>();
    for (const p of list) {
      const g = this.positions.group(p);
      const ps = byGroup.get(g);
      if (ps) ps.push(p);
      else byGroup.set(g, [p]);
    }
    const lines = new Map<Position, Contribution[]>();
    for (const [g, ps] of byGroup) {
      for (const [p, units] of gatherGroup(this.world, g.ranked, ps)) {
        const out: Contribution[] = [];
        explainPosition(this.world, p, units, out);
        lines.set(p, out);
      }
    }
    return list.map((p) => [p, lines.get(p)!]);
  }
}

function sideResult(results: ReadonlyMap<string, PositionResult>, key: string): PositionResult {
  const r = results.get(key);
  // Both engines hold the same entitlements (installation-side.ts), so they make the same positions.
  if (!r) throw new Error(`the installation side has no position ${key}`);
  return r;
}

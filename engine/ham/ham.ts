// Hardware subscription units (ham.md). Each counting asset resolves to at most one category; units
// per category are ⌈assets / ratio⌉. Invariant: `counted` holds exactly the devices that resolve to
// a category under the current configuration, with that category.

import type { Device, HamCategory, ModelCategory } from '../rows';
import type { Settings } from '../settings';
import type { Store } from '../store/store';
import { RESOURCE_CATEGORY_TABLE, type ResourceCategory } from './categories';

export interface HamCategoryResult {
  category: string;
  solution: string;
  assets: number;
  ratio: number;
  units: number;
  optedIn: boolean;
}

export interface HamResult {
  categories: HamCategoryResult[];
  totalUnits: number;
  otTotalUnits: number;
}

interface CategoryInfo {
  name: string;
  ratio: number;
  optedIn: boolean;
  solution: string;
  ot: boolean;
  /** Assets here count (HAM: licensable and opted in; OT: opted in). */
  counts: boolean;
}

/** Out-of-box model category (comparison form) → its resource category. */
const BUILTIN = new Map<string, ResourceCategory>();
for (const rc of RESOURCE_CATEGORY_TABLE) for (const m of rc.modelCategories) BUILTIN.set(m.toLowerCase(), rc);
const BY_NAME = new Map(RESOURCE_CATEGORY_TABLE.map((rc) => [rc.name, rc]));

export function isBuiltinModelCategory(nameN: string): boolean {
  return BUILTIN.has(nameN);
}

export class Ham {
  private readonly counted = new Map<Device, string>();
  private readonly assets = new Map<string, number>();
  private categories = new Map<string, CategoryInfo>();
  private modelRows = new Map<string, ModelCategory>();
  private settings!: Settings;
  changed = false;

  constructor(private readonly store: Store) {}

  /** Re-reads the configuration (settings, modelCategories, hamCategories) and recounts every asset. */
  rebuild(settings: Settings): void {
    this.settings = settings;
    this.modelRows = new Map();
    for (const row of this.store.ordered('modelCategories')) if (row.name !== '' && !this.modelRows.has(row.name)) this.modelRows.set(row.name, row);
    this.categories = this.readCategories(settings, this.store.ordered('hamCategories'));
    this.counted.clear();
    this.assets.clear();
    for (const d of this.store.rows('devices')) this.update(d, 1);
    this.changed = true;
  }

  private readCategories(settings: Settings, rows: HamCategory[]): Map<string, CategoryInfo> {
    // The first row naming a category that sets a field decides that field.
    const override = (name: string) => {
      let ratio: number | undefined, optedIn: boolean | undefined;
      for (const r of rows) {
        if (r.category !== name) continue;
        ratio ??= r.ratio;
        optedIn ??= r.optedIn;
      }
      return { ratio, optedIn };
    };
    const out = new Map<string, CategoryInfo>();
    for (const rc of RESOURCE_CATEGORY_TABLE) {
      const o = override(rc.name);
      const licensable = (rc.entitlement === null || settings.hamEntitlements.has(rc.entitlement)) && settings.hamLicenseVersion >= rc.version;
      const optedIn = o.optedIn ?? true;
      const solution = rc.solutions.find((s) => settings.hamSolutions.has(s)) ?? 'ham';
      out.set(rc.name, { name: rc.name, ratio: o.ratio ?? rc.ratio, optedIn, solution, ot: false, counts: licensable && optedIn });
      if (rc.ot) {
        // OT categories are licensed by OT asset management: HAM opt-in, entitlements and version do not apply.
        const ot = override(rc.ot);
        const otIn = ot.optedIn ?? true;
        out.set(rc.ot, { name: rc.ot, ratio: ot.ratio ?? rc.ratio, optedIn: otIn, solution: 'otam', ot: true, counts: otIn });
      }
    }
    return out;
  }

  /**
   * The resource category an asset's model category reaches (ham.md rule 1): walking up through
   * parents, the first category that maps to one decides. Custom categories count only when
   * customCategoryLicensing is on (rules 2 and 5).
   */
  resourceCategoryOf(modelCategoryN: string): ResourceCategory | undefined {
    if (modelCategoryN === '') return undefined;
    if (!BUILTIN.has(modelCategoryN) && !this.settings.customCategoryLicensing) return undefined;
    const seen = new Set<string>();
    for (let cat = modelCategoryN; cat !== '' && !seen.has(cat);) {
      seen.add(cat);
      const row = this.modelRows.get(cat);
      if (row && row.resourceCategory !== '') return BY_NAME.get(row.resourceCategory);
      const builtin = BUILTIN.get(cat);
      if (builtin) return builtin;
      cat = row?.parent ?? '';
    }
    return undefined;
  }

  /** The category an asset counts under, or undefined (ham.md rules 3, 4 and OT). */
  categoryOf(d: Device): string | undefined {
    if (!d.counts) return undefined;
    const rc = this.resourceCategoryOf(d.modelCategory);
    if (!rc) return undefined;
    const name = d.ot ? rc.ot : rc.name;
    if (!name) return undefined; // Telecom Network Inventory has no OT equivalent
    return this.categories.get(name)!.counts ? name : undefined;
  }

  /** Uncounts (−1) the device as counted, or counts (+1) it as it resolves now. */
  update(d: Device, sign: 1 | -1): void {
    if (sign < 0) {
      const was = this.counted.get(d);
      if (was === undefined) return;
      this.counted.delete(d);
      this.assets.set(was, (this.assets.get(was) ?? 0) - 1);
      this.changed = true;
      return;
    }
    const cat = this.categoryOf(d);
    if (cat === undefined) return;
    this.counted.set(d, cat);
    this.assets.set(cat, (this.assets.get(cat) ?? 0) + 1);
    this.changed = true;
  }

  result(): HamResult {
    const categories: HamCategoryResult[] = [];
    let totalUnits = 0, otTotalUnits = 0;
    for (const c of this.categories.values()) {
      const assets = this.assets.get(c.name) ?? 0;
      if (assets === 0 && !c.optedIn) continue;
      const units = Math.ceil(assets / c.ratio);
      categories.push({ category: c.name, solution: c.solution, assets, ratio: c.ratio, units, optedIn: c.optedIn });
      if (c.ot) otTotalUnits += units;
      else totalUnits += units;
    }
    return { categories, totalUnits, otTotalUnits };
  }
}

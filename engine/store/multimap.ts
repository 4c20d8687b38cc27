/** The values filed under one key: a set where values come and go, an array where they only come. */
export type Bag<V> = ReadonlySet<V> | readonly V[];
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A map from a key to the values filed under it; empty entries are dropped. Kept as sets when
 * values are removed (incremental), as arrays otherwise: pushing a million rows into sets costs
 * a noticeable share of a one-shot reconcile.
 */
export class MultiMap<K, V> {
  private readonly map = new Map<K, Set<V> | V[]>();

  constructor(private removable = true) {}

  /** From here on values can be deleted: array entries become sets (built once, on the first edit). */
  makeRemovable(): void {
    this.makeRemovablePart(Infinity);
  }

  /**
   * Converts entries to sets until about `budget` values are done; true once all are (until then
   * nothing is added or deleted: edits wait for the store to be editable).
   */
  makeRemovablePart(budget: number): boolean {
    if (this.removable) return true;
    for (const [key, bag] of this.map) {
      if (bag instanceof Set) continue;
      this.map.set(key, new Set(bag));
      budget -= bag.length;
      if (budget <= 0) return false;
    }
    this.removable = true;
    return true;
  }

  /** Files the value under the key; true when the key had no values before. */
  add(key: K, value: V): boolean {
    const bag = this.map.get(key);
    if (this.removable) {
      if (bag) (bag as Set<V>).add(value);
      else this.map.set(key, new Set([value]));
    } else if (bag) (bag as V[]).push(value);
    else this.map.set(key, [value]);
    return bag === undefined;
  }

  /** Files values under one key (the key's set looked up once); true when the key had no values before. */
  addMany(key: K, values: readonly V[]): boolean {
    const had = this.map.has(key);
    if (!this.removable) for (const v of values) this.add(key, v);
    else if (values.length > 0) {
      let set = this.map.get(key) as Set<V> | undefined;
      if (!set) this.map.set(key, (set = new Set()));
      for (const v of values) set.add(v);
    }
    return !had && values.length > 0;
  }

  /** Takes values away from one key (the key's set is looked up once). */
  deleteMany(key: K, values: readonly V[]): void {
    const set = this.map.get(key) as Set<V> | undefined;
    if (!set) return;
    for (const v of values) set.delete(v);
    if (set.size === 0) this.map.delete(key);
  }

  delete(key: K, value: V): void {
    const set = this.map.get(key) as Set<V> | undefined;
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.map.delete(key);
  }

  get(key: K): Bag<V> {
    return this.map.get(key) ?? EMPTY;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
  }
}

const keyOf = (row: { publisher: string; product: string; productKey?: string }) => row.productKey ?? productKey(row.publisher, row.product);

/** Rows filed by (publisher, product), with the products of each publisher for product `*`. */
export class ProductIndex<T extends { publisher: string; product: string }> {
  private readonly byProduct: MultiMap<string, T>;
  private readonly productsOf = new MultiMap<string, string>();

  constructor(removable = true) {
    this.byProduct = new MultiMap(removable);
  }

  makeRemovablePart(budget: number): boolean {
    return this.byProduct.makeRemovablePart(budget);
  }

  clear(): void {
    this.byProduct.clear();
    this.productsOf.clear();
  }

  add(row: T): void {
    if (this.byProduct.add(keyOf(row), row)) this.productsOf.add(row.publisher, row.product);
  }

  delete(row: T): void {
    const key = keyOf(row);
    this.byProduct.delete(key, row);
    if (!this.byProduct.has(key)) this.productsOf.delete(row.publisher, row.product);
  }

  /** add() for rows of one product. */
  addMany(rows: readonly T[]): void {
    if (rows.length === 0) return;
    if (this.byProduct.addMany(keyOf(rows[0]), rows)) this.productsOf.add(rows[0].publisher, rows[0].product);
  }

  /** delete() for rows of one product. */
  deleteMany(rows: readonly T[]): void {
    if (rows.length === 0) return;
    const key = keyOf(rows[0]);
    this.byProduct.deleteMany(key, rows);
    if (!this.byProduct.has(key)) this.productsOf.delete(rows[0].publisher, rows[0].product);
  }

  /**
   * The sets of rows of one product, or of every product of the publisher when product is `*`.
   * Sets rather than a generator: callers loop over millions of installations.
   */
  of(publisher: string, product: string): Bag<T>[] {
    if (product !== '*') return [this.byProduct.get(productKey(publisher, product))];
    const sets: Bag<T>[] = [];
    for (const p of this.productsOf.get(publisher)) sets.push(this.byProduct.get(productKey(publisher, p)));
    return sets;
  }

  exactlyKey(key: string): Bag<T> {
    return this.byProduct.get(key);
  }

  /** Rows of exactly this product (for installations whose product is literally "*"). */
  exactly(publisher: string, product: string): Bag<T> {
    return this.byProduct.get(productKey(publisher, product));
  }

  keyOf(publisher: string, product: string): string {
    return productKey(publisher, product);
  }

  /** Every (publisher, product) with rows. */
  *allProducts(): Iterable<[string, string]> {
    for (const publisher of this.productsOf.keys()) for (const product of this.productsOf.get(publisher)) yield [publisher, product];
  }

  products(publisher: string): Bag<string> {
    return this.productsOf.get(publisher);
  }
}

/** Product keys, one string per (publisher, product): a million installations share a few hundred. */
const PRODUCT_KEYS = new Map<string, Map<string, string>>();

export function productKey(publisher: string, product: string): string {
  let byProduct = PRODUCT_KEYS.get(publisher);
  if (!byProduct) PRODUCT_KEYS.set(publisher, (byProduct = new Map()));
  let key = byProduct.get(product);
  if (key === undefined) {
    key = `${publisher}\u0001${product}`;
    if (byProduct.size < 100_000) byProduct.set(product, key);
  }
  return key;
}

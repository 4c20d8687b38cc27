/** A map from a key to the set of values filed under it; empty sets are dropped. */
export class MultiMap<K, V> {
  private readonly map = new Map<K, Set<V>>();
  private static readonly EMPTY: ReadonlySet<never> = new Set();

  add(key: K, value: V): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(value);
  }

  delete(key: K, value: V): void {
    const set = this.map.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.map.delete(key);
  }

  get(key: K): ReadonlySet<V> {
    return this.map.get(key) ?? (MultiMap.EMPTY as ReadonlySet<V>);
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

/** Rows filed by (publisher, product), with the products of each publisher for product `*`. */
export class ProductIndex<T extends { publisher: string; product: string }> {
  private readonly byProduct = new MultiMap<string, T>();
  private readonly productsOf = new MultiMap<string, string>();

  add(row: T): void {
    const key = productKey(row.publisher, row.product);
    if (!this.byProduct.has(key)) this.productsOf.add(row.publisher, row.product);
    this.byProduct.add(key, row);
  }

  delete(row: T): void {
    const key = productKey(row.publisher, row.product);
    this.byProduct.delete(key, row);
    if (!this.byProduct.has(key)) this.productsOf.delete(row.publisher, row.product);
  }

  /**
   * The sets of rows of one product, or of every product of the publisher when product is `*`.
   * Sets rather than a generator: callers loop over millions of installations.
   */
  of(publisher: string, product: string): ReadonlySet<T>[] {
    if (product !== '*') return [this.byProduct.get(productKey(publisher, product))];
    const sets: ReadonlySet<T>[] = [];
    for (const p of this.productsOf.get(publisher)) sets.push(this.byProduct.get(productKey(publisher, p)));
    return sets;
  }

  /** Rows of exactly this product (for installations whose product is literally "*"). */
  exactly(publisher: string, product: string): ReadonlySet<T> {
    return this.byProduct.get(productKey(publisher, product));
  }

  products(publisher: string): ReadonlySet<string> {
    return this.productsOf.get(publisher);
  }
}

export const productKey = (publisher: string, product: string): string => `${publisher}\u0001${product}`;

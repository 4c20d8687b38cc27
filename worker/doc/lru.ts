// A least-recently-used cache bounded by the summed weight of its values (rows, cells), not by
// their count: the reader's chunk caches hold chunks of very different sizes.

export class WeightedLru<T> {
  private readonly map = new Map<string, T>();
  /** The summed weight of what is held. */
  weight = 0;

  constructor(private readonly weigh: (value: T) => number, readonly limit: number) {}

  /** The value, now most recently used. */
  get(id: string): T | undefined {
    const v = this.map.get(id);
    if (v !== undefined) {
      this.map.delete(id);
      this.map.set(id, v);
    }
    return v;
  }

  /** The value, its recency unchanged. */
  peek(id: string): T | undefined {
    return this.map.get(id);
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  ids(): string[] {
    return [...this.map.keys()];
  }

  /** Holds the value, dropping the least recently used others while over the limit (never this one). */
  set(id: string, value: T): void {
    this.delete(id);
    this.map.set(id, value);
    this.weight += this.weigh(value);
    for (const [old, v] of this.map) {
      if (this.weight <= this.limit || old === id) break;
      this.map.delete(old);
      this.weight -= this.weigh(v);
    }
  }

  delete(id: string): void {
    const v = this.map.get(id);
    if (v === undefined) return;
    this.map.delete(id);
    this.weight -= this.weigh(v);
  }
}

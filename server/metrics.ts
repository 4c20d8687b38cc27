// Counters and gauges for GET /metrics, in Prometheus text format. Label
// values are a fixed vocabulary chosen by the relay (message types, refusal
// reasons), never client input, so the set of series stays bounded.

export type Labels = Record<string, string>;

interface Series {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
}

export class Metrics {
  private readonly series = new Map<string, Series>();
  private readonly gauges = new Map<string, { help: string; read: () => number }>();

  inc(name: string, help: string, labels: Labels = {}, amount = 1): void {
    let s = this.series.get(name);
    if (!s) {
      s = { help, type: 'counter', values: new Map() };
      this.series.set(name, s);
    }
    const key = labelKey(labels);
    s.values.set(key, (s.values.get(key) ?? 0) + amount);
  }

  /** A gauge read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read });
  }

  /** Current value of a counter (summed over labels unless given). */
  get(name: string, labels?: Labels): number {
    const s = this.series.get(name);
    if (!s) return this.gauges.get(name)?.read() ?? 0;
    if (labels) return s.values.get(labelKey(labels)) ?? 0;
    let total = 0;
    for (const v of s.values.values()) total += v;
    return total;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, s] of this.series) {
      lines.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
      for (const [key, value] of s.values) lines.push(`${name}${key} ${value}`);
    }
    for (const [name, g] of this.gauges) {
      lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.read()}`);
    }
    return lines.join('\n') + '\n';
  }
}

function labelKey(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/[\\"\n]/g, '_')}"`).join(',')}}`;
}

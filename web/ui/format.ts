// Display formats shared by grids and panels.

const nf = new Map<number, Intl.NumberFormat>();

export function formatNumber(v: number, digits = 0): string {
  if (!Number.isFinite(v)) return String(v);
  const d = Number.isInteger(v) && digits === 0 ? 0 : digits || 2;
  let f = nf.get(d);
  if (!f) nf.set(d, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits ? d : 0, maximumFractionDigits: d })));
  return f.format(v);
}

const STATUS: Record<string, string> = {
  compliant: 'Compliant',
  warning1: 'Warning 1',
  warning2: 'Warning 2',
  noncompliant: 'Noncompliant',
};

export function statusLabel(s: string): string {
  return STATUS[s] ?? s;
}

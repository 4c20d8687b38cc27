// The workspace's links as the share dialog shows them (ShareLinks.tsx): the relay's list as a tree
// of which link was made from which, last use in words, the token id a link claims. Pure: no DOM.

export interface IssuedLink {
  id: string;
  role: 'edit' | 'view';
  issuedAt: number;
  expiresAt: number | null;
  parent?: string;
  public?: true;
  lastUsedAt: number | null;
  connections: number;
  revoked: boolean;
}

export interface Row { link: IssuedLink; depth: number; descendants: number }

/** A moment as people read it (their locale). */
export const when = (seconds: number): string => new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "3 min ago", "2 days ago": last use, read at a glance. */
export function ago(seconds: number, nowMs = Date.now()): string {
  const s = Math.max(0, Math.round(nowMs / 1000 - seconds));
  if (s < 60) return 'just now';
  const units: [number, string][] = [[86_400 * 365, 'year'], [86_400 * 30, 'month'], [86_400, 'day'], [3600, 'hour'], [60, 'min']];
  for (const [size, name] of units) if (s >= size) { const n = Math.floor(s / size); return `${n} ${name}${n === 1 || name === 'min' ? '' : 's'} ago`; }
  return 'just now';
}

/** Links in tree order (each followed by the links made from it), with how many links descend from each. */
export function linkTree(links: readonly IssuedLink[]): Row[] {
  const ids = new Set(links.map((l) => l.id));
  const children = new Map<string, IssuedLink[]>();
  const roots: IssuedLink[] = [];
  for (const l of links) {
    if (l.parent && ids.has(l.parent)) {
      const list = children.get(l.parent);
      if (list) list.push(l);
      else children.set(l.parent, [l]);
    } else roots.push(l);
  }
  const out: Row[] = [];
  const walk = (l: IssuedLink, depth: number): number => {
    const row: Row = { link: l, depth, descendants: 0 };
    out.push(row);
    for (const c of children.get(l.id) ?? []) row.descendants += 1 + walk(c, depth + 1);
    return row.descendants;
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/** The token id a token claims (its payload is readable; the relay checks the signature). */
export function tokenIdOf(token: string | undefined): string | null {
  if (!token) return null;
  try {
    const b64 = token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    return (JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))) as { id?: string }).id ?? null;
  } catch {
    return null;
  }
}

// Peers' cursors in the grid: a cell someone is on gets an outline in their colour and a small
// name tag. One generated stylesheet holds a rule per peer (names and colours are data, so they
// cannot be static CSS); cells only carry the peer's class.

import type { Session } from '../state/session';

const sheetEl = typeof document !== 'undefined' ? document.createElement('style') : null;
if (sheetEl) {
  sheetEl.id = 'peer-styles';
  document.head.append(sheetEl);
}

const cssString = (s: string): string => `"${s.replace(/["\\\n]/g, (c) => (c === '\n' ? ' ' : `\\${c}`))}"`;
const safeColor = (c: string): string => (/^#[0-9a-fA-F]{3,8}$/.test(c) ? c : '#666');

/** Rewrites the per-peer rules (called when presence changes). */
export function updatePeerStyles(session: Session): void {
  if (!sheetEl) return;
  sheetEl.textContent = session.peers().map((p) => {
    const c = safeColor(p.user.color);
    return `.ag-cell.peer-${p.clientId}{box-shadow:inset 0 0 0 2px ${c};}` +
      `.ag-cell.peer-${p.clientId}::after{content:${cssString(p.user.name.slice(0, 24))};background:${c};}`;
  }).join('\n');
}

/** Classes for a cell: one per peer whose cursor is on it. */
export function peerClasses(session: Session, sheet: string, key: string, col: string): string[] {
  const out: string[] = [];
  for (const p of session.peers()) {
    const c = p.cursor;
    if (c && c.sheet === sheet && c.key === key && c.col === col) out.push('peer-cursor', `peer-${p.clientId}`);
  }
  return out;
}

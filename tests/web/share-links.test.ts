// The share dialog's list of links (web/ui/ShareLinks.tsx): links in tree order with how many were
// made from each (revoking one revokes those), last use in words, the token id a link claims.

import { expect, test } from 'vitest';
import { ago, linkTree, tokenIdOf, type IssuedLink } from '../../web/ui/links';

const link = (id: string, parent?: string): IssuedLink => ({ id, role: 'view', issuedAt: 0, expiresAt: null, parent, lastUsedAt: null, connections: 0, revoked: false });

test('links in tree order, each with how many descend from it; a parent not listed makes a root', () => {
  const rows = linkTree([link('a'), link('c', 'b'), link('b', 'a'), link('d'), link('e', 'gone')]);
  expect(rows.map((r) => [r.link.id, r.depth, r.descendants])).toEqual([['a', 0, 2], ['b', 1, 1], ['c', 2, 0], ['d', 0, 0], ['e', 0, 0]]);
});

test('last use in words, and the token id a link claims', () => {
  const now = 1_000_000_000_000;
  expect(ago(now / 1000 - 30, now)).toBe('just now');
  expect(ago(now / 1000 - 180, now)).toBe('3 min ago');
  expect(ago(now / 1000 - 86_400 * 2, now)).toBe('2 days ago');
  const payload = Buffer.from(JSON.stringify({ id: 'tok123', ws: 'demo' })).toString('base64url');
  expect(tokenIdOf(`${payload}.signature`)).toBe('tok123');
  expect(tokenIdOf('not a token')).toBeNull();
  expect(tokenIdOf(undefined)).toBeNull();
});

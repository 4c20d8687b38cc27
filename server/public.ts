// Workspaces the operator publishes to every visitor of this relay (config `publicWorkspaces`,
// RECKON_PUBLIC_WORKSPACES; `npm start` publishes its demo), so that a first visit to the relay's
// root shows something to open rather than an empty list.
//
// Each published workspace has one view token of the relay's own, recorded in the ledger with
// `public: true` (minted when the relay starts, unless an unrevoked one is there). A visitor's link
// is minted from it on request (`POST /api/public`) and is not recorded: visitors are many and
// anonymous, and the ledger (capped per workspace) is for the links people made. Every visitor's
// link carries the public token in its chain, so revoking that token in the share dialog ends every
// visitor's access at once and stops the listing; the next start of a relay that still publishes the
// workspace mints a new public token (the operator's configuration is what publishes).

import type { PublicWorkspace } from './config';
import type { Ledger, Revocations } from './sharing';
import type { IssuedToken } from './token-files';
import { mintToken, type TokenClaims } from './tokens';

export class PublicWorkspaces {
  /** Public tokens seen in the ledger: a visitor's use is recorded as theirs (publicParentOf). */
  private readonly known = new Set<string>();

  constructor(
    private readonly published: readonly PublicWorkspace[],
    private readonly ledger: Ledger,
    private readonly revocations: Revocations,
    private readonly secret: Uint8Array,
  ) {}

  /** Gives every published workspace an unrevoked public token (when the relay starts). */
  async ensure(nowSeconds: number): Promise<void> {
    for (const w of this.published) {
      if (await this.parent(w.id)) continue;
      const { claims } = mintToken(this.secret, { workspace: w.id, role: 'view', nowSeconds });
      const issued = await this.ledger.record(claims, { public: true });
      if (issued) this.known.add(issued.id);
    }
  }

  /** The newest unrevoked public token of a workspace, if it is published. */
  private async parent(workspace: string): Promise<IssuedToken | undefined> {
    const issued = (await this.ledger.listWorkspace(workspace)).filter((t) => t.public && !this.revocations.anyRevoked([t.id]));
    for (const t of issued) this.known.add(t.id);
    return issued[issued.length - 1];
  }

  /** What the first page lists: published workspaces whose public token stands. */
  async listed(): Promise<{ workspace: string; name: string }[]> {
    const out: { workspace: string; name: string }[] = [];
    for (const w of this.published) if (await this.parent(w.id)) out.push({ workspace: w.id, name: w.name });
    return out;
  }

  /** A new visitor's view link of a published workspace, or null if it is not (or no longer) published. */
  async mint(workspace: string, nowSeconds: number): Promise<{ token: string; claims: TokenClaims; name: string } | null> {
    const w = this.published.find((x) => x.id === workspace);
    const parent = w && (await this.parent(w.id));
    if (!w || !parent) return null;
    const parentClaims: TokenClaims = { v: 1, w: parent.workspace, r: parent.role, id: parent.id, iat: parent.issuedAt };
    if (parent.expiresAt !== null) parentClaims.exp = parent.expiresAt;
    return { ...mintToken(this.secret, { workspace, role: 'view', nowSeconds, parent: parentClaims }), name: w.name };
  }

  /** The public token a visitor's link descends from (its use counts as the public link's use). */
  publicParentOf(claims: TokenClaims): string | null {
    const last = claims.a?.[claims.a.length - 1];
    if (!last || claims.a!.length !== 1) return null;
    return this.known.has(last) ? last : null;
  }
}

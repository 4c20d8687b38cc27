// Access decisions, shared by the websocket upgrade and the HTTP API: a
// token is accepted for a workspace when its MAC verifies, it has not
// expired, it names that workspace, and neither its id nor the id of any
// token it was minted from is revoked.

import { verifyToken, type TokenClaims } from './tokens';
import type { Revocations } from './sharing';

export type AuthFailure = 'missing-token' | 'malformed-token' | 'bad-mac' | 'expired' | 'wrong-workspace' | 'revoked';

export type AuthResult = { ok: true; claims: TokenClaims } | { ok: false; reason: AuthFailure; status: 401 | 403 };

export interface Authorizer {
  /** `workspace` null: any workspace (the API reads it from the token). */
  authorize(token: string | null, workspace: string | null): AuthResult;
}

export function createAuthorizer(
  secret: Uint8Array,
  revocations: Revocations,
  nowSeconds: () => number,
): Authorizer {
  return {
    authorize(token, workspace) {
      if (token === null || token === '') return { ok: false, reason: 'missing-token', status: 401 };
      const verified = verifyToken(secret, token, nowSeconds());
      if (!verified.ok) {
        const reason = verified.reason === 'malformed' ? 'malformed-token' : verified.reason;
        return { ok: false, reason, status: 401 };
      }
      if (workspace !== null && verified.claims.w !== workspace) {
        return { ok: false, reason: 'wrong-workspace', status: 403 };
      }
      // Revoking a token revokes every token minted from it, however far down (claims.a).
      if (revocations.anyRevoked([verified.claims.id, ...(verified.claims.a ?? [])])) {
        return { ok: false, reason: 'revoked', status: 403 };
      }
      return { ok: true, claims: verified.claims };
    },
  };
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

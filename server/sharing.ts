// Where the relay keeps what sharing needs besides the token secret: the ledger of issued tokens
// and the revoked ids. The files of the data directory (token-files.ts) are the embedded default;
// relay processes sharing rooms through Redis share these too (redis/tokens.ts).
// Methods may answer at once or later: callers always await them.

import type { IssuedToken } from './token-files';
import type { TokenClaims } from './tokens';

export interface Ledger {
  /**
   * Records an issued token, unless its workspace already has `capacity` tokens (checked and
   * recorded as one step, across processes): null then.
   */
  record(claims: TokenClaims, capacity?: number): IssuedToken | null | Promise<IssuedToken | null>;
  find(tokenId: string): IssuedToken | undefined | Promise<IssuedToken | undefined>;
  listWorkspace(workspace: string): IssuedToken[] | Promise<IssuedToken[]>;
  countWorkspace(workspace: string): number | Promise<number>;
}

export interface Revocations {
  /** Whether any of `tokenIds` is revoked. Synchronous: checked on every upgrade and request. */
  anyRevoked(tokenIds: readonly string[]): boolean;
  revoke(tokenId: string, nowSeconds: number): void | Promise<void>;
  /** Ids revoked since the last call, by this process or another (polled: their connections close). */
  takeNew(): string[];
  /** Called at once for each id revoked anywhere (a shared list; the files are polled instead). */
  onRevoked?(listener: (tokenId: string) => void): void;
}

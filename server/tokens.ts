// Share tokens: pure functions, used by the relay and by `reckon share`.
//
// Format: base64url(JSON claims) "." base64url(HMAC-SHA256(secret, DOMAIN + payloadPart))
//
// Invariants:
// - The MAC is checked (in constant time) before the payload is parsed, so
//   nothing from an unauthenticated token reaches JSON.parse.
// - Time is passed in (`nowSeconds`); nothing here reads the clock, the disk
//   or the environment. Randomness only in `newTokenId`, which callers may
//   replace.
// - Revocation and "which workspace is this request for" are decided by the
//   caller (server/auth.ts); a verified token only proves who issued it.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Role = 'edit' | 'view';

export interface TokenClaims {
  /** Format version. */
  v: 1;
  /** Workspace id (also the relay room name). */
  w: string;
  r: Role;
  /** Random token id: the handle for revocation. Not a secret. */
  id: string;
  /** Issued at, unix seconds. */
  iat: number;
  /** Expiry, unix seconds; absent = no expiry. */
  exp?: number;
  /**
   * The ids of the tokens it was minted from, the first minted first (absent for a token the relay
   * or the CLI minted on its own). Revoking any of them revokes this one too (auth.ts), whether or
   * not the ledger is at hand.
   */
  a?: string[];
}

export type TokenFailure = 'malformed' | 'bad-mac' | 'expired';

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenFailure };

export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Far longer than any token we mint; bounds the work done on garbage. */
export const MAX_TOKEN_LENGTH = 1024;
/** Longest chain of tokens minting tokens (a token minted from one this deep is refused). */
export const MAX_ANCESTORS = 16;
/** Longest lifetime a token may be given: ten years. */
export const MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 3600;

const DOMAIN = 'reckon-share-token-v1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function isWorkspaceId(value: unknown): value is string {
  return typeof value === 'string' && WORKSPACE_ID_PATTERN.test(value);
}

export function isTokenId(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_ID_PATTERN.test(value);
}

export function isRole(value: unknown): value is Role {
  return value === 'edit' || value === 'view';
}

/** 128 random bits, base64url (22 characters). */
export function newTokenId(): string {
  return randomBytes(16).toString('base64url');
}

/** A fresh random workspace id (128 bits, base64url). */
export function newWorkspaceId(): string {
  return randomBytes(16).toString('base64url');
}

function mac(secret: Uint8Array, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(payloadPart).digest();
}

export function signToken(secret: Uint8Array, claims: TokenClaims): string {
  if (!isValidClaims(claims)) throw new Error('invalid token claims');
  const payloadPart = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payloadPart}.${mac(secret, payloadPart).toString('base64url')}`;
}

export interface MintOptions {
  workspace: string;
  role: Role;
  /** Lifetime in seconds; absent = no expiry. */
  expiresInSeconds?: number;
  nowSeconds: number;
  tokenId?: string;
  /** The token it is minted with: its id and its own ancestors become this one's. */
  parent?: TokenClaims;
}

/** Builds claims and signs them. Throws on an invalid workspace, role or lifetime. */
export function mintToken(secret: Uint8Array, options: MintOptions): { token: string; claims: TokenClaims } {
  const { workspace, role, expiresInSeconds, nowSeconds } = options;
  if (expiresInSeconds !== undefined && !isValidLifetime(expiresInSeconds)) {
    throw new Error('expiresInSeconds must be a whole number of seconds between 1 and ten years');
  }
  const iat = Math.floor(nowSeconds);
  const claims: TokenClaims = { v: 1, w: workspace, r: role, id: options.tokenId ?? newTokenId(), iat };
  if (expiresInSeconds !== undefined) claims.exp = iat + expiresInSeconds;
  if (options.parent) {
    const chain = [...(options.parent.a ?? []), options.parent.id];
    if (chain.length > MAX_ANCESTORS) throw new Error(`a token may descend from at most ${MAX_ANCESTORS} others`);
    claims.a = chain;
  }
  return { token: signToken(secret, claims), claims };
}

export function isValidLifetime(seconds: unknown): seconds is number {
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_EXPIRES_IN_SECONDS;
}

export function verifyToken(secret: Uint8Array, token: unknown, nowSeconds: number): VerifyResult {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payloadPart, macPart] = parts as [string, string];
  if (!BASE64URL.test(payloadPart) || !BASE64URL.test(macPart)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(secret, payloadPart);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-mac' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isValidClaims(parsed)) return { ok: false, reason: 'malformed' };
  if (parsed.exp !== undefined && parsed.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: parsed };
}

/**
 * The token id a token says it has, read without verifying or parsing it (a regular expression over
 * its decoded payload, never JSON.parse): only to tell a link this relay issued and someone altered
 * from one it never issued, when the MAC does not verify. Never grants anything.
 */
export function claimedTokenId(token: unknown): string | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const payloadPart = token.split('.')[0] ?? '';
  if (!BASE64URL.test(payloadPart)) return null;
  const m = /"id":"([A-Za-z0-9_-]{16,64})"/.exec(Buffer.from(payloadPart, 'base64url').toString('latin1'));
  return m ? (m[1] as string) : null;
}

function isValidClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const c = value as Record<string, unknown>;
  const allowed = new Set(['v', 'w', 'r', 'id', 'iat', 'exp', 'a']);
  if (Object.keys(c).some((key) => !allowed.has(key))) return false;
  return (
    c.v === 1 &&
    isWorkspaceId(c.w) &&
    isRole(c.r) &&
    isTokenId(c.id) &&
    typeof c.iat === 'number' &&
    Number.isInteger(c.iat) &&
    c.iat >= 0 &&
    (c.exp === undefined || (typeof c.exp === 'number' && Number.isInteger(c.exp))) &&
    (c.a === undefined || (Array.isArray(c.a) && c.a.length <= MAX_ANCESTORS && c.a.every(isTokenId)))
  );
}

/** The link the web app understands: `<base>/#/w/<workspace>?token=<token>`. */
export function shareLink(baseUrl: string, workspace: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#/w/${workspace}?token=${token}`;
}

/**
 * Parses a lifetime such as `90s`, `30m`, `12h`, `7d`, `2w` (a bare number is
 * seconds). Returns null when malformed or out of range.
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,10})([smhdw]?)$/.exec(text.trim());
  if (!match) return null;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as '' | 's' | 'm' | 'h' | 'd' | 'w'];
  const seconds = Number(match[1]) * unit;
  return isValidLifetime(seconds) ? seconds : null;
}

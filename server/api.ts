// The HTTP API used by the browser UI for sharing:
//
//   POST /api/workspaces  → 201 {workspace, role, token, tokenId, url}      (no auth; rate-limited)
//                         {workspace}: claims that id (a workspace made offline, now shared);
//                         409 workspace-exists when the relay knows it (a room, stored data, tokens)
//   POST /api/share       {workspace, role, expiresInSeconds?}              (Bearer edit token of workspace)
//                         → 201 {workspace, role, token, tokenId, url, expiresAt}
//   POST /api/revoke      {tokenId}                                         (Bearer edit token; same workspace)
//                         → 200 {revoked}
//   GET  /api/whoami      → 200 {workspace, role, tokenId, expiresAt}       (any valid token)
//   GET  /api/tokens      → 200 {tokens: [...]} issued for the workspace    (Bearer edit token)
//
// Errors are JSON {error: reason} with 400/401/403/404/405/413/429.
// A token minted through the API never outlives the token that minted it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from './auth';
import { bearerToken } from './auth';
import type { KeyedRateLimiter } from './limits';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { RevocationList, TokenLedger } from './token-files';
import {
  isRole,
  isTokenId,
  isValidLifetime,
  isWorkspaceId,
  mintToken,
  newWorkspaceId,
  shareLink,
  type Role,
  type TokenClaims,
} from './tokens';

export interface ApiDeps {
  secret: Uint8Array;
  authorizer: Authorizer;
  ledger: TokenLedger;
  revocations: RevocationList;
  workspaceLimiter: KeyedRateLimiter;
  metrics: Metrics;
  log: Logger;
  nowMs: () => number;
  /** Base URL for links. */
  publicUrl: () => string;
  /** Closes live connections of a revoked token. */
  onRevoked: (tokenId: string) => void;
  /** Whether the relay holds a room for this id (loaded, or stored). */
  roomExists: (workspace: string) => Promise<boolean>;
  /** Ids being claimed right now: a second claim of one id meanwhile is refused. */
  claiming: Set<string>;
}

const MAX_BODY_BYTES = 16 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Handles /api/*; the caller has checked the prefix. */
export async function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  try {
    const route = `${req.method} ${pathname}`;
    switch (route) {
      case 'POST /api/workspaces':
        return sendJson(res, 201, await createWorkspace(deps, req, await readOptionalJson(req)));
      case 'POST /api/share':
        return sendJson(res, 201, share(deps, req, await readJson(req)));
      case 'POST /api/revoke':
        return sendJson(res, 200, revoke(deps, req, await readJson(req)));
      case 'GET /api/whoami': {
        const claims = requireToken(deps, req, null);
        return sendJson(res, 200, describe(claims));
      }
      case 'GET /api/tokens': {
        const claims = requireEditor(deps, req, null);
        return sendJson(res, 200, { tokens: deps.ledger.listWorkspace(claims.w) });
      }
      default: {
        const known = ['/api/workspaces', '/api/share', '/api/revoke', '/api/whoami', '/api/tokens'];
        throw new HttpError(known.includes(pathname) ? 405 : 404, known.includes(pathname) ? 'method-not-allowed' : 'not-found');
      }
    }
  } catch (error) {
    if (error instanceof HttpError) {
      deps.metrics.inc('reckon_api_errors_total', 'API requests refused', { reason: error.reason });
      return sendJson(res, error.status, { error: error.reason });
    }
    throw error;
  }
}

function nowSeconds(deps: ApiDeps): number {
  return Math.floor(deps.nowMs() / 1000);
}

/**
 * A new workspace: a fresh id, or the id the caller made offline. A claimed id gets an edit token
 * only if the relay has never seen it: no token was issued for it (the ledger), no room is loaded or
 * stored under it. Otherwise anyone who learned a workspace's id could take edit rights over it.
 * Claims of one id do not overlap (the check and the ledger write are one step per id).
 */
async function createWorkspace(deps: ApiDeps, req: IncomingMessage, body: Record<string, unknown> | null): Promise<object> {
  const address = req.socket.remoteAddress ?? 'unknown';
  const claimed = body?.workspace;
  if (claimed !== undefined && !isWorkspaceId(claimed)) throw new HttpError(400, 'bad-workspace');
  if (!deps.workspaceLimiter.tryTake(address, deps.nowMs())) throw new HttpError(429, 'rate-limited');
  const workspace = claimed ?? newWorkspaceId();
  if (claimed !== undefined) {
    const { claiming } = deps;
    if (claiming.has(claimed)) throw new HttpError(409, 'workspace-exists');
    claiming.add(claimed);
    try {
      if (deps.ledger.listWorkspace(claimed).length > 0 || (await deps.roomExists(claimed))) throw new HttpError(409, 'workspace-exists');
      return mintOwner(deps, workspace, 'workspace-claimed');
    } finally {
      claiming.delete(claimed);
    }
  }
  return mintOwner(deps, workspace, 'workspace-created');
}

function mintOwner(deps: ApiDeps, workspace: string, event: string): object {
  const { token, claims } = mintToken(deps.secret, { workspace, role: 'edit', nowSeconds: nowSeconds(deps) });
  deps.ledger.record(claims);
  deps.log('info', event, { workspace, tokenId: claims.id });
  return { workspace, role: claims.r, token, tokenId: claims.id, url: shareLink(deps.publicUrl(), workspace, token) };
}

function share(deps: ApiDeps, req: IncomingMessage, body: Record<string, unknown>): object {
  const { workspace, role, expiresInSeconds } = body;
  if (!isWorkspaceId(workspace)) throw new HttpError(400, 'bad-workspace');
  if (!isRole(role)) throw new HttpError(400, 'bad-role');
  if (expiresInSeconds !== undefined && expiresInSeconds !== null && !isValidLifetime(expiresInSeconds)) {
    throw new HttpError(400, 'bad-expiry');
  }
  const parent = requireEditor(deps, req, workspace);
  const now = nowSeconds(deps);
  let lifetime = typeof expiresInSeconds === 'number' ? expiresInSeconds : undefined;
  if (parent.exp !== undefined) lifetime = Math.min(lifetime ?? Infinity, parent.exp - now);
  const { token, claims } = mintToken(deps.secret, {
    workspace,
    role: role as Role,
    nowSeconds: now,
    ...(lifetime !== undefined ? { expiresInSeconds: Math.max(1, lifetime) } : {}),
  });
  deps.ledger.record(claims);
  deps.log('info', 'token-shared', { workspace, role: claims.r, tokenId: claims.id, by: parent.id });
  return { ...describe(claims), token, url: shareLink(deps.publicUrl(), workspace, token) };
}

function revoke(deps: ApiDeps, req: IncomingMessage, body: Record<string, unknown>): object {
  const { tokenId } = body;
  if (!isTokenId(tokenId)) throw new HttpError(400, 'bad-token-id');
  const editor = requireEditor(deps, req, null);
  const issued = deps.ledger.find(tokenId);
  // Unknown, or issued for another workspace: indistinguishable to the caller.
  if (!issued || issued.workspace !== editor.w) throw new HttpError(404, 'unknown-token');
  deps.revocations.revoke(tokenId, nowSeconds(deps));
  deps.onRevoked(tokenId);
  deps.log('info', 'token-revoked', { workspace: editor.w, tokenId, by: editor.id });
  return { revoked: tokenId };
}

function describe(claims: TokenClaims): object {
  return { workspace: claims.w, role: claims.r, tokenId: claims.id, expiresAt: claims.exp ?? null };
}

function requireToken(deps: ApiDeps, req: IncomingMessage, workspace: string | null): TokenClaims {
  const auth = deps.authorizer.authorize(bearerToken(req.headers.authorization), workspace);
  if (!auth.ok) throw new HttpError(auth.status, auth.reason);
  return auth.claims;
}

function requireEditor(deps: ApiDeps, req: IncomingMessage, workspace: string | null): TokenClaims {
  const claims = requireToken(deps, req, workspace);
  if (claims.r !== 'edit') throw new HttpError(403, 'edit-token-required');
  return claims;
}

/** A JSON object body, or null when the request has none (POST /api/workspaces takes either). */
async function readOptionalJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return null;
  return readJson(req);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body-too-large');
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'bad-json');
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

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
//   GET  /api/state-vector → 200 application/octet-stream: the room's state vector (any valid token)
//   POST /api/upload?id&offset&total  body: a piece of a large update      (Bearer edit token; uploads.ts)
//
// Errors are JSON {error: reason} with 400/401/403/404/405/409/413/422/429/503.
// A token minted through the API never outlives the token that minted it, and is revoked with it
// (it carries the ids of the tokens it descends from: tokens.ts, auth.ts).
// Every request is rate-limited per address, and per token once its token is verified; creating
// workspaces and sharing have their own, stricter limits (server/README.md, "Configuration").

import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Authorizer } from './auth';
import { bearerToken } from './auth';
import type { RelayConfig } from './config';
import type { LimitStore } from './limits';
import { clientAddress } from './relay';
import { UploadError, type Uploads } from './uploads';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { Ledger, Revocations } from './sharing';
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
  ledger: Ledger;
  revocations: Revocations;
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
  config: RelayConfig;
  limitStore: LimitStore;
  uploads: Uploads;
  /** The room's state vector (loaded, or from the store), or null if it has none. */
  stateVector: (workspace: string) => Promise<Uint8Array | null>;
}

const MAX_BODY_BYTES = 16 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

/** The request's client address (per-address limits); set once per request by handleApi. */
const ADDRESS = Symbol('address');
type Request = IncomingMessage & { [ADDRESS]?: string };
const addressOf = (req: Request): string => req[ADDRESS] ?? 'unknown';

/** Handles /api/*; the caller has checked the prefix. */
export async function handleApi(deps: ApiDeps, req: Request, res: ServerResponse, pathname: string): Promise<void> {
  try {
    req[ADDRESS] = clientAddress(req, deps.config.trustProxy);
    if (!(await deps.limitStore.apiByAddress.tryTake(addressOf(req), 1, deps.nowMs()))) throw new HttpError(429, 'rate-limited');
    const route = `${req.method} ${pathname}`;
    switch (route) {
      case 'POST /api/workspaces':
        return sendJson(res, 201, await createWorkspace(deps, req, await readOptionalJson(req)));
      case 'POST /api/share':
        return sendJson(res, 201, await share(deps, req, await readJson(req)));
      case 'POST /api/revoke':
        return sendJson(res, 200, await revoke(deps, req, await readJson(req)));
      case 'GET /api/whoami': {
        const claims = await requireToken(deps, req, null);
        return sendJson(res, 200, describe(claims));
      }
      case 'GET /api/tokens': {
        const claims = await requireEditor(deps, req, null);
        return sendJson(res, 200, { tokens: await deps.ledger.listWorkspace(claims.w) });
      }
      case 'GET /api/state-vector': {
        const claims = await requireToken(deps, req, null);
        const sv = (await deps.stateVector(claims.w)) ?? new Uint8Array([0]);
        // With the sizes a client needs to decide whether (and how) to upload in pieces (uploads.ts).
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream', 'Content-Length': sv.byteLength, 'Cache-Control': 'no-store',
          'X-Reckon-Max-Message-Bytes': String(deps.config.limits.maxMessageBytes),
          'X-Reckon-Upload-Piece-Bytes': String(deps.config.limits.maxUploadPieceBytes),
        });
        res.end(sv);
        return;
      }
      case 'POST /api/upload':
        return sendJson(res, 200, await upload(deps, req));
      default: {
        const known = ['/api/workspaces', '/api/share', '/api/revoke', '/api/whoami', '/api/tokens', '/api/state-vector', '/api/upload'];
        throw new HttpError(known.includes(pathname) ? 405 : 404, known.includes(pathname) ? 'method-not-allowed' : 'not-found');
      }
    }
  } catch (error) {
    if (error instanceof HttpError || error instanceof UploadError) {
      deps.metrics.inc('reckon_api_errors_total', 'API requests refused', { reason: error.reason });
      if (!res.headersSent && req.readableEnded === false) res.setHeader('Connection', 'close');
      return sendJson(res, error.status, { error: error.reason, ...error.extra });
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
async function createWorkspace(deps: ApiDeps, req: Request, body: Record<string, unknown> | null): Promise<object> {
  const address = addressOf(req);
  const operator = isOperator(deps, req);
  if (deps.config.workspaceCreation === 'operator' && !operator) throw new HttpError(403, 'operator-only');
  const claimed = body?.workspace;
  if (claimed !== undefined && !isWorkspaceId(claimed)) throw new HttpError(400, 'bad-workspace');
  const { limitStore } = deps;
  if (!operator && !((await limitStore.workspaceCreates.tryTake(address, 1, deps.nowMs())) && (await limitStore.workspaceCreatesGlobal.tryTake('all', 1, deps.nowMs())))) {
    throw new HttpError(429, 'rate-limited');
  }
  // A cap per address and day: capacity (rooms, connections) cannot be hoarded by creating workspaces.
  const counted = async () => {
    if (!operator && !(await limitStore.workspacesByAddress.tryAdd(address, deps.config.limits.workspacesPerAddressPerDay, deps.nowMs()))) {
      throw new HttpError(429, 'too-many-workspaces');
    }
  };
  const workspace = claimed ?? newWorkspaceId();
  if (claimed !== undefined) {
    const { claiming } = deps;
    if (claiming.has(claimed)) throw new HttpError(409, 'workspace-exists');
    claiming.add(claimed);
    try {
      if ((await deps.ledger.countWorkspace(claimed)) > 0 || (await deps.roomExists(claimed))) throw new HttpError(409, 'workspace-exists');
      await counted();
      // Recorded only if no token was issued for the id meanwhile (by another process, too).
      return await mintOwner(deps, workspace, 'workspace-claimed', 1);
    } finally {
      claiming.delete(claimed);
    }
  }
  await counted();
  return mintOwner(deps, workspace, 'workspace-created');
}

/** Whether the request carries the operator's credential (compared in constant time). */
function isOperator(deps: ApiDeps, req: IncomingMessage): boolean {
  const expected = deps.config.operatorToken;
  const given = bearerToken(req.headers.authorization);
  if (!expected || !given) return false;
  const a = Buffer.from(given), b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A piece of a large document (uploads.ts): the edit token's workspace, the body read within bounds. */
async function upload(deps: ApiDeps, req: Request): Promise<object> {
  const claims = await requireEditor(deps, req, null);
  const q = new URL(req.url ?? '/', 'http://relay.invalid').searchParams;
  const id = q.get('id') ?? '', offset = Number(q.get('offset')), total = Number(q.get('total'));
  const declared = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(declared) || declared < 1) throw new HttpError(411, 'length-required');
  deps.uploads.expect(claims, id, offset, total, declared);
  const body = await readBody(req, deps.config.limits.maxUploadPieceBytes);
  if (body.byteLength !== declared) throw new HttpError(400, 'bad-upload');
  return deps.uploads.piece(claims, id, offset, total, body);
}

async function mintOwner(deps: ApiDeps, workspace: string, event: string, capacity = Infinity): Promise<object> {
  const { token, claims } = mintToken(deps.secret, { workspace, role: 'edit', nowSeconds: nowSeconds(deps) });
  if ((await deps.ledger.record(claims, capacity)) === null) throw new HttpError(409, 'workspace-exists');
  deps.log('info', event, { workspace, tokenId: claims.id });
  return { workspace, role: claims.r, token, tokenId: claims.id, url: shareLink(deps.publicUrl(), workspace, token) };
}

async function share(deps: ApiDeps, req: Request, body: Record<string, unknown>): Promise<object> {
  const { workspace, role, expiresInSeconds } = body;
  if (!isWorkspaceId(workspace)) throw new HttpError(400, 'bad-workspace');
  if (!isRole(role)) throw new HttpError(400, 'bad-role');
  if (expiresInSeconds !== undefined && expiresInSeconds !== null && !isValidLifetime(expiresInSeconds)) {
    throw new HttpError(400, 'bad-expiry');
  }
  const parent = await requireEditor(deps, req, workspace);
  const { limitStore, config } = deps;
  if (!(await limitStore.shareByToken.tryTake(parent.id, 1, deps.nowMs())) || !(await limitStore.shareByAddress.tryTake(addressOf(req), 1, deps.nowMs()))) {
    throw new HttpError(429, 'rate-limited');
  }
  if ((await deps.ledger.countWorkspace(workspace)) >= config.limits.maxTokensPerWorkspace) throw new HttpError(429, 'too-many-tokens');
  const now = nowSeconds(deps);
  let lifetime = typeof expiresInSeconds === 'number' ? expiresInSeconds : undefined;
  if (parent.exp !== undefined) lifetime = Math.min(lifetime ?? Infinity, parent.exp - now);
  let minted: ReturnType<typeof mintToken>;
  try {
    minted = mintToken(deps.secret, {
      workspace,
      role: role as Role,
      nowSeconds: now,
      parent,
      ...(lifetime !== undefined ? { expiresInSeconds: Math.max(1, lifetime) } : {}),
    });
  } catch {
    throw new HttpError(400, 'chain-too-long');
  }
  const { token, claims } = minted;
  // The cap is checked again as the token is recorded: requests racing on several processes cannot pass it.
  if ((await deps.ledger.record(claims, config.limits.maxTokensPerWorkspace)) === null) throw new HttpError(429, 'too-many-tokens');
  deps.log('info', 'token-shared', { workspace, role: claims.r, tokenId: claims.id, by: parent.id });
  return { ...describe(claims), token, url: shareLink(deps.publicUrl(), workspace, token) };
}

async function revoke(deps: ApiDeps, req: IncomingMessage, body: Record<string, unknown>): Promise<object> {
  const { tokenId } = body;
  if (!isTokenId(tokenId)) throw new HttpError(400, 'bad-token-id');
  const editor = await requireEditor(deps, req, null);
  const issued = await deps.ledger.find(tokenId);
  // Unknown, or issued for another workspace: indistinguishable to the caller.
  if (!issued || issued.workspace !== editor.w) throw new HttpError(404, 'unknown-token');
  await deps.revocations.revoke(tokenId, nowSeconds(deps));
  deps.onRevoked(tokenId);
  deps.log('info', 'token-revoked', { workspace: editor.w, tokenId, by: editor.id });
  return { revoked: tokenId };
}

function describe(claims: TokenClaims): object {
  return { workspace: claims.w, role: claims.r, tokenId: claims.id, expiresAt: claims.exp ?? null };
}

async function requireToken(deps: ApiDeps, req: IncomingMessage, workspace: string | null): Promise<TokenClaims> {
  const auth = deps.authorizer.authorize(bearerToken(req.headers.authorization), workspace);
  if (!auth.ok) throw new HttpError(auth.status, auth.reason);
  if (!(await deps.limitStore.apiByToken.tryTake(auth.claims.id, 1, deps.nowMs()))) throw new HttpError(429, 'rate-limited');
  return auth.claims;
}

async function requireEditor(deps: ApiDeps, req: IncomingMessage, workspace: string | null): Promise<TokenClaims> {
  const claims = await requireToken(deps, req, workspace);
  if (claims.r !== 'edit') throw new HttpError(403, 'edit-token-required');
  return claims;
}

/** A JSON object body, or null when the request has none (POST /api/workspaces takes either). */
async function readOptionalJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return null;
  return readJson(req);
}

/** A request body of at most `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpError(413, 'body-too-large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
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

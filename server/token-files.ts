// The files in the data directory that back sharing, shared by the relay and
// `reckon share` (which may run while the relay is up):
//
//   token-secret       32 random bytes (hex), mode 0600, created on first use
//   tokens.jsonl       ledger of issued tokens (id, workspace, role, times);
//                      never the token itself, so it is not a credential
//   revoked.jsonl      revoked token ids, appended and fsynced
//
// Both .jsonl files are append-only; lines are small, so O_APPEND writes from
// two processes do not interleave. Readers read what was appended when a
// file grows, which is how the relay notices a revocation made by the CLI.

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isRole, isTokenId, isWorkspaceId, type Role, type TokenClaims } from './tokens';
import type { Ledger, Revocations } from './sharing';

const SECRET_FILE = 'token-secret';
const LEDGER_FILE = 'tokens.jsonl';
const REVOKED_FILE = 'revoked.jsonl';

export function ensureDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * Reads the HMAC secret, creating it on first use. Creation uses O_EXCL, so
 * when the relay and the CLI race, one wins and the other reads its secret.
 */
export function loadOrCreateSecret(dataDir: string): Buffer {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, SECRET_FILE);
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A racing creator may not have written yet: retry briefly on an empty file.
  for (let attempt = 0; ; attempt++) {
    const hex = fs.readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
    if (hex.length > 0 || attempt >= 50) throw new Error(`${file} is not a 32-byte hex secret`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/** Appends one line and fsyncs (revocations must survive a crash). */
function appendLine(file: string, line: string, sync: boolean): void {
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, line + '\n');
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Parsed view of an append-only JSON-lines file, read incrementally: when the file grows only the
 * new bytes are read and parsed (a ledger of half a million tokens is not re-read per request), and
 * a line is taken only once its newline is there (a write in progress from another process is left
 * for the next read). A file that shrank was replaced: it is read again from the start. Malformed
 * lines (a torn write) are skipped.
 */
class JsonLinesFile<T> {
  private size = 0;
  private pending = '';

  constructor(
    readonly file: string,
    private readonly parse: (value: unknown) => T | null,
  ) {}

  /** Items appended since the last read (all of them, with `reset`, when the file was replaced). */
  readNew(): { items: T[]; reset: boolean } {
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      size = 0;
    }
    let reset = false;
    if (size < this.size) {
      this.size = 0;
      this.pending = '';
      reset = true;
    }
    if (size === this.size) return { items: [], reset };
    const fd = fs.openSync(this.file, 'r');
    let text: string;
    try {
      const buf = Buffer.alloc(size - this.size);
      const read = fs.readSync(fd, buf, 0, buf.length, this.size);
      text = this.pending + buf.toString('utf8', 0, read);
      this.size += read;
    } finally {
      fs.closeSync(fd);
    }
    const end = text.lastIndexOf('\n');
    this.pending = text.slice(end + 1);
    const items: T[] = [];
    for (const line of text.slice(0, end + 1).split('\n')) {
      if (line.trim() === '') continue;
      try {
        const item = this.parse(JSON.parse(line));
        if (item !== null) items.push(item);
      } catch {
        // a torn or foreign line: ignore it
      }
    }
    return { items, reset };
  }
}

export interface IssuedToken {
  id: string;
  workspace: string;
  role: Role;
  issuedAt: number;
  expiresAt: number | null;
  /** The token it was minted with (absent: minted by the relay or the CLI on its own). */
  parent?: string;
}

/** The ledger's record of a token minted with these claims (its parent: the last of its chain). */
export function issuedOf(claims: TokenClaims): IssuedToken {
  return {
    id: claims.id,
    workspace: claims.w,
    role: claims.r,
    issuedAt: claims.iat,
    expiresAt: claims.exp ?? null,
    ...(claims.a?.length ? { parent: claims.a[claims.a.length - 1] } : {}),
  };
}

function parseIssued(value: unknown): IssuedToken | null {
  const v = value as Partial<IssuedToken> | null;
  if (!v || !isTokenId(v.id) || !isWorkspaceId(v.workspace) || !isRole(v.role)) return null;
  return {
    id: v.id,
    workspace: v.workspace,
    role: v.role,
    issuedAt: typeof v.issuedAt === 'number' ? v.issuedAt : 0,
    expiresAt: typeof v.expiresAt === 'number' ? v.expiresAt : null,
    ...(isTokenId(v.parent) ? { parent: v.parent } : {}),
  };
}

/** Ledger of issued tokens: lets an editor revoke or list its workspace's tokens. Indexed in memory. */
export class TokenLedger implements Ledger {
  private readonly view: JsonLinesFile<IssuedToken>;
  private readonly byId = new Map<string, IssuedToken>();
  private readonly byWorkspace = new Map<string, IssuedToken[]>();

  constructor(dataDir: string) {
    ensureDataDir(dataDir);
    this.view = new JsonLinesFile(path.join(dataDir, LEDGER_FILE), parseIssued);
  }

  private refresh(): void {
    const { items, reset } = this.view.readNew();
    if (reset) {
      this.byId.clear();
      this.byWorkspace.clear();
    }
    for (const t of items) {
      if (this.byId.has(t.id)) continue;
      this.byId.set(t.id, t);
      const list = this.byWorkspace.get(t.workspace);
      if (list) list.push(t);
      else this.byWorkspace.set(t.workspace, [t]);
    }
  }

  /** Records an issued token; null (nothing recorded) when its workspace already has `capacity` tokens. */
  record(claims: TokenClaims, capacity = Infinity): IssuedToken | null {
    if (this.countWorkspace(claims.w) >= capacity) return null;
    const issued = issuedOf(claims);
    appendLine(this.view.file, JSON.stringify(issued), false);
    this.refresh();
    return issued;
  }

  find(tokenId: string): IssuedToken | undefined {
    this.refresh();
    return this.byId.get(tokenId);
  }

  listWorkspace(workspace: string): IssuedToken[] {
    this.refresh();
    return [...(this.byWorkspace.get(workspace) ?? [])];
  }

  /** Every issued token, in the order issued. */
  all(): IssuedToken[] {
    this.refresh();
    return [...this.byId.values()];
  }

  /** How many tokens were issued for a workspace. */
  countWorkspace(workspace: string): number {
    this.refresh();
    return this.byWorkspace.get(workspace)?.length ?? 0;
  }
}

interface RevokedEntry {
  id: string;
  at: number;
}

function parseRevoked(value: unknown): RevokedEntry | null {
  const v = value as Partial<RevokedEntry> | null;
  if (!v || !isTokenId(v.id)) return null;
  return { id: v.id, at: typeof v.at === 'number' ? v.at : 0 };
}

/** Revoked token ids. `isRevoked` notices revocations made by another process. */
export class RevocationList implements Revocations {
  private readonly view: JsonLinesFile<RevokedEntry>;
  private ids = new Set<string>();
  /** Ids read since the last takeNew (whoever's read noticed them). */
  private fresh: string[] = [];

  constructor(dataDir: string) {
    ensureDataDir(dataDir);
    this.view = new JsonLinesFile(path.join(dataDir, REVOKED_FILE), parseRevoked);
    this.refresh();
    this.fresh = [];
  }

  private refresh(): void {
    const { items, reset } = this.view.readNew();
    if (reset) this.ids = new Set();
    for (const e of items) {
      if (this.ids.has(e.id)) continue;
      this.ids.add(e.id);
      this.fresh.push(e.id);
    }
  }

  /** The ids revoked since the last call (by this process or another): their connections must close. */
  takeNew(): string[] {
    this.refresh();
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  /** Every revoked id. */
  all(): string[] {
    this.refresh();
    return [...this.ids];
  }

  isRevoked(tokenId: string): boolean {
    return this.anyRevoked([tokenId]);
  }

  /** Whether any of `tokenIds` is revoked (one look at the file for all of them). */
  anyRevoked(tokenIds: readonly string[]): boolean {
    this.refresh();
    return tokenIds.some((id) => this.ids.has(id));
  }

  revoke(tokenId: string, nowSeconds: number): void {
    if (!isTokenId(tokenId)) throw new Error('not a token id');
    if (this.isRevoked(tokenId)) return;
    appendLine(this.view.file, JSON.stringify({ id: tokenId, at: Math.floor(nowSeconds) }), true);
    this.refresh();
  }
}

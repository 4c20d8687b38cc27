// The files in the data directory that back sharing, shared by the relay and
// `reckon share` (which may run while the relay is up):
//
//   token-secret       32 random bytes (hex), mode 0600, created on first use
//   tokens.jsonl       ledger of issued tokens (id, workspace, role, times);
//                      never the token itself, so it is not a credential
//   revoked.jsonl      revoked token ids, appended and fsynced
//
// Both .jsonl files are append-only; lines are small, so O_APPEND writes from
// two processes do not interleave. Readers re-read a file when its size
// changes, which is how the relay notices a revocation made by the CLI.

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isRole, isTokenId, isWorkspaceId, type Role, type TokenClaims } from './tokens';

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
 * Parsed view of an append-only JSON-lines file, re-read when the file's size
 * changes. Malformed lines (e.g. a torn write) are skipped.
 */
class JsonLinesFile<T> {
  private size = -1;
  private items: T[] = [];

  constructor(
    readonly file: string,
    private readonly parse: (value: unknown) => T | null,
  ) {}

  /** Current items; `changed` says whether the file was re-read. */
  read(): { items: readonly T[]; changed: boolean } {
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      size = 0;
    }
    if (size === this.size) return { items: this.items, changed: false };
    const text = size === 0 ? '' : fs.readFileSync(this.file, 'utf8');
    const items: T[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const item = this.parse(JSON.parse(line));
        if (item !== null) items.push(item);
      } catch {
        // a torn or foreign line: ignore it
      }
    }
    this.size = size;
    this.items = items;
    return { items, changed: true };
  }
}

export interface IssuedToken {
  id: string;
  workspace: string;
  role: Role;
  issuedAt: number;
  expiresAt: number | null;
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
  };
}

/** Ledger of issued tokens: lets an editor revoke or list its workspace's tokens. */
export class TokenLedger {
  private readonly view: JsonLinesFile<IssuedToken>;

  constructor(dataDir: string) {
    ensureDataDir(dataDir);
    this.view = new JsonLinesFile(path.join(dataDir, LEDGER_FILE), parseIssued);
  }

  record(claims: TokenClaims): IssuedToken {
    const issued: IssuedToken = {
      id: claims.id,
      workspace: claims.w,
      role: claims.r,
      issuedAt: claims.iat,
      expiresAt: claims.exp ?? null,
    };
    appendLine(this.view.file, JSON.stringify(issued), false);
    return issued;
  }

  find(tokenId: string): IssuedToken | undefined {
    return this.view.read().items.find((t) => t.id === tokenId);
  }

  listWorkspace(workspace: string): IssuedToken[] {
    return this.view.read().items.filter((t) => t.workspace === workspace);
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
export class RevocationList {
  private readonly view: JsonLinesFile<RevokedEntry>;
  private ids = new Set<string>();

  constructor(dataDir: string) {
    ensureDataDir(dataDir);
    this.view = new JsonLinesFile(path.join(dataDir, REVOKED_FILE), parseRevoked);
    this.refresh();
  }

  /** Re-reads the file if it changed; returns the ids revoked since the last read. */
  refresh(): string[] {
    const { items, changed } = this.view.read();
    if (!changed) return [];
    const next = new Set(items.map((e) => e.id));
    const added = [...next].filter((id) => !this.ids.has(id));
    this.ids = next;
    return added;
  }

  isRevoked(tokenId: string): boolean {
    this.refresh();
    return this.ids.has(tokenId);
  }

  revoke(tokenId: string, nowSeconds: number): void {
    if (!isTokenId(tokenId)) throw new Error('not a token id');
    if (this.isRevoked(tokenId)) return;
    appendLine(this.view.file, JSON.stringify({ id: tokenId, at: Math.floor(nowSeconds) }), true);
    this.refresh();
  }
}

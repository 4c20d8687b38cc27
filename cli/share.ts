// `reckon share`: mint a share link, or revoke a token, from the data
// directory of a relay (it may be running: the relay re-reads revocations),
// or, with REDIS_URL set, in the Redis that relay processes share (every
// process refuses a revoked token at once; server/README.md).
//
//   reckon share WORKSPACE --role edit|view [--expires 7d] [--data-dir DIR] [--base-url URL]
//   reckon share --revoke TOKEN_ID [--data-dir DIR]
//
// Prints the link (and the token id, to revoke it later). A bad argument
// prints one line to stderr and returns 2.

import { loadOrCreateSecret, RevocationList, TokenLedger } from '../server/token-files';
import { isRole, isTokenId, isWorkspaceId, mintToken, parseDuration, shareLink, type Role, type TokenClaims } from '../server/tokens';

const USAGE =
  'usage: reckon share WORKSPACE --role edit|view [--expires 7d] [--data-dir DIR] [--base-url URL] | reckon share --revoke TOKEN_ID [--data-dir DIR]';

interface ShareArgs {
  workspace?: string;
  role?: string;
  expires?: string;
  dataDir?: string;
  baseUrl?: string;
  revoke?: string;
}

const FLAGS: Record<string, keyof ShareArgs> = {
  '--role': 'role',
  '--expires': 'expires',
  '--data-dir': 'dataDir',
  '--base-url': 'baseUrl',
  '--revoke': 'revoke',
};

class UsageError extends Error {}

function parseArgs(argv: string[]): ShareArgs {
  const args: ShareArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = FLAGS[flag];
    if (key) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      if (args[key] !== undefined) throw new UsageError(`${flag} given twice`);
      args[key] = value;
    } else if (arg === '-h' || arg === '--help') {
      throw new UsageError(USAGE);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${flag}`);
    } else if (args.workspace === undefined) {
      args.workspace = arg;
    } else {
      throw new UsageError(`unexpected argument ${arg}`);
    }
  }
  return args;
}

function defaultBaseUrl(): string {
  if (process.env.PUBLIC_URL) return process.env.PUBLIC_URL;
  const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : '127.0.0.1';
  return `http://${host}:${process.env.PORT || 8080}`;
}

export async function share(argv: string[]): Promise<number> {
  let args: ShareArgs;
  try {
    args = parseArgs(argv);
    if (args.revoke !== undefined) {
      if (args.workspace !== undefined || args.role !== undefined || args.expires !== undefined || args.baseUrl !== undefined) {
        throw new UsageError('--revoke takes only a token id and --data-dir');
      }
      if (!isTokenId(args.revoke)) throw new UsageError(`not a token id: ${args.revoke}`);
    } else {
      if (args.workspace === undefined) throw new UsageError(USAGE);
      if (!isWorkspaceId(args.workspace)) throw new UsageError('workspace ids are 1-64 characters of A-Z a-z 0-9 _ -');
      if (!isRole(args.role)) throw new UsageError('--role must be edit or view');
      if (args.expires !== undefined && parseDuration(args.expires) === null) {
        throw new UsageError('--expires must look like 90s, 30m, 12h, 7d or 2w (at most ten years)');
      }
      if (args.baseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(args.baseUrl)) {
        throw new UsageError('--base-url must be an http(s) URL');
      }
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`reckon share: ${error.message}\n`);
    return 2;
  }

  const dataDir = args.dataDir ?? process.env.DATA_DIR ?? './data';
  const nowSeconds = Date.now() / 1000;
  if (process.env.REDIS_URL) return shareInRedis(args, process.env.REDIS_URL, nowSeconds);
  if (args.revoke !== undefined) {
    new RevocationList(dataDir).revoke(args.revoke, nowSeconds);
    const known = new TokenLedger(dataDir).find(args.revoke);
    process.stdout.write(
      known ? `revoked token ${args.revoke} (${known.role} on ${known.workspace})\n` : `revoked token ${args.revoke} (not in this data directory's ledger)\n`,
    );
    return 0;
  }

  const secret = givenSecret() ?? loadOrCreateSecret(dataDir);
  const expiresInSeconds = args.expires !== undefined ? (parseDuration(args.expires) as number) : undefined;
  const { token, claims } = mintToken(secret, {
    workspace: args.workspace as string,
    role: args.role as Role,
    nowSeconds,
    ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
  });
  new TokenLedger(dataDir).record(claims);
  printLink(args, token, claims);
  return 0;
}

/** RECKON_TOKEN_SECRET, as the relay reads it (64 hex digits), or null when unset. */
function givenSecret(): Buffer | null {
  const hex = process.env.RECKON_TOKEN_SECRET;
  if (!hex) return null;
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('RECKON_TOKEN_SECRET must be 64 hex digits (32 bytes)');
  return Buffer.from(hex, 'hex');
}

function printLink(args: ShareArgs, token: string, claims: TokenClaims): void {
  process.stdout.write(`${shareLink(args.baseUrl ?? defaultBaseUrl(), claims.w, token)}\n`);
  const expiry = claims.exp !== undefined ? `expires ${new Date(claims.exp * 1000).toISOString()}` : 'no expiry';
  process.stdout.write(`token id ${claims.id} (${claims.r}, ${expiry}); revoke with: reckon share --revoke ${claims.id}\n`);
}

/** The same, against the Redis relay processes share (REDIS_URL, RECKON_REDIS_PREFIX, RECKON_TOKEN_SECRET). */
async function shareInRedis(args: ShareArgs, url: string, nowSeconds: number): Promise<number> {
  const { openSharing } = await import('../server/redis/tokens');
  const sharing = await openSharing(url, process.env.RECKON_REDIS_PREFIX || 'reckon:', process.env.RECKON_TOKEN_SECRET || null);
  try {
    if (args.revoke !== undefined) {
      await sharing.revoke(args.revoke, nowSeconds);
      const known = await sharing.ledger.find(args.revoke);
      process.stdout.write(known ? `revoked token ${args.revoke} (${known.role} on ${known.workspace})\n` : `revoked token ${args.revoke} (not in the shared ledger)\n`);
      return 0;
    }
    const expiresInSeconds = args.expires !== undefined ? (parseDuration(args.expires) as number) : undefined;
    const { token, claims } = mintToken(sharing.secret, {
      workspace: args.workspace as string,
      role: args.role as Role,
      nowSeconds,
      ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
    });
    await sharing.ledger.record(claims);
    printLink(args, token, claims);
    return 0;
  } finally {
    await sharing.close();
  }
}

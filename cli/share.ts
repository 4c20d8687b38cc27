// `reckon share`: mint a share link, or revoke a token, from the data
// directory of a relay (it may be running: the relay re-reads revocations).
//
// Only from a data directory a relay uses: the relay writes relay.json there when it starts (the
// address its links use). Without it — no relay ever started there, or the wrong directory — the
// command refuses with one line saying what to pass, instead of making a secret of its own and
// printing a link no relay accepts. Links use the relay's address from relay.json unless
// --base-url says otherwise.
//
//   reckon share WORKSPACE --role edit|view [--expires 7d] [--data-dir DIR] [--base-url URL]
//   reckon share --revoke TOKEN_ID [--data-dir DIR]
//
// Prints the link (and the token id, to revoke it later). A bad argument
// prints one line to stderr and returns 2.

import { readRelayMarker, readSecret, RevocationList, TokenLedger } from '../server/token-files';
import { isRole, isTokenId, isWorkspaceId, mintToken, parseDuration, shareLink, type Role } from '../server/tokens';

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

  const given = args.dataDir ?? process.env.DATA_DIR;
  const dataDir = given ?? './data';
  const marker = readRelayMarker(dataDir);
  const secret = marker ? readSecret(dataDir) : null;
  if (!marker || !secret) {
    const where = given === undefined ? `the default data directory ${dataDir}` : dataDir;
    process.stderr.write(`reckon share: no relay uses ${where} (no relay.json and token secret there); pass --data-dir DIR, the DATA_DIR of the relay the link is for\n`);
    return 2;
  }
  const nowSeconds = Date.now() / 1000;
  if (args.revoke !== undefined) {
    new RevocationList(dataDir).revoke(args.revoke, nowSeconds);
    const known = new TokenLedger(dataDir).find(args.revoke);
    process.stdout.write(
      known ? `revoked token ${args.revoke} (${known.role} on ${known.workspace})\n` : `revoked token ${args.revoke} (not in this data directory's ledger)\n`,
    );
    return 0;
  }

  const expiresInSeconds = args.expires !== undefined ? (parseDuration(args.expires) as number) : undefined;
  const { token, claims } = mintToken(secret, {
    workspace: args.workspace as string,
    role: args.role as Role,
    nowSeconds,
    ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
  });
  new TokenLedger(dataDir).record(claims);
  process.stdout.write(`${shareLink(args.baseUrl ?? marker.url, claims.w, token)}\n`);
  const expiry = claims.exp !== undefined ? `expires ${new Date(claims.exp * 1000).toISOString()}` : 'no expiry';
  process.stdout.write(`for the relay at ${marker.url} (data dir ${dataDir}, started ${marker.startedAt})\n`);
  process.stdout.write(`token id ${claims.id} (${claims.r}, ${expiry}); revoke with: reckon share --revoke ${claims.id}${given === undefined ? '' : ` --data-dir ${dataDir}`}\n`);
  return 0;
}

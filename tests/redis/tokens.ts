// Tokens and API calls for the scale-out tests: the secret the relay processes share (kept in
// Redis), tokens minted with it, and JSON requests to any process.

import { Redis } from 'ioredis';
import { mintToken, type Role } from '../../server/tokens';
import type { RedisServer } from './harness';
import type { RelayProcess } from './harness';

/** The token secret the first relay process put in Redis. */
export async function secretOf(server: RedisServer, prefix: string): Promise<Buffer> {
  const client = new Redis(server.url);
  try {
    const hex = await client.get(`${prefix}token-secret`);
    if (!hex) throw new Error('no token secret in Redis');
    return Buffer.from(hex, 'hex');
  } finally {
    client.disconnect();
  }
}

export function mintFor(secret: Buffer, workspace: string, role: Role): string {
  return mintToken(secret, { workspace, role, nowSeconds: Date.now() / 1000 }).token;
}

export async function api(
  relay: RelayProcess,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; address?: string } = {},
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { 'X-Forwarded-For': options.address ?? '10.8.0.1' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const res = await fetch(`${relay.url}${route}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  return { status: res.status, json: await res.json() };
}

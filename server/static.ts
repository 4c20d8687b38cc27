// Serves the built web app (vite output in dist/).
//
// - Only files under the root are served: the decoded path is normalized,
//   resolved against the root, then its real path (symlinks followed) must
//   still be inside the root's real path. NUL bytes and malformed escapes
//   are refused.
// - SPA fallback: a path whose last segment has no extension and names no
//   file gets index.html (client-side routes); a missing asset is a 404, so
//   a broken script reference never receives HTML.
// - Hashed assets (dist/assets/*) are cached for a year; everything else,
//   index.html above all, is revalidated.

import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export class StaticFiles {
  private rootReal: string | null = null;

  constructor(private readonly root: string) {}

  /** Real path of the root, or null while the app is not built. */
  private resolveRoot(): string | null {
    if (this.rootReal === null) {
      try {
        this.rootReal = fs.realpathSync(this.root);
      } catch {
        return null;
      }
    }
    return this.rootReal;
  }

  /** The file to serve for a URL path, or null. */
  resolve(urlPath: string): string | null {
    const root = this.resolveRoot();
    if (root === null) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const relative = path.posix.normalize('/' + decoded).slice(1);
    const candidate = relative === '' ? 'index.html' : relative;
    const file = this.existingFileInside(root, path.join(root, candidate));
    if (file !== null) return file;
    const lastSegment = candidate.split('/').pop() ?? '';
    if (!lastSegment.includes('.')) return this.existingFileInside(root, path.join(root, 'index.html'));
    return null;
  }

  private existingFileInside(root: string, file: string): string | null {
    try {
      const real = fs.realpathSync(file);
      if (real !== root && !real.startsWith(root + path.sep)) return null;
      return fs.statSync(real).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  /** Serves GET/HEAD; returns false when there is nothing to serve. */
  serve(req: IncomingMessage, res: ServerResponse, urlPath: string): boolean {
    const file = this.resolve(urlPath);
    if (file === null) return false;
    const root = this.resolveRoot() ?? '';
    const immutable = file.startsWith(path.join(root, 'assets') + path.sep);
    const size = fs.statSync(file).size;
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return true;
  }
}

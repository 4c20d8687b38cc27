// Reading a large workbook file on two cores. The installations array (most of any real estate) is
// parsed by a worker thread while this thread parses the rest of the file with a sentinel in its
// place; the worker sends the typed rows back packed.
//
// The split is found with a byte search, so it is checked before it is trusted: `"installations"`
// followed by `:` cannot occur inside a JSON string (its quotes would be escaped), the worker must
// parse the cut-out text as one array, and the rest must parse with the sentinel landing exactly as
// the top-level "installations" value (the one that counts, if the key repeats). Then the two
// parses together equal one parse of the file (a value's text can be swapped for another value's
// without changing the rest). Anything else, and the caller reads the file the plain way.

import { Worker } from 'node:worker_threads';
import { mark } from './timing';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../engine/cells';
import type { PackedInstallations } from '../engine/rows-pack';

/**
 * Files smaller than this are read on one thread: starting a worker would cost more than it saves.
 * RECKON_PARALLEL_MIN_BYTES overrides it (tests read small files on two threads).
 */
export const PARALLEL_MIN_BYTES = Number(process.env.RECKON_PARALLEL_MIN_BYTES ?? 24 * 1024 * 1024);


const SENTINEL_KEY = '\u0000reckon-split';
const SENTINEL = `[{${JSON.stringify(SENTINEL_KEY)}:true}]`;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Position after whitespace starting at i (or before it, stepping back with dir −1). */
function skip(buf: Buffer, i: number, dir: 1 | -1): number {
  while (i >= 0 && i < buf.length && isSpace(buf[i])) i += dir;
  return i;
}

/** The byte range [start, end) of the installations array, if the byte search finds a candidate. */
export function locateInstallations(buf: Buffer): { start: number; end: number } | null {
  const key = buf.indexOf('"installations"');
  if (key < 0) return null;
  let i = skip(buf, key + 15, 1);
  if (buf[i] !== 0x3a) return null; // ':'
  i = skip(buf, i + 1, 1);
  if (buf[i] !== 0x5b) return null; // '['
  const start = i;
  // Its end: the first ']' followed by ',' and a key, or by the object's closing '}'. A ']' inside a
  // string that happens to look like that makes the worker's parse fail, and the plain way is taken.
  for (let k = buf.indexOf(0x5d, start); k >= 0; k = buf.indexOf(0x5d, k + 1)) {
    const after = skip(buf, k + 1, 1);
    if (buf[after] === 0x7d || (buf[after] === 0x2c && buf[skip(buf, after + 1, 1)] === 0x22)) return { start, end: k + 1 };
  }
  return null;
}

export interface ParallelRead {
  /** The file's workbook with an empty installations sheet. */
  data: Record<string, unknown>;
  /** The installations, typed and packed, when the worker is done; null: read the file the plain way. */
  installations: Promise<{ packed: PackedInstallations; problems: Problem[] } | null>;
}

function workerScript(): string | null {
  // The worker runs from the bundle next to this one (see cli/run.mjs); from sources there is none.
  const path = fileURLToPath(new URL('./parse-worker.mjs', import.meta.url));
  return existsSync(path) ? path : null;
}

/**
 * Parses `buf` (the contents of `file`) on two threads. Returns once this thread's part is parsed,
 * so the caller can use it while the worker finishes; null when the plain way must be taken.
 */
export async function readInParallel(file: string, buf: Buffer): Promise<ParallelRead | null> {
  const script = workerScript();
  const range = script && buf.length >= PARALLEL_MIN_BYTES ? locateInstallations(buf) : null;
  if (!script || !range) return null;
  const worker = new Worker(script, { workerData: { file, start: range.start, end: range.end } });
  const answer = new Promise<{ ok: true; packed: PackedInstallations; problems: Problem[] } | { ok: false }>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', () => resolve({ ok: false }));
    worker.once('exit', () => resolve({ ok: false }));
  });
  mark('worker started');
  let data: unknown;
  try {
    data = JSON.parse(buf.toString('utf8', 0, range.start) + SENTINEL + buf.toString('utf8', range.end));
  } catch {
    data = null;
  }
  const top = data as Record<string, unknown> | null;
  const placed = top?.installations;
  if (!Array.isArray(placed) || placed.length !== 1 || Object.keys(placed[0] ?? {}).join() !== SENTINEL_KEY) {
    await worker.terminate();
    return null;
  }
  top!.installations = [];
  mark('main parse');
  const installations = answer.then(async (reply) => {
    mark('worker answered');
    await worker.terminate();
    return reply.ok ? { packed: reply.packed, problems: reply.problems } : null;
  });
  return { data: top!, installations };
}

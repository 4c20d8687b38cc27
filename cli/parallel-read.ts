// Reading and reconciling a large workbook file on two cores. The installations array (most of any
// real estate) is parsed by a worker thread, which is the installation side of the reconcile
// (engine/installation-side.ts); this thread parses the rest of the file with a sentinel in place
// of each sheet's array, then the sheets themselves a piece at a time (json-split.ts), and hands
// the worker the sheets that side reads, typed and packed. The worker answers with the results
// that read installations.
//
// The arrays are found by a walk over the top-level object that jumps each array to the end a byte
// search suggests (json-split.ts), so each is checked before it is trusted: every piece must parse,
// and the rest must parse with each sentinel landing exactly as its sheet's top-level value (the
// one that counts, if the key repeats). Then the parses together equal one parse of the file (a
// value's text can be swapped for another value's without changing the rest). Anything else, and
// the caller reads the file the plain way.

import { Worker } from 'node:worker_threads';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../engine/cells';
import type { InstallationResults } from '../engine/installation-side';
import { packedBuffers, type PackedRows } from '../engine/rows-columns';
import { SHEETS, type SheetName } from '../engine/schema';
import { arrayPieces, locateArrays, type ByteRange } from './json-split';
import { mark } from './timing';

/**
 * Files smaller than this are read the plain way: starting a worker would cost more than it saves.
 * RECKON_PARALLEL_MIN_BYTES overrides it (tests read small files on two threads).
 */
export const PARALLEL_MIN_BYTES = Number(process.env.RECKON_PARALLEL_MIN_BYTES ?? 24 * 1024 * 1024);

const SENTINEL_KEY = '\u0000reckon-split';
const sentinel = (sheet: SheetName) => `[{${JSON.stringify(SENTINEL_KEY)}:${JSON.stringify(sheet)}}]`;

/** What the installation side needs from this thread (INSTALLATION_SIDE_SHEETS, typed and packed). */
export interface SideSheets {
  today: string;
  settings: Record<string, unknown>;
  sheets: Partial<Record<SheetName, PackedRows>>;
}

/** The worker's answer: the results that read installations, and the installations' rows that are not objects. */
export type WorkerAnswer = { ok: true; results: InstallationResults; problems: Problem[] } | { ok: false; reason: string };

export interface ParallelRead {
  /** The file's workbook with every split sheet empty. */
  data: Record<string, unknown>;
  /** The rows of the sheets this thread reads, a piece at a time (pieces throw SplitError). */
  pieces: Partial<Record<SheetName, Iterable<unknown[]>>>;
  /** Hands the worker the sheets the installation side reads; it answers once it has them. */
  share(sheets: SideSheets): void;
  /** The installation side's results; null: read the file the plain way. */
  installations: Promise<{ results: InstallationResults; problems: Problem[] } | null>;
  /** Stops the worker (the caller is reading the file the plain way after all). */
  cancel(): Promise<void>;
}

function workerScript(): string | null {
  // The worker runs from the bundle next to this one (see cli/run.mjs); from sources there is none.
  const path = fileURLToPath(new URL('./parse-worker.mjs', import.meta.url));
  return existsSync(path) ? path : null;
}

const SHEET_SET: ReadonlySet<string> = new Set(SHEETS);

/** Each sheet's array range the byte search finds, in file order. */
function locateSheets(buf: Buffer): [SheetName, ByteRange][] | null {
  const found = locateArrays(buf, SHEET_SET);
  return found && ([...found] as [SheetName, ByteRange][]).sort((a, b) => a[1].start - b[1].start);
}

/** The top-level value of the file with each found array swapped for its sentinel; null if any did not land. */
function parseSkeleton(buf: Buffer, found: [SheetName, ByteRange][]): Record<string, unknown> | null {
  const parts: string[] = [];
  let at = 0;
  for (const [sheet, range] of found) {
    parts.push(buf.toString('utf8', at, range.start), sentinel(sheet));
    at = range.end;
  }
  parts.push(buf.toString('utf8', at));
  let top: Record<string, unknown> | null;
  try {
    top = JSON.parse(parts.join('')) as Record<string, unknown> | null;
  } catch {
    return null;
  }
  for (const [sheet] of found) {
    const placed = top?.[sheet];
    const only = Array.isArray(placed) && placed.length === 1 ? (placed[0] as Record<string, unknown> | null) : null;
    if (!only || Object.keys(only).join() !== SENTINEL_KEY || only[SENTINEL_KEY] !== sheet) return null;
    top![sheet] = [];
  }
  return top;
}

/** The worker, started before the file is read so that its start-up overlaps the read. */
export interface StartedWorker {
  worker: Worker;
  answer: Promise<WorkerAnswer>;
}

/** Starts the worker for a file of `size` bytes; null when the file is read the plain way. */
export function startWorker(size: number, options: { contributions: boolean }): StartedWorker | null {
  const script = workerScript();
  if (!script || size < PARALLEL_MIN_BYTES) return null;
  const worker = new Worker(script, { workerData: { contributions: options.contributions } });
  const answer = new Promise<WorkerAnswer>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (err) => resolve({ ok: false, reason: err.message }));
    worker.once('exit', () => resolve({ ok: false, reason: 'the worker stopped' }));
  });
  return { worker, answer };
}

/** What the worker does first: read `file` from `from` to `to` into `bytes`, then say so in `done` (readShared). */
export interface ReadJob {
  file: string;
  bytes: SharedArrayBuffer;
  from: number;
  to: number;
  /** [state, bytes read]: state 0 while reading, 1 when read, -1 when the read failed. */
  done: SharedArrayBuffer;
}

/** The share of a file the worker reads into memory while this thread reads the rest (it starts later). */
const WORKER_READ_SHARE = 0.45;

/**
 * A file's bytes in memory shared with the worker, which reads installations from them in place.
 * Both threads read: the worker the end of the file, this thread the start. Should the worker's
 * part fail (or it not answer within ten seconds) this thread reads it.
 */
export function readShared(file: string, { worker }: StartedWorker): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new SharedArrayBuffer(size);
    const buf = Buffer.from(bytes);
    const split = Math.floor(size * (1 - WORKER_READ_SHARE));
    const done = new Int32Array(new SharedArrayBuffer(8));
    worker.postMessage({ file, bytes, from: split, to: size, done: done.buffer as SharedArrayBuffer } satisfies ReadJob);
    const head = readRange(fd, buf, 0, split);
    Atomics.wait(done, 0, 0, 10_000);
    if (head < split) return buf.subarray(0, head);
    const tail = Atomics.load(done, 0) === 1 ? Atomics.load(done, 1) : readRange(fd, buf, split, size) - split;
    return buf.subarray(0, split + tail);
  } finally {
    closeSync(fd);
  }
}

/** Reads `fd` into `buf` from `from` to `to` (or the file's end); returns where the read ended. */
export function readRange(fd: number, buf: Uint8Array, from: number, to: number): number {
  let at = from;
  for (let n = 1; at < to && n > 0; at += n) n = readSync(fd, buf, at, to - at, at);
  return at;
}

/** The job the worker waits for next: where installations are in the file's bytes, shared with it. */
export interface WorkerJob {
  bytes: SharedArrayBuffer;
  start: number;
  end: number;
}

/**
 * Starts reading `buf` (a file's contents, in shared memory: see readShared) on two threads.
 * Returns once the file's skeleton is parsed, so the caller can read its sheets while the worker
 * reads installations; null (the worker stopped) when the plain way must be taken.
 */
export async function readInParallel({ worker, answer }: StartedWorker, buf: Buffer): Promise<ParallelRead | null> {
  const found = locateSheets(buf);
  const installations = found?.find(([sheet]) => sheet === 'installations')?.[1];
  const top = found && installations && buf.buffer instanceof SharedArrayBuffer ? parseSkeleton(buf, found) : null;
  if (!found || !installations || !top) {
    await worker.terminate();
    return null;
  }
  mark('skeleton parsed');
  // The worker swaps bytes in its range while decoding (json-split.ts), so from here on this thread
  // reads no byte of that range, and a plain read after a cancel reads the file again (a stopped
  // worker may leave a byte swapped).
  worker.postMessage({ bytes: buf.buffer as SharedArrayBuffer, start: buf.byteOffset + installations.start, end: buf.byteOffset + installations.end } satisfies WorkerJob);
  const pieces: ParallelRead['pieces'] = {};
  for (const [sheet, range] of found) if (sheet !== 'installations') pieces[sheet] = { [Symbol.iterator]: () => arrayPieces(buf, range) };
  return {
    data: top,
    pieces,
    share: (sheets) => worker.postMessage(sheets, Object.values(sheets.sheets).flatMap(packedBuffers)),
    installations: answer.then(async (reply) => {
      mark('worker answered');
      // The worker's heap is torn down on its own thread while this one writes the result; the
      // process still waits for it before exiting.
      void worker.terminate();
      return reply.ok ? { results: reply.results, problems: reply.problems } : null;
    }),
    cancel: async () => { await worker.terminate(); },
  };
}

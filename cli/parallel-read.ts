// Reading a large workbook file on two cores. A worker thread parses the arrays of installations
// and of other sheets up to a share of the file (workerSheets); this thread parses the rest of the file with a
// sentinel in place of each sheet's array, and then its sheets a piece at a time (json-split.ts).
// The worker sends each of its sheets back typed and packed, as soon as it has read it.
//
// The arrays are found by a walk over the top-level object that jumps each array to the end a byte
// search suggests (json-split.ts), so each is checked before it is trusted: every piece must parse,
// and the rest must parse with each sentinel landing exactly as its sheet's top-level value (the
// one that counts, if the key repeats). Then the parses together equal one parse of the file (a
// value's text can be swapped for another value's without changing the rest). Anything else, and
// the caller reads the file the plain way.

import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../engine/cells';
import type { PackedRows } from '../engine/rows-columns';
import type { PackedInstallations } from '../engine/rows-pack';
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

/**
 * The most of the sheets' bytes the worker is given, beyond installations (which it always reads):
 * this thread reconciles everything as well, so it reads less. On the generator's estate
 * (bench/generate.ts) at about 62% the two threads are done reading within a few hundred
 * milliseconds of each other; at 69% this thread waits a second for the worker.
 */
const WORKER_SHARE = 0.64;

/**
 * The sheets the worker reads, in the order it reads them: installations (most of any real
 * estate), and then the largest other sheets that keep its share within WORKER_SHARE, read first
 * because this thread wants them before installations (load.ts reconciles everything but
 * installations while those are still being read).
 */
export function workerSheets(found: readonly [SheetName, ByteRange][]): SheetName[] {
  const size = ([, r]: readonly [SheetName, ByteRange]) => r.end - r.start;
  const total = found.reduce((sum, f) => sum + size(f), 0);
  const installations = found.find(([sheet]) => sheet === 'installations');
  if (!installations) return [];
  let bytes = size(installations);
  const others: SheetName[] = [];
  for (const f of [...found].sort((a, b) => size(b) - size(a))) {
    if (f === installations || bytes + size(f) > WORKER_SHARE * total) continue;
    others.push(f[0]);
    bytes += size(f);
  }
  return [...others, 'installations'];
}

/** One sheet for the worker to read: the byte range of its array in the file. */
export interface WorkerJob { file: string; sheet: SheetName; start: number; end: number }

/** A sheet the worker read: its rows typed and packed, and the problems of rows that are not objects. */
export type WorkerSheet =
  | { sheet: 'installations'; installations: PackedInstallations; problems: Problem[] }
  | { sheet: Exclude<SheetName, 'installations'>; rows: PackedRows; problems: Problem[] };

export interface ParallelRead {
  /** The file's workbook with every split sheet empty. */
  data: Record<string, unknown>;
  /** The rows of the sheets this thread reads, a piece at a time (pieces throw SplitError). */
  pieces: Partial<Record<SheetName, Iterable<unknown[]>>>;
  /** Each sheet the worker reads, when it has; null: read the file the plain way. Installations always. */
  fromWorker: Partial<Record<SheetName, Promise<WorkerSheet | null>>>;
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

/**
 * Starts reading `buf` (the contents of `file`) on two threads. Returns once the file's skeleton
 * is parsed, so the caller can read its sheets while the worker reads installations; null when the
 * plain way must be taken.
 */
export async function readInParallel(file: string, buf: Buffer): Promise<ParallelRead | null> {
  const script = workerScript();
  if (!script || buf.length < PARALLEL_MIN_BYTES) return null;
  const found = locateSheets(buf);
  if (!found?.some(([sheet]) => sheet === 'installations')) return null;
  mark('arrays located');
  const ranges = new Map(found);
  const jobs = workerSheets(found).map((sheet): WorkerJob => ({ file, sheet, ...ranges.get(sheet)! }));
  const worker = new Worker(script, { workerData: { jobs } });
  const fromWorker = answers(worker, jobs.map((j) => j.sheet));
  const top = parseSkeleton(buf, found);
  if (!top) {
    await worker.terminate();
    return null;
  }
  mark('skeleton parsed');
  const pieces: ParallelRead['pieces'] = {};
  for (const [sheet, range] of found) if (!(sheet in fromWorker)) pieces[sheet] = { [Symbol.iterator]: () => arrayPieces(buf, range) };
  return { data: top, pieces, fromWorker, cancel: async () => { await worker.terminate(); } };
}

/**
 * A promise per sheet for the worker's message about it. A failure, or the worker ending early,
 * settles every sheet still waiting with null; the worker is stopped once every sheet is in.
 */
function answers(worker: Worker, sheets: SheetName[]): ParallelRead['fromWorker'] {
  const waiting = new Map<SheetName, (answer: WorkerSheet | null) => void>();
  const out: ParallelRead['fromWorker'] = {};
  for (const sheet of sheets) out[sheet] = new Promise((resolve) => waiting.set(sheet, resolve));
  const settle = (sheet: SheetName, answer: WorkerSheet | null) => {
    waiting.get(sheet)?.(answer);
    waiting.delete(sheet);
    if (waiting.size === 0) void worker.terminate();
  };
  const fail = () => { for (const sheet of [...waiting.keys()]) settle(sheet, null); };
  worker.on('message', (message: { ok: true; answer: WorkerSheet } | { ok: false }) => {
    if (!message.ok) return fail();
    mark(`worker answered ${message.answer.sheet}`);
    settle(message.answer.sheet, message.answer);
  });
  worker.once('error', fail);
  worker.once('exit', fail);
  return out;
}

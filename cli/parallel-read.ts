// Reading and reconciling a large workbook file on two cores. The installations array (most of any
// real estate) is parsed by a worker thread, which is the installation side of the reconcile
// (engine/installation-side.ts). It starts as soon as this thread, reading the file into shared
// memory, has read up to the array's start, and parses it as the bytes come in (readShared). Once
// the file is in, this thread parses the rest of it with a sentinel in place of each sheet's array,
// then the sheets themselves a piece at a time (json-split.ts), and hands the worker the sheets
// that side reads, typed and packed. The worker answers with the results that read installations.
//
// The arrays are found by a walk over the top-level object that jumps each array to the end a byte
// search suggests (json-split.ts), so each is checked before it is trusted: every piece must parse,
// and the rest must parse with each sentinel landing exactly as its sheet's top-level value (the
// one that counts, if the key repeats); the worker's array must start and end where this thread's
// walk over the whole file says. Then the parses together equal one parse of the file (a value's
// text can be swapped for another value's without changing the rest). Anything else, and the
// caller reads the file the plain way.

import { Worker } from 'node:worker_threads';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../engine/cells';
import type { InstallationResults, PackedContributions } from '../engine/installation-side';
import { packedBuffers, type PackedRows } from '../engine/rows-columns';
import { SHEETS, type SheetName } from '../engine/schema';
import { FILE_LEVELS, MAX_VALUE_DEPTH, textTooDeepAt } from './json-depth';
import { arrayPieces, arrayStart, locateArrays, SplitError, type ByteRange, type ReadTo } from './json-split';
import { RowScanner } from './row-scan';
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

/**
 * The worker's answer: the results that read installations, the installations' rows that are not
 * objects, and where it found their array to end.
 */
export type WorkerAnswer = { ok: true; results: InstallationResults; problems: Problem[]; end: number } | { ok: false; reason: string };

/** What the main thread may ask once the worker has answered: the contribution lines of some of its positions. */
export interface ExplainRequest { explain: string[] }

export interface ParallelRead {
  /** The file's workbook with every split sheet empty. */
  data: Record<string, unknown>;
  /** The rows of the sheets this thread reads, a piece at a time (pieces throw SplitError). */
  pieces: Partial<Record<SheetName, Iterable<unknown[]>>>;
  /** Hands the worker the sheets the installation side reads; it answers once it has them. */
  share(sheets: SideSheets): void;
  /** The installation side's results; null: read the file the plain way. */
  installations: Promise<{ results: InstallationResults; problems: Problem[] } | null>;
  /** The contribution lines of some of the worker's positions (once it has answered), one batch at a time. */
  explain(keys: string[]): Promise<PackedContributions>;
  /** Stops the worker once its results and explanations are no longer needed. */
  close(): void;
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
  const text = parts.join('');
  // Nested too deep: the plain read refuses the file (json-depth.ts).
  if (textTooDeepAt(text, FILE_LEVELS + MAX_VALUE_DEPTH) >= 0) return null;
  try {
    top = JSON.parse(text) as Record<string, unknown> | null;
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
export function startWorker(size: number): StartedWorker | null {
  const script = workerScript();
  if (!script || size < PARALLEL_MIN_BYTES || size > MAX_SHARED_BYTES) return null;
  const worker = new Worker(script);
  const answer = new Promise<WorkerAnswer>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (err) => resolve({ ok: false, reason: err.message }));
    worker.once('exit', () => resolve({ ok: false, reason: 'the worker stopped' }));
  });
  return { worker, answer };
}

/**
 * The sheets read by RowScanner rather than JSON.parse: rows that mostly repeat their texts, a
 * device's id and a product's name on each, which the scanner makes once (on the 1M-installation
 * estate, parsed and typed alone: installations 0.85 s instead of 1.3 s, sensors 0.26 s instead of
 * 0.38 s). Where most texts are new in each row (names, addresses, timestamps: devices, sessions)
 * it was no faster alone and slower in the whole process, its fresh strings being young where
 * JSON.parse interns short ones straight into the old generation.
 */
export const SCANNED_SHEETS: ReadonlySet<SheetName> = new Set(['installations', 'sensors']);

/** Slots of the read's progress, shared with the worker (Int32Array). */
const IN = 0, STATE = 1, UPDATES = 2;
// STATE is 0 while the file is being read.
const READ = 1, FAILED = -1;

/**
 * The bytes this thread reads at a time; the worker may parse whatever is in after each.
 * RECKON_READ_CHUNK_BYTES overrides it (tests read in tiny chunks, so the worker is handed
 * installations before the file is all in).
 */
const READ_CHUNK = Number(process.env.RECKON_READ_CHUNK_BYTES ?? 8 * 1024 * 1024);

/** The largest file read on two threads: the read's progress is a 32-bit count. */
const MAX_SHARED_BYTES = 2 ** 31 - 1;

/** The job the worker waits for: installations from `start` in the file's bytes, while they are read. */
export interface WorkerJob {
  bytes: SharedArrayBuffer;
  start: number;
  /** The read's progress (IN, STATE, UPDATES), as `arrivingBytes` reads it. */
  progress: SharedArrayBuffer;
}

/** A file read into memory shared with the worker. */
export interface SharedFile {
  buf: Buffer;
  /** Where the installations array the worker is parsing starts; -1 when it was given none. */
  installationsAt: number;
}

/**
 * Reads a file into memory shared with the worker, a chunk at a time. Once the walk over the
 * top-level object (arrayStart) reaches the installations array, the worker starts on it, reading
 * each byte only once this thread has said it is in: it parses installations while this thread
 * reads the rest of the file. That start is a candidate, checked when the whole file is in
 * (readInParallel).
 */
export function readShared(file: string, { worker }: StartedWorker): SharedFile {
  const fd = openSync(file, 'r');
  const progress = new ReadProgress();
  try {
    const size = fstatSync(fd).size;
    const bytes = new SharedArrayBuffer(size);
    const buf = Buffer.from(bytes);
    let at = 0, installationsAt = -1, walkedAt = 0;
    for (let n = 1; at < size && n > 0; at += n) {
      n = readSync(fd, buf, at, Math.min(READ_CHUNK, size - at), at);
      progress.in(at + n);
      // The walk starts over each time: it waits for a quarter more bytes, so all of them cost at
      // most a few walks of the file however long the values it cannot yet step over.
      if (installationsAt < 0 && (at + n - walkedAt >= Math.max(READ_CHUNK, walkedAt / 4) || at + n === size)) {
        walkedAt = at + n;
        installationsAt = arrayStart(buf.subarray(0, walkedAt), 'installations');
        if (installationsAt >= 0) worker.postMessage({ bytes, start: installationsAt, progress: progress.shared } satisfies WorkerJob);
      }
    }
    progress.read();
    return { buf: buf.subarray(0, at), installationsAt };
  } catch (err) {
    progress.failed();
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** The reading thread's side of the read's progress, which arrivingBytes reads on the worker. */
export class ReadProgress {
  readonly shared = new SharedArrayBuffer(3 * 4);
  private readonly slots = new Int32Array(this.shared);

  /** The first `bytes` bytes are in. */
  in(bytes: number): void { this.tell(IN, bytes); }
  /** The whole file is in. */
  read(): void { this.tell(STATE, READ); }
  failed(): void { this.tell(STATE, FAILED); }

  private tell(slot: number, value: number): void {
    Atomics.store(this.slots, slot, value);
    Atomics.add(this.slots, UPDATES, 1);
    Atomics.notify(this.slots, UPDATES);
  }
}

/**
 * The worker's side of the progress: how many bytes are in, waiting until at least `n` are or the
 * read has ended (a ReadTo of json-split.ts).
 */
export function arrivingBytes(shared: SharedArrayBuffer): ReadTo {
  const progress = new Int32Array(shared);
  return (n) => {
    for (;;) {
      const updates = Atomics.load(progress, UPDATES);
      const have = Atomics.load(progress, IN), state = Atomics.load(progress, STATE);
      if (state === FAILED) throw new SplitError('the file could not be read');
      if (have >= n || state === READ) return have;
      if (Atomics.wait(progress, UPDATES, updates, 10_000) === 'timed-out') throw new SplitError('the file stopped arriving');
    }
  };
}

/**
 * Goes on reading a file on two threads once it is in (readShared): checks that the worker was
 * given the installations array JSON.parse would read, and parses the file's skeleton. Returns once
 * that is done, so the caller can read its sheets while the worker reads installations; null (the
 * worker stopped) when the plain way must be taken.
 */
export async function readInParallel({ worker, answer }: StartedWorker, { buf, installationsAt }: SharedFile): Promise<ParallelRead | null> {
  const found = locateSheets(buf);
  const installations = found?.find(([sheet]) => sheet === 'installations')?.[1];
  const top = found && installations?.start === installationsAt ? parseSkeleton(buf, found) : null;
  if (!found || !installations || !top) {
    await worker.terminate();
    return null;
  }
  mark('skeleton parsed');
  const pieces: ParallelRead['pieces'] = {};
  for (const [sheet, range] of found) {
    if (sheet === 'installations') continue; // the worker's
    const scanner = SCANNED_SHEETS.has(sheet) ? new RowScanner(sheet, buf) : undefined;
    pieces[sheet] = { [Symbol.iterator]: () => arrayPieces(buf, range.start, { end: range.end, scanner }) };
  }
  return {
    data: top,
    pieces,
    share: (sheets) => worker.postMessage(sheets, Object.values(sheets.sheets).flatMap(packedBuffers)),
    installations: answer.then(async (reply) => {
      mark('worker answered');
      // The worker found the array's end as its bytes came in, by the rule locateArrays follows.
      if (reply.ok && reply.end === installations.end) return { results: reply.results, problems: reply.problems };
      void worker.terminate();
      return null;
    }),
    explain: (keys) => new Promise<PackedContributions>((resolve, reject) => {
      const stopped = () => reject(new Error('the installation side stopped before it explained its positions'));
      worker.once('exit', stopped);
      worker.once('message', (lines: PackedContributions | WorkerAnswer) => {
        worker.off('exit', stopped);
        // The worker failed while explaining: it says so as it would have instead of answering.
        if ('ok' in lines) reject(new Error(lines.ok ? 'the installation side answered twice' : lines.reason));
        else resolve(lines);
      });
      worker.postMessage({ explain: keys } satisfies ExplainRequest);
    }),
    // The worker's heap is torn down on its own thread while this one writes the result; the
    // process still waits for it before exiting.
    close: () => { void worker.terminate(); },
    cancel: async () => { await worker.terminate(); },
  };
}

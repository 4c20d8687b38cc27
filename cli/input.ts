// Reading a workbook file for a command. Every failure is a one-line message naming the file; the
// caller exits 2. A large JSON file is read on two threads (parallel-read.ts).

import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Problem } from '../engine/cells';
import { readWorkbook, WorkbookError, type Workbook } from '../engine/workbook';
import { readInParallel, readShared, startWorker, type ParallelRead, type SharedFile, type StartedWorker } from './parallel-read';
import { mark } from './timing';
import { FILE_LEVELS, MAX_VALUE_DEPTH, tooDeepAt, tooDeepMessage } from './json-depth';

export class InputError extends Error {}

/** A workbook document file (cli/yjs.ts) rather than a workbook file; told by its name alone. */
export function isYjsFile(file: string): boolean {
  return extname(file).toLowerCase() === '.yjs';
}

export function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EISDIR') return 'is a directory, not a file';
  if (e?.code === 'EACCES') return 'permission denied';
  return e?.message?.split('\n')[0] ?? String(err);
}

export interface ReadWorkbook {
  /** The workbook; a sheet read in `pieces` or by the `side` is empty in it. */
  wb: Workbook;
  /** Sheets still to be read from the file, a piece at a time (see parallel-read.ts). */
  pieces?: ParallelRead['pieces'];
  /** The installation side, on another thread: give it its sheets, then await its results. */
  side?: Pick<ParallelRead, 'share' | 'installations' | 'explain' | 'close'>;
  /** Stops the other thread, for a caller that reads the file the plain way after all. */
  cancel?: ParallelRead['cancel'];
}

export async function readJsonWorkbook(file: string, problems: Problem[], options: { parallel?: false } = {}): Promise<ReadWorkbook> {
  let buf: Buffer;
  let started: StartedWorker | null = null, shared: SharedFile | null = null;
  try {
    if (options.parallel !== false) started = startWorker(statSync(file).size);
    if (started) shared = readShared(file, started);
    buf = shared?.buf ?? readFileSync(file);
  } catch (err) {
    await started?.worker.terminate();
    throw new InputError(`${file}: ${reason(err)}`);
  }
  mark('read');
  if (started && shared) {
    const fast = await readInParallel(started, shared);
    if (fast) return { wb: checked(file, fast.data, problems), pieces: fast.pieces, side: fast, cancel: fast.cancel };
  }
  const deep = tooDeepAt(buf, FILE_LEVELS + MAX_VALUE_DEPTH);
  if (deep >= 0) throw new InputError(`${file}: ${tooDeepMessage(deep)}`);
  let data: unknown;
  try {
    data = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new InputError(`${file}: not JSON (${reason(err)})`);
  }
  mark('parsed');
  return { wb: checked(file, data, problems) };
}

function checked(file: string, data: unknown, problems: Problem[]): Workbook {
  try {
    return readWorkbook(data, problems);
  } catch (err) {
    if (err instanceof WorkbookError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

// Reading a workbook file for a command. Every failure is a one-line message naming the file; the
// caller exits 2. A large JSON file is read on two threads (parallel-read.ts).

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Problem } from '../engine/cells';
import { readWorkbook, WorkbookError, type Workbook } from '../engine/workbook';
import { readInParallel, type ParallelRead } from './parallel-read';
import { mark } from './timing';

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
  /** The workbook (without its installations while they are `pending`). */
  wb: Workbook;
  /** The installations sheet, typed and packed, still being read by another thread. */
  pending?: ParallelRead['installations'];
}

export async function readJsonWorkbook(file: string, problems: Problem[], options: { parallel?: boolean } = {}): Promise<ReadWorkbook> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new InputError(`${file}: ${reason(err)}`);
  }
  mark('read');
  if (options.parallel !== false) {
    const fast = await readInParallel(file, buf);
    if (fast) return { wb: checked(file, fast.data, problems), pending: fast.installations };
  }
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

// Reading a workbook file for a command. Every failure is a one-line message naming the file; the
// caller exits 2. JSON files are scanned straight into typed rows (engine/json-scan.ts), a large one
// on two threads (parallel-read.ts).

import { readFileSync } from 'node:fs';
import type { Problem } from '../engine/cells';
import { scanWorkbook } from '../engine/json-scan';
import type { AnyRow } from '../engine/rows';
import type { SheetName } from '../engine/schema';
import { readWorkbook, WorkbookError, type Workbook } from '../engine/workbook';
import { readInParallel, type ParallelRead } from './parallel-read';
import { mark } from './timing';

export class InputError extends Error {}

export function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EISDIR') return 'is a directory, not a file';
  if (e?.code === 'EACCES') return 'permission denied';
  return e?.message?.split('\n')[0] ?? String(err);
}

export interface ReadWorkbook {
  /** The workbook; sheets already read into `typed` are empty in it. */
  wb: Workbook;
  typed: Partial<Record<SheetName, AnyRow[]>>;
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
    if (fast) {
      problems.push(...fast.problems);
      return { wb: checked(file, fast.skeleton, problems), typed: fast.typed, pending: fast.installations };
    }
  }
  const text = buf.toString('utf8');
  const found: Problem[] = [];
  let scanned;
  try {
    scanned = scanWorkbook(text, found);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // Not JSON: JSON.parse says why, in its own words.
    try {
      JSON.parse(text);
    } catch (plain) {
      throw new InputError(`${file}: not JSON (${reason(plain)})`);
    }
    throw err;
  }
  mark('scanned');
  problems.push(...found);
  return { wb: checked(file, scanned.skeleton, problems), typed: scanned.typed };
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

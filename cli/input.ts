// Reading a workbook file for a command: JSON now, the Yjs document format with the document model.
// Every failure is a one-line message naming the file; the caller exits 2.

import { readFileSync } from 'node:fs';
import type { Problem } from '../engine/cells';
import { readWorkbook, WorkbookError, type Workbook } from '../engine/workbook';

export class InputError extends Error {}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EISDIR') return 'is a directory, not a file';
  if (e?.code === 'EACCES') return 'permission denied';
  return e?.message?.split('\n')[0] ?? String(err);
}

export function readJsonWorkbook(file: string, problems: Problem[]): Workbook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: ${reason(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not JSON (${reason(err)})`);
  }
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

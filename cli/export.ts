// `reckon export DOC.yjs --out FILE.json`: a workbook document back to a workbook file.
// Output formats are chosen by extension in WRITERS (CSV/XLSX go there). Without --out, JSON goes
// to standard output.

import { closeSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { SHEETS } from '../engine/schema';
import { exportWorkbook, type WorkbookFile } from '../worker/doc/export';
import { InputError } from './input';
import { readYjsDoc } from './yjs';
import { writeXlsxFd } from '../io/node-files';
import type { WorkbookData } from '../io/workbook';

type Writer = (fd: number, wb: WorkbookFile) => void;

/** JSON with one row per line, written in batches: no single string of the whole workbook. */
const writeJson: Writer = (fd, wb) => {
  writeSync(fd, `{"format":${JSON.stringify(wb.format)},\n"settings":${JSON.stringify(wb.settings)}`);
  for (const sheet of SHEETS) {
    const rows = wb[sheet];
    writeSync(fd, `,\n${JSON.stringify(sheet)}:[`);
    for (let i = 0; i < rows.length; i += 2000) {
      let chunk = '';
      for (let j = i; j < Math.min(rows.length, i + 2000); j++) chunk += (j === 0 ? '\n' : ',\n') + JSON.stringify(rows[j]);
      writeSync(fd, chunk);
    }
    writeSync(fd, ']');
  }
  writeSync(fd, '}\n');
};

/** Workbook writers by file extension (lower case, with the dot). */
export const WRITERS: Record<string, Writer> = {
  '.json': writeJson,
  // One worksheet per sheet plus "settings", streamed (io/xlsx/write.ts).
  '.xlsx': (fd, wb) => writeXlsxFd(fd, wb as unknown as WorkbookData),
};

const USAGE = 'usage: reckon export DOC.yjs [--out FILE.json|FILE.xlsx]';

export async function exportCommand(argv: string[]): Promise<number> {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i] ?? '';
    else if (argv[i].startsWith('--')) return usage(`unknown option ${argv[i]}`);
    else files.push(argv[i]);
  }
  if (files.length !== 1) return usage('expected one DOC.yjs');
  const writer = WRITERS[out === undefined ? '.json' : extname(out).toLowerCase()];
  if (!writer) return usage(`--out ${out}: cannot export to this kind of file (known: ${Object.keys(WRITERS).join(', ')})`);
  const wb = exportWorkbook(readYjsDoc(files[0]));
  let fd: number;
  try {
    fd = out === undefined ? 1 : openSync(out, 'w');
  } catch (err) {
    throw new InputError(`${out}: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    writer(fd, wb);
  } catch (err) {
    // JSON.stringify recurses: a value a peer nested thousands deep in a chunk cannot be written.
    if (err instanceof RangeError) throw new InputError(`${files[0]}: a cell holds a value nested too deep to write out (${err.message})`);
    throw err;
  } finally {
    if (fd !== 1) closeSync(fd);
  }
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`reckon export: ${message}\n${USAGE}\n`);
  return 2;
}

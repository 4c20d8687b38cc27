// Workbook documents as files: a `.yjs` file holds Y.encodeStateAsUpdate of the document. Reading
// one checks the bytes before Yjs decodes them (the relay's bounded validator: Yjs trusts declared
// sizes), then that the state was whole and of a schema this Reckon reads. Every failure is a
// one-line InputError naming the file (the command exits 2).

import { readFileSync, writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { Engine } from '../engine/engine';
import { defaultUpdateLimits } from '../server/config';
import { validateUpdate, UpdateRejected } from '../server/validate-update';
import { loadDocument } from '../worker/bridge';
import { DocumentError, openWorkbookDoc } from '../worker/doc/open';
import { WorkbookReader } from '../worker/doc/reader';
import { InputError } from './input';

function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EISDIR') return 'is a directory, not a file';
  if (e?.code === 'EACCES') return 'permission denied';
  return e?.message?.split('\n')[0] ?? String(err);
}

/** Opens a `.yjs` workbook document (migrated to the current schema). */
export function readYjsDoc(file: string): Y.Doc {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError(`${file}: ${fsReason(err)}`);
  }
  try {
    // A local file may be large: allow a decode heap of a few times its size.
    validateUpdate(bytes, { ...defaultUpdateLimits, maxDecodeHeapBytes: Math.max(defaultUpdateLimits.maxDecodeHeapBytes, 8 * bytes.length) });
  } catch (err) {
    if (err instanceof UpdateRejected) throw new InputError(`${file}: not a Yjs document update (${err.reason})`);
    throw err;
  }
  try {
    return openWorkbookDoc(bytes);
  } catch (err) {
    if (err instanceof DocumentError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
}

export function writeYjsDoc(file: string, doc: Y.Doc): number {
  const state = Y.encodeStateAsUpdate(doc);
  try {
    writeFileSync(file, state);
  } catch (err) {
    throw new InputError(`${file}: ${fsReason(err)}`);
  }
  return state.length;
}

/** The engine of a `.yjs` workbook file, reconciled once (rows keyed by their document keys). */
export function reconcileYjsFile(file: string, today: string): Engine {
  const reader = new WorkbookReader(readYjsDoc(file));
  try {
    return loadDocument(new Engine({ today }), reader);
  } finally {
    reader.destroy();
  }
}

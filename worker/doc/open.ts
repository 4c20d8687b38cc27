// Creating and opening workbook documents.

import * as Y from 'yjs';
import { metaMap } from './layout';
import { migrate, schemaOf, SchemaError } from './migrate';
import { SCHEMA_VERSION } from './model';

/** A state that is not a whole, readable workbook document. The message is one line. */
export class DocumentError extends Error {}

/** A new, empty workbook document of the current schema. */
export function createWorkbookDoc(options: { name?: string; doc?: Y.Doc } = {}): Y.Doc {
  const doc = options.doc ?? new Y.Doc();
  initWorkbookDoc(doc, options.name);
  return doc;
}

/**
 * Makes a document a workbook if it is none yet (a fresh doc after syncing found nothing), or
 * migrates it if it is an older one. Setting schema 1 concurrently on two replicas is harmless.
 */
export function initWorkbookDoc(doc: Y.Doc, name?: string): void {
  if (schemaOf(doc) === null) {
    doc.transact(() => {
      const meta = metaMap(doc);
      meta.set('schema', SCHEMA_VERSION);
      if (name !== undefined) meta.set('name', name);
    });
  } else migrate(doc);
}

/**
 * Opens a document from its binary state (Y.encodeStateAsUpdate): applies it, checks that it was
 * whole (a truncated state leaves parts waiting for what they follow), and migrates it to the
 * current schema. Throws DocumentError with a one-line reason.
 */
export function openWorkbookDoc(state: Uint8Array, doc: Y.Doc = new Y.Doc()): Y.Doc {
  try {
    Y.applyUpdate(doc, state);
  } catch (err) {
    throw new DocumentError(`not a Yjs document update (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) throw new DocumentError('incomplete Yjs update (truncated, or missing earlier updates)');
  try {
    migrate(doc);
  } catch (err) {
    if (err instanceof SchemaError) throw new DocumentError(err.message);
    throw new DocumentError(`not a Reckon workbook document (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  return doc;
}

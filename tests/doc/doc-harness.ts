// Drives a workbook document (the main thread's) with random edits, feeds its updates to the
// worker service (a replica), and compares what the service's patches built with a full reconcile
// of the document's export after every step.

import * as Y from 'yjs';
import fc from 'fast-check';
import { SHEETS } from '../../engine/schema';
import { editArb, type Edit } from '../helpers/random-workbook';
import { Model, PatchedView, expectSameAsFull } from '../helpers/incremental-harness';
import { importWorkbook } from '../../worker/doc/import';
import { addRow, deleteRow, setCell, setSetting } from '../../worker/doc/edit';
import { WorkbookReader } from '../../worker/doc/reader';
import { metaMap, settingsMap, sheetTypes } from '../../worker/doc/layout';
import { createReckonService } from '../../worker/service';
import type { BridgeOptions } from '../../worker/bridge';
import type { CellValue } from '../../worker/doc/model';
import { testDoc } from './helpers';

export const TODAY = '2026-11-01';

export type DocEdit = Edit | { op: 'undo' } | { op: 'redo' };

export function docEditArb(): fc.Arbitrary<DocEdit> {
  return fc.oneof(
    { weight: 12, arbitrary: editArb() },
    { weight: 1, arbitrary: fc.constantFrom<DocEdit>({ op: 'undo' }, { op: 'redo' }) },
  );
}

/** Every shared type of a workbook (for an undo manager over all of it). */
export function workbookTypes(doc: Y.Doc): Y.AbstractType<unknown>[] {
  const out: Y.AbstractType<unknown>[] = [settingsMap(doc) as Y.AbstractType<unknown>, metaMap(doc) as Y.AbstractType<unknown>];
  for (const s of SHEETS) out.push(...(Object.values(sheetTypes(doc, s)) as Y.AbstractType<unknown>[]));
  return out;
}

/** Applies an edit to the document, picking rows by position in key order like the harness's model. */
export function applyEdit(doc: Y.Doc, edit: DocEdit, undo: Y.UndoManager, reader: WorkbookReader): void {
  switch (edit.op) {
    case 'undo': undo.undo(); return;
    case 'redo': undo.redo(); return;
    case 'add': addRow(doc, edit.sheet, edit.row); return;
    case 'setting': setSetting(doc, edit.key, edit.value); return;
    case 'remove':
    case 'cell': {
      const keys = reader.sheet(edit.sheet).readAll().keys;
      if (keys.length === 0) return;
      const key = keys[edit.pick % keys.length];
      if (edit.op === 'remove') deleteRow(doc, edit.sheet, key);
      else setCell(doc, edit.sheet, key, edit.column, edit.value as CellValue);
    }
  }
}

/** The harness's model of a document: its rows by their document keys, its settings. */
export function modelOf(doc: Y.Doc): Model {
  const reader = new WorkbookReader(doc);
  const model = new Model();
  model.settings = reader.settings();
  for (const s of SHEETS) {
    const { keys, rows } = reader.sheet(s).readAll();
    keys.forEach((k, i) => model.sheets[s].set(k, rows[i] as never));
  }
  reader.destroy();
  return model;
}

/**
 * Imports `initial`, opens the worker service on it, applies `edits` one by one and checks the
 * service against a full reconcile after each. The service must never have failed (an engine
 * exception it recovered from by reloading is still a failure: bad cells are problems).
 */
export async function docScenario(initial: Record<string, Record<string, unknown>[]>, edits: DocEdit[], bridge: Partial<BridgeOptions> = {}): Promise<void> {
  const main = testDoc(1);
  const undo = new Y.UndoManager(workbookTypes(main), { captureTimeout: 0 });
  importWorkbook(main, { settings: { asOf: TODAY, currency: 'USD' }, sheets: initial }, { chunkRows: 3 });
  const service = createReckonService({ bridge, reader: { cacheCells: 60 } });
  const view = new PatchedView();
  service.onPatch((p) => view.take(p));
  view.take(await service.open(Y.encodeStateAsUpdate(main), { today: TODAY }));
  main.on('update', (u: Uint8Array) => service.update(u));
  const reader = new WorkbookReader(main);
  const check = (step: string) => {
    service.flush();
    // The service's own (incremental) engine, and the view fed only by its patches.
    expectSameAsFull(modelOf(main), service.bridge!.engine, view, step);
  };
  check('after load');
  edits.forEach((edit, n) => {
    applyEdit(main, edit, undo, reader);
    check(`step ${n}: ${describeEdit(edit)}`);
  });
  const { errors } = service.stats();
  service.close();
  if (errors.length > 0) throw new Error(`the service failed: ${errors.join('; ')}`);
}

/** An edit for a failure message: huge values cut short. */
function describeEdit(edit: DocEdit): string {
  try {
    const text = JSON.stringify(edit);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return `${edit.op} (a value too deep to print)`;
  }
}

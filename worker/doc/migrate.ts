// Schema versions and migrations. `meta.schema` says which layout a document has; a migration
// turns version v into v+1, and `migrate` runs every step a document needs in one transaction, so
// no replica ever sees a half-migrated document.
//
// Migrations must be deterministic (the same old document gives the same new content, keys
// included): two replicas may migrate the same old document concurrently, and their changes must
// merge into one migrated document, not two copies of its rows.
//
// Version 0 is the unversioned pre-release layout (no `meta`):
//   settings   Y.Map    setting key → JSON value (as in version 1)
//   <sheet>    Y.Array  of Y.Map (column → value), one per row, in sheet order
// It kept every row as a Y.Map, which does not scale (architecture.md); it could only ever hold
// small workbooks, so its rows become added rows of version 1, with fixed keys in sheet order.
//
// Version 2 adds the `normalization` sheet (rules that turn raw product names into the names
// entitlements use), stored like every sheet. A version 1 document has no rules, and migrating it
// adds none (the default catalogue is for new workspaces: adding it here would change an existing
// workspace's results unasked). The step writes nothing but the version: what it buys is that a
// Reckon from before rules refuses a document holding them instead of reconciling it without them.

import * as Y from 'yjs';
import { SHEETS } from '../../engine/schema';
import { fixedRowKey } from './keys';
import { META, SETTINGS, metaMap, sheetTypes } from './layout';
import { SCHEMA_VERSION, type CellValue } from './model';

export type Migration = (doc: Y.Doc) => void;

/** MIGRATIONS[v] turns a document of version v into version v+1. */
export const MIGRATIONS: Record<number, Migration> = {
  0: (doc) => {
    for (const sheet of SHEETS) {
      if (!doc.share.has(sheet)) continue;
      const old = doc.getArray<unknown>(sheet);
      const rows = sheetTypes(doc, sheet).rows;
      old.toArray().forEach((item, i) => {
        const cells: Record<string, unknown> = item instanceof Y.Map ? item.toJSON() : typeof item === 'object' && item !== null ? { ...item } : {};
        rows.set(fixedRowKey(i), new Y.Map<CellValue>(Object.entries(cells) as [string, CellValue][]));
      });
      old.delete(0, old.length);
    }
  },
  1: () => {
    // Nothing to convert: a version 1 document has no normalization sheet, which reads as empty.
  },
};

/** Origin of the transaction that migrates (observers and undo managers can tell it apart). */
export const MIGRATION_ORIGIN = Symbol('reckon-migration');

export class SchemaError extends Error {}

/**
 * The document's schema version: `meta.schema`, or 0 for the pre-release layout, or null for a
 * document that is no workbook (nothing of either layout in it, e.g. a brand-new Y.Doc).
 */
export function schemaOf(doc: Y.Doc): number | null {
  if (doc.share.has(META)) {
    const v = metaMap(doc).get('schema');
    if (v !== undefined) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SchemaError(`meta.schema is ${JSON.stringify(v)}, not a version number`);
      return v;
    }
  }
  const v0 = doc.share.has(SETTINGS) || SHEETS.some((s) => doc.share.has(s));
  return v0 ? 0 : null;
}

/**
 * Brings a document to SCHEMA_VERSION; returns the version it had. Throws SchemaError for a
 * document made by a newer Reckon, or one that is not a workbook.
 */
export function migrate(doc: Y.Doc, migrations: Record<number, Migration> = MIGRATIONS, target = SCHEMA_VERSION): number {
  const from = schemaOf(doc);
  if (from === null) throw new SchemaError('not a Reckon workbook document (no meta.schema)');
  if (from > target) throw new SchemaError(`document schema ${from} is newer than this Reckon understands (${target})`);
  if (from === target) return from;
  doc.transact(() => {
    for (let v = from; v < target; v++) {
      const step = migrations[v];
      if (!step) throw new SchemaError(`no migration from schema ${v}`);
      step(doc);
    }
    metaMap(doc).set('schema', target);
  }, MIGRATION_ORIGIN);
  return from;
}

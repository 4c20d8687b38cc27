// The default normalization catalogue (catalogue/) into a document: one chunk of rows of the
// `normalization` sheet, so a new workspace starts with them and people edit them like any rows.

import type * as Y from 'yjs';
import { catalogueRules } from '../../catalogue';
import { importWorkbook } from './import';

/** Adds the catalogue's rules to a document (a new workspace); returns how many. */
export function addCatalogue(doc: Y.Doc, origin?: unknown): number {
  const rules = catalogueRules();
  importWorkbook(doc, { settings: {}, sheets: { normalization: rules as unknown as Record<string, string>[] } }, { origin });
  return rules.length;
}

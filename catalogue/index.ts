// The default normalization catalogue (normalization.json): rules for the publishers and products
// that matter most in license audits and the free runtimes, updates and drivers to ignore, written
// from public naming conventions of Add/Remove Programs entries. It is data: new workspaces get a
// copy as rows of their `normalization` sheet (worker/doc/catalogue.ts), which people then edit.

import catalogue from './normalization.json';

export interface CatalogueRule {
  id: string;
  kind: 'alias' | 'ignore' | 'pattern';
  publisher?: string;
  product?: string;
  toPublisher?: string;
  toProduct?: string;
  toVersion?: string;
  toEdition?: string;
  notes?: string;
}

export const CATALOGUE_FORMAT = 'reckon-normalization/1';

/** The catalogue's rules, in the order they apply within their kind. */
export function catalogueRules(): CatalogueRule[] {
  if (catalogue.format !== CATALOGUE_FORMAT) throw new Error(`normalization.json: unexpected format ${catalogue.format}`);
  return (catalogue.rules as CatalogueRule[]).map((r) => ({ ...r }));
}

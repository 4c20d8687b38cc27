// The workbook document (Yjs): the shape every replica shares, written down here and in the README.
// This file holds the contract (types and layout); the implementation is in the modules beside it.
//
// Layout, schema version 2 (all names are top-level shared types of the Y.Doc):
//
//   meta                      Y.Map   { schema: 2, name?: string }
//   settings                  Y.Map   setting key → JSON value (workbook.md "Settings")
//   <sheet>/chunks            Y.Array of Chunk (plain objects, never edited once written)
//   <sheet>/cells             Y.Map   `${rowKey}\t${column}` → cell value: edits over chunk rows
//   <sheet>/deleted           Y.Map   rowKey → true: chunk rows deleted
//   <sheet>/rows              Y.Map   rowKey → Y.Map(column → cell value): rows added by people
//
// Why: per-row Yjs types do not survive a million rows (architecture.md), so bulk rows (imports)
// live in immutable column chunks of CHUNK_ROWS rows, one Y.Array item each, with a cell-level
// overlay for later edits; rows people add are fine-grained Y.Maps. Either way an edit is one cell,
// so two people editing different cells of one row both keep their edit. A deleted row stays
// deleted whatever is edited in it concurrently (delete wins).
//
// Row keys order a sheet (sheet order = key order, compared as strings). They start with a fixed-
// width base-36 millisecond time, so rows sort by when they were created, across replicas:
//   chunk rows:   `${chunk.id}.${index padded to 5 digits}`  with chunk.id = `${time36}${client36}c${seq}`
//   added rows:   `${time36}${client36}r${seq}`

/** 2: the normalization sheet (migrate.ts). */
export const SCHEMA_VERSION = 2;
export const CHUNK_ROWS = 10_000;

export type CellValue = string | number | boolean | null;
export type Cells = Record<string, CellValue>;

/** One item of `<sheet>/chunks`: up to CHUNK_ROWS imported rows, column by column. */
export interface Chunk {
  /** Sortable chunk id; its rows' keys start with it. */
  id: string;
  /** Number of rows. */
  n: number;
  /** Column names, in order. */
  columns: string[];
  /**
   * JSON text of an array with one entry per column (one string: cheap to load). An entry is the
   * array of the column's n cell values, or, see chunk.ts: `{ v: values, a: absent rows }` when
   * some rows lack the column, `{ d: distinct texts, i: n indices }` (+ `a`) for a text column
   * with few distinct values.
   */
  data: string;
}

/** A change to the workbook, as read from Yjs events (worker/doc/observe.ts). */
export type DocChange =
  | { kind: 'rowAdded'; sheet: string; key: string; cells: Cells }
  | { kind: 'rowRemoved'; sheet: string; key: string }
  | { kind: 'cellChanged'; sheet: string; key: string; column: string; value: CellValue }
  | { kind: 'settingsChanged'; key: string; value: unknown };

// A scenario document: a what-if branch of a workspace (its baseline) that stores only what it
// changed. It is a workbook-shaped Y.Doc (worker/doc/model.ts) told apart by `meta.kind`, read
// only through a LayeredReader (baseline + scenario). Beyond the workbook layout it holds, for
// every baseline row and cell it changed, the baseline's value when it first changed it, so the
// change list shows old → new and a merge tells a baseline edit made meanwhile (a conflict) from
// an untouched cell.
//
//   meta                Y.Map  { schema, kind: 'scenario', baseline: <workspace id>, baselineName,
//                               name, forkedAt: ISO time }
//   settings            Y.Map  setting key → value overriding the baseline's; null: removed here
//   settingsBase        Y.Map  setting key → Recorded: the baseline's setting when first overridden
//   <sheet>/chunks      Y.Array  chunks the scenario imported (its own rows)
//   <sheet>/rows        Y.Map  rowKey → Y.Map: rows the scenario added (its own rows)
//   <sheet>/cells       Y.Map  `${rowKey}\t${column}` → value: edits over baseline rows (chunk
//                               rows and added rows alike) and over its own chunk rows
//   <sheet>/deleted     Y.Map  rowKey → true: baseline rows (chunk or added) and own chunk rows deleted
//   <sheet>/base        Y.Map  `${rowKey}\t${column}` → Recorded: the baseline cell when first changed;
//                               `${rowKey}` → { row }: the baseline row when first changed or deleted
//
// Invariants: a key of `cells`/`deleted`/`base` names a baseline row or an own chunk row; own added
// rows are edited in their own Y.Map (as in any workbook). Baseline and scenario keys never collide
// (keys carry the Yjs client id of the replica that made them, keys.ts). Forking writes only meta:
// the baseline's rows are never copied.

import * as Y from 'yjs';
import type { CellValue } from '../doc/model';
import { metaMap, sheetTypes, type SheetTypes } from '../doc/layout';
import { SCHEMA_VERSION } from '../doc/model';

export const SCENARIO_KIND = 'scenario';
export const SETTINGS_BASE = 'settingsBase';

/** A baseline value as recorded: `{ v }`, or `{}` when the baseline did not have it. */
export interface Recorded {
  v?: unknown;
}

/** A baseline row as recorded when the scenario first touched it. */
export interface RecordedRow {
  row: Record<string, unknown>;
}

export interface ScenarioMeta {
  kind: typeof SCENARIO_KIND;
  baseline: string;
  baselineName: string;
  name: string;
  forkedAt: string;
}

export interface ScenarioSheetTypes extends SheetTypes {
  base: Y.Map<Recorded | RecordedRow>;
}

export function scenarioSheetTypes(doc: Y.Doc, sheet: string): ScenarioSheetTypes {
  return { ...sheetTypes(doc, sheet), base: doc.getMap<Recorded | RecordedRow>(`${sheet}/base`) };
}

export const settingsBaseMap = (doc: Y.Doc): Y.Map<Recorded> => doc.getMap<Recorded>(SETTINGS_BASE);

/** Whether a document is a scenario (its meta says so). */
export function isScenarioDoc(doc: Y.Doc): boolean {
  return doc.share.has('meta') && metaMap(doc).get('kind') === SCENARIO_KIND;
}

export function scenarioMeta(doc: Y.Doc): ScenarioMeta | null {
  if (!isScenarioDoc(doc)) return null;
  const m = metaMap(doc);
  const text = (k: string) => (typeof m.get(k) === 'string' ? (m.get(k) as string) : '');
  return { kind: SCENARIO_KIND, baseline: text('baseline'), baselineName: text('baselineName'), name: text('name'), forkedAt: text('forkedAt') };
}

/**
 * Makes `doc` (fresh) a scenario of `baseline`: meta only, in one transaction. This is the whole
 * of forking: nothing of the baseline is copied, so it costs the same for ten rows or a million.
 */
export function initScenarioDoc(doc: Y.Doc, meta: Omit<ScenarioMeta, 'kind'>): void {
  doc.transact(() => {
    const m = metaMap(doc);
    m.set('schema', SCHEMA_VERSION);
    m.set('kind', SCENARIO_KIND);
    m.set('baseline', meta.baseline);
    m.set('baselineName', meta.baselineName);
    m.set('name', meta.name);
    m.set('forkedAt', meta.forkedAt);
  });
}

/** `{ v }` of a value (undefined: the baseline did not have it). */
export const record = (v: unknown): Recorded => (v === undefined ? {} : { v });
export const recordedValue = (r: Recorded | undefined): unknown => (r && 'v' in r ? r.v : undefined);

/** Same cell value (absent and null read alike: both are a blank cell). */
export function sameCell(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a, y = b === undefined ? null : b;
  if (x === y) return true;
  return typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y);
}

export type { CellValue };

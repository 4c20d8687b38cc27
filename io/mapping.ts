// Which sheet a table goes to and which column each of its columns becomes. The automatic mapping
// is a proposal shown in the import dialog; the user may correct every part of it.

import { COLUMNS, SHEETS, isSheetName, type SheetName } from '../engine/schema';
import { NAME_IS_ID, SHEET_NAMES, SYNONYMS, nameKey } from './names';

export type Target = SheetName | 'settings';
export const TARGETS: readonly Target[] = [...SHEETS, 'settings'];
export const SETTINGS_COLUMNS = ['key', 'value'] as const;

export interface Mapping {
  sheet: Target;
  /**
   * Per column of the file: the column it becomes (a column of the sheet, or any other name to keep
   * it as an unknown column), or null to leave it out.
   */
  targets: (string | null)[];
  /** With no column mapped to `id`: the file column whose values are also the ids, or -1 to number the rows. */
  idFrom: number;
  /** The import profile (profiles.ts) the mapping came from: it types some columns its own way. */
  profile?: string;
}

export function columnsOf(sheet: Target): readonly string[] {
  return sheet === 'settings' ? SETTINGS_COLUMNS : COLUMNS[sheet].map((c) => c.name);
}

/** Custom fields of ServiceNow ("u_cost_center") and the like are never matched to our columns. */
const isCustom = (header: string) => /^u_/i.test(header.trim());

/** Candidate names of each column of a sheet, in key form, best first. */
function candidates(sheet: Target): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const syn = sheet === 'settings' ? {} : (SYNONYMS[sheet] ?? {});
  for (const col of columnsOf(sheet)) out.set(col, [nameKey(col), ...(syn[col] ?? []).map(nameKey)]);
  return out;
}

/** The automatic mapping of a header onto a sheet. */
export function autoMapping(sheet: Target, header: readonly string[]): Mapping {
  const cands = candidates(sheet);
  const keys = header.map(nameKey);
  // Every (header, column) pair that matches, with its rank; the best ranks are assigned first.
  const pairs: { src: number; col: string; rank: number }[] = [];
  keys.forEach((k, src) => {
    if (isCustom(header[src])) return;
    for (const [col, names] of cands) {
      const rank = names.indexOf(k);
      if (rank >= 0) pairs.push({ src, col, rank });
    }
  });
  pairs.sort((a, b) => a.rank - b.rank || a.src - b.src);
  const targets: (string | null)[] = header.map((h) => h);
  const taken = new Set<string>();
  const assigned = new Set<number>();
  for (const p of pairs) {
    if (taken.has(p.col) || assigned.has(p.src)) continue;
    taken.add(p.col);
    assigned.add(p.src);
    targets[p.src] = p.col;
  }
  // An unmatched header keeps its own name, unless that name is one of ours (it would then collide).
  const ours = new Set(columnsOf(sheet));
  header.forEach((h, i) => {
    if (!assigned.has(i) && ours.has(h)) targets[i] = `${h} (file)`;
  });
  let idFrom = -1;
  if (!taken.has('id') && sheet !== 'settings' && NAME_IS_ID.has(sheet)) idFrom = targets.indexOf('name');
  return { sheet, targets, idFrom };
}

/** How many of a header's columns a sheet recognises (its id aside): the evidence for guessing the sheet. */
function score(sheet: Target, header: readonly string[]): number {
  const m = autoMapping(sheet, header);
  const ours = new Set(columnsOf(sheet));
  return m.targets.filter((t) => t !== null && t !== 'id' && ours.has(t)).length;
}

/** The sheet a table most likely is: by its file or worksheet name, else by its header. */
export function guessSheet(hint: string, header: readonly string[]): Target | undefined {
  const k = nameKey(hint);
  const bare = k.replace(/\d+$/, '');
  for (const t of TARGETS) {
    const names = [t, ...SHEET_NAMES[t]].map(nameKey);
    if (names.includes(k) || names.includes(bare) || names.includes(bare.replace(/s$/, ''))) return t;
  }
  // A name that contains a sheet's name ("2026-11 devices export").
  for (const t of TARGETS) if (k.includes(nameKey(t))) return t;
  let best: Target | undefined, bestScore = 1;
  for (const t of SHEETS) {
    const s = score(t, header);
    if (s > bestScore) { best = t; bestScore = s; }
  }
  return best;
}

/** Why a mapping cannot be used, or undefined when it can. */
export function mappingProblem(m: Mapping, header: readonly string[]): string | undefined {
  if (!TARGETS.includes(m.sheet)) return `unknown sheet "${m.sheet}"`;
  if (m.targets.length !== header.length) return 'the mapping does not match the file\'s columns';
  const seen = new Map<string, number>();
  for (let i = 0; i < m.targets.length; i++) {
    const t = m.targets[i];
    if (t === null) continue;
    if (t.trim() === '') return `column "${header[i]}" needs a name`;
    const prev = seen.get(t);
    if (prev !== undefined) return `columns "${header[prev]}" and "${header[i]}" both become "${t}"`;
    seen.set(t, i);
  }
  if (m.sheet === 'settings' && !(seen.has('key') && seen.has('value'))) return 'settings need a "key" and a "value" column';
  if (m.idFrom >= header.length) return 'the id column is not in the file';
  return undefined;
}

export { isSheetName };

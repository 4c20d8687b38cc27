// Pasting a block of cells copied from a spreadsheet: TSV text (Excel, Sheets, LibreOffice quote
// cells holding tabs, newlines or quotes) into the cells right and below the focused cell, adding
// rows at the end of the sheet when the block runs past it. One transaction: one undo step.

import { columnOf, type SheetName } from '../../engine/schema';
import type { CellValue } from '../doc-adapter';
import type { Session } from '../state/session';
import { parseInput } from './columns';

/** TSV → rows of cells. A trailing newline does not make an empty last row. */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let atCellStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
      i++;
      continue;
    }
    if (ch === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += ch;
    atCellStart = false;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export interface PasteTarget {
  /** Row keys in display order (what the person sees). */
  rowKeys: string[];
  /** Editable column ids in display order, and where the block starts. */
  columns: string[];
  startRow: number;
  startCol: number;
}

/** Applies a block; returns the keys of rows it added. */
export function pasteBlock(session: Session, sheet: SheetName, block: string[][], t: PasteTarget, makeId: () => string): string[] {
  const added: string[] = [];
  session.edit(() => {
    for (let r = 0; r < block.length; r++) {
      const idx = t.startRow + r;
      const cells: Record<string, CellValue> = {};
      block[r].forEach((raw, c) => {
        const col = t.columns[t.startCol + c];
        if (col !== undefined) cells[col] = parseInput(columnOf(sheet, col), raw);
      });
      if (idx < t.rowKeys.length) {
        const key = t.rowKeys[idx];
        for (const [col, v] of Object.entries(cells)) session.setCell(sheet, key, col, v);
      } else {
        // A row past the end: a new row, with an id of its own unless the block gives one.
        if (cells.id === undefined || cells.id === null) cells.id = makeId();
        added.push(session.addRow(sheet, cells));
      }
    }
  });
  return added;
}

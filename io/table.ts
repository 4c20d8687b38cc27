// A table read from a file: a CSV file, or one XLSX worksheet. Both importers produce this shape;
// mapping, typing and staging work on it without knowing where it came from.

/** A cell as read: CSV gives text; XLSX gives text, numbers, booleans and ISO dates. null = blank. */
export type Cell = string | number | boolean | null;

export interface RowBatch {
  /** Rows of cells by column; a row may be shorter than the header or have holes (XLSX): blank cells. */
  rows: Cell[][];
  /** Spreadsheet row number (1 = header) of rows[0], for messages. */
  firstRow: number;
  /** Fraction of this table read so far, 0..1. */
  progress: number;
  /** Some rows have far fewer cells than their length (XLSX): visit the cells they have, not every index. */
  sparse?: boolean;
}

export interface Table {
  /** What the user sees: "devices.csv", or "estate.xlsx › Devices". */
  readonly label: string;
  /** What to guess the target sheet from: the CSV file's base name or the worksheet's name. */
  readonly sheetHint: string;
  /** Column names from the first row, unique and non-empty. */
  readonly header: string[];
  /** How it was read, for the preview: "UTF-8, ';'-separated". */
  readonly info: string;
  /** True when the cells are text only (CSV): they are typed by the target column. */
  readonly textOnly: boolean;
  /** The rows after the header, in batches; each call reads the table again from the start. */
  rows(): AsyncGenerator<RowBatch>;
}

/** Header cells made usable as names: trimmed, blanks named by position, duplicates numbered. */
export function cleanHeader(cells: readonly Cell[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    let name = c === null ? '' : String(c).trim();
    if (name === '') name = `column ${i + 1}`;
    const n = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/** The first `limit` rows, for a preview. */
export async function firstRows(table: Table, limit: number): Promise<Cell[][]> {
  const out: Cell[][] = [];
  const it = table.rows();
  try {
    for await (const batch of it) {
      for (const row of batch.rows) {
        out.push(Array.from({ length: table.header.length }, (_, i) => row[i] ?? null));
        if (out.length >= limit) return out;
      }
    }
  } finally {
    await it.return(undefined);
  }
  return out;
}

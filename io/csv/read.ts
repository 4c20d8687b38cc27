// CSV files: bytes → text (io/encoding.ts) → records (papaparse's parser, fed slice by slice).
//
// papaparse does the tokenizing (quotes, doubled quotes, newlines inside quotes, its fast path for
// unquoted files) and guesses the delimiter. Its own file streaming is not used: in the browser it
// decodes each slice separately (a character split across two slices breaks) and it cannot decode
// Windows-1252 in Node, so slices are decoded here with one streaming TextDecoder and the text is fed
// to Papa.Parser the way its ChunkStreamer does (the unfinished last record is carried over).
//
// Strict where papaparse is lenient, because a half-understood file must import nothing: a quote
// error or a record whose field count differs from the header's is an ImportError.

import Papa from 'papaparse';
import { ImportError, READ_SIZE, baseName, slices, type ByteSource } from '../bytes';
import { Decoder, sniff, type Encoding, type Sniffed } from '../encoding';
import { cleanHeader, type Cell, type RowBatch, type Table } from '../table';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface CsvOptions {
  /** Forced encoding; default: detected. */
  encoding?: Encoding;
  /** Forced delimiter; default: detected. */
  delimiter?: Delimiter;
  /** Longest record accepted, in characters (default MAX_RECORD_CHARS). */
  maxRecordChars?: number;
}

const BOMS: Record<Encoding, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf], 'utf-16le': [0xff, 0xfe], 'utf-16be': [0xfe, 0xff], 'windows-1252': [],
};

function forced(head: Uint8Array, encoding: Encoding): Sniffed {
  const bom = BOMS[encoding];
  return { encoding, bom: bom.length > 0 && bom.every((b, i) => head[i] === b) ? bom.length : 0, certain: true };
}

/** The first line break outside quotes in a sample; '\n' when there is none. */
function newlineOf(text: string): '\r\n' | '\n' | '\r' {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (!quoted && c === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
    else if (!quoted && c === 10) return '\n';
  }
  return '\n';
}

function describeDelimiter(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}

export class CsvTable implements Table {
  readonly textOnly = true;
  readonly sheetHint: string;
  header: string[] = [];
  private sniffed!: Sniffed;
  private delimiter: Delimiter = ',';
  private newline: '\r\n' | '\n' | '\r' = '\n';
  /** Characters of a leading "sep=;" line (Excel's delimiter hint), skipped. */
  private skip = 0;

  private constructor(private readonly src: ByteSource, readonly label: string, private readonly options: CsvOptions) {
    this.sheetHint = baseName(src.name);
  }

  static async open(src: ByteSource, options: CsvOptions = {}): Promise<CsvTable> {
    const t = new CsvTable(src, src.name.split(/[\\/]/).pop() ?? src.name, options);
    await t.init();
    return t;
  }

  get info(): string {
    return `${this.sniffed.encoding.toUpperCase()}${this.sniffed.bom ? ' with BOM' : ''}, ${describeDelimiter(this.delimiter)}-separated`;
  }

  get encoding(): Encoding {
    return this.sniffed.encoding;
  }

  /** After a NotUtf8 from rows(): read the file as Windows-1252 from now on. */
  fallBack(): void {
    this.sniffed = { encoding: 'windows-1252', bom: 0, certain: true };
  }

  private async init(): Promise<void> {
    if (this.src.size === 0) throw new ImportError('the file is empty (0 bytes)');
    const head = await this.src.read(0, Math.min(this.src.size, READ_SIZE));
    this.sniffed = this.options.encoding ? forced(head, this.options.encoding) : sniff(head);
    let sample = new Decoder(this.sniffed).decode(head.subarray(this.sniffed.bom), head.length === this.src.size, 0);
    const hint = /^sep=([,;\t])\r?\n/i.exec(sample);
    if (hint) {
      this.skip = hint[0].length;
      sample = sample.slice(this.skip);
    }
    this.newline = newlineOf(sample);
    this.delimiter = this.options.delimiter ?? (hint?.[1] as Delimiter | undefined) ?? guessDelimiter(sample, this.newline);
    for await (const batch of this.records(true)) {
      if (batch.header) {
        this.header = cleanHeader(batch.header);
        return;
      }
    }
    throw new ImportError('no header row: the file has only blank lines');
  }

  async *rows(): AsyncGenerator<RowBatch> {
    for await (const batch of this.records(false)) if (batch.rows.length > 0 || batch.progress === 1) yield batch;
  }

  /**
   * Records in batches; the first non-blank record is the header. Papaparse keeps no state between
   * calls: handed an unfinished record it reports where it started, and the next call scans it again
   * from its start, so one unclosed quote early in a file made every later slice rescan everything
   * after it (quadratic: 128 MB took 18 s). Here each slice is scanned once for where records end
   * (RecordEnds), papaparse is given whole records only, and the unfinished tail waits in pieces,
   * bounded by MAX_RECORD_CHARS.
   */
  private async *records(headerOnly: boolean): AsyncGenerator<RowBatch & { header?: string[] }> {
    const decoder = new Decoder(this.sniffed);
    const ends = new RecordEnds(this.delimiter, this.newline);
    const width = () => this.header.length;
    let partial = '', base = 0, record = 0, header: string[] | undefined, skip = this.skip;
    let tail: string[] = [], tailChars = 0;
    const size = this.src.size;
    for await (const { bytes, done } of slices(this.src, this.sniffed.bom)) {
      const last = done === size;
      let text = decoder.decode(bytes, last, done - bytes.length);
      if (skip > 0) {
        const cut = Math.min(skip, text.length);
        text = text.slice(cut);
        skip -= cut;
      }
      const end = last ? text.length : ends.scan(text);
      if (end < 0) {
        tail.push(text);
        tailChars += text.length;
        const max = this.options.maxRecordChars ?? MAX_RECORD_CHARS;
        if (tailChars > max) {
          throw new ImportError(`row ${record + 1}: a record runs on for more than ${(max / 1_048_576).toFixed(max < 1_048_576 ? 2 : 0)} million characters: is a quoted field never closed?`);
        }
        continue;
      }
      const aggregate = partial + (tail.length > 0 ? tail.join('') : '') + text.slice(0, end);
      tail = end < text.length ? [text.slice(end)] : [];
      tailChars = text.length - end;
      const parsed = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' }).parse(aggregate, base, !last);
      if (parsed.errors.length > 0) {
        const e = parsed.errors[0];
        throw new ImportError(`row ${record + (e.row ?? 0) + 1}: ${quoteProblem(e.code)}`);
      }
      if (!last) {
        partial = aggregate.substring(parsed.meta.cursor - base);
        base = parsed.meta.cursor;
      }
      const out: Cell[][] = [];
      let firstRow = 0;
      for (const fields of parsed.data as string[][]) {
        record++;
        if (fields.length === 1 && fields[0] === '') continue; // blank line
        if (!header) {
          header = fields;
          if (headerOnly) {
            yield { rows: [], firstRow: 1, progress: done / size, header };
            return;
          }
          continue;
        }
        if (fields.length !== width()) {
          // The rows before it are still handed out (a preview shows them); the import fails.
          if (out.length > 0) yield { rows: out, firstRow, progress: done / size };
          throw new ImportError(`row ${record} has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${width()}: check the delimiter and the quotes`);
        }
        if (firstRow === 0) firstRow = record;
        out.push(fields.map((f) => (f === '' ? null : f)));
      }
      yield { rows: out, firstRow, progress: done / size };
    }
  }
}

/** Longest record read (in UTF-16 characters): far beyond any real one, short of the longest string V8 makes. */
export const MAX_RECORD_CHARS = 64 << 20;

/**
 * Finds where records end, slice after slice, in one pass and with papaparse's reading of quotes: a
 * quote opens a quoted field only at the start of a field; inside one, a doubled quote is a quote
 * and a single quote closes it. A record ends at a line break outside quotes.
 */
export class RecordEnds {
  private quoted = false;
  /** Inside a quoted field, the last character was a quote (closing, or the first of a pair). */
  private quote = false;
  private fieldStart = true;
  private readonly delimiter: number;
  /** The character that ends a line ('\n' for "\r\n"). */
  private readonly lineEnd: number;

  constructor(delimiter: string, newline: '\r\n' | '\n' | '\r') {
    this.delimiter = delimiter.charCodeAt(0);
    this.lineEnd = newline === '\r' ? 13 : 10;
  }

  /** Scans the next text of the file; returns the index after the last record end in it, or -1. */
  scan(text: string): number {
    let last = -1;
    const { delimiter, lineEnd } = this;
    let quoted = this.quoted, quote = this.quote, fieldStart = this.fieldStart;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (!quote) {
          if (c === 34) quote = true;
          continue;
        }
        quote = false;
        if (c === 34) continue; // a doubled quote
        quoted = false; // the quote before closed the field: c is read outside it
      }
      if (c === 34 && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else if (c === lineEnd) {
        fieldStart = true;
        last = i + 1;
      } else fieldStart = c === delimiter;
    }
    this.quoted = quoted;
    this.quote = quote;
    this.fieldStart = fieldStart;
    return last;
  }
}

function quoteProblem(code: string | undefined): string {
  if (code === 'MissingQuotes') return 'a quoted field is never closed (an odd number of quotes)';
  if (code === 'InvalidQuotes') return 'text after a closing quote (a quote inside a field must be doubled: "")';
  return `malformed CSV (${code ?? 'unknown error'})`;
}

/** The delimiter that splits the first lines into the same, largest number of fields. */
function guessDelimiter(sample: string, newline: string): Delimiter {
  const end = sample.lastIndexOf(newline, 64 * 1024);
  const text = end > 0 ? sample.slice(0, end) : sample.slice(0, 64 * 1024);
  const guess = Papa.parse<string[]>(text, { delimitersToGuess: [...DELIMITERS], newline: newline as '\n', preview: 50 });
  const d = guess.meta.delimiter;
  return (DELIMITERS as readonly string[]).includes(d) ? (d as Delimiter) : ',';
}

/** Opens a CSV file; a file guessed as UTF-8 that is not is read again as Windows-1252 by callers. */
export function openCsv(src: ByteSource, options: CsvOptions = {}): Promise<CsvTable> {
  return CsvTable.open(src, options);
}

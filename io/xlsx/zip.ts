// The zip container of an XLSX file, read with random access: the central directory (at the end of
// the file) lists the parts, and each part is inflated as a stream with fflate, so a 1M-row sheet is
// never held in memory compressed or uncompressed. fflate does the inflating; this file only walks
// the directory records (APPNOTE 4.3.12–4.3.16, with the Zip64 forms Excel uses past 4 GiB).

import { Inflate } from 'fflate';
import { ImportError, slices, type ByteSource } from '../bytes';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  header: number;
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000;
const u64 = (b: Uint8Array, i: number) => u32(b, i) + u32(b, i + 4) * 0x100000000;

/**
 * Zip bombs: a part may inflate to at most INFLATE_RATIO times its compressed size (plus a little,
 * for tiny parts) and never past MAX_PART_BYTES; the sizes the directory declares are checked before
 * anything is inflated, and what inflates is counted as it comes, so a part that lies about its size
 * stops at the first piece past it. Real worksheets compress 5 to 30 times (Apache POI refuses past
 * 100 times too). Inflating in small pieces bounds the memory one piece can take (≤ ~1,000 × 16 KiB).
 */
export const INFLATE_RATIO = 100;
export const MAX_PART_BYTES = 2 * 1024 ** 3;
/** Parts read whole into memory (workbook, relationships, styles, shared strings). */
export const MAX_WHOLE_PART_BYTES = 256 * 1024 ** 2;
const INFLATE_PIECE = 16 * 1024;

const mb = (n: number) => `${Math.ceil(n / 1_048_576)} MB`;

/** Refuses a part whose declared size is beyond the bounds above. */
function checkSize(e: ZipEntry, max: number): void {
  const allowed = Math.min(max, e.compressedSize * INFLATE_RATIO + 1_048_576);
  if (e.size > allowed) {
    throw new ImportError(e.size > max
      ? `part ${e.name} would inflate to ${mb(e.size)}, more than the ${mb(max)} allowed`
      : `part ${e.name} would inflate ${Math.round(e.size / Math.max(1, e.compressedSize))} times (${mb(e.compressedSize)} to ${mb(e.size)}): a zip bomb?`);
  }
}

const NOT_XLSX = 'not an XLSX workbook (no zip directory): is it damaged, or an old .xls file?';

export async function readZipDirectory(src: ByteSource): Promise<Map<string, ZipEntry>> {
  if (src.size === 0) throw new ImportError('the file is empty (0 bytes)');
  const first = await src.read(0, 8);
  if (first[0] === 0xd0 && first[1] === 0xcf && first[2] === 0x11 && first[3] === 0xe0) {
    throw new ImportError('a password-protected workbook or an old .xls file: save it as .xlsx without a password');
  }
  if (first[0] !== 0x50 || first[1] !== 0x4b) throw new ImportError(NOT_XLSX);
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, at the end of the file.
  const tailStart = Math.max(0, src.size - 22 - 0xffff);
  const tail = await src.read(tailStart, src.size - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (u32(tail, i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new ImportError(NOT_XLSX);
  let count = u16(tail, eocd + 10);
  let dirSize = u32(tail, eocd + 12);
  let dirOffset = u32(tail, eocd + 16);
  if (dirOffset === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(tail, loc) !== 0x07064b50) throw new ImportError(NOT_XLSX);
    const rec = await src.read(u64(tail, loc + 8), 56);
    if (u32(rec, 0) !== 0x06064b50) throw new ImportError(NOT_XLSX);
    count = u64(rec, 32);
    dirSize = u64(rec, 40);
    dirOffset = u64(rec, 48);
  }
  if (dirOffset + dirSize > src.size) throw new ImportError('the workbook is cut off (its zip directory points past the end)');
  const dir = await src.read(dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  const headers = new Set<number>();
  const names = new TextDecoder();
  for (let i = 0, at = 0; i < count; i++) {
    if (at + 46 > dir.length || u32(dir, at) !== 0x02014b50) throw new ImportError('the workbook is damaged (bad zip directory)');
    const flags = u16(dir, at + 8);
    const nameLen = u16(dir, at + 28), extraLen = u16(dir, at + 30), commentLen = u16(dir, at + 32);
    const entry: ZipEntry = {
      name: names.decode(dir.subarray(at + 46, at + 46 + nameLen)),
      method: u16(dir, at + 10),
      compressedSize: u32(dir, at + 20),
      size: u32(dir, at + 24),
      header: u32(dir, at + 42),
    };
    if (flags & 1) throw new ImportError('the workbook is encrypted: save it without a password');
    readZip64(entry, dir.subarray(at + 46 + nameLen, at + 46 + nameLen + extraLen));
    // Entries that share their data make a small file inflate many times over (an overlapping zip bomb).
    if (headers.has(entry.header)) throw new ImportError('the workbook is damaged (two zip entries share their data: a zip bomb?)');
    headers.add(entry.header);
    entries.set(entry.name.replace(/^\//, ''), entry);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Sizes and offsets too large for 32 bits are in the Zip64 extra field, in this order. */
function readZip64(e: ZipEntry, extra: Uint8Array): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = u16(extra, at), len = u16(extra, at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      if (e.size === 0xffffffff) { e.size = u64(extra, p); p += 8; }
      if (e.compressedSize === 0xffffffff) { e.compressedSize = u64(extra, p); p += 8; }
      if (e.header === 0xffffffff) e.header = u64(extra, p);
      return;
    }
    at += 4 + len;
  }
}

/** Refuses parts that together would inflate past INFLATE_RATIO times the file (one full read of a workbook). */
export function checkTotalSize(parts: readonly ZipEntry[], fileSize: number): void {
  const total = parts.reduce((n, e) => n + e.size, 0);
  if (total > Math.min(MAX_PART_BYTES * 2, fileSize * INFLATE_RATIO + 1_048_576 * parts.length)) {
    throw new ImportError(`the workbook would inflate to ${mb(total)} from ${mb(fileSize)}: a zip bomb?`);
  }
}

async function dataStart(src: ByteSource, e: ZipEntry): Promise<number> {
  const h = await src.read(e.header, 30);
  if (h.length < 30 || u32(h, 0) !== 0x04034b50) throw new ImportError(`the workbook is damaged (part ${e.name} is missing)`);
  return e.header + 30 + u16(h, 26) + u16(h, 28);
}

/**
 * A part's bytes, inflated slice by slice. `onRead` gets the fraction of the compressed part read.
 * Damage shows as an inflate error or a size that differs from the directory's.
 */
export async function* entryStream(src: ByteSource, e: ZipEntry, onRead?: (fraction: number) => void, maxBytes = MAX_PART_BYTES): AsyncGenerator<Uint8Array> {
  if (e.method !== 0 && e.method !== 8) throw new ImportError(`part ${e.name} uses an unsupported compression (method ${e.method})`);
  checkSize(e, maxBytes);
  const start = await dataStart(src, e);
  if (start + e.compressedSize > src.size) throw new ImportError(`the workbook is cut off (part ${e.name})`);
  const out: Uint8Array[] = [];
  let produced = 0;
  const tooBig = () => new ImportError(`the workbook is damaged (part ${e.name} inflates past the ${e.size} bytes its directory says)`);
  const inflate = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > e.size) throw tooBig();
    out.push(chunk);
  });
  for await (const { bytes, done } of slices(src, start, start + e.compressedSize)) {
    const last = done === start + e.compressedSize;
    for (let at = 0; at < bytes.length; at += INFLATE_PIECE) {
      const piece = bytes.subarray(at, at + INFLATE_PIECE);
      if (e.method === 0) {
        produced += piece.length;
        if (produced > e.size) throw tooBig();
        out.push(piece);
      } else {
        try {
          inflate.push(piece, last && at + INFLATE_PIECE >= bytes.length);
        } catch (err) {
          if (err instanceof ImportError) throw err;
          throw new ImportError(`the workbook is damaged (part ${e.name}: ${(err as Error).message})`);
        }
      }
      while (out.length > 0) yield out.shift()!;
    }
    onRead?.((done - start) / Math.max(1, e.compressedSize));
  }
  if (e.compressedSize === 0 && e.method === 8) throw new ImportError(`the workbook is damaged (part ${e.name} is empty)`);
  if (produced !== e.size) throw new ImportError(`the workbook is damaged (part ${e.name} has ${produced} bytes, expected ${e.size})`);
}

/** A whole (small) part as text: workbook, relationships, styles, shared strings. */
export async function entryText(src: ByteSource, e: ZipEntry): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of entryStream(src, e, undefined, MAX_WHOLE_PART_BYTES)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

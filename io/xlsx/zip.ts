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

async function dataStart(src: ByteSource, e: ZipEntry): Promise<number> {
  const h = await src.read(e.header, 30);
  if (h.length < 30 || u32(h, 0) !== 0x04034b50) throw new ImportError(`the workbook is damaged (part ${e.name} is missing)`);
  return e.header + 30 + u16(h, 26) + u16(h, 28);
}

/**
 * A part's bytes, inflated slice by slice. `onRead` gets the fraction of the compressed part read.
 * Damage shows as an inflate error or a size that differs from the directory's.
 */
export async function* entryStream(src: ByteSource, e: ZipEntry, onRead?: (fraction: number) => void): AsyncGenerator<Uint8Array> {
  if (e.method !== 0 && e.method !== 8) throw new ImportError(`part ${e.name} uses an unsupported compression (method ${e.method})`);
  const start = await dataStart(src, e);
  if (start + e.compressedSize > src.size) throw new ImportError(`the workbook is cut off (part ${e.name})`);
  const out: Uint8Array[] = [];
  let produced = 0;
  const inflate = new Inflate((chunk) => {
    out.push(chunk);
    produced += chunk.length;
  });
  for await (const { bytes, done } of slices(src, start, start + e.compressedSize)) {
    const last = done === start + e.compressedSize;
    if (e.method === 0) out.push(bytes), produced += bytes.length;
    else {
      try {
        inflate.push(bytes, last);
      } catch (err) {
        throw new ImportError(`the workbook is damaged (part ${e.name}: ${(err as Error).message})`);
      }
    }
    onRead?.((done - start) / Math.max(1, e.compressedSize));
    while (out.length > 0) yield out.shift()!;
  }
  if (e.compressedSize === 0 && e.method === 8) throw new ImportError(`the workbook is damaged (part ${e.name} is empty)`);
  if (produced !== e.size) throw new ImportError(`the workbook is damaged (part ${e.name} has ${produced} bytes, expected ${e.size})`);
}

/** A whole (small) part as text: workbook, relationships, styles, shared strings. */
export async function entryText(src: ByteSource, e: ZipEntry): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of entryStream(src, e)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

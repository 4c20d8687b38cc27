// Where import reads bytes from: a file picked in the browser (a Blob, read slice by slice so a
// 1 GB file never sits in memory), a file on disk (io/node-source.ts) or bytes already in memory.
// XLSX needs random access (the zip directory is at the end), CSV reads front to back.

export interface ByteSource {
  /** File name as the user sees it (used to guess the sheet). */
  readonly name: string;
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bad input: the message is one line, fit to show after the file name. Nothing was imported. */
export class ImportError extends Error {
  override name = 'ImportError';
}

export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

export function textSource(name: string, text: string): ByteSource {
  return bytesSource(name, new TextEncoder().encode(text));
}

/** A Blob or File (browser, Web Worker). */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'file'): ByteSource {
  return {
    name,
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export const READ_SIZE = 1 << 20;

/** The source front to back in slices of `size` bytes, each with the offset after it. */
export async function* slices(src: ByteSource, start = 0, end = src.size, size = READ_SIZE): AsyncGenerator<{ bytes: Uint8Array; done: number }> {
  for (let at = start; at < end;) {
    const bytes = await src.read(at, Math.min(size, end - at));
    if (bytes.length === 0) throw new ImportError('the file ended early (was it changed while being read?)');
    at += bytes.length;
    yield { bytes, done: at };
  }
}

/** Base name without folder and extension: "exports/Devices.csv" → "Devices". */
export function baseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

export function extensionOf(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
}

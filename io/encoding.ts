// Text encodings of CSV files. The platform's TextDecoder (WHATWG Encoding, in every browser and in
// Node with its built-in ICU) decodes all of them correctly across slice boundaries, so no library
// is needed: this module only decides which one a file is in.
//
// Order of evidence: a byte-order mark is certain (UTF-8, UTF-16LE, UTF-16BE); NUL bytes on every
// other position mean UTF-16 without a mark; otherwise UTF-8 when the first MiB is valid UTF-8, else
// Windows-1252 (what Excel on Windows writes for "CSV" and what Latin-1 files really are).

import { ImportError } from './bytes';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

export interface Sniffed {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip. */
  bom: number;
  /** False when guessed from content: a later invalid UTF-8 byte falls back to Windows-1252. */
  certain: boolean;
}

export function sniff(head: Uint8Array): Sniffed {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3, certain: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, certain: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, certain: true };
  const n = Math.min(head.length, 4096) & ~1;
  let evenZero = 0, oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  // Text in UTF-16 has a zero high byte on almost every ASCII character.
  if (n >= 4 && oddZero > n * 0.4 && evenZero < n * 0.05) return { encoding: 'utf-16le', bom: 0, certain: true };
  if (n >= 4 && evenZero > n * 0.4 && oddZero < n * 0.05) return { encoding: 'utf-16be', bom: 0, certain: true };
  if (evenZero + oddZero > 0) throw new ImportError('not a text file (it contains NUL bytes): save it as CSV in UTF-8');
  return { encoding: validUtf8(head) ? 'utf-8' : 'windows-1252', bom: 0, certain: false };
}

/** Valid UTF-8, allowing one sequence cut off at the end of the sample. */
function validUtf8(bytes: Uint8Array): boolean {
  let end = bytes.length;
  // Step back over a trailing, possibly incomplete, multi-byte sequence.
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i];
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= i;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Raised when a file guessed as UTF-8 turns out not to be: the reader starts again in Windows-1252. */
export class NotUtf8 extends Error {}

/** A streaming decoder that reports the encoding's failures as one-line errors. */
export class Decoder {
  private readonly decoder: TextDecoder;
  constructor(private readonly sniffed: Sniffed) {
    this.decoder = new TextDecoder(sniffed.encoding, { fatal: sniffed.encoding === 'utf-8', ignoreBOM: true });
  }

  decode(bytes: Uint8Array, last: boolean, offset: number): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !last });
    } catch {
      if (!this.sniffed.certain) throw new NotUtf8();
      throw new ImportError(`not valid ${this.sniffed.encoding.toUpperCase()} (near byte ${offset}): choose the file's encoding, e.g. Windows-1252`);
    }
    if (text.includes('\0')) throw new ImportError(`not a text file in ${this.sniffed.encoding.toUpperCase()} (NUL character near byte ${offset})`);
    return text;
  }
}

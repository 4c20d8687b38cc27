// A bounds-checked reader for lib0 encodings (varUint, varInt, var-length
// byte strings), used to check client bytes before lib0/yjs decode them.
//
// Why not lib0's decoder: its `readUint8` returns `undefined` past the end
// instead of throwing, and yjs trusts declared counts (`new Array(n)`).
// Here every read is checked against the end of the message, so a pass over
// untrusted bytes takes time linear in their length and never allocates in
// proportion to a declared size.

export class UpdateRejected extends Error {
  constructor(readonly reason: string) {
    super(`rejected: ${reason}`);
    this.name = 'UpdateRejected';
  }
}

export function reject(reason: string): never {
  throw new UpdateRejected(reason);
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class BoundedReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos === this.end;
  }

  u8(): number {
    if (this.pos >= this.end) reject('truncated');
    return this.bytes[this.pos++] as number;
  }

  /** lib0 varUint: 7 bits per byte, little end first; at most 2^53 - 1. */
  varUint(): number {
    return this.continued(0, 1);
  }

  /** lib0 varInt: first byte carries continuation, sign and 6 bits (the magnitude is returned). */
  varInt(): number {
    const first = this.u8();
    return (first & 0x80) === 0 ? first & 0x3f : this.continued(first & 0x3f, 64);
  }

  /** Adds 7-bit groups worth `mult` and up to `num` until a byte without the continuation bit. */
  private continued(num: number, mult: number): number {
    for (;;) {
      const byte = this.u8();
      num += (byte & 0x7f) * mult;
      if (num > MAX_SAFE) reject('integer-out-of-range');
      if (byte < 0x80) return num;
      mult *= 128;
    }
  }

  skip(length: number): void {
    if (length > this.remaining()) reject('truncated');
    this.pos += length;
  }

  /** A var-length byte string: returns its start; `length` via the return. */
  varBytes(): { start: number; length: number } {
    const length = this.varUint();
    if (length > this.remaining()) reject('truncated');
    const start = this.pos;
    this.pos += length;
    return { start, length };
  }

  /** A declared count whose every element takes at least `minBytesEach` bytes. */
  count(minBytesEach: number, max: number, what: string): number {
    const n = this.varUint();
    if (n > max) reject(`too-many-${what}`);
    if (n * minBytesEach > this.remaining()) reject('truncated');
    return n;
  }
}

const utf8 = new TextDecoder('utf-8');

export function decodeUtf8(bytes: Uint8Array, start: number, length: number): string {
  return utf8.decode(bytes.subarray(start, start + length));
}

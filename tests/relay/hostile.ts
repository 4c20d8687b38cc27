// Hand-built hostile Yjs v1 updates: each one is small, and each one makes
// an unguarded yjs decoder/integrator loop, allocate a lot, or hang.

import * as encoding from 'lib0/encoding';

type Write = (e: encoding.Encoder) => void;

function build(write: Write): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** One client entry holding one ContentAny item in root array 'a', then `rest`. */
function anyItem(e: encoding.Encoder, client: number, writeValues: Write): void {
  encoding.writeVarUint(e, 1); // client entries
  encoding.writeVarUint(e, 1); // structs
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0); // clock
  encoding.writeUint8(e, 8); // ContentAny, no origins: parent follows
  encoding.writeVarUint(e, 1); // parent is a root type name
  encoding.writeVarString(e, 'a');
  writeValues(e);
}

export const hostileUpdates: Record<string, Uint8Array> = {
  /** Declares 2^50 client entries in four bytes. */
  hugeClientCount: build((e) => encoding.writeVarUint(e, 2 ** 50)),
  /** Declares 2^31 structs for one client, then ends. */
  hugeStructCount: build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 2 ** 31);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
  }),
  /** A GC struct whose clock lands past 2^53. */
  hugeClock: build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 2 ** 52);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 2 ** 52);
    encoding.writeVarUint(e, 0);
  }),
  /** A string whose declared length runs past the end of the message (lib0 may read a pooled buffer's neighbour). */
  stringPastEnd: build((e) =>
    anyItem(e, 1, (w) => {
      encoding.writeVarUint(w, 1);
      encoding.writeUint8(w, 119);
      encoding.writeVarUint(w, 1_000_000);
    }),
  ),
  /** Arrays nested 100 000 deep (stack exhaustion in a recursive decoder). */
  deepNesting: build((e) =>
    anyItem(e, 1, (w) => {
      encoding.writeVarUint(w, 1);
      for (let i = 0; i < 100_000; i++) {
        encoding.writeUint8(w, 117);
        encoding.writeVarUint(w, 1);
      }
      encoding.writeUint8(w, 126);
      encoding.writeVarUint(w, 0); // delete set
    }),
  ),
  /** 6M empty objects in 12 MB: tens of bytes of heap per input byte. */
  emptyObjectBomb: build((e) =>
    anyItem(e, 1, (w) => {
      encoding.writeVarUint(w, 6_000_000);
      for (let i = 0; i < 6_000_000; i++) {
        encoding.writeUint8(w, 118);
        encoding.writeVarUint(w, 0);
      }
      encoding.writeVarUint(w, 0);
    }),
  ),
  /** 2M delete ranges all covering the same clocks. */
  overlappingDeletes: build((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 2_000_000);
    for (let i = 0; i < 2_000_000; i++) {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1_000);
    }
  }),
  /** An unknown content type (yjs would call undefined). */
  badContentRef: build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 20);
    encoding.writeVarUint(e, 0);
  }),
  /**
   * 32k items from distinct clients after one origin, alternating right
   * origins: YATA scans quadratically (20 s in yjs 13.6 on this machine).
   */
  conflictStorm: conflictStorm(32_000),
};

export function conflictStorm(k: number): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, k + 1);
    // client 1: X (clock 0) and Z (clock 1) in root array 'a'
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 8);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, 'a');
    encoding.writeVarUint(e, 1);
    encoding.writeUint8(e, 126);
    encoding.writeUint8(e, 8 | 0x80);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeUint8(e, 126);
    for (let i = 0; i < k; i++) {
      const withRight = i % 2 === 0;
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 1000 + i);
      encoding.writeVarUint(e, 0);
      encoding.writeUint8(e, 8 | 0x80 | (withRight ? 0x40 : 0));
      encoding.writeVarUint(e, 1); // origin X
      encoding.writeVarUint(e, 0);
      if (withRight) {
        encoding.writeVarUint(e, 1); // right origin Z
        encoding.writeVarUint(e, 1);
      }
      encoding.writeVarUint(e, 1);
      encoding.writeUint8(e, 126);
    }
    encoding.writeVarUint(e, 0);
  });
}

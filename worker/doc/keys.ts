// Row keys (model.ts): fixed-width base-36 time, then client, then a counter, so that keys sort
// as strings by when they were made, across replicas, and never collide between replicas.
//
//   added row   `${time36}${client36}r${seq36}`
//   chunk id    `${time36}${client36}c${seq36}`, its rows `${chunkId}.${index padded to 5 digits}`
//
// Invariants: every field is fixed width (so string order = numeric order); one KeyClock never
// goes back in time (it holds the last time it used) and its counter only grows, so the keys it
// makes strictly increase; a chunk id is never a prefix of another key, so the rows of one chunk
// are contiguous in key order.

export const TIME_WIDTH = 9; // 36^9 ms ≈ 3,200 years after 1970
export const CLIENT_WIDTH = 7; // 36^7 > 2^32 (Yjs client ids are 32-bit)
export const SEQ_WIDTH = 6; // 36^6 ≈ 2.2e9 keys per clock
export const INDEX_WIDTH = 5; // CHUNK_ROWS ≤ 99,999

const pad36 = (n: number, width: number) => n.toString(36).padStart(width, '0');

export interface KeyClockOptions {
  /** The replica's id (the Y.Doc's clientID). */
  client: number;
  /** Milliseconds since 1970; injectable so tests get the same keys every run. */
  now?: () => number;
}

export class KeyClock {
  private last = 0;
  private seq = 0;
  private readonly client36: string;
  private readonly now: () => number;

  constructor(options: KeyClockOptions) {
    this.client36 = pad36(options.client >>> 0, CLIENT_WIDTH);
    this.now = options.now ?? Date.now;
  }

  private next(kind: 'c' | 'r'): string {
    this.last = Math.max(this.last, Math.floor(this.now()));
    return `${pad36(this.last, TIME_WIDTH)}${this.client36}${kind}${pad36(this.seq++, SEQ_WIDTH)}`;
  }

  /** The key of a row a person adds. */
  rowKey(): string {
    return this.next('r');
  }

  /** The id of a new chunk. */
  chunkId(): string {
    return this.next('c');
  }
}

/** The key of row `index` of a chunk. */
export function chunkRowKey(chunkId: string, index: number): string {
  return `${chunkId}.${String(index).padStart(INDEX_WIDTH, '0')}`;
}

/** Where a chunk row lives; null for the key of an added row. */
export function parseChunkRowKey(key: string): { chunkId: string; index: number } | null {
  const dot = key.indexOf('.');
  if (dot < 0) return null;
  return { chunkId: key.slice(0, dot), index: Number(key.slice(dot + 1)) };
}

/**
 * Keys that depend only on their position, made by migrations: every replica that migrates the
 * same old document makes the same keys, so concurrent migrations converge (model.ts). Time 0 and
 * client 0: they sort before every row made later.
 */
export function fixedRowKey(seq: number): string {
  return `${'0'.repeat(TIME_WIDTH + CLIENT_WIDTH)}r${pad36(seq, SEQ_WIDTH)}`;
}

const clocks = new WeakMap<object, KeyClock>();

/** The clock a document's keys come from (one per document, so its keys strictly increase). */
export function clockOf(doc: { clientID: number }): KeyClock {
  let c = clocks.get(doc);
  if (!c) clocks.set(doc, (c = new KeyClock({ client: doc.clientID })));
  return c;
}

/** Gives a document a clock of its own (tests: a fixed time, so keys are the same every run). */
export function setClock(doc: { clientID: number }, clock: KeyClock): void {
  clocks.set(doc, clock);
}

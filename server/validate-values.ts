// Checks of the values inside Yjs item content: lib0 `any` encoding
// (ContentAny, subdocument options) and legacy JSON strings (ContentJSON,
// ContentEmbed, ContentFormat). Each check walks the bytes once, bounds the
// nesting depth, and charges an estimate of the heap the real decoder will
// allocate to a budget, so a 2-byte empty object cannot turn 64 MiB into
// gigabytes of heap.

import { BoundedReader, decodeUtf8, reject } from './binary-reader';

/** Rough V8 heap costs, in bytes, deliberately on the high side. */
export const HEAP_COST = {
  leaf: 16,
  container: 96,
  /** per byte of string or binary content */
  byte: 2,
} as const;

export class DecodeBudget {
  spent = 0;
  /** Structs and values decoded one by one (see UpdateLimits.maxValues). */
  values = 0;
  constructor(readonly maxBytes: number, readonly maxValues = Infinity) {}

  charge(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.maxBytes) reject('decode-budget');
  }

  /** One more struct or value. */
  value(): void {
    if (++this.values > this.maxValues) reject('too-many-values');
  }
}

/**
 * One lib0 `any` value (type byte 116..127). Returns the type byte so callers
 * can require an object. Recursion is bounded by `maxDepth`.
 */
export function checkAny(r: BoundedReader, budget: DecodeBudget, depth: number, maxDepth: number): number {
  if (depth > maxDepth) reject('too-deep');
  budget.value();
  const type = r.u8();
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      budget.charge(HEAP_COST.leaf);
      break;
    case 125: // varInt
      r.varInt();
      budget.charge(HEAP_COST.leaf);
      break;
    case 124: // float32
      r.skip(4);
      budget.charge(HEAP_COST.leaf);
      break;
    case 123: // float64
    case 122: // bigint64
      r.skip(8);
      budget.charge(HEAP_COST.leaf);
      break;
    case 119: // string
    case 116: {
      // Uint8Array
      const { length } = r.varBytes();
      budget.charge(HEAP_COST.leaf + length * HEAP_COST.byte);
      break;
    }
    case 118: {
      // object: every entry is at least a 1-byte key length and a 1-byte value
      const entries = r.count(2, Number.MAX_SAFE_INTEGER, 'entries');
      budget.charge(HEAP_COST.container);
      for (let i = 0; i < entries; i++) {
        const key = r.varBytes();
        budget.charge(HEAP_COST.leaf + key.length * HEAP_COST.byte);
        checkAny(r, budget, depth + 1, maxDepth);
      }
      break;
    }
    case 117: {
      // array
      const length = r.count(1, Number.MAX_SAFE_INTEGER, 'elements');
      budget.charge(HEAP_COST.container);
      for (let i = 0; i < length; i++) checkAny(r, budget, depth + 1, maxDepth);
      break;
    }
    default:
      reject('bad-any-type');
  }
  return type;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/**
 * A JSON text stored as a var-length string. A byte scan (structural
 * characters are ASCII, so UTF-8 needs no decoding) counts containers and
 * elements and bounds the depth first; only then is JSON.parse run to check
 * the syntax, its cost now known to be within budget. `allowUndefined`: yjs
 * stores `undefined` in ContentJSON as the bare word.
 */
export function checkJsonString(
  r: BoundedReader,
  budget: DecodeBudget,
  maxDepth: number,
  allowUndefined: boolean,
): void {
  const { start, length } = r.varBytes();
  const bytes = r.bytes;
  budget.charge(HEAP_COST.leaf + length * HEAP_COST.byte);
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < start + length; i++) {
    const b = bytes[i] as number;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
      if (++depth > maxDepth) reject('too-deep');
      budget.charge(HEAP_COST.container);
    } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) depth--;
    else if (b === COMMA) {
      budget.charge(HEAP_COST.leaf);
      budget.value();
    }
  }
  const text = decodeUtf8(bytes, start, length);
  if (allowUndefined && text === 'undefined') return;
  try {
    JSON.parse(text);
  } catch {
    reject('bad-json');
  }
}

// Typed installation rows packed into a few flat arrays and one string, so that a thread that read
// them can hand them to another cheaply (structured clone of a million objects costs as much as
// parsing them again). unpack(pack(rows)) gives rows equal to the originals, field for field.

import { NO_PROBLEMS, type Problem } from './cells';
import type { Device, Installation, User } from './rows';
import { productKey } from './store/multimap';

export interface PackedInstallations {
  count: number;
  /** The id of every row, back to back. */
  text: string;
  /** End offset of each row's id in `text`. */
  ends: Uint32Array;
  /** Device and user ids, each distinct one once (a million installations name ~100k devices). */
  refs: string[];
  deviceIndex: Uint32Array;
  userIndex: Uint32Array;
  /** 1 where idN differs from id (the id has upper case). */
  idCased: Uint8Array;
  products: { publisher: string; product: string; publisherName: string; productName: string }[];
  productIndex: Uint32Array;
  words: string[];
  versionIndex: Uint32Array;
  editionIndex: Uint32Array;
  problems: [number, Problem[]][];
}

/** Distinct strings in first-seen order, and each string's index in that list. */
function interner(): { list: string[]; of: (s: string) => number } {
  const list: string[] = [];
  const ids = new Map<string, number>();
  return {
    list,
    of: (w) => {
      let k = ids.get(w);
      if (k === undefined) { ids.set(w, (k = list.length)); list.push(w); }
      return k;
    },
  };
}

export function packInstallations(rows: readonly Installation[]): PackedInstallations {
  const n = rows.length;
  const ends = new Uint32Array(n), idCased = new Uint8Array(n);
  const deviceIndex = new Uint32Array(n), userIndex = new Uint32Array(n);
  const { list: refs, of: ref } = interner();
  const productIndex = new Uint32Array(n), versionIndex = new Uint32Array(n), editionIndex = new Uint32Array(n);
  const products: PackedInstallations['products'] = [];
  const productIds = new Map<string, number>();
  const { list: words, of: word } = interner();
  const problems: [number, Problem[]][] = [];
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    parts.push(r.id);
    ends[i] = at += r.id.length;
    deviceIndex[i] = ref(r.deviceId);
    userIndex[i] = ref(r.userId);
    if (r.idN !== r.id) idCased[i] = 1;
    let p = productIds.get(r.productKey);
    if (p === undefined) {
      productIds.set(r.productKey, (p = products.length));
      products.push({ publisher: r.publisher, product: r.product, publisherName: r.publisherName, productName: r.productName });
    }
    productIndex[i] = p;
    versionIndex[i] = word(r.version);
    editionIndex[i] = word(r.edition);
    if (r.problems.length) problems.push([i, r.problems]);
  }
  return { count: n, text: parts.join(''), ends, refs, deviceIndex, userIndex, idCased, products, productIndex, words, versionIndex, editionIndex, problems };
}

/**
 * Rows as parseRow made them, keyed by their positions in the sheet. `device` resolves each
 * distinct device id once (the store would look it up per row).
 */
export function unpackInstallations(
  p: PackedInstallations, device?: (idN: string) => Device | undefined, user?: (idN: string) => User | undefined,
): Installation[] {
  const products = p.products.map((x) => ({ ...x, productKey: productKey(x.publisher, x.product) }));
  const problems = new Map(p.problems);
  const out = new Array<Installation>(p.count);
  const { text, ends, words, refs } = p;
  const devices = device ? refs.map((r) => device(r)) : [];
  const users = user ? refs.map((r) => (r === '' ? undefined : user(r))) : [];
  let at = 0;
  for (let i = 0; i < p.count; i++) {
    const id = text.slice(at, (at = ends[i]));
    const prod = products[p.productIndex[i]];
    const d = p.deviceIndex[i];
    out[i] = {
      sheet: 'installations', key: i, id, idN: p.idCased[i] ? id.toLowerCase() : id,
      deviceId: refs[d], publisher: prod.publisher, product: prod.product,
      version: words[p.versionIndex[i]], edition: words[p.editionIndex[i]], userId: refs[p.userIndex[i]],
      publisherName: prod.publisherName, productName: prod.productName, productKey: prod.productKey, device: device ? devices[d] : undefined,
      user: user ? users[p.userIndex[i]] : undefined,
      problems: problems.get(i) ?? NO_PROBLEMS,
    };
  }
  return out;
}

// Typed installation rows packed into a few flat arrays and one string, so that a thread that read
// them can hand them to another cheaply (structured clone of a million objects costs as much as
// parsing them again). unpack(pack(rows)) gives rows equal to the originals, field for field.

import { norm, normShared, NO_PROBLEMS, type Problem, type RawRow } from './cells';
import { parseRow, productNames, type Device, type Installation, type ProductNames, type User } from './rows';
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

/** A cell the fast path reads: text, or missing. Anything else goes through parseRow. */
const plain = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/**
 * Packs installation rows one at a time: typed rows (`addTyped`), or raw rows straight from the
 * file (`addRaw`), which skips making an Installation object for every row whose cells are text.
 */
export class InstallationPacker {
  private count = 0;
  private capacity = 1024;
  private ends = new Uint32Array(this.capacity);
  private idCased = new Uint8Array(this.capacity);
  private deviceIndex = new Uint32Array(this.capacity);
  private userIndex = new Uint32Array(this.capacity);
  private productIndex = new Uint32Array(this.capacity);
  private versionIndex = new Uint32Array(this.capacity);
  private editionIndex = new Uint32Array(this.capacity);
  private readonly refs = interner();
  private readonly words = interner();
  /** A raw device or user id cell to its index in refs: ids repeat across installations. */
  private readonly rawRefs = new Map<string, number>();
  private readonly products: PackedInstallations['products'] = [];
  private readonly productIds = new Map<string, number>();
  private readonly productsByNames = new Map<object, number>();
  private readonly problems: [number, Problem[]][] = [];
  private readonly parts: string[] = [];
  private at = 0;

  addTyped(r: Installation): void {
    const i = this.slot(r.id, r.idN !== r.id);
    this.deviceIndex[i] = this.refs.of(r.deviceId);
    this.userIndex[i] = this.refs.of(r.userId);
    this.productIndex[i] = this.product(r);
    this.versionIndex[i] = this.words.of(r.version);
    this.editionIndex[i] = this.words.of(r.edition);
    if (r.problems.length) this.problems.push([i, r.problems]);
  }

  /**
   * A raw row, read as parseRow reads it (its key: its position among the rows). Rows with cells that are
   * not text, or no id, can have problems: those are read by parseRow itself.
   */
  addRaw(raw: RawRow): void {
    const { id: rawId, deviceId, publisher, product, version, edition, userId } = raw;
    const names = typeof rawId === 'string' && plain(deviceId) && plain(version) && plain(edition) && plain(userId)
      ? productNames(publisher, product) : undefined;
    const id = names ? (rawId as string).trim() : '';
    if (id === '') {
      this.addTyped(parseRow('installations', this.count, raw));
      return;
    }
    const idN = id.toLowerCase();
    const i = this.slot(id, idN !== id);
    this.deviceIndex[i] = this.rawRef(deviceId as string | undefined);
    this.userIndex[i] = this.rawRef(userId as string | undefined);
    this.productIndex[i] = this.product(names!);
    this.versionIndex[i] = this.words.of(normShared(version));
    this.editionIndex[i] = this.words.of(normShared(edition));
  }

  finish(): PackedInstallations {
    const n = this.count;
    return {
      count: n, text: this.parts.join(''), ends: this.ends.slice(0, n), refs: this.refs.list,
      deviceIndex: this.deviceIndex.slice(0, n), userIndex: this.userIndex.slice(0, n), idCased: this.idCased.slice(0, n),
      products: this.products, productIndex: this.productIndex.slice(0, n), words: this.words.list,
      versionIndex: this.versionIndex.slice(0, n), editionIndex: this.editionIndex.slice(0, n), problems: this.problems,
    };
  }

  /** Takes the next row's place, growing the arrays when full; returns its index. */
  private slot(id: string, cased: boolean): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.parts.push(id);
    this.ends[i] = this.at += id.length;
    this.idCased[i] = cased ? 1 : 0;
    return i;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Uint32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.capacity);
      b.set(a);
      return b;
    };
    this.ends = grown(this.ends); this.idCased = grown(this.idCased);
    this.deviceIndex = grown(this.deviceIndex); this.userIndex = grown(this.userIndex);
    this.productIndex = grown(this.productIndex); this.versionIndex = grown(this.versionIndex); this.editionIndex = grown(this.editionIndex);
  }

  /** norm() of a text-or-missing id cell, as an index in refs. */
  private rawRef(v: string | undefined): number {
    if (v === undefined) return this.refs.of('');
    let k = this.rawRefs.get(v);
    if (k === undefined) {
      k = this.refs.of(norm(v));
      if (this.rawRefs.size < RAW_REF_LIMIT) this.rawRefs.set(v, k);
    }
    return k;
  }

  /** The index of a product by its display names (case kept: rows show them as typed). */
  private product(r: ProductNames | Installation): number {
    let p = this.productsByNames.get(r);
    if (p !== undefined) return p;
    const key = `${r.publisherName}\u0001${r.productName}`;
    p = this.productIds.get(key);
    if (p === undefined) {
      this.productIds.set(key, (p = this.products.length));
      this.products.push({ publisher: r.publisher, product: r.product, publisherName: r.publisherName, productName: r.productName });
    }
    // The names parseRow caches per raw pair (rows.ts) repeat by identity across a million rows.
    if (!('sheet' in r)) this.productsByNames.set(r, p);
    return p;
  }
}

/** Bound on the raw-id cache (a file names about a tenth as many devices as installations). */
const RAW_REF_LIMIT = 1 << 20;

export function packInstallations(rows: readonly Installation[]): PackedInstallations {
  const packer = new InstallationPacker();
  for (const r of rows) packer.addTyped(r);
  return packer.finish();
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

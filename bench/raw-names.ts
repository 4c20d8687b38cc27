// Raw inventory names for the normalization bench, deterministic: what discovery tools report
// rather than what entitlements say. Publishers appear under their legal names with suffixes
// ("Vendor042 Software, Inc.", "VENDOR042 SOFTWARE INC"); products with versions, bitness,
// language and component noise ("Vendor042 Tool 7 2023 (64-bit) - en-us", "… Language Pack");
// and a catalogue of rules of every kind that names most of them: publisher aliases, exact
// aliases, patterns with captures, ignore rules. The default catalogue comes on top.

import type { RawRow } from '../engine/cells';

export interface RawEstate {
  devices: RawRow[];
  installations: RawRow[];
  entitlements: RawRow[];
  rules: RawRow[];
  /** Distinct raw (publisher, product) pairs among the installations. */
  pairs: number;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEGAL = [', Inc.', ' Inc.', ' Corporation', ' Corp.', ' Ltd.', ' GmbH', ' LLC', ' S.A.', ' AG', ' Software, Inc.'];
const KINDS = ['Studio', 'Suite', 'Analyzer', 'Server', 'Client', 'Agent', 'Manager', 'Designer', 'Reporter', 'Gateway', 'Toolkit', 'Workbench'];
const EDITIONS = ['Standard', 'Professional', 'Enterprise'];
const LANGS = ['en-us', 'de-de', 'fr-fr', 'es-es', 'ja-jp'];

export interface RawOptions { devices: number; installations: number; publishers: number; productsPerPublisher: number; seed?: number }

export const RAW_LARGE: RawOptions = { devices: 100_000, installations: 1_000_000, publishers: 600, productsPerPublisher: 5 };

export function rawEstate(o: RawOptions): RawEstate {
  const rnd = random(o.seed ?? 20261120);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const devices: RawRow[] = [];
  for (let d = 0; d < o.devices; d++) devices.push({ id: `d${d}`, name: `HOST-${d}`, cores: 4 + (d % 4) * 4 });

  // Publishers and products; each product named raw in a few ways.
  interface Product { raw: [string, string][]; canonical: [string, string] }
  const products: Product[] = [];
  const rules: RawRow[] = [];
  const entitlements: RawRow[] = [];
  let rule = 0;
  const addRule = (cells: RawRow) => rules.push({ id: `b${++rule}`, ...cells });
  for (let p = 0; p < o.publishers; p++) {
    const name = `Vendor${String(p).padStart(3, '0')}`;
    const legal = [`${name}${pick(LEGAL)}`, `${name.toUpperCase()}${pick(LEGAL).toUpperCase()}`];
    for (const l of legal) addRule({ kind: 'alias', publisher: l, toPublisher: name });
    for (let q = 0; q < o.productsPerPublisher; q++) {
      const product = `${pick(KINDS)} ${q + 1}`;
      const edition = pick(EDITIONS);
      const year = 2019 + Math.floor(rnd() * 6);
      const raw: [string, string][] = [
        [legal[0], `${name} ${product} ${year}`],
        [legal[0], `${name} ${product} ${year} (64-bit)`],
        [legal[1], `${name} ${product} ${year} - ${pick(LANGS)}`],
        [legal[0], `${name} ${product} ${edition} ${year}`],
        [legal[1], `${name} ${product} ${year} Language Pack`],
      ];
      products.push({ raw, canonical: [name, product] });
      // Most products are named by a pattern with a captured version, some by exact aliases;
      // a few are left for a person (the unrecognized list).
      const r = rnd();
      if (r < 0.6) {
        addRule({ kind: 'pattern', publisher: name, product: `^${name} ${product} (\\d{4})`, toProduct: product, toVersion: '$1' });
        addRule({ kind: 'pattern', publisher: name, product: `^${name} ${product} (standard|professional|enterprise) (\\d{4})`, toProduct: product, toVersion: '$2', toEdition: '$1' });
      } else if (r < 0.9) {
        for (const [pub, prod] of raw.slice(0, 4)) addRule({ kind: 'alias', publisher: pub, product: prod, toPublisher: name, toProduct: product, toVersion: String(year) });
      }
      if (q === 0) addRule({ kind: 'ignore', publisher: name, product: 'language pack$' });
      if (rnd() < 0.5) entitlements.push({ id: `e${entitlements.length}`, publisher: name, product, metric: 'per_device', quantity: 100 + Math.floor(rnd() * 2000) });
    }
  }

  // Installations: devices in order, each with a handful of products (popular ones more often).
  const installations: RawRow[] = [];
  const pairs = new Set<string>();
  const perDevice = Math.max(1, Math.round(o.installations / o.devices));
  for (let n = 0, d = 0; n < o.installations; d = (d + 1) % o.devices) {
    for (let k = 0; k < perDevice && n < o.installations; k++, n++) {
      const product = products[Math.floor(products.length * rnd() ** 2)];
      const [publisher, name] = pick(product.raw);
      pairs.add(`${publisher}\u0001${name}`);
      installations.push({ id: `i${n}`, deviceId: `d${d}`, publisher, product: name, version: `${1 + (n % 9)}.${n % 7}.${n % 1000}` });
    }
  }
  return { devices, installations, entitlements, rules, pairs: pairs.size };
}

// A first guess at the rule for an unrecognized raw pair, for a person to adjust ("make a rule" in
// the Unrecognized view): an exact alias of the raw names to cleaned-up ones. The publisher loses
// its legal-form suffix ("Contoso Ltd." → "Contoso") unless an alias already names it; the product
// loses a leading publisher name, bitness and language tags, and a trailing version or year, which
// becomes the version ("Contoso Designer 7.2 (x64) - en-us" → "Designer", version "7.2").

export interface SuggestedRule {
  kind: 'alias';
  publisher: string;
  product: string;
  toPublisher: string;
  toProduct: string;
  toVersion: string;
}

const LEGAL = /[\s,]+(incorporated|inc\.?|corporation|corp\.?|co\.,? ltd\.?|ltd\.?|limited|llc|l\.l\.c\.|gmbh|ag|se|sa|s\.a\.|s\.r\.o\.|b\.v\.|bv|oy|ab|plc|pty\.? ltd\.?|software|systems|technologies|inc)\.?$/i;

/** "Contoso Software, Inc." → "Contoso". */
export function cleanPublisher(raw: string): string {
  let p = raw.trim();
  for (let i = 0; i < 3; i++) {
    const next = p.replace(LEGAL, '').trim();
    if (next === p || next === '') break;
    p = next;
  }
  return p;
}

const NOISE = [
  /\s*\((x64|x86|64-bit|32-bit|64 bit|32 bit|amd64|arm64)\)/gi,
  /\s+(x64|x86|64-bit|32-bit|amd64|arm64)\b/gi,
  /\s+-\s+[a-z]{2}(-[a-z]{2})?$/i, // " - en-us"
  /\s+-\s+(english|deutsch|français|francais|español|espanol|italiano|nederlands|português|portugues|japanese|chinese)$/i,
  /\s*\((english|en-us|en)\)$/i,
];
const VERSION = /\s+v?(\d{4}|\d+(\.\d+){0,3}[a-z]?)$/i;

export function suggestRule(raw: { publisher: string; product: string }, canonicalPublisher = ''): SuggestedRule {
  const publisher = canonicalPublisher || cleanPublisher(raw.publisher);
  let product = raw.product.trim();
  for (const re of NOISE) product = product.replace(re, '');
  let version = '';
  const v = VERSION.exec(product);
  if (v && v.index > 0) {
    version = v[1];
    product = product.slice(0, v.index);
  }
  // "Contoso Designer" from publisher "Contoso": the product name without its publisher's.
  const lead = publisher.toLowerCase() + ' ';
  if (product.toLowerCase().startsWith(lead) && product.length > lead.length) product = product.slice(lead.length);
  return { kind: 'alias', publisher: raw.publisher, product: raw.product, toPublisher: publisher, toProduct: product.trim(), toVersion: version };
}

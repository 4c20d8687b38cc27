// A small streaming XML tokenizer for the parts of an XLSX file. SpreadsheetML is machine-written and
// uses a handful of elements, so this does only what those parts need, fast: start and end tags with
// their attributes, text with entities decoded, CDATA, and skipping comments, processing instructions
// and the XML declaration. Namespace prefixes are dropped (some writers use <x:row>). Tags must nest:
// a mismatched or unclosed tag is a damaged part, reported as an error rather than guessed at.

import { ImportError } from '../bytes';

export interface XmlHandler {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  /** Text between tags (entities decoded). Only called while `wantText` is true. */
  text(text: string): void;
  wantText(): boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

export class XmlTokenizer {
  private buf = '';
  private readonly stack: string[] = [];
  /** The open elements' names as written (with any prefix), to match end tags without slicing. */
  private readonly raw: string[] = [];

  constructor(private readonly h: XmlHandler, private readonly part: string) {}

  private fail(why: string): never {
    throw new ImportError(`the workbook is damaged (part ${this.part}: ${why})`);
  }

  push(chunk: string): void {
    const s = this.buf.length > 0 ? this.buf + chunk : chunk;
    let i = 0;
    const n = s.length;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        // Text up to the end: keep it until its element's end tag arrives.
        break;
      }
      if (lt > i && this.stack.length > 0 && this.h.wantText()) this.h.text(decodeEntities(s.slice(i, lt)));
      i = lt;
      const c = s.charCodeAt(i + 1);
      if (c === 33 /* ! */) {
        if (s.startsWith('<![CDATA[', i)) {
          const end = s.indexOf(']]>', i + 9);
          if (end < 0) break;
          if (this.h.wantText()) this.h.text(s.slice(i + 9, end));
          i = end + 3;
        } else if (s.startsWith('<!--', i)) {
          const end = s.indexOf('-->', i + 4);
          if (end < 0) break;
          i = end + 3;
        } else {
          const end = s.indexOf('>', i);
          if (end < 0) break;
          i = end + 1;
        }
        continue;
      }
      if (c === 63 /* ? */) {
        const end = s.indexOf('?>', i + 2);
        if (end < 0) break;
        i = end + 2;
        continue;
      }
      // One pass to the '>' that ends the tag ('>' inside a quoted attribute value does not).
      let end = -1, quote = 0;
      for (let j = i + 1; j < n; j++) {
        const ch = s.charCodeAt(j);
        if (quote !== 0) {
          if (ch === quote) quote = 0;
        } else if (ch === 62) { end = j; break; } else if (ch === 34 || ch === 39) quote = ch;
      }
      if (end < 0) break;
      if (c === 47 /* / */) {
        const open = this.stack.pop();
        // Fast path: the end tag is exactly the open element's raw name.
        const raw = open !== undefined ? this.raw.pop()! : '';
        if (open === undefined || end !== i + 2 + raw.length || !s.startsWith(raw, i + 2)) {
          const name = localName(s.slice(i + 2, end).trim());
          if (open !== name) this.fail(open ? `</${name}> closes <${open}>` : `unexpected </${name}>`);
        }
        this.h.close(open);
      } else {
        const selfClosing = s.charCodeAt(end - 1) === 47;
        const stop = selfClosing ? end - 1 : end;
        let sp = i + 1;
        while (sp < stop && !isSpace(s.charCodeAt(sp))) sp++;
        const qname = s.slice(i + 1, sp);
        const name = localName(qname);
        if (name === '') this.fail('an empty tag');
        const attrs = sp < stop ? this.attributes(s, sp, stop) : NO_ATTRS;
        if (!selfClosing) {
          this.stack.push(name);
          this.raw.push(qname);
        }
        this.h.open(name, attrs, selfClosing);
        if (selfClosing) this.h.close(name);
      }
      i = end + 1;
    }
    this.buf = s.slice(i);
    if (this.buf.length > 64 * 1024 * 1024) this.fail('a tag or text longer than 64 MiB');
  }

  /** name="value" pairs between `from` and `to` (the tag's inside after its name). */
  private attributes(s: string, from: number, to: number): Record<string, string> {
    const attrs: Record<string, string> = {};
    let j = from;
    for (;;) {
      while (j < to && isSpace(s.charCodeAt(j))) j++;
      if (j >= to) return attrs;
      const eq = s.indexOf('=', j);
      if (eq < 0 || eq >= to) this.fail('an attribute without a value');
      const name = s.slice(j, eq).trim();
      let q = eq + 1;
      while (q < to && isSpace(s.charCodeAt(q))) q++;
      const quote = s.charCodeAt(q);
      if (quote !== 34 && quote !== 39) this.fail(`attribute ${name} is not quoted`);
      const close = s.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (close < 0 || close >= to) this.fail(`attribute ${name} is not closed`);
      attrs[name] = decodeEntities(s.slice(q + 1, close));
      j = close + 1;
    }
  }

  end(): void {
    if (this.buf.trim() !== '' || this.stack.length > 0) this.fail(this.stack.length > 0 ? `it ends inside <${this.stack[this.stack.length - 1]}>` : 'it ends inside a tag');
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Feeds a stream of bytes (UTF-8, as every XLSX part is) through a tokenizer. */
export async function parseXml(chunks: AsyncIterable<Uint8Array>, handler: XmlHandler, part: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const t = new XmlTokenizer(handler, part);
  try {
    for await (const chunk of chunks) t.push(decoder.decode(chunk, { stream: true }));
    t.push(decoder.decode());
  } catch (err) {
    if (err instanceof TypeError) throw new ImportError(`the workbook is damaged (part ${part} is not UTF-8)`);
    throw err;
  }
  t.end();
}

// Normalization on the page: the same pure normalizer the engine runs (engine/normalize/), over the
// rules of the open document, so a grid can show each row's normalized names beside its raw ones
// for the rows on screen, without asking the worker. Rebuilt (lazily) when the rules change; `tick`
// tells views to redraw.

import { createSignal } from 'solid-js';
import { display, normShared } from '../../engine/cells';
import { Normalizer, type Normalized } from '../../engine/normalize/normalizer';
import { parseRow, type NormalizationRule } from '../../engine/rows';
import { productKey } from '../../engine/store/multimap';
import { listenSheet, sheetTypes } from '../../worker/doc/layout';
import type * as Y from 'yjs';
import type { WorkbookRead } from '../../worker/doc/reader';

export interface ShownNames {
  publisher: string;
  product: string;
  version: string;
  edition: string;
  ignored: boolean;
  /** The id of the rule that named the product (or the publisher), '' when none did. */
  rule: string;
}

export class PageNames {
  private normalizer: Normalizer | null = null;
  private rules: NormalizationRule[] = [];
  private readonly memo = new Map<string, Normalized>();
  private readonly version = createSignal(0);
  private readonly stop: () => void;

  /**
   * `wb` reads the rules (a document, or a scenario over its baseline); `docs` are the documents
   * whose normalization sheet can change them (a scenario's and its baseline's).
   */
  constructor(private readonly wb: WorkbookRead, docs: readonly Y.Doc[]) {
    const changed = (): void => {
      this.normalizer = null;
      this.memo.clear();
      this.version[1]((v) => v + 1);
    };
    const stops = docs.map((doc) => {
      return listenSheet(sheetTypes(doc, 'normalization'), { chunks: changed, cells: changed, deleted: changed, rows: changed });
    });
    this.stop = () => { for (const s of stops) s(); };
  }

  /** Reading it makes a Solid computation follow rule changes. */
  tick = (): number => this.version[0]();

  destroy(): void {
    this.stop();
  }

  private current(): Normalizer {
    if (!this.normalizer) {
      const { keys, rows } = this.wb.sheet('normalization').readAll();
      this.rules = rows.map((r, i) => parseRow('normalization', keys[i], r) as NormalizationRule);
      this.normalizer = new Normalizer(this.rules);
    }
    return this.normalizer;
  }

  /** The rules as the engine reads them, in sheet order. */
  ruleRows(): NormalizationRule[] {
    this.current();
    return this.rules;
  }

  get normalizerNow(): Normalizer {
    return this.current();
  }

  /** The result for raw cells (a row's publisher and product as stored). */
  of(publisherCell: unknown, productCell: unknown): Normalized {
    const publisher = normShared(publisherCell), product = normShared(productCell);
    const key = productKey(publisher, product);
    let n = this.memo.get(key);
    if (!n) this.memo.set(key, (n = this.current().normalize(publisher, product)));
    return n;
  }

  /** What a row's names become, for showing beside its raw cells. */
  shown(cells: { publisher: unknown; product: unknown; version?: unknown; edition?: unknown }): ShownNames {
    const n = this.of(cells.publisher, cells.product);
    const ruleKey = n.productRule ?? n.publisherRule;
    const rule = ruleKey === null ? '' : this.rules.find((r) => r.key === ruleKey)?.id ?? '';
    return {
      publisher: n.publisherName ?? display(cells.publisher),
      product: n.productName ?? display(cells.product),
      version: n.version ?? display(cells.version),
      edition: n.edition ?? display(cells.edition),
      ignored: n.ignored,
      rule,
    };
  }
}

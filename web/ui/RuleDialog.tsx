// "Make a rule" from an unrecognized raw pair: a normalization rule pre-filled from the pair
// (engine/normalize/suggest.ts) that the person adjusts. As it is edited, the dialog shows the
// problems the engine would report on it and how many of the unrecognized pairs it would decide;
// "Add rule" writes it as one new row of the normalization sheet (one undoable edit).

import { For, Show, createMemo, createSignal } from 'solid-js';
import { normShared } from '../../engine/cells';
import { Normalizer } from '../../engine/normalize/normalizer';
import type { SuggestedRule } from '../../engine/normalize/suggest';
import type { UnrecognizedResult } from '../../engine/normalize/unrecognized';
import { parseRow, type NormalizationRule } from '../../engine/rows';
import type { Session } from '../state/session';
import { newRowId } from '../grid/SheetGrid';
import { formatNumber } from './format';
import '../io/io.css';

type Kind = 'alias' | 'ignore' | 'pattern';
const FIELDS = ['publisher', 'product', 'toPublisher', 'toProduct', 'toVersion', 'toEdition'] as const;
type Field = (typeof FIELDS)[number];

const HELP: Record<Kind, string> = {
  alias: 'The raw product, exactly (case aside), becomes the names below. Blank keeps what was there.',
  ignore: 'Installations whose product matches the pattern need no license: they count nowhere, not even as unlicensed.',
  pattern: 'The product pattern (a regular expression, case ignored) names every matching product; $1…$9 fill in what its groups captured.',
};

const count = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;

/** A pattern that matches exactly this text (special characters escaped), anchored at both ends. */
const exactPattern = (text: string): string => `^${text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;

export function RuleDialog(props: { session: Session; pair: UnrecognizedResult; suggestion: SuggestedRule; onClose: () => void }) {
  const [kind, setKind] = createSignal<Kind>('alias');
  const [cells, setCells] = createSignal<Record<Field, string>>({
    publisher: props.suggestion.publisher, product: props.suggestion.product, toPublisher: props.suggestion.toPublisher,
    toProduct: props.suggestion.toProduct, toVersion: props.suggestion.toVersion, toEdition: '',
  });
  const set = (f: Field, v: string) => setCells({ ...cells(), [f]: v });

  const changeKind = (k: Kind) => {
    const c = { ...cells() };
    // The product cell means an exact text for an alias and a pattern otherwise.
    if (k !== 'alias' && kind() === 'alias') c.product = exactPattern(c.product);
    if (k === 'alias' && kind() !== 'alias') c.product = props.pair.product;
    if (k === 'ignore') { c.toPublisher = c.toProduct = c.toVersion = c.toEdition = ''; }
    setKind(k);
    setCells(c);
  };

  const row = (): Record<string, string> => {
    const out: Record<string, string> = { id: newRowId('normalization'), kind: kind() };
    for (const f of FIELDS) if (cells()[f].trim() !== '') out[f] = cells()[f];
    return out;
  };

  // The rule as the engine reads it: its problems, and the unrecognized pairs it would decide.
  const check = createMemo(() => {
    const typed = parseRow('normalization', '\uffff', row()) as NormalizationRule; // after every rule, as the one added will be
    const rules = new Normalizer([...props.session.names.ruleRows().filter((r) => r.kind === 'alias' && r.product === ''), typed]);
    const compiled = rules.rule('\uffff');
    let pairs = 0, installations = 0;
    if (compiled) {
      props.session.results.unrecognizedTick();
      for (const u of props.session.results.unrecognized.values()) {
        if (!rules.couldDecide(compiled, normShared(u.publisher), normShared(u.product))) continue;
        pairs++;
        installations += u.installations;
      }
    }
    return { problems: typed.problems, valid: typed.valid, pairs, installations };
  });

  const add = () => {
    props.session.edit(() => { props.session.addRow('normalization', row()); });
    props.onClose();
  };

  return (
    <div class="io-backdrop" role="dialog" aria-modal="true" aria-label="Make a rule" data-testid="rule-dialog">
      <div class="io-dialog rule-dialog">
        <header class="io-dialog-head">
          <b>Make a rule</b>
          <span class="muted small">for {props.pair.publisher} · {props.pair.product} ({count(props.pair.installations, 'installation')} on {count(props.pair.devices, 'device')})</span>
          <span class="grow" />
          <button type="button" onClick={() => props.onClose()}>Cancel</button>
        </header>
        <div class="rule-kinds" role="radiogroup" aria-label="Kind of rule">
          <For each={['alias', 'ignore', 'pattern'] as Kind[]}>
            {(k) => (
              <label><input type="radio" name="rule-kind" checked={kind() === k} data-testid={`rule-kind-${k}`} onChange={() => changeKind(k)} />
                {k === 'alias' ? ' Name it (exact alias)' : k === 'ignore' ? ' Ignore it (needs no license)' : ' Name it and similar ones (pattern)'}</label>
            )}
          </For>
        </div>
        <p class="muted small">{HELP[kind()]}</p>
        <div class="rule-form">
          <label>Publisher <input value={cells().publisher} data-testid="rule-publisher" onInput={(e) => set('publisher', e.currentTarget.value)} /></label>
          <label>{kind() === 'alias' ? 'Product' : 'Product pattern'} <input value={cells().product} data-testid="rule-product" onInput={(e) => set('product', e.currentTarget.value)} /></label>
          <Show when={kind() !== 'ignore'}>
            <label>→ Publisher <input value={cells().toPublisher} data-testid="rule-toPublisher" onInput={(e) => set('toPublisher', e.currentTarget.value)} /></label>
            <label>→ Product <input value={cells().toProduct} data-testid="rule-toProduct" onInput={(e) => set('toProduct', e.currentTarget.value)} /></label>
            <label>→ Version <input value={cells().toVersion} data-testid="rule-toVersion" onInput={(e) => set('toVersion', e.currentTarget.value)} /></label>
            <label>→ Edition <input value={cells().toEdition} data-testid="rule-toEdition" onInput={(e) => set('toEdition', e.currentTarget.value)} /></label>
          </Show>
        </div>
        <Show when={check().problems.length > 0}>
          <ul class="io-error rule-problems" data-testid="rule-problems">
            <For each={check().problems}>{(p) => <li>{p.column}: {p.message}</li>}</For>
          </ul>
        </Show>
        <div class="io-foot">
          <span class="muted small" data-testid="rule-reach">
            {check().valid ? `Decides ${formatNumber(check().pairs)} of the unrecognized products (${count(check().installations, 'installation')})` : ''}
          </span>
          <span class="grow" />
          <button type="button" class="primary" data-testid="rule-add" disabled={!check().valid || props.session.readOnly} onClick={add}>Add rule</button>
        </div>
      </div>
    </div>
  );
}

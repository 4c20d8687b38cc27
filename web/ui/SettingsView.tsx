// The Settings tab: every setting of workbook.md with a typed editor, its default shown while it is
// blank, and the problems the engine reports for it. Writes go through `setSetting` inside
// `session.edit`, so they are one undoable step each, like a cell edit; remote changes show at
// once (the settings map is observed).
//
// A stored value the typed editor cannot show (imported text such as `hamLicenseVersion: "six"`,
// a date-time for asOf) is shown as text instead, with its problem, so it can be corrected.

import { For, Show, createMemo, createSignal, onCleanup, type JSX } from 'solid-js';
import { DEFAULT_FREE_CONNECTORS, NOT_SEEN_DAYS, WINDOW_DAYS } from '../../engine/settings';
import { HAM_SOLUTIONS, RESOURCE_CATEGORY_TABLE } from '../../engine/ham/categories';
import type { Session } from '../state/session';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'INR', 'CNY', 'BRL'];
const SOLUTION_LABEL: Record<string, string> = { ham: 'HAM (always installed)', ztm: 'ZTM: Zero Touch Mobility', tni: 'TNI: Telecommunications Network Inventory' };
/** hamEntitlements ids with the resource category each one entitles. */
const HAM_LICENSES = RESOURCE_CATEGORY_TABLE.flatMap((c) => (c.entitlement ? [{ id: c.entitlement, label: c.name }] : []));

const today = (): string => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
/** A list setting as stored: a JSON array, or text separated by commas (as the engine reads it). */
const asList = (v: unknown): string[] | null =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : null;

export function SettingsView(props: { session: Session; visible: boolean }) {
  const s = props.session;
  const [version, setVersion] = createSignal(0);
  onCleanup(s.observeSettings(() => { setVersion((v) => v + 1); }));
  const get = (key: string): unknown => (version(), s.setting(key));
  const set = (key: string, value: unknown): void => s.setSetting(key, isBlank(value) ? undefined : value);
  const problems = (key: string): string[] => (s.results.problemsTick(), s.results.settingsProblems.filter((p) => p.column === key).map((p) => p.message));

  const asOf = createMemo(() => { const v = get('asOf'); return typeof v === 'string' && ISO_DAY.test(v.slice(0, 10)) ? v.slice(0, 10) : today(); });
  const windowEnd = createMemo(() => { const v = get('windowEnd'); return typeof v === 'string' && ISO_DAY.test(v.slice(0, 10)) ? v.slice(0, 10) : asOf(); });

  const keydown = (e: KeyboardEvent): void => {
    const mod = e.ctrlKey || e.metaKey;
    if (!mod || (e.target as HTMLElement).matches('input:not([type=checkbox]):not([type=radio]), select')) return;
    if (e.key.toLowerCase() === 'z') { e.preventDefault(); if (e.shiftKey) s.undo.redo(); else s.undo.undo(); }
    else if (e.key.toLowerCase() === 'y') { e.preventDefault(); s.undo.redo(); }
  };

  return (
    <div class="sheet settings-view" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="settings" onKeyDown={keydown}>
      <div class="toolbar">
        <span class="hint">What every position is computed for. Blank settings use their default.</span>
        <span class="sep" />
        <button type="button" onClick={() => s.undo.undo()} disabled={s.readOnly} title="Undo your last edit (Ctrl+Z)">Undo</button>
        <button type="button" onClick={() => s.undo.redo()} disabled={s.readOnly} title="Redo (Ctrl+Shift+Z)">Redo</button>
      </div>
      <div class="settings-body">
        <fieldset class="settings-group" disabled={s.readOnly}>
          <legend>Time and money</legend>
          <Setting k="asOf" label="As of" help="The date positions are computed for: entitlements count from their start to their end. Move it to model another day."
            value={get('asOf')} fallback={`today (${today()})`} problems={problems('asOf')} onReset={() => set('asOf', undefined)}>
            <DateEditor k="asOf" value={get('asOf')} placeholder={today()} onSet={(v) => set('asOf', v)} />
          </Setting>
          <Setting k="currency" label="Currency" help="ISO 4217 code for unit costs and shortfall costs."
            value={get('currency')} fallback="USD" problems={problems('currency')} onReset={() => set('currency', undefined)}>
            <input type="text" class="code" data-setting-input="currency" list="reckon-currencies" maxLength={3} placeholder="USD"
              value={typeof get('currency') === 'string' ? String(get('currency')) : ''}
              onChange={(e) => set('currency', e.currentTarget.value.trim().toUpperCase())} aria-label="Currency" />
            <datalist id="reckon-currencies"><For each={CURRENCIES}>{(c) => <option value={c} />}</For></datalist>
          </Setting>
          <Setting k="windowStart" label="Window start" help="First day of the window for peak and usage metrics (sessions, measurements)."
            value={get('windowStart')} fallback={`${WINDOW_DAYS} days before the window end (${addDays(windowEnd(), -WINDOW_DAYS)})`} problems={problems('windowStart')} onReset={() => set('windowStart', undefined)}>
            <DateEditor k="windowStart" value={get('windowStart')} placeholder={addDays(windowEnd(), -WINDOW_DAYS)} onSet={(v) => set('windowStart', v)} />
          </Setting>
          <Setting k="windowEnd" label="Window end" help="End of the usage window."
            value={get('windowEnd')} fallback={`as of (${asOf()})`} problems={problems('windowEnd')} onReset={() => set('windowEnd', undefined)}>
            <DateEditor k="windowEnd" value={get('windowEnd')} placeholder={asOf()} onSet={(v) => set('windowEnd', v)} />
          </Setting>
          <Setting k="notSeenDays" label="Not seen after" help="Savings: a device whose lastSeen is more than this many days before as of is not seen by discovery; its installations are reclaim candidates. Changes no count."
            value={get('notSeenDays')} fallback={`${NOT_SEEN_DAYS} days`} problems={problems('notSeenDays')} onReset={() => set('notSeenDays', undefined)}>
            <input type="number" min="0" step="1" data-setting-input="notSeenDays" aria-label="Days not seen" placeholder={String(NOT_SEEN_DAYS)}
              value={typeof get('notSeenDays') === 'number' || typeof get('notSeenDays') === 'string' ? String(get('notSeenDays')) : ''}
              onChange={(e) => set('notSeenDays', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} /> days
          </Setting>
        </fieldset>

        <fieldset class="settings-group" disabled={s.readOnly}>
          <legend>Hardware asset management</legend>
          <Setting k="hamLicenseVersion" label="HAM license version" help="Monitors, Storage, Printers and Unclassified hardware are licensable only from version 5."
            value={get('hamLicenseVersion')} fallback="5" problems={problems('hamLicenseVersion')} onReset={() => set('hamLicenseVersion', undefined)}>
            <select data-setting-input="hamLicenseVersion" aria-label="HAM license version"
              value={get('hamLicenseVersion') === 4 || get('hamLicenseVersion') === '4' ? '4' : get('hamLicenseVersion') === 5 || get('hamLicenseVersion') === '5' ? '5' : ''}
              onChange={(e) => set('hamLicenseVersion', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}>
              <option value="">default (5)</option><option value="4">4</option><option value="5">5</option>
            </select>
          </Setting>
          <Setting k="hamSolutions" label="Installed solutions" help="Which solutions may license a resource category (the costliest installed one is used)."
            value={get('hamSolutions')} fallback="HAM only" problems={problems('hamSolutions')} onReset={() => set('hamSolutions', undefined)}>
            <Checklist k="hamSolutions" items={HAM_SOLUTIONS.map((id) => ({ id, label: SOLUTION_LABEL[id] }))} fixed={['ham']} oneColumn
              chosen={asList(get('hamSolutions')) ?? ['ham']} onSet={(ids) => set('hamSolutions', ids)} />
          </Setting>
          <Setting k="hamEntitlements" label="HAM entitlements" help="Which resource categories the HAM license entitles (unclassified hardware needs none)."
            value={get('hamEntitlements')} fallback="all categories" problems={problems('hamEntitlements')} onReset={() => set('hamEntitlements', undefined)}>
            <Checklist k="hamEntitlements" items={HAM_LICENSES} chosen={asList(get('hamEntitlements')) ?? HAM_LICENSES.map((l) => l.id)}
              onSet={(ids) => s.setSetting('hamEntitlements', ids)} />
          </Setting>
          <Setting k="customCategoryLicensing" label="Custom categories" help="Count custom model categories under their parent's resource category."
            value={get('customCategoryLicensing')} fallback="yes" problems={problems('customCategoryLicensing')} onReset={() => set('customCategoryLicensing', undefined)}>
            <label class="check"><input type="checkbox" data-setting-input="customCategoryLicensing"
              checked={isBlank(get('customCategoryLicensing')) ? true : [true, 'true', 'yes', 1, '1'].includes(get('customCategoryLicensing') as never)}
              onChange={(e) => s.setSetting('customCategoryLicensing', e.currentTarget.checked)} /> count them under their parent</label>
          </Setting>
        </fieldset>

        <fieldset class="settings-group" disabled={s.readOnly}>
          <legend>Service desk</legend>
          <Setting k="asmFreeConnectors" label="Free connectors" help="Connectors that need no license."
            value={get('asmFreeConnectors')} fallback={DEFAULT_FREE_CONNECTORS.join(', ')} problems={problems('asmFreeConnectors')} onReset={() => set('asmFreeConnectors', undefined)}>
            <Chips k="asmFreeConnectors" values={asList(get('asmFreeConnectors')) ?? DEFAULT_FREE_CONNECTORS} onSet={(v) => s.setSetting('asmFreeConnectors', v)} />
          </Setting>
        </fieldset>
      </div>
    </div>
  );
}

/** One setting: label, editor, the default while blank (or a reset button when set), problems. */
function Setting(props: { k: string; label: string; help: string; value: unknown; fallback: string; problems: string[]; onReset: () => void; children: JSX.Element }) {
  return (
    <div class="setting" data-setting={props.k} classList={{ bad: props.problems.length > 0 }}>
      <div class="setting-label"><b>{props.label}</b><code>{props.k}</code></div>
      <div class="setting-edit">
        {props.children}
        <Show when={!isBlank(props.value)} fallback={<span class="setting-default" data-default>default: {props.fallback}</span>}>
          <button type="button" class="link small" onClick={props.onReset} title="Clear it: the default applies again">use default ({props.fallback})</button>
        </Show>
      </div>
      <div class="setting-help muted small">{props.help}</div>
      <For each={props.problems}>{(m) => <div class="setting-problem" role="alert">{m}</div>}</For>
    </div>
  );
}

/** A date: a date input for a plain ISO day or a blank; anything else as text, to be corrected. */
function DateEditor(props: { k: string; value: unknown; placeholder: string; onSet: (v: string | undefined) => void }) {
  const plain = () => isBlank(props.value) || (typeof props.value === 'string' && ISO_DAY.test(props.value));
  return (
    <Show when={plain()} fallback={
      <input type="text" data-setting-input={props.k} value={String(props.value)} aria-label={props.k} onChange={(e) => props.onSet(e.currentTarget.value.trim() || undefined)} />
    }>
      <input type="date" data-setting-input={props.k} value={typeof props.value === 'string' ? props.value : ''} aria-label={props.k}
        onChange={(e) => props.onSet(e.currentTarget.value || undefined)} />
    </Show>
  );
}

/** A multi-select as checkboxes, in a fixed order; `fixed` items are always on. */
function Checklist(props: { k: string; items: { id: string; label: string }[]; chosen: string[]; fixed?: string[]; oneColumn?: boolean; onSet: (ids: string[]) => void }) {
  const on = (id: string) => props.chosen.map((c) => c.trim().toLowerCase()).includes(id) || (props.fixed ?? []).includes(id);
  const toggle = (id: string, checked: boolean) => props.onSet(props.items.map((i) => i.id).filter((x) => (x === id ? checked : on(x))));
  return (
    <div class="checklist" classList={{ one: props.oneColumn }}>
      <For each={props.items}>
        {(item) => (
          <label class="check"><input type="checkbox" data-setting-input={`${props.k}:${item.id}`} checked={on(item.id)} disabled={(props.fixed ?? []).includes(item.id)}
            onChange={(e) => toggle(item.id, e.currentTarget.checked)} /> {item.label}</label>
        )}
      </For>
    </div>
  );
}

/** A list of names: chips to remove, an input to add (Enter). */
function Chips(props: { k: string; values: string[]; onSet: (v: string[]) => void }) {
  let input!: HTMLInputElement;
  const add = () => {
    const v = input.value.trim();
    if (v && !props.values.some((x) => x.toLowerCase() === v.toLowerCase())) props.onSet([...props.values, v]);
    input.value = '';
  };
  return (
    <div class="chips">
      <For each={props.values}>
        {(v) => <span class="chip">{v}<button type="button" class="chip-x" aria-label={`Remove ${v}`} onClick={() => props.onSet(props.values.filter((x) => x !== v))}>×</button></span>}
      </For>
      <input ref={input} type="text" data-setting-input={props.k} placeholder="Add a connector…" aria-label="Add a connector"
        onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} onBlur={add} />
    </div>
  );
}

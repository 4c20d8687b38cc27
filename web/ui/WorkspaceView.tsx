// An open workspace: header, tab bar (Positions, Unlicensed, every sheet, Hardware units, Settings),
// the grids (mounted on first visit, then kept so switching tabs is instant), side panels and the
// status bar.

import { For, Show, createEffect, createSignal, onCleanup } from 'solid-js';
import { SHEETS, type SheetName } from '../../engine/schema';
import { Session } from '../state/session';
import { findWorkspace, renameWorkspace, type WorkspaceEntry } from '../state/workspaces';
import { SheetGrid, type RevealRequest } from '../grid/SheetGrid';
import { HardwareGrid, PositionsGrid, UnlicensedGrid } from '../grid/ResultGrids';
import { UnrecognizedGrid } from '../grid/UnrecognizedGrid';
import { SettingsView } from './SettingsView';
import { ExplainPanel, ProblemsPanel, type Link } from './Panels';
import { StatusBar } from './StatusBar';
import { ShareDialog } from './ShareDialog';
import { IoToolbar } from '../io/IoToolbar';

type Tab = SheetName | 'positions' | 'unlicensed' | 'unrecognized' | 'hardware' | 'settings';
const RESULT_TABS: readonly Tab[] = ['positions', 'unlicensed', 'unrecognized', 'hardware'];

const TAB_LABEL: Record<Tab, string> = {
  positions: 'Positions', entitlements: 'Entitlements', devices: 'Devices', installations: 'Installations', users: 'Users',
  clusters: 'Clusters', allocations: 'Allocations', subscriptions: 'Subscriptions', sessions: 'Sessions', access: 'Access',
  sensors: 'Sensors', measurements: 'Measurements', factors: 'Factors', tiers: 'Tiers', modelCategories: 'Model categories',
  hamCategories: 'HAM categories', normalization: 'Normalization', hardware: 'Hardware units', unlicensed: 'Unlicensed', unrecognized: 'Unrecognized', settings: 'Settings',
};
const TABS: Tab[] = ['positions', 'unlicensed', 'unrecognized', ...SHEETS, 'hardware', 'settings'];

export function WorkspaceView(props: { entry: WorkspaceEntry }) {
  const session = new Session(props.entry);
  onCleanup(() => session.destroy());
  // A local workspace put on the relay (here, or in another tab of this browser) connects.
  createEffect(() => {
    const token = findWorkspace(props.entry.id)?.token;
    if (token) session.attach(token);
  });
  // For tests and the bench: the open session, read from the page.
  (window as unknown as { reckon?: unknown }).reckon = session;

  const [tab, setTab] = createSignal<Tab>('entitlements');
  const [mounted, setMounted] = createSignal<Set<Tab>>(new Set(['entitlements']));
  const [counts, setCounts] = createSignal<Record<string, number>>({});
  const [panel, setPanel] = createSignal<{ kind: 'explain'; key: string } | { kind: 'problems' } | null>(null);
  const [reveal, setReveal] = createSignal<RevealRequest | null>(null);
  const [sharing, setSharing] = createSignal(false);
  const [name, setName] = createSignal(props.entry.name);
  let seq = 0;

  const open = (t: Tab): void => {
    setTab(t);
    if (!mounted().has(t)) setMounted(new Set([...mounted(), t]));
  };

  // The workspace's name lives in the document (meta.name) so every replica shows the same one.
  const meta = session.doc.getMap('meta');
  const readName = (): void => {
    const n = meta.get('name');
    if (typeof n === 'string' && n) {
      setName(n);
      if (n !== props.entry.name) renameWorkspace(props.entry.id, n);
    }
  };
  meta.observe(readName);
  createEffect(() => session.loaded() && readName());

  const rename = (): void => {
    const n = prompt('Workspace name', name());
    if (n && n.trim()) session.edit(() => meta.set('name', n.trim()));
  };

  const link = (l: Link): void => {
    if (l.sheet === 'settings') return open('settings');
    if (!(TABS as string[]).includes(l.sheet)) return;
    open(l.sheet as Tab);
    setReveal({ ...l, seq: ++seq });
  };

  // For tests and the bench: bring a cell into view the way a link does.
  const gridApis = new Map<string, unknown>();
  (window as unknown as { reckonUi?: unknown }).reckonUi = { reveal: link, open, gridApi: (sheet: string) => gridApis.get(sheet) };

  const keydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && panel()) setPanel(null);
  };
  window.addEventListener('keydown', keydown);
  onCleanup(() => window.removeEventListener('keydown', keydown));

  return (
    <div class="workspace">
      <header class="appbar">
        <a class="brand" href="#/" title="All workspaces">Reckon</a>
        <button type="button" class="ws-name" onClick={rename} disabled={session.readOnly} title="Rename" data-testid="workspace-name">{name()}</button>
        <span class="grow" />
        <IoToolbar session={session} />
        <button type="button" onClick={() => setPanel(panel()?.kind === 'problems' ? null : { kind: 'problems' })}>Problems</button>
        <button type="button" class="primary" onClick={() => setSharing(true)}>Share</button>
      </header>
      <nav class="tabs" role="tablist">
        <For each={TABS}>
          {(t) => (
            <button type="button" role="tab" class="tab" classList={{ active: tab() === t, result: RESULT_TABS.includes(t) }}
              aria-selected={tab() === t} data-tab={t} onClick={() => open(t)}>
              {TAB_LABEL[t]}
              <Show when={counts()[t] !== undefined && !RESULT_TABS.includes(t)}><span class="tab-count">{counts()[t]}</span></Show>
              <Show when={t === 'unlicensed' && (session.results.unlicensedTick(), session.results.unlicensed.size) > 0}>
                <span class="tab-count" data-testid="unlicensed-count">{(session.results.unlicensedTick(), session.results.unlicensed.size)}</span>
              </Show>
              <Show when={t === 'unrecognized' && (session.results.unrecognizedTick(), session.results.unrecognized.size) > 0}>
                <span class="tab-count" data-testid="unrecognized-count">{(session.results.unrecognizedTick(), session.results.unrecognized.size)}</span>
              </Show>
              <Show when={t === 'settings' && (session.results.problemsTick(), session.results.settingsProblems.length) > 0}>
                <span class="tab-count bad" title="Settings problems">{session.results.settingsProblems.length}</span>
              </Show>
            </button>
          )}
        </For>
      </nav>
      <div class="body">
        <main class="grids">
          <Show when={session.loaded()} fallback={<div class="loading">Opening workspace…</div>}>
            <For each={TABS}>
              {(t) => (
                <Show when={mounted().has(t)}>
                  {t === 'positions' ? (
                    <PositionsGrid session={session} visible={tab() === t} selected={(() => { const p = panel(); return p?.kind === 'explain' ? p.key : null; })()}
                      onOpen={(key) => setPanel({ kind: 'explain', key })} />
                  ) : t === 'hardware' ? (
                    <HardwareGrid session={session} visible={tab() === t} />
                  ) : t === 'unlicensed' ? (
                    <UnlicensedGrid session={session} visible={tab() === t} />
                  ) : t === 'unrecognized' ? (
                    <UnrecognizedGrid session={session} visible={tab() === t} />
                  ) : t === 'settings' ? (
                    <SettingsView session={session} visible={tab() === t} />
                  ) : (
                    <SheetGrid session={session} sheet={t} visible={tab() === t} reveal={reveal()}
                      onCount={(n) => setCounts({ ...counts(), [t]: n })} onApi={(a) => gridApis.set(t, a)} />
                  )}
                </Show>
              )}
            </For>
          </Show>
        </main>
        <Show when={panel()} keyed>
          {(cur) => {
            return cur.kind === 'explain'
              ? <ExplainPanel session={session} positionKey={cur.key} onClose={() => setPanel(null)} onLink={link} />
              : <ProblemsPanel session={session} onClose={() => setPanel(null)} onLink={link} />;
          }}
        </Show>
      </div>
      <StatusBar session={session} rows={counts()[tab()] ?? null} onProblems={() => setPanel({ kind: 'problems' })} />
      <Show when={sharing()}><ShareDialog entry={findWorkspace(props.entry.id) ?? props.entry} session={session} onClose={() => setSharing(false)} /></Show>
    </div>
  );
}

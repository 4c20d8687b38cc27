// An open workspace: header, tab bar (Positions, Unlicensed, every sheet, Hardware units, Settings),
// the grids (mounted on first visit, then kept so switching tabs is instant), side panels and the
// status bar. A scenario (web/scenario/) shows in the same view, with its banner and two more tabs
// (Compare, Changes); its session reads and writes through the scenario's layers.

import { For, Show, createEffect, createSignal, onCleanup } from 'solid-js';
import { SHEETS, type SheetName } from '../../engine/schema';
import type { Session } from '../state/session';
import { findWorkspace, renameWorkspace, upsertWorkspace } from '../state/workspaces';
import { scenarioMeta } from '../../worker/scenario/layout';
import type { ScenarioSession } from '../scenario/session';
import { ScenarioMenu } from '../scenario/ScenarioMenu';
import { ScenarioBanner } from '../scenario/ScenarioBanner';
import { CompareView } from '../scenario/CompareView';
import { CompareExplain } from '../scenario/CompareExplain';
import { ChangesView } from '../scenario/ChangesView';
import { MergeDialog } from '../scenario/MergeDialog';
import { baselineTokenForLink, forkedFromSavings, noteSeen } from '../scenario/actions';
import { SavingsView } from './SavingsView';
import { trackChanges } from '../scenario/tracked';
import { SheetGrid, type RevealRequest } from '../grid/SheetGrid';
import { preloadGrid } from '../grid/Grid';
import { HardwareGrid, PositionsGrid, UnlicensedGrid } from '../grid/ResultGrids';
import { UnrecognizedGrid } from '../grid/UnrecognizedGrid';
import { SettingsView } from './SettingsView';
import { ExplainPanel, ProblemsPanel, type Link } from './Panels';
import { ConflictNotice } from './ConflictNotice';
import { OpeningPositions } from './OpeningPositions';
import { StatusBar } from './StatusBar';
import { ShareDialog } from './ShareDialog';
import { IoToolbar } from '../io/IoToolbar';
import { RenewalsView } from './RenewalsView';
import { LinkProblem } from './LinkProblem';
import { noticeText } from '../state/relay-notice';

type Tab = SheetName | 'positions' | 'savings' | 'unlicensed' | 'unrecognized' | 'renewals' | 'hardware' | 'settings' | 'compare' | 'changes';
const RESULT_TABS: readonly Tab[] = ['positions', 'savings', 'unlicensed', 'unrecognized', 'renewals', 'hardware'];

const TAB_LABEL: Record<Tab, string> = {
  positions: 'Positions', savings: 'Savings', entitlements: 'Entitlements', devices: 'Devices', installations: 'Installations', users: 'Users',
  clusters: 'Clusters', allocations: 'Allocations', subscriptions: 'Subscriptions', sessions: 'Sessions', access: 'Access',
  sensors: 'Sensors', measurements: 'Measurements', factors: 'Factors', tiers: 'Tiers', modelCategories: 'Model categories',
  hamCategories: 'HAM categories', normalization: 'Normalization', hardware: 'Hardware units', unlicensed: 'Unlicensed',
  unrecognized: 'Unrecognized', renewals: 'Renewals', settings: 'Settings', compare: 'Compare', changes: 'Changes',
};
const TABS: Tab[] = ['positions', 'savings', 'unlicensed', 'unrecognized', 'renewals', ...SHEETS, 'hardware', 'settings'];

export function WorkspaceView(props: { session: Session; scenario?: ScenarioSession; merge?: string }) {
  // AG Grid loads while the document does (its chunk compiles off this thread).
  preloadGrid();
  const session = props.session;
  const scenario = props.scenario;
  const entry = session.entry;
  // A local workspace put on the relay (here, or in another tab of this browser) connects.
  createEffect(() => {
    const token = findWorkspace(entry.id)?.token;
    if (token) session.attach(token);
  });
  const baselineEntry = () => (scenario ? findWorkspace(scenario.baseline.entry.id) ?? scenario.baseline.entry : findWorkspace(entry.id) ?? entry);
  const tabs: Tab[] = scenario ? ['compare', 'changes', ...TABS] : TABS;
  const changes = scenario ? trackChanges(scenario) : null;
  const [merging, setMerging] = createSignal(props.merge ?? null);
  // People seen in a shared scenario, for the warning when it is discarded.
  createEffect(() => { if (scenario && session.peers().length) noteSeen(entry.id, session.peers().map((p) => p.user.name)); });
  // For tests and the bench: the open session, read from the page.
  (window as unknown as { reckon?: unknown }).reckon = session;

  // A scenario just forked from the Savings view opens on its Compare tab.
  const first: Tab = scenario && forkedFromSavings(entry.id) ? 'compare' : 'entitlements';
  const [tab, setTab] = createSignal<Tab>(first);
  const [mounted, setMounted] = createSignal<Set<Tab>>(new Set([first]));
  const [counts, setCounts] = createSignal<Record<string, number>>({});
  const [panel, setPanel] = createSignal<{ kind: 'explain'; key: string } | { kind: 'compare'; key: string } | { kind: 'problems' } | null>(null);
  const [reveal, setReveal] = createSignal<RevealRequest | null>(null);
  const [sharing, setSharing] = createSignal(false);
  const [name, setName] = createSignal(entry.name);
  let seq = 0;

  const open = (t: Tab): void => {
    setTab(t);
    if (!mounted().has(t)) setMounted(new Set([...mounted(), t]));
  };

  // The tab bar is one stop for Tab; arrow keys (and Home/End) move between tabs and open them, the
  // WAI-ARIA tabs pattern with automatic activation. The tab opened is scrolled into view (a narrow
  // screen scrolls the bar sideways).
  const tabKeys = (e: KeyboardEvent): void => {
    const step = ({ ArrowRight: 1, ArrowLeft: -1 } as Record<string, number>)[e.key];
    const at = tabs.indexOf(tab());
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : step === undefined ? -1 : (at + step + tabs.length) % tabs.length;
    if (next < 0) return;
    e.preventDefault();
    open(tabs[next]);
    const el = (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-tab="${tabs[next]}"]`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };

  // The workspace's name lives in the document (meta.name) so every replica shows the same one.
  const meta = session.doc.getMap('meta');
  const readName = (): void => {
    const n = meta.get('name');
    if (typeof n === 'string' && n) {
      setName(n);
      if (n !== findWorkspace(entry.id)?.name) renameWorkspace(entry.id, n);
    }
    // A scenario opened by its bare address: now that its document says so, it opens as a scenario.
    const m = scenario ? null : scenarioMeta(session.doc);
    if (m && m.baseline && findWorkspace(entry.id)?.kind !== 'scenario') upsertWorkspace({ id: entry.id, kind: 'scenario', baseline: m.baseline });
  };
  meta.observe(readName);
  // The session may outlive this view (a workspace's session stays open beside its scenario).
  onCleanup(() => meta.unobserve(readName));
  createEffect(() => session.loaded() && readName());

  const rename = (): void => {
    const n = prompt('Workspace name', name());
    if (n && n.trim()) session.edit(() => meta.set('name', n.trim()));
  };

  const link = (l: Link): void => {
    if (l.sheet === 'settings') return open('settings');
    // A moved shortfall's line names the other position (`positions/<key>`): open its explanation.
    if (l.sheet === 'positions' && l.id) {
      setPanel({ kind: 'explain', key: l.id });
      return;
    }
    if (!(tabs as string[]).includes(l.sheet)) return;
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
    <Show when={!session.blocking()} fallback={<LinkProblem entry={findWorkspace(entry.id) ?? entry} session={session} />}>
    <div class="workspace" classList={{ 'results-cached': !!session.results.cachedAt[0]() }}>
      <header class="appbar">
        <a class="brand" href="#/" title="All workspaces">Reckon</a>
        <button type="button" class="ws-name" onClick={rename} disabled={session.readOnly} title="Rename" data-testid="workspace-name">{name()}</button>
        <span class="grow" />
        <ScenarioMenu baseline={baselineEntry()} current={findWorkspace(entry.id) ?? entry} />
        <IoToolbar session={session} />
        <button type="button" onClick={() => setPanel(panel()?.kind === 'problems' ? null : { kind: 'problems' })}>Problems</button>
        <button type="button" class="primary" onClick={() => setSharing(true)}>Share</button>
      </header>
      <Show when={scenario}>{(sc) => <ScenarioBanner session={sc()} changes={changes!} onChanges={() => open('changes')} />}</Show>
      <nav class="tabs" role="tablist" aria-label="Views and sheets" onKeyDown={tabKeys}>
        <For each={tabs}>
          {(t) => (
            <button type="button" role="tab" class="tab" classList={{ active: tab() === t, result: RESULT_TABS.includes(t) }}
              aria-selected={tab() === t} tabIndex={tab() === t ? 0 : -1} data-tab={t} onClick={() => open(t)}>
              {TAB_LABEL[t]}
              <Show when={counts()[t] !== undefined && !RESULT_TABS.includes(t)}><span class="tab-count">{counts()[t]}</span></Show>
              <Show when={t === 'unlicensed' && (session.results.unlicensedTick(), session.results.unlicensed.size) > 0}>
                <span class="tab-count" data-testid="unlicensed-count">{(session.results.unlicensedTick(), session.results.unlicensed.size)}</span>
              </Show>
              <Show when={t === 'savings' && (session.results.savings.tick(), session.results.savings.candidates.size) > 0}>
                <span class="tab-count" data-testid="savings-count">{(session.results.savings.tick(), session.results.savings.candidates.size)}</span>
              </Show>
              <Show when={t === 'unrecognized' && (session.results.unrecognizedTick(), session.results.unrecognized.size) > 0}>
                <span class="tab-count" data-testid="unrecognized-count">{(session.results.unrecognizedTick(), session.results.unrecognized.size)}</span>
              </Show>
              <Show when={t === 'changes' && changes}><span class="tab-count">{changes!().count}</span></Show>
              <Show when={t === 'settings' && (session.results.problemsTick(), session.results.settingsProblems.length) > 0}>
                <span class="tab-count bad" title="Settings problems">{session.results.settingsProblems.length}</span>
              </Show>
            </button>
          )}
        </For>
      </nav>
      <Show when={session.notice()}>
        {(n) => (
          <div class="relay-notice" classList={{ permanent: n().permanent }} role="status" data-testid="relay-notice" data-kind={n().kind}>
            {(() => { const t = noticeText(n(), { relay: location.host, hasCopy: true }); return `${t.title}. ${t.message} ${t.next}`; })()}
            <Show when={!n().permanent && n().kind !== 'refused'}>
              {' '}<button type="button" class="link" onClick={() => session.retry()}>Try again now</button>
            </Show>
          </div>
        )}
      </Show>
      <ConflictNotice session={session} onLink={link} />
      <div class="body">
        <main class="grids">
          <Show when={session.loaded()} fallback={<OpeningPositions session={session} />}>
            <For each={tabs}>
              {(t) => (
                <Show when={mounted().has(t)}>
                  {t === 'compare' ? (
                    <CompareView session={scenario!} visible={tab() === t} onOpen={(key) => setPanel({ kind: 'compare', key })} />
                  ) : t === 'changes' ? (
                    <ChangesView session={scenario!} changes={changes!} visible={tab() === t} onLink={link} />
                  ) : t === 'positions' ? (
                    <PositionsGrid session={session} visible={tab() === t} selected={(() => { const p = panel(); return p?.kind === 'explain' ? p.key : null; })()}
                      onOpen={(key) => setPanel({ kind: 'explain', key })} />
                  ) : t === 'savings' ? (
                    <SavingsView session={session} scenario={scenario} visible={tab() === t} onCompare={() => open('compare')}
                      onOpenPosition={(key) => setPanel({ kind: 'explain', key })} />
                  ) : t === 'hardware' ? (
                    <HardwareGrid session={session} visible={tab() === t} />
                  ) : t === 'unlicensed' ? (
                    <UnlicensedGrid session={session} visible={tab() === t} />
                  ) : t === 'unrecognized' ? (
                    <UnrecognizedGrid session={session} visible={tab() === t} />
                  ) : t === 'settings' ? (
                    <SettingsView session={session} visible={tab() === t} />
                  ) : t === 'renewals' ? (
                    <RenewalsView session={session} visible={tab() === t} onLink={link} onOpenPosition={(key) => setPanel({ kind: 'explain', key })} />
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
              : cur.kind === 'compare'
                ? <CompareExplain session={scenario!} positionKey={cur.key} onClose={() => setPanel(null)} onLink={link} />
                : <ProblemsPanel session={session} onClose={() => setPanel(null)} onLink={link} />;
          }}
        </Show>
      </div>
      <StatusBar session={session} rows={counts()[tab()] ?? null} onProblems={() => setPanel({ kind: 'problems' })} />
      <Show when={sharing()}>
        <ShareDialog entry={findWorkspace(entry.id) ?? entry} session={session} onClose={() => setSharing(false)}
          linkParams={scenario ? async () => {
            const b = await baselineTokenForLink(scenario.baseline.entry.id);
            return 'error' in b ? b : { params: `&base=${encodeURIComponent(b.token)}` };
          } : undefined}
          localNote={scenario ? 'This scenario is on this device only. Put it on the relay to share it: people you give the link can open it over its baseline, and someone with edit rights on the baseline can apply it.' : undefined} />
      </Show>
      <Show when={merging()}>{(id) => <MergeDialog session={session} scenarioId={id()} onClose={() => setMerging(null)} />}</Show>
    </div>
    </Show>
  );
}

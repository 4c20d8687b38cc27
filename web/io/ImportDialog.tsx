// The import dialog: pick CSV files (or a folder of them) or an XLSX workbook; for each table choose
// the sheet, add to it or replace it, and correct the column mapping while a preview shows the
// first rows as they will be imported. A table whose header is a known tool's export is mapped by
// its profile, which the dialog names. Reference cells are matched to the workspace's rows and the
// batch's own (io/matching.ts) and written as ids; before anything is written, every file is read
// and checked whole, and the dialog counts the problems the import will bring per column, with
// examples of what could not be resolved: the same count the import then shows. Import reads every
// file to the end in the io worker (progress bar), then writes the document chunk by chunk; a file
// that fails imports nothing, from any file.

import { For, Index, Show, createEffect, createMemo, createSignal, on } from 'solid-js';
import { proxy } from 'comlink';
import type { SheetName } from '../../engine/schema';
import { ENCODINGS, type Encoding } from '../../io/encoding';
import type { Delimiter } from '../../io/csv/read';
import { TARGETS, columnsOf, type Mapping, type Target } from '../../io/mapping';
import type { StagedChunk } from '../../io/stage';
import type { Session } from '../state/session';
import type { ImportMode, StagedSheet } from './apply';
import { ioWorker } from './client';
import type { BatchEntry, Checked, Preview, TableInfo } from './io-worker';
import type { ColumnMatches } from '../../io/matching';
import './io.css';

interface Choice {
  info: TableInfo;
  mapping: Mapping;
  mode: ImportMode;
  include: boolean;
  /** Prefix of the ids made for rows of a table without an id column: fixed for the check and the import. */
  idPrefix: string;
}

const entryOf = (c: Choice): BatchEntry => ({ id: c.info.id, mapping: c.mapping, mode: c.mode, idPrefix: c.idPrefix });
const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** "deviceId: 1,180 matched by name · 4 not found (e.g. "MTY-DT-999")". */
function describeMatches(column: string, m: ColumnMatches): string {
  const matched = Object.entries(m.matched).map(([via, n]) => `${(n as number).toLocaleString('en-US')} matched by ${via}`);
  const missing = [m.unresolved ? `${m.unresolved.toLocaleString('en-US')} not found` : '', m.ambiguous ? `${m.ambiguous.toLocaleString('en-US')} ambiguous` : ''].filter(Boolean);
  const examples = missing.length ? ` (e.g. ${m.examples.map((e) => `"${e}"`).join(', ')})` : '';
  return `${column}: ${[...matched, ...missing].join(' · ')}${examples}`;
}

type Phase = { kind: 'pick' } | { kind: 'map' } | { kind: 'running'; label: string; fraction: number; rows: number } | { kind: 'done'; message: string };

const SKIP = '\u0000skip';

export function ImportDialog(props: { session: Session; onClose: () => void }) {
  const [phase, setPhase] = createSignal<Phase>({ kind: 'pick' });
  const [choices, setChoices] = createSignal<Choice[]>([]);
  const [current, setCurrent] = createSignal(0);
  const [preview, setPreview] = createSignal<Preview | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [encoding, setEncoding] = createSignal<Encoding | ''>('');
  const [delimiter, setDelimiter] = createSignal<Delimiter | ''>('');
  const [checked, setChecked] = createSignal<{ entries: string; results: Checked[] } | null>(null);
  const [checking, setChecking] = createSignal<string | null>(null);
  const [checkError, setCheckError] = createSignal<string | null>(null);
  let files: File[] = [];

  const inspect = async () => {
    setError(null);
    try {
      const infos = await ioWorker().inspect(files, { encoding: encoding() || undefined, delimiter: delimiter() || undefined });
      const stamp = Date.now().toString(36);
      setChoices(infos.map((info) => ({
        info, mapping: info.mapping, mode: 'add', include: info.guessed !== undefined || infos.length === 1,
        idPrefix: `${info.label.replace(/\W+/g, '').slice(0, 12) || 'row'}-${stamp}-`,
      })));
      setCurrent(0);
      setPhase({ kind: 'map' });
    } catch (err) {
      setError((err as Error).message);
      setPhase({ kind: 'pick' });
    }
  };

  const pick = (list: FileList | null) => {
    files = [...(list ?? [])].filter((f) => /\.(csv|tsv|txt|xlsx|xlsm)$/i.test(f.name));
    if (files.length === 0) return setError('choose CSV files or an XLSX workbook');
    void inspect();
  };

  const choice = () => choices()[current()];
  const update = (patch: Partial<Choice>) => setChoices(choices().map((c, i) => (i === current() ? { ...c, ...patch } : c)));

  /** The tables to import, in order. */
  const entries = (): BatchEntry[] => choices().filter((c) => c.include).map(entryOf);

  // The preview follows the current table's mapping (references resolved against the batch).
  createEffect(on(() => [choice(), entries()] as const, async ([c, list]) => {
    if (!c) return setPreview(null);
    const withCurrent = c.include ? list : [...list, entryOf(c)];
    try {
      setPreview(await ioWorker().preview(withCurrent, withCurrent.findIndex((e) => e.id === c.info.id)));
      setError(null);
    } catch (err) {
      setPreview(null);
      setError((err as Error).message);
    }
  }));

  // The whole batch checked against the workspace whenever what is imported changes: every row
  // read, nothing kept, problems counted as the import will count them.
  let checkRun = 0;
  const toCheck = createMemo(() => (phase().kind === 'map' && entries().length > 0 ? JSON.stringify(entries()) : null));
  createEffect(on(toCheck, (key) => {
    const run = ++checkRun;
    setChecked(null);
    setCheckError(null);
    if (key === null) return;
    setTimeout(async () => {
      if (run !== checkRun) return;
      const list = entries();
      // Ids of the sheets rows with their own ids are added to (the ids a duplicate would repeat).
      const idSheets = [...new Set(list.filter((e) => e.mode === 'add' && e.mapping.sheet !== 'settings' && e.mapping.targets.includes('id')).map((e) => e.mapping.sheet))];
      try {
        setChecking('Checking the workspace…');
        await ioWorker().setExisting(await props.session.importContext(idSheets));
        const results = await ioWorker().check(list, proxy((label: string, fraction: number) => {
          if (run === checkRun) setChecking(`Checking ${label}… ${Math.round(fraction * 100)}%`);
        }));
        if (run === checkRun) setChecked({ entries: key, results });
      } catch (err) {
        if (run === checkRun) setCheckError(`This import cannot be read: ${(err as Error).message}`);
      } finally {
        if (run === checkRun) setChecking(null);
      }
    }, 250);
  }));

  /** The check of the current table, when it is part of the batch and the check is current. */
  const checkOf = (c: Choice | undefined): Checked | undefined => {
    const done = checked();
    if (!c || !done || done.entries !== JSON.stringify(entries())) return undefined;
    const at = entries().findIndex((e) => e.id === c.info.id);
    return at < 0 ? undefined : done.results[at];
  };
  const totalProblems = (): number | undefined => {
    const done = checked();
    return done && done.entries === JSON.stringify(entries()) ? done.results.reduce((n, r) => n + r.problemCount, 0) : undefined;
  };

  const setSheet = async (sheet: Target) => {
    const c = choice();
    update({ mapping: await ioWorker().remap(c.info.id, sheet), include: true });
  };

  const setTarget = (col: number, value: string) => {
    const c = choice();
    const targets = [...c.mapping.targets];
    targets[col] = value === SKIP ? null : value;
    update({ mapping: { ...c.mapping, targets } });
  };

  const run = async () => {
    const chosen = choices().filter((c) => c.include);
    const staged: StagedSheet[] = [];
    let settings: Record<string, unknown> | null = null;
    let problems = 0, rows = 0;
    try {
      checkRun++; // a check still running is not wanted any more
      const chunks: StagedChunk[][] = chosen.map(() => []);
      setPhase({ kind: 'running', label: `Reading ${chosen[0]?.info.label ?? ''}`, fraction: 0, rows: 0 });
      const results = await ioWorker().stageAll(chosen.map(entryOf),
        proxy((at: number, chunk: StagedChunk) => { chunks[at].push(chunk); }),
        proxy((at: number, fraction: number, n: number) => setPhase({ kind: 'running', label: `Reading ${chosen[at].info.label}`, fraction, rows: n })));
      results.forEach((r, at) => {
        const c = chosen[at];
        rows += r.rows;
        problems += r.problemCount;
        if (c.mapping.sheet === 'settings') settings = { ...(settings ?? {}), ...r.settings };
        else staged.push({ sheet: c.mapping.sheet as SheetName, mode: c.mode, chunks: chunks[at] });
      });
    } catch (err) {
      setError(`Nothing was imported: ${(err as Error).message}`);
      setPhase({ kind: 'map' });
      return;
    }
    // Every file was read: now the document changes.
    await props.session.applyImport(staged, settings, (done, total) => setPhase({ kind: 'running', label: 'Writing to the workbook', fraction: done / total, rows }));
    setPhase({ kind: 'done', message: `Imported ${rows.toLocaleString('en-US')} rows${problems ? `, with ${problems.toLocaleString('en-US')} problem${problems === 1 ? '' : 's'} to review` : ''}.` });
  };

  const cellProblem = (rowIndex: number, column: string) => {
    const pv = preview();
    const fileRow = pv?.rowNumbers[rowIndex];
    return pv?.problems.find((p) => p.key === fileRow && p.column === column)?.message;
  };

  return (
    <div class="io-backdrop" role="dialog" aria-modal="true" aria-label="Import" data-testid="import-dialog">
      <div class="io-dialog">
        <header class="io-dialog-head">
          <b>Import</b>
          <span class="grow" />
          <Show when={phase().kind !== 'running'}><button type="button" onClick={() => props.onClose()}>Close</button></Show>
        </header>
        <Show when={error()}><div class="io-error" role="alert" data-testid="import-error">{error()}</div></Show>

        <Show when={phase().kind === 'pick' || phase().kind === 'map'}>
          <div class="io-pick">
            <label class="io-file">CSV or XLSX files <input type="file" multiple accept=".csv,.tsv,.txt,.xlsx,.xlsm" data-testid="import-file" onChange={(e) => pick(e.currentTarget.files)} /></label>
            <label class="io-file">A folder of CSV files <input type="file" {...{ webkitdirectory: true }} onChange={(e) => pick(e.currentTarget.files)} /></label>
            <label>Encoding <select value={encoding()} onChange={(e) => { setEncoding(e.currentTarget.value as Encoding | ''); if (files.length) void inspect(); }}>
              <option value="">detect</option>
              <For each={ENCODINGS}>{(x) => <option value={x}>{x.toUpperCase()}</option>}</For>
            </select></label>
            <label>Delimiter <select value={delimiter()} onChange={(e) => { setDelimiter(e.currentTarget.value as Delimiter | ''); if (files.length) void inspect(); }}>
              <option value="">detect</option><option value=",">comma</option><option value=";">semicolon</option><option value={'\t'}>tab</option>
            </select></label>
          </div>
        </Show>

        <Show when={phase().kind === 'map' && choice()}>
          <div class="io-tables">
            <For each={choices()}>
              {(c, i) => (
                <button type="button" class="io-table-tab" classList={{ active: i() === current(), off: !c.include }} onClick={() => setCurrent(i())}>
                  {c.info.label} → {c.include ? c.mapping.sheet : 'not imported'}
                </button>
              )}
            </For>
          </div>
          <div class="io-table-opts">
            <label><input type="checkbox" checked={choice().include} onChange={(e) => update({ include: e.currentTarget.checked })} /> Import</label>
            <label>into <select value={choice().mapping.sheet} data-testid="import-sheet" onChange={(e) => void setSheet(e.currentTarget.value as Target)}>
              <For each={TARGETS}>{(t) => <option value={t}>{t}</option>}</For>
            </select></label>
            <label><input type="radio" name="io-mode" checked={choice().mode === 'add'} onChange={() => update({ mode: 'add' })} /> add to the sheet</label>
            <label><input type="radio" name="io-mode" checked={choice().mode === 'replace'} data-testid="import-replace" onChange={() => update({ mode: 'replace' })} /> replace the sheet</label>
            <span class="muted small">{choice().info.info}{choice().info.guessed ? '' : ' · sheet not recognised: choose one'}</span>
          </div>
          <Show when={choice().mapping.profile && choice().info.profile}>
            <div class="io-profile" data-testid="import-profile">Recognised as <b>{choice().info.profile}</b>: its columns are mapped and its values typed; every mapping below can still be changed.</div>
          </Show>
          <div class="io-preview">
            <table data-testid="import-preview">
              <thead>
                <tr>
                  <Index each={choice().info.header}>
                    {(h, col) => (
                      <th>
                        <div class="io-src">{h()}</div>
                        <select value={choice().mapping.targets[col] ?? SKIP} onChange={(e) => setTarget(col, e.currentTarget.value)} data-testid={`map-${col}`}>
                          <option value={SKIP}>(leave out)</option>
                          <Show when={!columnsOf(choice().mapping.sheet).includes(h())}><option value={h()}>keep as "{h()}"</option></Show>
                          <Show when={(() => { const t = choice().mapping.targets[col]; return t !== null && t !== h() && !columnsOf(choice().mapping.sheet).includes(t); })()}>
                            <option value={choice().mapping.targets[col]!}>keep as "{choice().mapping.targets[col]}"</option>
                          </Show>
                          <For each={columnsOf(choice().mapping.sheet)}>{(name) => <option value={name}>{name}</option>}</For>
                        </select>
                      </th>
                    )}
                  </Index>
                </tr>
              </thead>
              <tbody>
                <For each={preview()?.rows ?? []}>
                  {(row, r) => (
                    <tr>
                      <Index each={choice().info.header}>
                        {(_, col) => {
                          const target = () => choice().mapping.targets[col];
                          const value = () => { const t = target(); return t === null ? undefined : (row as Record<string, unknown>)[t]; };
                          const problem = () => { const t = target(); return t ? cellProblem(r(), t) : undefined; };
                          return <td classList={{ 'io-bad': !!problem(), 'io-off': target() === null }} title={problem() ?? ''}>{value() === undefined ? '' : String(value())}</td>;
                        }}
                      </Index>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <div class="io-check" data-testid="import-check">
            <Show when={checkError()}><div class="io-error small" data-testid="check-error">{checkError()}</div></Show>
            <Show when={checkOf(choice())} fallback={<span class="muted small">{checking() ?? (choice().include ? '' : 'Not imported: not checked')}</span>}>
              {(r) => (
                <>
                  <div><b>Whole file: {plural(r().rows, 'row')} · <span data-testid="check-problems">{plural(r().problemCount, 'problem')}</span></b>
                    {Object.keys(r().problemColumns).length ? <span class="muted small"> ({Object.entries(r().problemColumns).map(([col, n]) => `${col} ${n.toLocaleString('en-US')}`).join(', ')})</span> : ''}</div>
                  <For each={Object.entries(r().references).map(([col, m]) => describeMatches(col, m))}>{(line) => <div class="small" data-testid="check-references">{line}</div>}</For>
                </>
              )}
            </Show>
          </div>
          <div class="io-foot">
            <span class="muted small" data-testid="preview-problems">
              {preview() ? `${preview()!.rows.length} rows shown` : ''}
              {choice().mapping.idFrom >= 0 && !choice().mapping.targets.includes('id') ? ` · ids taken from "${choice().info.header[choice().mapping.idFrom]}"` : ''}
              {totalProblems() !== undefined && entries().length > 1 ? ` · all files: ${plural(totalProblems()!, 'problem')}` : ''}
            </span>
            <span class="grow" />
            <button type="button" class="primary" data-testid="import-run" disabled={!choices().some((c) => c.include) || props.session.readOnly} onClick={() => void run()}>Import</button>
          </div>
        </Show>

        <Show when={phase().kind === 'running' ? (phase() as Extract<Phase, { kind: 'running' }>) : null} keyed>
          {(p) => (
            <div class="io-progress" data-testid="import-progress">
              <div>{p.label} · {p.rows.toLocaleString('en-US')} rows</div>
              <progress max="1" value={p.fraction} />
              <Show when={p.label.startsWith('Reading')}><button type="button" onClick={() => void ioWorker().cancel()}>Cancel</button></Show>
            </div>
          )}
        </Show>

        <Show when={phase().kind === 'done' ? (phase() as Extract<Phase, { kind: 'done' }>) : null} keyed>
          {(p) => <div class="io-done" data-testid="import-done">{p.message} <button type="button" class="primary" onClick={() => props.onClose()}>Done</button></div>}
        </Show>
      </div>
    </div>
  );
}

// The notice for edits replaced by someone else's at the same time (web/state/conflicts.ts): it
// names the cell (sheet, row id, column) and both values, with one action to put this person's
// value back (an ordinary, undoable edit that everyone receives) and one to show the cell.

import { For, Show } from 'solid-js';
import type { Session } from '../state/session';
import type { CellConflict } from '../state/conflicts';
import type { Link } from './Panels';

/** Conflicts listed one by one; beyond this the notice counts the rest. */
const LISTED = 3;

const shown = (v: unknown): string => (v === null || v === undefined || v === '' ? '(blank)' : typeof v === 'string' ? `“${v}”` : String(v));

export function ConflictNotice(props: { session: Session; onLink: (l: Link) => void }) {
  const rowId = (c: CellConflict): string => {
    const id = props.session.wb.readRow(c.sheet, c.rowKey)?.id;
    return typeof id === 'string' && id !== '' ? id : 'a row without id';
  };
  return (
    <Show when={props.session.conflicts().length > 0}>
      <div class="conflict-notice" role="alert" data-testid="conflict-notice">
        <For each={props.session.conflicts().slice(-LISTED)}>
          {(c) => (
            <div class="conflict" data-testid="conflict" data-sheet={c.sheet} data-column={c.column}>
              <span>
                Your edit of <button type="button" class="link" onClick={() => props.onLink({ sheet: c.sheet, key: c.rowKey, col: c.column })}
                  title="Show the cell"><b>{c.sheet} {rowId(c)} · {c.column}</b></button> was replaced by a change made at the same time elsewhere:
                {' '}yours <b data-testid="conflict-mine">{shown(c.mine)}</b>, now <b data-testid="conflict-theirs">{shown(c.theirs)}</b>.
              </span>
              <Show when={!props.session.readOnly}>
                <button type="button" class="primary" data-testid="keep-mine" onClick={() => props.session.keepMine(c)}>Restore mine</button>
              </Show>
              <button type="button" data-testid="dismiss-conflict" onClick={() => props.session.dismissConflict(c)}>Keep theirs</button>
            </div>
          )}
        </For>
        <Show when={props.session.conflicts().length > LISTED}>
          <div class="muted small">…and {props.session.conflicts().length - LISTED} more edits replaced the same way (the oldest).</div>
        </Show>
      </div>
    </Show>
  );
}

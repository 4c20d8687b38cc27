// The workspace sessions open in this page. A route shows one workspace; a scenario's route also
// needs its baseline's session, because a scenario is read over its baseline's document and its
// results come from the baseline's worker (one engine: worker/scenario/sides.ts). Keeping the
// baseline's session open across the route change from a workspace to its new scenario is what
// makes forking instant: nothing is loaded again.
//
// Invariant: at most one baseline session is open (the one the current route needs); a scenario
// session belongs to the view that shows it.

import { Session } from './session';
import type { WorkspaceEntry } from './workspaces';

let open: Session | null = null;

/** The session of a (non-scenario) workspace: the one already open, or a new one. Any other is closed. */
export function baselineSession(entry: WorkspaceEntry): Session {
  if (open && open.entry.id === entry.id && !open.isDestroyed) return open;
  open?.destroy();
  open = new Session(entry);
  return open;
}

/** Closes the open session (the page shows the workspace list). */
export function closeSessions(): void {
  open?.destroy();
  open = null;
}

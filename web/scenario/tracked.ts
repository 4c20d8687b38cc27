// A scenario's change list as a Solid signal, recomputed (at most once a frame) after transactions
// of either document: the scenario's own edits, and the baseline's, which change "now" values and
// conflicts.

import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { scenarioChanges, type ScenarioChanges } from '../../worker/scenario/changes';
import type { ScenarioSession } from './session';

export function trackChanges(session: ScenarioSession): Accessor<ScenarioChanges> {
  const empty: ScenarioChanges = { sheets: [], settings: [], count: 0 };
  const [changes, setChanges] = createSignal<ScenarioChanges>(session.loaded() ? scenarioChanges(session.layered) : empty);
  let queued = false;
  const recompute = (): void => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      if (session.loaded()) setChanges(scenarioChanges(session.layered));
    });
  };
  const docs = [session.doc, session.baseline.doc];
  for (const d of docs) d.on('afterTransaction', recompute);
  onCleanup(() => { for (const d of docs) d.off('afterTransaction', recompute); });
  void session.whenLoaded.then(recompute);
  return changes;
}

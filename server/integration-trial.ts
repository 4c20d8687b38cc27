// Trial integration of an update in a worker thread, for the rare updates
// whose estimated integration cost is above the inline bound (see
// validate-update.ts). Decoding is already bounded by the pre-validation;
// what can still be slow is YATA's conflict resolution, which depends on the
// room's current content. So the worker loads the room's state, applies the
// update, and must finish within `timeoutMs` and a heap limit. If it does,
// the main thread applies the same update to the same state: its cost is the
// one just measured. If not, the update is refused and the room never saw it.
//
// A worker per trial costs tens of milliseconds to start; trials are rare
// (big updates with thousands of items at one position), so that is fine.
// One trial runs at a time in the whole process (each may take its heap
// limit: concurrent trials took the relay to 2.1 GB); a few more wait their
// turn, and past that a trial is refused as busy (the peer reconnects).

import { Worker } from 'node:worker_threads';

export interface TrialLimits {
  /** Time allowed for applying the update, after the state is loaded. */
  timeoutMs: number;
  /** Time allowed for loading the room's state in the worker. */
  loadTimeoutMs: number;
  maxHeapMb: number;
}

export type TrialResult = { ok: true; millis: number } | { ok: false; reason: 'timeout' | 'failed' | 'busy' };

const WORKER_URL = new URL('./integration-trial.worker.mjs', import.meta.url);

/** Trials waiting for the one that runs. */
const MAX_WAITING = 4;
let running: Promise<unknown> = Promise.resolve();
let waiting = 0;

/**
 * Tries an update in a worker, one trial at a time. `state` is asked for only when the trial's turn
 * comes, so a waiting trial holds no copy of the room.
 */
export async function trialIntegration(state: () => Uint8Array, update: Uint8Array, limits: TrialLimits): Promise<TrialResult> {
  if (waiting >= MAX_WAITING) return { ok: false, reason: 'busy' };
  waiting++;
  const turn = running.then(() => {
    waiting--;
    return runTrial(state(), update, limits);
  });
  running = turn.catch(() => undefined);
  return turn;
}

function runTrial(state: Uint8Array, update: Uint8Array, limits: TrialLimits): Promise<TrialResult> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { state, update },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
      stdout: true,
      stderr: true,
    });
    // Output is captured so it cannot interleave with the relay's log; drain it.
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (result: TrialResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    let timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), limits.loadTimeoutMs);
    worker.on('message', (message: { type: string; millis?: number }) => {
      if (message.type === 'loaded') {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), limits.timeoutMs);
      } else if (message.type === 'applied') {
        finish({ ok: true, millis: message.millis ?? 0 });
      }
    });
    worker.on('error', () => finish({ ok: false, reason: 'failed' }));
    worker.on('exit', () => finish({ ok: false, reason: 'failed' }));
  });
}

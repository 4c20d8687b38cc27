// Worker for server/integration-trial.ts (plain JS so it runs under node,
// tsx and vitest alike). Loads the room's state, reports 'loaded', then
// applies the candidate update and reports how long that took. The parent
// enforces the time limit (by terminating us) and the heap limit (through
// resourceLimits); everything here is allowed to be slow or to blow up.

import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

const doc = new Y.Doc();
Y.applyUpdate(doc, workerData.state);
parentPort.postMessage({ type: 'loaded' });
const started = performance.now();
Y.applyUpdate(doc, workerData.update);
parentPort.postMessage({ type: 'applied', millis: performance.now() - started });

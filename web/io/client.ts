// The page's handle on the io worker: started on first use, shared by the import dialog and the
// export menu.

import { wrap, type Remote } from 'comlink';
import type { IoWorkerApi } from './io-worker';

let remote: Remote<IoWorkerApi> | null = null;

export function ioWorker(): Remote<IoWorkerApi> {
  remote ??= wrap<IoWorkerApi>(new Worker(new URL('./io-worker.ts', import.meta.url), { type: 'module' }));
  return remote;
}

// The reconciliation Web Worker's entry: exposes the API (api.ts) with comlink. The main thread
// reaches it through client.ts.

import { expose } from 'comlink';
import { createReckonService } from './service';

expose(createReckonService());

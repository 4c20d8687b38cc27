// The worker service behind node:worker_threads, as worker.ts puts it behind a Web Worker.
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createReckonService } from '../../worker/service';

expose(createReckonService(), nodeEndpoint(parentPort!));

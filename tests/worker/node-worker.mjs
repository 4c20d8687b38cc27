// Starts node-worker.ts in a worker thread: registers tsx's loader first (a worker does not
// inherit the loader vitest runs the tests with).
import { register } from 'tsx/esm/api';

register();
await import('./node-worker.ts');

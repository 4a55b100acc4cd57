// Runs in a worker thread: the rollups of an SQLite file on a connection of their own, so their seconds of
// synchronous SQLite work on a busy site do not stop request handling. The rollup code is TypeScript, so
// tsx's loader is registered for this thread before it is imported.
import { register } from 'tsx/esm/api';

register();
await import('./rollup-worker-main.ts');

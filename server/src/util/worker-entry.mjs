// Every worker thread of the server starts here (util/worker-thread.ts): the thread's own module is
// TypeScript, loaded through tsx's API, since a thread started inside Vitest has no tsx loader.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);

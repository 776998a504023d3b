// Entry of the plan worker (plan-worker-body.ts is what it does). fs-ext keeps V8 handles in C++ statics
// and resets them whenever it is loaded, i.e. it touches the handles of the thread that loaded it before
// (the console's). So the worker loads it only while the console's thread waits for it (worker-client.ts):
// "ready" → the console blocks and says go → fs-ext is loaded → the console goes on (about a millisecond).
// The same statics are why a process gets one plan worker for its whole life: loading fs-ext again after
// the thread that last loaded it is gone crashes the process.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

/** Slots of the shared flags: GO (the console waits), LOADED (fs-ext is loaded here). */
export const GO = 0;
export const LOADED = 1;

const flags = (workerData as { flags?: Int32Array } | null)?.flags;
if (flags) {
  parentPort!.postMessage({ boot: 'ready' });
  Atomics.wait(flags, GO, 0);
}
try {
  createRequire(import.meta.url)('fs-ext');
} finally {
  if (flags) {
    Atomics.store(flags, LOADED, 1);
    Atomics.notify(flags, LOADED);
  }
}
await import('./plan-worker-body.js');

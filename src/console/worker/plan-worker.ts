// Entry of the plan worker (plan-worker-body.ts is what it does). It must never take a lock: fs-ext keeps
// V8 handles in C++ statics and may be loaded in one thread only (see lock.ts); the console's thread holds
// the lock of a write while this thread does its I/O.
await import('./plan-worker-body.js');

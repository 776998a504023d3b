// Entry of the plan worker (plan-worker-body.ts is what it does). It must never take a lock: fs-ext keeps
// V8 handles in C++ statics and may be loaded in one thread only (see lock.ts); the console's thread holds
// the lock of a write while this thread does its I/O.
import { lowerThisThread } from './thread-priority.js';

// Before its modules load: the console's thread draws its first frames while this one still works (thread-priority.ts).
lowerThisThread();
await import('./plan-worker-body.js');

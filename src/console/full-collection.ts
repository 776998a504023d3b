// V8's full collection of the calling thread's heap, for the code that collects at a moment of its own choosing: the
// plan worker around and between its reads (worker/plan-worker-body.ts), the console's thread after a big refresh
// (quiet-collect.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let found: (() => void) | null | undefined;

/**
 * V8's full collection of this thread's heap (`--expose-gc` set, then `gc` read from a new context, which is given it),
 * or null when it cannot be had (then the garbage goes at the next collection V8 makes itself). Found once a thread:
 * each look made a new context (a global object and its builtins) for a function that never changes.
 */
export function fullCollection(): (() => void) | null {
  if (found === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as unknown;
      found = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      found = null;
    }
  }
  return found;
}

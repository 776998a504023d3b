// V8's full collection of the calling thread's heap, for the code that collects at a moment of its own choosing: the
// plan worker around and between its reads (worker/plan-worker-body.ts), the console's thread after a big refresh
// (quiet-collect.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { v8FlagForAMoment } from './node-args.js';

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

/**
 * A full collection under V8's `--optimize-for-size`, set for its length only (left alone when the process was started
 * with it): V8 then also moves the objects off its most fragmented old-space pages (a few MB), so the pages a change's
 * garbage left part free are given back, where a plain collection frees their objects and keeps the pages. For the
 * console's quiet collection (quiet-collect.ts): at 100 000 beads its keys child's peak about 5 MiB lower (docs/speed.md). V8's flags are the process's: a collection
 * the plan worker finishes meanwhile is bounded the same way.
 * Null when V8's collection cannot be had. `setFlags`: V8's (a test's records them).
 */
export function compactingCollection(
  collect: (() => void) | null = fullCollection(),
  setFlags?: (flags: string) => void,
): (() => void) | null {
  if (!collect) return null;
  return () => {
    const restore = v8FlagForAMoment('optimize-for-size', true, undefined, setFlags);
    try {
      collect();
    } finally {
      restore();
    }
  };
}

// The heap memory a piece of code allocates, garbage included, or of it what stays alive: V8's sampling heap profiler
// (through the inspector, in this thread), with or without the objects the young and the full collections freed. A sample every 512 bytes,
// so a count is within a few per cent of the bytes allocated; what else runs in the thread meanwhile is counted too.
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

function total(node: ProfileNode): number {
  let n = node.selfSize;
  for (const c of node.children) n += total(c);
  return n;
}

/** `fn`'s value, and the bytes of the heap allocated while it ran (sampled). */
export function allocatedBy<T>(fn: () => T | Promise<T>): Promise<{ value: T; bytes: number }> {
  return sampled(fn, true);
}

/** `fn`'s value, and the bytes of the heap it allocated that are still alive after a full collection once it returned. */
export function retainedBy<T>(fn: () => T | Promise<T>): Promise<{ value: T; bytes: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return sampled(async () => {
    const value = await fn();
    gc();
    return value;
  }, false);
}

async function sampled<T>(fn: () => T | Promise<T>, collectedToo: boolean): Promise<{ value: T; bytes: number }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: collectedToo,
      includeObjectsCollectedByMinorGC: collectedToo,
    } as never);
    let value: T;
    let head: ProfileNode;
    try {
      value = await fn();
    } finally {
      head = ((await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } }).profile.head;
    }
    return { value, bytes: total(head) };
  } finally {
    session.disconnect();
  }
}

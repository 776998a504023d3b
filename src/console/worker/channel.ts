// The plan worker of this process (plan-worker.ts), one per script, and the line to it: requests go out by id,
// replies come back to the handler registered for that id. Unref'd while idle; a worker that died is not
// replaced (its clients work in-process). It never takes a lock (fs-ext stays on this thread, see lock.ts):
// writes are sent to it while this thread holds their lock.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { v8FlagForAMoment } from '../node-args.js';
import type { WorkerReply } from './worker-protocol.js';

export interface Channel {
  worker: Worker | null;
  /** It runs: from here on, a write sent to it may have started. */
  online: boolean;
  dead: Error | null;
  /** Reply handlers of the requests in flight, by request id (ids are unique in the process). */
  handlers: Map<number, (m: WorkerReply) => void>;
  onDeath: Set<(e: Error) => void>;
}

// On globalThis: a module evaluated twice in one process (a test runner's fresh module registry) must still
// find the worker it started, and never reuse a request id.
const registry = globalThis as { [k: symbol]: { channels: Map<string, Channel>; nextId: number } | undefined };
const KEY = Symbol.for('gc-tui.plan-worker');
const shared = (registry[KEY] ??= { channels: new Map(), nextId: 1 });

/**
 * The worker's young generation, in MB (V8 makes two semi-spaces of a third of it each): 48 by default, whose two
 * 16 MiB semi-spaces stayed committed, mostly empty, through both of the console's memory peaks at 100 000 beads.
 * At 12 (4 MiB semi-spaces) the worker collects its young objects more often, for a peak about 30 MiB lower; at 6
 * (2 MiB semi-spaces: half the new space, which at 12 stayed 8.4 MB committed through a change's read, plan and
 * packing, where that memory peaks) the console's memory in use at 100 000 beads was about 8 MiB lower again
 * (docs/speed.md). Tried at 6 once
 * before, it made the outside change slower when that took 1.6 s; it takes about 0.5 s now, and was not told apart.
 * Its own: the main thread's is the one bin/gc-tui sets (workerYoungGeneration).
 */
const WORKER_YOUNG_GENERATION_MB = 6;

/** A request id no other request of this process has. */
export function nextRequestId(): number {
  return shared.nextId++;
}

/** dist/plan-worker.js next to this code (the build puts every file at the top of dist/), when running from the build (not from TypeScript sources). */
export function defaultWorkerUrl(): URL | null {
  if (!import.meta.url.endsWith('.js')) return null;
  const url = new URL('./plan-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** The channel to the worker at `url`: started on first use, dead (with why) when it could not start or exited. */
export function channelFor(url: URL): Channel {
  const known = shared.channels.get(url.href);
  if (known) return known;
  const c: Channel = { worker: null, online: false, dead: null, handlers: new Map(), onDeath: new Set() };
  shared.channels.set(url.href, c);
  const die = (e: Error) => {
    if (c.dead) return;
    c.dead = e;
    c.worker = null;
    c.handlers.clear();
    for (const f of [...c.onDeath]) f(e);
  };
  try {
    if (url.protocol === 'file:' && !existsSync(fileURLToPath(url))) throw new Error(`no plan worker at ${fileURLToPath(url)}`);
    workerYoungGeneration();
    const restore = withoutMemoryReducer();
    let w: Worker;
    try {
      w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    } catch (e) {
      restore();
      throw e;
    }
    w.once('online', restore);
    w.once('exit', restore);
    w.on('online', () => {
      c.online = true;
    });
    w.on('message', (m: WorkerReply) => c.handlers.get(m.id)?.(m));
    w.on('error', (e) => die(e));
    w.on('exit', (code) => die(new Error(`the plan worker exited (code ${code})`)));
    w.unref();
    c.worker = w;
  } catch (e) {
    c.dead = e instanceof Error ? e : new Error(String(e));
  }
  return c;
}

/**
 * The worker's young generation is the one its resourceLimits give it (WORKER_YOUNG_GENERATION_MB), whatever bin/gc-tui
 * held the main thread's at (`--max-semi-space-size`): V8 reads that flag as each heap is made, the worker's included,
 * and a flag set overrides the limits. 0 is V8's own "not set".
 */
function workerYoungGeneration(): void {
  setFlagsFromString('--max-semi-space-size=0');
}

/**
 * The worker's heap is made without V8's memory reducer: the flag is read as each heap is made (on the worker's
 * thread, before it is online), so it is off only while the worker starts, and the main thread's own reducer (which
 * shrinks the settled console's heap) stays. The reducer's job on the worker is done already by its own collections
 * after the first read (plan-worker-body.ts collect); left on, its two collections came some 8 s after them, marking
 * the worker's whole live heap (the read's beads) to free almost nothing: about 0.1 s of CPU each, in the console's
 * first idle seconds (docs/speed.md). Returns the restore, which runs once; a process started with the reducer off
 * keeps it off.
 */
function withoutMemoryReducer(): () => void {
  return v8FlagForAMoment('memory-reducer', false);
}

/** Keep the process alive while a request is in flight, not while the worker idles. */
export function holdProcess(c: Channel): void {
  if (c.handlers.size > 0) c.worker?.ref();
  else c.worker?.unref();
}

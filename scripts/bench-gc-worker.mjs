/* global process, performance, URL */
// The plan worker of the bench's console child (scripts/bench.mjs, consoleChild): the bench build's own worker, with
// this thread's full collections told to the child on a channel of their own, so that its idle figure can tell
// V8's memory reducer (its one-time shrinking of each thread's heap after a read) from the console's own work.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { BroadcastChannel } from 'node:worker_threads';

const told = new BroadcastChannel('gc-tui-bench-gc');
told.unref();
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      told.postMessage({ thread: 'worker', flags: e.detail.flags, at: performance.timeOrigin + e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });
await import(new URL('plan-worker.js', process.env.GC_TUI_BENCH_API).href);

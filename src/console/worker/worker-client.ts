// The console's side of the plan worker (plan-worker.ts): the Jobs interface (jobs.ts) run in a worker
// thread, so a 100 000-bead read, plan or approval no longer freezes keys, scrolling and the clock. Three
// parts: the worker and the line to it (channel.ts), the order of the jobs, their locks and the fallback to
// this thread (queue.ts), and what each job sends and receives (codec.ts). Here, the jobs themselves.
import type { Edition } from '../../engine/index.js';
import type { Decision, Plan, Repair, State } from '../../engine/types.js';
import {
  inProcessJobs,
  type ApplyJobOptions,
  type ApplyResult,
  type DecideResult,
  type Jobs,
  type LocalJobs,
  type LoadOptions,
  type LoadResult,
  type PlanOptions,
  underLock,
} from '../jobs.js';
import { decisionLockPath } from '../../store/decisions.js';
import { lockTimeoutMs } from '../../store/fs/lock.js';
import { lockPathOf } from '../../store/fs/paths.js';
import type { Loaded, Source } from '../../store/types.js';
import { defaultWorkerUrl } from './channel.js';
import { StateCodec } from './codec.js';
import { JobQueue } from './queue.js';

export { defaultWorkerUrl } from './channel.js';

export interface JobsOptions {
  /**
   * true (default): the built worker when there is one and GC_TUI_WORKER is not "0"; false: this thread;
   * a URL: that worker script.
   */
  worker?: boolean | URL;
  /** A custom reader (tests): implies this thread, since a function cannot go to a worker. */
  load?: (source: Source) => Promise<Loaded>;
}

export function createJobs(opts: JobsOptions = {}): Jobs {
  const local = inProcessJobs(opts.load);
  if (opts.load || opts.worker === false) return local;
  const url = opts.worker instanceof URL ? opts.worker : process.env.GC_TUI_WORKER === '0' ? null : defaultWorkerUrl();
  return url ? new WorkerJobs(url, local) : local;
}

export class WorkerJobs implements Jobs {
  readonly kind = 'worker' as const;
  private readonly queue: JobQueue;
  private readonly codec = new StateCodec();

  constructor(
    url: URL,
    private readonly fallback: LocalJobs,
  ) {
    this.queue = new JobQueue(url);
  }

  /** Whether the work goes to the worker thread (false once it could not start or died). */
  get usingWorker(): boolean {
    return this.queue.usingWorker;
  }

  load(source: Source, now: () => Date, opts: LoadOptions = {}): Promise<LoadResult> {
    const { progress, rules, glance } = opts;
    return this.queue.enqueue({
      ...this.codec.load(source, now, rules, glance !== undefined, opts.untilDrawn === true),
      key: opts.latest ? `load ${JSON.stringify(source)}` : null,
      rerunnable: true,
      progress,
      glance,
      local: () => this.fallback.load(source, now, { progress, rules, glance }),
    });
  }

  plan(state: State, now: Date, opts: PlanOptions = {}): Promise<Plan> {
    const { progress, edition } = opts;
    return this.queue.enqueue({
      ...this.codec.plan(state, now, edition),
      key: opts.latest ? 'plan' : null,
      rerunnable: true,
      progress,
      local: () => this.fallback.plan(state, now, { progress, edition }),
    });
  }

  apply(source: Source, repairs: Repair[], opts: ApplyJobOptions): Promise<ApplyResult> {
    // The lock is taken on this thread when the job starts, and held while the worker (or the fallback) writes:
    // the clock is read then (the codec's build, or underLock), not when the job was queued.
    return this.queue.enqueue({
      ...this.codec.apply(source, repairs, opts),
      key: null,
      rerunnable: false,
      lock: { path: lockPathOf(source), timeoutMs: opts.timeoutMs ?? lockTimeoutMs() },
      local: () => this.fallback.applyLocked(source, repairs, underLock(opts), () => this.queue.unlockActive()),
    });
  }

  decide(source: Source, decision: Decision, base: State | null, now: () => Date, edition?: Edition): Promise<DecideResult> {
    // As for apply: the clock is read once the lock is held (the codec's build, or the local run), not when queued.
    return this.queue.enqueue({
      ...this.codec.decide(source, decision, base, now, edition),
      key: null,
      rerunnable: false,
      lock: { path: decisionLockPath(source), timeoutMs: lockTimeoutMs() },
      local: () => this.fallback.decideLocked(source, decision, base, now(), () => this.queue.unlockActive(), edition),
    });
  }

  firstLookDrawn(): void {
    this.queue.firstLookDrawn();
  }

  consoleQuiet(): void {
    this.queue.consoleQuiet();
  }

  /**
   * Stop using the worker: queued work is dropped, a read or plan in flight is abandoned (its result is
   * ignored), a write in flight is let finish. The worker itself stays for the process.
   */
  close(): Promise<void> {
    return this.queue.close();
  }
}

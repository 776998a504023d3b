// The console's side of the plan worker (plan-worker.ts): the Jobs interface (jobs.ts) run in a worker
// thread, so a 100 000-bead read, plan or approval no longer freezes keys, scrolling and the clock.
// - One worker; requests go one at a time, in order. A refresh or re-plan still waiting to be sent is
//   replaced by a newer one of the same kind (only the latest matters); both callers get the newer result.
// - A write (apply, decide) takes its flock on this thread only when its turn comes, and releases it once the
//   worker says the write is done ('planning') or replies: waiting in the queue behind a refresh holds no
//   lock, so Gas City's controller is not blocked meanwhile. Writes go ahead of reads and plans still
//   waiting, never ahead of another write.
// - Results come back as chunked-clone packs and are unpacked a slice per event-loop turn, in order.
// - States the worker produced are referred to by id, so a patrol re-plan sends no beads.
// - When the worker cannot start or dies, the work falls back to this thread (inProcessJobs): reads and
//   plans are re-run; a write that may have started is reported as failed (the caller re-reads).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Decision, Plan, Repair, State } from '../../engine/types.js';
import { pack, unpack } from './chunked-clone.js';
import { applyAndPlan, decideAndPlan, inProcessJobs, type ApplyResult, type DecideResult, type Jobs, type LoadResult, type Stage } from '../jobs.js';
import { decisionLockPath } from '../../store/decisions.js';
import { acquireFileLock, lockTimeoutMs } from '../../store/fs/lock.js';
import { lockPathOf } from '../../store/fs/paths.js';
import type { Loaded, Source } from '../../store/types.js';
import type { ApplyOptions } from '../../store/write.js';
import type { StateRef, WorkerError, WorkerReply, WorkerRequest } from './worker-protocol.js';

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Body = OmitEach<WorkerRequest, 'id'>;

interface Pending {
  id: number;
  /** Requests of the same key that are not sent yet are superseded by the newest. */
  key: string | null;
  /** Reads and plans can be re-run in this thread; a write that may have started cannot. */
  rerunnable: boolean;
  build(full: boolean): { body: Body; transfer: ArrayBuffer[] };
  decode(value: unknown, stateId: number | undefined): Promise<unknown> | unknown;
  local(): Promise<unknown>;
  progress?: (stage: Stage) => void;
  waiters: { resolve(v: unknown): void; reject(e: unknown): void }[];
  /** Sent with the State itself after a `missing` reply. */
  full: boolean;
  /** A write: the flock taken on this thread when the job starts, held until its reply (or failure). */
  lock?: { path: string; timeoutMs?: number };
  /** Whether `lock` was taken (it may be released already: a write on disk, being planned). */
  acquired?: boolean;
  /** The release of `lock` while it is held. */
  release?: () => void;
}

function errorFrom(e: WorkerError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code) (err as Error & { code?: string }).code = e.code;
  return err;
}

/** dist/console/worker/plan-worker.js next to this file, when running from the build (not from TypeScript sources). */
export function defaultWorkerUrl(): URL | null {
  if (!import.meta.url.endsWith('.js')) return null;
  const url = new URL('./plan-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

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

/**
 * The plan worker of this process, one per script, unref'd when idle. A worker that died is not replaced:
 * its clients work in-process. It never takes a lock (fs-ext stays on this thread, see lock.ts): writes are
 * sent to it while this thread holds their lock.
 */
interface Channel {
  worker: Worker | null;
  online: boolean;
  dead: Error | null;
  /** Reply handlers of the requests in flight, by request id (ids are unique in the process). */
  handlers: Map<number, (m: WorkerReply) => void>;
  onDeath: Set<(e: Error) => void>;
}

// On globalThis: a module evaluated twice in one process (a test runner's fresh module registry) must still
// find the worker it started.
const registry = globalThis as { [k: symbol]: { channels: Map<string, Channel>; nextId: number } | undefined };
const KEY = Symbol.for('gc-tui.plan-worker');
const shared = (registry[KEY] ??= { channels: new Map(), nextId: 1 });
const channels = shared.channels;

function channelFor(url: URL): Channel {
  const known = channels.get(url.href);
  if (known) return known;
  const c: Channel = { worker: null, online: false, dead: null, handlers: new Map(), onDeath: new Set() };
  channels.set(url.href, c);
  const die = (e: Error) => {
    if (c.dead) return;
    c.dead = e;
    c.worker = null;
    c.handlers.clear();
    for (const f of [...c.onDeath]) f(e);
  };
  try {
    if (url.protocol === 'file:' && !existsSync(fileURLToPath(url))) throw new Error(`no plan worker at ${fileURLToPath(url)}`);
    const w = new Worker(url);
    w.on('online', () => {
      c.online = true; // it runs: from here on, a write sent to it may have started
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

/** Keep the process alive while a request is in flight, not while the worker idles. */
function holdProcess(c: Channel): void {
  if (c.handlers.size > 0) c.worker?.ref();
  else c.worker?.unref();
}

export class WorkerJobs implements Jobs {
  readonly kind = 'worker' as const;
  private channel: Channel | null = null;
  private closed = false;
  private queue: Pending[] = [];
  private active: Pending | null = null;
  /** Whether `active` was posted to the worker (else it runs in this thread). */
  private activeSent = false;
  private decoding: Promise<void> = Promise.resolve();
  /** States that came from the worker (or were built from one), by the worker's id. */
  private known = new WeakMap<State, number>();
  private readonly onDeath = (e: Error) => this.die(e);

  constructor(
    private readonly url: URL,
    private readonly fallback: Jobs,
  ) {}

  /** Whether the work goes to the worker thread (false once it could not start or died). */
  get usingWorker(): boolean {
    return this.start() !== null;
  }

  private start(): Worker | null {
    if (!this.channel) {
      this.channel = channelFor(this.url);
      this.channel.onDeath.add(this.onDeath);
    }
    return this.channel.dead ? null : this.channel.worker;
  }

  private die(e: Error): void {
    const p = this.active;
    if (p && this.activeSent) {
      this.active = null;
      this.activeSent = false;
      // Re-run first (in this thread), still under the lock it holds, if any.
      if (p.rerunnable || !this.channel?.online) this.queue.unshift(p);
      else {
        this.unlock(p);
        for (const w of p.waiters) w.reject(new Error(`${e.message}; the write may or may not have happened`));
      }
    }
    this.pump();
  }

  /** The active job's write is on disk (this thread's fallback): its lock is no longer needed. */
  private unlockActive(): void {
    if (this.active) this.unlock(this.active);
  }

  private unlock(p: Pending): void {
    const release = p.release;
    p.release = undefined;
    release?.();
  }

  private ref(): (state: State) => StateRef {
    return (state) => {
      const id = this.known.get(state);
      return id !== undefined ? { ref: id } : { packed: pack(state).packed };
    };
  }

  private enqueue<T>(p: Omit<Pending, 'id' | 'waiters' | 'full'>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the console is closing'));
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { ...p, id: shared.nextId++, full: false, waiters: [{ resolve: resolve as (v: unknown) => void, reject }] };
      if (entry.key !== null) {
        const i = this.queue.findIndex((q) => q.key === entry.key);
        if (i >= 0) {
          entry.waiters.unshift(...this.queue[i].waiters);
          this.queue.splice(i, 1);
        }
      }
      if (entry.lock) {
        // A write goes ahead of the reads and plans still waiting (not of an earlier write): the operator waits
        // on it, and a read queued before it would be stale anyway.
        const i = this.queue.findIndex((q) => !q.lock);
        if (i >= 0) this.queue.splice(i, 0, entry);
        else this.queue.push(entry);
      } else this.queue.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    if (this.active || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    this.active = p;
    this.activeSent = false;
    if (p.lock && !p.acquired) {
      // The write's turn: only now take its lock (on this thread; the worker never loads fs-ext).
      acquireFileLock(p.lock.path, { timeoutMs: p.lock.timeoutMs }).then(
        (release) => {
          if (this.active !== p) {
            release(); // dropped by close() meanwhile
            return;
          }
          p.acquired = true;
          p.release = release;
          this.run(p);
        },
        (e: unknown) => {
          if (this.active !== p) return;
          this.active = null;
          for (const w of p.waiters) w.reject(e);
          this.pump();
        },
      );
      return;
    }
    this.run(p);
  }

  /** Start the active job `p`: in the worker, or in this thread when there is none. */
  private run(p: Pending): void {
    const worker = this.closed ? null : this.start();
    if (!worker) {
      this.activeSent = false;
      const settle = (ok: boolean, v: unknown) => {
        if (this.active === p) this.active = null;
        this.unlock(p);
        for (const w of p.waiters) (ok ? w.resolve : w.reject)(v);
        this.pump();
      };
      // Keep the order of results: after whatever is still being unpacked.
      this.decoding = this.decoding.then(() => p.local().then((v) => settle(true, v), (e: unknown) => settle(false, e)));
      return;
    }
    this.activeSent = true;
    this.post(worker, p);
  }

  private post(worker: Worker, p: Pending): void {
    const c = this.channel!;
    let msg: { body: Body; transfer: ArrayBuffer[] };
    try {
      msg = p.build(p.full);
    } catch (e) {
      this.active = null;
      this.activeSent = false;
      this.unlock(p);
      for (const w of p.waiters) w.reject(e);
      this.pump();
      return;
    }
    c.handlers.set(p.id, (m) => this.onReply(p, m));
    holdProcess(c);
    worker.postMessage({ ...msg.body, id: p.id } as WorkerRequest, msg.transfer);
  }

  private onReply(p: Pending, m: WorkerReply): void {
    const c = this.channel!;
    if ('progress' in m) {
      // A write says 'planning' once it is on disk: the plan of what was written needs no lock.
      if (m.progress === 'planning') this.unlock(p);
      if (this.active === p) p.progress?.(m.progress);
      return;
    }
    if (!m.ok && 'missing' in m) {
      p.full = true;
      if (c.worker && this.active === p) this.post(c.worker, p);
      else c.handlers.delete(p.id);
      return;
    }
    c.handlers.delete(p.id);
    holdProcess(c);
    // The write is on disk (or failed): release its lock now, before the result is unpacked.
    this.unlock(p);
    if (this.active !== p) return; // dropped by close()
    this.active = null;
    this.activeSent = false;
    if (m.ok) p.progress?.('receiving');
    this.decoding = this.decoding.then(async () => {
      try {
        if (!m.ok) throw errorFrom(m.error);
        const v = await p.decode(await unpack(m.packed), m.stateId);
        for (const w of p.waiters) w.resolve(v);
      } catch (e) {
        for (const w of p.waiters) w.reject(e);
      }
    });
    this.pump();
  }

  load(source: Source, now: () => Date, opts: { progress?: (stage: Stage) => void; latest?: boolean } = {}): Promise<LoadResult> {
    const { progress } = opts;
    return this.enqueue<LoadResult>({
      key: opts.latest ? `load ${JSON.stringify(source)}` : null,
      rerunnable: true,
      progress,
      build: () => ({ body: { op: 'load', source, now: now().getTime() }, transfer: [] }),
      decode: (v, stateId) => {
        const r = v as LoadResult;
        if (stateId !== undefined) this.known.set(r.loaded.state, stateId);
        return r;
      },
      local: () => this.fallback.load(source, now, { progress }),
    });
  }

  plan(state: State, now: Date, opts: { progress?: (stage: Stage) => void; latest?: boolean } = {}): Promise<Plan> {
    const { progress } = opts;
    const ref = this.ref();
    return this.enqueue<Plan>({
      key: opts.latest ? 'plan' : null,
      rerunnable: true,
      progress,
      build: (full) => ({ body: { op: 'plan', state: full ? { packed: pack(state).packed } : ref(state), now: now.getTime() }, transfer: [] }),
      decode: (v) => v as Plan,
      local: () => this.fallback.plan(state, now, { progress }),
    });
  }

  apply(source: Source, repairs: Repair[], opts: ApplyOptions): Promise<ApplyResult> {
    // The lock is taken on this thread when the job starts, and held while the worker (or the fallback) writes.
    return this.enqueue<ApplyResult>({
      key: null,
      rerunnable: false,
      lock: { path: lockPathOf(source), timeoutMs: opts.timeoutMs ?? lockTimeoutMs() },
      build: () => ({
        body: { op: 'apply', source, repairs, opts: { now: opts.now.getTime(), by: opts.by, note: opts.note, action: opts.action, batch: opts.batch } },
        transfer: [],
      }),
      decode: (v, stateId) => {
        const r = v as ApplyResult;
        if (stateId !== undefined) this.known.set(r.result.state, stateId);
        return r;
      },
      local: () => applyAndPlan(source, repairs, opts, () => this.unlockActive()),
    });
  }

  decide(source: Source, decision: Decision, base: State | null, now: Date): Promise<DecideResult> {
    const ref = this.ref();
    return this.enqueue<DecideResult>({
      key: null,
      rerunnable: false,
      lock: { path: decisionLockPath(source), timeoutMs: lockTimeoutMs() },
      build: (full) => ({
        body: { op: 'decide', source, decision, base: base ? (full ? { packed: pack(base).packed } : ref(base)) : null, now: now.getTime() },
        transfer: [],
      }),
      decode: (v, stateId) => {
        const r = v as { decisions: Decision[]; plan: Plan | null };
        const state = base ? { ...base, decisions: r.decisions } : null;
        if (state && stateId !== undefined) this.known.set(state, stateId);
        return { decisions: r.decisions, state, plan: r.plan };
      },
      local: () => decideAndPlan(source, decision, base, now, () => this.unlockActive()),
    });
  }

  /**
   * Stop using the worker: queued work is dropped, a read or plan in flight is abandoned (its result is
   * ignored), a write in flight is let finish. The worker itself stays for the process (see Channel).
   */
  async close(): Promise<void> {
    this.closed = true;
    const dropped = this.queue.splice(0);
    for (const p of dropped) for (const w of p.waiters) w.reject(new Error('the console is closing'));
    const p = this.active;
    if (p && p.lock && !p.acquired) {
      // A write still waiting for its lock has not started: drop it like the queued work.
      this.active = null;
      for (const w of p.waiters) w.reject(new Error('the console is closing'));
    } else if (p && !p.rerunnable) {
      await new Promise<void>((res) => p.waiters.push({ resolve: () => res(), reject: () => res() }));
    } else if (p) {
      this.active = null;
      this.activeSent = false;
      const c = this.channel;
      if (c) {
        c.handlers.delete(p.id);
        holdProcess(c);
      }
      for (const w of p.waiters) w.reject(new Error('the console is closing'));
    }
    this.channel?.onDeath.delete(this.onDeath);
  }
}

// The order of a client's jobs on the plan worker (channel.ts), what each job sends is its codec's (codec.ts):
// - One job at a time, in order. A read or re-plan still waiting to be sent is replaced by a newer one of the
//   same key (only the latest matters); both callers get the newer result.
// - A write takes its flock on this thread only when its turn comes, and releases it once the worker says the
//   write is done ('planning') or replies: waiting in the queue behind a refresh holds no lock, so Gas City's
//   controller is not blocked meanwhile. Writes go ahead of reads and plans still waiting, never ahead of
//   another write.
// - Results come back as chunked-clone packs and are unpacked a slice per event-loop turn, in order; a result's
//   slices arrive as the worker packs them and are unpacked meanwhile, used only once the result is whole.
// - When the worker cannot start or dies, the work falls back to this thread: reads and plans are re-run; a
//   write that may have started is reported as failed (the caller re-reads).
// - The console saying its first look is drawn is no job: it goes to the worker at once (firstLookDrawn).
import type { Worker } from 'node:worker_threads';
import type { Stage } from '../jobs.js';
import type { Glance } from '../glance.js';
import { acquireFileLock } from '../../store/fs/lock.js';
import { channelFor, holdProcess, nextRequestId, type Channel } from './channel.js';
import { consoleEntries, detailForms } from './bead-info-slim.js';
import { MemoOutOfStep, PackedStream, PackMemo, unpack } from './chunked-clone.js';
import { errorFrom, type Codec } from './codec.js';
import type { FirstLookDrawn, ConsoleQuiet, WorkerReply, WorkerRequest } from './worker-protocol.js';

/** How long a result may take to unpack before the status line says so. */
export const SAY_RECEIVING_AFTER_MS = 100;

/** One job: what it sends and decodes, and how it runs on this thread instead. */
export interface Job<T> extends Codec<T> {
  /** Jobs of the same key that are not sent yet are superseded by the newest. */
  key: string | null;
  /** Reads and plans can be re-run in this thread; a write that may have started cannot. */
  rerunnable: boolean;
  /** A write: the flock taken on this thread when the job starts, held until its reply (or failure). */
  lock?: { path: string; timeoutMs?: number };
  progress?: (stage: Stage) => void;
  /** A load's first look (glance.ts), when the worker sends one ahead of the result. */
  glance?: (glance: Glance) => void;
  /** The same job on this thread (the worker could not start, or died). */
  local(): Promise<T>;
}

interface Pending extends Job<unknown> {
  id: number;
  waiters: { resolve(v: unknown): void; reject(e: unknown): void }[];
  /** Sent with the State itself after a `missing` reply. */
  full: boolean;
  /** Whether `lock` was taken (it may be released already: a write on disk, being planned). */
  acquired?: boolean;
  /** The release of `lock` while it is held. */
  release?: () => void;
  /** The result's slices received so far, being unpacked (from its first slice to its reply). */
  stream?: PackedStream<unknown>;
  /** Says 'receiving' once the result has taken long enough to unpack. */
  receiving?: NodeJS.Timeout;
}

const ignore = () => undefined;

export class JobQueue {
  private channel: Channel | null = null;
  private closed = false;
  private queue: Pending[] = [];
  private active: Pending | null = null;
  /** Whether `active` was posted to the worker (else it runs in this thread). */
  private activeSent = false;
  private decoding: Promise<void> = Promise.resolve();
  private readonly onDeath = (e: Error) => this.die(e);
  /** Who this queue is to the worker, and what it was last sent (chunked-clone.ts). */
  private readonly client = nextRequestId();
  private readonly memo = new PackMemo(consoleEntries, detailForms);
  /** The memo was lost (a reply that could not be unpacked): the next request says so. */
  private memoLost = false;

  constructor(private readonly url: URL) {}

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
      this.dropStream(p, e);
      // Re-run first (in this thread), still under the lock it holds, if any.
      if (p.rerunnable || !this.channel?.online) this.queue.unshift(p);
      else {
        this.unlock(p);
        for (const w of p.waiters) w.reject(new Error(`${e.message}; the write may or may not have happened`));
      }
    }
    this.pump();
  }

  /** A result partly received is given up (the job is re-run, or dropped). */
  private dropStream(p: Pending, e: Error): void {
    p.stream?.fail(e);
    p.stream = undefined;
    clearTimeout(p.receiving);
  }

  /**
   * This console's first look is on screen: told to the worker at once, not queued behind the read whose reply waits
   * for it. Nothing to tell a worker never started or dead (the work runs on this thread then).
   */
  firstLookDrawn(): void {
    const c = this.channel;
    if (c?.worker && !c.dead) c.worker.postMessage({ drawn: true, client: this.client } satisfies FirstLookDrawn);
  }

  /** The console is quiet after a big refresh's views were made (ConsoleQuiet, quiet-collect.ts): the worker may collect. */
  consoleQuiet(): void {
    const c = this.channel;
    if (c?.worker && !c.dead) c.worker.postMessage({ consoleQuiet: true } satisfies ConsoleQuiet);
  }

  /** The active job's write is on disk (its local run says so): its lock is no longer needed. */
  unlockActive(): void {
    if (this.active) this.unlock(this.active);
  }

  private unlock(p: Pending): void {
    const release = p.release;
    p.release = undefined;
    release?.();
  }

  enqueue<T>(job: Job<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the console is closing'));
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        ...(job as Job<unknown>),
        id: nextRequestId(),
        full: false,
        waiters: [{ resolve: resolve as (v: unknown) => void, reject }],
      };
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
      this.decoding = this.decoding.then(() =>
        p.local().then(
          (v) => settle(true, v),
          (e: unknown) => settle(false, e),
        ),
      );
      return;
    }
    this.activeSent = true;
    this.post(worker, p);
  }

  private post(worker: Worker, p: Pending): void {
    const c = this.channel!;
    let body;
    try {
      body = p.build(p.full);
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
    const fresh = this.memoLost;
    this.memoLost = false;
    worker.postMessage({ ...body, id: p.id, client: this.client, ...(fresh ? { fresh } : {}) } as WorkerRequest);
  }

  private onReply(p: Pending, m: WorkerReply): void {
    const c = this.channel!;
    if ('part' in m) {
      if (this.active !== p) return; // dropped by close()
      if (!p.stream) {
        // Unpacked after whatever is still being unpacked, as the parts come.
        p.stream = new PackedStream(this.memo, this.decoding);
        this.decoding = p.stream.value.then(ignore, ignore);
        // Said only when unpacking takes long enough to notice: the status line's frame would otherwise cost
        // the result more time than the text saves the operator (a small refresh unpacks in a few milliseconds).
        p.receiving = setTimeout(() => p.progress?.('receiving'), SAY_RECEIVING_AFTER_MS);
      }
      p.stream.push(m.part);
      return;
    }
    if ('glance' in m) {
      if (this.active === p) p.glance?.(m.glance);
      return;
    }
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
    // A result with no big collection comes whole with the reply (as 'part' above, 'receiving' only if slow).
    const stream = p.stream;
    const receiving = stream ? p.receiving : m.ok ? setTimeout(() => p.progress?.('receiving'), SAY_RECEIVING_AFTER_MS) : undefined;
    if (stream) {
      if (m.ok) stream.end(m.packed);
      else stream.fail(errorFrom(m.error));
    }
    this.decoding = this.decoding.then(async () => {
      try {
        if (!m.ok) throw errorFrom(m.error);
        const v = p.decode(await (stream ? stream.value : unpack(m.packed, this.memo)), m.stateId);
        for (const w of p.waiters) w.resolve(v);
      } catch (e) {
        if (m.ok || e instanceof MemoOutOfStep) {
          // Whatever of the memo is left may not be what the worker thinks we hold: both start afresh.
          this.memo.collections.clear();
          this.memoLost = true;
        }
        for (const w of p.waiters) w.reject(e);
      } finally {
        clearTimeout(receiving);
      }
    });
    this.pump();
  }

  /**
   * Stop: queued work is dropped, a read or plan in flight is abandoned (its result is ignored), a write in
   * flight is let finish. The worker itself stays for the process (see channel.ts).
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
      this.dropStream(p, new Error('the console is closing'));
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

// What travels to the plan worker and back, per job: the request (dates as epoch milliseconds, States as
// chunked-clone packs, or by id when the worker produced them, so a patrol re-plan sends no beads) and how a
// reply's value becomes the job's result. The queue (queue.ts) sends and unpacks; this only shapes.
import type { Edition } from '../../engine/index.js';
import type { Decision, Plan, Repair, State } from '../../engine/types.js';
import type { RulesChoice } from '../../store/rules.js';
import type { ApplyJobOptions, ApplyResult, DecideResult, LoadResult } from '../jobs.js';
import type { Source, StaleRepair } from '../../store/types.js';
import { pack } from './chunked-clone.js';
import { keptPlan } from './slot-places.js';
import type { StateRef, WorkerError, WorkerRequest } from './worker-protocol.js';

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request without its id and sender (the queue adds them when it is sent). */
export type Body = OmitEach<WorkerRequest, 'id' | 'client' | 'fresh'>;

export interface Codec<T> {
  /** The request; `full` sends States themselves (after the worker said it no longer holds one). */
  build(full: boolean): Body;
  /** The job's result from the reply's unpacked value and the id of the State it carries. */
  decode(value: unknown, stateId: number | undefined): T;
}

/** The Error a failed reply stands for. */
export function errorFrom(e: WorkerError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code) (err as Error & { code?: string }).code = e.code;
  return err;
}

/** The codecs of one client: it remembers which States came from the worker (or were built from one), by id. */
export class StateCodec {
  private known = new WeakMap<State, number>();

  private ref(state: State, full: boolean): StateRef {
    const id = full ? undefined : this.known.get(state);
    return id !== undefined ? { ref: id } : { packed: pack(state).packed };
  }

  private remember(state: State | null, stateId: number | undefined): void {
    if (state && stateId !== undefined) this.known.set(state, stateId);
  }

  /** `untilDrawn` only with `glance`: a big first read's state and plan wait for the console's FirstLookDrawn. */
  load(source: Source, now: () => Date, rules?: RulesChoice, glance = false, untilDrawn = false): Codec<LoadResult> {
    return {
      build: () => ({
        op: 'load',
        source,
        now: now().getTime(),
        rules,
        ...(glance ? { glance } : {}),
        ...(glance && untilDrawn ? { untilDrawn } : {}),
      }),
      decode: (v, stateId) => {
        const r = v as LoadResult;
        this.remember(r.loaded.state, stateId);
        keptPlan(r.plan, r.loaded.state);
        return r;
      },
    };
  }

  plan(state: State, now: Date, edition?: Edition): Codec<Plan> {
    return {
      build: (full) => ({ op: 'plan', state: this.ref(state, full), now: now.getTime(), edition }),
      decode: (v) => keptPlan(v as Plan, state),
    };
  }

  /** Built once the queue holds the write's lock: the clock is read then, once. */
  apply(source: Source, repairs: Repair[], opts: ApplyJobOptions): Codec<ApplyResult> {
    let now: number | undefined;
    return {
      build: () => ({
        op: 'apply',
        source,
        repairs,
        opts: {
          now: (now ??= opts.now().getTime()),
          by: opts.by,
          note: opts.note,
          action: opts.action,
          batch: opts.batch,
          edition: opts.edition,
        },
      }),
      decode: (v, stateId) => {
        const r = v as ApplyResult;
        this.remember(r.result.state, stateId);
        keptPlan(r.plan, r.result.state);
        return r;
      },
    };
  }

  /** Built once the queue holds the decisions lock: the clock is read then, once (a resend keeps it). */
  decide(source: Source, decision: Decision, base: State | null, now: () => Date, edition?: Edition): Codec<DecideResult> {
    let at: number | undefined;
    return {
      build: (full) => {
        at ??= now().getTime();
        return { op: 'decide', source, decision, base: base ? this.ref(base, full) : null, now: at, edition };
      },
      decode: (v, stateId) => {
        // Only the decisions and the plan travel: the state is the base with these decisions, built here (a stale
        // decision's state, the input as read for its check, travels too).
        const r = v as { stale: StaleRepair | null; decisions: Decision[]; plan: Plan | null; state?: State };
        const state = r.state ?? (base ? { ...base, decisions: r.decisions } : null);
        this.remember(state, stateId);
        if (r.plan && state) keptPlan(r.plan, state);
        return { stale: r.stale, decisions: r.decisions, at: at!, state, plan: r.plan };
      },
    };
  }
}

// Messages between the console (worker-client.ts, codec.ts) and the plan worker (plan-worker.ts). Dates travel as
// epoch milliseconds; States and Plans as chunked-clone packs (big ones would freeze the receiving thread).
import type { Edition } from '../../engine/index.js';
import type { Decision, Repair } from '../../engine/types.js';
import type { RulesChoice } from '../../store/rules.js';
import type { Packed, PackedPart } from './chunked-clone.js';
import type { Stage } from '../jobs.js';
import type { Glance } from '../glance.js';
import type { AuditEntry, Source } from '../../store/types.js';

/** A State the worker already holds (it produced it: a read, a write, a decision), or the State itself. */
export type StateRef = { ref: number } | { packed: Packed };

/**
 * Which console sent a request (a process can have several: tests), so the worker packs its reply against that
 * console's memo (chunked-clone.ts); `fresh` when the console lost its memo (the worker then forgets its own).
 */
interface From {
  client: number;
  fresh?: boolean;
}

export type WorkerRequest = From &
  /**
   * `glance`: send the result's first look (glance.ts) as soon as it is planned, then the state and the plan.
   * `untilDrawn`: the console says when it has drawn that look (FirstLookDrawn): a big first read's state and plan wait for it.
   */
  (| { id: number; op: 'load'; source: Source; now: number; rules?: RulesChoice; glance?: boolean; untilDrawn?: boolean }
    | { id: number; op: 'plan'; state: StateRef; now: number; edition?: Edition }
    | {
        id: number;
        op: 'apply';
        source: Source;
        repairs: Repair[];
        opts: { now: number; by: string; note?: string; action?: AuditEntry['action']; batch?: string; edition?: Edition };
      }
    | { id: number; op: 'decide'; source: Source; decision: Decision; base: StateRef | null; now: number; edition?: Edition }
  );

export interface WorkerError {
  name: string;
  message: string;
  code?: string;
}

export type WorkerReply =
  | { id: number; progress: Stage }
  /** A load's first look, ahead of its result. */
  | { id: number; glance: Glance }
  /** A slice of the result, sent as soon as it is packed (the ok reply that ends the result follows). */
  | { id: number; part: PackedPart }
  /** `stateId` names the State in the result (load: loaded.state, apply: result.state, decide: base + decisions). */
  | { id: number; ok: true; packed: Packed; stateId?: number }
  | { id: number; ok: false; error: WorkerError }
  /** The StateRef is no longer held: send the State itself. */
  | { id: number; ok: false; missing: true };

/** A console's first look is on screen. Not a request: the worker takes it outside its queue, as the first read waits for it. */
export interface FirstLookDrawn {
  drawn: true;
  client: number;
}

/**
 * A console's refresh is on screen, its other views' rows are made and the console is quiet: the worker has nothing of
 * it to do until the next change, and collects its heap now if that change left enough (plan-worker-body.ts whenIdle).
 * Not a request either.
 */
export interface ConsoleQuiet {
  consoleQuiet: true;
}

/** What the console sends the worker. */
export type ToWorker = WorkerRequest | FirstLookDrawn | ConsoleQuiet;

/** The warm-up after the first read ran to its end: tests wait for it; no request has id 0, so no console hears it. */
export interface WarmedUp {
  id: 0;
  warmedUp: true;
}

/** A big refresh collected this thread's heap before its read (plan-worker-body.ts beforeBigRefresh): tests wait for it. */
export interface CollectedBeforeRead {
  id: 0;
  collectedBeforeRead: true;
}

/** The worker collected its heap once a console's views were made (plan-worker-body.ts whenIdle): tests wait for it. */
export interface CollectedWhenIdle {
  id: 0;
  collectedWhenIdle: true;
}

/** The first read's reply waits for console `heldFor` to say its first look is drawn: tests wait for it, as for WarmedUp. */
export interface HeldForDrawn {
  id: 0;
  heldFor: number;
}

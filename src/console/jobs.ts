// The console's heavy work, behind one interface: read + plan (a refresh), re-plan (the patrol timer),
// a locked apply + the plan of what was written (an approval), a recorded decision + its plan (reject,
// reopen). Locks are always taken on the calling (main) thread; the work under them may run in the worker. At 100 000 beads each takes seconds. `inProcessJobs` does it on the calling thread (tests, the
// headless paths, and the fallback); worker-client.ts runs the same functions in a worker thread so the
// console keeps handling keys meanwhile. Semantics are the store's own: nothing here decides anything.
import { plan as planState, type DetectedEdition, type Edition } from '../engine/index.js';
import type { Decision, Plan, Repair, State } from '../engine/types.js';
import { decisionLockPath, recordDecisionUnderLock } from '../store/decisions.js';
import { withFileLock } from '../store/fs/lock.js';
import { lockPathOf } from '../store/fs/paths.js';
import { editionOf, type RulesChoice } from '../store/rules.js';
import { assertWritableSource, loadSource } from '../store/source.js';
import type { CityBeadsRead } from '../store/formats/load-city.js';
import { StoreRereads } from '../store/formats/store-reread.js';
import { formatZ } from '../store/time.js';
import type { Loaded, Source, StaleRepair, StoreDocument, WriteResult } from '../store/types.js';
import {
  applyRepairsUnderLock,
  checkDecision,
  keptCityBasis,
  keptReadBasis,
  type ApplyOptions,
  type PlanJudgment,
  type WriteBasisPlan,
} from '../store/write.js';
import { glanceOf, type Glance } from './glance.js';

/** What a refresh is doing, for the status line. */
export type Stage = 'reading' | 'planning' | 'receiving';

export interface LoadResult {
  loaded: Loaded;
  plan: Plan;
  /** The time the plan is for (ms since epoch): the clock once the read is done. */
  at: number;
  /** The rule edition the plan follows (the load's `rules` choice on what was read), and why. */
  rules: DetectedEdition;
}

export interface ApplyResult {
  result: WriteResult;
  /** The plan of `result.state` at the time of the write. */
  plan: Plan;
  /** The time of the write (ms since epoch): the clock read once the lock was held, as in `updated_at` and the audit. */
  at: number;
}

/**
 * An approval's options: the store's (write.ts), but `now` is the console's clock, read once the lock is held, so
 * `updated_at` and the audit line's `time` say when the write happened, not when it was asked for (another writer
 * may hold the lock for seconds meanwhile). The basis is the jobs' own last read (see Reads), not the caller's.
 */
export type ApplyJobOptions = Omit<ApplyOptions, 'now' | 'basis'> & { now: () => Date };

export interface DecideResult {
  /**
   * Set when nothing was recorded: what the decision was judged against no longer holds on disk (checkDecision).
   * `state` and `plan` are then the input as read for that check and its plan, not `base`.
   */
  stale: StaleRepair | null;
  /** Every decision now on disk. */
  decisions: Decision[];
  /** The time of the write (ms since epoch): the clock read once the lock was held, the decision's `at`. */
  at: number;
  /** `base` with those decisions, and its plan (null without a base). */
  state: State | null;
  plan: Plan | null;
}

export interface Jobs {
  readonly kind: 'worker' | 'in-process';
  /**
   * Read the input and plan it as of `now()` once the read is done. With `latest`, a read of the same input
   * still waiting behind other work is replaced by this one (both callers get this one's result).
   */
  load(source: Source, now: () => Date, opts?: LoadOptions): Promise<LoadResult>;
  /** Plan a state already on screen (the patrol timer) under `edition` (default 2026-05); with `latest`, as for `load`. */
  plan(state: State, now: Date, opts?: PlanOptions): Promise<Plan>;
  /**
   * `applyRepairsLocked` (flock, re-read, re-plan, compare-and-set, rename, audit), then plan what was written;
   * `opts.now()` is read under the lock. A store file still byte for byte the last read of these jobs is neither
   * read nor planned again: that read and its plan are the write's basis (see Reads).
   */
  apply(source: Source, repairs: Repair[], opts: ApplyJobOptions): Promise<ApplyResult>;
  /**
   * Under its lock, `checkDecision` and, when what it was judged against still holds on disk, `recordDecision`, then
   * `base` with the decisions on disk and its plan under `edition` (a stale one records nothing: see DecideResult).
   * `now()` is read once the lock is held: it is the decision's `at` (whatever `decision.at` was) and the plan's time.
   */
  decide(source: Source, decision: Decision, base: State | null, now: () => Date, edition?: Edition): Promise<DecideResult>;
  close(): Promise<void>;
}

export interface LoadOptions {
  progress?: (stage: Stage) => void;
  latest?: boolean;
  /** Which rules to plan under (`auto`, the default: as the input shows; see src/store/rules.ts). */
  rules?: RulesChoice;
  /** What was read, before it is planned (the plan worker sends it on meanwhile). */
  read?: (loaded: Loaded) => void;
  /**
   * The first look at the result (glance.ts), as soon as it is planned: the plan worker sends it ahead of the read's
   * state and plan (and then sends those after it, not the state ahead of the plan).
   */
  glance?: (glance: Glance) => void;
}

export interface PlanOptions {
  progress?: (stage: Stage) => void;
  latest?: boolean;
  edition?: Edition;
}

/** The jobs of this thread, with the work of a write once its lock is held (the worker's, and the fallback's). */
export interface LocalJobs extends Jobs {
  readonly kind: 'in-process';
  /** An approval whose lock the caller holds (applyAndPlan), with the last read as its basis when it is the input's. */
  applyLocked(source: Source, repairs: Repair[], opts: ApplyOptions, written?: () => void): Promise<ApplyResult>;
  /** A decision whose lock the caller holds (decideAndPlan), with the last read as its basis when it is the input's. */
  decideLocked(source: Source, d: Decision, base: State | null, now: Date, written?: () => void, edition?: Edition): Promise<DecideResult>;
}

/**
 * The console's reads: a store file read again parses only the beads whose text changed, and an unchanged bead
 * is the object of the last read (so the plan worker's reply need not compare it). The last read of a store file
 * and its latest plan are also the basis of the next approval or decision (write.ts): under the lock, a file still
 * byte for byte what was read is neither read nor planned again. Nothing is copied for it: the text is the one the
 * re-read keeps for the next read, the document and state those of the read. So is the last read of a city gc-tui
 * writes itself (its `.gc/beads.json`): kept as the SHA-256 of the bytes parsed and what they parsed to (the read's
 * own beads), and the same when the bytes under the lock have that digest and city.toml and the decisions are equal.
 */
class Reads {
  private readonly rereads = new StoreRereads();
  private last: (WriteBasisPlan & { plan: PlanJudgment }) | null = null;
  /** The `.gc/beads.json` read of the city `load` read last (its digest and what it parsed to: no copy of its bytes). */
  private city: { source: Source; read: CityBeadsRead } | null = null;

  readonly load = (source: Source): Promise<Loaded> => {
    this.forget(); // the text it holds may be replaced by this read's
    return loadSource(source, this.rereads, (read) => (this.city = { source, read }));
  };

  /** `loaded`, read by `load` just now, planned at `now` under `edition`: the basis of the next write, for a store or a city written by gc-tui. */
  planned(source: Source, loaded: Loaded, plan: Plan, now: Date, edition: Edition): void {
    const judged = { plan: judgmentOf(plan), now, edition };
    if (source.kind === 'city') {
      // Only a city whose beads are its own `.gc/beads.json` (not a capture, not read through gc) is kept by the read.
      const city = this.city;
      this.city = null;
      if (city?.source === source && !source.beads?.length && city.read.file.beads === loaded.state.beads)
        this.last = { read: keptCityBasis(source, city.read, loaded.state), ...judged };
      return;
    }
    const kept = this.rereads.peek(source.path)?.lastValid();
    const doc = kept?.doc as StoreDocument | undefined;
    if (!kept || !doc || doc.beads !== loaded.state.beads) return;
    this.last = { read: keptReadBasis(source, kept.text, doc, loaded.state), ...judged };
  }

  /** A later plan of the last read's state (the patrol's): the basis's plan from now on. */
  replanned(state: State, plan: Plan, now: Date, edition: Edition | undefined): void {
    if (this.last?.read.state === state) this.last = { ...this.last, plan: judgmentOf(plan), now, edition };
  }

  /** The basis of a write to `source`: the last read, when it was of that input. */
  basisFor(source: Source): WriteBasisPlan | undefined {
    const read = this.last?.read.source;
    if (read?.kind === 'store') return source.kind === 'store' && read.path === source.path ? this.last! : undefined;
    const city = read?.kind === 'city' && source.kind === 'city' && read.dir === source.dir && !source.beads?.length;
    return city ? this.last! : undefined;
  }

  /** The input was written: what was read is no longer what is on disk. */
  forget(): void {
    this.last = null;
    this.city = null;
  }
}

/** What a write judges by of `plan` (write.ts PlanJudgment): kept instead of the plan, whose details are most of it. */
function judgmentOf(plan: Plan): PlanJudgment {
  return { repairs: plan.repairs, detail: { rejected: plan.detail.rejected } };
}

export function inProcessJobs(load?: (source: Source) => Promise<Loaded>): LocalJobs {
  // A custom reader (tests) is opaque: its reads are no write's basis.
  const reads = load ? null : new Reads();
  const read = load ?? reads!.load;
  const applyLocked: LocalJobs['applyLocked'] = async (source, repairs, opts, written) => {
    const basis = reads?.basisFor(source);
    const r = await applyAndPlan(source, repairs, basis ? { ...opts, basis } : opts, written);
    if (r.result.applied.length > 0) reads?.forget();
    return r;
  };
  const decideLocked: LocalJobs['decideLocked'] = async (source, decision, base, now, written, edition) => {
    const r = await decideAndPlan(source, decision, base, now, written, edition, reads?.basisFor(source));
    if (!r.stale) reads?.forget();
    return r;
  };
  return {
    kind: 'in-process',
    async load(source, now, { progress, rules = 'auto', read: onRead, glance } = {}) {
      progress?.('reading');
      const loaded = await read(source);
      progress?.('planning');
      const at = now();
      onRead?.(loaded);
      const edition = editionOf(rules, loaded);
      const plan = planState(loaded.state, at, edition.edition);
      reads?.planned(source, loaded, plan, at, edition.edition);
      glance?.(glanceOf(loaded.state, plan, at.getTime(), edition));
      return { loaded, plan, at: at.getTime(), rules: edition };
    },
    async plan(state, now, { progress, edition } = {}) {
      progress?.('planning');
      const plan = planState(state, now, edition);
      reads?.replanned(state, plan, now, edition);
      return plan;
    },
    apply: (source, repairs, opts) =>
      withFileLock(lockPathOf(source), () => applyLocked(source, repairs, underLock(opts)), { timeoutMs: opts.timeoutMs }),
    decide: (source, decision, base, now, edition) =>
      withFileLock(decisionLockPath(source), () => decideLocked(source, decision, base, now(), undefined, edition)),
    applyLocked,
    decideLocked,
    close: () => Promise.resolve(),
  };
}

/** The store's options of an approval whose lock is held now: its clock read once, here. */
export function underLock(opts: ApplyJobOptions): ApplyOptions {
  return { ...opts, now: opts.now() };
}

/**
 * An approval's write and the plan of what was written. The caller holds `lockPathOf(source)` (and read
 * `opts.now` after taking it: underLock); `written` is called once the file and the audit log are written,
 * before the plan (which needs no lock).
 */
export async function applyAndPlan(source: Source, repairs: Repair[], opts: ApplyOptions, written?: () => void): Promise<ApplyResult> {
  assertWritableSource(source); // a city read from a capture or through gc is never written around Gas City
  const result = await applyRepairsUnderLock(source, repairs, opts);
  written?.();
  return { result, plan: planState(result.state, opts.now, opts.edition), at: opts.now.getTime() };
}

/**
 * A decision checked against the input on disk (checkDecision: as an approval is, so one made on an out-of-date view
 * is not recorded), recorded, stamped `now`, then `base` with every decision on disk and its plan. The caller holds
 * `decisionLockPath(source)` (and read its clock after taking it: another writer may have held it for seconds);
 * `written` is called once the decision is on disk (or found stale), before the plan.
 */
export async function decideAndPlan(
  source: Source,
  decision: Decision,
  base: State | null,
  now: Date,
  written?: () => void,
  edition?: Edition,
  basis?: WriteBasisPlan,
): Promise<DecideResult> {
  const at = now.getTime();
  const check = checkDecision(source, decision, now, edition, basis);
  if (check.stale) {
    written?.();
    // The plan of the input as read, made after the lock is released when the check judged by the basis's.
    const plan = check.plan ?? planState(check.state, now, edition);
    return { stale: check.stale, decisions: check.state.decisions ?? [], at, state: check.state, plan };
  }
  const decisions = await recordDecisionUnderLock(source, { ...decision, at: formatZ(now) }, check.read);
  written?.();
  if (!base) return { stale: null, decisions, at, state: null, plan: null };
  const state = { ...base, decisions };
  return { stale: null, decisions, at, state, plan: planState(state, now, edition) };
}

// The console's heavy work, behind one interface: read + plan (a refresh), re-plan (the patrol timer),
// a locked apply + the plan of what was written (an approval), a recorded decision + its plan (reject,
// reopen). Locks are always taken on the calling (main) thread; the work under them may run in the worker. At 100 000 beads each takes seconds. `inProcessJobs` does it on the calling thread (tests, the
// headless paths, and the fallback); worker-client.ts runs the same functions in a worker thread so the
// console keeps handling keys meanwhile. Semantics are the store's own: nothing here decides anything.
import { plan as planState, type DetectedEdition, type Edition, type PlanArrays } from '../engine/index.js';
import type { Decision, Plan, Repair, State } from '../engine/types.js';
import { StringDecoder } from 'node:string_decoder';
import { decisionLockPath, recordDecisionUnderLock, type DecisionWritten } from '../store/decisions.js';
import { bytesAsText } from '../store/fs/read-bounded.js';
import { isJsonRoundTrip } from '../store/formats/json-text.js';
import { stateFromStoreDocument } from '../store/formats/load-store.js';
import { acquireFileLock } from '../store/fs/lock.js';
import { lockPathOf } from '../store/fs/paths.js';
import { editionOf, type RulesChoice } from '../store/rules.js';
import { loadSource } from '../store/source.js';
import { assertWritableSource } from '../store/source-files.js';
import { bytesDigest, type CityBeadsRead } from '../store/formats/load-city.js';
import type { BeadsAt } from '../store/formats/splice-beads.js';
import { StoreRereads } from '../store/formats/store-reread.js';
import { formatZ } from '../store/time.js';
import type { FileBytes, Loaded, Source, StaleRepair, StoreDocument, WriteResult } from '../store/types.js';
import {
  applyRepairsUnderLock,
  checkDecision,
  keptCityBasis,
  keptCityWithDecisions,
  keptReadBasis,
  type ApplyOptions,
  type CityWritten,
  type PlanJudgment,
  type StoreWritten,
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
  /** The console has drawn the first look of a read asked `untilDrawn` (LoadOptions): its state and plan need wait no more. */
  firstLookDrawn(): void;
  /**
   * A refresh's snapshot is on screen, the console's other views' rows are made and it has been quiet a while
   * (quiet-collect.ts): the plan worker, idle until the next change, collects its heap if that change left enough
   * garbage (plan-worker-body.ts whenIdle). Nothing on this thread.
   */
  consoleQuiet(): void;
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
  /**
   * With `glance`: the console draws that look and says so (firstLookDrawn). The plan worker's first read, when big,
   * holds its state and plan back until then: landing while the console mounts and draws, they raised its peak memory.
   */
  untilDrawn?: boolean;
  /** What makes the plan's typed columns (engine/plan-arrays.ts; the plan worker's, which it frees once they are sent). */
  arrays?: PlanArrays;
}

export interface PlanOptions {
  progress?: (stage: Stage) => void;
  latest?: boolean;
  edition?: Edition;
  /** As LoadOptions.arrays. */
  arrays?: PlanArrays;
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
 * What these jobs write to a store file (an approval, a decision) is the next basis in the same way until the next read:
 * its text, document and state, and the plan the console got of it, so a second write before the file watcher's reload
 * is as cheap as the first. So is what an approval writes to such a city, when the write vouches that it is what a read
 * of its bytes gives (write.ts CityWritten: kept as their digest, the file and the state). With a store read the basis
 * also carries what its reader knows of the text: where the beads array is (a decision's write then walks only the text
 * around it) and whether it names no key twice (then not searched).
 */
class Reads {
  private readonly rereads = new StoreRereads();
  /** The basis of the next write; `kept`, a store read's, as its reader knows it (store-reread.ts lastValid). */
  private last: (WriteBasisPlan & { kept?: object }) | null = null;
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
    const reread = this.rereads.peek(source.path);
    const kept = reread?.lastValid();
    const doc = kept?.doc as StoreDocument | undefined;
    if (!reread || !kept || !doc || doc.beads !== loaded.state.beads) return;
    // Where the beads array is in the bytes, once the reader has found it (it does as it is released, after the read).
    const beads = () => reread.beadsAt(kept.read);
    this.last = {
      read: keptReadBasis(source, kept.text, doc, loaded.state, { beads, uniqueKeys: kept.unique }),
      kept: kept.read,
      ...judged,
    };
  }

  /** The read of `source` is answered: its reader keeps only what the next read and write need (store-reread.ts release). */
  released(source: Source): void {
    if (source.kind === 'store') this.rereads.peek(source.path)?.release();
  }

  /** A later plan of the last read's state (the patrol's): the basis's plan from now on. */
  replanned(state: State, plan: Plan, now: Date, edition: Edition | undefined): void {
    if (this.last?.read.state === state) this.last = { ...this.last, plan: judgmentOf(plan), now, edition };
  }

  /**
   * These jobs wrote the store file `source` (an approval, a decision): what they wrote, its state and that state's plan
   * at `now` under `edition` (none when the state is not the one planned) are the basis of the next write, as a read
   * of those bytes would be. Under the lock the file must still be byte for byte what was written (keptReadBasis); the
   * plan holds while no time rule has turned since `now` (write.ts basisPlan).
   */
  wrote(source: Source, w: Written | undefined): void {
    this.forget();
    if (!w || source.kind !== 'store') return;
    const { beads } = w;
    const read = keptReadBasis(source, w.text, w.top, w.state, { uniqueKeys: w.uniqueKeys, ...(beads ? { beads: () => beads } : {}) });
    this.last = { read, now: w.now, edition: w.edition, ...(w.plan ? { plan: w.plan } : {}) };
  }

  /**
   * These jobs wrote the city `source`'s `.gc/beads.json` (an approval): what a read of the bytes written gives (`w`,
   * when the write could vouch for it: write.ts CityWritten, with the digest of those bytes), its state and that state's
   * plan at `now` under `edition` are the basis of the next write, as the city's read was. Under the lock the bytes
   * must still have that digest, and city.toml and the decisions be the ones read with them (keptCityBasis).
   */
  wroteCity(
    source: Source & { kind: 'city' },
    w: (CityWritten & { sha256: string }) | undefined,
    judged: Omit<WriteBasisPlan, 'read'>,
  ): void {
    this.forget();
    if (w && !source.beads?.length) this.last = { read: keptCityBasis(source, { sha256: w.sha256, file: w.file }, w.state), ...judged };
  }

  /**
   * A decision was recorded in `source` from its document as last read (`written.top` holds that read's beads): its write
   * searched that text for a key named twice (or knew it names none), so its reader knows it does not; the next read
   * then searches only what changed (store-reread.ts).
   */
  markSearched(source: Source, written: { top: StoreDocument } | undefined): void {
    const { last } = this;
    if (source.kind === 'store' && last?.kept !== undefined && written && written.top.beads === last.read.extra.beads)
      this.rereads.peek(source.path)?.markUnique(last.kept);
  }

  /**
   * A decision was recorded in the city `source` (in its own decisions file: its beads file is as read): the kept read
   * of the city with the decisions now on disk is the next basis, with the plan the console got of them when that plan
   * is of the kept read's beads and configuration (`r.state`, the console's state with those decisions).
   */
  decidedInCity(source: Source & { kind: 'city' }, r: DecideResult, now: Date, edition: Edition | undefined): void {
    const last = this.basisFor(source);
    this.forget();
    const read = last && keptCityWithDecisions(last.read, r.decisions);
    if (!read) return;
    const kept = last.read.state;
    const same = r.state && r.plan && r.state.beads === kept.beads && r.state.city === kept.city && r.state.demand === kept.demand;
    this.last = { read, now, edition, ...(same ? { plan: judgmentOf(r.plan!) } : {}) };
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

/** A store file as these jobs wrote it (its text, its document), and the plan of its state (see Reads.wrote). */
interface Written {
  text: string;
  top: StoreDocument;
  state: State;
  uniqueKeys: boolean;
  /** Where its beads array is, when the write placed it. */
  beads?: BeadsAt;
  plan?: PlanJudgment;
  now: Date;
  edition?: Edition;
}

/**
 * What a write reports it wrote (`keep`), and its text, decoded once the caller's `written` has released the lock
 * (`released` calls it first; every caller's does: the worker's, its fallback's, and `apply` and `decide` here): 10–40 ms
 * at 100 000 beads that no other writer waits for.
 */
class Capture<W extends { bytes: FileBytes }> {
  got?: W;
  /** A store file's: the text of the bytes written. */
  text: string | null = null;
  /** A city's: the SHA-256 of the bytes written (its kept read is compared by it: keptCityBasis). */
  sha256: string | null = null;
  constructor(
    private readonly source: Source,
    private readonly written?: () => void,
  ) {}
  readonly keep = (w: W): void => {
    this.got = w;
  };
  readonly released = (): void => {
    this.written?.();
    if (this.got && this.source.kind === 'store') this.text = textOf(this.source.path, this.got.bytes);
    else if (this.got) this.sha256 = bytesDigest(this.got.bytes);
  };
}

/**
 * The text of the bytes written to `file` (a part at a time: no second copy of them), or null when it cannot be held.
 * Text written as a string is that string (were it not what its UTF-8 bytes decode to, the next write's comparison
 * of the file with it fails, and that write reads the file).
 */
function textOf(file: string, bytes: FileBytes): string | null {
  if (typeof bytes === 'string') return bytes;
  try {
    if (Buffer.isBuffer(bytes)) return bytesAsText(file, bytes);
    const decoder = new StringDecoder('utf8');
    let text = '';
    for (const part of bytes as readonly Buffer[]) text += decoder.write(part);
    return text + decoder.end();
  } catch {
    return null; // V8's longest string: the next write reads the file
  }
}

/** `state` when it is the state of the store document `top` (stateFromStoreDocument's, field for field), else null. */
function stateOfDocument(state: State | null, top: StoreDocument): State | null {
  if (!state || state.city !== top.city || state.beads !== top.beads || state.decisions !== top.decisions) return null;
  const keys = Object.keys(state);
  return state.demand === top.demand && keys.every((k) => STATE_FIELDS.has(k)) ? state : null;
}
const STATE_FIELDS = new Set(['city', 'beads', 'decisions', 'demand']);

/** What a write judges by of `plan` (write.ts PlanJudgment): kept instead of the plan, whose details are most of it. */
function judgmentOf(plan: Plan): PlanJudgment {
  return { repairs: plan.repairs, detail: { rejected: plan.detail.rejected } };
}

export function inProcessJobs(load?: (source: Source) => Promise<Loaded>): LocalJobs {
  // A custom reader (tests) is opaque: its reads are no write's basis.
  const reads = load ? null : new Reads();
  const read = load ?? reads!.load;
  const applyLocked: LocalJobs['applyLocked'] = async (source, repairs, opts, written) => {
    if (!reads) return applyAndPlan(source, repairs, opts, written);
    const basis = reads.basisFor(source);
    if (source.kind === 'city') {
      const wrote = new Capture<CityWritten>(source, written);
      const r = await applyAndPlan(source, repairs, { ...opts, ...(basis ? { basis } : {}), wroteCity: wrote.keep }, wrote.released);
      if (r.result.applied.length > 0) {
        const w = wrote.got?.state === r.result.state && wrote.sha256 !== null ? { ...wrote.got, sha256: wrote.sha256 } : undefined;
        reads.wroteCity(source, w, { plan: judgmentOf(r.plan), now: opts.now, edition: opts.edition });
      }
      return r;
    }
    const wrote = new Capture<StoreWritten>(source, written);
    const r = await applyAndPlan(source, repairs, { ...opts, ...(basis ? { basis } : {}), wrote: wrote.keep }, wrote.released);
    if (r.result.applied.length > 0) {
      const w = wrote.got?.state === r.result.state && wrote.text !== null ? wrote.got : undefined;
      reads.wrote(source, w && { ...w, text: wrote.text!, plan: judgmentOf(r.plan), now: opts.now, edition: opts.edition });
    }
    return r;
  };
  const decideLocked: LocalJobs['decideLocked'] = async (source, decision, base, now, written, edition) => {
    if (!reads) return decideAndPlan(source, decision, base, now, written, edition);
    if (source.kind === 'city') {
      const r = await decideAndPlan(source, decision, base, now, written, edition, reads.basisFor(source));
      if (!r.stale) reads.decidedInCity(source, r, now, edition);
      return r;
    }
    const wrote = new Capture<DecisionWritten>(source, written);
    const r = await decideAndPlan(source, decision, base, now, wrote.released, edition, reads.basisFor(source), wrote.keep);
    if (!r.stale) {
      reads.markSearched(source, wrote.got);
      const w = wrote.got && wrote.text !== null && isJsonRoundTrip(wrote.got.top.decisions) ? wrote.got : undefined;
      // The state the console gets and its plan, when it is the written document's; else that document's, planned afresh.
      const state = w && stateOfDocument(r.state, w.top);
      const plan = state && r.plan ? { plan: judgmentOf(r.plan) } : {};
      const kept = w && { ...w, text: wrote.text!, state: state ?? stateFromStoreDocument(w.top), uniqueKeys: true, now, edition };
      reads.wrote(source, kept && { ...kept, ...plan });
    }
    return r;
  };
  return {
    kind: 'in-process',
    async load(source, now, { progress, rules = 'auto', read: onRead, glance, arrays } = {}) {
      progress?.('reading');
      const loaded = await read(source);
      progress?.('planning');
      const at = now();
      onRead?.(loaded);
      const edition = editionOf(rules, loaded);
      const plan = planState(loaded.state, at, { edition: edition.edition, arrays });
      reads?.planned(source, loaded, plan, at, edition.edition);
      glance?.(glanceOf(loaded.state, plan, at.getTime(), edition));
      reads?.released(source);
      return { loaded, plan, at: at.getTime(), rules: edition };
    },
    async plan(state, now, { progress, edition, arrays } = {}) {
      progress?.('planning');
      const plan = planState(state, now, { edition, arrays });
      reads?.replanned(state, plan, now, edition);
      return plan;
    },
    // The lock is held until the write is done (`written`), not while what was written is planned, as in the worker.
    apply: (source, repairs, opts) =>
      lockedUntilWritten(lockPathOf(source), (written) => applyLocked(source, repairs, underLock(opts), written), opts.timeoutMs),
    decide: (source, decision, base, now, edition) =>
      lockedUntilWritten(decisionLockPath(source), (written) => decideLocked(source, decision, base, now(), written, edition)),
    applyLocked,
    decideLocked,
    // Nothing waits for it on this thread: a read's result follows its first look at once.
    firstLookDrawn: () => undefined,
    // The console's own thread collects itself (quiet-collect.ts).
    consoleQuiet: () => undefined,
    close: () => Promise.resolve(),
  };
}

/** `fn` holding the flock on `lockPath` until it calls its `written` (or ends): the plan after a write needs no lock. */
async function lockedUntilWritten<T>(lockPath: string, fn: (written: () => void) => Promise<T>, timeoutMs?: number): Promise<T> {
  const release = await acquireFileLock(lockPath, { timeoutMs });
  try {
    return await fn(release);
  } finally {
    release();
  }
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
  wrote?: (written: DecisionWritten) => void,
): Promise<DecideResult> {
  const at = now.getTime();
  const check = checkDecision(source, decision, now, edition, basis);
  if (check.stale) {
    written?.();
    // The plan of the input as read, made after the lock is released when the check judged by the basis's.
    const plan = check.plan ?? planState(check.state, now, edition);
    return { stale: check.stale, decisions: check.state.decisions ?? [], at, state: check.state, plan };
  }
  const decisions = await recordDecisionUnderLock(source, { ...decision, at: formatZ(now) }, check.read, wrote);
  written?.();
  if (!base) return { stale: null, decisions, at, state: null, plan: null };
  const state = { ...base, decisions };
  return { stale: null, decisions, at, state, plan: planState(state, now, edition) };
}

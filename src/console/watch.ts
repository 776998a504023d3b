// Keeps the app store current: watches the input files, re-reads and re-plans after a quiet
// moment, and on the city's patrol interval re-plans when a time rule can have changed the plan (a
// create turned stale), so those move on their own; a tick that cannot change the plan costs nothing.
// A read that fails leaves the last good snapshot on screen and sets the error banner.
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_PATROL_MS, nextPlanChange, patrolIntervalMs, type DetectedEdition, type State } from '../engine/index.js';
import type { ConsoleServices } from './services.js';
import { latestPlan, snapshotOf, type AppState, type AppStore, type Snapshot } from './state.js';
import { keepConflictStamps } from './conflict-stamps.js';
import { readAuditSince, type AuditTail } from '../store/audit-tail.js';
import { whoChangedOf } from './changed-by.js';
import { whoChangedOnResume, whoChangedPatch } from './changed-by-read.js';
import { cityPaths } from '../store/formats/city-paths.js';
import type { Glance } from './glance.js';
import type { Jobs, Stage } from './jobs.js';
import type { Loaded, Source } from '../store/types.js';
import { recordTrend, type TrendOptions } from './trend.js';
import { createJobs } from './worker/worker-client.js';
import { heldByThisThread, quietCollector, type Collected, type QuietCollectOptions } from './quiet-collect.js';
import { compactingCollection } from './full-collection.js';
import { modeName } from './ui-state.js';

export const DEFAULT_DEBOUNCE_MS = 150;
/**
 * How long a read or re-plan runs, once the console shows data, before the status line says so: an outside change
 * at 10 000 beads lands in 0.1-0.3 s, and each of the 'reading…' and 'planning…' frames it drew cost the console's
 * thread 5-13 ms, taken from the plan worker on two CPUs (docs/speed.md). A read at 100 000 beads still says it.
 */
export const SAY_ACTIVITY_AFTER_MS = 150;
/** How long after a change the files are checked once more for a change the watcher swallowed. */
export const SETTLE_MS = 300;

export interface FileWatch {
  /** Watch these files too (e.g. a namepool file that appeared in the config). */
  add(files: readonly string[]): void;
  /** Compare the files with what was last read and report a change the watcher did not. */
  check(): void;
  close(): Promise<void>;
  /** Resolves once the watcher is listening (its initial scan is done). */
  ready: Promise<void>;
  /** What is watched now: each wanted file that is there, the folder of each that is not. */
  watching(): string[];
}

/**
 * Call `onChange` when any of `files` is created, changed, replaced or removed: at once for a change after a
 * quiet moment (`leading`: most writers replace the file by rename, so it is whole when the event comes), and
 * once more when a burst of changes has been quiet for `debounceMs`. A file that is there is watched itself (chokidar
 * watches a file replaced by rename again at its new inode); one that is not, through its folder, until it comes. A
 * watched folder is listed again (a readdir and an lstat per entry) at every change of anything in it: a store in a
 * busy folder (/tmp) cost the console that listing at every other file's change (500 entries: about 40 ms of CPU each).
 * A file that goes is watched through its folder from then on, until it comes back: chokidar itself looks for the
 * return of a removed file only when it watches a single folder (a store file alone), not for a city's files.
 * `settleMs`: how long after a change the files are compared once more (SETTLE_MS).
 */
export function watchFiles(
  files: readonly string[],
  onChange: (leading: boolean) => void,
  debounceMs = DEFAULT_DEBOUNCE_MS,
  settleMs = SETTLE_MS,
): FileWatch {
  const wanted = new Set<string>();
  /** What chokidar watches: each wanted file, or its folder while it is missing. */
  let watched = new Set<string>();
  /** Runs while changes are coming in: the quiet moment a change must follow to be read at once. */
  let timer: NodeJS.Timeout | null = null;
  /** A change came while `timer` ran: read once more when it ends. */
  let dirty = false;
  let closed = false;
  let watcher: FSWatcher | null = null;

  let settle: NodeJS.Timeout | null = null;
  let seen = '';

  // chokidar folds events that come within ~100 ms of a rename, so a second write right after a
  // replace can go unreported. The file's identity (inode, size, mtime) at each read tells.
  const signature = () =>
    [...wanted]
      .map((f) => {
        try {
          const st = statSync(f);
          return `${st.ino}:${st.size}:${st.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('|');

  const changed = (leading: boolean) => {
    seen = signature();
    onChange(leading);
    if (settle) clearTimeout(settle);
    settle = setTimeout(check, settleMs);
    settle.unref?.();
  };

  const quietFor = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (closed || !dirty) return;
      dirty = false;
      changed(false);
      quietFor();
    }, debounceMs);
  };

  const fire = () => {
    if (closed) return;
    if (timer) dirty = true;
    else changed(true);
    quietFor();
  };

  /** Report a change of the files since the last one reported. */
  const look = () => {
    if (!closed && signature() !== seen) fire();
  };

  function check(): void {
    settle = null;
    look();
  }

  const pathsFor = (files: Iterable<string>): Set<string> => {
    const paths = new Set<string>();
    for (const f of files) paths.add(existsSync(f) ? f : dirname(f));
    return paths;
  };

  const open = (paths: Set<string>): FSWatcher => {
    const w = chokidarWatch([...paths], { depth: 0, ignoreInitial: true, persistent: true });
    w.on('all', (event, path) => {
      if (closed || w !== watcher || !wanted.has(resolve(path))) return;
      fire();
      // A wanted file came (seen through its folder) or went (its watch went with its inode): watched afresh.
      if (event === 'add' || event === 'unlink') setImmediate(rewatch);
    });
    // A file or folder that vanishes (or never existed) must not crash the console; the next read reports it.
    w.on('error', () => undefined);
    return w;
  };

  const rewatch = () => {
    if (closed) return;
    const paths = pathsFor(wanted);
    if ([...paths].every((p) => watched.has(p)) && paths.size === watched.size) return;
    const old = watcher;
    watched = paths;
    watcher = open(paths);
    // What changed while the new watcher made its first scan it does not report (the file back already, or gone
    // again): looked for, and watched as it is now.
    watcher.once('ready', () => {
      look();
      rewatch();
    });
    void old?.close();
  };

  const add = (more: readonly string[]) => {
    const fresh: string[] = [];
    for (const f of more) {
      const abs = resolve(f);
      if (wanted.has(abs)) continue;
      wanted.add(abs);
      fresh.push(abs);
    }
    const paths = [...pathsFor(fresh)].filter((p) => !watched.has(p));
    if (paths.length === 0) return;
    for (const p of paths) watched.add(p);
    if (!watcher) watcher = open(new Set(paths));
    else watcher.add(paths);
  };

  add(files);
  seen = signature();
  const ready = new Promise<void>((res) => {
    if (!watcher) return res();
    watcher.once('ready', () => res());
  });

  return {
    add,
    check,
    ready,
    watching: () => [...watched],
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (settle) clearTimeout(settle);
      await watcher?.close();
    },
  };
}

/** Files to watch before the first successful read has told us which files the input consists of. */
export function defaultWatchFiles(source: Source): string[] {
  if (source.kind === 'store') return [source.path];
  const p = cityPaths(source.dir);
  return [p.cityToml, p.beads];
}

export interface LiveOptions {
  store: AppStore;
  source: Source;
  /** How to read the input; the store loader by default (a custom one reads on this thread). */
  load?: (source: Source) => Promise<Loaded>;
  /**
   * Where reads and plans run: true (default) the plan worker when the console runs from the build,
   * false this thread, a URL that worker script. Ignored when `jobs` is given.
   */
  worker?: boolean | URL;
  /** Run reads, plans and the review's writes here (the services' jobs; closed by the caller). */
  jobs?: Jobs;
  /** The clock of plans and decisions (the services' clock; default the wall clock). */
  now?: () => Date;
  debounceMs?: number;
  /** Overrides the city's patrol interval (tests). */
  patrolMs?: number;
  /** What calls the patrol tick (default: an unref'd interval timer; tests tick by hand). */
  timer?: PatrolTimer;
  /**
   * What calls `say` once a read or re-plan has run SAY_ACTIVITY_AFTER_MS with data on screen; returns what cancels it
   * (default: an unref'd timeout; tests call it by hand).
   */
  sayActivity?: (say: () => void) => () => void;
  /** Watch the files (default true). */
  watch?: boolean;
  /**
   * The caller draws the first read's first look as it comes and says when it is drawn (Live.firstLookDrawn): the plan
   * worker holds a big first read's beads back until then (jobs.ts LoadOptions.untilDrawn). Default false: they follow at once.
   */
  drawsFirstLook?: boolean;
  /** How the metrics history is kept (trend.ts). */
  trend?: TrendOptions;
  /**
   * What to make of a read's snapshot before it goes on screen, a little at a time (the console's views/prepare.ts:
   * the rows its first frame shows), so that frame does not block keys. Only a head start: what it does not make
   * is made when a frame needs it.
   */
  prepare?: (snap: Snapshot, s: AppState) => Promise<void>;
  /**
   * What to make of a snapshot once it is on screen, while the console idles (the console's views/prepare.ts: the
   * rows of the views not shown yet). `onScreen` turns false once another snapshot replaces it; `state` reads the
   * console's state as it is then (the review queue's rows depend on this session's decisions).
   */
  warm?: (snap: Snapshot, onScreen: () => boolean, state: () => AppState) => Promise<void>;
  /**
   * The console's thread collects its heap at a quiet moment after a big refresh's views are made, once it grew
   * (quiet-collect.ts): false never; an object, the collector's options that differ (tests: its clock, its heap). Needs
   * `warm`, whose end is the moment.
   */
  quietCollect?: boolean | Partial<QuietCollectOptions>;
  /** Told each time the console's thread collected so (tests, a probe). */
  onCollected?: (c: Collected) => void;
}

/**
 * The least beads of a read whose refreshes the console's thread collects after (quiet-collect.ts): its heap holds
 * about 130 MB at 100 000 beads and grows about 17 MB a change; at 10 000 beads it holds about 30 and V8's own
 * collections come every few changes.
 */
export const QUIET_COLLECT_FROM_BEADS = 20_000;

/** Calls the patrol tick every `ms`; returns what stops it. */
export interface PatrolTimer {
  every(ms: number, tick: () => void): () => void;
}

/** Calls `say` after `ms` unless cancelled first; the timer does not keep the process alive. */
function sayAfter(ms: number): (say: () => void) => () => void {
  return (say) => {
    const t = setTimeout(say, ms);
    t.unref?.();
    return () => clearTimeout(t);
  };
}

/** An interval timer that does not keep the process alive. */
export const intervalTimer: PatrolTimer = {
  every(ms, tick) {
    const t = setInterval(tick, ms);
    t.unref?.();
    return () => clearInterval(t);
  },
};

export interface Live {
  /** Resolves after the first read (successful or not) and once the watcher listens. */
  ready: Promise<void>;
  /**
   * Resolves as soon as the first read has something to show (its first look, ahead of its beads), or when it is
   * over (failed too): the console takes the screen then.
   */
  shown: Promise<void>;
  /** Re-read now (coalesced with a read in progress). */
  refresh(): Promise<void>;
  /** Re-plan the current state now (the result lands when it is ready). */
  replan(): void;
  /**
   * What the patrol timer calls: look for a change the file watcher missed, and re-plan only when the
   * plan on screen can have changed since it was made (nextPlanChange); otherwise nothing.
   */
  tick(): void;
  /** The first read's first look is on screen (with `drawsFirstLook`): its beads may come. */
  firstLookDrawn(): void;
  /** Where the work runs. */
  jobs: Jobs;
  /** What the review actions and key handlers use beside the state: these jobs, this refresh, this clock. */
  services: ConsoleServices;
  stop(): Promise<void>;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What the last read of each console's audit log took in: the next one reads on from there (audit-tail.ts). */
const auditTails = new WeakMap<AppStore, AuditTail>();

/**
 * Re-read the audit log beside the input into the app store (the audit view): what was appended since the last read
 * (the whole log when it was replaced or cut, or when the list on screen is not that read's); a bad log is reported,
 * not fatal.
 */
export function refreshAudit(store: AppStore, source: Source): void {
  try {
    const was = auditTails.get(store);
    const tail = readAuditSince(source, was && was.log === store.getState().audit ? was : null);
    auditTails.set(store, tail);
    store.getState().setAudit(tail.log);
  } catch (e) {
    store.getState().setAudit(store.getState().audit, describe(e));
  }
}

/** Whether the last read of the console's audit log left out a torn last line it has not yet read as it stays. */
function auditTornPending(store: AppStore): boolean {
  const tail = auditTails.get(store);
  return tail !== undefined && tail.torn !== null && tail.log === tail.read && tail.log === store.getState().audit;
}

const STAGE_TEXT: Record<Stage, string> = { reading: 'reading…', planning: 'planning…', receiving: 'receiving the new plan…' };

/** Where the beads came from, for the inputs whose writes go through Gas City: why the console is read-only. */
const GC_WRITTEN: Partial<Record<NonNullable<Loaded['beadsFrom']>['from'], string>> = {
  capture: 'the beads were read from --beads',
  gc: 'the beads were read through gc',
  scopes: 'the rigs of this city keep their own bead stores',
};

/**
 * Whether a read gave what the console shows already (the snapshot waiting while paused, else the one on screen), with
 * no error to clear: every bead the very object shown (a re-read makes a new object of each bead whose bytes changed,
 * and the plan worker's reply sends an unchanged one as its place in the console's memo: chunked-clone.ts), the rest
 * of the state equal, read under the same rules. A change can be reported twice: the watcher's check of the files
 * (watchFiles' `check`, 300 ms after a change, or the patrol's) finds a write before chokidar's own event for it, which
 * then comes within the debounce and is read again once quiet, the same bytes: at 100 000 beads a snapshot made
 * again, its views' rows, and their memory until the next full collection. The bytes decide, not the file's
 * size and times: two writes in the same instant with the same size are read and shown. The plan on screen holds for
 * the same state until a time rule turns (nextPlanChange, as for the patrol's re-plans).
 */
function sameRead(s: AppState, state: State, rules: DetectedEdition | undefined): boolean {
  const shown = s.pending ?? s.current;
  if (!shown || s.error !== null || !isDeepStrictEqual(shown.rules, rules)) return false;
  const a = shown.state;
  if (a === state) return true;
  if (a.beads.length !== state.beads.length) return false;
  for (let i = 0; i < a.beads.length; i++) if (a.beads[i] !== state.beads[i]) return false;
  return isDeepStrictEqual({ ...a, beads: null }, { ...state, beads: null });
}

/** The modes in which the console may collect (quiet-collect.ts): not while a prompt or dialog takes keys. */
const QUIET_MODES: ReadonlySet<string> = new Set(['normal', 'help', 'inspect']);

export function startLive(opts: LiveOptions): Live {
  const { store, source } = opts;
  const jobs = opts.jobs ?? createJobs({ worker: opts.worker, load: opts.load });
  const now = opts.now ?? (() => new Date());
  const timer = opts.timer ?? intervalTimer;
  let stopped = false;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let stopPatrol: (() => void) | null = null;
  let patrolMs = -1;
  let files: FileWatch | null = null;

  store.getState().setSource(source);
  const stopTrend = recordTrend(store, source, opts.trend);

  // What the status line shows while a refresh or a re-plan runs (a refresh says more). Once data is on screen, only
  // work that has run a moment says so (SAY_ACTIVITY_AFTER_MS); the first read says it at once (the loading line).
  let reading: string | null = null;
  let planning: string | null = null;
  const sayActivity = opts.sayActivity ?? sayAfter(SAY_ACTIVITY_AFTER_MS);
  let held: (() => void) | null = null;
  const setActivity = (activity: string | null) => {
    if (store.getState().ui.activity !== activity) store.getState().patchUi({ activity });
  };
  const showActivity = () => {
    const activity = stopped ? null : (reading ?? planning);
    const s = store.getState();
    if (activity !== null && s.ui.activity === null && s.current) {
      held ??= sayActivity(() => {
        held = null;
        setActivity(stopped ? null : (reading ?? planning));
      });
      return;
    }
    held?.();
    held = null;
    setActivity(activity);
  };

  const schedulePatrol = (ms: number) => {
    if (ms === patrolMs || stopped) return;
    patrolMs = ms;
    stopPatrol?.();
    stopPatrol = timer.every(ms, tick);
  };

  // When the plan of a snapshot can next change with no change to its state (per snapshot: a re-plan or a
  // read makes a new one).
  const nextChange = new WeakMap<Snapshot, number | null>();
  const nextChangeOf = (snap: Snapshot): number | null => {
    let at = nextChange.get(snap);
    if (at === undefined) {
      at = nextPlanChange(snap.state, snap.plannedAt, snap.rules?.edition);
      nextChange.set(snap, at);
    }
    return at;
  };

  function tick(): void {
    files?.check();
    // A torn last line the audit view left out (its writer may have been mid-append) is said at the next read that
    // finds the log unchanged; with no other read coming, the patrol's is it (a line torn by a crash before launch).
    if (!stopped && auditTornPending(store)) refreshAudit(store, source);
    const s = store.getState();
    const base = s.pending ?? s.current;
    if (!base || stopped || planning !== null || inFlight) return;
    const at = nextChangeOf(base);
    if (at !== null && now().getTime() >= at) replan();
  }

  function replan(): void {
    const s = store.getState();
    const base = s.pending ?? s.current;
    if (!base || stopped) return;
    const at = now();
    planning = STAGE_TEXT.planning;
    showActivity();
    const done = () => {
      planning = null;
      showActivity();
    };
    jobs.plan(base.state, at, { latest: true, edition: base.rules?.edition }).then(
      (p) => {
        done();
        // A read (or a decision) that landed meanwhile is newer than this plan of the old state.
        const s2 = store.getState();
        if (!stopped && (s2.pending ?? s2.current)?.state === base.state) s2.replanned(p, at.getTime());
      },
      done, // a failed re-plan leaves the screen as it is; the next read or patrol tick tries again
    );
  }

  /** A read failed that ran at once on a change: it is tried again after the debounce before it is reported. */
  let retryTimer: NodeJS.Timeout | null = null;

  /** One read; false when it failed and `tentative` kept that off the screen. */
  const readOnce = async (tentative: boolean): Promise<boolean> => {
    try {
      const progress = (stage: Stage) => {
        reading = STAGE_TEXT[stage];
        showActivity();
      };
      // Until a read is on screen, its first look goes there as soon as it is planned (the beads follow).
      const glance = store.getState().current
        ? undefined
        : (g: Glance) => {
            if (stopped) return;
            store.getState().glanced(g);
            progress('receiving'); // the plan is made: what is left is getting it here
          };
      const {
        loaded,
        plan: planned,
        at,
        rules,
      } = await jobs.load(source, now, {
        progress,
        latest: true,
        rules: store.getState().rulesChoice,
        glance,
        untilDrawn: opts.drawsFirstLook === true,
      });
      if (stopped) return true;
      // The same data as on screen (the watcher reported a change already read: see sameRead): nothing new to show, but
      // the plan made now when a time rule has turned since the one on screen (what the patrol's re-plan would show).
      const s0 = store.getState();
      if (sameRead(s0, loaded.state, rules)) {
        const next = nextChangeOf((s0.pending ?? s0.current)!);
        if (next !== null && at >= next) s0.replanned(planned, at);
        s0.setWarnings((loaded.warnings ?? []).map((w) => w.brief));
        refreshAudit(store, source);
        files?.add(loaded.files);
        return true;
      }
      // A city whose beads came from a capture or through gc is read-only here: its writes go through Gas City's
      // commands, one metadata key per call, which can leave a repair half made on a conflict; `gc-tui apply`
      // runs them with a full report of every answer (or writes them to a script), the console does not. Said
      // before the data lands, so nothing that follows the data (the metrics history) writes beside such a city.
      const from = loaded.beadsFrom?.from;
      const why = from ? GC_WRITTEN[from] : undefined;
      if (why && store.getState().readOnlyWhy === null) {
        store.setState({
          readOnly: true,
          readOnlyWhy: `${why}; writes to such a city go through Gas City: gc-tui apply (it runs gc) or apply --emit-script FILE`,
        });
      }
      // A conflict clear on screen keeps its stamp (conflict-stamps.ts), settled here: loaded() would otherwise make
      // another plan object, whose rows prepare has not made (at 100 000 beads a key then waited 90-130 ms for them).
      const p = keepConflictStamps(latestPlan(store.getState()), planned);
      // The snapshot's rows are made a slice at a time before it is shown; loaded() then finds them made.
      if (opts.prepare) await opts.prepare(snapshotOf(loaded.state, p, at, rules), store.getState()).catch(() => undefined);
      if (stopped) return true;
      store.getState().setWarnings((loaded.warnings ?? []).map((w) => w.brief));
      const before = store.getState();
      store.getState().loaded(loaded.state, p, at, rules);
      refreshAudit(store, source);
      // The read changed what the operator was looking at (marks dropped, the bulk pane's or the card's diff): who
      // changed the store, from the audit log just read (no read more).
      const after = store.getState();
      const who = whoChangedPatch(
        after.ui,
        before.ui,
        after.current?.plan ?? null,
        whoChangedOf(after.audit, source, before.current?.loadedAt ?? at),
      );
      if (who) after.patchUi(who);
      files?.add(loaded.files);
      schedulePatrol(opts.patrolMs ?? patrolIntervalMs(loaded.state.city));
    } catch (e) {
      // A file read the moment it changed may still be being written in place (a writer that does not
      // rename): a read a debounce later says whether it is really broken.
      if (tentative) return false;
      if (!stopped) store.getState().loadFailed(describe(e), now().getTime());
    }
    return true;
  };

  // One read at a time; changes that arrive during a read cause exactly one more. `tentative` (a read at the
  // first sign of a change): a failure is retried after the debounce instead of shown; a firm request that
  // arrives meanwhile (the operator's, an approval's) makes the next read firm.
  let firm = false;
  const read = (tentative: boolean): Promise<void> => {
    if (inFlight) {
      again = true;
      firm ||= !tentative;
      return inFlight;
    }
    firm = !tentative;
    inFlight = (async () => {
      reading = STAGE_TEXT.reading;
      showActivity();
      for (;;) {
        again = false;
        const ok = await readOnce(!firm);
        if (stopped) break;
        if (again) continue;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = ok ? null : setTimeout(() => void refresh(), opts.debounceMs ?? DEFAULT_DEBOUNCE_MS);
        break;
      }
      inFlight = null;
      reading = null;
      showActivity();
    })();
    return inFlight;
  };

  // Once a refresh is on screen and its views are made, the console's thread collects its heap at a quiet moment if
  // it grew enough (quiet-collect.ts): anything in the store (a key's move, a job's result) puts that moment off.
  // V8's collection is looked up at the first one: looked up at launch, the context it takes would cost the launch.
  const collector =
    opts.quietCollect !== false
      ? quietCollector({
          held: heldByThisThread,
          collect: () => compactingCollection()?.(),
          workerIdle: () => jobs.consoleQuiet(),
          busy: () => {
            const s = store.getState();
            return inFlight !== null || planning !== null || s.ui.busy !== null || !QUIET_MODES.has(modeName(s.ui.mode));
          },
          now: () => performance.now(),
          after: (ms, fn) => {
            const t = setTimeout(fn, ms);
            t.unref?.();
            return () => clearTimeout(t);
          },
          onCollected: opts.onCollected,
          ...(typeof opts.quietCollect === 'object' ? opts.quietCollect : {}),
        })
      : null;

  // Each snapshot that goes on screen (a read, a resume from pause, a re-plan, an approval's result) has the rows
  // of the views not shown made while the console idles, until another replaces it.
  let warmed: Snapshot | null = null;
  const warmCurrent = (s: AppState) => {
    collector?.stir();
    const shown = s.current;
    if (!opts.warm || stopped || !shown || shown === warmed) return;
    warmed = shown;
    collector?.cancel();
    const onScreen = () => !stopped && store.getState().current === shown;
    void opts
      .warm(shown, onScreen, () => store.getState())
      .then(() => {
        if (onScreen()) collector?.made(shown.state.beads.length >= QUIET_COLLECT_FROM_BEADS);
      })
      .catch(() => undefined);
  };
  const stopWarming = store.subscribe(warmCurrent);
  const stopWho = whoChangedOnResume(store, source);

  const refresh = (): Promise<void> => read(false);

  if (opts.watch !== false) files = watchFiles(defaultWatchFiles(source), (leading) => void read(leading), opts.debounceMs);
  const first = refresh();
  schedulePatrol(opts.patrolMs ?? DEFAULT_PATROL_MS);

  const ready = Promise.all([first, files?.ready]).then(() => undefined);
  const shown = new Promise<void>((res) => {
    const look = (s: AppState) => {
      if (!s.glance && !s.current) return;
      stopLooking();
      res();
    };
    const stopLooking = store.subscribe(look);
    look(store.getState());
    void ready.finally(() => {
      stopLooking();
      res();
    });
  });

  return {
    ready,
    shown,
    refresh,
    replan,
    tick,
    firstLookDrawn: () => jobs.firstLookDrawn(),
    jobs,
    services: { jobs, refresh, clock: now },
    async stop() {
      stopped = true;
      stopWarming();
      collector?.cancel();
      stopWho();
      if (retryTimer) clearTimeout(retryTimer);
      stopPatrol?.();
      stopTrend();
      showActivity();
      await files?.close();
      if (!opts.jobs) await jobs.close();
    },
  };
}

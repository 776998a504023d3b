// The console's single source of truth: a zustand *vanilla* store, so the watcher, the patrol timer
// and the demo controller can update it from outside React, and components read it through narrow
// selectors. It holds data (the last good state and its plan), load errors and the UI slice (its types
// in ui-state.ts); it never touches the disk, and holds no services (see services.ts).
import { createStore, type StoreApi } from 'zustand/vanilla';
import { sameChanges, sameSlotEntries, slotPlaces, withoutAges, type DetectedEdition } from '../engine/index.js';
import type { Plan, PoolPlan, State } from '../engine/types.js';
import type { RulesChoice } from '../store/rules.js';
import type { MetricsSample } from '../store/metrics-sample.js';
import type { AuditEntry, Source } from '../store/types.js';
import type { Glance } from './glance.js';
import { beadInfos } from './bead-infos.js';
import { bulkAfter } from './bulk.js';
import { keepConflictStamps } from './conflict-stamps.js';
import { marksAfter } from './marks.js';
import { decisionDialogAfter } from './reason-prompt.js';
import {
  emptySet,
  initialUiState,
  modeName,
  type Cursor,
  type Message,
  type Mode,
  type ReviewOutcome,
  type UiState,
  type ViewId,
} from './ui-state.js';

export interface Snapshot {
  state: State;
  plan: Plan;
  /** When the input was last read successfully (ms since epoch). */
  loadedAt: number;
  /** When the plan was computed (ms since epoch); the patrol timer moves this without a reload. */
  plannedAt: number;
  /** The rule edition the plan follows and why (absent: 2026-05); an approval of it is re-checked under it. */
  rules?: DetectedEdition;
}

export interface AppState {
  source: Source | null;
  readOnly: boolean;
  /** Why writes are refused, when not because of --read-only (the beads came from a capture or through gc). */
  readOnlyWhy: string | null;
  /** `--rules`: the edition every plan of this console follows, or `auto` (as each read of the input shows). */
  rulesChoice: RulesChoice;
  /** Who is at the keyboard (`--by`), for the audit lines of decisions. */
  operator: string;
  /** What is on screen. Null until the first successful load. */
  current: Snapshot | null;
  /** What arrived while paused; applied on resume. */
  pending: Snapshot | null;
  /**
   * Whether `pending` shows anything the screen does not: a read of just what is on screen (the re-read of this
   * console's own write made while paused) is held like any other, but the header does not call it an update waiting.
   */
  pendingNew: boolean;
  /**
   * The first read's figures and pools (glance.ts) while its beads are still on their way: the header and the pools
   * view show them until `current` is set. Null once it is.
   */
  glance: Glance | null;
  /** Why the last load failed; the last good snapshot stays on screen. */
  error: string | null;
  errorAt: number | null;
  /** What the last good read says the operator should know about the input (Loaded.warnings, in brief): the banner shows it. */
  warnings: readonly string[];
  /** The audit log beside the input, oldest first (as in the file). */
  audit: AuditEntry[];
  auditError: string | null;
  /** The figures over time (trend.ts): the header's sparklines and the trend view. */
  trend: TrendState;
  ui: UiState;

  setSource(source: Source): void;
  /** A fresh read of the input (and its plan). Clears the load error. */
  loaded(state: State, plan: Plan, at: number, rules?: DetectedEdition): void;
  /** The first look at the first read (nothing on screen yet); ignored once a snapshot is. */
  glanced(glance: Glance): void;
  /** A re-plan of the current state (the patrol timer), without a reload. */
  replanned(plan: Plan, at: number): void;
  loadFailed(message: string, at: number): void;
  setWarnings(warnings: readonly string[]): void;
  /**
   * The state as this console just wrote it (a decision or an apply): shown at once, even while
   * paused, since it is newer than anything waiting. While paused, what else it brings (other writers' changes, read
   * under the lock) is marked changed as a resume marks it, except `own`: the ids this write itself changed.
   */
  adopt(state: State, plan: Plan, at: number, rules?: DetectedEdition, own?: readonly string[]): void;
  setAudit(entries: AuditEntry[], error?: string | null): void;
  setTrend(patch: Partial<TrendState>): void;
  setOutcome(repairId: string, outcome: ReviewOutcome | null): void;
  /** Several repairs' outcomes in one update (a bulk approval: one per repair would re-derive the queue each). */
  setOutcomes(outcomes: ReadonlyArray<readonly [string, ReviewOutcome | null]>): void;

  setView(view: ViewId): void;
  setMode(mode: Mode): void;
  setCursor(view: ViewId, cursor: Cursor): void;
  setFilter(view: ViewId, filter: string): void;
  setCommand(text: string): void;
  setHelpTop(top: number): void;
  setPaused(paused: boolean): void;
  setMessage(message: Message | null): void;
  setViewport(rows: number, columns: number): void;
  /** Several UI fields at once (one render instead of several). */
  patchUi(patch: Partial<UiState>): void;
}

/** The metrics history as this console has it: what earlier runs left in the file, then this run's samples. */
export interface TrendState {
  /** Oldest first; the samples of this run carry `session`. */
  samples: readonly MetricsSample[];
  /** This console run's id in the history. */
  session: string;
  /**
   * When this run started: the time of its first sample (null before it has one). Kept apart from the samples: a
   * filter of the trend view, or the cap on samples kept, can leave that sample out of what is drawn.
   */
  since?: string | null;
  /** Lines of the history file that were not samples (skipped when it was read). */
  skipped: number;
  /** Why the history could not be read or written; the samples of this run are still shown. */
  error: string | null;
}

export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  readOnly?: boolean;
  rules?: RulesChoice;
  source?: Source | null;
  operator?: string;
  viewport?: { rows: number; columns: number };
}

/** `ui` with `patch`: a mode of another kind (a prompt opened or closed) puts the caret back at the line's end. */
function patched(ui: UiState, patch: Partial<UiState>): UiState {
  const next = { ...ui, ...patch };
  if (patch.mode !== undefined && patch.caret === undefined && modeName(patch.mode) !== modeName(ui.mode)) next.caret = 0;
  return next;
}

export function createAppStore(opts: AppStoreOptions = {}): AppStore {
  return createStore<AppState>()((set, get) => ({
    source: opts.source ?? null,
    readOnly: opts.readOnly ?? false,
    readOnlyWhy: null,
    rulesChoice: opts.rules ?? 'auto',
    operator: opts.operator ?? '',
    current: null,
    pending: null,
    pendingNew: false,
    glance: null,
    error: null,
    errorAt: null,
    warnings: [],
    audit: [],
    auditError: null,
    trend: { samples: [], session: '', skipped: 0, error: null },
    ui: initialUiState(opts.viewport ?? { rows: 24, columns: 80 }),

    setSource: (source) => set({ source }),

    loaded: (state, fresh, at, rules) => {
      const s0 = get();
      // watch.ts kept the stamps already, before the rows were made (this returns that plan itself); again here for a
      // plan that landed in between (a decision's), whose stamps are then the ones on screen.
      const plan = keepConflictStamps(latestPlan(s0), fresh);
      const snap = snapshotOf(state, plan, at, rules);
      // Paused: held back (resuming shows it, and its age); one that shows just what is on screen (the re-read of this
      // console's own write) is no update waiting.
      if (s0.ui.paused && s0.current)
        set({ pending: snap, pendingNew: s0.pendingNew || !sameShown(s0.current, snap), error: null, errorAt: null });
      else
        set((s) => {
          // "still arriving" is no longer true once they are here.
          const ui = s.ui.message?.until === 'beads' ? { ...s.ui, message: null } : s.ui;
          return {
            current: snap,
            glance: null,
            error: null,
            errorAt: null,
            ui: { ...ui, changed: emptySet, fresh: freshIn(ui, s.current?.plan ?? null, plan), ...afterPlan(ui, plan) },
          };
        });
    },

    glanced: (glance) => {
      if (!get().current) set({ glance });
    },

    replanned: (fresh, at) => {
      const s = get();
      const plan = keepConflictStamps(latestPlan(s), fresh);
      if (s.ui.paused) {
        // Held back as a read is: an update waiting only when it shows something the screen does not.
        const base = s.pending ?? s.current;
        if (!base || !s.current) return;
        const next = { ...base, plan, plannedAt: at };
        set({ pending: next, pendingNew: s.pendingNew || !sameShown(s.current, next) });
      } else if (s.current) {
        set({
          current: { ...s.current, plan, plannedAt: at },
          ui: {
            ...s.ui,
            fresh: freshIn(s.ui, s.current.plan, plan),
            ...afterPlan(s.ui, plan),
          },
        });
      }
    },

    loadFailed: (message, at) => set({ error: message, errorAt: at }),

    setWarnings: (warnings) => {
      const now = get().warnings;
      if (warnings.length !== now.length || warnings.some((w, i) => w !== now[i])) set({ warnings: [...warnings] });
    },

    adopt: (state, fresh, at, rules, own = []) => {
      const plan = keepConflictStamps(latestPlan(get()), fresh);
      const snap = snapshotOf(state, plan, at, rules);
      // The console's own write: what it adds is the operator's doing, not news (only what left the plan goes).
      set((s) => {
        const fresh = freshRepairs(s.ui.fresh, plan, plan);
        const kept = afterPlan(s.ui, plan);
        if (!s.ui.paused)
          return { current: snap, pending: null, pendingNew: false, glance: null, ui: { ...s.ui, changed: emptySet, fresh, ...kept } };
        // Paused: the write brings what was held back too (it was made on the file as it is now); it shows marked.
        const changed = s.current ? othersChanges(s.ui.changed, s.current, snap, new Set(own)) : s.ui.changed;
        return { current: snap, pending: null, pendingNew: false, glance: null, ui: { ...s.ui, changed, fresh, ...kept } };
      });
    },

    setAudit: (audit, error = null) => set({ audit, auditError: error }),
    setTrend: (patch) => set((s) => ({ trend: { ...s.trend, ...patch } })),
    setOutcome: (id, outcome) => get().setOutcomes([[id, outcome]]),
    setOutcomes: (outcomes) =>
      set((s) => {
        const review = { ...s.ui.review };
        for (const [id, outcome] of outcomes) {
          if (outcome) review[id] = outcome;
          else delete review[id];
        }
        return { ui: { ...s.ui, review } };
      }),

    setView: (view) =>
      set((s) => ({ ui: { ...s.ui, view, drill: null, fresh: view === 'repairs' && s.ui.fresh.length > 0 ? [] : s.ui.fresh } })),
    setMode: (mode) => set((s) => ({ ui: patched(s.ui, { mode }) })),
    setCursor: (view, cursor) => set((s) => ({ ui: { ...s.ui, cursors: { ...s.ui.cursors, [view]: cursor } } })),
    setFilter: (view, filter) => set((s) => ({ ui: { ...s.ui, filters: { ...s.ui.filters, [view]: filter } } })),
    setCommand: (command) => set((s) => ({ ui: { ...s.ui, command } })),
    setHelpTop: (helpTop) => set((s) => ({ ui: { ...s.ui, helpTop } })),

    setPaused: (paused) => {
      const s = get();
      if (paused === s.ui.paused) return;
      if (paused) {
        set({ pending: null, pendingNew: false, ui: { ...s.ui, paused: true, changed: emptySet } });
        return;
      }
      const next = s.pending;
      // What a write of this console showed while paused stays marked (adopt), with what resuming shows now.
      const changed = new Set(s.ui.changed);
      if (next && s.current) for (const id of diffSnapshots(s.current, next)) changed.add(id);
      set({
        current: next ?? s.current,
        pending: null,
        pendingNew: false,
        ui: {
          ...s.ui,
          paused: false,
          changed,
          fresh: next ? freshIn(s.ui, s.current?.plan ?? null, next.plan) : s.ui.fresh,
          ...(next ? afterPlan(s.ui, next.plan) : {}),
        },
      });
    },

    setMessage: (message) => set((s) => ({ ui: { ...s.ui, message } })),
    patchUi: (patch) => set((s) => ({ ui: patched(s.ui, patch) })),
    setViewport: (rows, columns) => {
      const v = get().ui.viewport;
      if (v.rows === rows && v.columns === columns) return;
      set((s) => ({ ui: { ...s.ui, viewport: { rows, columns } } }));
    },
  }));
}

/**
 * What a new plan on screen changes in the UI beside the data: the marks (and a count prompt on them), the reject
 * prompt and the approval's confirmation, the bulk review pane.
 */
function afterPlan(ui: UiState, plan: Plan): ReturnType<typeof marksAfter> {
  const kept = marksAfter(ui, plan);
  const mode = decisionDialogAfter(ui.mode, plan);
  if (mode) return { ...kept, mode };
  const bulk = bulkAfter(ui.mode, plan);
  return bulk ? { ...kept, ...bulk, message: bulk.message ?? kept.message } : kept;
}

/** The newest plan this console holds: the one waiting while paused, else the one on screen. */
export function latestPlan(s: Pick<AppState, 'pending' | 'current'>): Plan | null {
  return (s.pending ?? s.current)?.plan ?? null;
}

/** The snapshot of a read (or of the console's own write) made at `at`. */
export function snapshotOf(state: State, plan: Plan, at: number, rules?: DetectedEdition): Snapshot {
  return { state, plan, loadedAt: at, plannedAt: at, ...(rules ? { rules } : {}) };
}

/** freshRepairs for the console in `ui`: none while the repairs view is open (the list is in front of the operator). */
function freshIn(ui: UiState, prev: Plan | null, next: Plan): readonly string[] {
  return ui.view === 'repairs' ? (ui.fresh.length === 0 ? ui.fresh : []) : freshRepairs(ui.fresh, prev, next);
}

/**
 * The fresh repairs after a refresh from `prev` to `next`: those still in `next`, then the ones `next` adds
 * (none on the first read, when there is nothing to compare with). The same list when nothing changed.
 */
export function freshRepairs(fresh: readonly string[], prev: Plan | null, next: Plan): readonly string[] {
  if (prev === next && fresh.length === 0) return fresh;
  const now = new Set(next.repairs.map((r) => r.id));
  const kept = fresh.filter((id) => now.has(id));
  const before = prev && prev !== next ? new Set(prev.repairs.map((r) => r.id)) : null;
  const known = new Set(kept);
  const added = before ? next.repairs.map((r) => r.id).filter((id) => !before.has(id) && !known.has(id)) : [];
  if (added.length === 0 && kept.length === fresh.length) return fresh;
  return [...kept, ...added];
}

function indexById<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const it of items) m.set(it.id, it);
  return m;
}

/** The ids of the beads of `b` that `a` does not hold as they are (by content), but for the `skip` ones. */
function changedBeads(a: Snapshot, b: Snapshot, skip: ReadonlySet<string> = emptySet): Set<string> {
  const beadsA = indexById(a.state.beads);
  const changed = new Set<string>();
  for (const bead of b.state.beads) {
    const old = beadsA.get(bead.id);
    if (old === bead || skip.has(bead.id)) continue;
    if (!old || JSON.stringify(old) !== JSON.stringify(bead)) changed.add(bead.id);
  }
  return changed;
}

/**
 * Whether snapshot `b` shows nothing that `a` does not: the same beads, decisions and repairs, nothing that resuming
 * onto it would mark changed (diffSnapshots; the counts catch what it does not, a bead or a repair gone).
 */
function sameShown(a: Snapshot, b: Snapshot): boolean {
  return (
    a.state.beads.length === b.state.beads.length &&
    (a.state.decisions?.length ?? 0) === (b.state.decisions?.length ?? 0) &&
    a.plan.repairs.length === b.plan.repairs.length &&
    (a.plan.detail.rejected?.length ?? 0) === (b.plan.detail.rejected?.length ?? 0) &&
    diffSnapshots(a, b).size === 0
  );
}

/**
 * `changed` with what another writer changed between the snapshot on screen `a` and the console's own write `b`: the
 * beads whose content differs, but for the `own` ones (the beads the write changed), and their repairs. What the
 * write itself brings about elsewhere (its pool's figures, a partner bead's detail) is the operator's doing, not news.
 */
function othersChanges(changed: ReadonlySet<string>, a: Snapshot, b: Snapshot, own: ReadonlySet<string>): ReadonlySet<string> {
  const others = changedBeads(a, b, own);
  if (others.size === 0) return changed;
  const next = new Set(changed);
  for (const id of others) next.add(id);
  for (const r of b.plan.repairs) if (others.has(r.beadId)) next.add(r.id);
  return next;
}

const sameJson = (x: unknown, y: unknown) => x === y || JSON.stringify(x) === JSON.stringify(y);

/**
 * Two pools JSON tells apart, their slot entries compared by their places when both have them: the JSON of a pool
 * from the plan worker made its entries (made from the beads when read), some 71 000 at 100 000 beads, at every refresh.
 */
function samePool(x: PoolPlan | undefined, y: PoolPlan): boolean {
  if (x === y) return true;
  if (!x) return false;
  const keys = Object.keys(x);
  const others = Object.keys(y);
  if (keys.length !== others.length || keys.some((k, i) => k !== others[i])) return false;
  for (const k of keys) if (k !== 'slots' && !sameJson(x[k as keyof PoolPlan], y[k as keyof PoolPlan])) return false;
  const at = slotPlaces(x);
  const other = slotPlaces(y);
  return at && other ? sameSlotEntries(at, other) : sameJson(x.slots, y.slots);
}

/**
 * Ids whose rows differ between two snapshots: beads (by content), pools and templates (by plan
 * entry), repairs (by content) and work entries. Views highlight a row when any id it shows is in
 * the set. Runs once per resume, so the cost of serializing is paid only then.
 */
export function diffSnapshots(a: Snapshot, b: Snapshot): Set<string> {
  const changed = changedBeads(a, b);
  const keyed = <T>(xs: readonly T[], key: (t: T) => string, ys: readonly T[], same: (x: T | undefined, y: T) => boolean = sameJson) => {
    const m = new Map(xs.map((x) => [key(x), x]));
    for (const y of ys) {
      const k = key(y);
      if (!same(m.get(k), y)) changed.add(k);
    }
  };
  keyed(a.plan.pools, (p) => p.template, b.plan.pools, samePool);
  keyed(a.plan.detail.templates, (t) => t.template, b.plan.detail.templates);
  // A repair is the same when it would write the same (sameChanges: the time a conflict clear stamps is the plan's
  // clock, new at every plan) and says the same but for the ages it quotes (a stale create's "73 min ago", told anew
  // by every plan; the row shows the newest all the same).
  keyed(
    a.plan.repairs,
    (r) => r.id,
    b.plan.repairs,
    (x, y) => x === y || (!!x && withoutAges(x.reason) === withoutAges(y.reason) && sameChanges(x.changes, y.changes)),
  );
  keyed(a.plan.detail.work, (w) => w.id, b.plan.detail.work);
  keyed(beadInfos(a.plan), (i) => i.id, beadInfos(b.plan));
  return changed;
}

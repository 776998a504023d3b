// R4: no cross-template resume; release orphaned work. Both send the work to be routed afresh.
import type { CityModel, NameIndex, SessionTable, Template } from '../model.js';
import { assigneeOf, isLiveWork } from '../model.js';
import { NEW_ARRAYS, type PlanArrays } from '../plan-arrays.js';
import type { Bead, Change, Repair, WorkInfo } from '../types.js';
import { meta, inQuotes } from '../values.js';

export interface WorkAnalysis {
  work: WorkInfo[];
  repairs: Repair[];
  /**
   * The live work whose assignee resolves to each session, as a list through work indexes (no array per session):
   * `firstWork[s]` is one of them (-1: none), `nextWork[k]` the one after `work[k]` (-1: the last); latest first.
   */
  firstWork: Int32Array;
  nextWork: Int32Array;
  /** The session each assigned work bead's assignee resolves to (-1: none; by work index). */
  workSession: Int32Array;
  crossTemplate: number;
  orphaned: number;
}

/** The parts of R4's orphan release that depend on the rule edition (src/engine/editions.ts picks them). */
export interface OrphanRules {
  /** May orphaned work routed to this pool be released? */
  releasable(t: Template): boolean;
  /** Also reopen in_progress work with no assignee routed to a pool. */
  reopenUnassigned: boolean;
  /** Does a named session keep this work, its assignee being the session's identity? */
  keptByNamed(city: CityModel, assignee: string, route: string): boolean;
  /** Metadata keys a release or unassign empties when they hold a value (the work's session affinity). */
  clears: readonly string[];
  /** In-progress work with no assignee that the reopen passes over. */
  keepsInProgress(w: Bead): boolean;
}

/** PR #2076: a named-session identity is never an orphan's assignee. */
export function anyNamedIdentity(city: CityModel, assignee: string): boolean {
  return city.namedIdentities.has(assignee);
}

/**
 * 2026-08 (`assigneePreservesNamedSessionRoute`, cmd/gc): only when the named session is backed by the
 * work's route template; work routed elsewhere is released like any orphan.
 */
export function namedBackingRoute(city: CityModel, assignee: string, route: string): boolean {
  return city.namedTemplates.get(assignee) === route;
}

/** PR #2076: work routed to any configured agent; only assigned work. */
export const ORPHANS_2026_05: OrphanRules = {
  releasable: () => true,
  reopenUnassigned: false,
  keptByNamed: anyNamedIdentity,
  clears: [],
  keepsInProgress: () => false,
};

/**
 * 2026-08 (`beadmeta.SessionAffinityMetadataKeys`): what pins work to one live session through continuation-group
 * routing. Gas City empties both whenever work leaves its session without an assignee kept (orphan release,
 * retry to the pool), or a later claim pulls the work back onto an unrelated session by the stale group.
 */
export const SESSION_AFFINITY_KEYS: readonly string[] = ['gc.session_affinity', 'gc.continuation_group'];

const same = (v: string, word: string): boolean => v.trim().toLowerCase() === word;

/**
 * 2026-08 (`isCanonicalWorkflowRoot`, cmd/gc): a workflow's root (`gc.kind` workflow or `gc.formula_contract`
 * graph.v2, trimmed, any case) without a legacy `gc.run_target` stays in progress for the whole run: not reopened.
 */
export function canonicalWorkflowRoot(w: Bead): boolean {
  return (
    (same(meta(w, 'gc.kind'), 'workflow') || same(meta(w, 'gc.formula_contract'), 'graph.v2')) && meta(w, 'gc.run_target').trim() === ''
  );
}

/**
 * 2026-08 (`releaseOrphanedPoolAssignments`, cmd/gc): not for a pool with `max_active_sessions = 0`
 * (`SupportsGenericEphemeralSessions`), and pool-routed work left `in_progress` with no assignee is reopened:
 * nothing can claim it until it is open again.
 */
export const ORPHANS_2026_08: OrphanRules = {
  releasable: (t) => t.agentMax !== 0,
  reopenUnassigned: true,
  keptByNamed: namedBackingRoute,
  clears: SESSION_AFFINITY_KEYS,
  keepsInProgress: canonicalWorkflowRoot,
};

/** The emptying of each key of `keys` that holds a value (blank is no value), in the order of `keys`. */
function clearChanges(w: Bead, keys: readonly string[]): Change[] {
  const out: Change[] = [];
  for (const key of keys) {
    const v = w.metadata?.[key];
    if (typeof v === 'string' && v.trim() !== '') out.push({ field: `metadata.${key}`, before: v, after: '' });
  }
  return out;
}

function releaseChanges(w: Bead, clears: readonly string[]): Change[] {
  const changes: Change[] = [{ field: 'assignee', before: assigneeOf(w), after: '' }];
  if (w.status === 'in_progress') changes.push({ field: 'status', before: 'in_progress', after: 'open' });
  // No keys to empty (2026-05): the emptying code never runs, and a cold plan has less of it to compile.
  return clears.length === 0 ? changes : changes.concat(clearChanges(w, clears));
}

/** What a reason adds when the repair also empties the work's session affinity. A loop: it runs for each repair. */
function andClears(changes: readonly Change[], clears: readonly string[]): string {
  // No keys to empty (2026-05): nothing to say, and a cold plan compiles no loop for it.
  if (clears.length === 0) return '';
  let keys = '';
  for (let k = 0; k < changes.length; k++) {
    const field = changes[k].field;
    if (field.startsWith('metadata.')) keys += (keys === '' ? '' : ' and ') + field.slice('metadata.'.length);
  }
  return keys !== '' ? `, and empty ${keys} (a later claim would otherwise follow it to its old session)` : '';
}

function unassign(w: Bead, route: string, assignee: string, session: Bead, sessionTemplate: string, clears: readonly string[]): Repair {
  const changes = releaseChanges(w, clears);
  return {
    id: `unassign-cross-template-work:${w.id}`,
    kind: 'unassign-cross-template-work',
    beadId: w.id,
    template: route,
    changes,
    reason: `routed to ${route} but assignee ${inQuotes(assignee)} is session ${session.id} of ${sessionTemplate}: it will never resume there; unassign so it is routed afresh${andClears(changes, clears)}`,
  };
}

function release(w: Bead, route: string, assignee: string, clears: readonly string[]): Repair {
  const changes = releaseChanges(w, clears);
  return {
    id: `release-orphaned-work:${w.id}`,
    kind: 'release-orphaned-work',
    beadId: w.id,
    template: route,
    changes,
    reason: `assignee ${inQuotes(assignee)} resolves to no open session bead (routed to ${route}): release it${andClears(changes, clears)}`,
  };
}

/**
 * `assigned` are the indexes in `work` of the live work beads with an assignee, in file order (the only
 * ones R4 looks at); `names` resolves their assignees to sessions, in the same loop (the plan's later rules read
 * the result, `workSession`).
 */
export function analyzeWork(
  city: CityModel,
  sessions: SessionTable,
  work: readonly Bead[],
  assigned: readonly number[],
  names: Pick<NameIndex, 'resolve'>,
  unassignedInProgress: readonly number[] = [],
  rules: OrphanRules = ORPHANS_2026_05,
  arrays: PlanArrays = NEW_ARRAYS,
): WorkAnalysis {
  const out: WorkInfo[] = [];
  const repairs: Repair[] = [];
  const firstWork = arrays.int32(sessions.beads.length).fill(-1);
  const nextWork = arrays.int32(work.length);
  const workSession = arrays.int32(work.length).fill(-1);
  let crossTemplate = 0;
  let orphaned = 0;
  for (let j = 0; j < assigned.length; j++) {
    const k = assigned[j];
    const w = work[k];
    const s = (workSession[k] = names.resolve(assigneeOf(w)));
    if (!isLiveWork(w)) continue;
    const assignee = assigneeOf(w);
    if (!assignee) continue;
    const route = city.route(w);
    const session = s >= 0 ? sessions.beads[s] : null;
    const name = s >= 0 ? sessions.name[s] : -1;
    const sessionTemplate = name >= 0 ? city.configuredNames[name] : null;
    // The record is made once its problem is known: a field written after the object is made changes its hidden
    // class's field to mutable, and the optimizing compiler then throws away the code that read it.
    let problem: WorkInfo['problem'] = null;
    let repair: Repair | null = null;
    if (session) {
      nextWork[k] = firstWork[s];
      firstWork[s] = k;
      if (sessionTemplate !== null && route !== '' && route !== sessionTemplate) {
        problem = 'cross-template';
        crossTemplate++;
        repair = unassign(w, route, assignee, session, sessionTemplate, rules.clears);
      }
    } else if (route !== '' && !rules.keptByNamed(city, assignee, route)) {
      const t = city.byName.get(route);
      if (t && rules.releasable(t)) {
        problem = 'orphaned';
        orphaned++;
        repair = release(w, route, assignee, rules.clears);
      }
    }
    out.push({ id: w.id, route, assignee, sessionId: session?.id ?? null, sessionTemplate, problem });
    if (repair !== null) repairs.push(repair);
  }
  if (rules.reopenUnassigned) {
    for (const k of unassignedInProgress) {
      const w = work[k];
      const route = city.route(w);
      const t = route ? city.byName.get(route) : undefined;
      if (!t || !rules.releasable(t) || rules.keepsInProgress(w)) continue;
      out.push({ id: w.id, route, assignee: '', sessionId: null, sessionTemplate: null, problem: 'orphaned' });
      orphaned++;
      const changes: Change[] = [{ field: 'status', before: 'in_progress', after: 'open' }, ...clearChanges(w, rules.clears)];
      repairs.push({
        id: `release-orphaned-work:${w.id}`,
        kind: 'release-orphaned-work',
        beadId: w.id,
        template: route,
        changes,
        reason: `in_progress with no assignee (routed to ${route}): nothing can claim it until it is open again; reopen it${andClears(changes, rules.clears)}`,
      });
    }
  }
  return { work: out, repairs, firstWork, nextWork, workSession, crossTemplate, orphaned };
}

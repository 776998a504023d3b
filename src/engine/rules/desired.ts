// R7: desired sessions per pool — resume requests, then new demand (filled by in-flight beads first),
// accepted through the agent → rig → workspace caps, then min fill.
import type { CityModel, SessionTable, Template } from '../model.js';
import { CLOSING, NAMED, REFUSED, assigneeOf, isLiveWork, priorityOf } from '../model.js';
import { NEW_ARRAYS, type PlanArrays } from '../plan-arrays.js';
import type { Bead, Finding, PoolRequest, State, TemplateDetail } from '../types.js';
import { compareBytes, compareInstants, meta, parseInstantNs, reached, reachedAt, type Instant, inQuotes } from '../values.js';

/**
 * Does an unassigned work bead count as new demand for its route at `now` (ms)? The rule edition picks one
 * (src/engine/editions.ts).
 */
export type DemandRule = (b: Bead, now: number) => boolean;

/** The instants (ms) at which a demand rule can judge an unchanged bead otherwise (patrol.ts). */
export type DemandChanges = (b: Bead) => readonly number[];

/** No instant (one array for every bead: this runs for each bead after every plan). */
const NONE: readonly number[] = [];

/** PR #2076: time plays no part in demand. */
export const NO_DEMAND_CHANGES: DemandChanges = () => NONE;

/** PR #2076: status `open`. */
export function openWork(b: Bead): boolean {
  return b.status === 'open';
}

/** bd's and Gas City's Ready() exclusions (`readyExcludeTypes`, internal/beads): bookkeeping, not work. */
const NOT_WORK_TYPES: ReadonlySet<string> = new Set([
  'merge-request',
  'gate',
  'molecule',
  'step',
  'convoy',
  'message',
  'session',
  'agent',
  'role',
  'rig',
  'startup-health-episode',
]);
/** `HasReadyExcludedLabel` (internal/beads): bookkeeping, compared as written. */
const BOOKKEEPING_LABELS: ReadonlySet<string> = new Set(['gc:session', 'gc:order-tracking', 'order-tracking']);
/**
 * `beadmeta.DispatchHoldLabels`: the next actor is not a worker. Compared trimmed and without regard to case
 * (`demandRowServable`, cmd/gc: the hook strips `Hold:Mayor` as it strips `hold:mayor`).
 */
const HOLD_LABELS: ReadonlySet<string> = new Set(['hold:mayor', 'hold:external']);
/** `PoolDemandServeRulesForQuery` (internal/config): types a pool worker is never served. Exact, trimmed. */
const NOT_POOL_DEMAND_TYPES: ReadonlySet<string> = new Set(['epic']);

function heldOrBookkeeping(label: unknown): boolean {
  if (typeof label !== 'string') return false;
  return BOOKKEEPING_LABELS.has(label) || HOLD_LABELS.has(label.trim().toLowerCase());
}

/** `defer_until` (the bead's field, else its metadata), or null when absent or unreadable. */
function deferredUntil(b: Bead): Instant | null {
  return parseInstantNs(typeof b.defer_until === 'string' ? b.defer_until : meta(b, 'defer_until'));
}

/** 2026-08: an open work bead deferred until later becomes new demand at that instant. */
export function readyFrom(b: Bead): readonly number[] {
  if (b.issue_type === 'session' || b.status !== 'open') return NONE;
  const at = deferredUntil(b);
  return at === null ? NONE : [reachedAt(at, 0)];
}

/**
 * 2026-08 (#5161; `IsReadyCandidateForTier`, internal/beads, then `demandRowServable`, cmd/gc): `bd ready`
 * semantics — status `open`, not a bookkeeping type, not an `epic`, no bookkeeping or hold label, not deferred
 * (`defer_until` after now). A wisp (`ephemeral`) counts: the controller reads its demand from both tiers
 * (`readyDemandCache`, `ReadyQuery{TierMode: TierBoth}`; a formula wakes a pool with a root-only wisp). Blocking
 * dependencies are not in the input and are not judged; bd's projection of them is: `is_blocked: true` (gc's
 * `IsBlocked`) is not ready, nor is what a capture read from a status bd's ready work never holds (beads-capture.ts).
 */
export function readyWork(b: Bead, now: number): boolean {
  if (b.status !== 'open' || b.is_blocked === true) return false;
  if (typeof b.issue_type === 'string' && (NOT_WORK_TYPES.has(b.issue_type) || NOT_POOL_DEMAND_TYPES.has(b.issue_type.trim())))
    return false;
  for (const l of b.labels ?? []) if (heldOrBookkeeping(l)) return false;
  const deferUntil = deferredUntil(b);
  return deferUntil === null || reached(deferUntil, 0, now);
}

export interface DesiredInput {
  city: CityModel;
  /** Open session beads; refused duplicates and beads being closed or rolled back hold no capacity. */
  sessions: SessionTable;
  /** Work beads in file order, and the session each one's assignee resolves to (-1: none). */
  work: readonly Bead[];
  /** Indexes in `work` of the live work beads with an assignee, in file order. */
  assignedWork: readonly number[];
  workSession: Int32Array;
  counts: DesiredCounts;
  state: State;
  /** What makes its marks of resumed sessions (plan-arrays.ts); new arrays when absent. */
  arrays?: PlanArrays;
}

/** Counted in the plan's first pass over the file. */
export interface DesiredCounts {
  /** Per template index: open work beads with no assignee routed to it. */
  routedOpen: Int32Array;
  /** Per template index: open session beads of it. */
  live: Int32Array;
  /** Pool-managed open session beads of an agent template that are in flight, in file order. */
  inFlight: number[];
}

const EXCLUDED = REFUSED | CLOSING;

export interface DesiredOutcome {
  templates: TemplateDetail[];
  findings: Finding[];
}

interface Caps {
  /** Accepted requests per template index. */
  used: Int32Array;
  rigUsed: Map<string, number>;
  total: number;
}

function refusal(city: CityModel, t: Template, caps: Caps): string | null {
  if (caps.used[t.index] >= t.capacity) return 'agent_cap';
  if (t.rig !== null && t.rigMax !== null && (caps.rigUsed.get(t.rig) ?? 0) >= t.rigMax) return 'rig_cap';
  if (city.workspaceMax !== null && caps.total >= city.workspaceMax) return 'workspace_cap';
  return null;
}

function accept(t: Template, caps: Caps): void {
  acceptMany(t, caps, 1);
}

function acceptMany(t: Template, caps: Caps, n: number): void {
  caps.used[t.index] += n;
  if (t.rig !== null) caps.rigUsed.set(t.rig, (caps.rigUsed.get(t.rig) ?? 0) + n);
  caps.total += n;
}

/** How many more requests of t the caps accept now (refusal's checks, counted ahead): each accepted one fills all three. */
function room(city: CityModel, t: Template, caps: Caps): number {
  let n = t.capacity - caps.used[t.index];
  if (t.rig !== null && t.rigMax !== null) n = Math.min(n, t.rigMax - (caps.rigUsed.get(t.rig) ?? 0));
  if (city.workspaceMax !== null) n = Math.min(n, city.workspaceMax - caps.total);
  return Math.max(0, n);
}

/** The requests of every template, offered through the caps in the order they come. */
class Offers {
  readonly requests: PoolRequest[][];
  readonly caps: Caps;
  /** The one entry of every accepted anonymous new request (offerNew). */
  private acceptedNew: PoolRequest | null = null;

  constructor(readonly city: CityModel) {
    this.requests = city.templates.map(() => []);
    this.caps = { used: new Int32Array(city.templates.length), rigUsed: new Map(), total: 0 };
  }

  offer(t: Template, tier: PoolRequest['tier'], beadId: string | null, workId: string | null, priority: number): boolean {
    const refusedBy = refusal(this.city, t, this.caps);
    if (refusedBy === null) accept(t, this.caps);
    this.requests[t.index].push({ tier, beadId, workId, priority, accepted: refusedBy === null, refusedBy, count: 1 });
    return refusedBy === null;
  }

  /** `demand` new requests; in-flight beads fill the first ones. */
  offerNew(t: Template, demand: number, inFlight: readonly Bead[]): void {
    const list = this.requests[t.index];
    const named = Math.min(demand, inFlight.length);
    for (let i = 0; i < named; i++) {
      if (!this.offer(t, 'new', inFlight[i].id, null, 0)) {
        // Caps only fill up, so every later request of this template is refused the same way: fold them.
        list[list.length - 1].count = demand - i;
        return;
      }
    }
    // The rest are anonymous: as many as the caps leave room for are accepted, all alike, so they share one
    // entry (thousands at 100 000 beads); the first refused one folds the others.
    const left = demand - named;
    const accepted = Math.min(left, room(this.city, t, this.caps));
    if (accepted > 0) {
      const entry = (this.acceptedNew ??= {
        tier: 'new',
        beadId: null,
        workId: null,
        priority: 0,
        accepted: true,
        refusedBy: null,
        count: 1,
      });
      for (let k = 0; k < accepted; k++) list.push(entry);
      acceptMany(t, this.caps, accepted);
    }
    if (left > accepted && !this.offer(t, 'new', null, null, 0)) list[list.length - 1].count = left - accepted;
  }
}

interface ResumeRequest {
  t: Template;
  session: number;
  work: Bead;
  priority: number;
  pos: number;
}

/** Beads by creation time (one that does not parse last), then id; each bead's time parsed once, not per comparison. */
function oldestFirst(beads: Bead[]): Bead[] {
  if (beads.length < 2) return beads;
  const timed = beads.map((bead) => ({ bead, at: parseInstantNs(bead.created_at) }));
  timed.sort((x, y) => compareInstants(x.at, y.at) || compareBytes(x.bead.id, y.bead.id));
  return timed.map((x) => x.bead);
}

/** Resume tier candidates: live work whose assignee is a session R7 may resume, in file order. */
function resumeCandidates(
  city: CityModel,
  sessions: SessionTable,
  work: readonly Bead[],
  assignedWork: readonly number[],
  workSession: Int32Array,
): ResumeRequest[] {
  const { flags, agent } = sessions;
  const resume: ResumeRequest[] = [];
  for (let j = 0; j < assignedWork.length; j++) {
    const pos = assignedWork[j];
    const w = work[pos];
    if (!isLiveWork(w) || assigneeOf(w) === '') continue;
    const s = workSession[pos];
    if (s < 0 || (flags[s] & (NAMED | EXCLUDED)) !== 0 || agent[s] < 0) continue;
    const t = city.templates[agent[s]];
    if (t.suspended) continue;
    const route = city.route(w);
    if (route !== '' && route !== t.qualified) continue;
    resume.push({ t, session: s, work: w, priority: priorityOf(w), pos });
  }
  return resume;
}

export function planDesired({
  city,
  sessions,
  work,
  assignedWork,
  workSession,
  counts,
  state,
  arrays = NEW_ARRAYS,
}: DesiredInput): DesiredOutcome {
  const findings: Finding[] = [];
  const T = city.templates.length;
  const offers = new Offers(city);
  const { requests, caps } = offers;
  const { beads, flags, agent } = sessions;

  // Resume tier: one request per session bead, highest work priority first.
  const resume = resumeCandidates(city, sessions, work, assignedWork, workSession);
  resume.sort((a, b) => b.priority - a.priority || a.t.order - b.t.order || a.pos - b.pos);
  const resumed = arrays.uint8(beads.length);
  for (let k = 0; k < resume.length; k++) {
    const r = resume[k];
    if (resumed[r.session]) continue;
    resumed[r.session] = 1;
    offers.offer(r.t, 'resume', beads[r.session].id, r.work.id, r.priority);
  }

  // New tier: demand per template, in-flight beads fill the first requests.
  const details: TemplateDetail[] = [];
  const inFlightBy: Bead[][] = city.templates.map(() => []);
  for (const i of counts.inFlight) if ((flags[i] & EXCLUDED) === 0 && !resumed[i]) inFlightBy[agent[i]].push(beads[i]);
  const { routedOpen, live: liveCount } = counts;

  for (let k = 0; k < T; k++) {
    const t = city.templates[k];
    const inFlight = oldestFirst(inFlightBy[k]);
    const given = state.demand?.[t.qualified];
    let demand = 0;
    let demandSource: TemplateDetail['demandSource'] = 'suspended';
    if (!t.suspended) {
      if (typeof given === 'number' && Number.isFinite(given)) {
        demand = Math.max(0, Math.floor(given));
        demandSource = 'store';
      } else {
        demand = routedOpen[k];
        demandSource = t.scaleCheck ? 'scale-check-estimate' : 'routed-work';
        if (t.scaleCheck) {
          findings.push({
            kind: 'unknown-demand',
            severity: 'info',
            template: t.qualified,
            message: `custom scale_check ${inQuotes(t.scaleCheck)} is never run; demand estimated as ${demand} open unassigned work bead(s) routed to ${t.qualified}`,
          });
        }
      }
      offers.offerNew(t, demand, inFlight);
    }
    details.push({
      template: t.qualified,
      name: t.name,
      dir: t.dir,
      rig: t.rig,
      suspended: t.suspended,
      bounded: t.bounded,
      agentMax: t.agentMax,
      rigMax: t.rigMax,
      workspaceMax: city.workspaceMax,
      namepool: t.namepool,
      min: t.min,
      demand,
      demandSource,
      inFlight: inFlight.map((b) => b.id),
      requests: requests[k],
      desired: 0,
      live: liveCount[k],
    });
  }

  // Min fill, within the same caps.
  for (const t of city.templates) {
    if (t.suspended) continue;
    while (caps.used[t.index] < t.min) {
      if (!offers.offer(t, 'min', null, null, 0)) break;
    }
  }
  details.forEach((d, k) => (d.desired = caps.used[k]));
  return { templates: details, findings };
}

// plan(state, now): composes the rules R1–R8 into repairs, findings, figures and pool tables.
// The open session beads are a table indexed by position (model.ts SessionTable): typed columns and flag
// bits, no map keyed by bead id and no record per bead. Text (reasons, messages) is built only for the
// beads that get a repair or a finding; the console's per-bead detail is built when it is first read
// (detail.ts).
import type { CityModel, SessionTable, Template } from './model.js';
import {
  ALIAS_HELD,
  ALIAS_OFF,
  BACKFILL,
  CANONICAL_OFF,
  CLOSING,
  DEFERRED,
  IN_FLIGHT,
  KNOWN_STATE,
  LIVE,
  MISMATCHED_ALIAS,
  NAMED,
  OUT_OF_BOUNDS,
  POOL_MANAGED,
  REFUSED,
  RESTAMP,
  STALE,
  agentLabel,
  buildCityModel,
  liveTable,
  buildNameIndex,
  NAME_SAMPLES,
  nameSamples,
  identityOf,
  inBounds,
  isIdentityOf,
  isLiveWork,
  sessionTable,
} from './model.js';
import { withholdRejected } from './decisions.js';
import { lazyBeadDetail, type LiveWork } from './detail.js';
import { planAliases, type AliasCandidate, type AliasRules } from './rules/aliases.js';
import { analyzeWork, type WorkAnalysis } from './rules/cross-template.js';
import { planDesired, type DemandRule, type DesiredCounts } from './rules/desired.js';
import { HolderGroups, resolveSlots, type HolderCounts, type SlotResolution } from './rules/duplicates.js';
import type { Edition, EditionRules } from './editions.js';
import { editionRules } from './editions.js';
import {
  agentIdentity,
  decideAgreedSlot,
  decideCanonical,
  decideSlot,
  holdAboveCapacity,
  planCanonicalIdentities,
  type AboveCapacityRule,
  slotReason,
  type CanonicalCandidate,
} from './rules/identity.js';
import { NEW_ARRAYS, type PlanArrays } from './plan-arrays.js';
import { planRollbacks } from './rules/rollbacks.js';
import { lazyPool, slotEntryOf, type SlotPlaces } from './slot-places.js';
import type { StateRules } from './rules/states.js';
import { restampSlot, stampedWith } from './rules/slots.js';
import { backfillTemplate, resolveTemplate, resolveTemplateCode, unresolvedMessage } from './rules/templates.js';
import type { Bead, Finding, Metadata, Metrics, Plan, PoolPlan, Repair, SlotEntry, State, TemplateDetail } from './types.js';
import {
  ROLLBACK_BUDGET,
  compareBytes,
  compareInstants,
  compareUnits,
  hasSurrogate,
  meta,
  metaBefore,
  parseInstantNs,
  inQuotes,
  sortByBytes,
} from './values.js';

const NONE: readonly number[] = [];
const NO_METADATA: Metadata = {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const NO_WORK: readonly string[] = [];
/** How many distinct states the first pass remembers the flags of (FirstPass.stateFlags). */
const STATES_REMEMBERED = 12;

const REPAIR_WORDS: Record<string, string> = {
  'backfill-template': 'template backfill',
  'restamp-slot': 'slot restamp',
  'repair-alias': 'alias repair',
  'clear-conflicting-alias': 'alias clear',
  'close-duplicate': 'duplicate close',
  'canonical-identity': 'canonical identity',
  'close-duplicate-session-name': 'duplicate session_name close',
};

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareBytes(a.kind, b.kind) ||
    compareBytes(a.beadId ?? a.workId ?? '', b.beadId ?? b.workId ?? '') ||
    compareBytes(a.template ?? '', b.template ?? '')
  );
}

/** compareFindings of findings whose texts have no surrogate (compareUnits). */
function compareFindingUnits(a: Finding, b: Finding): number {
  return (
    compareUnits(a.kind, b.kind) ||
    compareUnits(a.beadId ?? a.workId ?? '', b.beadId ?? b.workId ?? '') ||
    compareUnits(a.template ?? '', b.template ?? '')
  );
}

/** The findings in compareFindings' order, by the native comparison when no text compared has a surrogate. */
function sortFindings(findings: Finding[]): Finding[] {
  for (const f of findings)
    if (hasSurrogate(f.kind) || hasSurrogate(f.beadId ?? f.workId ?? '') || hasSurrogate(f.template ?? ''))
      return findings.sort(compareFindings);
  return findings.sort(compareFindingUnits);
}

/**
 * The first pass over the file: open sessions into the table (a session's id is its place in the file, as a work
 * bead's is); per session R1, R2 and the facts the later rules ask about, as flag bits and short lists, and the
 * samples of its names the name index tests (model.ts nameSamples), taken while the bead is at hand.
 * One small method per bead kind, called per bead: the optimizing compiler compiles each once and reuses
 * it, where one big loop body is compiled again and again (on-stack replacement, deoptimizations).
 */
class FirstPass {
  readonly table: SessionTable;
  /** The places of the open sessions, the first `openCount` (SessionTable.open once the pass is done). */
  private readonly open: Int32Array;
  private openCount = 0;
  /**
   * Sessions with an agent template and an owned slot > 0, the first `holderCount` places: some 70 000 at 100 000
   * beads, made at the most there can be rather than grown by push.
   */
  readonly holders: Int32Array;
  holderCount = 0;
  /** The holders per template and their highest slot, counted as they are found (R3 sizes its slot table by them). */
  readonly holderCounts: HolderCounts;
  /** R3's grouping of the holders, made as they are found; null once a holder's slot changed after it was added. */
  holderGroups: HolderGroups | null;
  /** Identities some bead wants as its alias but does not have. */
  readonly wanted = new Set<string>();
  /** Assignees of live work (with repeats). */
  readonly assignees: string[] = [];
  /** Resolved beads that may get an R1/R5/R6 repair, or are in an unknown state. */
  readonly attention: number[] = [];
  /** R8's candidates: resolved, known state, in flight. */
  readonly inFlight: { i: number; bead: Bead; template: string }[] = [];
  readonly unresolvedBeads: number[] = [];
  readonly outOfBoundsBeads: number[] = [];
  /** Places of live work with an assignee: the only work R4 and R7's resume tier look at. */
  readonly assignedWork: number[] = [];
  /** Places of in_progress work with no assignee (2026-08's orphan release reopens them). */
  readonly unassignedInProgress: number[] = [];
  /** Sessions with a non-empty alias_history (assignee resolution reads it), in file order. */
  readonly withHistory: number[] = [];
  /** What R7 counts per template (by template index), and its in-flight candidates. */
  readonly desiredCounts: DesiredCounts;
  /** Sessions that keep a slot above their pool's max if they resume assigned work (2026-08 cap shrink). */
  readonly aboveCapacity: { i: number; slot: number }[] = [];
  /** The states `stateFlags` has met, and their flags. */
  private readonly statesSeen: string[] = [];
  private readonly statesSeenFlags: number[] = [];
  /** The name index's samples of each open session's names, in the order of `open` (model.ts nameSamples). */
  readonly nameSamples: Int32Array;

  constructor(
    readonly city: CityModel,
    beads: readonly Bead[],
    readonly states: StateRules,
    readonly aliases: AliasRules,
    readonly demand: DemandRule,
    readonly nowMs: number,
    readonly slotAboveCapacity: AboveCapacityRule,
    arrays: PlanArrays,
  ) {
    const capacity = beads.length;
    // Not from `arrays`: the plan worker's memo keeps the open places of the last plan it packed, to compare with the
    // next plan's (detail.ts DetailIds), after that plan's arrays were given back.
    this.open = new Int32Array(capacity);
    this.table = sessionTable(beads, capacity, this.open, arrays);
    this.nameSamples = arrays.int32(capacity * NAME_SAMPLES);
    this.holders = arrays.int32(capacity);
    const T = city.templates.length;
    this.desiredCounts = { routedOpen: new Int32Array(T), live: new Int32Array(T), inFlight: [] };
    this.holderCounts = { count: new Int32Array(T), maxSlot: new Int32Array(T) };
    this.holderGroups = new HolderGroups(T, capacity, arrays);
  }

  private addHolder(i: number, t: number, s: number): void {
    this.holders[this.holderCount++] = i;
    this.holderCounts.count[t]++;
    if (s > this.holderCounts.maxSlot[t]) this.holderCounts.maxSlot[t] = s;
    this.holderGroups?.add(i, t, s);
  }

  workBead(b: Bead, n: number): void {
    const assignee = typeof b.assignee === 'string' ? b.assignee : '';
    if (assignee !== '' && isLiveWork(b)) {
      this.assignees.push(assignee);
      this.assignedWork.push(n);
    } else if (this.demand(b, this.nowMs)) {
      // Open and unassigned: new demand for its route (R7).
      const route = this.city.route(b);
      const t = route ? this.city.byName.get(route) : undefined;
      if (t) this.desiredCounts.routedOpen[t.index]++;
    } else if (assignee === '' && b.status === 'in_progress') this.unassignedInProgress.push(n);
  }

  /** The open session at place i of the file. */
  session(b: Bead, i: number): void {
    const { city, table } = this;
    const d = this.openCount++;
    this.open[d] = i;
    // Each field read once, by name (the rules' meta() reads any key, which is slower at this volume).
    const md: Metadata = b.metadata ?? NO_METADATA;
    const st = str(md.state);
    const stored = str(md.template);
    const alias = str(md.alias);
    nameSamples(b, md, d, this.nameSamples);
    if (typeof md.alias_history === 'string' && md.alias_history !== '') this.withHistory.push(i);
    const named = md.configured_named_session === 'true' || md.session_origin === 'named';
    const pm = !named && md.pool_managed === 'true';
    let f = (pm ? POOL_MANAGED : 0) | (named ? NAMED : 0) | this.stateFlags(st);
    if (this.states.inFlight(st, md.pending_create_claim === 'true')) f |= IN_FLIGHT;
    // R1: the template.
    const code = resolveTemplateCode(city, b, stored);
    if (code < 0) {
      this.unresolvedBeads.push(i);
      table.flags[i] = f;
      return;
    }
    const name = code >> 2;
    table.name[i] = name;
    table.source[i] = code & 3;
    if ((code & 3) !== 0 && stored === '') f |= BACKFILL;
    if ((f & (KNOWN_STATE | IN_FLIGHT)) === (KNOWN_STATE | IN_FLIGHT))
      this.inFlight.push({ i, bead: b, template: city.configuredNames[name] });
    const a = city.agentOfName[name];
    table.agent[i] = a;
    if (a >= 0) {
      this.desiredCounts.live[a]++;
      if (pm && f & IN_FLIGHT) this.desiredCounts.inFlight.push(i);
      // R2: the owned slot.
      if (pm) f = this.slot(b, i, city.templates[a], f, md, stored, alias);
    }
    if (needsAttention(f)) this.attention.push(i);
    table.flags[i] = f;
  }

  /**
   * LIVE and KNOWN_STATE for a state, remembered for the first few states met: a store has a handful of them, and
   * comparing with those (the same string, or a short one) costs less than two Set probes per session.
   */
  private stateFlags(st: string): number {
    const seen = this.statesSeen;
    for (let k = 0; k < seen.length; k++) if (seen[k] === st) return this.statesSeenFlags[k];
    const f = (this.states.live.has(st) ? LIVE : 0) | (this.states.known.has(st) ? KNOWN_STATE : 0);
    if (seen.length < STATES_REMEMBERED) {
      seen.push(st);
      this.statesSeenFlags.push(f);
    }
    return f;
  }

  /** R2 for a pool-managed session of an agent template; returns its flags with what R2 found. */
  private slot(b: Bead, i: number, t: Template, f: number, md: Metadata, stored: string, alias: string): number {
    const table = this.table;
    if (t.canonical) {
      // A canonical singleton (2026-08): no numbered slot; the bare name is its identity.
      if (!decideCanonical(t, b, table, i, alias, str(md.pool_slot))) return f;
      this.wanted.add(t.qualified);
      return f | CANONICAL_OFF;
    }
    const agentId = str(md.agent_name) || agentLabel(b);
    const rawPoolSlot = str(md.pool_slot);
    // The usual session (decideAgreedSlot): its slot in bounds, its alias the slot's identity, its stamp the slot.
    const agreed = decideAgreedSlot(t, table, i, alias, agentId, rawPoolSlot);
    const s = agreed > 0 ? agreed : decideSlot(t, b, table, i, stored, alias, agentId, rawPoolSlot);
    const as = table.agentSlot[i];
    if (agreed === 0 && t.bounded && as > 0 && !inBounds(t, as)) {
      f |= OUT_OF_BOUNDS;
      this.outOfBoundsBeads.push(i);
    }
    const above = this.slotAboveCapacity(t, b, stored, alias, agentId);
    if (above > 0) {
      // Its alias is asked about now, while the name index is still to be built.
      this.aboveCapacity.push({ i, slot: above });
      this.wanted.add(identityOf(t, above));
    }
    if (s > 0) {
      this.addHolder(i, t.index, s);
      if (agreed === 0) f = this.hold(b, i, t, s, f, alias);
      else if (this.aliases.recheckHeld) {
        // hold's answer for it: the alias is the identity, the stamp agrees.
        f |= ALIAS_HELD;
        this.wanted.add(alias);
      }
    }
    return f;
  }

  /** A holder of slot s: what R5 and R6 will ask about it (its pool table row is made by buildPools). */
  private hold(b: Bead, i: number, t: Template, s: number, f: number, alias: string): number {
    if (!isIdentityOf(t, s, alias)) {
      f |= ALIAS_OFF;
      this.wanted.add(identityOf(t, s));
    } else if (this.aliases.recheckHeld) {
      f |= ALIAS_HELD;
      this.wanted.add(alias);
    }
    if (!stampedWith(b, s, this.table.poolSlot[i])) f |= RESTAMP;
    return f;
  }

  /**
   * 2026-08 cap shrink: the sessions with a slot above their pool's max that resume assigned work (live work
   * resolving to them, routed to their pool or not routed) keep that slot instead of what R2 decided.
   */
  keepAboveCapacity(work: readonly Bead[], workSession: Int32Array): void {
    const { table, city } = this;
    const slotOf = new Map(this.aboveCapacity.map((c) => [c.i, c.slot]));
    const kept = new Set<number>();
    for (const k of this.assignedWork) {
      const i = workSession[k];
      if (i < 0 || !slotOf.has(i) || kept.has(i)) continue;
      const t = city.templates[table.agent[i]];
      const route = city.route(work[k]);
      if (!t.suspended && (route === '' || route === t.qualified)) kept.add(i);
    }
    // A holder's slot changes: R3 groups the holders afresh.
    if (kept.size > 0) this.holderGroups = null;
    for (const i of kept) {
      const b = table.beads[i];
      const md = b.metadata ?? NO_METADATA;
      const before = table.flags[i];
      const s = slotOf.get(i)!;
      // A holder already counted keeps its count; its slot before may stay the template's highest, which only
      // sizes R3's table larger.
      if (table.owned[i] === 0) this.addHolder(i, table.agent[i], s);
      else if (s > this.holderCounts.maxSlot[table.agent[i]]) this.holderCounts.maxSlot[table.agent[i]] = s;
      holdAboveCapacity(table, i, s);
      const f = this.hold(b, i, city.templates[table.agent[i]], s, before & ~(ALIAS_OFF | ALIAS_HELD | RESTAMP), str(md.alias));
      table.flags[i] = f;
      if (!needsAttention(before) && needsAttention(f)) this.attention.push(i);
    }
  }

  /** The pass is over: the table's open sessions are the places it met. */
  done(): this {
    this.table.open = this.open.subarray(0, this.openCount);
    return this;
  }
}

/**
 * The sorted ids of a session's live work, made when asked: for a refused duplicate, or the detail of a bead that
 * is read. Thousands of sessions hold live work at 100 000 beads, and a plan asks about a few of them; the print of
 * every detail's inputs reads them all, and keeps none (`seen`).
 */
function liveWorkIds(work: readonly Bead[], { firstWork, nextWork }: WorkAnalysis): LiveWork {
  const made = new Map<number, string[]>();
  const into = (i: number, ids: string[]): string[] => {
    for (let k = firstWork[i]; k >= 0; k = nextWork[k]) ids.push(work[k].id);
    return ids.sort(compareBytes);
  };
  const scratch: string[] = [];
  const liveWork = (i: number): string[] | undefined => {
    if (firstWork[i] < 0) return undefined;
    let ids = made.get(i);
    if (ids === undefined) made.set(i, (ids = into(i, [])));
    return ids;
  };
  liveWork.seen = (i: number): readonly string[] | undefined => {
    if (firstWork[i] < 0) return undefined;
    scratch.length = 0;
    return made.get(i) ?? into(i, scratch);
  };
  return liveWork;
}

/** Resolved beads that may get an R1/R5/R6 repair, or are in an unknown state. */
function needsAttention(f: number): boolean {
  return (f & (BACKFILL | ALIAS_OFF | RESTAMP | CANONICAL_OFF | ALIAS_HELD)) !== 0 || !(f & KNOWN_STATE);
}

function scan(state: State, city: CityModel, rules: EditionRules, nowMs: number, arrays: PlanArrays): FirstPass {
  const beads = state.beads;
  const pass = new FirstPass(city, beads, rules.states, rules.aliases, rules.demand, nowMs, rules.aboveCapacity, arrays);
  for (let n = 0; n < beads.length; n++) {
    const b = beads[n];
    if (b.issue_type !== 'session') pass.workBead(b, n);
    else if (b.status !== 'closed') pass.session(b, n);
  }
  return pass.done();
}

/**
 * The held slots of each template, as session indexes in slot order (a template's incumbents hold distinct slots).
 * Slots about 1..N (as usual) are placed by number, others sorted. One typed column of every incumbent, grouped by
 * template (each template's a view of it) and made with `arrays`: at 100 000 beads a list per template grown an index at
 * a time, and another in slot order, were about 5 MB of garbage at every plan whose pools were packed.
 */
function heldInSlotOrder(table: SessionTable, incumbents: Int32Array, templates: number, arrays: PlanArrays): Int32Array[] {
  const { agent, owned } = table;
  const from = new Int32Array(templates + 1);
  for (let k = 0; k < incumbents.length; k++) from[agent[incumbents[k]] + 1]++;
  for (let t = 0; t < templates; t++) from[t + 1] += from[t];
  const all = arrays.int32(incumbents.length);
  const next = from.slice(0, templates);
  for (let k = 0; k < incumbents.length; k++) all[next[agent[incumbents[k]]]++] = incumbents[k];
  const held: Int32Array[] = [];
  for (let t = 0; t < templates; t++) {
    const list = all.subarray(from[t], from[t + 1]);
    let max = 0;
    for (let k = 0; k < list.length; k++) if (owned[list[k]] > max) max = owned[list[k]];
    if (max > 4 * list.length + 64) {
      held.push(list.sort((x, y) => owned[x] - owned[y]));
      continue;
    }
    // Each slot's holder plus one (0: none), then the holders in slot order written back over the list.
    const at = arrays.int32(max + 1);
    for (let k = 0; k < list.length; k++) at[owned[list[k]]] = list[k] + 1;
    let n = 0;
    for (let slot = 1; slot <= max; slot++) if (at[slot] > 0) list[n++] = at[slot] - 1;
    held.push(list.subarray(0, n));
  }
  return held;
}

/** The pool tables: held slots (incumbents) and refused duplicates per template, in byte order. */
function buildPools(
  city: CityModel,
  table: SessionTable,
  slots: SlotResolution,
  templates: TemplateDetail[],
  beads: readonly Bead[],
  arrays: PlanArrays,
): PoolPlan[] {
  const { agent, owned } = table;
  const sessionBeads = table.beads;
  const dupsOf: string[][] = city.templates.map(() => []);
  if (slots.duplicates.size > 0) for (const [i, dups] of slots.duplicates) for (const d of dups) dupsOf[agent[i]].push(sessionBeads[d].id);
  // The rows of every template, placed in one pass when the first pool's rows are read.
  let held: Int32Array[] | null = null;
  // Every read of a pool's rows reads the table's columns: not once its arrays were released (liveTable throws).
  const heldOf = (t: number) => {
    liveTable(table);
    return (held ??= heldInSlotOrder(table, slots.incumbents, city.templates.length, arrays))[t];
  };
  const rowsOf = (t: number) => (): SlotEntry[] => Array.from(heldOf(t), (i) => slotEntryOf(sessionBeads[i], owned[i]));
  // A session's index is its place in the state's beads.
  const placesOf = (t: number) => (): SlotPlaces | null => {
    const list = heldOf(t);
    const slot = new Int32Array(list.length);
    const bead = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) {
      slot[k] = owned[list[k]];
      bead[k] = list[k];
    }
    return { slot, bead, beads };
  };
  const desiredBy = new Map(templates.map((d) => [d.template, d.desired]));
  return city.templates
    .map((t: Template) =>
      lazyPool(
        {
          template: t.qualified,
          bounded: t.bounded,
          max: t.agentMax,
          min: t.min,
          desired: desiredBy.get(t.qualified) ?? 0,
        },
        rowsOf(t.index),
        sortByBytes(dupsOf[t.index], (id) => id),
        placesOf(t.index),
      ),
    )
    .sort((a, b) => compareBytes(a.template, b.template));
}

export interface PlanOptions {
  /** The rule edition (src/engine/editions.ts); `2026-05` when absent. */
  edition?: Edition;
  /**
   * What makes the plan's typed columns (plan-arrays.ts); new arrays when absent. The plan's output (its detail, its
   * pools' entries, made when read) reads them for as long as it is read: a caller that frees them must read it no more.
   */
  arrays?: PlanArrays;
}

/**
 * The plan of a state at `now`, under the rules of an edition: `plan(state, now)` and
 * `plan(state, now, '2026-05')` are PR #2076's rules; `plan(state, now, '2026-08')` or
 * `plan(state, now, { edition: '2026-08' })` the 2026-08 fork's.
 */
export function plan(state: State, now: Date, options: PlanOptions | Edition = {}): Plan {
  const rules = editionRules(typeof options === 'string' ? options : options.edition);
  const arrays = (typeof options === 'string' ? undefined : options.arrays) ?? NEW_ARRAYS;
  const nowMs = now.getTime();
  const city = buildCityModel(state, rules.city);
  const repairs: Repair[] = [];
  const findings: Finding[] = [];

  const first = scan(state, city, rules, nowMs, arrays);
  const { table, holders, wanted, assignees, attention, inFlight, unresolvedBeads, outOfBoundsBeads } = first;
  const { flags, agent, owned } = table;
  // Sessions and work beads alike are known by their place in the file.
  const sessionBeads = state.beads;
  const work = state.beads;

  // The names the plan asks about: the assignees of live work, the wanted aliases.
  const names = buildNameIndex(table, assignees, wanted, first.withHistory, first.nameSamples);
  arrays.done?.(first.nameSamples); // read by the index only
  // R4: cross-template and orphaned work, resolving each assigned work bead's assignee on the way (it reads no
  // slot, so it comes before the cap shrink's slots and R3).
  const workAnalysis = analyzeWork(city, table, work, first.assignedWork, names, first.unassignedInProgress, rules.orphans, arrays);
  const workSession = workAnalysis.workSession;
  if (first.aboveCapacity.length > 0) first.keepAboveCapacity(work, workSession);
  const templateName = (i: number): string | null => (table.name[i] >= 0 ? city.configuredNames[table.name[i]] : null);

  // R3: one bead per slot.
  const slots = resolveSlots(
    table,
    city.templates,
    holders.subarray(0, first.holderCount),
    first.holderCounts,
    first.holderGroups?.grouping() ?? null,
    arrays,
  );
  arrays.done?.(holders); // read by R3's grouping only
  const refused: number[] = [];
  for (const dups of slots.duplicates.values())
    for (const d of dups) {
      flags[d] |= REFUSED;
      refused.push(d);
    }

  repairs.push(...workAnalysis.repairs);
  const liveWork = liveWorkIds(work, workAnalysis);

  // A second open bead with another's session_name (2026-08): Gas City's session sync closes it before its
  // reconciler looks at creates, so it is decided before R8 and gets no other repair.
  const nameCloses = rules.sessionNames(table, assignees, templateName);
  repairs.push(...nameCloses.repairs);
  for (const i of nameCloses.closing) flags[i] |= CLOSING;
  const withheld = new Map<number, string[]>();
  for (const i of nameCloses.withheld) withheld.set(i, [REPAIR_WORDS['close-duplicate-session-name']]);

  // R8 first: stale creates, then close-duplicate for dormant refused duplicates without live work.
  const rollbacks = planRollbacks(
    nameCloses.closing.length > 0 ? inFlight.filter((c) => !(flags[c.i] & CLOSING)) : inFlight,
    nowMs,
    city.patrolMs,
    rules.rollback,
  );
  repairs.push(...rollbacks.repairs);
  findings.push(...rollbacks.findings);
  for (const i of rollbacks.stale) flags[i] |= STALE;
  for (const i of rollbacks.deferred) flags[i] |= DEFERRED;
  for (const i of rollbacks.rolledBack) flags[i] |= CLOSING;

  sortByBytes(refused, (i) => sessionBeads[i].id);
  for (const i of refused) {
    if (flags[i] & CLOSING) continue;
    const b = sessionBeads[i];
    const t = city.templates[agent[i]];
    const st = meta(b, 'state');
    const lw = liveWork(i) ?? NO_WORK;
    const incumbent = sessionBeads[table.duplicateOf[i]].id;
    const slotWords = `slot ${owned[i]} of ${t.qualified} (${identityOf(t, owned[i])})`;
    const because = `${incumbent} holds it because ${slots.reasons.get(i)!}`;
    if ((flags[i] & (KNOWN_STATE | LIVE)) === KNOWN_STATE && lw.length === 0) {
      flags[i] |= CLOSING;
      repairs.push({
        id: `close-duplicate:${b.id}`,
        kind: 'close-duplicate',
        beadId: b.id,
        template: t.qualified,
        changes: [
          { field: 'status', before: typeof b.status === 'string' ? b.status : null, after: 'closed' },
          { field: 'metadata.close_reason', before: metaBefore(b, 'close_reason'), after: 'duplicate-slot' },
        ],
        reason: `refused duplicate of ${slotWords}: ${because}; this bead is ${st || 'in no state'} (dormant) with no live work`,
      });
      continue;
    }
    const keeps: string[] = [];
    if (!(flags[i] & KNOWN_STATE)) keeps.push(`its state ${inQuotes(st)} is unknown`);
    else keeps.push(flags[i] & LIVE ? `it is live (${st})` : `it is ${st || 'in no state'} (dormant)`);
    if (lw.length > 0) keeps.push(`it holds live work ${lw.join(', ')}`);
    findings.push({
      kind: 'duplicate-slot',
      severity: 'action',
      beadId: b.id,
      template: t.qualified,
      message: `refused duplicate of ${slotWords}: ${because}; kept open because ${keeps.join(' and ')}`,
    });
  }

  // R5, R6, R1 backfill for the beads that stay. Only R5 depends on order (config order, then slot):
  // its candidates are the beads whose alias is not yet the wanted one.
  const aliasCandidates: AliasCandidate[] = [];
  const canonicalCandidates: CanonicalCandidate[] = [];
  for (const i of attention) {
    const f = flags[i];
    if (f & (REFUSED | CLOSING)) continue;
    const b = sessionBeads[i];
    const unknown = !(f & KNOWN_STATE);
    const own: Repair[] = [];
    if (f & BACKFILL) {
      const backfill = backfillTemplate(b, resolveTemplate(city, b));
      if (backfill) own.push(backfill);
    }
    if (f & (ALIAS_OFF | RESTAMP | ALIAS_HELD)) {
      const t = city.templates[agent[i]];
      if (f & (ALIAS_OFF | ALIAS_HELD)) {
        aliasCandidates.push({
          i,
          bead: b,
          template: t,
          slot: owned[i],
          sameSlotDuplicates: slots.duplicates.get(i) ?? NONE,
          withheld: unknown,
        });
      }
      const restamp = f & RESTAMP ? restampSlot(b, t, owned[i], () => slotReason(t, b, table, i), table.poolSlot[i]) : null;
      if (restamp) own.push(restamp);
    }
    if (f & CANONICAL_OFF) canonicalCandidates.push({ i, bead: b, template: city.templates[agent[i]], withheld: unknown });
    if (unknown) withheld.set(i, [...(withheld.get(i) ?? []), ...own.map((r) => REPAIR_WORDS[r.kind])]);
    else repairs.push(...own);
  }
  aliasCandidates.sort((x, y) => x.template.order - y.template.order || x.slot - y.slot || compareBytes(x.bead.id, y.bead.id));

  let aliasConflicts = 0;
  const conflictHolders = new Map<number, string>();
  planAliases(city, names, sessionBeads, aliasCandidates, now, rules.aliases).forEach((outcome, k) => {
    const i = aliasCandidates[k].i;
    if (outcome.holder !== null) {
      conflictHolders.set(i, outcome.holder);
      aliasConflicts++;
    }
    if (outcome.finding) findings.push(outcome.finding);
    if (!outcome.repair) return;
    if (flags[i] & KNOWN_STATE) repairs.push(outcome.repair);
    else withheld.get(i)!.push(REPAIR_WORDS[outcome.repair.kind]);
  });

  // Canonical singletons (2026-08): the bare name, oldest session first.
  let mismatched = 0;
  if (canonicalCandidates.length > 0) {
    canonicalCandidates.sort(
      (x, y) => compareInstants(parseInstantNs(x.bead.created_at), parseInstantNs(y.bead.created_at)) || compareBytes(x.bead.id, y.bead.id),
    );
    for (const outcome of planCanonicalIdentities(names, sessionBeads, canonicalCandidates, now)) {
      const i = outcome.i;
      if (outcome.holder !== null) {
        conflictHolders.set(i, outcome.holder);
        aliasConflicts++;
      }
      if (outcome.mismatched) {
        flags[i] |= MISMATCHED_ALIAS;
        mismatched++;
      }
      if (outcome.finding) findings.push(outcome.finding);
      if (!outcome.repair) continue;
      if (flags[i] & KNOWN_STATE) repairs.push(outcome.repair);
      else withheld.get(i)!.push(REPAIR_WORDS[outcome.repair.kind]);
    }
  }

  // Findings that only report (their order does not matter: findings are sorted), and the figures.
  for (const i of unresolvedBeads) {
    const b = sessionBeads[i];
    findings.push({ kind: 'unresolved-template', severity: 'action', beadId: b.id, message: unresolvedMessage(b) });
  }
  for (const i of [...unresolvedBeads, ...attention]) {
    if (flags[i] & KNOWN_STATE) continue;
    const b = sessionBeads[i];
    const template = templateName(i);
    const w = withheld.get(i) ?? [];
    findings.push({
      kind: 'unknown-state',
      severity: 'info',
      beadId: b.id,
      ...(template ? { template } : {}),
      message: `state ${inQuotes(meta(b, 'state'))} is not a known state: shown and keeps ${owned[i] > 0 ? `slot ${owned[i]}` : 'its place'}, never stale or closed; withheld: ${w.length ? w.join(', ') : 'nothing'}`,
    });
  }
  findings.push(...rules.stamps(table, templateName));
  for (const i of outOfBoundsBeads) {
    const b = sessionBeads[i];
    const t = city.templates[agent[i]];
    findings.push({
      kind: 'out-of-bounds-identity',
      severity: 'info',
      beadId: b.id,
      template: t.qualified,
      message: `agent identity ${inQuotes(agentIdentity(b))} names slot ${table.agentSlot[i]}, outside ${t.qualified}'s bounds (1..${t.capacity}); ${owned[i] > 0 ? `owns slot ${owned[i]}` : 'owns no slot'} (${slotReason(t, b, table, i)})`,
    });
  }
  for (const i of attention) {
    // ALIAS_OFF: a pool-managed bead with an owned slot whose alias is not its identity.
    if ((flags[i] & (ALIAS_OFF | REFUSED)) === ALIAS_OFF && meta(sessionBeads[i], 'alias') !== '') {
      flags[i] |= MISMATCHED_ALIAS;
      mismatched++;
    }
  }

  // R7: desired state.
  const desired = planDesired({
    city,
    sessions: table,
    work,
    assignedWork: first.assignedWork,
    workSession,
    counts: first.desiredCounts,
    state,
    arrays,
  });
  findings.push(...desired.findings);

  const metrics: Metrics = {
    mismatched_aliases: mismatched,
    alias_conflicts: aliasConflicts,
    duplicate_slots: refused.length,
    cross_template_assignments: workAnalysis.crossTemplate,
    orphaned_work: workAnalysis.orphaned,
    out_of_bounds_identities: outOfBoundsBeads.length,
    stale_creates: rollbacks.stale.length,
    deferred_rollbacks: rollbacks.deferred.length,
    unresolved_templates: unresolvedBeads.length,
  };

  const pools = buildPools(city, table, slots, desired.templates, state.beads, arrays);

  const ticks = Math.ceil(rollbacks.deferred.length / ROLLBACK_BUDGET);
  const { proposed, rejected } = withholdRejected(
    sortByBytes(repairs, (r) => r.id),
    state.decisions,
  );
  return {
    metrics,
    repairs: proposed,
    findings: sortFindings(findings),
    pools,
    detail: lazyBeadDetail(
      { city, table, liveWork, reasons: slots.reasons, conflictHolders },
      {
        templates: desired.templates,
        work: workAnalysis.work,
        rollbackBacklog: { stale: rollbacks.stale.length, deferred: rollbacks.deferred.length, ticks, budget: ROLLBACK_BUDGET },
        rejected,
      },
    ),
  };
}

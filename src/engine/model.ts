// The city model (templates, caps, namepools, named identities) and the bead indexes the rules share.
import type { AgentConfig, Bead, Metadata, RigConfig, State } from './types.js';
import { NameFilter, sampleOf } from './name-filter.js';
import { NEW_ARRAYS, type PlanArrays } from './plan-arrays.js';
import { meta, parseDurationMs, parseSlotAt } from './values.js';

export interface Template {
  qualified: string;
  name: string;
  dir: string | null;
  /** Position in the config: the tie-breaker "template config order". */
  order: number;
  /** Position in CityModel.templates (config order without repeated names). */
  index: number;
  /** The agent's own max_active_sessions (null = unset). */
  agentMax: number | null;
  min: number;
  namepool: string[];
  /**
   * `namepool.length`, as a number. The checks run for every pool-managed bead read it (and `slotNames`) from every
   * template alike: an empty array is of another hidden class in V8 than one holding names, and the code compiled
   * for the templates met first deoptimized at the first namepool pool ("wrong map"), to be compiled again.
   */
  namepoolSize: number;
  /** `[dir/]name` of the namepool entry of each slot: slotNames[s] is the identity of slot s ≤ namepoolSize; [0] is ''. */
  slotNames: string[];
  /** `<qualified>-`, the prefix of the numbered identities. */
  prefix: string;
  /** `[dir/]name` of each namepool entry → its slot (first occurrence wins). */
  namepoolSlots: Map<string, number>;
  scaleCheck: string;
  suspended: boolean;
  rig: string | null;
  rigMax: number | null;
  bounded: boolean;
  /** What the agent-level caps allow at most: min(max, namepool size); Infinity = no cap. */
  capacity: number;
  /**
   * Identified by its bare qualified name, not by numbered slots (2026-08 singleton pools, see
   * rules/identity.ts): its sessions hold no slot.
   */
  canonical: boolean;
  config: AgentConfig;
}

export interface CityModel {
  name: string;
  templates: Template[];
  byName: Map<string, Template>;
  /** Template names that count as configured for R1: agents plus named sessions' templates. */
  configured: Set<string>;
  /** The same names as a list (agents first, in config order): a bead's template is an index into it. */
  configuredNames: string[];
  configuredIndex: Map<string, number>;
  /** Per configured name, the index of its agent in `templates`, or -1 (a named session's template only). */
  agentOfName: Int32Array;
  /** Identities reserved by `[[named_session]]` entries. */
  namedIdentities: Set<string>;
  /** Named-session identity → the template backing it (the first entry of an identity wins). */
  namedTemplates: Map<string, string>;
  /** Namepool identity → template, for R1 resolution. */
  namepoolTemplates: Map<string, Template>;
  workspaceMax: number | null;
  patrolMs: number;
  /** The route of a work bead, as the edition reads it (CityRules.route). */
  route: (b: Bead) => string;
}

/**
 * The pieces of the city model that depend on the rule edition (src/engine/editions.ts picks them): when a
 * pool is bounded, and when it is a canonical singleton.
 */
export interface CityRules {
  bounded(agent: AgentConfig, agentMax: number | null, namepool: readonly string[]): boolean;
  canonicalSingleton(agent: AgentConfig, agentMax: number | null, namepool: readonly string[]): boolean;
  route(b: Bead): string;
}

/** PR #2076: bounded when `max_active_sessions` is above 0, or there is a namepool. */
export function boundedByPositiveMax(_agent: AgentConfig, agentMax: number | null, namepool: readonly string[]): boolean {
  return (agentMax !== null && agentMax > 0) || namepool.length > 0;
}

/**
 * 2026-08 (`poolSlotHasConfiguredBound`, cmd/gc/build_desired_state.go): bounded when there is a namepool or
 * `max_active_sessions` is set at all, whatever its value (0 and negative numbers included).
 */
export function boundedByAnyMax(agent: AgentConfig, _agentMax: number | null, namepool: readonly string[]): boolean {
  return namepool.length > 0 || typeof agent.max_active_sessions === 'number';
}

/** The rules of PR #2076, the default. */
export const CITY_RULES_2026_05: CityRules = {
  bounded: boundedByPositiveMax,
  canonicalSingleton: () => false,
  route: routeOf,
};

function cap(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

export function qualifiedName(agent: Pick<AgentConfig, 'name' | 'dir'>): string {
  return agent.dir ? flat(agent.dir, '/', agent.name) : agent.name;
}

/**
 * The pieces as one flat string. `a + b` and template literals make a rope in V8 (a string that keeps its
 * pieces), and the template names are compared with fields of every bead: a rope is walked on each of those
 * calls, a flat string is not (about 3% of a plan's instructions at 100k beads).
 */
function flat(...pieces: string[]): string {
  return pieces.join('');
}

export function buildCityModel(state: State, rules: CityRules = CITY_RULES_2026_05): CityModel {
  const rigs = new Map<string, RigConfig>();
  for (const rig of state.city.rigs ?? []) if (!rigs.has(rig.name)) rigs.set(rig.name, rig);
  const templates: Template[] = [];
  const byName = new Map<string, Template>();
  const namepoolTemplates = new Map<string, Template>();
  state.city.agents.forEach((agent, order) => {
    const qualified = qualifiedName(agent);
    if (byName.has(qualified)) return;
    const dir = agent.dir ? agent.dir : null;
    const rig = dir !== null ? (rigs.get(dir) ?? null) : null;
    const agentMax = cap(agent.max_active_sessions);
    const namepool = (agent.namepool ?? []).filter((n) => typeof n === 'string' && n !== '');
    const namepoolSlots = new Map<string, number>();
    const namepoolIds = namepool.map((n) => (dir ? `${dir}/${n}` : n));
    namepoolIds.forEach((id, i) => {
      if (!namepoolSlots.has(id)) namepoolSlots.set(id, i + 1);
    });
    let capacity = agentMax ?? Infinity;
    if (namepool.length > 0) capacity = Math.min(capacity, namepool.length);
    const t: Template = {
      qualified,
      name: agent.name,
      dir,
      order,
      index: templates.length,
      agentMax,
      min: cap(agent.min_active_sessions) ?? 0,
      namepool,
      namepoolSize: namepool.length,
      slotNames: ['', ...namepoolIds],
      prefix: flat(qualified, '-'),
      namepoolSlots,
      scaleCheck: typeof agent.scale_check === 'string' ? agent.scale_check : '',
      suspended: agent.suspended === true || rig?.suspended === true,
      rig: rig ? rig.name : null,
      rigMax: rig ? cap(rig.max_active_sessions) : null,
      bounded: rules.bounded(agent, agentMax, namepool),
      capacity,
      canonical: rules.canonicalSingleton(agent, agentMax, namepool),
      config: agent,
    };
    templates.push(t);
    byName.set(qualified, t);
    for (const id of namepoolSlots.keys()) if (!namepoolTemplates.has(id)) namepoolTemplates.set(id, t);
  });
  const configured = new Set<string>(byName.keys());
  const namedIdentities = new Set<string>();
  const namedTemplates = new Map<string, string>();
  for (const ns of state.city.named_sessions ?? []) {
    if (typeof ns.template !== 'string' || ns.template === '') continue;
    configured.add(ns.template);
    const identity = typeof ns.identity === 'string' && ns.identity !== '' ? ns.identity : ns.template;
    namedIdentities.add(identity);
    if (!namedTemplates.has(identity)) namedTemplates.set(identity, ns.template);
  }
  const configuredNames = [...configured];
  const configuredIndex = new Map(configuredNames.map((n, i) => [n, i]));
  const agentOfName = Int32Array.from(configuredNames, (n) => byName.get(n)?.index ?? -1);
  return {
    name: state.city.workspace?.name ?? '',
    templates,
    byName,
    configured,
    configuredNames,
    configuredIndex,
    agentOfName,
    namedIdentities,
    namedTemplates,
    namepoolTemplates,
    workspaceMax: cap(state.city.workspace?.max_active_sessions),
    patrolMs: parseDurationMs(state.city.daemon?.patrol_interval) ?? 30_000,
    route: rules.route,
  };
}

/** 1 ≤ s ≤ max (when max > 0) and s ≤ namepool size (when there is one); false on an unbounded pool. */
export function inBounds(t: Template, s: number): boolean {
  if (!t.bounded || s < 1) return false;
  if (t.agentMax !== null && t.agentMax > 0 && s > t.agentMax) return false;
  if (t.namepoolSize > 0 && s > t.namepoolSize) return false;
  return true;
}

export function usable(t: Template, s: number): boolean {
  return s > 0 && (!t.bounded || inBounds(t, s));
}

/** The concrete identity of slot s: the s-th namepool name when there is one, else `<qualified>-<s>`. */
export function identityOf(t: Template, s: number): string {
  if (s >= 1 && s <= t.namepoolSize) return t.slotNames[s];
  return `${t.qualified}-${s}`;
}

/** `text === identityOf(t, s)`, without building the identity (it is asked for every pool-managed bead). */
export function isIdentityOf(t: Template, s: number, text: string): boolean {
  // slotNames read and compared for every template, its namepool's or not: a branch the compiled code has not met
  // deoptimizes it when a namepool pool's bead first comes.
  const named = s >= 1 && s <= t.namepoolSize ? s : 0;
  const same = text === t.slotNames[named];
  if (named !== 0) return same;
  const p = t.prefix.length;
  if (text.length <= p || !text.startsWith(t.prefix)) return false;
  // The decimal form of s: no sign, no leading zero (s ≥ 1 here; other s compare as text).
  if (s < 1 || !Number.isInteger(s)) return text === `${t.qualified}-${s}`;
  let v = 0;
  const c0 = text.charCodeAt(p);
  if (c0 === 48) return false;
  for (let i = p; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    v = v * 10 + d;
    if (v > s) return false;
  }
  return v === s;
}

/** The slot an identity names in template t: `<qualified>-<n>`, `<qualified>-gc-<n>` or a namepool name. */
export function slotIn(t: Template, identity: string): number {
  if (!identity) return 0;
  const p = t.prefix.length;
  if (identity.length > p && identity.startsWith(t.prefix)) {
    const legacy = identity.startsWith('gc-', p) ? parseSlotAt(identity, p + 3) : 0;
    if (legacy > 0) return legacy;
    const n = parseSlotAt(identity, p);
    if (n > 0) return n;
  }
  return t.namepoolSlots.size > 0 ? (t.namepoolSlots.get(identity) ?? 0) : 0;
}

// ---------------------------------------------------------------- beads

export function isSession(b: Bead): boolean {
  return b.issue_type === 'session';
}

export function isOpen(b: Bead): boolean {
  return b.status !== 'closed';
}

export function isNamed(b: Bead): boolean {
  return meta(b, 'configured_named_session') === 'true' || meta(b, 'session_origin') === 'named';
}

export function isPoolManaged(b: Bead): boolean {
  return isSession(b) && isOpen(b) && meta(b, 'pool_managed') === 'true' && !isNamed(b);
}

export function agentLabel(b: Bead): string {
  for (const l of b.labels ?? []) if (typeof l === 'string' && l.startsWith('agent:')) return l.slice(6);
  return '';
}

export function isLiveWork(b: Bead): boolean {
  return !isSession(b) && (b.status === 'open' || b.status === 'in_progress');
}

/** PR #2076: a work bead's route is `gc.routed_to`. */
export function routeOf(b: Bead): string {
  return meta(b, 'gc.routed_to');
}

/**
 * 2026-08 (`routedToOrLegacyWorkflowTarget`, cmd/gc): `gc.routed_to`, or for a workflow (`gc.kind = workflow`)
 * without one, `gc.run_target` (both trimmed).
 */
export function routeOrWorkflowTarget(b: Bead): string {
  const routed = meta(b, 'gc.routed_to').trim();
  if (routed !== '') return routed;
  return meta(b, 'gc.kind').trim() === 'workflow' ? meta(b, 'gc.run_target').trim() : '';
}

export function assigneeOf(b: Bead): string {
  return typeof b.assignee === 'string' ? b.assignee : '';
}

export function priorityOf(b: Bead): number {
  const p: unknown = b.priority;
  if (typeof p === 'number') return Number.isFinite(p) ? p : 0;
  // A priority beyond 2^53 that the reader kept as its digits (Gas City's Go int goes to 2^63-1): its nearest number.
  if (p !== null && typeof p === 'object' && typeof (p as { toJSON?: unknown }).toJSON === 'function') {
    const n = Number((p as { toJSON(): unknown }).toJSON());
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

export function aliasHistory(b: Bead): string[] {
  const h = meta(b, 'alias_history');
  return h ? h.split(',').filter((x) => x !== '') : [];
}

// ---------------------------------------------------------------- the bead table

/**
 * The open session beads by position: a session's small integer id is its place in `beads` (file order), the
 * state's own list of every bead (a plan copies no bead into a list of its own: at 100 000 beads such a list was
 * some 70 000 pushes and the pages of its growing copies), and what the rules conclude about it lives in typed
 * columns at that place. `open` lists the places that are open session beads; the other places hold no session.
 * Nothing is keyed by bead id.
 */
export interface SessionTable {
  beads: readonly Bead[];
  /** The places in `beads` of the open session beads, in file order. */
  open: Int32Array;
  /** Index into CityModel.configuredNames of the R1 template, or -1 when it does not resolve. */
  name: Int32Array;
  /** How R1 resolved it: an index into TEMPLATE_SOURCES. */
  source: Uint8Array;
  /** Index into CityModel.templates of the bead's agent, or -1. */
  agent: Int32Array;
  flags: Uint16Array;
  agentSlot: Int32Array;
  aliasSlot: Int32Array;
  sessionNameSlot: Int32Array;
  /** The stamped pool_slot as a slot number (0 = absent or not one). */
  poolSlot: Int32Array;
  /** R2 owned slot; 0 = holds none. */
  owned: Int32Array;
  /** Which branch of R2 decided (rules/identity.ts), for the reason text built on demand. */
  slotCase: Uint8Array;
  /** Incumbent of the same slot when this bead is a refused duplicate, else -1. */
  duplicateOf: Int32Array;
}

export const POOL_MANAGED = 1;
export const NAMED = 2;
export const LIVE = 4;
export const KNOWN_STATE = 8;
export const IN_FLIGHT = 16;
export const OUT_OF_BOUNDS = 32;
export const REFUSED = 64;
export const CLOSING = 128;
export const STALE = 256;
export const DEFERRED = 512;
export const MISMATCHED_ALIAS = 1024;
/** Pool-managed with an owned slot, and the alias is not the slot's identity (R5 has something to say). */
export const ALIAS_OFF = 2048;
/** Pool-managed with an owned slot that pool_slot does not say (R6). */
export const RESTAMP = 4096;
/** Resolved by other evidence than an empty `template` (R1 backfill). */
export const BACKFILL = 8192;
/** A session of a canonical singleton (2026-08) whose metadata still carries a numbered identity or slot. */
export const CANONICAL_OFF = 16384;
/** Pool-managed with an owned slot whose alias is its identity, re-checked for a holder (2026-08 R5). */
export const ALIAS_HELD = 32768;

/**
 * Columns for `capacity` places of `beads`, made by `arrays`; `open` says which are open sessions (by default every
 * one).
 */
export function sessionTable(
  beads: readonly Bead[],
  capacity = beads.length,
  open?: Int32Array,
  arrays: PlanArrays = NEW_ARRAYS,
): SessionTable {
  const n = capacity;
  return {
    beads,
    open: open ?? Int32Array.from(beads, (_, i) => i),
    name: arrays.int32(n).fill(-1),
    source: arrays.uint8(n),
    agent: arrays.int32(n).fill(-1),
    flags: arrays.uint16(n),
    agentSlot: arrays.int32(n),
    aliasSlot: arrays.int32(n),
    sessionNameSlot: arrays.int32(n),
    poolSlot: arrays.int32(n),
    owned: arrays.int32(n),
    slotCase: arrays.uint8(n),
    duplicateOf: arrays.int32(n).fill(-1),
  };
}

/**
 * `table`, or a throw when its columns were given back (PlanArrays: their memory freed, every view of it empty): a
 * plan's detail or pools read after its caller released them would read nothing where the table has open sessions.
 */
export function liveTable(table: SessionTable): SessionTable {
  if (table.open.length > 0 && table.flags.length === 0) throw new Error("a plan's session table was read after its arrays were released");
  return table;
}

/** A 30-bit hash of a name (FNV-1a), never 0; 0 stands for "no name". A filter: equal names hash equal. */
export function nameHash(text: unknown): number {
  if (typeof text !== 'string' || text === '') return 0;
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
  h &= 0x3fffffff;
  return h === 0 ? 1 : h;
}

export type ClaimKind = 'session_name' | 'alias' | 'agent_name';
export const CLAIM_KINDS: readonly ClaimKind[] = ['session_name', 'alias', 'agent_name'];

interface NameEntry {
  id: number;
  sessionName: number;
  alias: number;
  history: number;
  /** (session, kind index) pairs, flat, in file order; only for names asked as claims. */
  claims: number[] | null;
}

/**
 * The names of open session beads, looked up only for the names a plan asks about: the assignees of live
 * work (resolution) and the aliases some bead wants (claims). One pass over the sessions, a small map.
 */
export interface NameIndex {
  /** Assignee resolution: id, then session_name, then alias, then alias_history; first in file order; -1. */
  resolve(name: string): number;
  /** Who claims a name as session_name, alias or agent_name, in file order: flat (session, kind index) pairs. */
  claims(name: string): readonly number[];
}

const NO_CLAIMS: readonly number[] = [];

/** Where a session's names' samples are in the columns `nameSamples` fills: four per session. */
export const NAME_SAMPLES = 4;
/** No such name (not a non-empty string); and, for agent_name, the very value of the alias. */
const NO_NAME = -1;
const SAME_AS_ALIAS = -2;

/**
 * The filter samples (name-filter.ts) of the id, session_name, alias and agent_name of the i-th open session (its
 * place in SessionTable.open), taken by the plan's first pass while the bead and its strings are at hand, so that
 * the name index need not read them again.
 */
export function nameSamples(b: Bead, md: Metadata, i: number, out: Int32Array): void {
  const k = i * NAME_SAMPLES;
  out[k] = sampleOf(b.id);
  const sn = md.session_name;
  out[k + 1] = typeof sn === 'string' && sn !== '' ? sampleOf(sn) : NO_NAME;
  const al = md.alias;
  const an = md.agent_name;
  out[k + 2] = typeof al === 'string' && al !== '' ? sampleOf(al) : NO_NAME;
  out[k + 3] = al === an ? SAME_AS_ALIAS : typeof an === 'string' && an !== '' ? sampleOf(an) : NO_NAME;
}

export function buildNameIndex(
  sessions: SessionTable,
  assignees: readonly string[],
  wanted: Iterable<string>,
  /** Sessions with a non-empty alias_history, in file order. */
  withHistory: readonly number[],
  /** Every open session's `nameSamples`, in the order of `sessions.open`. */
  samples: Int32Array,
): NameIndex {
  const names = new Map<string, NameEntry>();
  const entry = (name: string): NameEntry => {
    let e = names.get(name);
    if (!e) {
      names.set(name, (e = { id: -1, sessionName: -1, alias: -1, history: -1, claims: null }));
    }
    return e;
  };
  let resolving = false;
  for (let k = 0; k < assignees.length; k++) {
    if (!assignees[k]) continue;
    entry(assignees[k]);
    resolving = true;
  }
  for (const name of wanted) if (name) entry(name).claims ??= [];
  if (names.size > 0) {
    // The names asked about are a few thousand; the sessions' names, four per session, are mostly not among them.
    // The filter turns those away by their samples, taken in the first pass: a bead and its strings are read again
    // only for a name that may be asked about (a Map probe would first compute the hash of each, and a string fresh
    // from JSON.parse has none).
    const filter = new NameFilter();
    for (const name of names.keys()) filter.add(name);
    const { beads, open } = sessions;
    // Only the samples it may hold, in file order, and per session its id, session_name, alias, agent_name.
    const held = filter.heldPlaces(samples.subarray(0, open.length * NAME_SAMPLES));
    for (let h = 0; h < held.length; h++) {
      const k = held[h];
      const d = (k / NAME_SAMPLES) | 0;
      const kind = k - d * NAME_SAMPLES;
      const i = open[d];
      if (kind === 0) {
        const byId = names.get(beads[i].id);
        if (byId) byId.id = i; // ids are unique in a valid store; as a Map.set, the last one would win
      } else if (kind === 1) {
        const e = names.get(beads[i].metadata!.session_name as string);
        if (e) {
          if (e.sessionName < 0) e.sessionName = i;
          e.claims?.push(i, 0);
        }
      } else if (kind === 2) {
        const e = names.get(beads[i].metadata!.alias as string);
        if (e) {
          if (e.alias < 0) e.alias = i;
          e.claims?.push(i, 1);
          // Most sessions' agent_name is their alias: the alias's answer holds for it, without sampling it again.
          if (samples[k + 1] === SAME_AS_ALIAS) e.claims?.push(i, 2);
        }
      } else names.get(beads[i].metadata!.agent_name as string)?.claims?.push(i, 2);
    }
    if (resolving) {
      for (const i of withHistory) {
        for (const h of String(beads[i].metadata!.alias_history).split(',')) {
          if (h === '') continue;
          const e = names.get(h);
          if (e && e.history < 0) e.history = i;
        }
      }
    }
  }
  return {
    resolve(name: string): number {
      if (!name) return -1;
      const e = names.get(name);
      if (!e) return -1;
      return e.id >= 0 ? e.id : e.sessionName >= 0 ? e.sessionName : e.alias >= 0 ? e.alias : e.history;
    },
    claims(name: string): readonly number[] {
      return names.get(name)?.claims ?? NO_CLAIMS;
    },
  };
}

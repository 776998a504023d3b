// The city model (templates, caps, namepools, named identities) and the bead indexes the rules share.
import type { AgentConfig, Bead, RigConfig, State } from './types.js';
import { meta, parseDurationMs, parseSlotNumber } from './values.js';

export interface Template {
  qualified: string;
  name: string;
  dir: string | null;
  /** Position in the config: the tie-breaker "template config order". */
  order: number;
  /** The agent's own max_active_sessions (null = unset). */
  agentMax: number | null;
  min: number;
  namepool: string[];
  /** `[dir/]name` of each namepool entry → its slot (first occurrence wins). */
  namepoolSlots: Map<string, number>;
  scaleCheck: string;
  suspended: boolean;
  rig: string | null;
  rigMax: number | null;
  bounded: boolean;
  /** What the agent-level caps allow at most: min(max, namepool size); Infinity = no cap. */
  capacity: number;
  config: AgentConfig;
}

export interface CityModel {
  name: string;
  templates: Template[];
  byName: Map<string, Template>;
  /** Template names that count as configured for R1: agents plus named sessions' templates. */
  configured: Set<string>;
  /** Identities reserved by `[[named_session]]` entries. */
  namedIdentities: Set<string>;
  /** Namepool identity → template, for R1 resolution. */
  namepoolTemplates: Map<string, Template>;
  workspaceMax: number | null;
  patrolMs: number;
}

function cap(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

export function qualifiedName(agent: Pick<AgentConfig, 'name' | 'dir'>): string {
  return agent.dir ? `${agent.dir}/${agent.name}` : agent.name;
}

export function buildCityModel(state: State): CityModel {
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
    namepool.forEach((n, i) => {
      const id = dir ? `${dir}/${n}` : n;
      if (!namepoolSlots.has(id)) namepoolSlots.set(id, i + 1);
    });
    let capacity = agentMax ?? Infinity;
    if (namepool.length > 0) capacity = Math.min(capacity, namepool.length);
    const t: Template = {
      qualified,
      name: agent.name,
      dir,
      order,
      agentMax,
      min: cap(agent.min_active_sessions) ?? 0,
      namepool,
      namepoolSlots,
      scaleCheck: typeof agent.scale_check === 'string' ? agent.scale_check : '',
      suspended: agent.suspended === true || rig?.suspended === true,
      rig: rig ? rig.name : null,
      rigMax: rig ? cap(rig.max_active_sessions) : null,
      bounded: (agentMax !== null && agentMax > 0) || namepool.length > 0,
      capacity,
      config: agent,
    };
    templates.push(t);
    byName.set(qualified, t);
    for (const id of namepoolSlots.keys()) if (!namepoolTemplates.has(id)) namepoolTemplates.set(id, t);
  });
  const configured = new Set<string>(byName.keys());
  const namedIdentities = new Set<string>();
  for (const ns of state.city.named_sessions ?? []) {
    if (typeof ns.template !== 'string' || ns.template === '') continue;
    configured.add(ns.template);
    namedIdentities.add(typeof ns.identity === 'string' && ns.identity !== '' ? ns.identity : ns.template);
  }
  return {
    name: state.city.workspace?.name ?? '',
    templates,
    byName,
    configured,
    namedIdentities,
    namepoolTemplates,
    workspaceMax: cap(state.city.workspace?.max_active_sessions),
    patrolMs: parseDurationMs(state.city.daemon?.patrol_interval) ?? 30_000,
  };
}

/** 1 ≤ s ≤ max (when max > 0) and s ≤ namepool size (when there is one); false on an unbounded pool. */
export function inBounds(t: Template, s: number): boolean {
  if (!t.bounded || s < 1) return false;
  if (t.agentMax !== null && t.agentMax > 0 && s > t.agentMax) return false;
  if (t.namepool.length > 0 && s > t.namepool.length) return false;
  return true;
}

export function usable(t: Template, s: number): boolean {
  return s > 0 && (!t.bounded || inBounds(t, s));
}

/** The concrete identity of slot s: the s-th namepool name when there is one, else `<qualified>-<s>`. */
export function identityOf(t: Template, s: number): string {
  if (s >= 1 && s <= t.namepool.length) {
    const n = t.namepool[s - 1];
    return t.dir ? `${t.dir}/${n}` : n;
  }
  return `${t.qualified}-${s}`;
}

/** The slot an identity names in template t: `<qualified>-<n>`, `<qualified>-gc-<n>` or a namepool name. */
export function slotIn(t: Template, identity: string): number {
  if (!identity) return 0;
  const prefix = t.qualified + '-';
  if (identity.startsWith(prefix)) {
    const rest = identity.slice(prefix.length);
    const legacy = rest.startsWith('gc-') ? parseSlotNumber(rest.slice(3)) : 0;
    if (legacy > 0) return legacy;
    const n = parseSlotNumber(rest);
    if (n > 0) return n;
  }
  return t.namepoolSlots.get(identity) ?? 0;
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

export function routeOf(b: Bead): string {
  return meta(b, 'gc.routed_to');
}

export function assigneeOf(b: Bead): string {
  return typeof b.assignee === 'string' ? b.assignee : '';
}

export function priorityOf(b: Bead): number {
  return typeof b.priority === 'number' && Number.isFinite(b.priority) ? b.priority : 0;
}

export function aliasHistory(b: Bead): string[] {
  const h = meta(b, 'alias_history');
  return h ? h.split(',').filter((x) => x !== '') : [];
}

export type ClaimKind = 'session_name' | 'alias' | 'agent_name';

export interface BeadIndex {
  /** Open session beads, in file order. */
  sessions: Bead[];
  /** Work beads (every bead that is not a session), in file order. */
  work: Bead[];
  /** File position of every bead. */
  position: Map<string, number>;
  sessionById: Map<string, Bead>;
  /** Who claims a name as session_name, alias or agent_name, in file order (open sessions only). */
  claims: Map<string, { bead: Bead; kind: ClaimKind }[]>;
  /** Assignee resolution: id, then session_name, then alias, then alias_history; first in file order. */
  resolveAssignee(name: string): Bead | null;
}

export function buildBeadIndex(beads: Bead[]): BeadIndex {
  const sessions: Bead[] = [];
  const work: Bead[] = [];
  const position = new Map<string, number>();
  const sessionById = new Map<string, Bead>();
  const bySessionName = new Map<string, Bead>();
  const byAlias = new Map<string, Bead>();
  const byHistory = new Map<string, Bead>();
  const claims = new Map<string, { bead: Bead; kind: ClaimKind }[]>();
  const claim = (name: string, bead: Bead, kind: ClaimKind) => {
    if (!name) return;
    const list = claims.get(name);
    if (list) list.push({ bead, kind });
    else claims.set(name, [{ bead, kind }]);
  };
  beads.forEach((b, i) => {
    position.set(b.id, i);
    if (!isSession(b)) {
      work.push(b);
      return;
    }
    if (!isOpen(b)) return;
    sessions.push(b);
    sessionById.set(b.id, b);
    const sn = meta(b, 'session_name');
    const alias = meta(b, 'alias');
    if (sn && !bySessionName.has(sn)) bySessionName.set(sn, b);
    if (alias && !byAlias.has(alias)) byAlias.set(alias, b);
    for (const h of aliasHistory(b)) if (!byHistory.has(h)) byHistory.set(h, b);
    claim(sn, b, 'session_name');
    claim(alias, b, 'alias');
    claim(meta(b, 'agent_name'), b, 'agent_name');
  });
  return {
    sessions,
    work,
    position,
    sessionById,
    claims,
    resolveAssignee(name: string): Bead | null {
      if (!name) return null;
      return sessionById.get(name) ?? bySessionName.get(name) ?? byAlias.get(name) ?? byHistory.get(name) ?? null;
    },
  };
}

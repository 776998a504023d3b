// R2: the slot an open pool-managed bead owns, anchored to its concrete agent identity.
// decideSlot runs for every pool-managed bead and writes numbers only; the reason, in words, is built from
// the deciding case when someone reads it (a repair, a finding, the console's detail).
import type { NameIndex, SessionTable, Template } from '../model.js';
import { CLAIM_KINDS, agentLabel, inBounds, isIdentityOf, sessionTable, slotIn, usable } from '../model.js';
import type { AgentConfig, Bead, Change, Finding, Repair } from '../types.js';
import { compareBytes, conflictWrites, formatInstant, meta, metaBefore, parseSlotNumber, inQuotes } from '../values.js';

export interface OwnedSlot {
  agentSlot: number;
  aliasSlot: number;
  sessionNameSlot: number;
  /** The stamped pool_slot (0 = absent or not a slot number). */
  poolSlot: number;
  owned: number;
  /** How the rule decided, naming the evidence. */
  reason: string;
}

/** agent_name, or the `agent:` label when agent_name is absent. */
export function agentIdentity(bead: Bead): string {
  return meta(bead, 'agent_name') || agentLabel(bead);
}

// The branches of the rule, in the order it tries them.
const AGENT_OVER_STALE = 1;
const FOREIGN = 2;
const OUT_OF_BOUNDS_NAMED = 3;
const OUT_OF_BOUNDS_NONE = 4;
const UNBOUNDED_NONE = 5;
const AGENT_OUT_OF_BOUNDS = 6;
const STAMPED = 7;
const UNSTAMPED_NAMED = 8;
const UNSTAMPED_NONE = 9;
/** A session of a canonical singleton (2026-08): no numbered slot at all. */
const CANONICAL = 10;
/** 2026-08: above a shrunk max_active_sessions, kept while the session holds assigned work (keepAboveCapacity). */
export const ABOVE_CAPACITY = 11;

/** The first usable of agentSlot, aliasSlot, sessionNameSlot; 0 when none is. */
function firstUsable(t: Template, a: number, b: number, c: number): number {
  return usable(t, a) ? a : usable(t, b) ? b : usable(t, c) ? c : 0;
}

/** R2 for session `i` of the table (template t): fills its slot columns and returns the owned slot. */
export function decideSlot(
  t: Template,
  bead: Bead,
  table: SessionTable,
  i: number,
  // The bead's fields, when the caller has them at hand.
  stored = meta(bead, 'template'),
  alias = meta(bead, 'alias'),
  agentId = agentIdentity(bead),
  rawPoolSlot = meta(bead, 'pool_slot'),
): number {
  const storedMatches = stored === t.qualified;
  const agentSlot = slotIn(t, agentId);
  // Most sessions' alias is their agent identity (often the very string: shared-strings.ts).
  const aliasSlot = alias === agentId ? agentSlot : slotIn(t, alias);
  const sessionNameSlot = alias === '' && storedMatches ? slotIn(t, meta(bead, 'session_name')) : 0;
  const P = parseSlotNumber(rawPoolSlot);
  let owned: number;
  let why: number;
  if (P > 0) {
    if (agentSlot > 0 && agentSlot !== P && usable(t, agentSlot)) {
      owned = agentSlot;
      why = AGENT_OVER_STALE;
    } else if (!storedMatches && agentSlot === 0 && aliasSlot === 0) {
      owned = 0;
      why = FOREIGN;
    } else if (!inBounds(t, P)) {
      const s = firstUsable(t, agentSlot, aliasSlot, sessionNameSlot);
      owned = s > 0 ? s : t.bounded ? 0 : P;
      why = s > 0 ? OUT_OF_BOUNDS_NAMED : t.bounded ? OUT_OF_BOUNDS_NONE : UNBOUNDED_NONE;
    } else if (agentSlot > 0 && agentSlot !== P) {
      owned = P;
      why = AGENT_OUT_OF_BOUNDS;
    } else {
      owned = P;
      why = STAMPED;
    }
  } else {
    owned = firstUsable(t, agentSlot, aliasSlot, sessionNameSlot);
    why = owned > 0 ? UNSTAMPED_NAMED : UNSTAMPED_NONE;
  }
  table.agentSlot[i] = agentSlot;
  table.aliasSlot[i] = aliasSlot;
  table.sessionNameSlot[i] = sessionNameSlot;
  table.poolSlot[i] = P;
  table.owned[i] = owned;
  table.slotCase[i] = why;
  return owned;
}

/**
 * decideSlot for the usual pool session, whose evidence agrees: a pool_slot P above the namepool's slots, an alias
 * that is the agent identity and reads `<qualified>-<P>`, and P in bounds (or the pool unbounded). Every branch of
 * decideSlot then comes to P: stamped, or on an unbounded pool, where pool_slot goes unchecked, named by the agent
 * identity. Fills the same columns and returns P; returns 0, writing nothing, for any other bead (decideSlot's).
 * Some 97 in 100 pool sessions of a generated store are this case, and this is a few comparisons where decideSlot
 * reads each identity for a slot; it also leaves decideSlot too few calls to be compiled again in every plan.
 */
export function decideAgreedSlot(t: Template, table: SessionTable, i: number, alias: string, agentId: string, rawPoolSlot: string): number {
  const P = parseSlotNumber(rawPoolSlot);
  if (P <= t.namepoolSize || alias !== agentId || (t.bounded && !inBounds(t, P)) || !isIdentityOf(t, P, alias)) return 0;
  table.agentSlot[i] = P;
  table.aliasSlot[i] = P;
  table.sessionNameSlot[i] = 0;
  table.poolSlot[i] = P;
  table.owned[i] = P;
  table.slotCase[i] = t.bounded ? STAMPED : OUT_OF_BOUNDS_NAMED;
  return P;
}

/** How R2 decided for session `i` (after decideSlot), naming the evidence. */
export function slotReason(t: Template, bead: Bead, table: SessionTable, i: number): string {
  const agentSlot = table.agentSlot[i];
  const aliasSlot = table.aliasSlot[i];
  const P = table.poolSlot[i];
  const s = table.owned[i];
  const agentId = agentIdentity(bead);
  const from = (x: number): string =>
    x === agentSlot
      ? `agent identity ${inQuotes(agentId)}`
      : x === aliasSlot
        ? `alias ${inQuotes(meta(bead, 'alias'))}`
        : `session_name ${inQuotes(meta(bead, 'session_name'))}`;
  switch (table.slotCase[i]) {
    case AGENT_OVER_STALE:
      return `agent identity ${inQuotes(agentId)} names slot ${agentSlot}; pool_slot ${P} is stale`;
    case FOREIGN:
      return `template ${inQuotes(meta(bead, 'template'))} is not ${t.qualified} and no identity names a slot of it: foreign bead`;
    case OUT_OF_BOUNDS_NAMED:
      return `pool_slot ${P} is ${t.bounded ? 'out of bounds' : 'unchecked on an unbounded pool'}; ${from(s)} names slot ${s}`;
    case OUT_OF_BOUNDS_NONE:
      return `pool_slot ${P} is out of bounds and no identity names a usable slot`;
    case UNBOUNDED_NONE:
      return `pool_slot ${P} (no identity names a slot)`;
    case AGENT_OUT_OF_BOUNDS:
      return `agent identity ${inQuotes(agentId)} names slot ${agentSlot}, out of bounds; in-bounds pool_slot ${P} holds`;
    case STAMPED:
      return `pool_slot ${P}` + (agentSlot === P ? ` agrees with agent identity ${inQuotes(agentId)}` : '');
    case UNSTAMPED_NAMED: {
      const rawP = meta(bead, 'pool_slot');
      return `no pool_slot${rawP ? ` (${inQuotes(rawP)} is not a slot number)` : ''}; ${from(s)} names slot ${s}`;
    }
    case ABOVE_CAPACITY:
      return `${from(s)} names slot ${s}, above max_active_sessions ${t.agentMax} (the pool shrank); the session holds assigned work it resumes, so it keeps the slot`;
    case CANONICAL:
      return `${t.qualified} is a singleton pool (max_active_sessions = 1, no namepool): its session is identified by the bare name ${t.qualified} and holds no numbered slot`;
    default:
      return `no pool_slot and no identity names a usable slot of ${t.qualified}`;
  }
}

// ------------------------------------------------------------ cap shrink: the edition's above-capacity slot

/**
 * The slot a pool session keeps above its pool's max while it resumes assigned work, or 0. The rule edition
 * picks one (src/engine/editions.ts); plan.ts gives the slot only to a session with live work to resume.
 */
export type AboveCapacityRule = (t: Template, bead: Bead, stored: string, alias: string, agentId: string) => number;

/** PR #2076: a slot above the max is out of bounds, whatever the session holds. */
export const noSlotAboveCapacity: AboveCapacityRule = () => 0;

/**
 * 2026-08 (#4686, `preferredPoolSlotAboveCapacityInfo` via `claimPreferredPoolSlotWithConfigInfo` on the resume
 * path, cmd/gc): capacity shrink blocks new slots but does not rename a session that holds assigned work. The slot
 * its persisted identity names (agent identity, else alias, else — with no alias — a session_name that is not
 * its own `<base>-<bead id>`), when its stored template is this pool, the pool's max is above 0 and the slot is
 * above it; a namepool still bounds it. A canonical singleton has no numbered slot.
 */
export const keepSlotAboveCapacity: AboveCapacityRule = (t, bead, stored, alias, agentId) => {
  if (t.canonical || stored !== t.qualified || t.agentMax === null || t.agentMax <= 0) return 0;
  let slot = slotIn(t, agentId);
  if (slot === 0) slot = slotIn(t, alias);
  const sessionName = meta(bead, 'session_name');
  if (slot === 0 && alias.trim() === '' && !sessionName.trim().endsWith('-' + bead.id.trim())) slot = slotIn(t, sessionName);
  if (slot <= t.agentMax) return 0;
  if (t.namepoolSize > 0 && slot > t.namepoolSize) return 0;
  return slot;
};

/** Give session `i` slot `s` above its pool's max (after decideSlot): the columns say it holds s, and why. */
export function holdAboveCapacity(table: SessionTable, i: number, s: number): void {
  table.owned[i] = s;
  table.slotCase[i] = ABOVE_CAPACITY;
}

/** R2 for one bead, with its reason: what the rule decides, as one record. */
export function ownedSlot(t: Template, bead: Bead): OwnedSlot {
  const table = sessionTable([bead]);
  decideSlot(t, bead, table, 0);
  return {
    agentSlot: table.agentSlot[0],
    aliasSlot: table.aliasSlot[0],
    sessionNameSlot: table.sessionNameSlot[0],
    poolSlot: table.poolSlot[0],
    owned: table.owned[0],
    reason: slotReason(t, bead, table, 0),
  };
}

// ------------------------------------------------------------ singleton pools: the edition's identity decision

/**
 * 2026-05 (PR #2076): no pool is a canonical singleton. A pool with `max_active_sessions = 1` has slot 1 and
 * its session's identity is `<name>-1`, like any other bounded pool.
 */
export function noCanonicalSingleton(): boolean {
  return false;
}

/**
 * 2026-08 (`Agent.UsesCanonicalSingletonPoolIdentity`, internal/config/session_capacity.go): the agent's own
 * effective `max_active_sessions` is exactly 1 and it has no namepool: neither names nor a namepool file named in
 * its configuration (`namepool_file`, even one Gas City could not read, which leaves it without names). Its session
 * is identified by the bare qualified name (`ops/runner`, never `ops/runner-1`) and holds no numbered slot.
 */
export function canonicalSingleton(agent: AgentConfig, agentMax: number | null, namepool: readonly string[]): boolean {
  const file = agent.namepool_file;
  return agentMax === 1 && namepool.length === 0 && (typeof file !== 'string' || file.trim() === '');
}

/** A manual session (`session_origin = manual` or `manual_session = true`): Gas City leaves its identity alone. */
export function isManualSession(bead: Bead): boolean {
  return meta(bead, 'session_origin') === 'manual' || meta(bead, 'manual_session') === 'true';
}

const CONFLICT_KEYS = ['pool_alias_conflict', 'pool_alias_conflict_count', 'pool_alias_conflict_at'] as const;

/**
 * R2 for a pool-managed session of a canonical singleton (2026-08): fills its slot columns (owned slot 0) and
 * says whether its metadata still needs the canonical identity (`normalizeNonExpandingPoolSessionInfo`,
 * cmd/gc/build_desired_state_pool_info.go): a numbered `agent_name` or `alias`, an empty alias whose
 * recorded conflict is the canonical name, conflict keys left beside the canonical alias, or any `pool_slot`.
 */
export function decideCanonical(
  t: Template,
  bead: Bead,
  table: SessionTable,
  i: number,
  alias = meta(bead, 'alias'),
  rawPoolSlot = meta(bead, 'pool_slot'),
): boolean {
  const agentName = meta(bead, 'agent_name');
  const agentSlot = slotIn(t, agentName || agentLabel(bead));
  const aliasSlot = slotIn(t, alias);
  table.agentSlot[i] = agentSlot;
  table.aliasSlot[i] = aliasSlot;
  table.sessionNameSlot[i] = 0;
  table.poolSlot[i] = parseSlotNumber(rawPoolSlot);
  table.owned[i] = 0;
  table.slotCase[i] = CANONICAL;
  if (isManualSession(bead)) return false;
  const canonical = t.qualified;
  if (agentName !== '' && slotIn(t, agentName) > 0 && agentName !== canonical) return true;
  if (aliasSlot > 0 && alias !== canonical) return true;
  if (alias === '' && meta(bead, 'pool_alias_conflict') === canonical) return true;
  if (alias === canonical && CONFLICT_KEYS.some((k) => meta(bead, k) !== '')) return true;
  return rawPoolSlot.trim() !== '';
}

/** `session.UpdatedAliasMetadata`: set the alias, keep the old one first in the history (no repeats, not the new one). */
function aliasChanges(bead: Bead, next: string): Change[] {
  const current = meta(bead, 'alias').trim();
  let history = meta(bead, 'alias_history')
    .split(',')
    .map((h) => h.trim());
  if (current !== '' && current !== next) history = [current, ...history];
  const seen = new Set<string>();
  const kept = history.filter((h) => {
    if (h === '' || h === next || seen.has(h)) return false;
    seen.add(h);
    return true;
  });
  const changes: Change[] = [{ field: 'metadata.alias', before: metaBefore(bead, 'alias'), after: next }];
  const joined = kept.join(',');
  if (joined !== meta(bead, 'alias_history')) {
    changes.push({ field: 'metadata.alias_history', before: metaBefore(bead, 'alias_history'), after: joined });
  }
  return changes;
}

export interface CanonicalCandidate {
  /** Session index (NameIndex claims are by session index). */
  i: number;
  bead: Bead;
  template: Template;
  /** In an unknown state: judged, but the repair is withheld. */
  withheld: boolean;
}

export interface CanonicalOutcome {
  i: number;
  /** Who holds the canonical name when the alias cannot take it. */
  holder: string | null;
  /** The alias is set and is not the canonical name. */
  mismatched: boolean;
  repair: Repair | null;
  finding: Finding | null;
}

/**
 * Who keeps the canonical name from this bead's alias. Gas City checks as the name's owner
 * (`EnsureAliasAvailableWithConfigForOwner`): only another open bead's `session_name` or `alias` blocks it,
 * not an `agent_name` and not a named-session reservation; nor does a bead this plan already gave it.
 */
function canonicalHolder(names: NameIndex, beads: readonly Bead[], c: CanonicalCandidate, handed: Map<string, string>): string | null {
  const wanted = c.template.qualified;
  let holder: { id: string; kind: string } | null = null;
  const claims = names.claims(wanted);
  for (let k = 0; k < claims.length; k += 2) {
    const kind = CLAIM_KINDS[claims[k + 1]];
    const id = beads[claims[k]].id;
    // failedCreateIdentityReleased: a failed create holds no name.
    if (kind === 'agent_name' || id === c.bead.id || meta(beads[claims[k]], 'state').trim() === 'failed-create') continue;
    if (!holder || compareBytes(id, holder.id) < 0) holder = { id, kind };
  }
  if (holder) return `held by ${holder.id} as ${holder.kind}`;
  const earlier = handed.get(wanted);
  if (earlier !== undefined && earlier !== c.bead.id) return `handed to ${earlier} earlier in this plan`;
  return null;
}

/**
 * The `canonical-identity` repair of each singleton session that needs it (2026-08). Candidates come oldest
 * first (`created_at`, then id), the order Gas City reuses them in; the first to want the canonical alias gets it.
 * The write is Gas City's normalization: `agent_name` → the bare name, the alias → the bare name (history kept)
 * or, when another bead holds it, cleared with the conflict recorded, and `pool_slot` emptied.
 */
export function planCanonicalIdentities(
  names: NameIndex,
  beads: readonly Bead[],
  candidates: readonly CanonicalCandidate[],
  now: Date,
): CanonicalOutcome[] {
  const handed = new Map<string, string>();
  const out: CanonicalOutcome[] = [];
  for (const c of candidates) {
    const { bead, template: t } = c;
    const canonical = t.qualified;
    const alias = meta(bead, 'alias');
    const agentName = meta(bead, 'agent_name');
    const changes: Change[] = [];
    const what: string[] = [];
    let holder: string | null = null;
    let finding: Finding | null = null;
    if (agentName !== '' && slotIn(t, agentName) > 0 && agentName !== canonical) {
      changes.push({ field: 'metadata.agent_name', before: metaBefore(bead, 'agent_name'), after: canonical });
      what.push(`agent_name ${inQuotes(agentName)} → ${canonical}`);
    }
    const clearConflict = (): void => {
      for (const key of CONFLICT_KEYS)
        if (meta(bead, key) !== '') changes.push({ field: `metadata.${key}`, before: metaBefore(bead, key), after: '' });
    };
    const conflict = meta(bead, 'pool_alias_conflict');
    if ((slotIn(t, alias) > 0 && alias !== canonical) || (alias === '' && conflict === canonical)) {
      holder = canonicalHolder(names, beads, c, handed);
      if (holder === null) {
        if (!c.withheld) handed.set(canonical, bead.id);
        changes.push(...aliasChanges(bead, canonical));
        clearConflict();
        what.push(`alias ${alias ? inQuotes(alias) : '(empty)'} → ${canonical}`);
      } else if (alias !== '') {
        // recordDeferredNonExpandingPoolAliasConflict: a count that is not a positive number starts again at 0.
        const raw = meta(bead, 'pool_alias_conflict_count').trim();
        const prev = /^[+-]?\d+$/.test(raw) ? Number(raw) : 0;
        const count = (prev > 0 ? prev : 0) + 1;
        changes.push(...aliasChanges(bead, ''));
        changes.push(
          ...conflictWrites([
            { field: 'metadata.pool_alias_conflict', before: metaBefore(bead, 'pool_alias_conflict'), after: canonical },
            { field: 'metadata.pool_alias_conflict_count', before: metaBefore(bead, 'pool_alias_conflict_count'), after: String(count) },
            { field: 'metadata.pool_alias_conflict_at', before: metaBefore(bead, 'pool_alias_conflict_at'), after: formatInstant(now) },
          ]),
        );
        what.push(`alias ${inQuotes(alias)} cleared: ${canonical} is ${holder}; conflict recorded (attempt ${count})`);
      } else {
        // Already cleared with this conflict on record: nothing to write until the holder lets go.
        const count = meta(bead, 'pool_alias_conflict_count');
        const since = meta(bead, 'pool_alias_conflict_at');
        finding = {
          kind: 'alias-conflict',
          severity: 'action',
          beadId: bead.id,
          template: canonical,
          message: `singleton pool ${canonical} wants alias ${canonical}, ${holder}; the bead stays without an alias${count ? ` (conflict count ${count}${since ? ` since ${since}` : ''})` : ''}`,
        };
      }
    } else if (alias === canonical) clearConflict();
    const rawPoolSlot = meta(bead, 'pool_slot');
    if (rawPoolSlot.trim() !== '') {
      changes.push({ field: 'metadata.pool_slot', before: metaBefore(bead, 'pool_slot'), after: '' });
      what.push(`pool_slot ${inQuotes(rawPoolSlot)} emptied`);
    }
    if (what.length === 0 && changes.length > 0) what.push('stale conflict record cleared');
    const left: string[] = [];
    if (slotIn(t, String(bead.title ?? '')) > 0) left.push(`title ${inQuotes(String(bead.title))}`);
    for (const l of bead.labels ?? [])
      if (typeof l === 'string' && l.startsWith('agent:') && slotIn(t, l.slice(6)) > 0) left.push(`label ${l}`);
    out.push({
      i: c.i,
      holder,
      mismatched: alias !== '' && alias !== canonical,
      finding,
      repair:
        changes.length === 0
          ? null
          : {
              id: `canonical-identity:${bead.id}`,
              kind: 'canonical-identity',
              beadId: bead.id,
              template: canonical,
              changes,
              reason:
                `singleton pool ${canonical} (max_active_sessions = 1, no namepool) is identified by its bare name, not ${canonical}-1: ${what.join('; ')}` +
                (left.length ? `; Gas City rewrites the ${left.join(' and ')} itself when it next selects the bead` : ''),
            },
    });
  }
  return out;
}

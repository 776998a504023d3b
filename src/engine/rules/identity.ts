// R2: the slot an open pool-managed bead owns, anchored to its concrete agent identity.
// decideSlot runs for every pool-managed bead and writes numbers only; the reason, in words, is built from
// the deciding case when someone reads it (a repair, a finding, the console's detail).
import type { SessionTable, Template } from '../model.js';
import { agentLabel, inBounds, sessionTable, slotIn, usable } from '../model.js';
import type { Bead } from '../types.js';
import { meta, parseSlotNumber } from '../values.js';

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
  const aliasSlot = slotIn(t, alias);
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
      if (s > 0) [owned, why] = [s, OUT_OF_BOUNDS_NAMED];
      else if (t.bounded) [owned, why] = [0, OUT_OF_BOUNDS_NONE];
      else [owned, why] = [P, UNBOUNDED_NONE];
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

/** How R2 decided for session `i` (after decideSlot), naming the evidence. */
export function slotReason(t: Template, bead: Bead, table: SessionTable, i: number): string {
  const agentSlot = table.agentSlot[i];
  const aliasSlot = table.aliasSlot[i];
  const P = table.poolSlot[i];
  const s = table.owned[i];
  const agentId = agentIdentity(bead);
  const from = (x: number): string =>
    x === agentSlot
      ? `agent identity "${agentId}"`
      : x === aliasSlot
        ? `alias "${meta(bead, 'alias')}"`
        : `session_name "${meta(bead, 'session_name')}"`;
  switch (table.slotCase[i]) {
    case AGENT_OVER_STALE:
      return `agent identity "${agentId}" names slot ${agentSlot}; pool_slot ${P} is stale`;
    case FOREIGN:
      return `template "${meta(bead, 'template')}" is not ${t.qualified} and no identity names a slot of it: foreign bead`;
    case OUT_OF_BOUNDS_NAMED:
      return `pool_slot ${P} is ${t.bounded ? 'out of bounds' : 'unchecked on an unbounded pool'}; ${from(s)} names slot ${s}`;
    case OUT_OF_BOUNDS_NONE:
      return `pool_slot ${P} is out of bounds and no identity names a usable slot`;
    case UNBOUNDED_NONE:
      return `pool_slot ${P} (no identity names a slot)`;
    case AGENT_OUT_OF_BOUNDS:
      return `agent identity "${agentId}" names slot ${agentSlot}, out of bounds; in-bounds pool_slot ${P} holds`;
    case STAMPED:
      return `pool_slot ${P}` + (agentSlot === P ? ` agrees with agent identity "${agentId}"` : '');
    case UNSTAMPED_NAMED: {
      const rawP = meta(bead, 'pool_slot');
      return `no pool_slot${rawP ? ` ("${rawP}" is not a slot number)` : ''}; ${from(s)} names slot ${s}`;
    }
    default:
      return `no pool_slot and no identity names a usable slot of ${t.qualified}`;
  }
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

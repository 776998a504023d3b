// R2: the slot an open pool-managed bead owns, anchored to its concrete agent identity.
import type { Template } from '../model.js';
import { agentLabel, inBounds, slotIn, usable } from '../model.js';
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

export function ownedSlot(t: Template, bead: Bead): OwnedSlot {
  const agentId = agentIdentity(bead);
  const alias = meta(bead, 'alias');
  const storedMatches = meta(bead, 'template') === t.qualified;
  const agentSlot = slotIn(t, agentId);
  const aliasSlot = slotIn(t, alias);
  const sessionNameSlot = alias === '' && storedMatches ? slotIn(t, meta(bead, 'session_name')) : 0;
  const rawP = meta(bead, 'pool_slot');
  const P = parseSlotNumber(rawP);
  const base = { agentSlot, aliasSlot, sessionNameSlot, poolSlot: P };
  const from = (s: number): string =>
    s === agentSlot ? `agent identity "${agentId}"` : s === aliasSlot ? `alias "${alias}"` : `session_name "${meta(bead, 'session_name')}"`;
  const firstUsable = (): number => [agentSlot, aliasSlot, sessionNameSlot].find((s) => usable(t, s)) ?? 0;

  if (P > 0) {
    if (agentSlot > 0 && agentSlot !== P && usable(t, agentSlot)) {
      return { ...base, owned: agentSlot, reason: `agent identity "${agentId}" names slot ${agentSlot}; pool_slot ${P} is stale` };
    }
    if (!storedMatches && agentSlot === 0 && aliasSlot === 0) {
      return {
        ...base,
        owned: 0,
        reason: `template "${meta(bead, 'template')}" is not ${t.qualified} and no identity names a slot of it: foreign bead`,
      };
    }
    if (!inBounds(t, P)) {
      const s = firstUsable();
      if (s > 0)
        return {
          ...base,
          owned: s,
          reason: `pool_slot ${P} is ${t.bounded ? 'out of bounds' : 'unchecked on an unbounded pool'}; ${from(s)} names slot ${s}`,
        };
      if (t.bounded) return { ...base, owned: 0, reason: `pool_slot ${P} is out of bounds and no identity names a usable slot` };
      return { ...base, owned: P, reason: `pool_slot ${P} (no identity names a slot)` };
    }
    if (agentSlot > 0 && agentSlot !== P) {
      return {
        ...base,
        owned: P,
        reason: `agent identity "${agentId}" names slot ${agentSlot}, out of bounds; in-bounds pool_slot ${P} holds`,
      };
    }
    return { ...base, owned: P, reason: `pool_slot ${P}` + (agentSlot === P ? ` agrees with agent identity "${agentId}"` : '') };
  }
  const candidates = [agentSlot, aliasSlot, sessionNameSlot].filter((s) => s > 0 && (!t.bounded || inBounds(t, s)));
  const s = candidates[0] ?? 0;
  if (s > 0)
    return { ...base, owned: s, reason: `no pool_slot${rawP ? ` ("${rawP}" is not a slot number)` : ''}; ${from(s)} names slot ${s}` };
  return { ...base, owned: 0, reason: `no pool_slot and no identity names a usable slot of ${t.qualified}` };
}

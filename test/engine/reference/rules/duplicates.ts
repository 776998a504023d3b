// R3: one bead per slot. The incumbent is chosen deterministically; the others are refused duplicates.
import type { Template } from '../model.js';
import { identityOf } from '../model.js';
import type { Bead } from '../types.js';
import { LIVE_STATES, compareBytes, compareInstants, meta, parseInstant } from '../values.js';

export interface SlotHolder {
  bead: Bead;
  template: Template;
  slot: number;
}

export interface SlotResolution {
  incumbent: Bead;
  duplicates: Bead[];
  /** Why the incumbent won over the runner-up, naming the deciding evidence. */
  why: string;
  /** Why the incumbent won over each duplicate (by bead id). */
  whyOver: Map<string, string>;
}

interface Ranked {
  bead: Bead;
  aliasMatches: boolean;
  live: boolean;
  created: number | null;
}

function rank(h: SlotHolder): Ranked {
  return {
    bead: h.bead,
    aliasMatches: meta(h.bead, 'alias') === identityOf(h.template, h.slot),
    live: LIVE_STATES.has(meta(h.bead, 'state')),
    created: parseInstant(h.bead.created_at),
  };
}

function compareRanked(a: Ranked, b: Ranked): number {
  if (a.aliasMatches !== b.aliasMatches) return a.aliasMatches ? -1 : 1;
  if (a.live !== b.live) return a.live ? -1 : 1;
  const c = compareInstants(a.created, b.created);
  if (c !== 0) return c;
  return compareBytes(a.bead.id, b.bead.id);
}

function why(winner: Ranked, runnerUp: Ranked, identity: string): string {
  if (winner.aliasMatches !== runnerUp.aliasMatches) return `its alias equals the slot identity ${identity}`;
  if (winner.live !== runnerUp.live) return `it is live (${meta(winner.bead, 'state')}) and ${runnerUp.bead.id} is not`;
  if (compareInstants(winner.created, runnerUp.created) !== 0) {
    return `it is older (created ${winner.bead.created_at}${runnerUp.created === null ? `; ${runnerUp.bead.id} has no readable created_at` : ` before ${runnerUp.bead.created_at}`})`;
  }
  return `its bead id sorts first`;
}

const NO_DUPLICATES: Map<string, string> = new Map();

/** Group holders by (template, slot) and pick each slot's incumbent. Keys are `<template>#<slot>`. */
export function resolveSlots(holders: SlotHolder[]): Map<string, SlotResolution> {
  // Nested maps: no key string per bead, and most slots have a single holder.
  const groups = new Map<Template, Map<number, SlotHolder | SlotHolder[]>>();
  for (const h of holders) {
    let bySlot = groups.get(h.template);
    if (!bySlot) groups.set(h.template, (bySlot = new Map()));
    const g = bySlot.get(h.slot);
    if (g === undefined) bySlot.set(h.slot, h);
    else if (Array.isArray(g)) g.push(h);
    else bySlot.set(h.slot, [g, h]);
  }
  const out = new Map<string, SlotResolution>();
  for (const [template, bySlot] of groups) {
    for (const [slot, g] of bySlot) {
      const key = `${template.qualified}#${slot}`;
      if (!Array.isArray(g)) {
        out.set(key, { incumbent: g.bead, duplicates: [], why: 'sole holder', whyOver: NO_DUPLICATES });
        continue;
      }
      const identity = identityOf(template, slot);
      const ranked = g.map(rank).sort(compareRanked);
      out.set(key, {
        incumbent: ranked[0].bead,
        duplicates: ranked.slice(1).map((r) => r.bead),
        why: why(ranked[0], ranked[1], identity),
        whyOver: new Map(ranked.slice(1).map((r) => [r.bead.id, why(ranked[0], r, identity)])),
      });
    }
  }
  return out;
}

// R3: one bead per slot. The incumbent is chosen deterministically; the others are refused duplicates.
import type { SessionTable, Template } from '../model.js';
import { LIVE, identityOf, isIdentityOf } from '../model.js';
import { compareBytes, compareInstants, meta, parseInstant } from '../values.js';

export interface SlotResolution {
  /** The incumbent of each held slot (session indexes, one per (template, slot), in no particular order). */
  incumbents: number[];
  /** Incumbent → its refused duplicates, ranked; only for slots held more than once. */
  duplicates: Map<number, number[]>;
  /**
   * Why the incumbent won: on an incumbent with duplicates, over the runner-up; on a duplicate, over it.
   * Naming the deciding evidence.
   */
  reasons: Map<number, string>;
}

interface Ranked {
  i: number;
  id: string;
  aliasMatches: boolean;
  live: boolean;
  created: number | null;
}

function compareRanked(a: Ranked, b: Ranked): number {
  if (a.aliasMatches !== b.aliasMatches) return a.aliasMatches ? -1 : 1;
  if (a.live !== b.live) return a.live ? -1 : 1;
  const c = compareInstants(a.created, b.created);
  if (c !== 0) return c;
  return compareBytes(a.id, b.id);
}

function why(table: SessionTable, winner: Ranked, runnerUp: Ranked, identity: string): string {
  if (winner.aliasMatches !== runnerUp.aliasMatches) return `its alias equals the slot identity ${identity}`;
  const w = table.beads[winner.i];
  if (winner.live !== runnerUp.live) return `it is live (${meta(w, 'state')}) and ${runnerUp.id} is not`;
  if (compareInstants(winner.created, runnerUp.created) !== 0) {
    const r = table.beads[runnerUp.i];
    return `it is older (created ${w.created_at}${runnerUp.created === null ? `; ${runnerUp.id} has no readable created_at` : ` before ${r.created_at}`})`;
  }
  return `its bead id sorts first`;
}

/**
 * Group the holders (sessions with an agent and an owned slot > 0) by (template, slot), pick each slot's
 * incumbent and mark the others in `table.duplicateOf`.
 */
export function resolveSlots(table: SessionTable, templates: Template[], holders: readonly number[]): SlotResolution {
  const { agent, owned } = table;
  // Per template, the first holder of each slot: a dense array when the slots are (as usual) 1..N.
  const count = new Int32Array(templates.length);
  const maxSlot = new Int32Array(templates.length);
  for (let k = 0; k < holders.length; k++) {
    const i = holders[k];
    const t = agent[i];
    count[t]++;
    if (owned[i] > maxSlot[t]) maxSlot[t] = owned[i];
  }
  // One array for the dense templates (each at its offset), nested maps for the others.
  const base = new Int32Array(templates.length).fill(-1);
  let size = 0;
  for (let t = 0; t < templates.length; t++) {
    if (count[t] > 0 && maxSlot[t] <= 4 * count[t] + 64) {
      base[t] = size;
      size += maxSlot[t] + 1;
    }
  }
  const head = new Int32Array(size).fill(-1);
  const sparse = new Map<number, Map<number, number>>();
  const incumbents: number[] = [];
  const groups = new Map<number, number[]>(); // first holder → every holder, for slots held more than once
  for (let k = 0; k < holders.length; k++) {
    const i = holders[k];
    const t = agent[i];
    const s = owned[i];
    let first: number;
    if (base[t] >= 0) {
      first = head[base[t] + s];
      if (first < 0) head[base[t] + s] = i;
    } else {
      let bySlot = sparse.get(t);
      if (!bySlot) sparse.set(t, (bySlot = new Map()));
      first = bySlot.get(s) ?? -1;
      if (first < 0) bySlot.set(s, i);
    }
    if (first < 0) {
      incumbents.push(i);
      continue;
    }
    const g = groups.get(first);
    if (g) g.push(i);
    else groups.set(first, [first, i]);
  }
  const duplicates = new Map<number, number[]>();
  const reasons = new Map<number, string>();
  if (groups.size === 0) return { incumbents, duplicates, reasons };
  const position = new Map<number, number>(); // first holder → its place in `incumbents`
  for (let k = 0; k < incumbents.length; k++) if (groups.has(incumbents[k])) position.set(incumbents[k], k);
  for (const [first, members] of groups) {
    const t = templates[agent[first]];
    const slot = owned[first];
    const ranked = members
      .map((i): Ranked => {
        const b = table.beads[i];
        return {
          i,
          id: b.id,
          aliasMatches: isIdentityOf(t, slot, meta(b, 'alias')),
          live: (table.flags[i] & LIVE) !== 0,
          created: parseInstant(b.created_at),
        };
      })
      .sort(compareRanked);
    const identity = identityOf(t, slot);
    const winner = ranked[0];
    incumbents[position.get(first)!] = winner.i;
    reasons.set(winner.i, why(table, winner, ranked[1], identity));
    const dups: number[] = [];
    for (const r of ranked.slice(1)) {
      table.duplicateOf[r.i] = winner.i;
      reasons.set(r.i, why(table, winner, r, identity));
      dups.push(r.i);
    }
    duplicates.set(winner.i, dups);
  }
  return { incumbents, duplicates, reasons };
}

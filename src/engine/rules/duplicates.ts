// R3: one bead per slot. The incumbent is chosen deterministically; the others are refused duplicates.
import type { SessionTable, Template } from '../model.js';
import { LIVE, identityOf, isIdentityOf } from '../model.js';
import { NEW_ARRAYS, type PlanArrays } from '../plan-arrays.js';
import { compareBytes, compareInstants, meta, parseInstantNs, type Instant } from '../values.js';

export interface SlotResolution {
  /** The incumbent of each held slot (session indexes, one per (template, slot), in no particular order). */
  incumbents: Int32Array;
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
  created: Instant | null;
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

export interface Grouping {
  incumbents: Int32Array;
  /** Holder → its place in `incumbents` (set for first holders). */
  place: Int32Array;
  /** First holder of a slot → every holder of it, for slots held more than once. */
  groups: Map<number, number[]>;
}

/**
 * Per template index, what sizes R3's slot table: counted by the plan's first pass as it finds the holders, so
 * that R3 reads its holders once (a loop over some 70 000 of them at 100 000 beads, and its compiled code, fewer).
 */
export interface HolderCounts {
  /** How many holders the template has. */
  count: Int32Array;
  /** At least the highest slot one of them holds (a holder the cap shrink moved may leave its old slot counted). */
  maxSlot: Int32Array;
}

/** The first holder of each (template, slot), and the slots held more than once. A loop of its own. */
function group(
  table: SessionTable,
  templates: Template[],
  holders: Int32Array,
  { count, maxSlot }: HolderCounts,
  arrays: PlanArrays,
): Grouping {
  const { agent, owned } = table;
  // One array for the templates whose slots are (as usual) about 1..N, each at its offset; nested maps
  // for the others.
  const base = new Int32Array(templates.length).fill(-1);
  let size = 0;
  for (let t = 0; t < templates.length; t++) {
    if (count[t] > 0 && maxSlot[t] <= 4 * count[t] + 64) {
      base[t] = size;
      size += maxSlot[t] + 1;
    }
  }
  const head = arrays.int32(size).fill(-1);
  const sparse = new Map<number, Map<number, number>>();
  // At most one a holder; made at that size rather than grown by push (some 70 000 at 100 000 beads).
  const incumbents = arrays.int32(holders.length);
  let placed = 0;
  const place = arrays.int32(agent.length);
  const groups = new Map<number, number[]>();
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
      place[i] = placed;
      incumbents[placed++] = i;
    } else addToGroup(groups, first, i);
  }
  return { incumbents: incumbents.subarray(0, placed), place, groups };
}

function addToGroup(groups: Map<number, number[]>, first: number, i: number): void {
  const g = groups.get(first);
  if (g) g.push(i);
  else groups.set(first, [first, i]);
}

const NO_HEADS = new Int32Array(0);

/**
 * `group`'s answer made as the holders are found, one `add` per holder in the same order (the plan's first pass,
 * while the slot is at hand), so that R3 does not read some 70 000 holders again at 100 000 beads. A template's
 * first holder of each slot is kept in an array by slot, grown as larger slots come while they stay about 1..N
 * (as `group` decides by the template's count), and in a map beyond that.
 */
export class HolderGroups implements Grouping {
  readonly incumbents: Int32Array;
  readonly place: Int32Array;
  readonly groups = new Map<number, number[]>();
  private placed = 0;
  /** Per template: the first holder of slot s at [s], -1 for none. */
  private readonly heads: Int32Array[];
  private readonly counts: Int32Array;
  /** Per template, the first holders of the slots `heads` did not reach when they came. */
  private sparse: Map<number, Map<number, number>> | null = null;

  constructor(
    templates: number,
    capacity: number,
    private readonly arrays: PlanArrays = NEW_ARRAYS,
  ) {
    this.incumbents = arrays.int32(capacity);
    this.place = arrays.int32(capacity);
    this.heads = [];
    for (let t = 0; t < templates; t++) this.heads.push(NO_HEADS);
    this.counts = new Int32Array(templates);
  }

  /** Session i holds slot s of template t. */
  add(i: number, t: number, s: number): void {
    const count = ++this.counts[t];
    let heads = this.heads[t];
    let first = s < heads.length ? heads[s] : -1;
    if (first < 0 && this.sparse !== null) first = this.sparse.get(t)?.get(s) ?? -1;
    if (first >= 0) {
      addToGroup(this.groups, first, i);
      return;
    }
    this.place[i] = this.placed;
    this.incumbents[this.placed++] = i;
    if (s >= heads.length && s <= 4 * count + 64) {
      const grown = this.arrays.int32(Math.max(s + 1, 2 * heads.length)).fill(-1);
      grown.set(heads);
      this.heads[t] = heads = grown;
    }
    if (s < heads.length) heads[s] = i;
    else {
      this.sparse ??= new Map();
      let bySlot = this.sparse.get(t);
      if (!bySlot) this.sparse.set(t, (bySlot = new Map()));
      bySlot.set(s, i);
    }
  }

  /** What `group` returns. */
  grouping(): Grouping {
    return { incumbents: this.incumbents.subarray(0, this.placed), place: this.place, groups: this.groups };
  }
}

/**
 * Group the holders (sessions with an agent and an owned slot > 0) by (template, slot), pick each slot's
 * incumbent and mark the others in `table.duplicateOf`.
 */
export function resolveSlots(
  table: SessionTable,
  templates: Template[],
  holders: Int32Array,
  counts: HolderCounts,
  /** The holders already grouped (HolderGroups), when their slots have not changed since. */
  grouped: Grouping | null = null,
  arrays: PlanArrays = NEW_ARRAYS,
): SlotResolution {
  const { incumbents, place, groups } = grouped ?? group(table, templates, holders, counts, arrays);
  const duplicates = new Map<number, number[]>();
  const reasons = new Map<number, string>();
  if (groups.size > 0) rankGroups(table, templates, incumbents, place, groups, duplicates, reasons);
  arrays.done?.(place); // the incumbents' places: read here only
  return { incumbents, duplicates, reasons };
}

/** R3's ranking, for the slots held more than once: the incumbent replaces the first holder in `incumbents`. */
function rankGroups(
  table: SessionTable,
  templates: Template[],
  incumbents: Int32Array,
  place: Int32Array,
  groups: Map<number, number[]>,
  duplicates: Map<number, number[]>,
  reasons: Map<number, string>,
): void {
  const { agent, owned } = table;
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
          created: parseInstantNs(b.created_at),
        };
      })
      .sort(compareRanked);
    const identity = identityOf(t, slot);
    const winner = ranked[0];
    incumbents[place[first]] = winner.i;
    reasons.set(winner.i, why(table, winner, ranked[1], identity));
    const dups: number[] = [];
    for (const r of ranked.slice(1)) {
      table.duplicateOf[r.i] = winner.i;
      reasons.set(r.i, why(table, winner, r, identity));
      dups.push(r.i);
    }
    duplicates.set(winner.i, dups);
  }
}

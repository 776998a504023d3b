// The beads by id, kept in shards. One Map of 100 000 ids rehashed its whole table each time it doubled, and the
// last doublings (at 32 768 and 65 536 ids) took 10-19 ms of the console's thread in one go while the first read's
// snapshot was prepared: no slice can split one, so a key pressed then waited for it (docs/speed.md). Shards of a
// few thousand ids rehash in well under a millisecond, and hold about as much as the one Map did.
import type { Bead } from '../../engine/types.js';

/** Shards a lookup chooses from (a power of two): about 1 600 ids each at 100 000 beads. */
const SHARDS = 64;
const SHIFT = 32 - Math.log2(SHARDS);

/** The shard of `id`: the top bits of its FNV-1a hash, which spreads ids that differ only in their last digits. */
function shardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> SHIFT;
}

/**
 * A Map of beads by id, as far as the console reads one: a later bead of the same id replaces the earlier. One made
 * over another (changedFrom) reads the other's shards, never changed once made, under the beads put in since.
 */
export class BeadsById {
  /** Read by changedFrom only; filled only while the map is made, and shared by the maps made over it. */
  readonly shards: Map<string, Bead>[];
  /** What was put in over `shards` (a map made over another), null for a map of its own. */
  readonly over: Map<string, Bead> | null;

  constructor(under?: BeadsById) {
    this.shards = under ? under.shards : Array.from({ length: SHARDS }, () => new Map<string, Bead>());
    this.over = under ? new Map(under.over ?? []) : null;
  }

  set(id: string, bead: Bead): void {
    if (this.over) this.over.set(id, bead);
    else this.shards[shardOf(id)].set(id, bead);
  }

  get(id: string): Bead | undefined {
    return this.over?.get(id) ?? this.shards[shardOf(id)].get(id);
  }

  has(id: string): boolean {
    return this.over?.has(id) === true || this.shards[shardOf(id)].has(id);
  }

  /** How many ids it holds: fewer than the beads set when some id came more than once. */
  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.size;
    if (this.over) for (const id of this.over.keys()) if (!this.shards[shardOf(id)].has(id)) n++;
    return n;
  }
}

/** Beads replaced in place past which the beads of a list are put in anew rather than into a copy of the last map. */
const FEW_CHANGED = 1000;

/** Beads compared between two looks at the clock (a power of two). */
const CHECK_EVERY = 1024;

/** A list of beads and its map (what `changedFrom` compares a new list with). */
export interface MadeById {
  beads: readonly Bead[];
  byId: BeadsById;
}

/**
 * The map of `beads` from `last` when the list is `last`'s with at most a few beads replaced in place by beads of the
 * same id (a refresh through the plan worker hands back the very objects of the beads it did not change): a map over
 * the last one's shards with those few put in (the beads replaced since those shards were made, FEW_CHANGED at most),
 * else a copy of its shards (native copies) with them put in, instead of every id hashed and put again (at 100 000
 * beads some 40 ms of the console's thread per refresh; the copy 35-40 ms of it). The same map as made afresh: a bead
 * replaces the one in the map only where it replaced the bead the map held (the last of its id). Null otherwise.
 * `changed` holds the ids replaced. In steps: it yields whenever `over()` says the running slice's time is up (a
 * shard's copy at a time, at most), so keys pressed as a refresh lands do not wait for the whole copy.
 */
export function* changedFrom(
  last: MadeById | null,
  beads: readonly Bead[],
  over: () => boolean,
): Generator<void, { byId: BeadsById; changed: Set<string> } | null> {
  const was = last?.beads;
  if (!was || was.length !== beads.length) return null;
  const places: number[] = [];
  for (let i = 0; i < beads.length; i++) {
    if (was[i] !== beads[i] && (was[i].id !== beads[i].id || places.push(i) > FEW_CHANGED)) return null;
    if ((i & (CHECK_EVERY - 1)) === CHECK_EVERY - 1 && over()) yield;
  }
  const under = last.byId;
  let byId: BeadsById;
  if ((under.over?.size ?? 0) + places.length <= FEW_CHANGED) byId = new BeadsById(under);
  else {
    byId = new BeadsById();
    for (let s = 0; s < SHARDS; s++) {
      byId.shards[s] = new Map(under.shards[s]);
      if (over()) yield;
    }
    for (const [id, bead] of under.over ?? []) byId.set(id, bead);
  }
  const changed = new Set<string>();
  for (const i of places) {
    const id = beads[i].id;
    changed.add(id);
    if (byId.get(id) === was[i]) byId.set(id, beads[i]);
  }
  return { byId, changed };
}

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

/** A Map of beads by id, as far as the console reads one: a later bead of the same id replaces the earlier. */
export class BeadsById {
  private readonly shards: Map<string, Bead>[] = Array.from({ length: SHARDS }, () => new Map<string, Bead>());

  set(id: string, bead: Bead): void {
    this.shards[shardOf(id)].set(id, bead);
  }

  get(id: string): Bead | undefined {
    return this.shards[shardOf(id)].get(id);
  }

  has(id: string): boolean {
    return this.shards[shardOf(id)].has(id);
  }

  /** How many ids it holds: fewer than the beads set when some id came more than once. */
  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.size;
    return n;
  }
}

// A pool's slot entries (plan.pools[i].slots) are each a bead's slot and three of that bead's own fields. At 100 000
// beads they are some 71 000 objects, made by the engine only when read, and the plan worker sent every one of them
// to the console (with a copy of each bead id and alias), which reads them for their count and, on a refresh, to
// compare two plans. So a pool also knows its entries as places: two typed columns, the slot and where the bead is
// in the planned state's beads. The worker sends the columns, and the console makes the entries from its own beads
// only if something reads them (an export).
import type { Bead, PoolPlan, SlotEntry } from './types.js';

/** Entry k of a pool's slots: slot `slot[k]` held by `beads[bead[k]]` (the beads of the state the plan is of). */
export interface SlotPlaces {
  slot: Int32Array;
  bead: Int32Array;
  beads: readonly Bead[];
}

type PoolFields = Omit<PoolPlan, 'slots' | 'duplicates'>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The slot entry of bead `b` holding `slot`: its fields are the bead's own strings. */
export function slotEntryOf(b: Bead, slot: number): SlotEntry {
  const md = b.metadata;
  return { slot, beadId: b.id, alias: str(md?.alias), state: str(md?.state) };
}

/** The places of each pool made by lazyPool, made when first asked; none once its slots were written. */
const placesOf = new WeakMap<PoolPlan, () => SlotPlaces | null>();

/** The pool's slot entries as places, or null when it has none (its slots were written, or it was not made here). */
export function slotPlaces(pool: PoolPlan): SlotPlaces | null {
  return placesOf.get(pool)?.() ?? null;
}

/**
 * A pool table with its `slots` rows made when first read (a getter, as `detail.beads`; JSON.stringify, structured
 * clone and Object.keys see an ordinary property), and its places (slotPlaces) made when first asked.
 */
export function lazyPool(pool: PoolFields, slots: () => SlotEntry[], duplicates: string[], places: () => SlotPlaces | null): PoolPlan {
  let rows: SlotEntry[] | null = null;
  let make: (() => SlotEntry[]) | null = slots;
  // Every field written out in the serialized order (after a spread, an accessor came out last).
  const made: PoolPlan = {
    template: pool.template,
    bounded: pool.bounded,
    max: pool.max,
    min: pool.min,
    desired: pool.desired,
    get slots(): SlotEntry[] {
      if (rows === null) {
        rows = make!();
        make = null;
      }
      return rows;
    },
    set slots(value: SlotEntry[]) {
      rows = value;
      make = null;
      placesOf.delete(made);
    },
    duplicates,
  };
  let known: SlotPlaces | null | undefined;
  placesOf.set(made, () => (known === undefined ? (known = places()) : known));
  return made;
}

/** A pool whose slot entries are `places` (as they arrive from the plan worker), made from them when read. */
export function placedPool(pool: PoolFields, places: SlotPlaces, duplicates: string[]): PoolPlan {
  return lazyPool(
    pool,
    () => entriesAt(places),
    duplicates,
    () => places,
  );
}

function entriesAt({ slot, bead, beads }: SlotPlaces): SlotEntry[] {
  const out = new Array<SlotEntry>(slot.length);
  for (let k = 0; k < slot.length; k++) out[k] = slotEntryOf(beads[bead[k]], slot[k]);
  return out;
}

/** Whether two pools' places make the same slot entries (what JSON.stringify of their slots would tell). */
export function sameSlotEntries(a: SlotPlaces, b: SlotPlaces): boolean {
  const n = a.slot.length;
  if (n !== b.slot.length) return false;
  for (let k = 0; k < n; k++) {
    if (a.slot[k] !== b.slot[k]) return false;
    const x = a.beads[a.bead[k]];
    const y = b.beads[b.bead[k]];
    if (x === y) continue;
    if (x.id !== y.id || str(x.metadata?.alias) !== str(y.metadata?.alias) || str(x.metadata?.state) !== str(y.metadata?.state))
      return false;
  }
  return true;
}

// The pools' slot entries between the plan worker and the console: sent as their places (engine/slot-places.ts), two
// typed columns a pool in the reply's head, not some 71 000 objects at 100 000 beads in slices of their own. Each
// object arrived with its own copy of its bead's id and alias (about 2 MB of objects and 4 MB of strings on the
// console's thread while the first read lands, the strings garbage once shared with the beads'), to be read for
// its count and a refresh's comparison. The console makes them from its own beads if something reads them.
import { placedPool, slotPlaces } from '../../engine/index.js';
import type { Plan, PoolPlan, State } from '../../engine/types.js';

/** A pool's slots as they travel: the slot of each entry and where its bead is in the planned state's beads. */
interface SentSlots {
  slot: Int32Array;
  bead: Int32Array;
}

/** `plan` as the worker sends it: each pool's slots as places where the engine has them. The plan itself is not changed. */
export function sendablePlan(plan: Plan): Plan {
  const pools = plan.pools.map((p): PoolPlan => {
    const at = slotPlaces(p);
    if (!at) return p;
    const sent: SentSlots = { slot: at.slot, bead: at.bead };
    return { ...fieldsOf(p), slots: sent as unknown as PoolPlan['slots'], duplicates: p.duplicates };
  });
  return { ...plan, pools };
}

/** A plan as it arrived, its pools' places made pools whose entries are made from `state`'s beads when read. */
export function keptPlan(plan: Plan, state: State): Plan {
  const pools = plan.pools;
  for (let i = 0; i < pools.length; i++) {
    const p = pools[i];
    const sent = p.slots as unknown as SentSlots | unknown[];
    if (Array.isArray(sent)) continue;
    pools[i] = placedPool(fieldsOf(p), { slot: sent.slot, bead: sent.bead, beads: state.beads }, p.duplicates);
  }
  return plan;
}

/** A pool's fields but its slots and duplicates (whose getter would make the entries), in their order. */
const fieldsOf = (p: PoolPlan) => ({ template: p.template, bounded: p.bounded, max: p.max, min: p.min, desired: p.desired });

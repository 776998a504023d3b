// R6: stamp pool_slot with the owned slot.
import type { Template } from '../model.js';
import type { Bead, Repair } from '../types.js';
import { meta, metaBefore, parseSlotNumber } from '../values.js';

/** Is `pool_slot` exactly the decimal string of the slot? (`poolSlot` is its parsed value, when known.) */
export function stampedWith(bead: Bead, slot: number, poolSlot = parseSlotNumber(meta(bead, 'pool_slot'))): boolean {
  // A pool_slot that parses is in its one decimal form, so comparing numbers compares the strings (up to 999999).
  return slot <= 999_999 ? poolSlot === slot : meta(bead, 'pool_slot') === String(slot);
}

/** `restamp-slot` unless pool_slot already says the owned slot; `slotReason` is how R2 decided. */
export function restampSlot(bead: Bead, template: Template, slot: number, slotReason: () => string, poolSlot?: number): Repair | null {
  if (stampedWith(bead, slot, poolSlot)) return null;
  const want = String(slot);
  return {
    id: `restamp-slot:${bead.id}`,
    kind: 'restamp-slot',
    beadId: bead.id,
    template: template.qualified,
    changes: [{ field: 'metadata.pool_slot', before: metaBefore(bead, 'pool_slot'), after: want }],
    reason: `owned slot is ${slot}: ${slotReason()}`,
  };
}

// R6: stamp pool_slot with the owned slot.
import type { Template } from '../model.js';
import type { Bead, Repair } from '../types.js';
import { meta, metaBefore } from '../values.js';

export function restampSlot(bead: Bead, template: Template, slot: number, slotReason: string): Repair | null {
  const want = String(slot);
  if (meta(bead, 'pool_slot') === want) return null;
  return {
    id: `restamp-slot:${bead.id}`,
    kind: 'restamp-slot',
    beadId: bead.id,
    template: template.qualified,
    changes: [{ field: 'metadata.pool_slot', before: metaBefore(bead, 'pool_slot'), after: want }],
    reason: `owned slot is ${slot}: ${slotReason}`,
  };
}

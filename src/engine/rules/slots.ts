// R6: stamp pool_slot with the owned slot.
import type { SessionTable, Template } from '../model.js';
import type { Bead, Finding, Repair } from '../types.js';
import { meta, metaBefore, parseSlotNumber, inQuotes } from '../values.js';

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

/** Findings about the stamps of the open session beads (the table's), as the rule edition reads them. */
export type StampCheck = (table: Pick<SessionTable, 'beads' | 'open'>, templateOf: (i: number) => string | null) => Finding[];

/** PR #2076: `canonical_*` metadata did not exist. */
export function noStampCheck(): Finding[] {
  return [];
}

/**
 * 2026-08 (#4064): Gas City stamps `canonical_pool_slot` and `canonical_instance_name` but does not decide by
 * them yet; a `canonical_pool_slot` that disagrees with `pool_slot` is worth knowing (info finding).
 */
export function canonicalStampDivergence(
  { beads, open }: Pick<SessionTable, 'beads' | 'open'>,
  templateOf: (i: number) => string | null,
): Finding[] {
  const out: Finding[] = [];
  for (let d = 0; d < open.length; d++) {
    const i = open[d];
    const md = beads[i].metadata;
    const canonical = md && typeof md.canonical_pool_slot === 'string' ? md.canonical_pool_slot.trim() : '';
    if (canonical === '') continue;
    const stamped = meta(beads[i], 'pool_slot').trim();
    if (canonical === stamped) continue;
    const template = templateOf(i);
    const name = meta(beads[i], 'canonical_instance_name');
    out.push({
      kind: 'canonical-slot-divergence',
      severity: 'info',
      beadId: beads[i].id,
      ...(template ? { template } : {}),
      message: `canonical_pool_slot ${inQuotes(canonical)}${name ? ` (canonical_instance_name ${inQuotes(name)})` : ''} disagrees with pool_slot ${stamped ? inQuotes(stamped) : '(absent)'}; Gas City stamps it but does not decide by it yet`,
    });
  }
  return out;
}

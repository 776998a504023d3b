// The print of a bead detail (plan.detail.beads), for the plan worker's memo (chunked-clone.ts, print.ts): every
// field of a record made by the engine's beadInfo, which all have its fields, in its order, of its kinds. A field
// added to BeadInfo without a line here fails test/console/bead-print.test.ts.
import type { BeadInfo } from '../../engine/types.js';
import type { Print64 } from './print.js';

export function printBeadInfo(a: BeadInfo, p: Print64): void {
  p.str(a.id);
  p.str(a.template);
  p.str(a.templateSource);
  p.num(
    (a.poolManaged ? 1 : 0) |
      (a.named ? 2 : 0) |
      (a.live ? 4 : 0) |
      (a.knownState ? 8 : 0) |
      (a.mismatchedAlias ? 16 : 0) |
      (a.outOfBounds ? 32 : 0) |
      (a.inFlight ? 64 : 0) |
      (a.stale ? 128 : 0) |
      (a.deferredRollback ? 256 : 0),
  );
  p.num(a.agentSlot);
  p.num(a.aliasSlot);
  p.num(a.sessionNameSlot);
  p.num(a.ownedSlot);
  p.str(a.slotReason);
  p.str(a.identity);
  p.str(a.duplicateOf);
  p.str(a.incumbentReason);
  p.str(a.aliasConflictHolder);
  p.strs(a.liveWork);
}

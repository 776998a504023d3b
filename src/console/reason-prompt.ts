// The decision dialogs that ask about one repair's diff — the reject prompt (`r`) and the confirmation of a
// destructive approval (`a`) — while a new plan comes in. They stay open: closed under the operator's fingers, the
// rest of a reason being typed would reach the view as keys (an `a` in it approves, an `s` skips), and a confirmation
// that vanished would leave the operator's enter to the view. Each says instead whether the plan still proposes the
// diff it asks about, and enter then writes nothing (a reason is kept: src/ui/review/handlers.ts): a decision only
// ever records or writes a diff the operator has seen, and the operator learns it changed before pressing enter.
import { sameChanges } from '../engine/index.js';
import type { Plan } from '../engine/types.js';
import { dialogOf, type Mode } from './ui-state.js';

/**
 * The open reject prompt or confirmation as `plan` leaves it (see Dialog's `outdated`), or undefined when none is open
 * or it stays as it is.
 */
export function decisionDialogAfter(mode: Mode, plan: Plan): Mode | undefined {
  const d = dialogOf(mode);
  if (d?.kind !== 'reason' && d?.kind !== 'confirm') return undefined;
  const now = plan.repairs.find((r) => r.id === d.repair.id);
  const outdated = !now ? 'gone' : sameChanges(now.changes, d.repair.changes) ? undefined : 'changed';
  return outdated === d.outdated ? undefined : { ...d, outdated };
}

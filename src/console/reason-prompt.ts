// The reject prompt (`r`) while a new plan comes in. It stays open: closed under the operator's fingers, the rest
// of the reason being typed would reach the view as keys (an `a` in it approves, an `s` skips). It says instead
// whether the plan still proposes the diff it asks about, and enter then records nothing but keeps the reason
// (src/ui/review/handlers.ts): a rejection only ever records a diff the operator has seen.
import { sameChanges } from '../engine/index.js';
import type { Plan } from '../engine/types.js';
import { dialogOf, type Mode } from './ui-state.js';

/** The open reject prompt as `plan` leaves it (see Dialog's `outdated`), or undefined when none is open or it stays as it is. */
export function reasonAfter(mode: Mode, plan: Plan): Mode | undefined {
  const d = dialogOf(mode);
  if (d?.kind !== 'reason') return undefined;
  const now = plan.repairs.find((r) => r.id === d.repair.id);
  const outdated = !now ? 'gone' : sameChanges(now.changes, d.repair.changes) ? undefined : 'changed';
  return outdated === d.outdated ? undefined : { ...d, outdated };
}

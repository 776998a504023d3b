// A conflict clear stamps `metadata.pool_alias_conflict_at` with the time of the plan that proposes it, so each
// refresh proposes the same clear with a later stamp. sameChanges ignores the stamp (the repair did not change),
// which keeps a card from being marked CHANGED on every refresh; but an approval writes the stamp of the version
// the operator saw or marked (write.ts, asWritten), so a card showing the newest stamp would show a time other
// than the one written. The console keeps, for a clear it already shows, the stamp on screen: what is shown,
// marked and approved is then one value.
import { conflictStamp, sameChanges, withConflictStamp } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';

/**
 * `next`, with each repair that `prev` proposes with the same changes (sameChanges) carrying `prev`'s conflict stamp
 * instead of its own; `next` itself when none differs.
 */
export function keepConflictStamps(prev: Plan | null | undefined, next: Plan): Plan {
  if (!prev || prev === next) return next;
  const before = new Map<string, Repair>();
  for (const r of prev.repairs) if (conflictStamp(r) !== undefined) before.set(r.id, r);
  if (before.size === 0) return next;
  let repairs: Repair[] | null = null;
  next.repairs.forEach((r, i) => {
    const was = before.get(r.id);
    if (!was) return;
    const at = conflictStamp(was)!;
    const own = conflictStamp(r);
    if (own === undefined || own === at || !sameChanges(was.changes, r.changes)) return;
    repairs ??= next.repairs.slice();
    repairs[i] = withConflictStamp(r, at);
  });
  return repairs ? { ...next, repairs } : next;
}

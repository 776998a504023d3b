// The repairs an operator marked (`space` in the repairs view) for `A`. A mark holds the repair as it was
// proposed when marked: a refresh that removes the repair or changes its diff drops the mark, so `A` never
// approves a version the operator did not see.
import { sameChanges } from '../engine/index.js';
import type { Plan, Repair } from '../engine/types.js';

/** `marks` after a new plan: only the repairs it still proposes with the same changes (the same map when none went). */
export function keepMarks(marks: ReadonlyMap<string, Repair>, plan: Plan): ReadonlyMap<string, Repair> {
  if (marks.size === 0) return marks;
  const proposed = new Map<string, Repair>();
  for (const r of plan.repairs) if (marks.has(r.id)) proposed.set(r.id, r);
  const kept = new Map<string, Repair>();
  for (const [id, r] of marks) {
    const now = proposed.get(id);
    if (now && sameChanges(now.changes, r.changes)) kept.set(id, r);
  }
  return kept.size === marks.size ? marks : kept;
}

// Operator rejections: a repair rejected with exactly these changes is not proposed again until its facts change.
import type { Change, Decision, Repair } from './types.js';
import { CONFLICT_AT } from './values.js';

/** The same judgment: equal changes, except the time a conflict clear would stamp (it is the plan's clock). */
export function sameChanges(a: Change[], b: Change[]): boolean {
  return (
    a.length === b.length &&
    a.every((c, i) => c.field === b[i].field && c.before === b[i].before && (c.after === b[i].after || c.field === CONFLICT_AT))
  );
}

/**
 * A text with the ages it quotes ("73 min ago" in a stale create's reason, "3 h ago" in a detail) masked: they read as
 * of the plan's time and move with the clock on every re-plan, while what they describe stays as it was.
 */
export function withoutAges(text: string): string {
  return text.replace(/\b(?:\d+ (?:s|min|h|d)|now) ago\b/g, '… ago');
}

/** The latest decision per repair id (decisions are kept in the order they were made). */
export function latestDecisions(decisions: Decision[] | undefined): Map<string, Decision> {
  const latest = new Map<string, Decision>();
  for (const d of decisions ?? []) if (d && typeof d.repair === 'string') latest.set(d.repair, d);
  return latest;
}

export function withholdRejected(
  repairs: Repair[],
  decisions: Decision[] | undefined,
): { proposed: Repair[]; rejected: { repair: Repair; decision: Decision }[] } {
  const latest = latestDecisions(decisions);
  if (latest.size === 0) return { proposed: repairs, rejected: [] };
  const proposed: Repair[] = [];
  const rejected: { repair: Repair; decision: Decision }[] = [];
  for (const r of repairs) {
    const d = latest.get(r.id);
    if (d && d.decision === 'rejected' && Array.isArray(d.changes) && sameChanges(d.changes, r.changes))
      rejected.push({ repair: r, decision: d });
    else proposed.push(r);
  }
  return { proposed, rejected };
}

// Shared readings of a Plan for the human outputs (summary, markdown, csv).
import type { Change, Plan } from '../../engine/types.js';

/** The part of a Plan that is contract (`check --json`); `detail` is for the console only. */
export function publicPlan(p: Plan): Pick<Plan, 'metrics' | 'repairs' | 'findings' | 'pools'> {
  return { metrics: p.metrics, repairs: p.repairs, findings: p.findings, pools: p.pools };
}

/** The exit status a plan means: 1 when there is a repair or an `action` finding, else 0. */
export function driftExitCode(p: Pick<Plan, 'repairs' | 'findings'>): 0 | 1 {
  return p.repairs.length > 0 || p.findings.some((f) => f.severity === 'action') ? 1 : 0;
}

export function showValue(v: string | null): string {
  return v === null ? '(absent)' : JSON.stringify(v);
}

export function showChange(c: Change): string {
  return `${c.field} ${showValue(c.before)} → ${showValue(c.after)}`;
}

export function countActionFindings(p: Pick<Plan, 'findings'>): number {
  return p.findings.filter((f) => f.severity === 'action').length;
}

/** 12000 → "12 000": digit groups that stay readable in a narrow column (the console's counts, everywhere alike). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

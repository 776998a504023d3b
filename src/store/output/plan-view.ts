// Shared readings of a Plan for the human outputs (summary, markdown, csv).
import type { Change, Plan } from '../../engine/types.js';
import { quote } from './sanitize.js';

/** The part of a Plan that is contract (`check --json`); `detail` is for the console only. */
export function publicPlan(p: Plan): Pick<Plan, 'metrics' | 'repairs' | 'findings' | 'pools'> {
  return { metrics: p.metrics, repairs: p.repairs, findings: p.findings, pools: p.pools };
}

/** The exit status a plan means: 1 when there is a repair or an `action` finding, else 0. */
export function driftExitCode(p: Pick<Plan, 'repairs' | 'findings'>): 0 | 1 {
  return p.repairs.length > 0 || p.findings.some((f) => f.severity === 'action') ? 1 : 0;
}

/** `1 repair`, `2 repairs`, `0 action findings`: a count and its word, plural unless it is 1. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A metadata value for people: quoted, its controls spelt as everything else on screen spells them (`\e`, `\x07`,
 * `\u{202e}`: sanitize's escapes, the console's), never JSON's `\u001b`, which a reason beside it would spell `\e`.
 */
export function showValue(v: string | null): string {
  return v === null ? '(absent)' : quote(v);
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

/** Whether a pool's namepool, not its max, is the tighter of its own bounds (DOMAIN: at most min(max, names)). */
export function boundByNames(max: number | null, names: number): boolean {
  return names > 0 && (max === null || names < max);
}

/**
 * How a pool's own bounds read in the human outputs, as the console shows them: when its namepool is the tighter
 * bound (a pool with no max of its own is bounded by its names alone) the most it holds is its number of names,
 * and `max` (the agent's own value, as `check --json` keeps it) would say less; else the agent's max (null: none).
 */
export interface PoolBoundView {
  byNames: boolean;
  /** The most sessions its own bounds allow: its names when they bound it, else the agent's max (null: none). */
  most: number | null;
  /** The agent's own max (`check --json`'s `max`). */
  max: number | null;
}

/** The namepool size of every template of the plan (0: none), for poolBoundView. */
export function namepoolSizes(p: Pick<Plan, 'detail'>): Map<string, number> {
  return new Map(p.detail.templates.map((t) => [t.template, t.namepool.length]));
}

export function poolBoundView(pool: { bounded: boolean; max: number | null }, names: number): PoolBoundView {
  const byNames = pool.bounded && boundByNames(pool.max, names);
  return { byNames, most: byNames ? names : pool.max, max: pool.max };
}

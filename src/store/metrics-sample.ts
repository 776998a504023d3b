// One line of the metrics history: the figures of one plan at one moment, as a console saw them. The header's
// sparklines, the trend view and the md report's Trend section are all drawn from a list of these.
import type { Metrics, Plan } from '../engine/types.js';
import { formatZ } from './time.js';

/** The per-kind figures, in the order the header shows them. */
export const METRIC_KEYS = [
  'mismatched_aliases',
  'alias_conflicts',
  'duplicate_slots',
  'cross_template_assignments',
  'orphaned_work',
  'out_of_bounds_identities',
  'stale_creates',
  'deferred_rollbacks',
  'unresolved_templates',
] as const satisfies readonly (keyof Metrics)[];

export interface MetricsSample {
  /** `YYYY-MM-DDTHH:MM:SSZ`: the time the plan is for. */
  time: string;
  /** The console run that recorded it: samples of one run share it, so runs can be told apart. */
  session: string;
  repairs: number;
  findings: number;
  metrics: Metrics;
  /** Repairs approved in that console run so far, and repairs withheld because an operator rejected them. */
  decided: { applied: number; rejected: number };
}

/** The figures of `plan` at `at`. */
export function sampleOf(plan: Plan, at: Date, session: string, applied: number): MetricsSample {
  return {
    time: formatZ(at),
    session,
    repairs: plan.repairs.length,
    findings: plan.findings.length,
    metrics: { ...plan.metrics },
    decided: { applied, rejected: plan.detail.rejected.length },
  };
}

/** Whether two samples hold the same figures (whenever and by whichever run they were taken). */
export function sameFigures(a: MetricsSample, b: MetricsSample): boolean {
  return (
    a.repairs === b.repairs &&
    a.findings === b.findings &&
    a.decided.applied === b.decided.applied &&
    a.decided.rejected === b.decided.rejected &&
    METRIC_KEYS.every((k) => a.metrics[k] === b.metrics[k])
  );
}

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** A figure an older or newer gc-tui did not write reads as 0; one it wrote must be a count (else undefined). */
const countOr0 = (v: unknown): number | undefined => (v === undefined ? 0 : isCount(v) ? v : undefined);

/**
 * A history line as a sample, or null when it is not one (torn, edited, or not JSON at all). Checked by hand,
 * not with zod: the history is read line by line at every console start and md export, and a valid input
 * never loads zod (src/store/formats/shape.ts); test/store/metrics-history.test.ts holds it to a zod schema.
 */
export function parseSampleLine(line: string): MetricsSample | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.time !== 'string' || !TIME.test(v.time)) return null;
  if (typeof v.session !== 'string' || v.session.length > 64 || !isCount(v.repairs) || !isCount(v.findings)) return null;
  if (!isObject(v.metrics)) return null;
  const metrics = {} as Metrics;
  for (const k of METRIC_KEYS) {
    const n = countOr0(v.metrics[k]);
    if (n === undefined) return null;
    metrics[k] = n;
  }
  let decided = { applied: 0, rejected: 0 };
  if (v.decided !== undefined) {
    if (!isObject(v.decided)) return null;
    const applied = countOr0(v.decided.applied);
    const rejected = countOr0(v.decided.rejected);
    if (applied === undefined || rejected === undefined) return null;
    decided = { applied, rejected };
  }
  return { time: v.time, session: v.session, repairs: v.repairs, findings: v.findings, metrics, decided };
}

/** What the history plots: the two counts the header always shows, then each kind's figure. */
export type TrendFigure = 'repairs' | 'findings' | (typeof METRIC_KEYS)[number];

export const TREND_FIGURES: readonly TrendFigure[] = ['repairs', 'findings', ...METRIC_KEYS];

/** The series of one figure, oldest first. */
export function seriesOf(samples: readonly MetricsSample[], figure: TrendFigure): number[] {
  return samples.map((s) => (figure === 'repairs' || figure === 'findings' ? s[figure] : s.metrics[figure]));
}

export interface SeriesStats {
  first: number;
  last: number;
  min: number;
  max: number;
}

/** First, last, lowest and highest value of a series that has at least one. */
export function statsOf(values: readonly number[]): SeriesStats {
  return { first: values[0], last: values[values.length - 1], min: Math.min(...values), max: Math.max(...values) };
}

/** How many console runs the samples come from (runs are told apart by their session id). */
export function sessionCount(samples: readonly MetricsSample[]): number {
  return new Set(samples.map((s) => s.session)).size;
}

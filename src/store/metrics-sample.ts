// One line of the metrics history: the figures of one plan at one moment, as a console saw them. The header's
// sparklines, the trend view and the md report's Trend section are all drawn from a list of these.
import type { Metrics, Plan } from '../engine/types.js';
import { formatZ } from './time.js';
import type { z } from 'zod';
import { loadZod } from './formats/schema.js';

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

/** The shape of a history line (zod is loaded on the first line read: see loadZod). */
function buildSampleShape() {
  const z = loadZod();
  const count = z.number().int().nonnegative();
  // A figure an older or newer gc-tui did not write reads as 0; one it wrote must be a count.
  const metricsShape = z.object(
    Object.fromEntries(METRIC_KEYS.map((k) => [k, count.default(0)])) as Record<keyof Metrics, z.ZodDefault<typeof count>>,
  );
  return z.object({
    time: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    session: z.string().max(64),
    repairs: count,
    findings: count,
    metrics: metricsShape,
    decided: z.object({ applied: count.default(0), rejected: count.default(0) }).default({ applied: 0, rejected: 0 }),
  });
}
let sampleShape: ReturnType<typeof buildSampleShape> | undefined;

/** A history line as a sample, or null when it is not one (torn, edited, or not JSON at all). */
export function parseSampleLine(line: string): MetricsSample | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const r = (sampleShape ??= buildSampleShape()).safeParse(value);
  return r.success ? (r.data as MetricsSample) : null;
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

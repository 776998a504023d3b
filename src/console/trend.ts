// The console's side of the metrics history: at start, what earlier runs left in the file; then one sample per
// plan whose figures differ from this run's last sample (a refresh, a patrol re-plan, an approval's write), kept in the
// app store for the header and the trend view and appended to the file. A console that shows the same figures
// records nothing, so an idle console never grows the file. A read-only console (`--read-only`, or beads read
// from a capture or through gc) writes nothing: it keeps this run's samples in memory only.
import { randomBytes } from 'node:crypto';
import { appendMetrics, readMetricsHistory } from '../store/metrics-history.js';
import { sameFigures, sampleOf, type MetricsSample } from '../store/metrics-sample.js';
import type { Source } from '../store/types.js';
import type { AppState, AppStore } from './state.js';

/** The most samples kept in memory (earlier runs' and this one's); older ones leave the picture first. */
export const MAX_TREND_SAMPLES = 5000;

export function newSessionId(): string {
  return randomBytes(4).toString('hex');
}

export interface TrendOptions {
  /** This run's id in the history (default: a fresh random one). */
  session?: string;
  /** Cap of the history file (default MAX_HISTORY_BYTES). */
  maxBytes?: number;
}

/** The repairs approved in this run so far. */
function appliedCount(s: AppState): number {
  let n = 0;
  for (const o of Object.values(s.ui.review)) if (o.result === 'applied') n++;
  return n;
}

/** Start recording: returns what stops it. */
export function recordTrend(store: AppStore, source: Source, opts: TrendOptions = {}): () => void {
  const session = opts.session ?? newSessionId();
  const history = readMetricsHistory(source, { maxBytes: opts.maxBytes });
  store
    .getState()
    .setTrend({ samples: history.samples.slice(-MAX_TREND_SAMPLES), session, skipped: history.skipped, error: history.error, since: null });
  let last: MetricsSample | null = null;

  const record = (s: AppState) => {
    const snap = s.pending ?? s.current;
    if (!snap) return;
    const sample = sampleOf(snap.plan, new Date(snap.plannedAt), session, appliedCount(s));
    if (last !== null && sameFigures(last, sample)) return;
    last = sample;
    const samples = [...s.trend.samples, sample];
    let error = s.trend.error;
    if (!s.readOnly && error === null) {
      try {
        appendMetrics(source, [sample], { maxBytes: opts.maxBytes });
      } catch (e) {
        // The picture goes on from memory; the trend view says why the file is not kept.
        error = e instanceof Error ? e.message : String(e);
      }
    }
    const since = s.trend.since ?? sample.time;
    store.getState().setTrend({ samples: samples.length > MAX_TREND_SAMPLES ? samples.slice(-MAX_TREND_SAMPLES) : samples, error, since });
  };

  record(store.getState());
  // On a new plan only: the approvals of one bulk `A` land one by one before the plan of what they wrote, and a
  // sample per approval would draw the same repairs count over and over.
  return store.subscribe((s, prev) => {
    if ((s.pending ?? s.current)?.plan !== (prev.pending ?? prev.current)?.plan) record(s);
  });
}

// The trend view's rows: the metrics samples, newest first (the view draws them as a chart; `E` exports them).
// The key is the sample's place counted from the oldest, which a new sample does not change.
import { METRIC_KEYS, type MetricsSample } from '../../store/metrics-sample.js';
import { clean } from '../text.js';
import { makeRow, type Table } from './types.js';

const cache = new WeakMap<readonly MetricsSample[], Table>();

export function trendTable(samples: readonly MetricsSample[]): Table {
  let t = cache.get(samples);
  if (t) return t;
  const rows = [];
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i];
    const cells = [
      clean(s.time),
      clean(s.session),
      String(s.repairs),
      String(s.findings),
      String(s.decided.applied),
      String(s.decided.rejected),
    ];
    rows.push(makeRow(String(i), [...cells, ...METRIC_KEYS.map((k) => String(s.metrics[k]))], []));
  }
  t = {
    columns: [
      { title: 'TIME', width: 20 },
      { title: 'RUN', width: 8, cut: 'middle' },
      { title: 'REPAIRS', width: 7, align: 'right' },
      { title: 'FINDINGS', width: 8, align: 'right' },
      { title: 'APPLIED', width: 7, align: 'right' },
      { title: 'REJECTED', width: 8, align: 'right' },
      ...METRIC_KEYS.map((k) => ({ title: k.toUpperCase(), width: 4, align: 'right' as const, drop: 1 })),
    ],
    rows,
  };
  cache.set(samples, t);
  return t;
}

// The md report's Trend section: the metrics history (metrics-history.ts) as a sparkline and first / last /
// lowest / highest value per figure, so a report shows whether drift grew or shrank, not only where it stands.
import type { MetricsHistory } from '../metrics-history.js';
import { seriesOf, sessionCount, statsOf, TREND_FIGURES } from '../metrics-sample.js';
import { cell } from './markdown-text.js';
import { sparkline, squeeze } from './sparkline.js';

/** The widest sparkline of the report: longer histories are squeezed (each column its slice's highest value). */
export const REPORT_SPARK_WIDTH = 60;

export function trendMarkdown(history: MetricsHistory): string[] {
  const out = ['## Trend', ''];
  const { samples } = history;
  if (history.error !== null) out.push(`The metrics history could not be read: ${cell(history.error)}.`, '');
  else if (samples.length === 0)
    out.push('No metrics history yet: the console records the figures on every refresh that changes them.', '');
  if (samples.length === 0) return out;
  const runs = sessionCount(samples);
  out.push(
    `${samples.length} samples from ${samples[0].time} to ${samples[samples.length - 1].time}, ` +
      `${runs} console run${runs === 1 ? '' : 's'}${history.skipped > 0 ? `; ${history.skipped} unreadable lines skipped` : ''}.`,
    '',
  );
  out.push('| figure | trend | first | last | min | max |', '| --- | --- | ---: | ---: | ---: | ---: |');
  for (const figure of TREND_FIGURES) {
    const values = seriesOf(samples, figure);
    const s = statsOf(values);
    // The two counts always; a kind only when it was ever above 0.
    if (s.max === 0 && figure !== 'repairs' && figure !== 'findings') continue;
    out.push(`| ${figure} | \`${sparkline(squeeze(values, REPORT_SPARK_WIDTH))}\` | ${s.first} | ${s.last} | ${s.min} | ${s.max} |`);
  }
  out.push('');
  return out;
}

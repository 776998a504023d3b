// The trend view (9): the figures over this console run and earlier ones (trend/chart.ts), exactly `height`
// lines tall whatever the history holds. The view's filter (`/`) picks the samples plotted: the rows `E` exports.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useApp } from '../hooks/use-app-store.js';
import type { Theme } from '../theme.js';
import { filterRows } from '../rows/filter.js';
import { trendTable } from '../rows/trend.js';
import { firstKey } from '../keymap.js';
import { clean } from '../text.js';
import { trendLines, type ChartLine } from '../trend/chart.js';

export function TrendPane({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const trend = useApp((s) => s.trend);
  const readOnly = useApp((s) => s.readOnly);
  const filter = useApp((s) => s.ui.filters.trend);
  const lines = useMemo((): ChartLine[] => {
    const samples = filter.trim() ? filterRows(trendTable(trend.samples).rows, filter).map((r) => trend.samples[Number(r.key)]) : null;
    // The rows are newest first, as the table lists them; the chart reads oldest first.
    if (samples && samples.length === 0)
      return [[{ text: `No samples match "${clean(filter)}" (${firstKey('trend', 'clear-filter')} clears).` }]].slice(0, height);
    // "This run since" is when this run started: a filter picks the samples drawn, not that time.
    const since = trend.since ?? trend.samples.find((x) => x.session === trend.session)?.time ?? null;
    return trendLines({ ...trend, samples: samples ? samples.reverse() : trend.samples, since, readOnly }, width, height);
  }, [trend, filter, readOnly, width, height]);
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.map((p, j) => (
            <Text key={j} color={p.tone ? theme.tone(p.tone) : undefined}>
              {p.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

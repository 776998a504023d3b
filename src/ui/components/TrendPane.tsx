// The trend view (9): the figures over this console run and earlier ones (trend/chart.ts), exactly `height`
// lines tall whatever the history holds.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useApp } from '../hooks/use-app-store.js';
import type { Theme } from '../theme.js';
import { trendLines } from '../trend/chart.js';

export function TrendPane({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const trend = useApp((s) => s.trend);
  const readOnly = useApp((s) => s.readOnly);
  const lines = useMemo(() => trendLines({ ...trend, readOnly }, width, height), [trend, readOnly, width, height]);
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

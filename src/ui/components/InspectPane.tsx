// The inspect pane (`y` raw JSON, `enter` detail): a title line, then the wrapped lines from its top,
// exactly `height` lines tall whatever it holds.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useApp } from '../hooks/use-app-store.js';
import { wrapInspect } from '../inspect.js';
import type { Theme } from '../theme.js';

export function InspectPane({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const pane = useApp((s) => s.ui.inspect);
  const lines = useMemo(() => (pane ? wrapInspect(pane.lines, width) : []), [pane, width]);
  if (!pane || height <= 0) return null;
  const room = Math.max(0, height - 1);
  const top = Math.min(pane.top, Math.max(0, lines.length - room));
  const body = lines.slice(top, top + room);
  const range = lines.length ? `${top + 1}–${top + body.length} of ${lines.length}` : '0 of 0';
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text
        wrap="truncate-end"
        bold
        inverse
        color={theme.tone('accent')}
      >{` ${wrapInspect([pane.title], 10_000)[0] ?? ''} (${range}) — esc closes `}</Text>
      {body.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}

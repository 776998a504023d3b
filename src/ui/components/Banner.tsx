// One line under the header about the input itself: while it cannot be read, that (the data below is the last good
// read, and says so); else what its last good read says the operator should know and Gas City reads without a word
// (a namepool file it cannot read: Loaded.warnings), the first in full and how many more (`check` lists them all).
import { Box, Text } from 'ink';
import { useApp } from '../hooks/use-app-store.js';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';

export function Banner({ theme, width }: { theme: Theme; width: number }) {
  const error = useApp((s) => s.error);
  const hasData = useApp((s) => s.current !== null);
  const warnings = useApp((s) => s.warnings);
  if (error === null && warnings.length === 0) return null;
  const more = warnings.length > 1 ? ` (+${warnings.length - 1} more: gc-tui check lists them)` : '';
  const text = error !== null ? `✗ ${clean(error)}${hasData ? ' — showing the last good read' : ''}` : `⚠ ${clean(warnings[0])}${more}`;
  const tone = theme.tone(error !== null ? 'error' : 'warn');
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text
        wrap="truncate-end"
        bold
        color={theme.color ? (error !== null ? 'white' : 'black') : undefined}
        backgroundColor={tone}
        inverse={!theme.color}
      >
        {text}
      </Text>
    </Box>
  );
}

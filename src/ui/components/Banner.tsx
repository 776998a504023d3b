// Shown while the input cannot be read: the data below is the last good read, and says so.
import { Box, Text } from 'ink';
import { useApp } from '../hooks/use-app-store.js';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';

export function Banner({ theme, width }: { theme: Theme; width: number }) {
  const error = useApp((s) => s.error);
  const hasData = useApp((s) => s.current !== null);
  if (error === null) return null;
  const text = `✗ ${clean(error)}${hasData ? ' — showing the last good read' : ''}`;
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" bold color={theme.color ? 'white' : undefined} backgroundColor={theme.tone('error')} inverse={!theme.color}>
        {text}
      </Text>
    </Box>
  );
}

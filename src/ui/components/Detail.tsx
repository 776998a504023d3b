// The selected row in words: evidence, reasons and proposed repairs. The repair card of the review
// flow replaces this pane in the repairs view. Every line goes through `clean` here, whatever the view
// built it from, so a view that forgets to clean a bead field still puts nothing raw on the terminal
// (cleaning is idempotent: already visible escapes stay as they are).
import { Box, Text } from 'ink';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';

export function Detail({ lines, height, width, theme }: { lines: string[]; height: number; width: number; theme: Theme }) {
  if (height <= 0) return null;
  const body = lines.slice(0, height - 1);
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {'─'.repeat(Math.max(0, width))}
      </Text>
      {body.map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={i === 0}>
          {clean(l)}
        </Text>
      ))}
    </Box>
  );
}

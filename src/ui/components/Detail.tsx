// The selected row in words: evidence, reasons and proposed repairs. The repair card of the review
// flow replaces this pane in the repairs view. Every line goes through `clean` here, whatever the view
// built it from, so a view that forgets to clean a bead field still puts nothing raw on the terminal
// (cleaning is idempotent: already visible escapes stay as they are). Each line is cut here, by the cells it takes
// (text.ts), not by Ink's truncate-end: that one overruns by a cell when the cut falls inside a wide character, and
// the box then clips its `…`, so a cut line looked complete.
import { Box, Text } from 'ink';
import { clean, truncateEnd } from '../text.js';
import type { Theme } from '../theme.js';

/**
 * `more`: what shows the rest when the lines do not all fit (the audit view's `enter`); the last line then says how
 * many are left out and that.
 */
export function Detail({
  lines,
  height,
  width,
  theme,
  more,
}: {
  lines: string[];
  height: number;
  width: number;
  theme: Theme;
  more?: string;
}) {
  if (height <= 0) return null;
  const room = height - 1;
  const cut = more !== undefined && room > 1 && lines.length > room;
  const body = cut ? [...lines.slice(0, room - 1), `… ${lines.length - room + 1} more line(s) — ${more}`] : lines.slice(0, room);
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {'─'.repeat(Math.max(0, width))}
      </Text>
      {body.map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={i === 0}>
          {truncateEnd(clean(l), width)}
        </Text>
      ))}
    </Box>
  );
}

// The keys that work right now, straight from the keymap registry (the same source as `?` help).
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { hintsFor, type Scope } from '../keymap.js';
import type { Theme } from '../theme.js';

export function Footer({ scope, theme, width }: { scope: Scope; theme: Theme; width: number }) {
  const hints = useMemo(() => hintsFor(scope), [scope]);
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        {hints.map((h, i) => (
          <Text key={i}>
            <Text bold color={theme.tone('accent')}>{h.keys}</Text>
            <Text color={theme.tone('dim')}>{` ${h.hint}  `}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}

// The keys that work right now, straight from the keymap registry (the same source as `?` help).
// When they do not all fit, the last ones go first, but `? help`, quit and a way on always stay: the card's
// `back`, else `tab view` (at 80 columns a view's own keys would otherwise crowd out every way to another view).
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useApp } from '../hooks/use-app-store.js';
import { hintsFor, type Scope } from '../keymap.js';
import type { Theme } from '../theme.js';

const PINNED = new Set(['help', 'quit']);
const WAYS_ON = ['back', 'view'];

export function fitHints<T extends { keys: string; hint: string }>(hints: T[], width: number): T[] {
  const out = [...hints];
  const way = WAYS_ON.find((w) => out.some((h) => h.hint === w));
  const pinned = (h: T) => PINNED.has(h.hint) || h.hint === way;
  const len = () => out.reduce((n, h) => n + [...h.keys].length + 1 + h.hint.length + 2, 0);
  for (let i = out.length - 1; i >= 0 && len() > width; i--) if (!pinned(out[i])) out.splice(i, 1);
  return out;
}

export function Footer({ scope, theme, width }: { scope: Scope; theme: Theme; width: number }) {
  const readOnly = useApp((s) => s.readOnly);
  const hints = useMemo(() => fitHints(hintsFor(scope, readOnly), width), [scope, readOnly, width]);
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        {hints.map((h, i) => (
          <Text key={i}>
            <Text bold color={theme.tone('accent')}>
              {h.keys}
            </Text>
            <Text color={theme.tone('dim')}>{` ${h.hint}  `}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}

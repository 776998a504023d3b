// The inspect pane (`y` raw JSON, `enter` detail): a title line, a line saying so when the data moved on since
// it was opened, then the wrapped lines from its top, exactly `height` lines tall whatever it holds.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useApp } from '../hooks/use-app-store.js';
import { paneState, wrapInspect, type PaneState } from '../inspect.js';
import { firstKey } from '../keymap.js';
import { cellsIn, truncateMiddle } from '../text.js';
import type { Theme, Tone } from '../theme.js';

const NOTICES: Record<PaneState, (() => { text: string; tone: Tone }) | null> = {
  same: null,
  changed: () => ({ text: `changed since opened — ${firstKey('inspect', 'inspect-reload')} reloads`, tone: 'warn' }),
  gone: () => ({ text: 'gone since opened (no longer in the data) — as opened', tone: 'error' }),
};

/**
 * The title line: the name, then its range and the key that closes it. Where it does not fit, the name is cut in its
 * middle so the range and the key stay whole (at 40 columns it ended `— esc…`); a name that would keep fewer than 8
 * cells is cut at the end as before.
 */
export function paneTitle(name: string, tail: string, width: number): string {
  const room = width - 1 - cellsIn(tail);
  if (cellsIn(name) <= room || room < 8) return ` ${name}${tail}`;
  return ` ${truncateMiddle(name, room)}${tail}`;
}

export function InspectPane({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const pane = useApp((s) => s.ui.inspect);
  const state = useApp(paneState);
  const lines = useMemo(() => (pane ? wrapInspect(pane.lines, width) : []), [pane, width]);
  if (!pane || height <= 0) return null;
  // A snapshot: a refresh never rewrites what is being read, it only says the data moved on.
  const notice = NOTICES[state]?.() ?? null;
  const room = Math.max(0, height - 1 - (notice ? 1 : 0));
  const top = Math.min(pane.top, Math.max(0, lines.length - room));
  const body = lines.slice(top, top + room);
  const range = lines.length ? `${top + 1}–${top + body.length} of ${lines.length}` : '0 of 0';
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" bold inverse color={theme.tone('accent')}>
        {paneTitle(wrapInspect([pane.title], 10_000)[0] ?? '', ` (${range}) — ${firstKey('inspect', 'inspect-close')} closes `, width)}
      </Text>
      {notice ? (
        <Text wrap="truncate-end" bold color={theme.tone(notice.tone)}>
          {notice.text}
        </Text>
      ) : null}
      {body.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}

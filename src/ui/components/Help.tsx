// The `?` overlay: every binding of the registry, windowed like any list.
import { Box, Text } from 'ink';
import { useApp } from '../hooks/use-app-store.js';
import { keyLabels } from '../keymap.js';
import { helpPlace } from '../actions.js';
import type { Theme } from '../theme.js';
import { HELP_KEYS_WIDTH, HELP_UNDER_INDENT, helpHeadShown, helpKeysAt, helpLines, helpShown, type HelpLine } from './help-lines.js';

export function Help({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const top = useApp((s) => s.ui.helpTop);
  const readOnly = useApp((s) => s.readOnly);
  const view = useApp(helpPlace);
  const lines = helpLines(readOnly, width, view);
  const room = Math.max(0, height - 1);
  const body = lines.slice(top, top + helpShown(lines, top, room));
  // A page that opens inside a key's wrapped text says whose it is: beside it, or on a line of its own over text under keys.
  const keysAt = (l: HelpLine, i: number) => (i === 0 && l.more ? helpKeysAt(lines, top) : l.keys);
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text
        wrap="truncate-end"
        bold
        inverse
      >{` Keys (${top + 1}–${top + body.length} of ${lines.length}) — ${keyLabels('help', 'help-close').slice(0, 2).join(' or ')} closes `}</Text>
      {helpHeadShown(lines, top, room) ? (
        <Text wrap="truncate-end" bold>
          {`  ${helpKeysAt(lines, top)} (continued)`}
        </Text>
      ) : null}
      {body.map((l, i) =>
        l.title ? (
          <Text key={i} wrap="truncate-end" bold color={theme.tone('accent')}>
            {l.text}
          </Text>
        ) : l.under ? (
          <Text key={i} wrap="truncate-end" bold={l.keys !== ''}>
            {l.keys !== '' ? '  ' + l.keys : ' '.repeat(HELP_UNDER_INDENT) + l.text}
          </Text>
        ) : (
          <Box key={i} height={1}>
            <Box width={HELP_KEYS_WIDTH} flexShrink={0}>
              <Text wrap="truncate-end" bold>
                {'  ' + keysAt(l, i)}
              </Text>
            </Box>
            <Text wrap="truncate-end">{l.text}</Text>
          </Box>
        ),
      )}
    </Box>
  );
}

// One line for the prompt being typed (`/filter`, `:command`), a message, or quiet context; on its right,
// the work in progress ("applying rollback-stale-create:x…", "reading…"), so a slow read or write of a big
// store never looks like a hung console.
import { Box, Text } from 'ink';
import { dialogOf } from '../../console/ui-state.js';
import { useApp } from '../hooks/use-app-store.js';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';
import { Confirm } from './Confirm.js';

/** What is running, as the status line shows it (null when nothing is). */
export function workText(busy: string | null, activity: string | null): string | null {
  const parts = [busy ? `${busy}…` : null, activity].filter((x): x is string => x !== null && x !== '');
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function StatusLine({ theme, width, context }: { theme: Theme; width: number; context: string | null }) {
  const mode = useApp((s) => s.ui.mode);
  const filter = useApp((s) => s.ui.filters[s.ui.view]);
  const command = useApp((s) => s.ui.command);
  const message = useApp((s) => s.ui.message);
  const dialog = dialogOf(mode);
  const busy = useApp((s) => s.ui.busy);
  const activity = useApp((s) => s.ui.activity);
  const work = workText(busy, activity);
  let body;
  if (dialog) body = <Confirm dialog={dialog} theme={theme} />;
  else if (mode === 'filter')
    body = (
      <Text>
        <Text bold color={theme.tone('accent')}>
          /
        </Text>
        {clean(filter)}
        <Text inverse> </Text>
      </Text>
    );
  else if (mode === 'command')
    body = (
      <Text>
        <Text bold color={theme.tone('accent')}>
          :
        </Text>
        {clean(command)}
        <Text inverse> </Text>
      </Text>
    );
  else if (message) body = <Text color={theme.tone(message.tone === 'error' ? 'error' : 'accent')}>{clean(message.text)}</Text>;
  else body = <Text color={theme.tone('dim')}>{context ?? ''}</Text>;
  // The work indicator keeps its room (all but 30 columns, at least half the line); the body is cut first.
  const label = work ? ` ${clean(work)}` : '';
  const workWidth = Math.min(label.length, Math.max(width - 30, Math.floor(width / 2)));
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden" flexDirection="row">
      <Box flexGrow={1} flexShrink={1} height={1} overflow="hidden">
        <Text wrap="truncate-end">{body}</Text>
      </Box>
      {work ? (
        <Box width={workWidth} flexShrink={0} height={1} overflow="hidden">
          <Text wrap="truncate-end" bold color={theme.tone('accent')}>
            {label}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

// One line for the prompt being typed (`/filter`, `:command`), a message, or quiet context.
import { Box, Text } from 'ink';
import { useApp } from '../hooks/use-app-store.js';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';
import { Confirm } from './Confirm.js';

export function StatusLine({ theme, width, context }: { theme: Theme; width: number; context: string | null }) {
  const mode = useApp((s) => s.ui.mode);
  const filter = useApp((s) => s.ui.filters[s.ui.view]);
  const command = useApp((s) => s.ui.command);
  const message = useApp((s) => s.ui.message);
  const dialog = useApp((s) => s.ui.dialog);
  let body;
  if (dialog && (mode === 'confirm' || mode === 'reason' || mode === 'count' || mode === 'export')) body = <Confirm dialog={dialog} theme={theme} />;
  else if (mode === 'filter') body = <Text><Text bold color={theme.tone('accent')}>/</Text>{clean(filter)}<Text inverse> </Text></Text>;
  else if (mode === 'command') body = <Text><Text bold color={theme.tone('accent')}>:</Text>{clean(command)}<Text inverse> </Text></Text>;
  else if (message) body = <Text color={theme.tone(message.tone === 'error' ? 'error' : 'accent')}>{clean(message.text)}</Text>;
  else body = <Text color={theme.tone('dim')}>{context ?? ''}</Text>;
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">{body}</Text>
    </Box>
  );
}

// The view tabs, what the list is about, the visible range ("41–80 of 12 000") and the filter.
import { Box, Text } from 'ink';
import { VIEW_IDS, type ViewId } from '../../store/app-store.js';
import { clean, groupDigits, rangeLabel } from '../text.js';
import type { Theme } from '../theme.js';

export interface ViewBarProps {
  view: ViewId;
  subject: string | null;
  top: number;
  visible: number;
  shown: number;
  total: number;
  filter: string;
  theme: Theme;
  width: number;
}

export function ViewBar({ view, subject, top, visible, shown, total, filter, theme, width }: ViewBarProps) {
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        {VIEW_IDS.map((v, i) => (
          <Text key={v} inverse={v === view} bold={v === view} color={v === view ? theme.tone('accent') : theme.tone('dim')}>
            {` ${i + 1} ${v} `}
          </Text>
        ))}
        <Text> │ </Text>
        {subject ? <Text bold>{clean(subject)} </Text> : null}
        <Text>{rangeLabel(top, visible, shown)}</Text>
        {filter ? (
          <Text color={theme.tone('warn')}>{`  filter "${clean(filter)}" (${groupDigits(shown)} of ${groupDigits(total)})`}</Text>
        ) : null}
      </Text>
    </Box>
  );
}

// The view tabs, what the list is about, the visible range ("41–80 of 12 000") and the filter.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { VIEW_IDS, type ViewId } from '../../console/ui-state.js';
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
  /** The sort, as said on the bar (`sort pool ↑`), or null for the view's own order. */
  sort?: string | null;
  /** How many rows are marked (`space`); 0 says nothing. */
  marked?: number;
  theme: Theme;
  width: number;
}

/** Tabs with every name, or (when the rest of the bar would not fit) only the current one named. */
function tabLabel(v: ViewId, i: number, current: boolean, compact: boolean): string {
  return current || !compact ? ` ${i + 1} ${v} ` : ` ${i + 1}`;
}

// Memo: a cursor move inside the window changes none of its props.
export const ViewBar = memo(function ViewBar({
  view,
  subject,
  top,
  visible,
  shown,
  total,
  filter,
  sort = null,
  marked = 0,
  theme,
  width,
}: ViewBarProps) {
  const range = rangeLabel(top, visible, shown);
  const marks = marked > 0 ? `  ${groupDigits(marked)} marked` : '';
  const sorted = sort ? `  ${sort}` : '';
  const rest =
    3 + (subject ? clean(subject).length + 1 : 0) + range.length + marks.length + sorted.length + (filter ? clean(filter).length + 24 : 0);
  const full = VIEW_IDS.reduce((n, v, i) => n + tabLabel(v, i, false, false).length, 0);
  const compact = full + rest > width;
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        {VIEW_IDS.map((v, i) => (
          <Text key={v} inverse={v === view} bold={v === view} color={v === view ? theme.tone('accent') : theme.tone('dim')}>
            {tabLabel(v, i, v === view, compact)}
          </Text>
        ))}
        <Text> │ </Text>
        {subject ? <Text bold>{clean(subject)} </Text> : null}
        <Text>{range}</Text>
        {marks ? (
          <Text bold color={theme.tone('accent')}>
            {marks}
          </Text>
        ) : null}
        {sorted ? <Text color={theme.tone('accent')}>{sorted}</Text> : null}
        {filter ? (
          <Text color={theme.tone('warn')}>{`  filter "${clean(filter)}" (${groupDigits(shown)} of ${groupDigits(total)})`}</Text>
        ) : null}
      </Text>
    </Box>
  );
});

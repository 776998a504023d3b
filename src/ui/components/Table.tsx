// A windowed table: renders exactly `height` lines whatever the row count, so a 100 000-row list
// costs the same per frame as a 10-row one. The cursor row is inverse; a row that changed while
// updates were paused carries a `*` in the gutter (and a colour when colours are on).
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { Column, Row } from '../rows/types.js';
import type { Theme } from '../theme.js';
import { truncateMiddle } from '../text.js';
import { fitColumns, GAP } from './fit-columns.js';

export interface TableProps {
  columns: Column[];
  /** Widest cell per column over the whole table (contentWidths), so columns do not jump while scrolling. */
  content: number[];
  /** The rows in the window only: props stay small whatever the table holds. */
  rows: Row[];
  /** Index of rows[0] in the whole list. */
  top: number;
  /** Rows in the whole (filtered) list, for the empty message. */
  total: number;
  height: number;
  width: number;
  cursor: number;
  changed: ReadonlySet<string>;
  /** Rows marked with `space` (the repairs view), by key: a `✓` in the gutter, colours or not. */
  marks?: { has(key: string): boolean };
  theme: Theme;
  empty: string;
}

const GUTTER = 2;

/**
 * One Box per cell, its gap to the next column a margin: Ink lays out, places and writes every node on every
 * frame, and the words of a cell are what a frame costs (Ink tokenizes each written character), so the spaces
 * between columns are left to the layout rather than written as padding.
 */
function Cell({
  text,
  width,
  gap,
  align,
  color,
  inverse,
  bold,
  dim,
  cut,
}: {
  text: string;
  width: number;
  gap: number;
  align?: 'left' | 'right';
  cut?: 'end' | 'middle';
  color?: string;
  inverse: boolean;
  bold?: boolean;
  dim?: boolean;
}) {
  return (
    <Box width={width} marginRight={gap} flexShrink={0} justifyContent={align === 'right' ? 'flex-end' : 'flex-start'}>
      <Text wrap="truncate-end" color={color} inverse={inverse} bold={bold} dimColor={dim}>
        {cut === 'middle' ? truncateMiddle(text, width) : text}
      </Text>
    </Box>
  );
}

const TableRow = memo(function TableRow({
  row,
  widths,
  columns,
  selected,
  changed,
  marked,
  theme,
}: {
  row: Row;
  widths: number[];
  columns: Column[];
  selected: boolean;
  changed: boolean;
  marked: boolean;
  theme: Theme;
}) {
  const mark = (selected ? '>' : changed ? '*' : ' ') + (marked ? '✓' : ' ');
  const rowColor = changed ? theme.tone('changed') : row.tone ? theme.tone(row.tone) : undefined;
  return (
    <Box height={1} flexShrink={0}>
      <Box width={GUTTER} flexShrink={0}>
        <Text bold={selected || changed || marked} color={changed ? theme.tone('changed') : marked ? theme.tone('accent') : undefined}>
          {mark}
        </Text>
      </Box>
      {columns.map((c, i) =>
        widths[i] > 0 ? (
          <Cell
            key={i}
            text={row.cells[i] ?? ''}
            width={widths[i]}
            gap={i < columns.length - 1 ? GAP : 0}
            align={c.align}
            cut={c.cut}
            color={rowColor ?? (row.cellTones?.[i] ? theme.tone(row.cellTones[i]!) : undefined)}
            inverse={selected}
            bold={changed}
            dim={!theme.color && row.tone === 'dim'}
          />
        ) : null,
      )}
    </Box>
  );
});

export function Table({ columns, content, rows, top, total, height, width, cursor, changed, marks, theme, empty }: TableProps) {
  const widths = useMemo(() => fitColumns(columns, Math.max(1, width - GUTTER), content), [columns, width, content]);
  return (
    <Box flexDirection="column" height={height + 1} flexShrink={0} overflowY="hidden">
      <Box height={1} flexShrink={0}>
        <Box width={GUTTER} flexShrink={0} />
        {columns.map((c, i) =>
          widths[i] > 0 ? (
            <Cell
              key={i}
              text={c.title}
              width={widths[i]}
              gap={i < columns.length - 1 ? GAP : 0}
              align={c.align}
              inverse={false}
              bold
              color={theme.tone('accent')}
            />
          ) : null,
        )}
      </Box>
      {total === 0 ? (
        <Text wrap="truncate-end" color={theme.tone('dim')}>
          {'  ' + empty}
        </Text>
      ) : (
        // Keyed by place in the window, not by row: a row holds no state, and a page of new rows then updates the
        // window's nodes in place instead of making new ones.
        rows.map((row, i) => (
          <TableRow
            key={i}
            row={row}
            widths={widths}
            columns={columns}
            selected={top + i === cursor}
            changed={changed.size > 0 && row.ids.some((id) => changed.has(id))}
            marked={marks?.has(row.key) ?? false}
            theme={theme}
          />
        ))
      )}
    </Box>
  );
}

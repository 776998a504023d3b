// A windowed table: renders exactly `height` lines whatever the row count, so a 100 000-row list
// costs the same per frame as a 10-row one. The cursor row is inverse; a row that changed while
// updates were paused carries a `*` in the gutter (`>*` on the cursor; and a colour when colours are on).
import { Box, Text } from 'ink';
import { Fragment, memo, useMemo, type ReactNode } from 'react';
import type { Column, Row } from '../rows/types.js';
import type { Theme } from '../theme.js';
import { cellsIn, truncateEnd, truncateMiddle } from '../text.js';
import { fitColumns, GAP } from './fit-columns.js';
import { oneCellWidth } from '../ink-cache/one-cell.js';

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

/** A cell as its own Box, its gap to the next column a margin: for the rows Ink must measure (see TableRow). */
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
        {cut === 'middle' ? truncateMiddle(text, width) : truncateEnd(text, width)}
      </Text>
    </Box>
  );
}

interface RowProps {
  row: Row;
  widths: number[];
  columns: Column[];
  selected: boolean;
  changed: boolean;
  marked: boolean;
  theme: Theme;
}

/**
 * A row as one Ink text node, its columns placed by spaces: Ink lays out, measures and writes every node of the
 * screen on every frame, and a Box and a Text per cell made the table some 450 layout nodes and 200 writes. The
 * row's line is the same string whenever the row is shown the same way, so Ink's writer finds it split already
 * (src/ui/ink-cache). Its unstyled parts (the gutter and every cell of a row shown plain, with the spaces between
 * them) are one string: a string per cell and a Fragment around each made a page of new rows (PgDn, G, a view switch)
 * about 1 000 React nodes to make and commit, the strings joined about 110; Ink joins a row's text nodes before it
 * measures or writes them, and an unstyled Text changes nothing, so the frame is the same. A row whose cells hold a
 * character of unknown width keeps a Box per cell, where Ink measures it.
 */
const TableRow = memo(function TableRow(p: RowProps) {
  const { row, columns, selected, changed, marked, theme } = p;
  // Read once each: a long list's row makes its cells and tones when read (rows/types.ts).
  const cellTones = row.cellTones;
  const cells = lineCells(row.cells, columns, p.widths);
  // The cursor row says it changed too: its `*` moves beside the `>` (unless a `✓` is there; its colour still says it).
  const mark = selected ? `>${marked ? '✓' : changed ? '*' : ' '}` : (changed ? '*' : ' ') + (marked ? '✓' : ' ');
  const markStyle = {
    bold: selected || changed || marked,
    color: changed ? theme.tone('changed') : marked ? theme.tone('accent') : undefined,
  };
  if (!cells) return <BoxRow {...p} mark={mark} markStyle={markStyle} />;
  const rowColor = changed ? theme.tone('changed') : row.tone ? theme.tone(row.tone) : undefined;
  const dim = !theme.color && row.tone === 'dim';
  const parts: ReactNode[] = [];
  let plain = '';
  const styled = (node: ReactNode) => {
    if (plain !== '') parts.push(plain);
    plain = '';
    parts.push(node);
  };
  if (markStyle.bold || markStyle.color)
    styled(
      <Text key="m" {...markStyle}>
        {mark}
      </Text>,
    );
  else plain += mark;
  for (const { i, before, text, after } of cells) {
    plain += before;
    const tone = cellTones?.[i];
    const color = rowColor ?? (tone ? theme.tone(tone) : undefined);
    if (color || selected || changed || dim)
      styled(
        <Text key={i} color={color} inverse={selected} bold={changed} dimColor={dim}>
          {text}
        </Text>,
      );
    else plain += text;
    plain += after;
  }
  if (plain !== '') parts.push(plain);
  return <Text wrap="truncate-end">{parts}</Text>;
});

/**
 * A column's title in `width` cells: whole, else its short form when that fits, else cut at the end (a title reads
 * from its start: `SESSION T…`, never `SESSIO…MPLATE`).
 */
function titleIn(c: Column, width: number): string {
  return cellsIn(c.title) <= width || c.short === undefined ? c.title : c.short;
}

function TitleRow({ columns: shown, widths, theme }: { columns: Column[]; widths: number[]; theme: Theme }) {
  const columns = shown.map((c): Column => ({ ...c, cut: 'end' }));
  const titles = columns.map((c, i) => titleIn(c, widths[i]));
  const cells = lineCells(titles, columns, widths);
  if (!cells)
    return (
      <Box height={1} flexShrink={0}>
        <Box width={GUTTER} flexShrink={0} />
        {columns.map((c, i) =>
          widths[i] > 0 ? (
            <Cell
              key={i}
              text={titles[i]}
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
    );
  return (
    <Text wrap="truncate-end">
      {' '.repeat(GUTTER)}
      {cells.map(({ i, before, text, after }) => (
        <Fragment key={i}>
          {before}
          <Text bold color={theme.tone('accent')}>
            {text}
          </Text>
          {after}
        </Fragment>
      ))}
    </Text>
  );
}

/** The same row laid out by Ink, a Box per cell: for cells whose width only Ink's measure knows. */
function BoxRow({
  row,
  widths,
  columns,
  selected,
  changed,
  theme,
  mark,
  markStyle,
}: RowProps & { mark: string; markStyle: { bold: boolean; color?: string } }) {
  const rowColor = changed ? theme.tone('changed') : row.tone ? theme.tone(row.tone) : undefined;
  const { cells, cellTones } = row;
  return (
    <Box height={1} flexShrink={0}>
      <Box width={GUTTER} flexShrink={0}>
        <Text {...markStyle}>{mark}</Text>
      </Box>
      {columns.map((c, i) =>
        widths[i] > 0 ? (
          <Cell
            key={i}
            text={cells[i] ?? ''}
            width={widths[i]}
            gap={i < columns.length - 1 ? GAP : 0}
            align={c.align}
            cut={c.cut}
            color={rowColor ?? (cellTones?.[i] ? theme.tone(cellTones[i]!) : undefined)}
            inverse={selected}
            bold={changed}
            dim={!theme.color && row.tone === 'dim'}
          />
        ) : null,
      )}
    </Box>
  );
}

/**
 * Each shown cell cut to its column's width (as Ink's truncate-end, after a middle cut for names) with the spaces
 * that place it: what a Box per cell would show. Null when a cell holds a character of unknown width.
 */
function lineCells(cells: readonly string[], columns: readonly Column[], widths: readonly number[]) {
  const out: { i: number; before: string; text: string; after: string }[] = [];
  let last = -1;
  for (let i = 0; i < columns.length; i++) if (widths[i] > 0) last = i;
  for (let i = 0; i <= last; i++) {
    const w = widths[i];
    if (w <= 0) continue;
    const raw = cells[i] ?? '';
    let text = columns[i].cut === 'middle' ? truncateMiddle(raw, w) : raw;
    let len = oneCellWidth(text);
    if (len < 0) return null;
    if (len > w) {
      text = truncateEnd(text, w);
      len = w;
    }
    const room = ' '.repeat(w - len);
    const right = columns[i].align === 'right';
    // The gap after a column is its Box's; the last shown column needs no padding (Ink trims line ends).
    const gap = i < last ? ' '.repeat(i < columns.length - 1 ? GAP : 0) : '';
    out.push({ i, before: right ? room : '', text, after: (right || i === last ? '' : room) + gap });
  }
  return out;
}

export function Table({ columns, content, rows, top, total, height, width, cursor, changed, marks, theme, empty }: TableProps) {
  const widths = useMemo(() => fitColumns(columns, Math.max(1, width - GUTTER), content), [columns, width, content]);
  return (
    <Box flexDirection="column" height={height + 1} flexShrink={0} overflowY="hidden">
      <TitleRow columns={columns} widths={widths} theme={theme} />
      {total === 0 ? (
        <Text wrap="truncate-end" color={theme.tone('dim')}>
          {'  ' + empty}
        </Text>
      ) : (
        // Keyed by place in the window, not by row: a row holds no state, and a page of new rows then updates the
        // window's text nodes instead of making new ones.
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

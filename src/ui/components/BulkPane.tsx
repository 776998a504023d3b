// The bulk review pane (`A` with nothing marked): a title line, then the listed repairs and their diffs from its top,
// exactly `height` lines tall whatever it holds. Each frame records the keys of the lines it shows: the count under
// it approves only once every one of them has been on screen (review/bulk.ts). The same pane, with one line per
// repair, lists the marked repairs while `A` asks for their count (MarkedPane).
import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import { bulkIncluded } from '../../console/bulk.js';
import { dialogOf, type BulkReview, type Mode } from '../../console/ui-state.js';
import { useApp, useAppStoreApi } from '../hooks/use-app-store.js';
import { firstKey } from '../keymap.js';
import { markedLines, markedTop, paneLines, paneTop, readInFrame, type MarkedWindow } from '../review/bulk.js';
import type { CardLine } from '../review/card.js';
import { cellsIn } from '../text.js';
import type { Theme } from '../theme.js';

const bulkOf = (mode: Mode): BulkReview | null => {
  const d = dialogOf(mode);
  return d?.kind === 'bulk' ? d : null;
};

/** How long lines must stay on screen to count as read (several frames at MAX_FPS; a person needs longer still). */
export const SEEN_AFTER_MS = 60;

export function BulkPane({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const d = useApp((s) => bulkOf(s.ui.mode));
  const store = useAppStoreApi();
  const pane = useMemo(() => (d ? paneLines(d, width) : null), [d, width]);
  const room = Math.max(0, height - 1);
  const lines = pane?.lines ?? [];
  const top = paneTop(d?.top ?? 0, lines.length, room);
  const body = lines.slice(top, top + room);
  // The lines this frame shows whole (a line wider than the pane is cut, and is not read).
  const shown = body.flatMap((l) => (l.key !== undefined && cellsIn(l.text) <= width ? [l.key] : []));
  // One string for the effect's dependency: the same lines on screen record nothing new.
  const shownKeys = shown.join('\u0001');
  const listed = d?.repairs;
  useEffect(() => {
    if (shownKeys === '') return;
    // Read once it has stayed on screen a moment: Ink draws at most MAX_FPS frames a second and drops the frames in
    // between, so a page a burst of keys passed over may never have reached the terminal (both of Ink's throttles
    // fire well before this timer, queued after them).
    const t = setTimeout(() => {
      const now = bulkOf(store.getState().ui.mode);
      if (!now || now.repairs !== listed || !pane) return;
      const read = readInFrame(pane.blocks, new Set(shownKeys.split('\u0001')), room).filter((k) => !now.seen.has(k));
      if (read.length > 0) store.getState().patchUi({ mode: { ...now, seen: new Set([...now.seen, ...read]) } });
    }, SEEN_AFTER_MS);
    return () => clearTimeout(t);
  }, [store, listed, pane, room, shownKeys]);
  if (!d || height <= 0) return null;
  const n = bulkIncluded(d).length;
  const range = lines.length ? `${top + 1}–${top + body.length} of ${lines.length}` : '0 of 0';
  return (
    <Pane
      title={` Approve all: ${n} repair${n === 1 ? '' : 's'}, each as listed, destructive first (${range}) — ${firstKey('bulk', 'bulk-cancel')} cancels `}
      lines={body}
      height={height}
      width={width}
      theme={theme}
    />
  );
}

/** A title line, then `lines` (each cut at the width), in a box exactly `height` lines tall. */
function Pane({ title, lines, height, width, theme }: { title: string; lines: CardLine[]; height: number; width: number; theme: Theme }) {
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" bold inverse color={theme.tone('accent')}>
        {title}
      </Text>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={l.bold} color={l.tone ? theme.tone(l.tone) : undefined}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </Box>
  );
}

const countOf = (mode: Mode) => {
  const d = dialogOf(mode);
  return d?.kind === 'count' && d.marked ? d : null;
};

/**
 * The marked pane's title line: the longest of its wordings that fits the width whole (at 30 columns the long one was
 * cut before its count), with the range it lists when it does not list them all.
 */
export function markedTitle(n: number, window: MarkedWindow, width: number): string {
  const s = n === 1 ? '' : 's';
  const first = window.top + 1;
  const last = window.top + window.shown;
  const range = window.above > 0 || window.below > 0 ? `${last > first ? `${first}–${last}` : first} of ${n}` : '';
  const esc = firstKey('count', 'input-cancel');
  const forms = [
    ` Approve marked: ${n} repair${s}, each as marked${range && ` (${range})`} — type ${n} below, ${esc} cancels `,
    ` Approve marked: ${n} repair${s}${range && ` (${range})`} — type ${n}, ${esc} cancels `,
    ` Approve ${n} marked${range && ` (${range})`}: type ${n} `,
    // Scrolled, where the type-in words do not fit: which of them it lists goes on saying (in a pane of one line, only
    // the title says it); the count prompt under it says what to type.
    ...(range ? [` ${n} marked (${range}) `, ` ${range} `] : []),
    ` Approve ${n} marked: type ${n} `,
    ` ${n} marked: type ${n} `,
    ` ${n} marked `,
  ];
  return forms.find((f) => cellsIn(f) <= width) ?? forms[forms.length - 1];
}

/**
 * While `A` asks for the count of the marked repairs, in place of the queue and the card: every marked repair it
 * approves, one line each (its id, kind, bead and change), so the set is in front of the operator as the count is typed,
 * hidden ones (the filter, a drill-down) included; as many as the terminal holds, the others a scroll away (↓/PgDn),
 * lines above and below saying how many more there are.
 */
export function MarkedPane({ height, width, theme }: { height: number; width: number; theme: Theme }) {
  const d = useApp((s) => countOf(s.ui.mode));
  const repairs = d?.repairs ?? null;
  const want = d ? markedTop(d.repairs, d.scroll) : 0;
  const room = Math.max(0, height - 1);
  const pane = useMemo(() => (repairs ? markedLines(repairs, width, room, want) : null), [repairs, width, room, want]);
  if (!repairs || !pane || height <= 0) return null;
  return <Pane title={markedTitle(repairs.length, pane.window, width)} lines={pane.lines} height={height} width={width} theme={theme} />;
}

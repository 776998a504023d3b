// The selected repair's card (review/card.ts has the words): compact under the queue, or full height
// after `enter`. It renders exactly `height` lines, so the frame never grows. Like Detail, it cleans every
// line it renders, whatever card.ts already did.
import { Box, Text } from 'ink';
import type { ReviewOutcome } from '../../console/ui-state.js';
import type { Derived } from '../rows/derive.js';
import type { QueueRow } from '../rows/repairs.js';
import { hintsFor } from '../keymap.js';
import { cardLines, compactLines, type CardContext } from '../review/card.js';
import { clean } from '../text.js';
import type { Theme } from '../theme.js';

export interface RepairCardProps {
  derived: Derived;
  entry: QueueRow | null;
  outcome: ReviewOutcome | undefined;
  height: number;
  width: number;
  theme: Theme;
  full: boolean;
  ctx: CardContext;
  /** The full card's first line (`j`/`k` scroll it); 0 under the queue. */
  top?: number;
}

/**
 * The full card's title bar: its keys from the keymap (read-only leaves the decisions out), as many whole ones
 * as the width holds, so a narrow terminal drops keys (the footer has them too) rather than cutting one.
 */
export function cardRule(readOnly: boolean, width: number): string {
  const keys = hintsFor('card', readOnly)
    .filter((h) => h.hint !== 'views' && h.hint !== 'card')
    .map((h) => `${h.keys} ${h.hint}`);
  const head = width >= 40 ? ' Repair card' : ' Card';
  let text = head;
  for (const k of keys.slice(0, 8)) {
    const next = `${text}${text === head ? ' — ' : ' · '}${k}`;
    if ([...next].length + 1 > width) break;
    text = next;
  }
  return text + ' ';
}

/** Lines the compact card asks for under the queue (its rule included): title, status and diff. */
export function compactCardHeight(derived: Derived, entry: QueueRow | null, outcome: ReviewOutcome | undefined, ctx: CardContext): number {
  return entry ? cardLines(derived, entry, outcome, 1, true, ctx).length + 1 : 0;
}

export function RepairCard({ derived, entry, outcome, height, width, theme, full, ctx, top = 0 }: RepairCardProps) {
  if (height <= 0) return null;
  const room = height - 1;
  // Under the queue: the whole card when it fits, else its head (title, status, diff), the diff first.
  let lines = cardLines(derived, entry, outcome, width, false, ctx);
  if (!full && lines.length > room && entry)
    lines = compactLines(cardLines(derived, entry, outcome, width, true, ctx), entry.repair.changes.length, room);
  const from = full ? Math.min(Math.max(0, top), Math.max(0, lines.length - room)) : 0;
  let body = lines.slice(from, from + room);
  if (lines.length - from > room && room > 0) {
    body = lines.slice(from, from + room - 1);
    body.push({
      text: `… ${lines.length - from - room + 1} more line(s)${full ? ' — j/k scroll' : ' — enter shows the full card'}`,
      tone: 'dim',
    });
  }
  const rule = full ? cardRule(ctx.readOnly, width) : '─ enter: full card ';
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" color={full ? undefined : theme.tone('dim')} inverse={full} bold={full}>
        {full ? rule : rule + '─'.repeat(Math.max(0, width - rule.length))}
      </Text>
      {body.map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={l.bold} color={l.tone ? theme.tone(l.tone) : undefined}>
          {l.text === '' ? ' ' : clean(l.text)}
        </Text>
      ))}
    </Box>
  );
}

// The selected repair's card (review/card.ts has the words): compact under the queue, or full height
// after `enter`. It renders exactly `height` lines, so the frame never grows. Like Detail, it cleans every
// line it renders, whatever card.ts already did.
import { Box, Text } from 'ink';
import type { ReviewOutcome } from '../../console/ui-state.js';
import type { Derived } from '../rows/derive.js';
import type { QueueRow } from '../rows/repairs.js';
import { firstKey, hintsFor } from '../keymap.js';
import { waitsOutMoveOn } from '../actions.js';
import type { ReviewStatus } from '../review/status.js';
import { DECIDING, diffHints, fitHints, markedHints, offeredHints } from './Footer.js';
import { cardLines, cardWindow, compactLines, type CardContext, type CardLine, type CardWindow } from '../review/card.js';
import { cellsIn, clean, truncateMiddle } from '../text.js';
import type { Theme } from '../theme.js';

export interface RepairCardProps {
  /** What the card shows (cardBody). */
  body: CardLine[];
  height: number;
  width: number;
  theme: Theme;
  full: boolean;
  readOnly: boolean;
  /** The review status of the repair on it (`none`: no repair to decide on): the title bar offers what it allows. */
  status?: ReviewStatus | 'none';
  /** The repair's id, for a title bar over a body that shows the diff above the card's own title (cardBody). */
  id?: string;
  /** Repairs are marked: the title bar's `A` says it approves the marked ones. */
  marked?: boolean;
  /** The full card shows only part of the repair's diff (not yet scrolled through): the title bar leaves out a, r, space. */
  partly?: boolean;
  /** `A` would do nothing, no undecided repair to list or a diff too tall for its pane (bulkIdle): the title bar leaves it out. */
  idleBulk?: boolean;
  /** `n` would do nothing, no undecided repair below this one (nextIdle): the title bar leaves it out. */
  idleNext?: boolean;
  /** The selection moved on to it by itself a moment ago (useMovedOnWait): the title bar leaves out a, r, space, o. */
  waiting?: boolean;
}

/** What the full card's title bar leaves out (RepairCardProps says why each). */
export type RuleOptions = Pick<RepairCardProps, 'status' | 'id' | 'marked' | 'partly' | 'idleBulk' | 'idleNext' | 'waiting'>;

export interface CardBodyInput {
  derived: Derived;
  entry: QueueRow | null;
  outcome: ReviewOutcome | undefined;
  /** The card's height, its rule included. */
  height: number;
  width: number;
  full: boolean;
  ctx: CardContext;
  /** The full card's first line (`j`/`k` scroll it); 0 under the queue. */
  top?: number;
}

/**
 * The card's lines in its height: under the queue the whole card when it fits, else its first lines when they hold
 * the whole diff, else its head (title, status, diff), the diff first; full height from `top`, the diff first too
 * when the height has no room for it under the title.
 * `diffShown` says whether all of the change `a` writes is among them: only then can `a` approve it.
 */
export function cardBody({ derived, entry, outcome, height, width, full, ctx, top = 0 }: CardBodyInput): CardWindow {
  const room = height - 1;
  let lines = cardLines(derived, entry, outcome, width, false, ctx);
  // Too long for the room under the queue: its first lines when they hold the whole diff (the rest is a note away,
  // `enter`), else the compact card, which puts the diff first.
  if (!full && lines.length > room && entry && !cardWindow(lines, room, 0, false, width).diffShown)
    lines = compactLines(cardLines(derived, entry, outcome, width, true, ctx), room);
  // A full card too short for the diff under its title and status puts the diff first, as the compact one does.
  if (full && !cardWindow(lines, room, 0, true, width).diffShown) {
    lines = [...lines.filter((l) => l.writes), ...lines.filter((l) => !l.writes)];
    return { ...cardWindow(lines, room, top, full, width), diffFirst: true };
  }
  return cardWindow(lines, room, top, full, width);
}

/**
 * The full card's title bar: its keys from the keymap (read-only leaves the decisions out), as many whole ones
 * as the width holds, so a narrow terminal drops keys (the footer has them too) rather than cutting one. Where they do
 * not all fit, the decisions the footer has no room for (a, r, o) come first, then `esc back`, then the other
 * decisions: between the two bars each decision that acts now is offered (at 40 columns the footer keeps `a approve`,
 * the title bar `r reject`). They are shown in the keymap's order.
 */
export function cardRule(readOnly: boolean, width: number, opts: RuleOptions = {}): string {
  const { status = null, id, marked = false, partly = false, idleBulk = false, idleNext = false, waiting = false } = opts;
  const hints = markedHints(diffHints(offeredHints(hintsFor('card', readOnly), status), partly), marked).filter(
    (h) => !(idleBulk && h.bulk) && !(idleNext && h.next) && !(waiting && waitsOutMoveOn(h.action)),
  );
  const inFooter = new Set(fitHints(hints, width).map((h) => h.action));
  // The number keys' hint (no action): the views are not the card's to offer.
  const keys = hints.filter((h) => h.action !== undefined);
  const rank = (h: (typeof keys)[number]) =>
    h.action && DECIDING.has(h.action) ? (inFooter.has(h.action) ? 2 : 0) : h.action === 'close-card' ? 1 : 3;
  // Over a diff shown before the card's title, the bar says whose diff it is: what `a` would approve is named.
  const head = id !== undefined ? ` ${truncateMiddle(clean(id), Math.max(1, width - 2))}` : width >= 40 ? ' Repair card' : ' Card';
  const bar = (picked: Set<number>) =>
    keys
      .flatMap((h, i) => (picked.has(i) ? [`${h.keys} ${h.hint}`] : []))
      .reduce((text, k) => `${text}${text === head ? ' — ' : ' · '}${k}`, head);
  const picked = new Set<number>();
  for (const i of keys.map((_, i) => i).sort((x, y) => rank(keys[x]) - rank(keys[y]))) {
    if (picked.size === 8 || cellsIn(bar(new Set([...picked, i]))) + 1 > width) break;
    picked.add(i);
  }
  return bar(picked) + ' ';
}

/** Lines the compact card asks for under the queue (its rule included): title, status and diff. */
export function compactCardHeight(
  derived: Derived,
  entry: QueueRow | null,
  outcome: ReviewOutcome | undefined,
  ctx: CardContext,
  width: number,
): number {
  return entry ? cardLines(derived, entry, outcome, width, true, ctx).length + 1 : 0;
}

export function RepairCard({ body, height, width, theme, full, readOnly, ...opts }: RepairCardProps) {
  if (height <= 0) return null;
  const rule = full ? cardRule(readOnly, width, opts) : `─ ${firstKey('repairs', 'open-card')}: full card `;
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" color={full ? undefined : theme.tone('dim')} inverse={full} bold={full}>
        {full ? rule : rule + '─'.repeat(Math.max(0, width - cellsIn(rule)))}
      </Text>
      {body.map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={l.bold} color={l.tone ? theme.tone(l.tone) : undefined}>
          {l.text === '' ? ' ' : clean(l.text)}
        </Text>
      ))}
    </Box>
  );
}

// The keys that work right now, straight from the keymap registry (the same source as `?` help).
// When they do not all fit, the last ones go first, then the decisions (a, r, o), but `? help`, quit and a way on always
// stay: the card's `back`, else `tab view` (at 80 columns a view's own keys would otherwise crowd out every way to
// another view).
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { useApp } from '../hooks/use-app-store.js';
import { helpScrolls, idleOnFirstLook, waitsOutMoveOn } from '../actions.js';
import { useMovedOnWait } from '../hooks/use-moved-on-wait.js';
import { noOtherPoolText, noRowText } from '../cursor.js';
import { hintsFor, type Scope } from '../keymap.js';
import { REVIEW_STATUS, type ReviewStatus } from '../review/status.js';
import { reviewSelection } from '../review/selection.js';
import { bulkIdle, nextIdle } from '../review/handlers.js';
import { bulkScrolls, markedScrolls } from '../review/bulk-room.js';
import { inspectScrolls } from '../inspect.js';
import { viewModel } from '../views/registry.js';
import type { AppState } from '../../console/state.js';
import type { Theme } from '../theme.js';
import { cellsIn } from '../text.js';

// By action, never by label: a label renamed in the registry keeps its place.
const QUITS: ReadonlySet<string> = new Set(['quit', 'quit-ask']);
const PINNED: ReadonlySet<string> = new Set(['help', ...QUITS]);
const WAYS_ON = ['close-card', 'next-view'];

/**
 * The decisions on the selected repair (a, r, o): offered, they act now, so where the hints do not all fit they go
 * last, after every other hint but the pinned ones (on the full card at 40 columns `a approve` stays and `j/↓ scroll`
 * goes; on a rejected row `o reopen` stays and `enter card` goes).
 */
export const DECIDING: ReadonlySet<string> = new Set(['approve', 'reject', 'reopen']);

/** The cells of `hints` on one line: two blanks between hints, none after the last; a hint without a label is its keys. */
function hintsWidth(hints: readonly { keys: string; hint: string }[]): number {
  return hints.reduce((n, h) => n + hintCells(h), -2);
}

/** The cells one hint adds to a line of hints, with the two blanks after it. */
function hintCells(h: { keys: string; hint: string }): number {
  return cellsIn(h.keys) + (h.hint === '' ? 0 : 1 + cellsIn(h.hint)) + 2;
}

export function fitHints<T extends { keys: string; hint: string; action?: string; focus?: boolean }>(hints: T[], width: number): T[] {
  const out = [...hints];
  const way = WAYS_ON.find((w) => out.some((h) => h.action === w));
  const pinned = (h: T) => h.action !== undefined && (PINNED.has(h.action) || h.action === way);
  const deciding = (h: T) => h.action !== undefined && DECIDING.has(h.action);
  // The line's width kept as hints go, not measured again after each: a view switch measured every hint's text once
  // per hint dropped.
  let cells = hintsWidth(out);
  for (const last of [false, true])
    for (let i = out.length - 1; i >= 0 && cells > width; i--)
      if (!pinned(out[i]) && deciding(out[i]) === last) cells -= hintCells(out.splice(i, 1)[0]);
  return withFocus(
    hints,
    narrowed(out, width, pinned, (h) => h.action !== undefined && h.action === way),
    width,
  );
}

/**
 * The pinned hints where even they alone do not fit (at 20 columns `tab view  ? help  q/^C quit` was cut to `q…`, its
 * way out lost): each with its first key only (`q quit`), then the way on without its label (`tab  ? help  q quit`), then
 * every label left out (`tab  ?  q`), then without the way on, then quit's key alone. Never cut inside a key.
 */
function narrowed<T extends { keys: string; hint: string; action?: string }>(
  out: T[],
  width: number,
  pinned: (h: T) => boolean,
  isWay: (h: T) => boolean,
): T[] {
  if (hintsWidth(out) <= width) return out;
  const first = out.map((h) => (pinned(h) ? { ...h, keys: h.keys.split('/')[0] || h.keys } : h));
  const noWayLabel = first.map((h) => (isWay(h) ? { ...h, hint: '' } : h));
  const bare = first.map((h) => ({ ...h, hint: '' }));
  const noWay = bare.filter((h) => !isWay(h));
  const quit = noWay.filter((h) => h.action !== undefined && QUITS.has(h.action));
  const forms = [first, noWayLabel, bare, noWay, quit];
  return forms.find((f) => hintsWidth(f) <= width) ?? quit;
}

/**
 * `kept` (what fitted of `hints`), with the key that moves a dialog's focus (the binding's `focus`) where it went: at
 * 12 columns a confirmation's footer said `enter choose` alone, and nothing said Approve was a tab away (narrower, it
 * said nothing). It comes back with its keys alone (`enter choose  tab/→`), else with every label left out (`enter
 * tab/→`), else its first key alone (`enter  tab`), else alone (`tab/→`). Where nothing else fitted, the dialog's own
 * key (the first hint, enter) comes back with it.
 */
function withFocus<T extends { keys: string; hint: string; focus?: boolean }>(hints: T[], kept: T[], width: number): T[] {
  const lost = hints.find((h) => h.focus && !kept.includes(h));
  if (!lost) return kept;
  const base = kept.length > 0 ? kept : hints.slice(0, 1).filter((h) => h !== lost);
  const back = (keys: string) =>
    hints.filter((h) => h === lost || base.includes(h)).map((h) => (h === lost ? { ...h, keys, hint: '' } : h));
  const bare = (list: T[]) => list.map((h) => ({ ...h, hint: '' }));
  const first = lost.keys.split('/')[0] || lost.keys;
  const forms = [...(kept.length > 0 ? [back(lost.keys)] : []), bare(back(lost.keys)), bare(back(first)), bare([lost])];
  return forms.find((f) => hintsWidth(f) <= width) ?? kept;
}

/**
 * The keys that scroll the list of the marked repairs above a count prompt, the bulk review pane, the inspect pane, or
 * help: offered while it holds more than it shows.
 */
const SCROLLS_LIST: ReadonlySet<string> = new Set([
  'inspect-down',
  'inspect-up',
  'inspect-page-down',
  'inspect-page-up',
  'help-down',
  'help-up',
  'help-page-down',
  'help-page-up',
  'marked-down',
  'marked-up',
  'marked-page-down',
  'marked-page-up',
  'bulk-down',
  'bulk-up',
  'bulk-page-down',
  'bulk-page-up',
]);

/** The decisions the selected repair's status leaves open (by action): the footer offers only those. */
const DECIDE: ReadonlySet<string> = new Set(['approve', 'reject', 'skip', 'mark']);

/**
 * The review status of the repair under the cursor in the repairs view (a string: a cheap selector); `none` when no
 * repair is there to decide on (an empty queue or filter, a card whose repair is no longer proposed).
 */
export function selectedStatus(s: AppState): ReviewStatus | 'none' | null {
  if (s.ui.view !== 'repairs' || !s.current) return null;
  const vm = viewModel(s, 'repairs');
  return vm ? (reviewSelection(vm, s.ui.seen).entry?.status ?? 'none') : null;
}

/**
 * The hints the selected repair's status leaves open (`status` null: outside the review, all of them): on a repair
 * not open to a decision (rejected, applied) a, r, s and space only say why not; on one that is not rejected, o does;
 * with none to decide on, none of them does anything. The footer and the full card's title bar offer only these.
 */
export function offeredHints<T extends { action?: string }>(hints: T[], status: ReviewStatus | 'none' | null): T[] {
  return hints.filter(
    (h) =>
      status === null ||
      (DECIDE.has(h.action ?? '') ? status !== 'none' && REVIEW_STATUS[status].open : h.action !== 'reopen' || status === 'rejected'),
  );
}

/**
 * While the card shows only part of the selected repair's diff (`partly`), the keys that act on a repair only with its
 * whole diff on screen (a, r, space: the binding's `diff`) would refuse: they are not offered, and `enter card` (the way
 * to the rest of the diff, in the queue) comes first.
 */
export function diffHints<T extends { action?: string; diff?: boolean }>(hints: T[], partly: boolean): T[] {
  if (!partly) return hints;
  const kept = hints.filter((h) => !h.diff);
  return [...kept.filter((h) => h.action === 'open-card'), ...kept.filter((h) => h.action !== 'open-card')];
}

/** While repairs are marked, a key that then acts on the marks says so (`A approve marked`, not `approve all`). */
export function markedHints<T extends { hint: string; marked?: string }>(hints: T[], marked: boolean): T[] {
  return marked ? hints.map((h) => (h.marked ? { ...h, hint: h.marked } : h)) : hints;
}

/**
 * The footer of one frame. `partly`: this frame's card shows only part of the selected repair's diff, as the view
 * that draws the card computes it for the same render (App.tsx ViewBody): never what an earlier frame recorded
 * (ui.cardShown, ui.diffOnScreen), which for the frame after a move is the card of the row before. `waiting`: the
 * selection moved on to that repair by itself a moment ago, as the same view judges it for its card (useMovedOnWait),
 * so that the card and the footer never disagree on a frame; without it the footer judges it itself.
 * A memo: the view under it renders again at every key, and its hints change only with what its own selectors read.
 */
export const Footer = memo(function Footer({
  scope,
  theme,
  width,
  partly: cut = false,
  waiting: given,
}: {
  scope: Scope;
  theme: Theme;
  width: number;
  partly?: boolean;
  waiting?: boolean;
}) {
  const readOnly = useApp((s) => s.readOnly);
  const status = useApp((s) => (scope === 'repairs' || scope === 'card' ? selectedStatus(s) : null));
  const paused = useApp((s) => s.ui.paused);
  // While the first read's beads arrive, the keys that do nothing yet (a string: a cheap selector).
  const idle = useApp((s) =>
    hintsFor(scope, s.readOnly)
      .flatMap((h) => (h.action && idleOnFirstLook(s, h.action) ? [h.action] : []))
      .join(' '),
  );
  const marked = useApp((s) => (scope === 'repairs' || scope === 'card') && s.ui.marks.size > 0);
  const partly = (scope === 'repairs' || scope === 'card') && cut;
  // `A` would do nothing (no undecided repair to list, or a diff too tall for its pane): not offered.
  const idleBulk = useApp((s) => (scope === 'repairs' || scope === 'card') && bulkIdle(s));
  // `n` would do nothing (no undecided repair below this one): not offered.
  const idleNext = useApp((s) => (scope === 'repairs' || scope === 'card') && nextIdle(s));
  // No row to act on (an empty list, a filter that matches none): the keys on the selected row are not offered.
  const noRow = useApp((s) => noRowText(s) !== null);
  // No other pool to step to: `[` and `]` are not offered.
  const onePool = useApp((s) => scope === 'slots' && noOtherPoolText(s) !== null);
  // The marked repairs above a count prompt, the lines of the bulk review pane, the inspect pane, or help, all fit
  // their pane: the keys that scroll it do nothing, so not offered.
  const still = useApp(
    (s) =>
      (scope === 'count' && !markedScrolls(s)) ||
      (scope === 'bulk' && !bulkScrolls(s)) ||
      (scope === 'inspect' && !inspectScrolls(s)) ||
      (scope === 'help' && !helpScrolls(s)),
  );
  // The selection moved on to this repair by itself a moment ago: its decisions would be refused, so not offered yet.
  const own = useMovedOnWait(given === undefined && (scope === 'repairs' || scope === 'card'));
  const waiting = (scope === 'repairs' || scope === 'card') && (given ?? own);
  const hints = useMemo(() => {
    const idleNow = new Set(idle.split(' '));
    // While paused, space resumes: the hint says what the key does now.
    const all = markedHints(diffHints(offeredHints(hintsFor(scope, readOnly), status), partly), marked)
      .filter(
        (h) =>
          (!h.action || !idleNow.has(h.action)) &&
          !(noRow && h.row) &&
          !(onePool && h.pools) &&
          !(idleBulk && h.bulk) &&
          !(idleNext && h.next) &&
          !(still && SCROLLS_LIST.has(h.action ?? '')) &&
          !(waiting && waitsOutMoveOn(h.action)),
      )
      .map((h) => (paused && h.action === 'pause' ? { ...h, hint: 'resume' } : h));
    return fitHints(all, width);
  }, [scope, readOnly, width, status, paused, idle, marked, partly, noRow, onePool, idleBulk, idleNext, waiting, still]);
  return (
    <Box height={1} width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        {hints.map((h, i) => (
          <Text key={i}>
            <Text bold color={theme.tone('accent')}>
              {h.keys}
            </Text>
            <Text color={theme.tone('dim')}>{`${h.hint === '' ? '' : ` ${h.hint}`}${i < hints.length - 1 ? '  ' : ''}`}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
});

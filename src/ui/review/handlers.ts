// Key handlers of the review flow: step through the queue, open the card, approve (with a confirmation for
// repairs that close beads or unassign work), reject with a reason, bulk-approve after typing the count,
// reopen, export. They read the app store fresh on every key and call the console's review actions
// (src/console/review.ts, with the services they are given) for anything that writes; they never touch the disk.
import { isDestructive, sameChanges } from '../../engine/index.js';
import type { Repair } from '../../engine/types.js';
import type { AppState, AppStore } from '../../console/state.js';
import { bulkIncluded } from '../../console/bulk.js';
import { dialogOf, type BulkReview, type Dialog, type ExportFormat, type HiddenMarks, type UiState } from '../../console/ui-state.js';
import { approve, exportRows, exportSnapshot, reject, reopen, type ReviewContext } from '../../console/review.js';
import { moveTo } from '../cursor.js';
import { firstKey, type ActionId, type Handler } from '../keymap.js';
import { isUndecided, queueRowByKey, type QueueRow } from '../rows/repairs.js';
import type { Row } from '../rows/types.js';
import { viewModel } from '../views/registry.js';
import { viewRowsExport } from '../export-view.js';
import { blockHeight, markedTop, markedWindow, paneLines, paneOrder, paneProgress, paneTop } from './bulk.js';
import { longChange } from './card.js';
import { MAX_STATUS_LINES } from '../components/StatusLine.js';
import { bannerShown, layout } from '../layout.js';
import { bulkRoom, countShown } from './bulk-room.js';
import { leaveOutMovedRadius } from './bulk-radius.js';
import { radiusChange, radiusNow } from './confirm-radius.js';
import { dropMovedMarks, markedRepairs, toggleMark } from './marks.js';
import { diffOnScreenNow, notOnScreenText, reviewSelection, seenPatch, type ReviewSelection } from './selection.js';
import { nextUndecided } from './queue.js';
import { REVIEW_STATUS } from './status.js';

/**
 * The queue entries behind a list of shown rows, cached per row list: the repairs table (and each filter
 * of it) is a new array whenever the plan or the review outcomes change, so the cache is never stale.
 */
const shownCache = new WeakMap<Row[], QueueRow[]>();

/** The repairs view resolved: its filtered rows, the queue entry behind each, and the cursor. */
function queueView(store: AppStore): { rows: QueueRow[]; index: number } | null {
  return queueOf(store.getState());
}

function queueOf(s: AppState): { rows: QueueRow[]; index: number } | null {
  const vm = viewModel(s, 'repairs');
  if (!vm) return null;
  let rows = shownCache.get(vm.rows);
  if (!rows) {
    const byKey = queueRowByKey(vm.derived, s.ui.review);
    rows = vm.rows.map((r) => byKey.get(r.key)).filter((q): q is QueueRow => q !== undefined);
    shownCache.set(vm.rows, rows);
  }
  return { rows, index: vm.index };
}

/** The repair the card is about (by id, never by row position), and how it compares with what was seen. */
function selection(store: AppStore): ReviewSelection | null {
  const s = store.getState();
  const vm = viewModel(s, 'repairs');
  return vm ? reviewSelection(vm, s.ui.seen) : null;
}

function selected(store: AppStore): QueueRow | null {
  return selection(store)?.entry ?? null;
}

/** The id of the repair whose card the repairs view shows for its selection, or null (another view, none). */
export function selectedKey(store: AppStore): string | null {
  return store.getState().ui.view === 'repairs' ? (selected(store)?.key ?? null) : null;
}

/**
 * The version of the selected repair a decision may act on: exactly the one the operator saw. When a refresh
 * changed it, this key press only acknowledges the new version (nothing is written); when it is gone, or no
 * card has shown it yet, there is nothing to act on.
 */
function seenVersion(store: AppStore, what: string): { entry: QueueRow; repair: Repair } | null {
  const sel = selection(store);
  if (!sel || sel.id === null) {
    say(store, `${what}: no repair selected`, 'error');
    return null;
  }
  if (sel.state === 'gone') {
    say(store, `${sel.id} is no longer proposed: nothing to ${what}`, 'error');
    return null;
  }
  if (sel.state === 'hidden') {
    say(store, `${sel.id} no longer matches the filter: nothing to ${what} here; move to go on, or clear the filter`, 'error', sel.id);
    return null;
  }
  const no = notDecidable(sel.entry, what);
  if (no) {
    say(store, no, 'error');
    return null;
  }
  const entry = sel.entry!;
  // Only a version whose whole diff is on screen now can be acted on, or become the one a decision acts on.
  const onScreen = store.getState().ui.diffOnScreen;
  if (!diffOnScreenNow(onScreen, entry)) {
    const outcome = `nothing ${what === 'approve' ? 'approved' : 'rejected'}`;
    say(store, notOnScreenText(entry.key, store.getState().ui.card, outcome, entry.repair.changes), 'error', entry.key);
    return null;
  }
  if (sel.state !== 'same') {
    store.getState().patchUi(seenPatch(store.getState().ui, entry.key, entry.repair));
    const again = what === 'approve' ? `${firstKey('repairs', 'approve')} approves it` : `${firstKey('repairs', 'reject')} rejects it`;
    // Error-toned: nothing was decided, and the keys typed after this one are dropped with it (use-keys.ts).
    say(
      store,
      sel.state === 'changed'
        ? `acknowledged the new diff of ${entry.key}: nothing written; ${again}`
        : `${entry.key} is on the card now: ${again}`,
      'error',
      entry.key,
    );
    return null;
  }
  // The version the last frame showed whole (the seen one, a conflict stamp aside: the card's is what is written).
  return { entry, repair: onScreen!.repair };
}

/**
 * What `A` approves now: the marked repairs when any marked one is still undecided (marks are the other way to choose
 * the set), else every undecided repair the queue shows under its filter, but for those whose diff changed since a card
 * showed it: a repair that came back stale (re-planned: its new diff is judged on its card), and any whose diff is not
 * the one a card last showed (ui.shown; the selected one's card then says CHANGED). Those are `left` out.
 */
function bulkSet(store: AppStore): { repairs: Repair[]; marked: boolean; left: number; hidden?: HiddenMarks } {
  const marked = markedRepairs(store);
  if (marked.repairs.length > 0) {
    const { hidden } = marked;
    return { repairs: marked.repairs, marked: true, left: 0, ...(hidden.ids.length > 0 ? { hidden } : {}) };
  }
  return { ...unmarkedSet(store.getState()), marked: false };
}

/** What `A` lists with nothing marked: the undecided repairs shown, less those changed since a card showed them. */
function unmarkedSet(s: AppState): { repairs: Repair[]; left: number } {
  const q = queueOf(s);
  const open = (q?.rows ?? []).filter(isUndecided);
  // Every version a card showed whole, the selected one's included (ui.seen is recorded with it: seenPatch).
  const shown = s.ui.shown;
  const changedSince = (r: QueueRow) => {
    const was = shown.get(r.key);
    return was !== undefined && !sameChanges(was.changes, r.repair.changes);
  };
  const judged = open.filter((r) => r.status !== 'stale' && !changedSince(r));
  return { repairs: judged.map((r) => r.repair), left: open.length - judged.length };
}

/** The bulk review pane of `repairs` as `A` opens it. */
function bulkOf(s: AppState, repairs: Repair[], left: number): BulkReview {
  return {
    kind: 'bulk',
    repairs: paneOrder(repairs),
    text: '',
    top: 0,
    seen: new Set(),
    out: new Map(),
    left,
    long: new Set(repairs.filter((r) => longChange(r.changes)).map((r) => r.id)),
    known: new Set(s.current?.plan.repairs.map((r) => r.id) ?? []),
    added: 0,
    radius: new Map(repairs.filter(isDestructive).map((r) => [r.id, radiusNow(s, r)])),
    moved: new Map(),
  };
}

/**
 * Why `A` would not open the pane of `d`: a diff too tall (or too wide) for it, or nothing listed but repairs with a
 * value too long to show (left out, so there is nothing to approve); null when it opens.
 */
function bulkRefusal(s: AppState, d: BulkReview): string | null {
  if (bulkIncluded(d).length === 0 && d.long.size > 0) {
    const long = d.repairs.find((r) => d.long.has(r.id))!;
    return `A: ${notOnScreenText(long.id, false, 'nothing approved', long.changes)}`;
  }
  const pane = paneLines(d, Math.max(1, s.ui.viewport.columns));
  const room = bulkRoom(s, { ...s.ui, mode: d, message: null });
  return pane.tooWide || pane.tallest > room
    ? // The tallest block counts its id line and a destructive one's blast radius too: a repair, not a diff.
      `A: a repair needs ${pane.tallest} lines, ${room} fit: make the terminal taller; nothing approved`
    : null;
}

/** The most lines one undecided repair of a queue takes in the bulk pane, per queue and width. */
const tallestOf = new WeakMap<readonly QueueRow[], { width: number; most: number }>();
let lastJudged: {
  rows: readonly QueueRow[];
  shown: UiState['shown'];
  height: number;
  width: number;
  banner: boolean;
  refused: boolean;
} | null = null;

/** Whether the queue shown has an undecided repair `A` would list, per queue and the versions the cards showed. */
let lastOpen: { rows: readonly QueueRow[]; shown: UiState['shown']; open: boolean } | null = null;

/**
 * Whether `A`, with nothing marked, would do nothing: no undecided repair shown that it would list (the last one
 * decided, a filter or a drill-down showing only decided ones, only ones changed since a card showed them, or only
 * ones with a value too long to show), or
 * one whose diff is too tall for its pane (it refuses for want of room). The footer and the card's title bar then do
 * not offer it. Cheap on a big queue: only a queue with a diff taller than the least room the pane can have lists the
 * set and sizes the pane.
 */
export function bulkIdle(s: AppState): boolean {
  if (s.ui.marks.size > 0) return false;
  const q = queueOf(s);
  if (!q) return false;
  if (lastOpen?.rows !== q.rows || lastOpen.shown !== s.ui.shown)
    lastOpen = { rows: q.rows, shown: s.ui.shown, open: unmarkedSet(s).repairs.some((r) => !longChange(r.changes)) };
  if (!lastOpen.open) return true;
  const { rows, columns } = s.ui.viewport;
  const width = Math.max(1, columns);
  let most = tallestOf.get(q.rows);
  if (most?.width !== width) {
    let n = 0;
    // One with a value too long to show is left out of the pane (listed in a line that says why), never refused for.
    // A destructive one is listed with its blast radius (bulkOf).
    for (const r of q.rows)
      if (isUndecided(r) && r.status !== 'stale' && !longChange(r.repair.changes))
        n = Math.max(n, blockHeight(r.repair, width, isDestructive(r.repair) ? radiusNow(s, r.repair) : undefined));
    most = { width, most: n };
    tallestOf.set(q.rows, most);
  }
  // The banner (a failed re-read, a warning) comes and goes without a new plan, and takes room from the pane.
  const banner = bannerShown(s);
  const least = layout(rows, columns, banner, MAX_STATUS_LINES, 0);
  if (!least.tooSmall && most.most <= least.list + least.detail + 1) return false;
  const j = lastJudged;
  if (j && j.rows === q.rows && j.shown === s.ui.shown && j.height === rows && j.width === columns && j.banner === banner) return j.refused;
  const { repairs, left } = unmarkedSet(s);
  const refused = repairs.length > 0 && bulkRefusal(s, bulkOf(s, repairs, left)) !== null;
  lastJudged = { rows: q.rows, shown: s.ui.shown, height: rows, width: columns, banner, refused };
  return refused;
}

/**
 * Why the decision a dialog asked about (on repair `id`) must not be written now, or null: the card no longer shows
 * that very version whole (a refresh changed it or took it away, or a resize cut its diff while the dialog was open).
 */
function notAsShown(store: AppStore, id: string, outcome: string): string | null {
  const sel = selection(store);
  if (!sel || sel.id !== id || sel.state !== 'same' || !sel.entry) return `${id} changed while you chose: ${outcome}; see the card`;
  if (!diffOnScreenNow(store.getState().ui.diffOnScreen, sel.entry))
    return notOnScreenText(id, store.getState().ui.card, outcome, sel.entry.repair.changes);
  return null;
}

/** `subject`: the repair id the text names before its first `: ` (Message.subject). */
function say(store: AppStore, text: string, tone: 'info' | 'error' = 'info', subject?: string): void {
  store.getState().setMessage({ text, tone, ...(subject === undefined ? {} : { subject }) });
}

/**
 * Move to the next/previous undecided repair from the cursor; false when there is none that way. On a card whose row
 * left the list (gone, or hidden by the filter) the row at the cursor's place is the one that took its place: the
 * next one may be that very row.
 */
function jumpUndecided(store: AppStore, step: 1 | -1, from?: number): boolean {
  const q = queueView(store);
  if (!q || q.rows.length === 0) return false;
  const start = from ?? jumpStart(store.getState(), q.index, step);
  const target = nextUndecided(q.rows.map(isUndecided), start, step);
  if (target < 0) return false;
  moveTo(store, () => target);
  return true;
}

/** Where `n`/`p` look from: the cursor, or on a card whose row left the list the row before its place (`n`). */
function jumpStart(s: AppState, index: number, step: 1 | -1): number {
  if (step < 0) return index;
  const vm = viewModel(s, 'repairs');
  const state = vm ? reviewSelection(vm, s.ui.seen).state : undefined;
  return state === 'gone' || state === 'hidden' ? index - 1 : index;
}

/** The index of the last undecided row of each queue shown (-1: none), so `nextIdle` is cheap on a big queue. */
const lastUndecided = new WeakMap<QueueRow[], number>();

/**
 * Whether `n` would do nothing: no undecided repair below the cursor in the queue shown (the last one decided, the
 * cursor on or past it). The footer and the card's title bar then do not offer it.
 */
export function nextIdle(s: AppState): boolean {
  const q = queueOf(s);
  if (!q) return false;
  let last = lastUndecided.get(q.rows);
  if (last === undefined) {
    last = -1;
    for (let i = q.rows.length - 1; i >= 0 && last < 0; i--) if (isUndecided(q.rows[i])) last = i;
    lastUndecided.set(q.rows, last);
  }
  return jumpStart(s, q.index, 1) >= last;
}

/** After a decision on `key`: if the cursor is still on it and it is decided now, go on to the next undecided one. */
function advanceFrom(store: AppStore, key: string): void {
  const q = queueView(store);
  if (!q) return;
  const at = q.rows.findIndex((r) => r.key === key);
  if (at < 0 || at !== q.index || isUndecided(q.rows[at])) return;
  if (jumpUndecided(store, 1, at) || jumpUndecided(store, -1, at)) movedOn(store);
}

/** The selection moved on by itself (ui.movedOnTo): to the repair it is on now. */
function movedOn(store: AppStore): void {
  const q = queueView(store);
  const key = q?.rows[q.index]?.key;
  if (key !== undefined) store.getState().patchUi({ movedOnTo: key, movedOnShown: null });
}

/** A dialog is a mode: opening one puts the keys in its scope. */
function openDialog(store: AppStore, dialog: Dialog, also: Partial<UiState> = {}): void {
  store.getState().patchUi({ ...also, mode: dialog, message: null });
}

/**
 * A reason the reject prompt could not record (`why`, ending in what was not done): kept by repair id, never thrown
 * away unsaid; the next `r` on that repair brings it back.
 */
function keepReason(store: AppStore, id: string, text: string, why: string): void {
  if (text.trim() === '') return say(store, why, 'error', id);
  const reasons = new Map(store.getState().ui.reasons).set(id, text);
  store.getState().patchUi({ reasons, message: { text: `${why}; reason kept for the next r on it`, tone: 'error', subject: id } });
}

/** Why an open reject prompt or confirmation does nothing now, as it says it (console/reason-prompt.ts), or null. */
function outdatedText(d: Extract<Dialog, { kind: 'reason' | 'confirm' }>): string | null {
  const [what, outcome] = d.kind === 'reason' ? ['typed', 'nothing recorded'] : ['chose', 'nothing written'];
  if (d.outdated === 'changed') return `the diff of ${d.repair.id} changed while you ${what} (see the card): ${outcome}`;
  if (d.outdated === 'gone') return `${d.repair.id} is no longer proposed: ${outcome}`;
  return null;
}

function closeDialog(store: AppStore): void {
  store.getState().patchUi({ mode: 'normal' });
}

function dialog(store: AppStore): Dialog | null {
  return dialogOf(store.getState().ui.mode);
}

function approveNow(ctx: ReviewContext, repair: Repair): void {
  void approve(ctx, [repair]).then(() => advanceFrom(ctx.store, repair.id));
}

/** Why `A` does not ask for the count of `d` here: the terminal cannot show it (and the hidden ones) uncut. */
function countCutText(d: Extract<Dialog, { kind: 'count' }>): string {
  const n = d.repairs.length;
  const h = d.hidden?.ids.length ?? 0;
  return `A: the count of ${n} marked${h > 0 ? `, ${h} hidden,` : ''} does not fit this terminal: make it wider; nothing approved`;
}

/** Approve `repairs` (a bulk set, as listed) when `typed` is their count; then on to an undecided repair. */
function approveCounted(ctx: ReviewContext, repairs: Repair[], typed: string): void {
  const { store } = ctx;
  const want = String(repairs.length);
  if (typed.trim() !== want) return say(store, `typed "${typed.trim()}", not ${want}: nothing approved`, 'error');
  void approve(ctx, repairs).then(() => {
    const q = queueView(store);
    if (q && !isUndecided(q.rows[q.index]) && (jumpUndecided(store, 1) || jumpUndecided(store, -1))) movedOn(store);
  });
}

/**
 * `A` with nothing marked: the bulk review pane, listing `repairs` with their diffs (`left`: those it leaves out, their
 * diff changed since a card showed it). Refused where the pane cannot show one repair's diff whole, as `a` is.
 */
function openBulk(store: AppStore, repairs: Repair[], left: number): void {
  const s = store.getState();
  const d = bulkOf(s, repairs, left);
  const refused = bulkRefusal(s, d);
  if (refused !== null) return say(store, refused, 'error');
  openDialog(store, d);
}

/** Scroll the bulk review pane to `to(top, page, last)`, within its lines. */
function scrollBulk(store: AppStore, to: (top: number, page: number, last: number) => number): void {
  const s = store.getState();
  const d = dialog(store);
  if (d?.kind !== 'bulk') return;
  const room = Math.max(1, bulkRoom(s));
  const total = paneLines(d, Math.max(1, s.ui.viewport.columns)).lines.length;
  const last = Math.max(0, total - room);
  const top = paneTop(to(paneTop(d.top, total, room), room, last), total, room);
  if (top !== d.top) s.patchUi({ mode: { ...d, top } });
}

/**
 * Scroll the list of the marked repairs above a count prompt: from where it is (`top`) by `to`, a page being the repairs
 * it lists; kept by the id of the first one it lists, so a mark a refresh drops does not move it.
 */
function scrollMarked(store: AppStore, to: (top: number, page: number) => number): void {
  const s = store.getState();
  const d = dialog(store);
  if (d?.kind !== 'count' || !d.marked) return;
  const room = Math.max(0, bulkRoom(s));
  const now = markedWindow(d.repairs.length, room, markedTop(d.repairs, d.scroll));
  const next = markedWindow(d.repairs.length, room, Math.max(0, to(now.top, Math.max(1, now.shown))));
  if (next.top === now.top) return;
  s.patchUi({ mode: { ...d, scroll: { id: d.repairs[next.top].id, index: next.top } } });
}

/** Why the selected row cannot be decided now, or null. */
function notDecidable(q: QueueRow | null, what: string): string | null {
  if (!q) return `${what}: no repair selected`;
  return REVIEW_STATUS[q.status].refusal?.(q.key) ?? null;
}

const toggleFocus: Handler = ({ store }) => {
  const d = dialog(store);
  if (d?.kind !== 'confirm') return;
  store.getState().patchUi({ mode: { ...d, focus: d.focus === 'cancel' ? 'approve' : 'cancel' } });
};

/** esc in a dialog: close it and say so with `message`. */
function cancelDialog(message: string): Handler {
  return ({ store }) => {
    closeDialog(store);
    say(store, message);
  };
}

function stepChoice(step: number): Handler {
  return ({ store }) => {
    const d = dialog(store);
    if (d?.kind !== 'export') return;
    const n = d.options.length;
    store.getState().patchUi({ mode: { ...d, focus: (d.focus + step + n) % n } });
  };
}

function exportViewRows(ctx: ReviewContext, format: 'csv' | 'md'): void {
  const data = viewRowsExport(ctx.store.getState());
  if (!data) return say(ctx.store, 'export: nothing is loaded yet', 'error');
  void exportRows(ctx, data, format);
}

/** The review flow's share of the keymap's actions (actions.ts adds the rest: together, every ActionId). */
export const REVIEW_HANDLERS = {
  'view-audit': ({ store }) => store.getState().setView('audit'),

  'open-card': ({ store }) => {
    if (selected(store)) store.getState().patchUi({ card: true });
  },
  'close-card': ({ store }) => store.getState().patchUi({ card: false }),

  'next-undecided': ({ store }) => {
    if (!jumpUndecided(store, 1)) say(store, 'no undecided repair below this one');
  },
  'prev-undecided': ({ store }) => {
    if (!jumpUndecided(store, -1)) say(store, 'no undecided repair above this one');
  },
  skip: ({ store }) => {
    const sel = selection(store);
    if (!sel || sel.id === null) return say(store, 'skip: no repair selected', 'error');
    if (!jumpUndecided(store, 1)) say(store, `${sel.id} left undecided; no undecided repair below it`);
    else say(store, `${sel.id} left undecided`);
  },

  approve: (ctx) => {
    const v = seenVersion(ctx.store, 'approve');
    if (!v) return;
    // The blast radius the card says now goes with it: a refresh that changes it is said before enter (confirm-radius.ts).
    if (isDestructive(v.repair))
      openDialog(ctx.store, { kind: 'confirm', repair: v.repair, focus: 'cancel', radius: radiusNow(ctx.store.getState(), v.repair) });
    else approveNow(ctx, v.repair);
  },
  reject: ({ store }) => {
    const v = seenVersion(store, 'reject');
    if (!v) return;
    // A reason its prompt could not record comes back (the caret at its end: a prompt opens with it there).
    const reasons = new Map(store.getState().ui.reasons);
    const text = reasons.get(v.entry.key) ?? '';
    reasons.delete(v.entry.key);
    openDialog(store, { kind: 'reason', repair: v.repair, text }, text ? { reasons } : {});
  },
  mark: ({ store }) => toggleMark(store),
  'approve-all': ({ store }) => {
    // Marks on a blast radius that changed since go first, said on the status line: A then asks nothing.
    if (dropMovedMarks(store)) return;
    const { repairs, marked, left, hidden } = bulkSet(store);
    if (repairs.length === 0)
      return say(
        store,
        left > 0
          ? `the ${left} undecided repair${left === 1 ? '' : 's'} shown changed since a card showed ${left === 1 ? 'it' : 'them'}: decide ${left === 1 ? 'it on its card' : 'them on their cards'}; nothing to approve`
          : 'no undecided repair shown: nothing to approve',
        'error',
      );
    // Each marked repair's whole diff was on screen when it was marked (marks.ts): their count is asked at once.
    if (marked) {
      const count: Dialog = { kind: 'count', repairs, text: '', marked: true, ...(hidden ? { hidden } : {}) };
      const s = store.getState();
      if (!countShown(s, { ...s.ui, mode: count, message: null })) return say(store, countCutText(count), 'error');
      return openDialog(store, count);
    }
    openBulk(store, repairs, left);
  },
  reopen: (ctx) => {
    const q = selected(ctx.store);
    if (!q || q.status !== 'rejected') return say(ctx.store, 'only a rejected repair can be reopened', 'error');
    void reopen(ctx, q.repair, q.decision?.changes ?? q.repair.changes);
  },

  'confirm-next': toggleFocus,
  'confirm-prev': toggleFocus,
  'confirm-cancel': cancelDialog('cancelled: nothing written'),
  'confirm-choose': (ctx) => {
    const { store } = ctx;
    const d = dialog(store);
    if (d?.kind === 'confirm' && d.focus === 'approve') {
      // Its blast radius changed while it was open: this enter only acknowledges the new one, as the first `a` on a
      // card whose diff changed does. The confirmation stays, Cancel focused, on the picture it now asks about.
      const moved = radiusChange(store.getState(), d);
      if (moved) {
        store.getState().patchUi({ mode: { ...d, radius: moved.now, focus: 'cancel' } });
        return say(
          store,
          `acknowledged the new blast radius of ${d.repair.id} (${moved.what}): nothing written; approve again to write it`,
          'error',
          d.repair.id,
        );
      }
    }
    closeDialog(store);
    if (d?.kind !== 'confirm') return;
    if (d.focus !== 'approve') return say(store, 'cancelled: nothing written');
    // The dialog holds the version it asked about; if a refresh changed it meanwhile (the dialog said so), or a resize
    // cut its diff off the screen, the card shows why and this choice writes nothing.
    const no = outdatedText(d) ?? notAsShown(store, d.repair.id, 'nothing written');
    if (no) return say(store, no, 'error', d.repair.id);
    approveNow(ctx, d.repair);
  },

  'input-cancel': cancelDialog('cancelled: nothing written'),
  'input-accept': (ctx) => {
    const { store } = ctx;
    const d = dialog(store);
    // A marked destructive repair's blast radius changed since its mark (the frame may not have said so yet): its
    // mark goes, the prompt follows, and this enter approves nothing.
    if (d?.kind === 'count' && d.marked && dropMovedMarks(store)) return;
    closeDialog(store);
    if (d?.kind === 'reason') {
      const id = d.repair.id;
      const no = outdatedText(d) ?? notAsShown(store, id, 'nothing recorded');
      if (no) return keepReason(store, id, d.text, no);
      void reject(ctx, d.repair, d.text).then((ok) =>
        ok ? advanceFrom(store, id) : keepReason(store, id, d.text, store.getState().ui.message?.text ?? `reject ${id}: nothing recorded`),
      );
    } else if (d?.kind === 'count') {
      // A resize since it opened cut its count: what enter would approve is not all said, so it approves nothing.
      if (!countShown(store.getState(), { ...store.getState().ui, mode: d })) return say(store, countCutText(d), 'error');
      approveCounted(ctx, d.repairs, d.text);
    }
  },

  'bulk-cancel': cancelDialog('cancelled: nothing approved'),
  'bulk-accept': (ctx) => {
    const { store } = ctx;
    const d = dialog(store);
    if (d?.kind !== 'bulk') return;
    // A listed destructive repair's blast radius changed since the pane opened (the frame may not have said so yet):
    // it is left out, what was typed cleared, and this enter approves nothing.
    if (leaveOutMovedRadius(store)) return;
    const { count, unseen } = paneProgress(d, Math.max(1, store.getState().ui.viewport.columns));
    // The pane stays open, with what is typed: the count is for after the reading.
    if (count > 0 && unseen > 0)
      return say(
        store,
        `scroll to the end to approve: ${unseen} of ${count} listed repair${count === 1 ? ' has' : 's have'} not been on screen yet (j, PgDn); nothing approved`,
        'error',
      );
    if (count === 0) {
      closeDialog(store);
      return say(store, 'every listed repair changed or left the plan: nothing approved', 'error');
    }
    // A count mistyped keeps the pane, read as it is: only what was typed goes.
    if (d.text.trim() !== String(count)) {
      store.getState().patchUi({ mode: { ...d, text: '' }, caret: 0 });
      return say(store, `typed "${d.text.trim()}", not ${count}: nothing approved; type ${count}`, 'error');
    }
    closeDialog(store);
    approveCounted(ctx, bulkIncluded(d), d.text);
  },
  'bulk-down': ({ store }) => scrollBulk(store, (t) => t + 1),
  'bulk-up': ({ store }) => scrollBulk(store, (t) => t - 1),
  'bulk-page-down': ({ store }) => scrollBulk(store, (t, p) => t + p),
  'bulk-page-up': ({ store }) => scrollBulk(store, (t, p) => t - p),
  'bulk-top': ({ store }) => scrollBulk(store, () => 0),
  'bulk-bottom': ({ store }) => scrollBulk(store, () => Infinity),
  'marked-down': ({ store }) => scrollMarked(store, (t) => t + 1),
  'marked-up': ({ store }) => scrollMarked(store, (t) => t - 1),
  'marked-page-down': ({ store }) => scrollMarked(store, (t, p) => t + p),
  'marked-page-up': ({ store }) => scrollMarked(store, (t, p) => t - p),

  export: ({ store }) => openDialog(store, { kind: 'export', what: 'snapshot', options: ['md', 'json', 'csv'], focus: 0 }),
  'export-view': ({ store }) => openDialog(store, { kind: 'export', what: 'view', options: ['csv', 'md'], focus: 0 }),
  'choice-next': stepChoice(1),
  'choice-prev': stepChoice(-1),
  'choice-cancel': cancelDialog('export cancelled'),
  'choice-accept': (ctx) => {
    const d = dialog(ctx.store);
    closeDialog(ctx.store);
    if (d?.kind !== 'export') return;
    const format: ExportFormat = d.options[d.focus] ?? d.options[0];
    if (d.what === 'snapshot') void exportSnapshot(ctx, format);
    else exportViewRows(ctx, format === 'json' ? 'csv' : format);
  },
} satisfies Partial<Record<ActionId, Handler>>;

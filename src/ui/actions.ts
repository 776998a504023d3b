// What each keymap action does, and the dispatcher that routes key names through the registry by
// mode. Handlers read the store fresh on every key (several keys can arrive in one event), and
// only call store actions: they never touch the disk.
import type { AppState, AppStore } from '../console/state.js';
import { dialogOf, modeName, VIEW_IDS, type ViewId } from '../console/ui-state.js';
import {
  commandName,
  commandOf,
  commandText,
  firstKey,
  LINE_OPS,
  resolve,
  type ActionContext,
  type ActionId,
  type Handler,
  type KeyName,
  type LineOp,
  type Scope,
} from './keymap.js';
import { layout, bannerShown } from './layout.js';
import { helpLastTop, helpLines, helpPrevTop, helpShown, type HelpLine } from './components/help-lines.js';
import { frameLayout } from './components/StatusLine.js';
import { acceptFilter, beginFilter, clearFilter, moveTo, noOtherPoolText, noRowText } from './cursor.js';
import {
  closeInspect,
  detailOfSelection,
  idOfSelection,
  openInspect,
  osc52,
  rawOfSelection,
  scrollCard,
  reloadInspect,
  scrollInspect,
} from './inspect.js';
import { drillToRepairs, jumpToBead, leaveDrill } from './drill.js';
import { openSlots, showSlots } from './to-slots.js';
import { clearMarks } from './review/marks.js';
import { reviewSelection } from './review/selection.js';
import { controlsEscaped, groupDigits } from './text.js';
import { REVIEW_HANDLERS, selectedKey } from './review/handlers.js';
import { complete, editPrompt, menuOf, recall, remember } from './text-edit.js';
import { poolsModel } from './views/glance.js';
import { viewModel } from './views/registry.js';
import { stepSort } from './rows/sort.js';
import { suspendUnavailable } from './suspend.js';
import { askQuit, stay } from './quit-ask.js';

function setView(view: ViewId): Handler {
  return ({ store }) => store.getState().setView(view);
}

function cycleView(step: number): Handler {
  return ({ store }) => {
    const s = store.getState();
    const i = VIEW_IDS.indexOf(s.ui.view);
    s.setView(VIEW_IDS[(i + step + VIEW_IDS.length) % VIEW_IDS.length]);
  };
}

function stepPool(step: number): Handler {
  return ({ store }) => {
    const s = store.getState();
    const vm = poolsModel(s);
    if (!vm || vm.table.rows.length === 0) return;
    // Step through all pools, not the filtered ones: the pools filter is not visible from here.
    const rows = vm.table.rows;
    const pinned = s.ui.cursors.pools;
    // The pool shown left the config (a reload): `]` goes to the pool now at its place, `[` to the one before it.
    const gone = pinned.key !== null && !rows.some((r) => r.key === pinned.key);
    const at = gone
      ? Math.max(0, pinned.index) - (step > 0 ? 1 : 0)
      : Math.max(
          0,
          rows.findIndex((r) => r.key === vm.rows[vm.index]?.key),
        );
    const index = (((at + step) % rows.length) + rows.length) % rows.length;
    s.setCursor('pools', { key: rows[index].key, index, top: vm.top });
    s.setFilter('pools', '');
    s.setCursor('slots', { key: null, index: 0, top: 0 });
  };
}

/** `<`/`>`: sort the current view by the column left or right of the sorted one. The cursor keeps its row (by id). */
function stepSortColumn(step: 1 | -1): Handler {
  return ({ store }) => {
    const s = store.getState();
    const view = s.ui.view;
    const vm = view === 'pools' ? poolsModel(s) : viewModel(s, view);
    if (!vm) return;
    s.patchUi({ sorts: { ...s.ui.sorts, [view]: stepSort(s.ui.sorts[view], vm.table.columns.length, step) } });
  };
}

function runCommand(ctx: ActionContext, text: string): void {
  const s = ctx.store.getState();
  const [cmd = '', ...args] = text.trim().split(/\s+/);
  const name = cmd.replace(/^:/, '').toLowerCase();
  if (name === '') return;
  const command = commandOf(name);
  const tryHelp = `(try ${commandText('help')})`;
  // `:pool <template>` opens that pool's slots, as `:slots <template>` does.
  const view = command === 'pool' && args[0] ? 'slots' : VIEW_IDS.find((v) => v === name || (name.length >= 2 && v.startsWith(name)));
  // Only `slots` and `pool` take an argument, one: any other is refused, never ignored (`:quit now`, `:slots a b`).
  const known = view ?? (command && command !== 'pool' ? name : null);
  if (known && known !== 'slots' && args.length > 0)
    return s.setMessage({ text: `:${known} takes no argument: not run ${tryHelp}`, tone: 'error' });
  // And they take one: `:slots a b` would open pool a, the b dropped without a word.
  if (known === 'slots' && args.length > 1)
    return s.setMessage({ text: `:${command === 'pool' ? name : 'slots'} takes one argument, a pool: not run ${tryHelp}`, tone: 'error' });
  if (view) {
    if (view === 'slots' && !args[0]) return openSlots(ctx.store);
    if (view === 'slots') {
      const vm = poolsModel(s);
      const rows = vm?.table.rows ?? [];
      const index = rows.findIndex((r) => r.key === args[0]);
      if (index < 0) return s.setMessage({ text: `no pool named ${args[0]}`, tone: 'error' });
      // Its slot where it was (a slot of another pool is no place in it); on the first look, where the beads land.
      if (showSlots(ctx.store, rows[index].key, null)) return;
      s.setFilter('pools', '');
      s.setCursor('pools', { key: rows[index].key, index, top: vm?.top ?? 0 });
    }
    s.setView(view);
    return;
  }
  if (command === 'quit') return askQuit(ctx);
  if (command === 'help') return s.setMode('help');
  if (command === 'pause') return s.setPaused(true);
  if (command === 'resume') return s.setPaused(false);
  s.setMessage({ text: `unknown command :${text.trim()} ${tryHelp}`, tone: 'error' });
}

/** The command names `tab` completes on the `:` line (runCommand also takes unique prefixes of the views). */
export function commandNames(): string[] {
  return [...VIEW_IDS, ...(['pool', 'help', 'pause', 'resume', 'quit'] as const).map(commandName)];
}

/** Whether a command's argument is a pool (template) name. */
const takesPool = (name: string) => name === 'slots' || commandOf(name) === 'pool';

/** `tab` on the `:` line: the command name, or after `slots`/`pool` the pool name; several are listed, then cycled. */
function completeCommand(store: AppStore): void {
  const s = store.getState();
  if (s.ui.mode !== 'command') return;
  const pools = () => poolsModel(s)?.table.rows.map((r) => r.key) ?? [];
  const done = complete(
    s.ui.command,
    menuOf(s.ui),
    (before) => (before.length === 0 ? commandNames() : before.length === 1 && takesPool(before[0].toLowerCase()) ? pools() : []),
    (before, word) => before.length === 0 && takesPool(word),
  );
  if (done !== null) s.patchUi({ command: done.text, completion: done.completion, caret: 0 });
}

/** `up`/`down` on the `:` line: an earlier or later command of this session. */
function recallCommand(store: AppStore, step: -1 | 1): void {
  const s = store.getState();
  if (s.ui.mode !== 'command') return;
  const r = recall(s.ui.history, s.ui.command, step);
  if (r) s.patchUi({ command: r.text, history: r.history, caret: 0 });
}

/** The line edits' handlers: each makes its edit to the open prompt's line, by whichever keys the registry binds it to. */
const LINE_EDITS = Object.fromEntries(LINE_OPS.map((op) => [op, ({ store }: ActionContext) => editPrompt(store, op)])) as Record<
  LineOp,
  Handler
>;

/**
 * A scroll of the full card by `to`: its lines counted as it shows them, its decisions waiting out a move on or not
 * by the console's clock, as useMovedOnWait judges it for the frame.
 */
const scrollsCard =
  (to: (top: number, page: number) => number): Handler =>
  ({ store, now = () => performance.now() }) => {
    const until = movedOnUntil(store.getState());
    scrollCard(store, to, until !== null && now() < until);
  };

/** Every keymap action's handler: the compiler checks there is one per ActionId, and no other. */
export const HANDLERS = {
  'move-down': ({ store }) => moveTo(store, (i) => i + 1),
  'move-up': ({ store }) => moveTo(store, (i) => i - 1),
  top: ({ store }) => moveTo(store, () => 0),
  bottom: ({ store }) => moveTo(store, (_i, n) => n - 1),
  'page-down': ({ store }) => moveTo(store, (i, _n, p) => i + p),
  'page-up': ({ store }) => moveTo(store, (i, _n, p) => i - p),
  filter: ({ store }) => {
    beginFilter(store);
    store.getState().patchUi({ mode: 'filter', command: '', message: null });
  },
  'sort-next': stepSortColumn(1),
  'sort-prev': stepSortColumn(-1),
  'sort-reverse': ({ store }) => {
    const s = store.getState();
    const sort = s.ui.sorts[s.ui.view];
    if (!sort)
      return s.setMessage({
        text: `not sorted by a column: ${firstKey(s.ui.view, 'sort-next')} or ${firstKey(s.ui.view, 'sort-prev')} picks one`,
        tone: 'info',
      });
    s.patchUi({ sorts: { ...s.ui.sorts, [s.ui.view]: { ...sort, desc: !sort.desc } } });
  },
  // esc undoes the most recent thing the screen shows first: the filter on the view bar, then one bead's repairs
  // (`only <bead> (esc: back)`, entered after any filter or mark it kept), and only then the marks. Marks are made
  // over the whole queue and outlive views and drill-downs; the drill-down shows few of them, so they are cleared
  // only from the whole queue, where every marked row can be seen.
  'clear-filter': ({ store }) => {
    const s = store.getState();
    if (s.ui.filters[s.ui.view] !== '') clearFilter(store, false);
    else if (leaveDrill(store)) return;
    else if (s.ui.view === 'repairs' && clearMarks(store)) return;
    else if (s.ui.view === 'slots') s.setView('pools');
    else if (s.ui.message) s.setMessage(null);
  },
  command: ({ store }) => {
    const s = store.getState();
    s.patchUi({ mode: 'command', command: '', completion: null, message: null, history: { ...s.ui.history, at: null, draft: '' } });
  },
  help: ({ store }) => {
    store.getState().patchUi({ mode: 'help', helpTop: 0 });
  },
  pause: ({ store }) => {
    const s = store.getState();
    s.setPaused(!s.ui.paused);
  },
  quit: ({ exit }) => exit(),
  'quit-ask': askQuit,
  'quit-cancel': stay,
  suspend: ({ store, suspend }) => (suspend ? suspend() : store.getState().setMessage({ text: suspendUnavailable(), tone: 'info' })),
  'next-view': cycleView(1),
  'prev-view': cycleView(-1),
  'view-pools': setView('pools'),
  'view-slots': ({ store }) => openSlots(store),
  'view-aliases': setView('aliases'),
  'view-templates': setView('templates'),
  'view-work': setView('work'),
  'view-repairs': setView('repairs'),
  'view-findings': setView('findings'),
  'view-trend': setView('trend'),
  'open-pool': ({ store }) => {
    const s = store.getState();
    const vm = poolsModel(s);
    const row = vm?.rows[vm.index];
    if (!vm || !row) return;
    // Pin the pools cursor to the row under it, so the slots view opens exactly that pool.
    s.setCursor('pools', { key: row.key, index: vm.index, top: vm.top });
    s.setCursor('slots', { key: null, index: 0, top: 0 });
    s.setView('slots');
  },
  'bead-repairs': ({ store }) => drillToRepairs(store),
  'repair-bead': ({ store }) => jumpToBead(store),
  'prev-pool': stepPool(-1),
  'next-pool': stepPool(1),
  'prompt-accept': (ctx) => {
    const s = ctx.store.getState();
    const { mode, command } = s.ui;
    s.patchUi({ mode: 'normal', command: '', ...(mode === 'command' ? { history: remember(s.ui.history, command) } : {}) });
    if (mode === 'command') runCommand(ctx, command);
    else acceptFilter(ctx.store);
  },
  'prompt-cancel': ({ store }) => {
    const s = store.getState();
    if (s.ui.mode === 'filter') clearFilter(store, true);
    store.getState().patchUi({ mode: 'normal', command: '' });
  },
  // The keys that edit a typed line (the filter, the `:` line, a reason, a count: both scopes).
  ...LINE_EDITS,
  'prompt-history-prev': ({ store }) => recallCommand(store, -1),
  'prompt-history-next': ({ store }) => recallCommand(store, 1),
  'prompt-complete': ({ store }) => completeCommand(store),
  raw: ({ store }) => openInspect(store, rawOfSelection(store.getState()), 'no bead or template on this row'),
  'copy-id': ({ store, services }) => {
    const s = store.getState();
    const id = idOfSelection(s);
    if (id === null) return s.setMessage({ text: 'no row selected', tone: 'info' });
    if (typeof id !== 'string') return s.setMessage({ text: `nothing copied: ${id.none}`, tone: 'info' });
    // The id itself (its controls escaped, nothing else): the status line draws it through clean as it draws all text.
    const text = controlsEscaped(id);
    if (services.copy) services.copy(text);
    else process.stdout.write(osc52(text));
    s.setMessage({ text: `copied ${text} (OSC 52: the terminal must allow clipboard writes)`, tone: 'info' });
  },
  'inspect-row': ({ store }) => openInspect(store, detailOfSelection(store.getState()), 'no row selected'),
  'card-down': scrollsCard((t) => t + 1),
  'card-up': scrollsCard((t) => t - 1),
  'card-page-down': scrollsCard((t, p) => t + p),
  'card-page-up': scrollsCard((t, p) => t - p),
  'inspect-close': ({ store }) => closeInspect(store),
  'inspect-down': ({ store }) => scrollInspect(store, (t) => t + 1),
  'inspect-up': ({ store }) => scrollInspect(store, (t) => t - 1),
  'inspect-page-down': ({ store }) => scrollInspect(store, (t, p) => t + p),
  'inspect-page-up': ({ store }) => scrollInspect(store, (t, p) => t - p),
  'inspect-top': ({ store }) => scrollInspect(store, () => 0),
  'inspect-bottom': ({ store }) => scrollInspect(store, (_t, _p, last) => last),
  'inspect-reload': ({ store }) => reloadInspect(store),
  'help-close': ({ store }) => store.getState().setMode('normal'),
  'help-down': ({ store }) => scrollHelp(store, () => 1),
  'help-up': ({ store }) => scrollHelp(store, () => -1),
  'help-page-down': ({ store }) => scrollHelp(store, (room, shown) => shown),
  'help-page-up': ({ store }) => scrollHelp(store, (room, _shown, all, top) => helpPrevTop(all, top, room) - top),
  'help-top': ({ store }) => scrollHelp(store, () => -Infinity),
  'help-bottom': ({ store }) => scrollHelp(store, () => Infinity),
  ...REVIEW_HANDLERS,
} satisfies Record<ActionId, Handler>;

/** The lines of help open in `s` and the rows a page of it has: those App gives it (a message under it can take a second status line), less its title. */
function helpPage(s: AppState): { room: number; all: readonly HelpLine[] } {
  const l = frameLayout(s);
  return { room: Math.max(1, l.list + l.detail + 1), all: helpLines(s.readOnly, Math.max(1, s.ui.viewport.columns), helpPlace(s)) };
}

/** Whether help holds more lines than a page of it shows: only then do its scroll keys move it, and the footer offer them. */
export function helpScrolls(s: AppState): boolean {
  const { room, all } = helpPage(s);
  return all.length > room;
}

/**
 * Scroll the help by `lines(room, shown)` lines (room: the lines a page has; shown: those it shows now, one fewer where
 * a section title would end it), within the first and last page.
 */
function scrollHelp(store: AppStore, lines: (room: number, shown: number, all: readonly HelpLine[], top: number) => number): void {
  const s = store.getState();
  const { room, all } = helpPage(s);
  const max = helpLastTop(all, room);
  s.setHelpTop(Math.min(max, Math.max(0, s.ui.helpTop + lines(room, helpShown(all, s.ui.helpTop, room), all, s.ui.helpTop))));
}

/** Where help was opened from, whose keys it lists first as they act there: the full card, else the view. */
export function helpPlace(s: AppState): Scope {
  return s.ui.view === 'repairs' && s.ui.card ? 'card' : s.ui.view;
}

/**
 * Whether the terminal is too small for the console: App then shows one line instead of the frame (layout's
 * tooSmall, which only the terminal's rows and the banner decide).
 */
export function tooSmall(s: AppState): boolean {
  return layout(s.ui.viewport.rows, s.ui.viewport.columns, bannerShown(s)).tooSmall;
}

/**
 * The keymap scope the keys go to right now (also what the footer shows). A terminal too small for the console hides
 * every view and dialog: its keys are only those of its one line (scope `small`), whatever mode waits behind it.
 */
export function scopeOf(s: AppState): Scope {
  if (tooSmall(s)) return 'small';
  switch (modeName(s.ui.mode)) {
    case 'help':
      return 'help';
    case 'inspect':
      return 'inspect';
    case 'filter':
    case 'command':
      return 'prompt';
    case 'confirm':
      return 'confirm';
    case 'reason':
      return 'input';
    case 'count':
      return 'count';
    case 'bulk':
      return 'bulk';
    case 'export':
      return 'choice';
    case 'quit':
      return 'quit';
    default:
      return helpPlace(s);
  }
}

/** Route one key name by the current mode: help, a text prompt, a review dialog, or the views. */
export function dispatchKey(name: KeyName, ctx: ActionContext): void {
  const s = ctx.store.getState();
  const scope = scopeOf(s);
  if (scope === 'help' || scope === 'confirm' || scope === 'choice' || scope === 'quit' || scope === 'inspect' || scope === 'small') {
    const b = resolve(name, scope);
    if (b) HANDLERS[b.action](ctx);
    return;
  }
  if (scope === 'bulk') {
    const b = resolve(name, scope);
    if (b) {
      // A message (a refusal of enter, the set a refresh shrank) is read and goes with the next move; enter says anew.
      // It goes after the move: a page is what the frame on screen showed, the message's line taken from the pane (a
      // page of the pane without it would pass over the line the message hid, never drawn).
      const said = b.action !== 'bulk-accept' ? s.ui.message : null;
      HANDLERS[b.action](ctx);
      if (said && ctx.store.getState().ui.message === said) ctx.store.getState().setMessage(null);
      return;
    }
    // Its line takes the count alone: the letters of the keys around it (a stray `y`, `yes`) type nothing.
    if (/^[0-9]$/.test(name)) editPrompt(ctx.store, { typed: name });
    return;
  }
  if (scope === 'prompt' || scope === 'input' || scope === 'count') {
    const b = resolve(name, scope);
    if (b) return HANDLERS[b.action](ctx);
    // Every other key edits the line being typed (only printable characters go in).
    editPrompt(ctx.store, { typed: name });
    return;
  }
  const b = resolve(name, scope, s.readOnly);
  if (!b) {
    // Read-only: the decision keys are not bound; say so instead of doing nothing.
    const hidden = s.readOnly ? resolve(name, scope) : undefined;
    if (hidden?.decision)
      s.setMessage({
        text: `read-only: ${hidden.hint ?? hidden.action} is refused (${s.readOnlyWhy ?? 'started with --read-only'})`,
        tone: 'error',
      });
    return;
  }
  // On the first look (views/glance.ts) the keys that need the beads or the plan say they are on their way.
  if (!s.current && s.glance && NEEDS_BEADS.has(b.action))
    return s.setMessage({
      text: `the ${groupDigits(s.glance.beads)} beads of the first read are still arriving`,
      tone: 'info',
      until: 'beads',
    });
  // A key on the selected row, where the view shows none: the same words whatever the key.
  const none = b.row ? noRowText(s) : b.pools ? noOtherPoolText(s) : null;
  if (none !== null) return s.setMessage({ text: none, tone: 'info' });
  if (s.ui.message && b.action !== 'clear-filter') s.setMessage(null);
  HANDLERS[b.action](ctx);
}

/** The scopes of a dialog or a typed line: what they ask is answered only once a frame shows it. */
const PROMPTS: ReadonlySet<Scope> = new Set<Scope>(['confirm', 'input', 'count', 'choice', 'quit', 'prompt']);

/**
 * The keys that act on the repair on the card: they act on it only once a frame has shown it (the dialogs' own
 * choose and accept too: a resize while one is open can cut the diff it asks about).
 */
const ON_THE_CARD: ReadonlySet<ActionId> = new Set<ActionId>(['approve', 'reject', 'mark', 'reopen', 'confirm-choose', 'input-accept']);

/**
 * Whether `name` acts on the selected repair before any frame has shown it: keys typed ahead (a paste, a fast
 * `j r`) reach the console before React has drawn the move they follow. Such a key waits for the frame (use-keys.ts),
 * then acts on what it shows: never on a card the operator could not have read, and the keys after it (a reason)
 * go where it sends them.
 */
export function waitsForFrame(name: KeyName, store: AppStore): boolean {
  const s = store.getState();
  const scope = scopeOf(s);
  // A dialog or prompt not yet drawn at this size (the too-small line hid it): shown again before it is answered.
  const drawn = s.ui.frameShown;
  if (PROMPTS.has(scope) && (drawn?.rows !== s.ui.viewport.rows || drawn.columns !== s.ui.viewport.columns)) return true;
  if (s.ui.view !== 'repairs') return false;
  // The count of `A` on marks answers the set its pane lists (MarkedPane), drawn in place of the card: no card to wait for.
  if (dialogOf(s.ui.mode)?.kind === 'count') return false;
  const b = resolve(name, scope, s.readOnly);
  if (!b || !ON_THE_CARD.has(b.action)) return false;
  const vm = viewModel(s, 'repairs');
  const row = vm?.rows[vm.index];
  if (!vm || !row) return false;
  const entry = reviewSelection(vm, s.ui.seen).entry;
  const shown = s.ui.cardShown;
  if (!entry) return false;
  // Not drawn yet: the repair (a move typed ahead), a resize, the status area (a message the key clears), or the
  // card (`esc` from the full card typed just before).
  return (
    shown?.id !== entry.key ||
    shown.repair !== entry.repair ||
    shown.rows !== s.ui.viewport.rows ||
    shown.columns !== s.ui.viewport.columns ||
    shown.message !== s.ui.message ||
    shown.full !== s.ui.card
  );
}

/**
 * Where a decision key `name` would act on a repair the operator has not been shown: the selection moved on by itself
 * after a decision (ui.movedOnTo) and the last frame's card is not the selected repair's (that repair, or the one a
 * refresh put in its place when it left the list or a filter hid it), or the selection moved while the key waited for
 * a frame (`waitedOn`: the repair selected when it began to wait). That repair's id, else null.
 */
export function movedOnUnseen(name: KeyName, store: AppStore, waitedOn?: string | null): string | null {
  if (!actsOnCard(name, store, true)) return null;
  const key = selectedKey(store);
  if (key === null) return null;
  const { movedOnTo, cardShown } = store.getState().ui;
  if (movedOnTo !== null && key !== cardShown?.id) return key;
  return waitedOn !== undefined && waitedOn !== key ? key : null;
}

/**
 * How long the card the selection moved on to by itself (after a decision) must have been on screen before a decision
 * key on it counts. A double-tapped key comes 80–250 ms after the first (and a held one repeats every 30–50 ms), while
 * a person who reads the new card (its id, its diff) and then decides takes a second or more: a simple visual reaction
 * alone takes some 200–250 ms. 400 ms sits between the two, short enough that a deliberate key is never refused, and
 * it covers the frame Ink may still be drawing when the card counts as shown (at most 60 a second, plus the terminal's
 * own latency). Only a selection that moved by itself has it: one the operator's keys placed does not.
 */
export const MOVED_ON_DWELL_MS = 400;

/** The decisions on the repair on the card that wait out MOVED_ON_DWELL_MS (a dialog's own keys answer what it asks). */
const DECIDES: ReadonlySet<ActionId> = new Set<ActionId>(['approve', 'reject', 'mark', 'reopen']);

/** Whether `action` is a decision that waits out MOVED_ON_DWELL_MS on a card the selection moved on to by itself. */
export function waitsOutMoveOn(action: ActionId | undefined): boolean {
  return action !== undefined && DECIDES.has(action);
}

/**
 * Until when (the console's monotonic clock, ms) a decision key on the selected repair would be refused because the
 * selection moved on to it by itself (tooSoonAfterMovedOn, movedOnUnseen): Infinity while its card is not yet drawn,
 * else MOVED_ON_DWELL_MS after it was (or after the last key refused on it); null when no such wait holds. Neither the
 * footer nor the card (its status line, the full card's title bar) offers those keys till then: they offered `a` and
 * `r`, which were then refused.
 */
export function movedOnUntil(s: AppState): number | null {
  if (s.ui.view !== 'repairs') return null;
  const { movedOnTo, movedOnShown } = s.ui;
  if (movedOnTo === null && movedOnShown === null) return null;
  const vm = viewModel(s, 'repairs');
  const key = vm ? (reviewSelection(vm, s.ui.seen).entry?.key ?? null) : null;
  if (key === null) return null;
  if (movedOnTo === key) return Infinity;
  if (movedOnShown?.id !== key) return null;
  return Math.max(movedOnShown.at, movedOnShown.refused ?? movedOnShown.at) + MOVED_ON_DWELL_MS;
}

/**
 * Where a decision key `name`, typed at `typedAt` (the console's monotonic clock, ms), would decide on the repair the
 * selection moved on to by itself after the last decision sooner than MOVED_ON_DWELL_MS after its card was drawn, or
 * after the last such key refused on it (a held key's repeats): that repair's id and why, else null. A second `a` a few
 * ms after the new card was drawn is a double tap, never a reading of it.
 */
export function tooSoonAfterMovedOn(name: KeyName, store: AppStore, typedAt: number): { id: string; why: string } | null {
  const s = store.getState();
  const shown = s.ui.movedOnShown;
  if (shown === null || s.ui.view !== 'repairs') return null;
  const b = resolve(name, scopeOf(s), s.readOnly);
  if (!waitsOutMoveOn(b?.action) || selectedKey(store) !== shown.id) return null;
  const ms = (from: number) => Math.max(0, Math.round(typedAt - from));
  if (typedAt - shown.at < MOVED_ON_DWELL_MS) return { id: shown.id, why: `its card on screen only ${ms(shown.at)} ms` };
  if (shown.refused !== undefined && typedAt - shown.refused < MOVED_ON_DWELL_MS)
    return { id: shown.id, why: `typed again ${ms(shown.refused)} ms after the key refused before it` };
  return null;
}

/**
 * Whether `name` is a decision on the repair on the card (approve, reject, mark, reopen, a dialog's choose or accept)
 * in the repairs view; with `refusedToo`, also one read-only refuses (the keys typed after a decision that decided
 * nothing must not run as keys: use-keys.ts).
 */
export function actsOnCard(name: KeyName, store: AppStore, refusedToo = false): boolean {
  const s = store.getState();
  if (s.ui.view !== 'repairs') return false;
  const b = resolve(name, scopeOf(s), refusedToo ? false : s.readOnly);
  return !!b && ON_THE_CARD.has(b.action);
}

/**
 * Before a key that acts on the card: the message it would clear goes now, so that the key is judged on a frame
 * drawn without it (a message wrapped over two lines takes a row from the card, which can cut its diff).
 */
export function clearMessageFor(name: KeyName, store: AppStore): void {
  if (store.getState().ui.message !== null && actsOnCard(name, store)) store.getState().setMessage(null);
}

/**
 * Whether the key of `action` does nothing yet, on the first look (views/glance.ts) while the first read's beads are on
 * their way: one that needs them (it says so), or one that works on rows in a view that has none yet (every view but
 * the pools view only says it is receiving them). The footer does not offer these.
 */
export function idleOnFirstLook(s: AppState, action: ActionId): boolean {
  if (s.current || !s.glance) return false;
  return NEEDS_BEADS.has(action) || (s.ui.view !== 'pools' && ON_ROWS.has(action));
}

/** The scopes of the views themselves (a list or the repair card), where the first look's keys are judged. */
const NOT_A_VIEW: ReadonlySet<Scope> = new Set<Scope>([
  'help',
  'confirm',
  'choice',
  'quit',
  'inspect',
  'small',
  'bulk',
  'prompt',
  'input',
  'count',
]);

/**
 * Whether `name`, typed on the first look while the first read's beads are on their way, needs them (idleOnFirstLook):
 * such a key waits for them (use-keys.ts), and the keys typed after it wait behind it, so that `6 j j a` typed before
 * the beads land moves over the repairs once they are here and approves the one the moves reach, never acting on the
 * first row because the moves found no rows to move over.
 */
export function waitsForBeads(name: KeyName, store: AppStore): boolean {
  const s = store.getState();
  if (s.current || !s.glance) return false;
  const scope = scopeOf(s);
  if (NOT_A_VIEW.has(scope)) return false;
  const b = resolve(name, scope, s.readOnly);
  return !!b && idleOnFirstLook(s, b.action);
}

/** The keys that work on the rows a view shows (moves, sorts). */
const ON_ROWS: ReadonlySet<ActionId> = new Set<ActionId>([
  'move-down',
  'move-up',
  'top',
  'bottom',
  'page-down',
  'page-up',
  'sort-next',
  'sort-prev',
  'sort-reverse',
  'prev-pool',
  'next-pool',
]);

/** What no key can do on the first look: a bead's raw JSON, its id, its repairs, exports, the review. */
const NEEDS_BEADS: ReadonlySet<ActionId> = new Set<ActionId>([
  'raw',
  'copy-id',
  'inspect-row',
  'bead-repairs',
  'repair-bead',
  'export',
  'export-view',
  'approve',
  'reject',
  'skip',
  'mark',
  'reopen',
  'approve-all',
  'open-card',
  'next-undecided',
  'prev-undecided',
]);

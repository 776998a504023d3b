// The UI slice of the console state: which view and mode the console is in, its prompts, dialogs,
// cursors and this session's review outcomes. Types and the initial value only: the zustand store
// (state.ts) holds it, src/ui renders it and turns keys into changes of it.
import type { Repair } from '../engine/types.js';

export const VIEW_IDS = ['pools', 'slots', 'aliases', 'templates', 'work', 'repairs', 'audit', 'findings', 'trend'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export type ExportFormat = 'md' | 'json' | 'csv';

/** Marked repairs the repairs list does not show (its filter, or a drill-down to one bead, hides them), by id. */
export interface HiddenMarks {
  ids: string[];
  by: 'filter' | 'narrowing';
}

/**
 * A review dialog: `confirm` a destructive approval, type a rejection `reason`, type the `count` of a bulk
 * approval, pick an `export` format, or answer whether to `quit` with marks. It carries what is being decided, captured
 * when it opened.
 */
export type Dialog =
  /**
   * `outdated` as for `reason`: the confirmation stays open, says so, and enter then writes nothing. `radius`: the
   * blast radius of the repair as the card said it when the confirmation opened (or when a change of it was
   * acknowledged): a refresh that changes it makes the confirmation say so, and enter then only acknowledges
   * (src/ui/review/confirm-radius.ts).
   */
  | { kind: 'confirm'; repair: Repair; focus: 'cancel' | 'approve'; outdated?: 'changed' | 'gone'; radius?: readonly string[] }
  /**
   * `outdated`: the plan on screen no longer proposes the diff it asks about (`changed`: other changes; `gone`: none).
   * It stays open (console/reason-prompt.ts), says so, and enter then records nothing.
   */
  | { kind: 'reason'; repair: Repair; text: string; outdated?: 'changed' | 'gone' }
  /** `left`: undecided repairs the queue shows that the set leaves out (their diff changed since a card showed it). */
  | {
      kind: 'count';
      repairs: Repair[];
      text: string;
      marked?: boolean;
      left?: number;
      /** Of the marked repairs, those the list does not show. */
      hidden?: HiddenMarks;
      /**
       * Where the pane of the marked repairs above it is scrolled to: the id of the first one it lists (and its place,
       * for when that one leaves the set), so a mark a refresh drops never scrolls the list under the operator.
       */
      scroll?: { id: string; index: number };
    }
  | BulkReview
  | { kind: 'export'; what: 'snapshot' | 'view'; options: ExportFormat[]; focus: number }
  /**
   * `q` (or `:quit`) with repairs marked: the marks are this session's only and would go without a word, so it asks
   * first, as lazygit and k9s do with pending work. `marked`: how many were marked when it asked (^C never asks).
   */
  | { kind: 'quit'; marked: number };

/**
 * `A` with nothing marked: the bulk review pane (terraform's plan before `yes`). It lists every repair it would
 * approve with its diff, and asks for their count under it; enter approves exactly these versions, and only once every
 * line of the list has been on screen (console/bulk.ts, ui/review/bulk.ts).
 */
export interface BulkReview {
  kind: 'bulk';
  /** The repairs listed, each as the pane shows it (its changes are what is approved), in the pane's order. */
  repairs: Repair[];
  text: string;
  /** The first line of the pane on screen. */
  top: number;
  /** The keys of the pane's lines that have been on screen (ui/review/bulk.ts): the count asks for all of them. */
  seen: ReadonlySet<string>;
  /**
   * Listed repairs a refresh changed (id → the version now proposed) or took away (id → null) while the pane was open:
   * shown so, and left out; `A` again lists the new version. One a later plan proposes again as listed is in again.
   */
  out: ReadonlyMap<string, Repair | null>;
  /** Undecided repairs the queue showed that were left out when it opened (their diff changed since a card showed it). */
  left: number;
  /**
   * Listed repairs whose change holds a value too long to show (more than 4 096 characters, drawn cut): never on screen
   * whole, so listed with why and left out, to be reviewed and applied with gc-tui apply.
   */
  long: ReadonlySet<string>;
  /** Every repair id of the plan when it opened: a repair a refresh adds is counted in `added`, never listed. */
  known: ReadonlySet<string>;
  added: number;
  /** Each listed destructive repair's blast radius when the pane opened (what approving it touches: card.ts touchedRadius). */
  radius: ReadonlyMap<string, readonly string[]>;
  /**
   * Listed destructive repairs whose blast radius a refresh changed, the same diff (live work assigned meanwhile to the
   * bead one closes): id → what changed. Left out for good: `A` again lists them on the new picture.
   */
  moved: ReadonlyMap<string, string>;
  /** Of `out`, who changed the store in the read that left each out (changed-by.ts whoChanged), by id. */
  outBy?: ReadonlyMap<string, string>;
}

/**
 * Where keystrokes go: the lists, a text prompt (`filter`, `command`), the help overlay, or the open
 * review dialog itself (a dialog is a mode: its kind names it, nothing repeats it).
 */
export type Mode = 'normal' | 'filter' | 'command' | 'help' | 'inspect' | Dialog;

/**
 * The inspect pane (`y`: the raw bead as JSON; `enter`: the selected row's detail in full): its title, its
 * lines as built (sanitized when drawn, wrapped to the width) and the first wrapped line shown.
 */
export interface Inspect {
  title: string;
  lines: string[];
  top: number;
  /** What it shows: `y`'s raw JSON or `enter`'s detail of the row `key` of `view` (`R` re-reads it from there). */
  source: { kind: 'raw' | 'detail'; view: ViewId; key: string };
  /** The row's raw JSON when the pane was (re)loaded: a refresh that changes it marks the pane as out of date. */
  basis: string;
  /** When what it shows was taken (opened, or reloaded with a change), epoch ms: `R` says what changed since. */
  at: number;
}

/**
 * The repairs view narrowed to one bead's repairs (`r` on a slot, alias, work item or finding): `from` is the
 * view it came from, where `esc` returns (its cursor, keyed by id, is where it was).
 */
export interface Drill {
  /** The bead whose repairs are shown; with `pool`, the pool (its template) whose repairs are (`r` on a pools row). */
  bead: string;
  from: ViewId;
  pool?: boolean;
}

/** A mode by name: a dialog by its kind. */
export type ModeName = Exclude<Mode, Dialog> | Dialog['kind'];

export function modeName(mode: Mode): ModeName {
  return typeof mode === 'string' ? mode : mode.kind;
}

/** The open review dialog, or null. */
export function dialogOf(mode: Mode): Dialog | null {
  return typeof mode === 'string' ? null : mode;
}

/** What happened to a repair the operator decided in this session (shown on its card). */
export interface ReviewOutcome {
  result: 'applying' | 'applied' | 'stale' | 'failed' | 'rejected' | 'reopened';
  /** One line: why (stale: what changed on disk; failed: the error). */
  text: string;
  /** The changes that were judged, for a stale one: the card shows them beside the re-planned diff. */
  judged?: Repair['changes'];
  /** A stale reject or reopen: what was judged was a decision to record, not a change to apply (the card says so). */
  decision?: boolean;
  /** The repair as applied (an applied one leaves the plan; the queue keeps showing it this session). */
  repair?: Repair;
  /** A failed approval: whether its audit line was written (the console's last word at quit says so). */
  audited?: boolean;
  at: number;
}

/** A decision being written: what it is and the repairs it is about (a quit meanwhile names them on stderr). */
export interface Deciding {
  action: 'approve' | 'reject' | 'reopen';
  ids: readonly string[];
}

/** Cursor of one list: the row key follows the data across refreshes; index is the fallback
 * when that row disappears; top is the first visible row. */
export interface Cursor {
  key: string | null;
  index: number;
  top: number;
}

/**
 * Where a view's cursor was when the operator began typing its filter (`/`): its row by key (null: the list showed
 * none), place and window, the row's name in words (said if it is gone when the filter is cleared), and the pool the
 * slots view showed (a slot of another pool is no place to go back to).
 */
export interface FilterOrigin extends Cursor {
  name: string;
  pool: string | null;
}

/**
 * The version of a repair the operator has on screen: recorded when its card first shows it (or when the
 * operator acknowledges a newer version). An approval applies this version and nothing else.
 */
export interface SeenRepair {
  id: string;
  repair: Repair;
}

/**
 * The card a committed frame showed, and what else decided its room: the terminal's size, the status message
 * (one that wraps takes a row from the card) and which card (the full one, or the one under the queue). A decision
 * key waits for a frame drawn as things are now.
 */
export interface CardShown extends SeenRepair {
  rows: number;
  columns: number;
  message: Message | null;
  /** The full card (`enter`) or the card under the queue. */
  full: boolean;
}

/**
 * The lines of a version's change the full card has shown so far while scrolled (their keys: CardWindow's
 * writeKeys). When they hold every line of it as the card now folds it, the version was on screen whole, as if in
 * one frame.
 */
export interface DiffSeenLines extends SeenRepair {
  lines: readonly string[];
}

/**
 * The `:` commands run in this session, oldest first (`up`/`down` recall them): `at` is the one on the line
 * while recalling (null: the operator's own line, kept in `draft` while recalling).
 */
export interface CommandHistory {
  items: readonly string[];
  at: number | null;
  draft: string;
}

/**
 * The wildmenu of `tab` on the `:` line: the candidates for the word being completed after `head`, and `at` the
 * one on the line (null: none yet, the line holds what they have in common). It holds while the line is `line`.
 */
export interface Completion {
  line: string;
  head: string;
  items: readonly string[];
  at: number | null;
}

/** A view sorted by one of its columns (`<`/`>`, `I`): the column's index, and which way. */
export interface Sort {
  column: number;
  desc: boolean;
}

export interface Message {
  text: string;
  tone: 'info' | 'error';
  /**
   * What the message is about, as its text spells it before its first `: ` (a repair id: `the change of <id> is not all
   * on screen: …`): cut to fit, the message drops it before the words around it, which say what is so of it (fit-message.ts).
   */
  subject?: string;
  /** `beads`: it says the first read's beads are on their way, and goes when they arrive (state.ts, loaded). */
  until?: 'beads';
  /**
   * It says a read found these beads changed: once the audit log is read after it, it says who changed them too
   * (changed-by.ts whoChangedSaid; read after the frame, so saying who costs the screen nothing).
   */
  who?: readonly string[];
}

export interface UiState {
  view: ViewId;
  mode: Mode;
  cursors: Record<ViewId, Cursor>;
  filters: Record<ViewId, string>;
  /**
   * Per view, the row the cursor was on before its filter was typed (see FilterOrigin): while the filter shows that
   * row the cursor is on it, and esc (cancelling the filter, or clearing one that left the cursor on no row) goes back
   * to it. Dropped with the filter.
   */
  filterFrom: Partial<Record<ViewId, FilterOrigin>>;
  /** Each view's sort; null: the view's own order. Kept across refreshes and view changes. */
  sorts: Record<ViewId, Sort | null>;
  /** Text being typed after `:` (command mode). The filter is edited in place in `filters`. */
  command: string;
  /**
   * The caret of the open prompt's line (the filter, the `:` line, a reason, a count): how many characters stand
   * after it, 0 at the end. A prompt opens with it at the end (state.ts).
   */
  caret: number;
  /** The commands of this session, for `up`/`down` on the `:` line. */
  history: CommandHistory;
  /** The candidates `tab` listed on the `:` line (see Completion); null when none. */
  completion: Completion | null;
  helpTop: number;
  paused: boolean;
  /** Row ids (bead, template or repair ids) that changed while paused, shown highlighted after resume. */
  changed: ReadonlySet<string>;
  message: Message | null;
  viewport: { rows: number; columns: number };
  /** The repairs view shows the selected repair's card full height (enter opens, esc closes). */
  card: boolean;
  /** How far the full repair card is scrolled (`j`/`k` on the card), for the repair `key` only. */
  cardScroll: { key: string | null; top: number };
  /** The selected repair as the operator saw it (see SeenRepair); null before any card was shown. */
  seen: SeenRepair | null;
  /**
   * Who changed the store in the read that changed `was` (the version on the card, seen.repair) into another diff: what
   * the card's CHANGED line says of it (changed-by-read.ts). Null when no read did, or nothing says who.
   */
  changedBy: { was: Repair; text: string } | null;
  /**
   * Every repair a card has shown whole this session, by id, as it last showed it: `A` without marks leaves out one
   * whose diff changed since (the operator never saw what it would write).
   */
  shown: ReadonlyMap<string, Repair>;
  /**
   * The repair whose whole diff (every line `a` would write) the last frame showed; null when none did (a card too
   * short for it). A version is only seen, and only approved, once its diff was on screen whole.
   */
  diffOnScreen: SeenRepair | null;
  /** What the full card has shown of the selected version's change while scrolled through it (see DiffSeenLines). */
  diffSeenLines: DiffSeenLines | null;
  /**
   * By repair id, the terminal size (`rows×columns`) at which its confirmation's blast radius, said above its question,
   * took the rows its diff needed: at that size it is left out (review/confirm-radius.ts radiusRoom). By id, not by the
   * repair object, so a refresh that brings the same repair anew keeps it.
   */
  radiusFolded: Readonly<Record<string, string>>;
  /**
   * The repair (and version) the last committed frame's card is about; null when none. A decision key typed before
   * the frame that shows the selected repair waits for it (use-keys.ts).
   */
  cardShown: CardShown | null;
  /**
   * The repair the selection moved on to by itself after a decision (the next undecided one), until a frame's card shows
   * it: a decision key typed before then was typed on the card before, and is refused rather than made on this one
   * (use-keys.ts). Null when the operator's own keys placed the selection.
   */
  movedOnTo: string | null;
  /**
   * The repair the selection moved on to by itself, once a frame's card showed it: `at`, when (the console's monotonic
   * clock, ms), and `refused`, when the last decision key on it was refused. A decision key on it typed within a moment
   * (MOVED_ON_DWELL_MS, actions.ts) of either is refused: a double tap (or a held key), not a reading. Null once the
   * operator's own keys move the selection or open or close the card, and when no selection moved on by itself.
   */
  movedOnShown: { id: string; at: number; refused?: number } | null;
  /**
   * The terminal size the last committed frame was drawn at; null while the terminal is too small for one (App shows
   * a line instead). A dialog's keys typed before a frame of the current size wait for it (use-keys.ts): a dialog the
   * too-small line hid is shown again before it can be answered.
   */
  frameShown: { rows: number; columns: number } | null;
  /** Outcomes of this session's decisions, by repair id. */
  review: Record<string, ReviewOutcome>;
  /**
   * A decision being written, as the status line shows it ("applying rollback-stale-create:x"): further
   * decisions wait until it is done.
   */
  busy: string | null;
  /** What `busy` is writing (null when it is null). */
  deciding: Deciding | null;
  /** Background work of the live reader ("reading", "planning"): shown, blocks nothing. */
  activity: string | null;
  /**
   * Repairs a refresh added since the operator last opened the repairs view (the header marks them "+N new");
   * one that leaves the plan leaves this list.
   */
  fresh: readonly string[];
  /** What the inspect pane shows while the mode is 'inspect'. */
  inspect: Inspect | null;
  /** The repairs view shows only this bead's repairs (see Drill); any change of view ends it. */
  drill: Drill | null;
  /**
   * The repairs marked with `space`, by id, each as it was proposed when marked: `A` approves these when there
   * are any. A new plan that removes a marked repair or changes its diff drops its mark (console/marks.ts).
   */
  marks: ReadonlyMap<string, Repair>;
  /**
   * What approving each marked destructive repair touched when it was marked (its card's blast radius, as a
   * confirmation keeps it), by repair id: a refresh that changes it drops the mark as a changed diff does
   * (ui/review/marks.ts), since the operator marked it on that picture. Entries of marks gone since are never read.
   */
  markedRadius: ReadonlyMap<string, readonly string[]>;
  /**
   * Reasons typed in a reject prompt that could not record them (its diff changed or left the screen, the write was
   * refused), by repair id: the next `r` on that repair opens its prompt with the reason, the caret at its end.
   */
  reasons: ReadonlyMap<string, string>;
}

function perView<T>(make: () => T): Record<ViewId, T> {
  return Object.fromEntries(VIEW_IDS.map((v) => [v, make()])) as Record<ViewId, T>;
}

export const emptySet: ReadonlySet<string> = new Set();
export const noMarks: ReadonlyMap<string, Repair> = new Map();
export const noReasons: ReadonlyMap<string, string> = new Map();
export const noRadius: ReadonlyMap<string, readonly string[]> = new Map();

export function initialUiState(viewport: { rows: number; columns: number }): UiState {
  return {
    view: 'pools',
    mode: 'normal',
    cursors: perView((): Cursor => ({ key: null, index: 0, top: 0 })),
    filters: perView(() => ''),
    filterFrom: {},
    sorts: perView((): Sort | null => null),
    command: '',
    caret: 0,
    history: { items: [], at: null, draft: '' },
    completion: null,
    helpTop: 0,
    paused: false,
    changed: emptySet,
    message: null,
    viewport,
    card: false,
    cardScroll: { key: null, top: 0 },
    seen: null,
    changedBy: null,
    shown: noMarks,
    diffOnScreen: null,
    diffSeenLines: null,
    radiusFolded: {},
    cardShown: null,
    movedOnTo: null,
    movedOnShown: null,
    frameShown: null,
    review: {},
    busy: null,
    deciding: null,
    activity: null,
    fresh: [],
    inspect: null,
    drill: null,
    marks: noMarks,
    markedRadius: noRadius,
    reasons: noReasons,
  };
}

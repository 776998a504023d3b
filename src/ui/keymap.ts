// The one key registry. Every key the console answers to is a row here: the dispatcher resolves
// keys through it, the footer shows its hints for the focused view, and `?` help lists it all.
// To add a key: add a Binding below (its action id is then an ActionId) and a handler in actions.ts
// or review/handlers.ts (the compiler insists on the handler, and on a binding for every handler).
import type { ReviewContext } from '../console/review.js';
import { VIEW_IDS, type ViewId } from '../console/ui-state.js';

/**
 * Where a binding applies. A view scope wins over 'global' for the same key; the full-height repair
 * `card` falls back to the repairs view, then global. `confirm` (a destructive approval), `input` (a
 * typed reason), `count` (the typed count of the marked repairs, its list above it scrolled with ↓/↑/PgDn/PgUp), `bulk` (the review pane of `A` with nothing marked) and `choice` (an export format) are the
 * review dialogs, `quit` the question of `q` with repairs marked, and `inspect` the pane of `y`/`enter`: they never fall
 * through. `small` is the one line shown on a
 * terminal too small for the console: whatever mode it hides, only its keys act there (nothing the operator cannot
 * see is answered blind).
 */
export type Scope =
  | 'global'
  | ViewId
  | 'prompt'
  | 'help'
  | 'card'
  | 'confirm'
  | 'input'
  | 'count'
  | 'choice'
  | 'inspect'
  | 'bulk'
  | 'quit'
  | 'small';

/** Normalized key names: a printable character stands for itself. */
export type KeyName = string;

export interface Binding<A extends string = ActionId> {
  action: A;
  keys: readonly KeyName[];
  scope: Scope;
  /** Short footer label; bindings without one appear only in help. */
  hint?: string;
  /** What help says of it; `{scope:action}` in it is that action's first key there, `{:command}` a `:` command (helpOf), so it names no key itself. */
  help: string;
  /** A review decision: hidden and refused in --read-only. */
  decision?: boolean;
  /**
   * Acts on the selected repair only once its whole diff is on screen (the card's, or scrolled through on the full
   * card): while the card shows only part of it, neither the footer nor the card's title bar offers the key, and the
   * queue's footer offers `enter card` (the way to the rest) first.
   */
  diff?: boolean;
  /**
   * With nothing marked, opens the bulk review pane of the undecided repairs shown: where there is none to list (the
   * last one decided), or the pane is refused because it cannot show one repair's diff whole (a terminal too short for
   * it), neither the footer nor the card's title bar offers the key.
   */
  bulk?: boolean;
  /**
   * Goes to the next undecided repair (`n`, `s`): where there is none below the cursor (the last one decided, or the
   * cursor on the last undecided one) neither the footer nor the card (its title bar, its status line) offers the key.
   */
  next?: boolean;
  /**
   * Acts on the selected row (moves, its detail, its repairs, a decision on it): where the view shows no row (an empty
   * list, a filter that matches none) the footer does not offer it, and the key says so, in the same words for all.
   */
  row?: boolean;
  /**
   * Steps to another pool: where there is none to step to (a city of one pool, the one shown), the footer does not
   * offer it, and the key says so instead of showing the same pool from its top.
   */
  pools?: boolean;
  /** The footer's label while repairs are marked in the repairs view (the key then acts on the marks). */
  marked?: string;
  /**
   * A decision whose key, were it hidden in --read-only, help would show doing something else (`space` pauses in
   * every view but the repairs view): help keeps it there, saying this after its text, so it tells what the key does.
   */
  readOnlyHelp?: string;
  /**
   * Scopes of its fallback chain where the key does nothing (the trend view's chart has no rows to move or sort):
   * there it is not bound, so neither the footer nor the card offers it.
   */
  not?: readonly Scope[];
  /**
   * Moves the focus between a dialog's buttons: where the footer has no room for its label it keeps its keys alone
   * (the buttons above say what it moves between), so that the other choice is never offered without its way there.
   */
  focus?: boolean;
}

/**
 * The keys that edit a line being typed, as readline's: the same in a prompt (the filter, the `:` line) and in a
 * dialog's input (a reason, a count).
 */
function lineEditing<S extends 'prompt' | 'input' | 'count' | 'bulk'>(scope: S) {
  return [
    { scope, action: 'line-erase', keys: ['backspace'], help: 'Delete the character before the cursor' },
    { scope, action: 'line-delete', keys: ['delete', 'ctrl-d'], help: 'Delete the character under the cursor' },
    { scope, action: 'line-erase-word', keys: ['ctrl-w'], help: 'Delete the word before the cursor (as readline)' },
    { scope, action: 'line-erase-start', keys: ['ctrl-u'], help: 'Delete all before the cursor (as readline)' },
    { scope, action: 'line-kill', keys: ['ctrl-k'], help: 'Delete all from the cursor to the end (as readline)' },
    { scope, action: 'line-left', keys: ['left', 'ctrl-b'], help: 'Move the cursor one character left' },
    { scope, action: 'line-right', keys: ['right', 'ctrl-f'], help: 'Move the cursor one character right' },
    // In the bulk review pane Home and End page it, as in every pane (its count line has ^A and ^E).
    {
      scope,
      action: 'line-start',
      keys: scope === 'bulk' ? ['ctrl-a'] : ['home', 'ctrl-a'],
      help: 'Move the cursor to the start of the line',
    },
    { scope, action: 'line-end', keys: scope === 'bulk' ? ['ctrl-e'] : ['end', 'ctrl-e'], help: 'Move the cursor to the end of the line' },
  ] as const;
}

/** What a line-editing key does to the line (text-edit.ts editLine): its action. */
export type LineOp = ReturnType<typeof lineEditing>[number]['action'];

/** Every line edit, in the registry's order: each runs through one handler (actions.ts). */
export const LINE_OPS: readonly LineOp[] = lineEditing('prompt').map((b) => b.action);

/**
 * The `:` line's commands beside the views' names (`:pools`, `:slots [template]` …): each by the names it is typed
 * as, the first the one that help, `tab` and the status line say. runCommand (actions.ts) runs them; a help text
 * names one as `{:pause}` (helpOf). These are the shipped names; the registry read now has its own (Keymap.commands:
 * a test's may rename them, rebound).
 */
export const COMMANDS = {
  pool: ['pool'],
  pause: ['pause'],
  resume: ['resume'],
  help: ['help'],
  quit: ['quit', 'q', 'exit'],
} as const satisfies Record<string, readonly [string, ...string[]]>;

export type CommandId = keyof typeof COMMANDS;

/** Each command's names, the first the one said (COMMANDS). */
export type CommandNames = { readonly [id in CommandId]: readonly [string, ...string[]] };

/** The name a command is said by in the registry read now. */
export function commandName(id: CommandId): string {
  return active.commands[id][0];
}

/** A command as help and the status line say it: `:help`. */
export function commandText(id: CommandId): string {
  return `:${commandName(id)}`;
}

/** The command typed as `name` (lower case, without its `:`), if any. */
export function commandOf(name: string): CommandId | undefined {
  const { commands } = active;
  return (Object.keys(commands) as CommandId[]).find((id) => commands[id].includes(name));
}

/** Where the help of `:` lists the commands (helpOf): their names are the registry's. */
const COMMANDS_IN_HELP = '{commands}';

/** The help of `:`: every command, the views' in their order, `:pool` after `:slots`, whose argument it takes. */
function commandsHelp(): string {
  const views = VIEW_IDS.flatMap((v) => (v === 'slots' ? ['slots [template]', `${commandName('pool')} <template>`] : [v]));
  const rest = (['pause', 'resume', 'help', 'quit'] as const).map(commandName);
  return `Command: ${[...views, ...rest].join(', ')}`;
}

/**
 * The keys that scroll a pane of lines, as a pager's: the same in the inspect pane and in help. Their actions are
 * the scope's own (`inspect-down`, `help-down`, …); `what` names the pane in the help texts (help's say "Scroll
 * help down one line", "Go to the first line of help"; the inspect pane's name none).
 */
function scrolling<S extends 'inspect' | 'help' | 'bulk'>(scope: S, what?: string) {
  const scroll = what ? `Scroll ${what}` : 'Scroll';
  const line = what ? ` of ${what}` : '';
  return [
    { scope, action: `${scope}-down`, keys: ['j', 'down'], hint: 'scroll', help: `${scroll} down one line` },
    { scope, action: `${scope}-up`, keys: ['k', 'up'], help: `${scroll} up one line` },
    { scope, action: `${scope}-page-down`, keys: ['pgdn', 'space'], hint: 'page', help: `${scroll} down one page` },
    { scope, action: `${scope}-page-up`, keys: ['pgup'], help: `${scroll} up one page` },
    { scope, action: `${scope}-top`, keys: ['g', 'home'], help: `Go to the first line${line}` },
    { scope, action: `${scope}-bottom`, keys: ['G', 'end'], help: `Go to the last line${line}` },
  ] as const;
}

/**
 * ctrl-z, from everywhere (a dialog too: what is typed in it waits for `fg`), as less and vim answer it. No hint:
 * the footer keeps its room for the view's keys.
 */
function suspending<S extends Scope>(scope: S) {
  return {
    scope,
    action: 'suspend',
    keys: ['ctrl-z'],
    help: 'Suspend to the shell (job control); fg brings the console back as it was',
  } as const;
}

const TABLE = [
  // Views first: they are what the footer shows first.
  {
    scope: 'repairs',
    action: 'approve',
    row: true,
    keys: ['a'],
    hint: 'approve',
    help: 'Approve the selected repair, its whole diff on screen: a locked compare-and-set write (closing/unassigning ones ask to confirm)',
    decision: true,
    diff: true,
  },
  {
    scope: 'repairs',
    action: 'reject',
    row: true,
    keys: ['r'],
    hint: 'reject',
    help: 'Reject the selected repair, its whole diff on screen (optional reason); it is withheld until its facts change',
    decision: true,
    diff: true,
  },
  {
    scope: 'repairs',
    action: 'skip',
    row: true,
    keys: ['s'],
    hint: 'skip',
    // Not a decision: it writes nothing, so it works in --read-only too.
    help: 'Leave the selected repair undecided and go to the next undecided one',
    next: true,
  },
  {
    scope: 'repairs',
    action: 'next-undecided',
    row: true,
    keys: ['n'],
    hint: 'next',
    help: 'Jump to the next undecided repair',
    next: true,
  },
  { scope: 'repairs', action: 'prev-undecided', row: true, keys: ['p'], help: 'Jump to the previous undecided repair' },
  {
    scope: 'repairs',
    action: 'open-card',
    row: true,
    keys: ['enter'],
    hint: 'card',
    not: ['card'],
    help: 'Open the repair card full height ({card:close-card} goes back)',
  },
  {
    scope: 'repairs',
    action: 'approve-all',
    keys: ['A'],
    hint: 'approve all',
    marked: 'approve marked',
    help: 'Approve the marked repairs after typing their count; with none marked, review every undecided repair shown under the filter, each with its diff, then type their count',
    decision: true,
    bulk: true,
  },
  {
    scope: 'repairs',
    action: 'mark',
    row: true,
    keys: ['space'],
    hint: 'mark',
    help: 'Mark or unmark the selected undecided repair, its whole diff on screen, and move down; {repairs:approve-all} then approves the marked ones ({repairs:clear-filter} clears)',
    decision: true,
    diff: true,
    readOnlyHelp: 'Refused in --read-only, and {repairs:mark} does not pause here either ({:pause} does)',
  },
  {
    scope: 'repairs',
    action: 'reopen',
    row: true,
    keys: ['o'],
    hint: 'reopen',
    help: 'Reopen a rejected repair: it is proposed again',
    decision: true,
  },
  {
    scope: 'repairs',
    action: 'repair-bead',
    row: true,
    keys: ['b'],
    hint: 'bead',
    help: "Go to the selected repair's bead: its row in the slots view (a session bead) or the work view",
  },
  { scope: 'card', action: 'close-card', keys: ['esc'], hint: 'back', help: 'Close the card (back to the queue)' },
  { scope: 'card', action: 'card-down', keys: ['j', 'down'], hint: 'scroll', help: 'Scroll the card down one line' },
  { scope: 'card', action: 'card-up', keys: ['k', 'up'], help: 'Scroll the card up one line' },
  { scope: 'card', action: 'card-page-down', keys: ['pgdn'], help: 'Scroll the card down one page' },
  { scope: 'card', action: 'card-page-up', keys: ['pgup'], help: 'Scroll the card up one page' },
  { scope: 'pools', action: 'open-pool', row: true, keys: ['enter'], hint: 'slots', help: 'Open the slots of the selected pool' },
  {
    scope: 'pools',
    action: 'bead-repairs',
    row: true,
    keys: ['r'],
    // No hint: at 100 columns it would push `space pause` out of the pools footer (help lists it).
    help: 'Show only the repairs of the selected pool ({repairs:clear-filter} goes back)',
  },
  {
    scope: 'slots',
    action: 'inspect-row',
    row: true,
    keys: ['enter'],
    hint: 'detail',
    help: 'Open the detail of the selected slot in a pane that scrolls',
  },
  {
    scope: 'aliases',
    action: 'inspect-row',
    row: true,
    keys: ['enter'],
    hint: 'detail',
    help: 'Open the detail of the selected alias in a pane that scrolls',
  },
  {
    scope: 'templates',
    action: 'inspect-row',
    row: true,
    keys: ['enter'],
    hint: 'detail',
    help: 'Open the detail of the selected template in a pane that scrolls',
  },
  {
    scope: 'work',
    action: 'inspect-row',
    row: true,
    keys: ['enter'],
    hint: 'detail',
    help: 'Open the detail of the selected work item in a pane that scrolls',
  },
  {
    scope: 'findings',
    action: 'inspect-row',
    row: true,
    keys: ['enter'],
    hint: 'detail',
    help: 'Open the detail of the selected finding in a pane that scrolls',
  },
  {
    scope: 'audit',
    action: 'inspect-row',
    row: true,
    keys: ['enter'],
    hint: 'detail',
    help: "Open the selected entry in full in a pane that scrolls: every change, the operator's note and why the repair, a gc write's calls and answers",
  },
  {
    scope: 'slots',
    action: 'prev-pool',
    pools: true,
    keys: ['['],
    hint: 'prev pool',
    help: 'Show the previous pool (from a pool gone from the config: the one before its place)',
  },
  {
    scope: 'slots',
    action: 'next-pool',
    pools: true,
    keys: [']'],
    hint: 'next pool',
    help: 'Show the next pool (from a pool gone from the config: the one at its place)',
  },
  {
    scope: 'slots',
    action: 'bead-repairs',
    row: true,
    keys: ['r'],
    hint: 'repairs',
    help: 'Show only the repairs of the selected slot ({repairs:clear-filter} goes back)',
  },
  {
    scope: 'aliases',
    action: 'bead-repairs',
    row: true,
    keys: ['r'],
    hint: 'repairs',
    help: "Show only the repairs of the selected alias's holder ({repairs:clear-filter} goes back)",
  },
  {
    scope: 'work',
    action: 'bead-repairs',
    row: true,
    keys: ['r'],
    hint: 'repairs',
    help: 'Show only the repairs of the selected work item ({repairs:clear-filter} goes back)',
  },
  {
    scope: 'findings',
    action: 'bead-repairs',
    row: true,
    keys: ['r'],
    hint: 'repairs',
    help: "Show only the repairs of the selected finding's bead ({repairs:clear-filter} goes back)",
  },

  { scope: 'global', action: 'move-down', row: true, not: ['trend'], keys: ['j', 'down'], hint: 'move', help: 'Move down one row' },
  { scope: 'global', action: 'move-up', row: true, not: ['trend'], keys: ['k', 'up'], help: 'Move up one row' },
  { scope: 'global', action: 'top', row: true, not: ['trend'], keys: ['g', 'home'], help: 'Go to the first row' },
  { scope: 'global', action: 'bottom', row: true, not: ['trend'], keys: ['G', 'end'], help: 'Go to the last row' },
  { scope: 'global', action: 'page-down', row: true, not: ['trend'], keys: ['pgdn'], help: 'Scroll down one page' },
  { scope: 'global', action: 'page-up', row: true, not: ['trend'], keys: ['pgup'], help: 'Scroll up one page' },
  { scope: 'global', action: 'filter', keys: ['/'], hint: 'filter', help: 'Filter the rows of this view (every word must match)' },
  {
    scope: 'global',
    action: 'clear-filter',
    keys: ['esc'],
    help: "Clear the filter of this view; with none: back from one bead's repairs, else the repairs view's marks, or from slots to pools",
  },
  {
    scope: 'global',
    action: 'command',
    keys: [':'],
    hint: 'cmd',
    help: COMMANDS_IN_HELP,
  },
  { scope: 'global', action: 'view-pools', keys: ['1'], help: 'Pools view' },
  {
    scope: 'global',
    action: 'view-slots',
    keys: ['2'],
    help: "Slots of the selected row's pool, on its bead's slot (a row with none: the pools view's pool)",
  },
  { scope: 'global', action: 'view-aliases', keys: ['3'], help: 'Aliases view' },
  { scope: 'global', action: 'view-templates', keys: ['4'], help: 'Templates view' },
  { scope: 'global', action: 'view-work', keys: ['5'], help: 'Work view (cross-template and orphaned work)' },
  { scope: 'global', action: 'view-repairs', keys: ['6'], help: 'Repairs view (the review queue)' },
  { scope: 'global', action: 'view-audit', keys: ['7'], help: 'Audit view (the audit log, newest first)' },
  { scope: 'global', action: 'view-findings', keys: ['8'], help: 'Findings view (what the engine reports but must not change)' },
  { scope: 'global', action: 'view-trend', keys: ['9'], help: 'Trend view (the figures over this run and earlier ones)' },
  {
    scope: 'global',
    action: 'raw',
    row: true,
    not: ['trend'],
    keys: ['y'],
    help: 'Show the raw bead of the selected row as JSON (a pool or template row: its agent config), in a pane that scrolls',
  },
  {
    scope: 'global',
    action: 'copy-id',
    row: true,
    not: ['trend'],
    keys: ['c'],
    help: 'Copy the id of the selected row (a repair, an audit entry: its bead; an alias: its holder) to the clipboard, sanitized (OSC 52)',
  },
  {
    scope: 'global',
    action: 'export',
    keys: ['e'],
    help: 'Export a snapshot (md, json or csv): next to a store file; for a city, into its .gc/gc-tui/',
  },
  { scope: 'global', action: 'export-view', keys: ['E'], help: 'Export the rows this view shows (csv or md)' },
  { scope: 'global', action: 'next-view', keys: ['tab'], hint: 'view', help: 'Next view' },
  { scope: 'global', action: 'prev-view', keys: ['shift-tab'], help: 'Previous view' },
  {
    scope: 'global',
    action: 'pause',
    keys: ['space'],
    hint: 'pause',
    help: 'Pause / resume live updates (rows changed meanwhile are marked *); in the repairs view {repairs:mark} marks, and {:pause} pauses',
  },
  // After pause: the first hints a narrow footer drops (help and quit always stay).
  {
    scope: 'global',
    action: 'sort-next',
    not: ['trend'],
    keys: ['>'],
    hint: 'sort',
    help: "Sort by the next column to the right (past the last: the view's own order)",
  },
  { scope: 'global', action: 'sort-prev', not: ['trend'], keys: ['<'], help: 'Sort by the next column to the left' },
  { scope: 'global', action: 'sort-reverse', not: ['trend'], keys: ['I'], help: 'Reverse the sort (ascending ↔ descending)' },
  { scope: 'global', action: 'help', keys: ['?'], hint: 'help', help: 'Show this help' },
  {
    scope: 'global',
    action: 'quit-ask',
    keys: ['q'],
    hint: 'quit',
    help: 'Quit (restores the terminal; never writes); with repairs marked, asks first, as their marks would be lost',
  },
  {
    scope: 'global',
    action: 'quit',
    keys: ['ctrl-c'],
    help: 'Quit at once, never asking: marks are dropped (stderr says how many); nothing is written',
  },
  suspending('global'),

  { scope: 'prompt', action: 'prompt-accept', keys: ['enter'], hint: 'apply', help: 'Apply the filter or run the command' },
  {
    scope: 'prompt',
    action: 'prompt-cancel',
    keys: ['esc'],
    hint: 'cancel',
    help: 'Cancel (a cancelled filter is cleared, the cursor back on the row it was on)',
  },
  ...lineEditing('prompt'),
  { scope: 'prompt', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (what is typed is dropped; nothing is written)' },
  suspending('prompt'),
  { scope: 'prompt', action: 'prompt-history-prev', keys: ['up'], help: 'Command line: recall the previous command of this session' },
  {
    scope: 'prompt',
    action: 'prompt-history-next',
    keys: ['down'],
    help: 'Command line: recall the next command (past the newest: the line being typed)',
  },
  {
    scope: 'prompt',
    action: 'prompt-complete',
    keys: ['tab'],
    help: 'Command line: complete the command name (after slots or pool: the pool name)',
  },

  {
    scope: 'confirm',
    action: 'confirm-choose',
    keys: ['enter'],
    hint: 'choose',
    help: 'Do what the focused button says (Cancel is focused first)',
  },
  {
    scope: 'confirm',
    action: 'confirm-next',
    keys: ['tab', 'right'],
    hint: 'focus',
    focus: true,
    help: 'Move the focus to the next button',
  },
  { scope: 'confirm', action: 'confirm-prev', keys: ['shift-tab', 'left'], help: 'Move the focus to the previous button' },
  { scope: 'confirm', action: 'confirm-cancel', keys: ['esc'], hint: 'cancel', help: 'Cancel: nothing is written' },
  { scope: 'confirm', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (the approval is not made; nothing is written)' },
  suspending('confirm'),

  { scope: 'input', action: 'input-accept', keys: ['enter'], hint: 'ok', help: 'Submit what is typed' },
  { scope: 'input', action: 'input-cancel', keys: ['esc'], hint: 'cancel', help: 'Cancel: nothing is written' },
  ...lineEditing('input'),
  { scope: 'input', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (what is typed is dropped; nothing is written)' },
  suspending('input'),

  // The count of the marked repairs: every printable key is typed, so only the arrows and page keys scroll their list.
  {
    scope: 'count',
    action: 'input-accept',
    keys: ['enter'],
    hint: 'ok',
    help: 'Approve the marked repairs, once their count is typed',
  },
  { scope: 'count', action: 'input-cancel', keys: ['esc'], hint: 'cancel', help: 'Cancel: nothing is approved' },
  {
    scope: 'count',
    action: 'marked-down',
    keys: ['down'],
    hint: 'scroll',
    help: 'Scroll the list of the marked repairs down one line (when they do not all fit)',
  },
  { scope: 'count', action: 'marked-up', keys: ['up'], help: 'Scroll the list of the marked repairs up one line' },
  { scope: 'count', action: 'marked-page-down', keys: ['pgdn'], hint: 'page', help: 'Scroll the list of the marked repairs down one page' },
  { scope: 'count', action: 'marked-page-up', keys: ['pgup'], help: 'Scroll the list of the marked repairs up one page' },
  ...lineEditing('count'),
  { scope: 'count', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (nothing is approved; nothing is written)' },
  suspending('count'),

  { scope: 'choice', action: 'choice-accept', keys: ['enter'], hint: 'export', help: 'Export in the focused format' },
  { scope: 'choice', action: 'choice-next', keys: ['tab', 'right', 'down'], hint: 'format', focus: true, help: 'Focus the next format' },
  { scope: 'choice', action: 'choice-prev', keys: ['shift-tab', 'left', 'up'], help: 'Focus the previous format' },
  { scope: 'choice', action: 'choice-cancel', keys: ['esc'], hint: 'cancel', help: 'Cancel the export' },
  { scope: 'choice', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (no export is made; nothing is written)' },
  suspending('choice'),

  {
    scope: 'bulk',
    action: 'bulk-accept',
    keys: ['enter'],
    hint: 'approve',
    help: 'Approve the listed repairs: once every line has been on screen, and their count is typed',
  },
  { scope: 'bulk', action: 'bulk-cancel', keys: ['esc'], hint: 'cancel', help: 'Leave the pane: nothing is approved' },
  ...scrolling('bulk'),
  ...lineEditing('bulk'),
  { scope: 'bulk', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (nothing is approved; nothing is written)' },
  suspending('bulk'),

  {
    scope: 'quit',
    action: 'quit',
    keys: ['y', 'ctrl-c'],
    hint: 'quit',
    help: 'Quit: the marks are dropped, nothing is approved or written',
  },
  { scope: 'quit', action: 'quit-cancel', keys: ['n', 'esc'], hint: 'stay', help: 'Stay: the marks are kept' },
  suspending('quit'),

  { scope: 'inspect', action: 'inspect-close', keys: ['esc', 'q', 'y'], hint: 'close', help: 'Close the pane (back to the list)' },
  ...scrolling('inspect'),
  { scope: 'inspect', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (from the pane; nothing is written)' },
  suspending('inspect'),
  {
    scope: 'inspect',
    action: 'inspect-reload',
    keys: ['R'],
    hint: 'reload',
    help: 'Reload the pane from the data now (it is a snapshot of when it was opened; it says when that changed), and say what changed since, or that nothing did',
  },

  { scope: 'help', action: 'help-close', keys: ['?', 'esc', 'q'], hint: 'close', help: 'Close help' },
  ...scrolling('help', 'help'),
  { scope: 'help', action: 'quit', keys: ['ctrl-c'], help: 'Quit the console (from the help; nothing is written)' },
  suspending('help'),

  {
    scope: 'small',
    action: 'quit',
    keys: ['q', 'ctrl-c'],
    help: 'Quit the console (a dialog or prompt it hides is not answered; nothing is written)',
  },
  suspending('small'),
] as const satisfies readonly Binding<string>[];

/** What a key can do: the actions of the bindings above, and nothing else. */
export type ActionId = (typeof TABLE)[number]['action'];

/** The registry's rows as shipped: the console runs on these unless a keymap is installed (installKeymap). */
export const BINDINGS: readonly Binding[] = TABLE;

/** What a key handler works on: the console state, the services beside it, and the way out. */
export interface ActionContext extends ReviewContext {
  exit(): void;
  /** ctrl-z: suspend to the shell (use-keys.ts); absent, ctrl-z says it is not available. */
  suspend?(): void;
  /** The console's monotonic clock, ms (hooks/use-now.ts: a test's App moves it); absent, performance.now. */
  now?(): number;
}

export type Handler = (ctx: ActionContext) => void;

/** The scopes a key falls through from, to the global one: the views (and the card, through the repairs view). */
const OPEN: ReadonlySet<Scope> = new Set<Scope>([...VIEW_IDS, 'card']);

/** The scopes a key is looked up in, in order. */
function chain(scope: Scope): Scope[] {
  if (scope === 'card') return ['card', 'repairs', 'global'];
  return OPEN.has(scope) ? [scope, 'global'] : [scope];
}

/**
 * A registry made from rows: its key index, built once. The console has one (`BINDINGS`); a test can make another
 * from changed rows (rebound) and install it, leaving the shipped rows as they are.
 */
export interface Keymap {
  readonly bindings: readonly Binding[];
  /** The `:` commands' names. */
  readonly commands: CommandNames;
  /** The binding `key` has in `scope` itself (no fallback). */
  at(scope: Scope, key: KeyName): Binding | undefined;
}

export function createKeymap(bindings: readonly Binding[], commands: CommandNames = COMMANDS): Keymap {
  const named = new Map<string, CommandId>();
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    for (const name of commands[id]) {
      // runCommand lower-cases what is typed and takes a view's name first.
      if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`keymap: :${id} is named ${JSON.stringify(name)}, which cannot be typed as one`);
      if ((VIEW_IDS as readonly string[]).includes(name)) throw new Error(`keymap: :${id} is named ${name}, a view's name`);
      const other = named.get(name);
      if (other) throw new Error(`keymap: ${name} names both :${other} and :${id}`);
      named.set(name, id);
    }
  }
  const index = new Map<string, Binding>();
  for (const b of bindings) {
    for (const k of b.keys) {
      const id = `${b.scope}\u0000${k}`;
      if (index.has(id)) throw new Error(`keymap: ${k} is bound twice in scope ${b.scope}`);
      index.set(id, b);
    }
  }
  for (const b of bindings) {
    for (const [, scope, action] of `${b.help} ${b.readOnlyHelp ?? ''}`.matchAll(KEY_IN_HELP))
      if (!chain(scope as Scope).some((s) => bindings.some((x) => x.scope === s && x.action === action)))
        throw new Error(`keymap: the help of ${b.action} names {${scope}:${action}}, which is not bound`);
    for (const [, id] of `${b.help} ${b.readOnlyHelp ?? ''}`.matchAll(COMMAND_IN_HELP))
      if (!Object.hasOwn(COMMANDS, id)) throw new Error(`keymap: the help of ${b.action} names {:${id}}, which is no command`);
  }
  return { bindings, commands, at: (scope, key) => index.get(`${scope}\u0000${key}`) };
}

/** A key named in a help text: `{repairs:approve-all}`. */
const KEY_IN_HELP = /\{([a-z]+):([a-z-]+)\}/g;

/** A command named in a help text: `{:pause}`. */
const COMMAND_IN_HELP = /\{:([a-z]+)\}/g;

/** A help text with the keys and commands it names read from the registry (`{card:close-card} goes back` → `esc goes back`). */
export function helpOf(text: string): string {
  return text
    .replace(COMMANDS_IN_HELP, commandsHelp)
    .replace(KEY_IN_HELP, (_, scope: string, action: string) => firstKey(scope as Scope, action as ActionId))
    .replace(COMMAND_IN_HELP, (_, id: string) => commandText(id as CommandId));
}

const SHIPPED = createKeymap(BINDINGS);
let active: Keymap = SHIPPED;

/** The registry the console reads now: the shipped one, or the one installed. */
export function keymap(): Keymap {
  return active;
}

/**
 * Make `km` the registry every key, footer, help line and sentence reads; returns what puts the one before it back.
 * For tests that rename a key (the console itself never calls it): their harness installs it before the first
 * frame, and every ui test file's setup puts the shipped one back after each test (test/support/keymap-reset.ts), so
 * nothing renamed outlives its test.
 */
export function installKeymap(km: Keymap): () => void {
  const was = active;
  active = km;
  return () => {
    if (active === km) active = was;
  };
}

/** Back to the shipped registry. */
export function resetKeymap(): void {
  active = SHIPPED;
}

/**
 * A change to one row of a registry (its scope and action name it): new keys, a new footer label, or both; or to
 * the names one `:` command is typed as (the first the one said).
 */
export type Rebinding =
  | { scope: Scope; action: ActionId; keys?: readonly KeyName[]; hint?: string }
  | { command: CommandId; names: readonly [string, ...string[]] };

/** The rows and commands of `base` with `changes` made, as new ones (`base` and its rows are left as they are). */
export function rebound(changes: readonly Rebinding[], base: Keymap = SHIPPED): Keymap {
  const keyed = changes.filter((c): c is Extract<Rebinding, { scope: Scope }> => 'scope' in c);
  const bindings = base.bindings.map((b) => {
    const c = keyed.find((x) => x.scope === b.scope && x.action === b.action);
    return c ? { ...b, ...(c.keys ? { keys: c.keys } : {}), ...(c.hint !== undefined ? { hint: c.hint } : {}) } : b;
  });
  for (const c of keyed)
    if (!base.bindings.some((b) => b.scope === c.scope && b.action === c.action))
      throw new Error(`keymap: no ${c.action} in scope ${c.scope}`);
  const commands: Record<CommandId, readonly [string, ...string[]]> = { ...base.commands };
  for (const c of changes) if ('command' in c) commands[c.command] = c.names;
  return createKeymap(bindings, commands);
}

/**
 * The binding a key triggers in a scope; views fall back to the global scope. In read-only mode the
 * review decisions are not bound at all (the dispatcher says why nothing happened).
 */
export function resolve(key: KeyName, scope: Scope, readOnly = false): Binding | undefined {
  for (const s of chain(scope)) {
    const b = active.at(s, key);
    if (b && !b.not?.includes(scope)) return readOnly && b.decision ? undefined : b;
  }
  return undefined;
}

const LABELS: Record<string, string> = {
  down: '↓',
  up: '↑',
  pgdn: 'PgDn',
  pgup: 'PgUp',
  enter: 'enter',
  esc: 'esc',
  space: 'space',
  tab: 'tab',
  'shift-tab': 'S-tab',
  home: 'Home',
  end: 'End',
  backspace: '⌫',
  delete: 'Del',
  left: '←',
  right: '→',
};

export function keyLabel(k: KeyName): string {
  const ctrl = /^ctrl-([a-z])$/.exec(k);
  return LABELS[k] ?? (ctrl ? `^${ctrl[1].toUpperCase()}` : k);
}

export function bindingKeys(b: Binding): string {
  return b.keys.map(keyLabel).join('/');
}

/** The number keys that pick a view, as the footer shows them: one per view in VIEW_IDS. */
export const VIEW_KEYS = `1-${VIEW_IDS.length}`;

/** A footer hint: its keys as shown, its label, and what the binding says of it (see Binding). */
export interface Hint {
  keys: string;
  hint: string;
  action?: ActionId;
  marked?: string;
  diff?: boolean;
  bulk?: boolean;
  next?: boolean;
  row?: boolean;
  pools?: boolean;
  focus?: boolean;
}

/**
 * Footer hints for a scope: its own bindings first, then the global ones (for views), each with its action (the number
 * keys, one hint for all views: none). Read-only hides decisions.
 */
export function hintsFor(scope: Scope, readOnly = false): Hint[] {
  // Asked on every frame and every change of the console's state (the footer's selectors): made once per registry.
  let kept = hintsKept.get(active);
  if (!kept) hintsKept.set(active, (kept = new Map()));
  const key = `${scope}\u0000${readOnly}`;
  let hints = kept.get(key);
  if (!hints) kept.set(key, (hints = Object.freeze(makeHints(scope, readOnly)) as Hint[]));
  return hints;
}

/** hintsFor's answers, per registry (one never changes once made) and scope. Frozen: every caller only reads them. */
const hintsKept = new WeakMap<Keymap, Map<string, Hint[]>>();

function makeHints(scope: Scope, readOnly: boolean): Hint[] {
  const out: Hint[] = [];
  const scopes = chain(scope);
  // A key an earlier scope of the chain binds never reaches a later one: its hint there would be false
  // (in the repairs view `space` marks, so the global `space pause` is not offered).
  // A binding not bound in this scope (`not`) shadows nothing.
  const bound = (s: Scope, k: KeyName) => {
    const b = active.at(s, k);
    return b !== undefined && !b.not?.includes(scope);
  };
  const shadows = (b: Binding, k: KeyName) => scopes.slice(0, scopes.indexOf(b.scope)).some((s) => bound(s, k));
  const add = (s: Scope) => {
    for (const b of active.bindings) {
      if (b.scope !== s || !b.hint || (readOnly && b.decision) || b.not?.includes(scope)) continue;
      const keys = b.keys.filter((k) => !shadows(b, k));
      if (keys.length > 0)
        out.push({
          keys: keys.map(keyLabel).join('/'),
          hint: b.hint,
          action: b.action,
          ...(b.marked ? { marked: b.marked } : {}),
          ...(b.diff ? { diff: true } : {}),
          ...(b.bulk ? { bulk: true } : {}),
          ...(b.next ? { next: true } : {}),
          ...(b.row ? { row: true } : {}),
          ...(b.pools ? { pools: true } : {}),
          ...(b.focus ? { focus: true } : {}),
        });
    }
  };
  for (const s of scopes) {
    if (s === 'global' && scopes.length > 1) out.push({ keys: VIEW_KEYS, hint: 'views' });
    add(s);
  }
  return out;
}

/**
 * The hint of `action` in `scope` as the footer shows it (`a approve`: its keys there, then its label), for a line
 * that names the key elsewhere (the card's status line): renaming the key or its label here renames it there too.
 * '' where the scope offers no hint for it.
 */
export function hintText(scope: Scope, action: ActionId): string {
  const h = hintsFor(scope).find((x) => x.action === action);
  return h ? `${h.keys} ${h.hint}` : '';
}

/** The keys of `action`'s hint in `scope` as the footer shows them (`a`), for a sentence that names them ('' where none). */
export function hintKeys(scope: Scope, action: ActionId): string {
  return hintsFor(scope).find((x) => x.action === action)?.keys ?? '';
}

/** The binding of `action` where `scope` answers it, through its fallback chain (undefined where it does not). */
function bindingOf(scope: Scope, action: ActionId): Binding | undefined {
  for (const s of chain(scope)) {
    const b = active.bindings.find((x) => x.scope === s && x.action === action && !x.not?.includes(scope));
    if (b) return b;
  }
  return undefined;
}

/**
 * The first key of `action` where `scope` answers it (through its fallback chain), as the footer labels it (`j`,
 * `enter`), for a sentence that names the key (`j/k scroll`, `o reopens it`); '' where the scope does not bind it.
 */
export function firstKey(scope: Scope, action: ActionId): string {
  const b = bindingOf(scope, action);
  return b ? keyLabel(b.keys[0]) : '';
}

/** Every key of `action` where `scope` answers it, as the footer labels them (`?`, `esc`, `q`); none where it does not. */
export function keyLabels(scope: Scope, action: ActionId): string[] {
  return keyNames(scope, action).map(keyLabel);
}

/** The key names of `action` where `scope` answers it, for code that must treat those keys apart (use-keys.ts). */
export function keyNames(scope: Scope, action: ActionId): readonly KeyName[] {
  return bindingOf(scope, action)?.keys ?? [];
}

/**
 * The dialogs only a review decision opens (a destructive approval's confirm; a reason, a count; the question of `q`
 * with marks): none in read-only.
 */
const DECISION_DIALOGS: ReadonlySet<Scope> = new Set<Scope>(['confirm', 'input', 'count', 'bulk', 'quit']);

/**
 * The help overlay's sections, in registry order (read-only leaves the decisions out, and the dialogs they open, but
 * for a decision with `readOnlyHelp`, which it lists saying so).
 * Opened from a `view` (or the full card), it leaves out what that place does not bind (`not`), as its footer does: the
 * help of the trend view offers no key that does nothing there. And it lists that place's keys first, as they act
 * there: the scopes its keys fall through (the card, the repairs view, everywhere), each without the keys an earlier
 * one takes, so opened from the card it says `j` scrolls the card, never that it moves a row.
 */
export function helpSections(readOnly = false, view?: Scope): { scope: Scope; bindings: Binding[] }[] {
  const order: Scope[] = [
    'global',
    'pools',
    'slots',
    'aliases',
    'templates',
    'work',
    'repairs',
    'card',
    'audit',
    'findings',
    'inspect',
    'prompt',
    'help',
    'confirm',
    'input',
    'count',
    'bulk',
    'choice',
    'quit',
    'small',
  ];
  const here = view ? chain(view) : [];
  const taken = (scope: Scope, k: KeyName) =>
    here.includes(scope) &&
    here.slice(0, here.indexOf(scope)).some((s) => {
      const b = active.at(s, k);
      return b !== undefined && !(view && b.not?.includes(view));
    });
  return [...here, ...order.filter((s) => !here.includes(s))]
    .map((scope) => ({
      scope,
      bindings: active.bindings
        .filter((b) => b.scope === scope && !(readOnly && b.decision && !b.readOnlyHelp) && !(view && b.not?.includes(view)))
        .map((b) => ({ ...b, keys: b.keys.filter((k) => !taken(scope, k)) }))
        .filter((b) => b.keys.length > 0)
        .map((b) => ({ ...b, help: helpOf(readOnly && b.readOnlyHelp ? `${b.help}. ${b.readOnlyHelp}` : b.help) })),
    }))
    .filter((s) => s.bindings.length > 0 && !(readOnly && DECISION_DIALOGS.has(s.scope)));
}

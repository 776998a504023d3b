// Text typed into a prompt: one reducer for every line the operator types (the filter, a `:` command, a
// rejection reason, the count of a bulk approval), and where the current mode keeps that line.
import type { AppStore } from '../console/state.js';
import { dialogOf, type CommandHistory, type Completion, type UiState } from '../console/ui-state.js';
import { firstKey, type KeyName, type LineOp } from './keymap.js';
import { followFilter } from './cursor.js';
import { pastedLine } from './terminal-input.js';
import { graphemes } from './text.js';

/** The longest rejection reason one can type. */
export const MAX_REASON = 500;

/**
 * A line being typed and its caret: how many characters stand after the caret (0: at the end). A character is what a
 * reader sees as one (graphemes: an accented letter, a flag, an emoji family), not a code point.
 */
export interface LineEdit {
  text: string;
  caret: number;
}

/**
 * What is done to a line being typed: a line edit, as the registry binds it to keys (keymap lineEditing), or a key typed
 * (`typed`), which goes in when it is a printable character (space included).
 */
export type LineChange = LineOp | { typed: KeyName };

/**
 * A change to a line with its caret, as readline makes it: a printable character goes in at the caret unless the line
 * is `max` long; `line-erase` deletes the character before the caret and `line-delete` the one under it,
 * `line-erase-word` the word before the caret (and the spaces after that word), `line-erase-start` all before the
 * caret, `line-kill` all after it; `line-left`/`line-right` move the caret a character, `line-start`/`line-end` to the
 * ends. Null when a key typed is no character (up, tab, esc, a control key the registry does not bind to an edit).
 */
export function editLine(line: LineEdit, change: LineChange, max = Infinity): LineEdit | null {
  const chars = graphemes(line.text);
  const at = chars.length - Math.min(Math.max(line.caret, 0), chars.length);
  const before = chars.slice(0, at);
  const after = chars.slice(at);
  const made = (b: readonly string[], a: readonly string[]): LineEdit => ({ text: b.join('') + a.join(''), caret: a.length });
  if (typeof change === 'object') {
    const ch = change.typed === 'space' ? ' ' : change.typed;
    if ([...ch].length !== 1 || ch < ' ') return null;
    return line.text.length >= max ? made(before, after) : made([...before, ch], after);
  }
  switch (change) {
    case 'line-erase':
      return made(before.slice(0, -1), after);
    case 'line-delete':
      return made(before, after.slice(1));
    case 'line-erase-word':
      return made([...before.join('').replace(/\S*\s*$/, '')], after);
    case 'line-erase-start':
      return made([], after);
    case 'line-kill':
      return made(before, []);
    case 'line-left':
      return made(before.slice(0, -1), [...before.slice(-1), ...after]);
    case 'line-right':
      return made([...before, ...after.slice(0, 1)], after.slice(1));
    case 'line-start':
      return made([], chars);
    case 'line-end':
      return made(chars, []);
  }
}

/** A change at the end of a line (editLine with the caret there): the new text, or null when no edit. */
export function editText(text: string, change: LineChange, max = Infinity): string | null {
  return editLine({ text, caret: 0 }, change, max)?.text ?? null;
}

/** The line the current mode types into: its text, its limit, and the UI patch that puts a new text there. */
export interface Prompt {
  text: string;
  max?: number;
  /** The line takes digits alone: the count of `A`'s review pane, whose other keys scroll it. */
  digits?: boolean;
  patch(text: string): Partial<UiState>;
}

/** The open prompt: the filter, the `:` command, or the text of the reason or count dialog; null when none. */
export function promptOf(ui: UiState): Prompt | null {
  if (ui.mode === 'filter') return { text: ui.filters[ui.view], patch: (text) => ({ filters: { ...ui.filters, [ui.view]: text } }) };
  if (ui.mode === 'command') return { text: ui.command, patch: (text) => ({ command: text }) };
  const d = dialogOf(ui.mode);
  if (d?.kind === 'reason') return { text: d.text, max: MAX_REASON, patch: (text) => ({ mode: { ...d, text } }) };
  if (d?.kind === 'count') return { text: d.text, patch: (text) => ({ mode: { ...d, text } }) };
  if (d?.kind === 'bulk') return { text: d.text, digits: true, patch: (text) => ({ mode: { ...d, text } }) };
  return null;
}

/** Where a paste went: into the open prompt (`cut` at its limit or not), or nowhere, and why (`ignored`). */
export type Pasted = { cut: boolean; max?: number } | { ignored: string };

/** Why a paste went nowhere, as the status line says it: no prompt was open, or the count line of `A`'s pane was. */
export const PASTE_IGNORED = {
  noPrompt: () =>
    `paste ignored: text is pasted only into a prompt (${firstKey('global', 'filter')} filter, ${firstKey('global', 'command')} command, a reason, a count)`,
  digits: () => 'paste ignored: the count takes digits only',
};

/**
 * Pasted text into the open prompt's line at its caret, as one line (pastedLine: no line breaks, escapes or controls), up to
 * the prompt's limit, in one change: whether it was cut at that limit. Ignored (never read as keys) when no prompt is
 * open, and in a line of digits alone (the count of `A`'s pane) unless it is a number, blanks around it dropped: its
 * digits are never picked out of other text.
 */
export function pastePrompt(store: AppStore, pasted: string): Pasted {
  const ui = store.getState().ui;
  const p = promptOf(ui);
  if (!p) return { ignored: PASTE_IGNORED.noPrompt() };
  let line = [...pastedLine(pasted)];
  if (p.digits) {
    const number = line.join('').trim();
    if (!/^[0-9]*$/.test(number)) return { ignored: PASTE_IGNORED.digits() };
    line = [...number];
  }
  const room = p.max === undefined ? line.length : Math.max(0, p.max - p.text.length);
  let edit: LineEdit = { text: p.text, caret: ui.caret };
  for (const ch of line.slice(0, room)) edit = editLine(edit, { typed: ch }, p.max) ?? edit;
  if (edit.text !== p.text) {
    store.getState().patchUi({ ...p.patch(edit.text), caret: edit.caret });
    if (ui.mode === 'filter') followFilter(store);
  }
  return { cut: line.length > room, max: p.max };
}

/** Make a change to the open prompt's line at its caret (a key typed that is no character changes nothing). */
export function editPrompt(store: AppStore, change: LineChange): void {
  const s = store.getState();
  const p = promptOf(s.ui);
  if (!p) return;
  const edit = editLine({ text: p.text, caret: s.ui.caret }, change, p.max);
  if (edit === null || (edit.text === p.text && edit.caret === s.ui.caret)) return;
  s.patchUi(edit.text === p.text ? { caret: edit.caret } : { ...p.patch(edit.text), caret: edit.caret });
  if (edit.text !== p.text && s.ui.mode === 'filter') followFilter(store);
}

/** How many commands a session's history keeps (the oldest go first). */
export const MAX_HISTORY = 100;

/** The history after running `text`: appended (not twice in a row, blank never), and no longer recalling. */
export function remember(h: CommandHistory, text: string): CommandHistory {
  const t = text.trim();
  const items = t === '' || h.items.at(-1) === t ? h.items : [...h.items, t].slice(-MAX_HISTORY);
  return { items, at: null, draft: '' };
}

/**
 * `up` (step -1) or `down` (+1) on the command line: the earlier or later command, and past the newest the line
 * the operator was typing. Null when there is nothing to move to.
 */
export function recall(h: CommandHistory, text: string, step: -1 | 1): { history: CommandHistory; text: string } | null {
  if (h.at === null) {
    if (step > 0 || h.items.length === 0) return null;
    const at = h.items.length - 1;
    return { history: { ...h, at, draft: text }, text: h.items[at] };
  }
  const at = h.at + step;
  if (at < 0) return null;
  if (at >= h.items.length) return { history: { ...h, at: null, draft: '' }, text: h.draft };
  return { history: { ...h, at }, text: h.items[at] };
}

/** The wildmenu on the `:` line now: the one `tab` listed, while the line is still as `tab` left it. */
export function menuOf(ui: UiState): Completion | null {
  const c = ui.completion;
  return ui.mode === 'command' && c !== null && c.line === ui.command ? c : null;
}

/**
 * `tab` on a line whose last word is completed from `candidates(words before it)`, as a shell's or vim's
 * wildmenu. One match completes the word, with a space after it when `more(word)` says an argument follows.
 * Several complete it as far as every match agrees and are listed (`completion`); a further `tab` on the line as
 * it left it puts each in turn on the line, round and round. Null when nothing matches or nothing would change.
 */
export function complete(
  text: string,
  shown: Completion | null,
  candidates: (before: string[]) => readonly string[],
  more: (before: string[], word: string) => boolean = () => false,
): { text: string; completion: Completion | null } | null {
  if (shown && shown.line === text && shown.items.length > 1) {
    const at = shown.at === null ? 0 : (shown.at + 1) % shown.items.length;
    const line = shown.head + shown.items[at];
    return { text: line, completion: { ...shown, line, at } };
  }
  const cut = text.lastIndexOf(' ') + 1;
  const head = text.slice(0, cut);
  const word = text.slice(cut);
  const before = head.trim() === '' ? [] : head.trim().split(/\s+/);
  const matches = [...new Set(candidates(before).filter((c) => c.startsWith(word)))];
  if (matches.length === 0) return null;
  let common = matches[0];
  for (const m of matches) while (!m.startsWith(common)) common = common.slice(0, -1);
  if (matches.length === 1) {
    const out = head + common + (more(before, common) ? ' ' : '');
    return out === text ? null : { text: out, completion: null };
  }
  const line = head + common;
  return { text: line, completion: { line, head, items: matches, at: null } };
}

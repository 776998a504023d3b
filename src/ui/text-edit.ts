// Text typed into a prompt: one reducer for every line the operator types (the filter, a `:` command, a
// rejection reason, the count of a bulk approval), and where the current mode keeps that line.
import type { AppStore } from '../console/state.js';
import { dialogOf, type UiState } from '../console/ui-state.js';
import type { KeyName } from './keymap.js';

/** The longest rejection reason one can type. */
export const MAX_REASON = 500;

/**
 * A key applied to a line: backspace deletes the last character, a printable character (space included) is
 * appended unless the line is `max` long; null when the key is not an edit (arrows, tab, control keys).
 */
export function editText(text: string, key: KeyName, max = Infinity): string | null {
  if (key === 'backspace') return [...text].slice(0, -1).join('');
  const ch = key === 'space' ? ' ' : key;
  if ([...ch].length !== 1 || ch < ' ') return null;
  return text.length >= max ? text : text + ch;
}

/** The line the current mode types into: its text, its limit, and the UI patch that puts a new text there. */
export interface Prompt {
  text: string;
  max?: number;
  patch(text: string): Partial<UiState>;
}

/** The open prompt: the filter, the `:` command, or the text of the reason or count dialog; null when none. */
export function promptOf(ui: UiState): Prompt | null {
  if (ui.mode === 'filter') return { text: ui.filters[ui.view], patch: (text) => ({ filters: { ...ui.filters, [ui.view]: text } }) };
  if (ui.mode === 'command') return { text: ui.command, patch: (text) => ({ command: text }) };
  const d = dialogOf(ui.mode);
  if (d?.kind === 'reason') return { text: d.text, max: MAX_REASON, patch: (text) => ({ mode: { ...d, text } }) };
  if (d?.kind === 'count') return { text: d.text, patch: (text) => ({ mode: { ...d, text } }) };
  return null;
}

/** Apply a key to the open prompt's line (a key that is no edit changes nothing). */
export function editPrompt(store: AppStore, key: KeyName): void {
  const s = store.getState();
  const p = promptOf(s.ui);
  if (!p) return;
  const text = editText(p.text, key, p.max);
  if (text !== null && text !== p.text) s.patchUi(p.patch(text));
}

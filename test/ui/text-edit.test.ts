// One text-edit reducer for every prompt: the filter, the `:` command, the rejection reason and the count of a
// bulk approval all take the same keys the same way.
import { describe, expect, test } from 'vitest';
import { localServices } from '../../src/console/services.js';
import { dialogOf, type Dialog } from '../../src/console/ui-state.js';
import { dispatchKey } from '../../src/ui/actions.js';
import { editLine, editPrompt, editText, MAX_REASON, promptOf, type LineChange, type LineEdit } from '../../src/ui/text-edit.js';
import { demoState, storeWith } from './fixture.js';
import { LINE_OPS, resolve, type LineOp } from '../../src/ui/keymap.js';

/** What a key does to the `:` line, as the console takes it: a line edit where the registry binds one, else typed. */
function k(key: string): LineChange {
  const action = resolve(key, 'prompt')?.action;
  return (LINE_OPS as readonly string[]).includes(action ?? '') ? (action as LineOp) : { typed: key };
}

describe('editText', () => {
  test('printable characters append, space is a space, backspace deletes the last character', () => {
    expect(editText('ab', k('c'))).toBe('abc');
    expect(editText('ab', k('space'))).toBe('ab ');
    expect(editText('ab', k('backspace'))).toBe('a');
    expect(editText('', k('backspace'))).toBe('');
    // A character beyond the BMP is one character, for typing and for erasing.
    expect(editText('a', k('\u{1f600}'))).toBe('a\u{1f600}');
    expect(editText('a\u{1f600}', k('backspace'))).toBe('a');
  });

  test('^W deletes the last word and the spaces after it, ^U the whole line (as readline)', () => {
    expect(editText('filter builder-12 ', k('ctrl-w'))).toBe('filter ');
    expect(editText('filter builder-12', k('ctrl-w'))).toBe('filter ');
    expect(editText('one', k('ctrl-w'))).toBe('');
    expect(editText('kept on purpose', k('ctrl-u'))).toBe('');
  });

  test('named keys and control characters are no edit', () => {
    for (const key of ['up', 'tab', 'shift-tab', 'esc', 'pgdn', '\u0007', 'ctrl-c']) expect(editText('ab', k(key)), key).toBeNull();
  });

  test('a full line takes no more characters, but can be erased', () => {
    expect(editText('abc', k('d'), 3)).toBe('abc');
    expect(editText('abc', k('backspace'), 3)).toBe('ab');
  });
});

describe('editLine: the caret (characters after it)', () => {
  const keys = (line: LineEdit, ...names: string[]) => names.reduce((l, n) => editLine(l, k(n)) ?? l, line);
  const at = (text: string, caret: number): LineEdit => ({ text, caret });

  test('arrows and home/end (and the readline keys ^B ^F ^A ^E) move it, within the line', () => {
    expect(editLine(at('abc', 0), k('left'))).toEqual(at('abc', 1));
    expect(editLine(at('abc', 1), k('ctrl-b'))).toEqual(at('abc', 2));
    expect(editLine(at('abc', 3), k('left'))).toEqual(at('abc', 3));
    expect(editLine(at('abc', 2), k('right'))).toEqual(at('abc', 1));
    expect(editLine(at('abc', 0), k('ctrl-f'))).toEqual(at('abc', 0));
    expect(editLine(at('abc', 0), k('home'))).toEqual(at('abc', 3));
    expect(editLine(at('abc', 3), k('ctrl-e'))).toEqual(at('abc', 0));
    // A character beyond the BMP is one step; so is what a reader sees as one character of several code points.
    expect(editLine(at('a\u{1f600}b', 1), k('left'))).toEqual(at('a\u{1f600}b', 2));
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    for (const one of ['e\u0301', family, '\u{1f1ef}\u{1f1f5}', '\u{1f44d}\u{1f3fd}']) {
      expect(editLine(at(`a${one}b`, 1), k('left')), one).toEqual(at(`a${one}b`, 2));
      expect(editLine(at(`a${one}`, 0), k('backspace')), one).toEqual(at('a', 0));
      expect(editLine(at(`a${one}b`, 2), k('delete')), one).toEqual(at('ab', 1));
    }
  });

  test('typing goes in at the caret; backspace and delete take the character before and under it', () => {
    expect(keys(at('prpose', 0), 'left', 'left', 'left', 'left', 'left', 'u')).toEqual(at('purpose', 5));
    expect(editLine(at('abc', 1), k('backspace'))).toEqual(at('ac', 1));
    expect(editLine(at('abc', 3), k('backspace'))).toEqual(at('abc', 3));
    expect(editLine(at('abc', 2), k('delete'))).toEqual(at('ac', 1));
    expect(editLine(at('abc', 1), k('ctrl-d'))).toEqual(at('ab', 0));
    expect(editLine(at('abc', 0), k('delete'))).toEqual(at('abc', 0));
  });

  test('^W deletes the word before the caret, ^U all before it, ^K all after it', () => {
    expect(editLine(at('one two three', 6), k('ctrl-w'))).toEqual(at('one  three', 6));
    expect(editLine(at('one two three', 6), k('ctrl-u'))).toEqual(at(' three', 6));
    expect(editLine(at('one two three', 6), k('ctrl-k'))).toEqual(at('one two', 0));
  });

  test('a full line takes no character at the caret either', () => {
    expect(editLine(at('abc', 1), k('x'), 3)).toEqual(at('abc', 1));
  });
});

describe('every prompt edits through it', () => {
  const ctx = (store: ReturnType<typeof storeWith>) => ({ store, services: localServices(), exit: () => {} });
  const type = (store: ReturnType<typeof storeWith>, ...keys: string[]) => keys.forEach((k) => dispatchKey(k, ctx(store)));

  test('the filter and the command line', () => {
    const store = storeWith(demoState());
    type(store, '/', 'f', 'e', 'x', 'backspace', 'space', 'up');
    expect(store.getState().ui.filters.pools).toBe('fe ');
    type(store, 'enter', ':', 's', 'l', 'x', 'backspace');
    expect(store.getState().ui.command).toBe('sl');
  });

  test('the reason and the count of the review dialogs; the reason stops at its limit', () => {
    const store = storeWith(demoState());
    const repair = store.getState().current!.plan.repairs[0];
    const open = (d: Dialog) => store.getState().patchUi({ mode: d });
    open({ kind: 'reason', repair, text: '' });
    type(store, 'n', 'o', 'p', 'e', 'backspace', 'space', 'tab');
    expect(dialogOf(store.getState().ui.mode)).toMatchObject({ kind: 'reason', text: 'nop ' });
    open({ kind: 'reason', repair, text: 'x'.repeat(MAX_REASON) });
    editPrompt(store, { typed: 'y' });
    expect(promptOf(store.getState().ui)?.text).toHaveLength(MAX_REASON);
    open({ kind: 'count', repairs: [repair], text: '' });
    type(store, '1', '2', 'backspace');
    expect(dialogOf(store.getState().ui.mode)).toMatchObject({ kind: 'count', text: '1' });
  });

  test('no prompt open: nothing to edit', () => {
    const store = storeWith(demoState());
    expect(promptOf(store.getState().ui)).toBeNull();
    const before = store.getState().ui;
    editPrompt(store, { typed: 'a' });
    expect(store.getState().ui).toBe(before);
    store.getState().patchUi({ mode: { kind: 'export', what: 'snapshot', options: ['md'], focus: 0 } });
    expect(promptOf(store.getState().ui)).toBeNull();
  });
});

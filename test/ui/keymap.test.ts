// The registry is the single source of keys: resolution, footer and help all come from it.
import type { Key } from 'ink';
import { describe, expect, test } from 'vitest';
import { localServices } from '../../src/console/services.js';
import { VIEW_IDS, type ViewId } from '../../src/console/ui-state.js';
import { dispatchKey } from '../../src/ui/actions.js';
import { helpLines } from '../../src/ui/components/help-lines.js';
import { BINDINGS, hintsFor, keyNames, resolve } from '../../src/ui/keymap.js';
import { demoState, storeWith } from './fixture.js';

const key = (over: Partial<Key> = {}): Key =>
  ({
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...over,
  }) as Key;

describe('keymap', () => {
  test('every view has a number key and a : command, and the footer counts them all', () => {
    const store = storeWith(demoState());
    const ctx = { store, services: localServices(), exit: () => {} };
    const type = (...names: string[]) => names.forEach((n) => dispatchKey(n, ctx));
    // From a view that is not the target, so the key has to do the work.
    const away = (v: ViewId): ViewId => (v === 'pools' ? 'aliases' : 'pools');
    VIEW_IDS.forEach((view, i) => {
      const key = String(i + 1);
      store.getState().setView(away(view));
      type(key);
      expect(store.getState().ui.view, `key ${key}`).toBe(view);
      store.getState().setView(away(view));
      type(':', ...view, 'enter');
      expect(store.getState().ui.view, `:${view}`).toBe(view);
      expect(resolve(key, 'pools')?.help, `help of key ${key}`).toBeTruthy();
    });
    expect(resolve(String(VIEW_IDS.length + 1), 'pools'), 'a number key past the last view').toBeUndefined();
    // The footer's "1-N views" hint, in every view's footer.
    for (const view of VIEW_IDS) expect(hintsFor(view)).toContainEqual({ keys: `1-${VIEW_IDS.length}`, hint: 'views' });
    // The `:` command's help names every view.
    const command = BINDINGS.find((b) => b.action === 'command')!;
    for (const view of VIEW_IDS) expect(command.help).toMatch(new RegExp(`\\b${view}\\b`));
  });

  test('every binding has help text', () => {
    for (const b of BINDINGS) expect(b.help.length, b.action).toBeGreaterThan(3);
  });

  test('view bindings win over global ones; prompts and help do not fall through', () => {
    expect(resolve('enter', 'pools')?.action).toBe('open-pool');
    expect(resolve('enter', 'aliases')?.action).toBe('inspect-row');
    expect(resolve('enter', 'audit')).toBeUndefined();
    expect(resolve('j', 'inspect')?.action).toBe('inspect-down');
    expect(resolve('1', 'inspect'), 'the inspect pane does not fall through').toBeUndefined();
    expect(resolve('j', 'slots')?.action).toBe('move-down');
    expect(resolve('j', 'prompt')).toBeUndefined();
    expect(resolve('q', 'help')?.action).toBe('help-close');
  });

  test('no destructive action sits on a ctrl key', () => {
    const ctrl = BINDINGS.filter((b) => b.keys.some((k) => k.startsWith('ctrl-')));
    expect(ctrl.map((b) => b.action)).toEqual(['quit']);
  });

  test('the footer and help are generated from the registry', () => {
    const footer = hintsFor('slots').map((h) => `${h.keys} ${h.hint}`);
    expect(footer.slice(0, 3)).toEqual(['enter detail', '[ prev pool', '] next pool']);
    expect(footer).toContain('space pause');
    const help = helpLines()
      .filter((l) => !l.title)
      .map((l) => l.text);
    for (const b of BINDINGS) expect(help).toContain(b.help);
  });

  test('an input chunk with several keys becomes several key names', () => {
    expect(keyNames('jj', key())).toEqual(['j', 'j']);
    expect(keyNames('/ab\r', key())).toEqual(['/', 'a', 'b', 'enter']);
    expect(keyNames(' ', key())).toEqual(['space']);
    expect(keyNames('', key({ downArrow: true }))).toEqual(['down']);
    expect(keyNames('', key({ tab: true, shift: true }))).toEqual(['shift-tab']);
    expect(keyNames('c', key({ ctrl: true }))).toEqual(['ctrl-c']);
    // Esc then a key within the terminal's escape time: one alt chord.
    expect(keyNames('q', key({ meta: true }))).toEqual(['esc', 'q']);
    expect(keyNames('', key({ escape: true, meta: true }))).toEqual(['esc']);
  });
});

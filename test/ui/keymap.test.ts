// The registry is the single source of keys: resolution, footer and help all come from it.
import type { Key } from 'ink';
import { describe, expect, test } from 'vitest';
import { HANDLERS } from '../../src/ui/actions.js';
import { helpLines } from '../../src/ui/components/help-lines.js';
import { BINDINGS, hintsFor, keyNames, resolve } from '../../src/ui/keymap.js';

const key = (over: Partial<Key> = {}): Key => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
  ...over,
} as Key);

describe('keymap', () => {
  test('every binding has a handler and help text', () => {
    for (const b of BINDINGS) {
      expect(HANDLERS[b.action], b.action).toBeTypeOf('function');
      expect(b.help.length).toBeGreaterThan(3);
    }
  });

  test('view bindings win over global ones; prompts and help do not fall through', () => {
    expect(resolve('enter', 'pools')?.action).toBe('open-pool');
    expect(resolve('enter', 'aliases')).toBeUndefined();
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
    expect(footer.slice(0, 2)).toEqual(['[ prev pool', '] next pool']);
    expect(footer).toContain('space pause');
    const help = helpLines().filter((l) => !l.title).map((l) => l.text);
    for (const b of BINDINGS) expect(help).toContain(b.help);
  });

  test('an input chunk with several keys becomes several key names', () => {
    expect(keyNames('jj', key())).toEqual(['j', 'j']);
    expect(keyNames('/ab\r', key())).toEqual(['/', 'a', 'b', 'enter']);
    expect(keyNames(' ', key())).toEqual(['space']);
    expect(keyNames('', key({ downArrow: true }))).toEqual(['down']);
    expect(keyNames('', key({ tab: true, shift: true }))).toEqual(['shift-tab']);
    expect(keyNames('c', key({ ctrl: true }))).toEqual(['ctrl-c']);
  });
});

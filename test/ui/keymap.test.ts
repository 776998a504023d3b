// The registry is the single source of keys: resolution, footer and help all come from it.
import { describe, expect, test } from 'vitest';
import { localServices } from '../../src/console/services.js';
import { VIEW_IDS, type ViewId } from '../../src/console/ui-state.js';
import { dispatchKey } from '../../src/ui/actions.js';
import { helpLines } from '../../src/ui/components/help-lines.js';
import { BINDINGS, helpOf, hintsFor, resolve, type Scope } from '../../src/ui/keymap.js';
import { InputReader, keysOf, MAX_PASTE } from '../../src/ui/terminal-input.js';
import { demoState, storeWith } from './fixture.js';

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
    for (const view of VIEW_IDS) expect(helpOf(command.help)).toMatch(new RegExp(`\\b${view}\\b`));
  });

  test('every binding has help text', () => {
    for (const b of BINDINGS) expect(b.help.length, b.action).toBeGreaterThan(3);
  });

  test('view bindings win over global ones; prompts and help do not fall through', () => {
    expect(resolve('enter', 'pools')?.action).toBe('open-pool');
    expect(resolve('enter', 'aliases')?.action).toBe('inspect-row');
    expect(resolve('enter', 'audit')?.action, 'enter opens an audit entry in full').toBe('inspect-row');
    expect(resolve('j', 'inspect')?.action).toBe('inspect-down');
    expect(resolve('1', 'inspect'), 'the inspect pane does not fall through').toBeUndefined();
    expect(resolve('j', 'slots')?.action).toBe('move-down');
    expect(resolve('j', 'prompt')).toBeUndefined();
    expect(resolve('q', 'help')?.action).toBe('help-close');
  });

  test('what spans input events is read whole: a paste, an X10 mouse report, a terminal string', () => {
    const r = new InputReader();
    const read = (...events: string[]) => events.flatMap((e) => r.read(e));
    // A wheel report whose button byte is `a` (approve), a click whose byte is space (pause): no keys.
    expect(read('\u001b[M', 'a!%')).toEqual([]);
    expect(read('\u001b[M', ' a%jk')).toEqual(['j', 'k']);
    // OSC 52 (its digits would switch views) up to its BEL; a DCS up to its ST.
    expect(read('\u001b]', '52;c;aGVsbG8=\u0007', '8')).toEqual(['8']);
    expect(read('\u001bP', '1$r', '\u001b\\', 'j')).toEqual(['j']);
    // A paste is one item, whatever its events; ^C on its own ends one whose end never came, and counts. What
    // follows its end in the same read of the terminal is pasted too (a pasted end marker: tmux passes one through);
    // a key typed after it comes in a read of its own.
    const later = (...events: string[]) => {
      r.endOfRead();
      return read(...events);
    };
    expect(read('\u001b[200~', 'a', '\u001b[31m', 'b\r', '\u001b[201~', 'j')).toEqual([
      { pasted: 'a\u001b[31mb\r', cut: false },
      { pasted: 'j', cut: false },
    ]);
    expect(later('j')).toEqual(['j']);
    expect(later('\u001b[200~', 'abc', '\u0003')).toEqual([{ pasted: 'abc', cut: false }, 'ctrl-c']);
    // End markers split across events, or after a pasted ESC: found in what was pasted so far.
    expect(later('\u001b[200~', 'ab', '\u001b[20', '1~j')).toEqual([
      { pasted: 'ab', cut: false },
      { pasted: 'j', cut: false },
    ]);
    r.endOfRead();
    expect(read('\u001b[200~', 'ab', '\u001b\u001b[201~')).toEqual([{ pasted: 'ab\u001b', cut: false }]);
    expect(read('\u001b[200~', 'x'.repeat(MAX_PASTE), 'yy')).toEqual([]);
    expect(r.flush()).toEqual({ pasted: 'x'.repeat(MAX_PASTE), cut: true });
    // A stalled paste stays open after handing on what it held: its rest is pasted, never keys (its a approved).
    expect(r.pasting).toBe(true);
    expect(read('ha', '\u001b[201~', 'j')).toEqual([
      { pasted: 'ha', cut: false },
      { pasted: 'j', cut: false },
    ]);
    r.endOfRead();
    // Quiet twice (nothing came since it handed on): the paste ends, typing is keys again.
    expect(read('\u001b[200~', 'x')).toEqual([]);
    expect(r.flush()).toEqual({ pasted: 'x', cut: false });
    expect(r.flush()).toBeNull();
    expect(r.pasting).toBe(false);
    expect(read('j')).toEqual(['j']);
    // The rest of a sequence read apart from its lone ESC (a slow link): the esc, then the sequence, never its letters.
    expect([...r.read('\u001b', 100), ...r.read('[A', 110)]).toEqual(['esc', 'up']);
    expect([...r.read('\u001b', 200), ...r.read('[6~j', 210)]).toEqual(['esc', 'pgdn', 'j']);
    expect([...r.read('\u001b', 300), ...r.read('[200~3', 310), ...r.read('\u001b[201~', 320)]).toEqual([
      'esc',
      { pasted: '3', cut: false },
    ]);
    r.endOfRead();
    // Typed by a person after a pause: esc, then the keys.
    expect([...r.read('\u001b', 400), ...r.read('[A', 900)]).toEqual(['esc', '[', 'A']);
    // Ink hands on any part of a sequence it holds: joined with the rest when it comes at once.
    expect([...r.read('\u001b[20', 1000), ...r.read('0~as', 1005), ...r.read('\u001b[201~', 1006)]).toEqual([{ pasted: 'as', cut: false }]);
    r.endOfRead();
    expect([...r.read('\u001b[', 1100), ...r.read('A', 1105)]).toEqual(['up']);
    expect([...r.read('\u001b[6', 1200), ...r.read('~', 1205)]).toEqual(['pgdn']);
    // esc then [ at once: esc once (the [ waits for a sequence that never comes).
    expect([...r.read('\u001b', 1300), ...r.read('[', 1310), ...r.read('j', 2000)]).toEqual(['esc', 'j']);
  });

  test('a terminal string is skipped only while it comes in one burst: alt-] or esc then ] never stops the keys', () => {
    const r = new InputReader();
    // alt-] (one event ESC ]), then keys typed later: read; ^C always counts.
    expect(['\u001b]', 'j', 'k'].flatMap((e, i) => r.read(e, i * 100))).toEqual(['j', 'k']);
    expect([...r.read('\u001bP', 1000), ...r.read('\u0003', 1001)]).toEqual(['ctrl-c']);
    expect([...r.read('\u001b', 2000), ...r.read(']', 2010), ...r.read('q', 2200)]).toEqual(['esc', ']', 'q']);
    // A string that comes at once is skipped to its BEL.
    expect([...r.read('\u001b]', 3000), ...r.read('52;c;aGVs\u0007j', 3001)]).toEqual(['j']);
  });

  test('no destructive action sits on a ctrl key; ^C quits and ^Z suspends from every scope, dialogs and prompts too', () => {
    const ctrl = BINDINGS.filter((b) => b.keys.some((k) => k.startsWith('ctrl-')));
    // ^C quits, ^Z suspends; the others (readline's) only edit the line being typed, and only while one is.
    expect(new Set(ctrl.map((b) => b.action))).toEqual(
      new Set([
        'quit',
        'suspend',
        'line-erase-word',
        'line-erase-start',
        'line-delete',
        'line-kill',
        'line-left',
        'line-right',
        'line-start',
        'line-end',
      ]),
    );
    for (const b of ctrl)
      if (b.action !== 'quit' && b.action !== 'suspend') expect(['prompt', 'input', 'count', 'bulk'], b.action).toContain(b.scope);
    expect(ctrl.some((b) => b.decision)).toBe(false);
    // Every scope a binding names, and the views and the card, which fall through to it.
    const scopes = [...new Set<Scope>([...BINDINGS.map((b) => b.scope), 'repairs', 'slots', 'card'])];
    for (const scope of scopes) expect(resolve('ctrl-c', scope)?.action, scope).toBe('quit');
    for (const scope of scopes) expect(resolve('ctrl-z', scope)?.action, scope).toBe('suspend');
  });

  test('the footer and help are generated from the registry', () => {
    const footer = hintsFor('slots').map((h) => `${h.keys} ${h.hint}`);
    expect(footer.slice(0, 3)).toEqual(['enter detail', '[ prev pool', '] next pool']);
    expect(footer).toContain('space pause');
    const help = helpLines()
      .filter((l) => !l.title)
      .map((l) => l.text);
    for (const b of BINDINGS)
      expect(
        help.some((t) => t.startsWith(helpOf(b.help))),
        b.help,
      ).toBe(true);
  });

  test('what the terminal sends becomes key names: text runs key by key, escape sequences one key or none', () => {
    expect(keysOf('jj')).toEqual(['j', 'j']);
    expect(keysOf('/ab\r')).toEqual(['/', 'a', 'b', 'enter']);
    expect(keysOf(' ')).toEqual(['space']);
    expect(keysOf('\u001b[B')).toEqual(['down']);
    expect(keysOf('\u001bOA')).toEqual(['up']);
    expect(keysOf('\u001b[1;5C')).toEqual(['right']); // ctrl-right: the arrow
    expect(keysOf('\u001b[6~')).toEqual(['pgdn']);
    expect(keysOf('\u001b[5;5~')).toEqual(['pgup']);
    expect(keysOf('\u001b[Z')).toEqual(['shift-tab']);
    expect(keysOf('\u001b[3~')).toEqual(['delete']);
    expect(keysOf('\u0003')).toEqual(['ctrl-c']);
    expect(keysOf('\u007f')).toEqual(['backspace']);
    // Esc then a key within the terminal's escape time: one chunk, esc then the key.
    expect(keysOf('\u001bq')).toEqual(['esc', 'q']);
    expect(keysOf('\u001b:')).toEqual(['esc', ':']);
    expect(keysOf('\u001b')).toEqual(['esc']);
    // Esc typed just before a key whose own sequence starts with ESC: esc, then that key.
    expect(keysOf('\u001b\u001b[B')).toEqual(['esc', 'down']);
    expect(keysOf('\u001b\u001b')).toEqual(['esc', 'esc']);
    // Alt and an editing key: the key (alt-backspace in a reason must not cancel it); rxvt's and PuTTY's forms.
    expect(['\u001b\u007f', '\u001b\b'].map(keysOf)).toEqual([['backspace'], ['backspace']]);
    // Esc then enter read together stays esc, then enter: the esc that cancels a dialog never becomes its submit.
    expect(['\u001b\r', '\u001b\t'].map(keysOf)).toEqual([
      ['esc', 'enter'],
      ['esc', 'tab'],
    ]);
    expect(['\u001b[[5~', '\u001b[[6~', '\u001b[a', '\u001bOa', '\u001b[7^', '\u001b[5^', '\u001b[8^'].map(keysOf)).toEqual([
      ['pgup'],
      ['pgdn'],
      ['up'],
      ['up'],
      ['home'],
      ['pgup'],
      ['end'],
    ]);
    expect(keysOf('\u001b[[A')).toEqual([]); // Cygwin's F1, not up
    // What no key of the console is: nothing (Ink's useInput threw on the first two, ink#901).
    for (const seq of ['\u001b[1;5P', '\u001b[31m', '\u001b[<64;10;5M', '\u001b[15~', '\u001bOP', '\u001b[?2004h'])
      expect(keysOf(seq), JSON.stringify(seq)).toEqual([]);
  });
});

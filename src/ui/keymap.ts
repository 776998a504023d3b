// The one key registry. Every key the console answers to is a row here: the dispatcher resolves
// keys through it, the footer shows its hints for the focused view, and `?` help lists it all.
// To add a key: add its action id to ActionId, a Binding below, and a handler in actions.ts
// (the compiler insists on the handler).
import type { Key } from 'ink';
import type { ViewId } from '../store/app-store.js';

/** Where a binding applies. A view scope wins over 'global' for the same key. */
export type Scope = 'global' | ViewId | 'prompt' | 'help';

export type ActionId =
  | 'move-down' | 'move-up' | 'top' | 'bottom' | 'page-down' | 'page-up'
  | 'filter' | 'clear-filter' | 'command' | 'help' | 'pause' | 'quit'
  | 'next-view' | 'prev-view'
  | 'view-pools' | 'view-slots' | 'view-aliases' | 'view-templates' | 'view-work' | 'view-repairs'
  | 'open-pool' | 'prev-pool' | 'next-pool'
  | 'prompt-accept' | 'prompt-cancel' | 'prompt-erase'
  | 'help-close' | 'help-down' | 'help-up';

/** Normalized key names: a printable character stands for itself. */
export type KeyName = string;

export interface Binding {
  action: ActionId;
  keys: readonly KeyName[];
  scope: Scope;
  /** Short footer label; bindings without one appear only in help. */
  hint?: string;
  help: string;
}

export const BINDINGS: readonly Binding[] = [
  // Views first: they are what the footer shows first.
  { scope: 'pools', action: 'open-pool', keys: ['enter'], hint: 'slots', help: 'Open the slots of the selected pool' },
  { scope: 'slots', action: 'prev-pool', keys: ['['], hint: 'prev pool', help: 'Show the previous pool' },
  { scope: 'slots', action: 'next-pool', keys: [']'], hint: 'next pool', help: 'Show the next pool' },

  { scope: 'global', action: 'move-down', keys: ['j', 'down'], hint: 'move', help: 'Move down one row' },
  { scope: 'global', action: 'move-up', keys: ['k', 'up'], help: 'Move up one row' },
  { scope: 'global', action: 'top', keys: ['g', 'home'], help: 'Go to the first row' },
  { scope: 'global', action: 'bottom', keys: ['G', 'end'], help: 'Go to the last row' },
  { scope: 'global', action: 'page-down', keys: ['pgdn'], help: 'Scroll down one page' },
  { scope: 'global', action: 'page-up', keys: ['pgup'], help: 'Scroll up one page' },
  { scope: 'global', action: 'filter', keys: ['/'], hint: 'filter', help: 'Filter the rows of this view (every word must match)' },
  { scope: 'global', action: 'clear-filter', keys: ['esc'], help: 'Clear the filter of this view' },
  { scope: 'global', action: 'command', keys: [':'], hint: 'cmd', help: 'Command: pools, slots [template], aliases, templates, work, repairs, pause, help, quit' },
  { scope: 'global', action: 'view-pools', keys: ['1'], help: 'Pools view' },
  { scope: 'global', action: 'view-slots', keys: ['2'], help: 'Slots of the selected pool' },
  { scope: 'global', action: 'view-aliases', keys: ['3'], help: 'Aliases view' },
  { scope: 'global', action: 'view-templates', keys: ['4'], help: 'Templates view' },
  { scope: 'global', action: 'view-work', keys: ['5'], help: 'Work view (cross-template and orphaned work)' },
  { scope: 'global', action: 'view-repairs', keys: ['6'], help: 'Repairs view (the queue)' },
  { scope: 'global', action: 'next-view', keys: ['tab'], hint: 'view', help: 'Next view' },
  { scope: 'global', action: 'prev-view', keys: ['shift-tab'], help: 'Previous view' },
  { scope: 'global', action: 'pause', keys: ['space'], hint: 'pause', help: 'Pause / resume live updates (rows changed meanwhile are marked *)' },
  { scope: 'global', action: 'help', keys: ['?'], hint: 'help', help: 'Show this help' },
  { scope: 'global', action: 'quit', keys: ['q', 'ctrl-c'], hint: 'quit', help: 'Quit (restores the terminal; never writes)' },

  { scope: 'prompt', action: 'prompt-accept', keys: ['enter'], hint: 'apply', help: 'Apply the filter or run the command' },
  { scope: 'prompt', action: 'prompt-cancel', keys: ['esc'], hint: 'cancel', help: 'Cancel (a cancelled filter is cleared)' },
  { scope: 'prompt', action: 'prompt-erase', keys: ['backspace'], help: 'Delete the last character' },

  { scope: 'help', action: 'help-close', keys: ['?', 'esc', 'q'], hint: 'close', help: 'Close help' },
  { scope: 'help', action: 'help-down', keys: ['j', 'down', 'pgdn'], hint: 'scroll', help: 'Scroll help down' },
  { scope: 'help', action: 'help-up', keys: ['k', 'up', 'pgup'], help: 'Scroll help up' },
];

const index = new Map<string, Binding>();
for (const b of BINDINGS) {
  for (const k of b.keys) {
    const id = `${b.scope}\u0000${k}`;
    if (index.has(id)) throw new Error(`keymap: ${k} is bound twice in scope ${b.scope}`);
    index.set(id, b);
  }
}

/** The binding a key triggers in a scope; views fall back to the global scope. */
export function resolve(key: KeyName, scope: Scope): Binding | undefined {
  const own = index.get(`${scope}\u0000${key}`);
  if (own || scope === 'prompt' || scope === 'help' || scope === 'global') return own;
  return index.get(`global\u0000${key}`);
}

const LABELS: Record<string, string> = {
  down: '↓', up: '↑', pgdn: 'PgDn', pgup: 'PgUp', enter: 'enter', esc: 'esc', space: 'space',
  tab: 'tab', 'shift-tab': 'S-tab', home: 'Home', end: 'End', backspace: '⌫', 'ctrl-c': '^C',
};

export function keyLabel(k: KeyName): string {
  return LABELS[k] ?? k;
}

export function bindingKeys(b: Binding): string {
  return b.keys.map(keyLabel).join('/');
}

/** Footer hints for a scope: its own bindings first, then the global ones (for views). */
export function hintsFor(scope: Scope): { keys: string; hint: string }[] {
  const out: { keys: string; hint: string }[] = [];
  const add = (s: Scope) => {
    for (const b of BINDINGS) if (b.scope === s && b.hint) out.push({ keys: bindingKeys(b), hint: b.hint });
  };
  add(scope);
  if (scope !== 'prompt' && scope !== 'help' && scope !== 'global') {
    out.push({ keys: '1-6', hint: 'views' });
    add('global');
  }
  return out;
}

/** The help overlay's sections, in registry order. */
export function helpSections(): { scope: Scope; bindings: Binding[] }[] {
  const order: Scope[] = ['global', 'pools', 'slots', 'aliases', 'templates', 'work', 'repairs', 'prompt', 'help'];
  return order
    .map((scope) => ({ scope, bindings: BINDINGS.filter((b) => b.scope === scope) }))
    .filter((s) => s.bindings.length > 0);
}

const CHAR_KEYS: Record<string, KeyName> = {
  ' ': 'space', '\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007f': 'backspace', '\b': 'backspace', '\u001b': 'esc',
};

/**
 * Ink hands several keys typed quickly (or sent by tmux) as one input string, so a chunk becomes a
 * list of key names; named keys (arrows, page keys, enter...) arrive one per event.
 */
export function keyNames(input: string, key: Key): KeyName[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageDown) return ['pgdn'];
  if (key.pageUp) return ['pgup'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.return) return ['enter'];
  if (key.escape) return ['esc'];
  if (key.tab) return [key.shift ? 'shift-tab' : 'tab'];
  if (key.backspace || key.delete) return ['backspace'];
  if (key.ctrl && input.length === 1) return [`ctrl-${input.toLowerCase()}`];
  const out: KeyName[] = [];
  for (const ch of input) out.push(CHAR_KEYS[ch] ?? ch);
  return out;
}

// Rendering helpers: the App on an ink-testing-library terminal, and waiting for a frame.
import { expect } from 'vitest';
import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { useEffect, type ReactNode } from 'react';
import type { ConsoleServices } from '../../src/console/services.js';
import type { AppState, AppStore } from '../../src/console/state.js';
import type { ViewId } from '../../src/console/ui-state.js';
import { scopeOf } from '../../src/ui/actions.js';
import { App } from '../../src/ui/App.js';
import { noRowText } from '../../src/ui/cursor.js';
import { diffHints, fitHints, offeredHints, selectedStatus } from '../../src/ui/components/Footer.js';
import { sameChanges } from '../../src/engine/index.js';
import { contentWidths } from '../../src/ui/components/fit-columns.js';
import { Table } from '../../src/ui/components/Table.js';
import { hintsFor, installKeymap, type Keymap } from '../../src/ui/keymap.js';
import { markSorted } from '../../src/ui/rows/sort.js';
import type { Row } from '../../src/ui/rows/types.js';
import { makeTheme } from '../../src/ui/theme.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { waitFor } from '../support/wait.js';

export interface Harness {
  store: AppStore;
  frame(): string;
  press(...keys: string[]): Promise<void>;
  /** Wait until the latest frame satisfies `predicate`: the frame commits a tick after input, so never sleep a fixed time. */
  waitForFrame(predicate: (frame: string) => boolean, what?: string, timeoutMs?: number): Promise<string>;
  stdout: ReturnType<typeof render>['stdout'];
  stdin: ReturnType<typeof render>['stdin'];
  /**
   * Let `ms` pass on the console's monotonic clock (App's `now`): the harness's clock moves only so, never with the wall
   * clock, so what the console times in the operator's hands (a moved-on card's moment on screen) is the test's to say.
   */
  pass(ms: number): void;
  /** Settles when the console's React tree unmounts: after `q` (Ink's exit) or unmount(). */
  exited: Promise<void>;
  unmount(): void;
}

export const KEYS = {
  down: '\u001b[B',
  up: '\u001b[A',
  pgdn: '\u001b[6~',
  pgup: '\u001b[5~',
  enter: '\r',
  esc: '\u001b',
  tab: '\t',
  shiftTab: '\u001b[Z',
  backspace: '\u007f',
  left: '\u001b[D',
  right: '\u001b[C',
  home: '\u001b[H',
  end: '\u001b[F',
  del: '\u001b[3~',
};

/** Give the test terminal a size and tell Ink (and the app) it changed, as a real resize does. */
export function resizeTerminal(stdout: { emit(e: string): boolean }, rows: number, columns: number): void {
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  stdout.emit('resize');
}

/** Calls `onUnmount` when its tree unmounts (Ink's exit() unmounts the whole tree). */
function UnmountSignal({ onUnmount, children }: { onUnmount: () => void; children: ReactNode }) {
  useEffect(() => onUnmount, [onUnmount]);
  return <>{children}</>;
}

/**
 * `keymap`: the registry this console reads (keys renamed: keymap.ts rebound), from its first frame until it unmounts;
 * every ui test file's setup also puts the shipped one back after each test (test/support/keymap-reset.ts).
 */
export function renderApp(store: AppStore, opts: { color?: boolean; services?: ConsoleServices; keymap?: Keymap } = {}): Harness {
  const restore = opts.keymap ? installKeymap(opts.keymap) : () => {};
  let onUnmount = () => {};
  const exited = new Promise<void>((res) => (onUnmount = res)).then(restore);
  let clock = 0;
  const r = render(
    <UnmountSignal onUnmount={onUnmount}>
      <App store={store} services={opts.services} color={opts.color ?? false} now={() => clock} />
    </UnmountSignal>,
  );
  // ink-testing-library's terminal is 100 columns and has no rows: size it like the store's viewport.
  const { rows, columns } = store.getState().ui.viewport;
  resizeTerminal(r.stdout, rows, columns);
  const frame = () => r.lastFrame() ?? '';
  return {
    store,
    frame,
    stdout: r.stdout,
    stdin: r.stdin,
    async press(...keys: string[]) {
      for (const k of keys) {
        r.stdin.write(k);
        // A lone Escape is held back by Ink until a setImmediate it queues on the write: one queued after it runs
        // once Ink has let the Escape through, so the next key cannot be read as part of an escape sequence.
        await new Promise((res) => (k === KEYS.esc ? setImmediate(res) : setTimeout(res, 0)));
      }
    },
    waitForFrame: (p, what, t) => waitFor(frame, p, what, { timeoutMs: t, show: (f) => `frame:\n${f}` }),
    pass: (ms) => void (clock += ms),
    exited,
    unmount: () => {
      r.unmount();
      restore();
    },
  };
}

/** The line of a frame that contains `text`. */
export function lineOf(frame: string, text: string): string {
  return frame.split('\n').find((l) => l.includes(text)) ?? '';
}

/**
 * The title line and, with `row`, that row under the cursor, as the real Table draws them for `view` on this
 * store's terminal (the width and content widths App gives it), without trailing blanks.
 */
function tableLines(store: AppStore, view: ViewId, row?: Row): string[] {
  const s = store.getState();
  const vm = viewModel(s, view);
  if (!vm) throw new Error('nothing loaded');
  const width = Math.max(1, s.ui.viewport.columns);
  const heads = markSorted(vm.table.columns, contentWidths(vm.table.columns, vm.table.rows), vm.input.sort);
  const out = renderToString(
    <Table
      columns={heads.columns}
      content={heads.content}
      rows={row ? [row] : []}
      top={0}
      total={row ? 1 : 0}
      height={row ? 1 : 0}
      width={width}
      cursor={0}
      changed={new Set()}
      theme={makeTheme(false)}
      empty=""
    />,
    { columns: width },
  );
  return stripVTControlCharacters(out)
    .split('\n')
    .map((l) => l.trimEnd());
}

/**
 * The column-title line `view` draws on this store's terminal, so a test can wait for that view's own frame
 * instead of any frame: no two views share a title line.
 */
export function titleLine(store: AppStore, view: ViewId): string {
  return tableLines(store, view)[0];
}

/** The line of the row under `view`'s cursor, as drawn (the `>` gutter, the cells). */
export function cursorLine(store: AppStore, view: ViewId): string {
  const vm = viewModel(store.getState(), view);
  const row = vm?.rows[vm.index];
  if (!row) throw new Error(`no row under the cursor of ${view}`);
  return tableLines(store, view, row)[1];
}

/** Wait for a frame holding `line` (compared without trailing blanks). */
export function waitForLine(h: Harness, line: string, what: string, timeoutMs?: number): Promise<string> {
  return h.waitForFrame((f) => f.split('\n').some((l) => l.trimEnd() === line), `${what} (${line.trim()})`, timeoutMs);
}

/** Wait for the frame of `view`: its title line is on screen (the trend view, a chart: its first line). */
export function waitForView(h: Harness, view: ViewId, timeoutMs?: number): Promise<string> {
  if (view === 'trend')
    return h.waitForFrame((f) => f.split('\n').some((l) => /^(\d+ samples?, |No samples yet)/.test(l)), 'the trend view', timeoutMs);
  return waitForLine(h, titleLine(h.store, view), `the ${view} view`, timeoutMs);
}

/**
 * Whether the card the frames settled on shows only part of its repair's diff, from what the last frame recorded
 * (ui.cardShown, ui.diffOnScreen): the footer judges its own frame (App.tsx), which these records follow.
 */
function diffPartly(s: AppState): boolean {
  const card = s.ui.cardShown;
  const whole = s.ui.diffOnScreen;
  return card !== null && !(whole !== null && whole.id === card.id && sameChanges(whole.repair.changes, card.repair.changes));
}

/** The first footer hint of the scope the store is in now, as the footer shows it on this terminal. */
export function footerHead(store: AppStore): string {
  const s = store.getState();
  const scope = scopeOf(s);
  // Where the card shows part of the selected repair's diff, its decisions are not offered (Footer: diffHints).
  const partly = (scope === 'repairs' || scope === 'card') && diffPartly(s);
  // Where the view shows no row, the keys on the selected row are not offered either.
  const none = noRowText(s) !== null;
  // Nor those the selected repair's status leaves closed (o on an undecided one, which would come first when short).
  const status = scope === 'repairs' || scope === 'card' ? selectedStatus(s) : null;
  const hints = diffHints(offeredHints(hintsFor(scope, s.readOnly), status), partly).filter((h) => !(none && h.row));
  const first = fitHints(hints, s.ui.viewport.columns)[0];
  // A hint can keep its keys alone (Footer withFocus): the footer then starts with them.
  return first ? (first.hint === '' ? first.keys : `${first.keys} ${first.hint}`) : '';
}

/** Wait until the footer shows the keys of the scope the store is in now (a dialog, the card, a view). */
export function waitForScope(h: Harness, timeoutMs?: number): Promise<string> {
  const head = footerHead(h.store);
  return h.waitForFrame(
    (f) => (f.split('\n').at(-1) ?? '').startsWith(head),
    `the footer of scope ${scopeOf(h.store.getState())} (${head})`,
    timeoutMs,
  );
}

/** The four terminal sizes every view, dialog and pane is checked at (issue 11: 80×24 is first-class). */
export const SIZES: readonly (readonly [columns: number, rows: number])[] = [
  [80, 24],
  [100, 30],
  [120, 40],
  [200, 50],
];

/** The frame fits the terminal: no line past the width, no more lines than the rows (less the one Ink keeps free). */
export function expectFits(f: string, columns: number, rows: number, what = 'the frame'): void {
  const ls = f.split('\n');
  expect(ls.length, `${what} at ${columns}×${rows}: too tall\n${f}`).toBeLessThanOrEqual(rows - 1);
  // Terminal cells, as the terminal counts them: a wide character (日, 🚀) takes two.
  for (const l of ls) expect(stringWidth(l), `${what} at ${columns}×${rows}: too wide\n${f}`).toBeLessThanOrEqual(columns);
}

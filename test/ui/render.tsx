// Rendering helpers: the App on an ink-testing-library terminal, and waiting for a frame.
import { render } from 'ink-testing-library';
import { useEffect, type ReactNode } from 'react';
import type { AppStore, ViewId } from '../../src/console/state.js';
import { scopeOf } from '../../src/ui/actions.js';
import { App } from '../../src/ui/App.js';
import { fitHints } from '../../src/ui/components/Footer.js';
import { contentWidths, fitColumns, GAP } from '../../src/ui/components/fit-columns.js';
import { hintsFor } from '../../src/ui/keymap.js';
import { viewModel } from '../../src/ui/views/registry.js';

export interface Harness {
  store: AppStore;
  frame(): string;
  press(...keys: string[]): Promise<void>;
  waitForFrame(predicate: (frame: string) => boolean, what?: string, timeoutMs?: number): Promise<string>;
  stdout: ReturnType<typeof render>['stdout'];
  stdin: ReturnType<typeof render>['stdin'];
  /** Settles when the console's React tree unmounts: after `q` (Ink's exit) or unmount(). */
  exited: Promise<void>;
  unmount(): void;
}

export const KEYS = {
  down: '\u001b[B', up: '\u001b[A', pgdn: '\u001b[6~', pgup: '\u001b[5~', enter: '\r', esc: '\u001b', tab: '\t',
  shiftTab: '\u001b[Z', backspace: '\u007f',
};

/** Wait until the latest frame satisfies `predicate`: the frame commits a tick after input, so never sleep a fixed time. */
export async function waitFor(read: () => string, predicate: (f: string) => boolean, what = 'frame', timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = read();
    if (predicate(f)) return f;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

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

export function renderApp(store: AppStore, opts: { color?: boolean } = {}): Harness {
  let onUnmount = () => {};
  const exited = new Promise<void>((res) => (onUnmount = res));
  const r = render(<UnmountSignal onUnmount={onUnmount}><App store={store} color={opts.color ?? false} /></UnmountSignal>);
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
        // A lone Escape is held back by Ink until it knows no sequence follows (two setImmediate ticks).
        await new Promise((res) => setTimeout(res, k === KEYS.esc ? 25 : 0));
      }
    },
    waitForFrame: (p, what, t) => waitFor(frame, p, what, t),
    exited,
    unmount: () => r.unmount(),
  };
}

/** The line of a frame that contains `text`. */
export function lineOf(frame: string, text: string): string {
  return frame.split('\n').find((l) => l.includes(text)) ?? '';
}

/** A promise that rejects after `ms` (with `what` in the message), for racing a promise that must settle. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_res, rej) => (timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Ink's truncate-end: cut to `width` columns with an ellipsis. */
const truncate = (t: string, width: number) => ([...t].length <= width ? t : [...t].slice(0, Math.max(0, width - 1)).join('') + '…');

/** A line of `view`'s table as Table lays it out on this store's terminal: the gutter, then the cells. */
function tableLine(store: AppStore, view: ViewId, cellsOf: (titles: string[]) => string[], gutter: string): string {
  const s = store.getState();
  const vm = viewModel(s, view);
  if (!vm) throw new Error('nothing loaded');
  const { columns } = vm.table;
  const texts = cellsOf(columns.map((c) => c.title));
  const widths = fitColumns(columns, Math.max(1, s.ui.viewport.columns - 2), contentWidths(columns, vm.table.rows));
  const cells = columns.map((c, i) => {
    if (widths[i] <= 0) return '';
    const t = truncate(texts[i] ?? '', widths[i]);
    const cell = c.align === 'right' ? t.padStart(widths[i]) : t.padEnd(widths[i]);
    return cell + (i < columns.length - 1 ? ' '.repeat(GAP) : '');
  });
  return `${gutter}${cells.join('')}`.trimEnd();
}

/**
 * The column-title line `view` draws on this store's terminal, so a test can wait for that view's own frame
 * instead of any frame: no two views share a title line.
 */
export function titleLine(store: AppStore, view: ViewId): string {
  return tableLine(store, view, (titles) => titles, '  ');
}

/** The line of the row under `view`'s cursor, as drawn (the `>` gutter, the cells). */
export function cursorLine(store: AppStore, view: ViewId): string {
  const vm = viewModel(store.getState(), view);
  const row = vm?.rows[vm.index];
  if (!row) throw new Error(`no row under the cursor of ${view}`);
  return tableLine(store, view, () => row.cells, '> ');
}

/** Wait for a frame holding `line` (compared without trailing blanks). */
export function waitForLine(h: Harness, line: string, what: string, timeoutMs?: number): Promise<string> {
  return h.waitForFrame((f) => f.split('\n').some((l) => l.trimEnd() === line), `${what} (${line.trim()})`, timeoutMs);
}

/** Wait for the frame of `view`: its title line is on screen. */
export function waitForView(h: Harness, view: ViewId, timeoutMs?: number): Promise<string> {
  return waitForLine(h, titleLine(h.store, view), `the ${view} view`, timeoutMs);
}

/** The first footer hint of the scope the store is in now, as the footer shows it on this terminal. */
export function footerHead(store: AppStore): string {
  const s = store.getState();
  const first = fitHints(hintsFor(scopeOf(s), s.readOnly), s.ui.viewport.columns)[0];
  return first ? `${first.keys} ${first.hint}` : '';
}

/** Wait until the footer shows the keys of the scope the store is in now (a dialog, the card, a view). */
export function waitForScope(h: Harness, timeoutMs?: number): Promise<string> {
  const head = footerHead(h.store);
  return h.waitForFrame((f) => (f.split('\n').at(-1) ?? '').startsWith(head), `the footer of scope ${scopeOf(h.store.getState())} (${head})`, timeoutMs);
}

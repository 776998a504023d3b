// Rendering helpers: the App on an ink-testing-library terminal, and waiting for a frame.
import { render } from 'ink-testing-library';
import type { AppStore } from '../../src/store/app-store.js';
import { App } from '../../src/ui/App.js';

export interface Harness {
  store: AppStore;
  frame(): string;
  press(...keys: string[]): Promise<void>;
  waitForFrame(predicate: (frame: string) => boolean, what?: string, timeoutMs?: number): Promise<string>;
  stdout: ReturnType<typeof render>['stdout'];
  stdin: ReturnType<typeof render>['stdin'];
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

export function renderApp(store: AppStore, opts: { color?: boolean } = {}): Harness {
  const r = render(<App store={store} color={opts.color ?? false} />);
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
    unmount: () => r.unmount(),
  };
}

/** The line of a frame that contains `text`. */
export function lineOf(frame: string, text: string): string {
  return frame.split('\n').find((l) => l.includes(text)) ?? '';
}

// Renders the console on the real terminal; loaded by run.tsx only after NODE_ENV is settled.
import { render, type Instance } from 'ink';
import type { ConsoleServices } from '../console/services.js';
import type { AppStore } from '../console/state.js';
import { App } from './App.js';

export { warmUp } from './warm-up.js';

/**
 * The most frames Ink draws a second (its default is 30). A held key repeats about 30 times a second: under a
 * 30-frame throttle (34 ms) each press came just inside the last frame's window and its frame waited for the
 * window's end, 35 ms behind the key. At 60 the frame follows the key at once; Ink draws only when something
 * changed, so an idle console draws no more than before.
 */
export const MAX_FPS = 60;

/** `firstFrame`: called once the first frame is written (Ink calls onRender as a frame is made, before it writes it). */
export function mount(store: AppStore, services: ConsoleServices, opts: { color: boolean; firstFrame?: () => void }): Instance {
  let first = opts.firstFrame;
  const onRender = () => {
    if (!first) return;
    queueMicrotask(first);
    first = undefined;
  };
  // Ctrl-C is a keymap binding (quit), so the terminal is restored by the same path as `q`.
  return render(<App store={store} services={services} color={opts.color} />, {
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: MAX_FPS,
    onRender,
  });
}

// Renders the console on the real terminal; loaded by run.tsx only after NODE_ENV is settled.
import { render, type Instance } from 'ink';
import type { ConsoleServices } from '../console/services.js';
import type { AppStore } from '../console/state.js';
import { App } from './App.js';

export function mount(store: AppStore, services: ConsoleServices, opts: { color: boolean }): Instance {
  // Ctrl-C is a keymap binding (quit), so the terminal is restored by the same path as `q`.
  return render(<App store={store} services={services} color={opts.color} />, { exitOnCtrlC: false, patchConsole: true });
}

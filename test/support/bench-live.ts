// The part of the benches' module (bench-api.ts) the console needs before it draws: its state and live reader, no
// Ink or React, as run.tsx loads them. The bench's console starts the plan worker with these and loads the rest
// (Ink, React, the views) while the worker reads, as the console does (scripts/bench.mjs, consoleChild).
export { createAppStore } from '../../src/console/state.js';
export { startLive } from '../../src/console/watch.js';
export { prepareSnapshot, warmViews } from '../../src/ui/views/prepare.js';

// What the benches (scripts/bench.mjs, scripts/bench-console.mjs) drive in process, bundled into one module
// by `node scripts/build.mjs --bench` the same way as the CLI: one React and one Ink for the console and the
// fake terminal, and module loading that costs what the shipped bundle costs.
export { createElement } from 'react';
export { render } from 'ink-testing-library';
export { loadStore, validateStoreDocument } from '../../src/store/formats/load-store.js';
export { plan } from '../../src/engine/index.js';
export { createAppStore } from '../../src/console/state.js';
export { startLive } from '../../src/console/watch.js';
export { approve } from '../../src/console/review.js';
export { App } from '../../src/ui/App.js';
export { render as inkRender } from 'ink';
export { MAX_FPS, warmUp } from '../../src/ui/mount.js';
export { prepareSnapshot, warmViews } from '../../src/ui/views/prepare.js';

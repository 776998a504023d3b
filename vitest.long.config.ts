// `npm run test:long`: the 100 000-bead terminal tests (*.long.test.*) and the engine's tests with long
// property runs (GC_TUI_PROPERTY_RUNS, 2000 unless set).
import { defineConfig } from 'vitest/config';
import { LONG, perFile, perRun } from './vitest.config.js';

export default defineConfig({
  test: {
    ...perRun,
    ...perFile,
    include: [...LONG, 'test/engine/**/*.test.ts'],
    env: { GC_TUI_PROPERTY_RUNS: process.env.GC_TUI_PROPERTY_RUNS ?? '2000' },
  },
});

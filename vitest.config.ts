import { defineConfig } from 'vitest/config';

/** GC_TUI_TEST_TIME_SCALE multiplies every safety-net timeout (see test/support/wait.ts); e.g. 3 on a very slow machine. */
const scale = Number(process.env.GC_TUI_TEST_TIME_SCALE) > 0 ? Number(process.env.GC_TUI_TEST_TIME_SCALE) : 1;

/** Tests too long for every run (100 000-bead stores in a terminal): `npm run test:long` (vitest.long.config.ts). */
export const LONG = ['test/**/*.long.test.ts', 'test/**/*.long.test.tsx'];

/** In-process tests that share a module graph per worker (the 'unit' project). */
const UNIT = ['test/engine/**', 'test/store/**', 'test/console/**', 'test/docs/**', 'test/scripts/**'];

/** Files under UNIT that run in a worker of their own: they vi.mock a module, or measure the heap (which other files' leftovers skew). */
const ISOLATED = [
  'test/store/hardening-audit.test.ts',
  'test/store/apply-city-basis.test.ts',
  'test/console/approval-basis.test.ts',
  'test/console/bead-shapes-memory.test.ts',
  'test/console/pack-memo-memory.test.ts',
];

/** The settings of every test file, in `npm test` and `npm run test:long`. */
export const perFile = {
  testTimeout: 60_000 * scale,
  hookTimeout: 120_000 * scale,
  // Removes the temp dirs a test file made (test/support/files.ts).
  setupFiles: ['test/support/setup.ts'],
};

/** The settings of a run. */
export const perRun = {
  // Builds the CLI once, privately, for the tests that run it (test/support/built.ts).
  globalSetup: ['test/support/global-setup.ts'],
  // Many tests wait on child processes (the CLI, tmux, flock): two test files at once keep two cores busy
  // (vitest's default on two cores is one at a time).
  maxWorkers: 2,
  // On a busy machine a worker can take a while to exit: give it time before vitest reports it as stuck.
  teardownTimeout: 30_000 * scale,
};

export default defineConfig({
  test: {
    ...perRun,
    projects: [
      {
        // JSX compiled for React's production build (react/jsx-runtime), which these files run on (react-production.ts).
        oxc: { jsx: { runtime: 'automatic', development: false } },
        test: {
          ...perFile,
          // The console's views on ink-testing-library: every file loads React, Ink and the whole UI, so these
          // share one module graph per worker instead of loading it again per file. They keep no state between
          // files (each test renders, then unmounts); a file here must not vi.mock.
          name: 'ui',
          include: ['test/ui/**/*.test.ts', 'test/ui/**/*.test.tsx'],
          setupFiles: ['test/support/react-production.ts', 'test/support/keymap-reset.ts', ...perFile.setupFiles],
          exclude: LONG,
          isolate: false,
        },
      },
      {
        test: {
          ...perFile,
          // In-process tests of the engine, the store and the console's runtime: many small files whose own
          // time is a fraction of loading their modules afresh, so they share one module graph per worker too.
          // A file that vi.mocks a module belongs in 'e2e' (it would change the module for the files after it).
          name: 'unit',
          include: UNIT.map((dir) => `${dir}/*.test.{ts,tsx}`),
          exclude: [...ISOLATED, ...LONG],
          isolate: false,
        },
      },
      {
        test: {
          ...perFile,
          // The built CLI and tmux (mostly waiting on child processes), and any test folder not named above.
          // Projects run in the order of their names: this one first, so its long waits overlap the in-process
          // projects' CPU work.
          name: 'e2e',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/ui/**', ...UNIT, ...LONG],
        },
      },
      {
        test: { ...perFile, name: 'mocks', include: ISOLATED },
      },
    ],
  },
});

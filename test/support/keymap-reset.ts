// Runs before each file of the ui project (vitest.config.ts): a test that renames keys installs a registry of its own
// (src/ui/keymap.ts installKeymap), and the files of a worker share one module graph, so the shipped registry is put
// back after every test here, whatever the test did or however it ended: no renamed key outlives its test.
import { afterEach } from 'vitest';
import { resetKeymap } from '../../src/ui/keymap.js';

afterEach(resetKeymap);

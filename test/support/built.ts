// The built CLI the end-to-end tests run: a private build of this test run (test/support/global-setup.ts),
// so a rebuild of dist/ by anyone else meanwhile cannot pull files from under a running test.
import { dirname, join } from 'node:path';
import { inject } from 'vitest';

/** Absolute path of the built cli.js. */
export const CLI = inject('gcTuiCli');

/** A file of the same build, e.g. `plan-worker.js`. */
export function built(path: string): string {
  return join(dirname(CLI), path);
}

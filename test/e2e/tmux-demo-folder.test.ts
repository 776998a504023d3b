// `--demo` in the console works on a temporary folder (its store copy, the lock, the audit log, the metrics history):
// it goes when the console ends, by `q` or by a hang-up, as the headless commands' copy does. An export the operator
// asked for (`e`) goes into that folder: then the folder stays, and the console says where on its way out.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { waitFor } from '../support/wait.js';
import { CLI } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';

let app = new TmuxApp();

/** The demo folders under `tmp` (the console's TMPDIR). */
const demoFolders = (tmp: string) => readdirSync(tmp).filter((d) => d.startsWith('gc-tui-demo-'));

/** The console on the demo, its temporary files under a TMPDIR of the test's own; its pools view on screen. */
async function demo(): Promise<string> {
  const tmp = tempDir('gc-tui-demo-tmp-');
  app = new TmuxApp();
  app.start(CLI, '--demo --by e2e-demo 2>&1', { x: 120, y: 40, env: `TMPDIR=${tmp}` });
  await app.waitFor((s) => s.includes('HEALTH'), 'the pools view');
  expect(demoFolders(tmp)).toHaveLength(1);
  return tmp;
}

describe.skipIf(!hasTmux)('the demo folder', () => {
  afterEach(() => app.kill());

  test('q removes it', async () => {
    const tmp = await demo();
    app.keys('q');
    const s = await app.waitFor((x) => x.includes('EXITED:0'), 'exit', 15_000);
    expect(demoFolders(tmp)).toEqual([]);
    expect(s).not.toContain('gc-tui-demo-');
  });

  test('a hang-up removes it', async () => {
    const tmp = await demo();
    app.kill();
    await waitFor(
      () => demoFolders(tmp).join(' '),
      (d) => d === '',
      'the demo folder removed',
    );
  });

  test('after an export into it, q keeps it and says where the export is', async () => {
    const tmp = await demo();
    app.keys('e');
    await app.waitFor((x) => x.includes('Export a snapshot as:'), 'the export prompt');
    app.keys('Enter');
    await app.waitFor((x) => x.includes('exported md snapshot to'), 'the export');
    app.keys('q');
    const s = await app.waitFor((x) => x.includes('EXITED:0'), 'exit', 15_000);
    const [folder] = demoFolders(tmp);
    const md = readdirSync(join(tmp, folder)).find((n) => /^demo-city\.snapshot-.*\.md$/.test(n))!;
    expect(md).toBeDefined();
    expect(s.replace(/\n/g, '')).toContain(`kept for what was exported to it: ${join(tmp, folder, md)}`);
  });
});

// Quitting with repairs marked, in the built console on a real terminal: `q` asks and `y` quits, `^C` quits at once, and
// either way the console's last word on stderr names the marks it dropped (the exit code stays 0: nothing asked for
// was left undone), and the store file is as it was.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { CLI, DEMO } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';

const app = new TmuxApp();
afterEach(() => app.kill());

/** The demo store copied, the console on it in the repairs view with its first two repairs marked. */
async function twoMarked(): Promise<{ file: string; before: string }> {
  const file = join(tempDir('gc-tui-tmux-marks-'), 'demo.json');
  copyFileSync(DEMO, file);
  const before = readFileSync(file, 'utf8');
  app.start(CLI, `--store ${file}`);
  await app.waitFor((x) => x.includes('HEALTH'), 'the console');
  app.keys('6');
  await app.waitFor((x) => x.includes('undecided'), 'the repairs view');
  app.keys('Space', 'Space');
  await app.waitFor((x) => x.includes('2 marked'), 'two marks');
  return { file, before };
}

const DROPPED = /gc-tui: quit with 2 marked repairs not approved \([^)]+, [^)]+\): marks dropped, nothing written/;
/** The pane's text with the terminal's wrapping undone (stderr's line is longer than the pane is wide). */
const unwrapped = (s: string) => s.replace(/\n/g, '');

test.skipIf(!hasTmux)('q with marks asks, y quits, and stderr names the marks dropped', async () => {
  const { file, before } = await twoMarked();
  app.keys('q');
  await app.waitFor((x) => x.includes('2 marked repairs not approved — quit anyway? y/n'), 'the question');
  app.keys('y');
  const s = await app.waitFor((x) => x.includes('EXITED:'), 'the console gone');
  expect(unwrapped(s)).toMatch(DROPPED);
  expect(s).toMatch(/^EXITED:0$/m);
  expect(readFileSync(file, 'utf8')).toBe(before);
});

test.skipIf(!hasTmux)('^C with marks quits at once, and stderr names the marks dropped', async () => {
  const { file, before } = await twoMarked();
  app.keys('C-c');
  const s = await app.waitFor((x) => x.includes('EXITED:'), 'the console gone');
  expect(s).not.toContain('quit anyway');
  expect(unwrapped(s)).toMatch(DROPPED);
  expect(s).toMatch(/^EXITED:0$/m);
  expect(readFileSync(file, 'utf8')).toBe(before);
});

// A 100 000-bead generated store opens in a real terminal and scrolls without a frame taller than the
// terminal: the header stays on the first line and the footer on the last, whatever the list does.
// (Timings live in `npm run bench`; this only checks behaviour.) A long test: `npm run test:long`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { CLI } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

const app = new TmuxApp('big');
const tmux = (...args: string[]) => app.tmux(...args);
/** A settled screen: a capture taken halfway through a redraw is not a frame the terminal shows. */
const waitFor = (predicate: (s: string) => boolean, what: string) => app.waitFor(predicate, what, 60_000, { settled: true });

/** The screen is 40 rows; a frame taller than that scrolls the header away or leaves the footer off the last line. */
function expectWholeFrame(s: string) {
  const lines = s.split('\n');
  expect(lines[0]).toMatch(/^gc-tui /);
  expect(lines.filter((l) => l.startsWith('gc-tui ')).length).toBe(1);
  expect(lines.slice(0, 40).findLast((l) => l.trim() !== '')).toMatch(/q\S* quit/);
}

describe.skipIf(!hasTmux)('a 100 000-bead store in tmux', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('gc-tui-large-');
    const file = join(dir, 'big.json');
    const doc = generateStore({ beads: 100_000, seed: 7 });
    expect(doc.beads.length).toBe(100_000);
    writeFileSync(file, JSON.stringify(doc));
    app.start(CLI, `--store ${file}`);
  });
  afterAll(() => {
    app.kill();
  });

  test('opens, pages through a large pool and the repair queue, frames never taller than the terminal', async () => {
    let s = await waitFor((x) => x.includes('HEALTH'), 'the pools view');
    expectWholeFrame(s);
    tmux('send-keys', '-t', 'big', 'Enter');
    s = await waitFor((x) => /1–\d+ of [\d ]+/.test(x) && x.includes('SLOT'), 'the slots of the first pool');
    expectWholeFrame(s);
    const total = /of ([\d ]+\d)/.exec(s)![1].replace(/ /g, '');
    expect(Number(total)).toBeGreaterThan(10_000);
    tmux('send-keys', '-t', 'big', 'NPage', 'NPage', 'NPage');
    s = await waitFor((x) => !/ 1–\d+ of/.test(x), 'paging down');
    expectWholeFrame(s);
    tmux('send-keys', '-t', 'big', 'G');
    s = await waitFor((x) => new RegExp(`–${Number(total).toLocaleString('en').replace(/,/g, ' ')} of`).test(x), 'the last row');
    expectWholeFrame(s);
    tmux('send-keys', '-t', 'big', '6', 'G');
    s = await waitFor((x) => x.includes('KIND') && /–[\d ]+ of [\d ]+/.test(x), 'the repair queue');
    expectWholeFrame(s);
  }, 240_000);
});

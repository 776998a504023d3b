// The console in a real terminal: tmux on its own socket runs the built CLI, we send keys and read
// the screen. Needs the build (test/support/global-setup.ts makes it) and tmux.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { CLI } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';
import type { State } from '../../src/engine/types.js';
import { demoState } from '../ui/fixture.js';
import { selected } from '../support/frame-lines.js';

let app = new TmuxApp();
let dir = '';

const tmux = (...args: string[]) => app.tmux(...args);
const keys = (...k: string[]) => app.keys(...k);
const literal = (text: string) => app.literal(text);

const waitForScreen = (predicate: (s: string) => boolean, what: string, timeoutMs?: number) => app.waitFor(predicate, what, timeoutMs);

function writeStore(file: string, s: State) {
  writeFileSync(`${file}.tmp`, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...s, decisions: [] }, null, 1));
  renameSync(`${file}.tmp`, file);
}

function start(file: string, x = 120, y = 40, extra = '') {
  app.start(CLI, `--store ${file}`, { x, y, env: extra });
}

const contentHeight = (s: string) => s.replace(/\n+$/, '').split('\n').length;

describe.skipIf(!hasTmux)('console in tmux', () => {
  let file = '';
  beforeEach(() => {
    app = new TmuxApp();
    dir = tempDir('gc-tui-tmux-');
    file = join(dir, 'store.json');
    writeStore(file, demoState());
  });
  afterEach(() => {
    app.kill();
  });

  test('start, move, filter, switch views, resize, follow an outside change, quit with the terminal restored', async () => {
    start(file);
    let s = await waitForScreen((x) => x.includes('HEALTH') && x.includes('mayor'), 'the pools view');
    expect(s.split('\n')[0]).toMatch(/^gc-tui ui-city .*store\.json rules 2026-05 read/);
    expect(selected(s)).toContain('backend/worker');

    keys('j');
    await waitForScreen((x) => selected(x).includes('frontend/worker'), 'j');
    keys('Down', 'Up', 'k');
    await waitForScreen((x) => selected(x).includes('backend/worker'), 'Down Up k');

    keys('/');
    literal('front');
    s = await waitForScreen((x) => x.includes('filter "front"'), 'filter');
    expect(s).not.toMatch(/^ {2}backend\/worker/m);
    keys('Enter');
    keys('Escape');
    s = await waitForScreen((x) => !x.includes('filter "') && x.includes('mayor'), 'esc clears');
    // The cursor stays on the row it was on under the filter (it follows row ids, not positions).
    expect(selected(s)).toContain('frontend/worker');
    keys('k');
    await waitForScreen((x) => selected(x).includes('backend/worker'), 'k back to backend/worker');

    keys('2');
    await waitForScreen((x) => x.includes('AGENT_NAME') && x.includes('be-evil'), 'slots view');
    keys(':');
    literal('aliases');
    keys('Enter');
    await waitForScreen((x) => x.includes('HOLDER') && x.includes('named identity'), ':aliases');
    keys('6');
    await waitForScreen((x) => x.includes('REASON') && x.includes('rollback-stale-create'), 'repairs view');

    tmux('resize-window', '-t', 'app', '-x', '80', '-y', '20');
    // Settled: a capture can catch the frame half drawn after a resize (a card line where the footer goes).
    s = await app.waitFor(
      (x) => x.split('\n').every((l) => [...l].length <= 80) && x.includes('REASON') && contentHeight(x) <= 19,
      'resized frame',
      undefined,
      { settled: true },
    );
    expect(s.split('\n')[18]).toMatch(/\? help/);

    keys('2');
    await waitForScreen((x) => /be-evil .*asleep/.test(x), 'be-evil asleep');
    const changed = demoState();
    changed.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
    writeStore(file, changed);
    await waitForScreen((x) => /be-evil .*quarantined/.test(x), 'the outside change');

    keys('q');
    s = await waitForScreen((x) => x.includes('EXITED:0'), 'exit');
    // The alternate screen is gone: nothing of the console is left on the shell's screen.
    expect(s).not.toContain('HEALTH');
    expect(s).not.toContain('AGENT_NAME');
    expect(tmux('display-message', '-p', '-t', 'app', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });

  test('stderr to a file: quitting writes nothing there (no cursor code after the report), and the cursor shows', async () => {
    const err = join(dir, 'err.txt');
    app.start(CLI, `--store ${file} 2>${err}`, { x: 80, y: 24 });
    await waitForScreen((x) => x.includes('HEALTH'), 'start');
    keys('q');
    await waitForScreen((x) => x.includes('EXITED:0'), 'exit');
    // Ink's cursor package wrote ESC[?25h to stderr at exit, whatever stderr was: the console shows it on the terminal.
    expect(readFileSync(err, 'utf8')).toBe('');
    expect(tmux('display-message', '-p', '-t', 'app', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });

  test('emoji joined by ZWJs or a skin tone, accents written apart: every line keeps its line, drawn in the cells measured', async () => {
    const s = demoState();
    const md = (id: string) => s.beads.find((b) => b.id === id)!.metadata!;
    // tmux draws 👍🏽 in four cells where string-width (and so Ink) counts two: the slots row it stood in ran past the
    // 80 columns and wrapped, the frame a line taller than the terminal (its header scrolled off). A terminal that does
    // not join ZWJ sequences draws 👨‍👩‍👧 in six cells, and an accent written apart may take a cell of its own.
    md('fe-poison').alias = `${'👍🏽'.repeat(8)}x`;
    md('be-evil').alias = `${'👨\u200d👩\u200d👧'.repeat(3)}-${'e\u0301'.repeat(6)}`;
    writeStore(file, s);
    start(file, 80, 24);
    await waitForScreen((x) => x.includes('HEALTH'), 'start');
    keys(':');
    literal('slots frontend/worker');
    keys('Enter');
    const frame = (x: string) => x.split('\n').slice(0, 23);
    let f = await app.waitFor((x) => x.includes('fe-poison'), 'the slots view', undefined, { settled: true });
    // The frame is the terminal's height, its header on top and its footer at the bottom, and the row on one line.
    expect(frame(f)[0]).toMatch(/^gc-tui ui-city/);
    expect(frame(f)[22]).toContain('? help');
    const row = frame(f).find((l) => l.includes('fe-poison'))!;
    expect(row).toMatch(/frontend\/nux +3 /);
    // Each joining character is shown escaped: the thumbs are drawn alone, two cells each, as measured (the alias
    // is cut in the middle, FLAGS' first cells before it, between escapes, never inside one: `👍\u{1f3fd}…x`).
    expect(row).toMatch(/^ +2 fe-poison 👍\\u\{1f3fd\}…x /);
    // A's review pane lists both diffs (the alias fixes), their values escaped the same way, every line in its place.
    keys('6');
    await waitForScreen((x) => x.includes('REASON'), 'the repairs view');
    keys('/');
    literal('repair-alias');
    keys('Enter');
    await waitForScreen((x) => x.includes('filter "repair-alias"'), 'the filter');
    keys('A');
    f = await app.waitFor((x) => x.includes('Approve all:') && x.includes('be-evil'), 'the review pane', undefined, { settled: true });
    expect(f).toContain('👨\\u{200d}👩\\u{200d}👧');
    expect(f).toContain('e\\u{301}e\\u{301}');
    expect(frame(f)[0]).toMatch(/^gc-tui ui-city/);
    expect(frame(f)[2]).toContain('Approve all:');
    expect(frame(f)[22]).toContain('esc cancel');
  });

  test('hostile strings in the store stay inert on a real terminal', async () => {
    start(file);
    await waitForScreen((x) => x.includes('HEALTH'), 'start');
    keys('2');
    const s = await waitForScreen((x) => x.includes('be-evil'), 'slots');
    expect(s).toContain('evil\\e[2J\\e]0;pwned\\x07');
    // The screen was not cleared by the alias: the header is still there.
    expect(s.split('\n')[0]).toMatch(/^gc-tui ui-city/);
    expect(tmux('display-message', '-p', '-t', 'app', '#{pane_title}')).not.toContain('pwned');
  });

  test('SIGTERM restores the terminal', async () => {
    start(file);
    await waitForScreen((x) => x.includes('HEALTH'), 'start');
    const pid = tmux('list-panes', '-t', 'app', '-F', '#{pane_pid}').trim();
    // The pane runs sh -c; the node process is its child.
    const child = execFileSync('pgrep', ['-P', pid, '-f', 'dist/cli.js'], { encoding: 'utf8' }).trim().split('\n')[0];
    process.kill(Number(child), 'SIGTERM');
    const s = await waitForScreen((x) => x.includes('EXITED:'), 'exit');
    expect(s).toMatch(/EXITED:143/);
    expect(s).not.toContain('HEALTH');
    expect(tmux('display-message', '-p', '-t', 'app', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });
});

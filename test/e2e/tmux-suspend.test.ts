// ctrl-z in a real terminal: from a job-control shell the console stops as less and vim do (the shell's screen
// and prompt come back, the alternate screen is left) and `fg` brings back the same frame; started with no such
// shell above it (tmux runs it directly), ctrl-z says suspend is not available, and the console goes on.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { CLI } from './cli-helpers.js';
import { PROMPT, TmuxApp, hasTmux } from './tmux-driver.js';
import type { State } from '../../src/engine/types.js';
import { demoState } from '../ui/fixture.js';
import { selected } from '../support/frame-lines.js';

let app = new TmuxApp();

function writeStore(file: string, s: State) {
  writeFileSync(`${file}.tmp`, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...s, decisions: [] }, null, 1));
  renameSync(`${file}.tmp`, file);
}

const lastLine = (s: string) => s.replace(/\s+$/, '').split('\n').at(-1) ?? '';
/** Whether the alternate screen is on, and whether the cursor shows: `1 0` is the console's, `0 1` a shell's. */
const modes = () => app.tmux('display-message', '-p', '-t', app.session, '#{alternate_on} #{cursor_flag}').trim();

describe.skipIf(!hasTmux)('ctrl-z in tmux', () => {
  let file = '';
  beforeEach(() => {
    app = new TmuxApp();
    file = join(tempDir('gc-tui-suspend-'), 'store.json');
    writeStore(file, demoState());
  });
  afterEach(() => {
    app.kill();
  });

  /** The console started from the shell, moved one row down, then stopped with ctrl-z. */
  async function startedAndStopped(): Promise<string> {
    app.startShell({ x: 100, y: 30 });
    await app.waitFor((s) => lastLine(s) === PROMPT.trim(), 'the shell prompt');
    app.literal(`node ${CLI} --store ${file}`);
    app.keys('Enter');
    await app.waitFor((s) => s.includes('HEALTH') && selected(s).includes('backend/worker'), 'the pools view');
    app.keys('j');
    await app.waitFor((s) => selected(s).includes('frontend/worker'), 'j');
    app.keys('C-z');
    return app.waitFor((x) => /Stopped/.test(x) && lastLine(x) === PROMPT.trim() && !x.includes('HEALTH'), 'the shell after ctrl-z');
  }

  test('from a shell: ctrl-z gives the shell back, fg brings back the same frame, keys work again', async () => {
    let s = await startedAndStopped();
    expect(modes()).toBe('0 1');
    // The console wrote nothing on the shell's screen.
    expect(s).not.toContain('TEMPLATE');

    app.literal('fg');
    app.keys('Enter');
    s = await app.waitFor((x) => x.includes('HEALTH') && x.includes('mayor') && !x.includes(PROMPT), 'the console after fg', undefined, {
      settled: true,
    });
    expect(selected(s)).toContain('frontend/worker');
    expect(s.split('\n')[0]).toMatch(/^gc-tui ui-city /);
    expect(modes()).toBe('1 0');

    // Raw mode is back: a key acts at once, unechoed.
    app.keys('j');
    await app.waitFor((x) => selected(x).includes('mayor'), 'j after fg');
    app.keys('q');
    await app.waitFor((x) => lastLine(x) === PROMPT.trim() && !x.includes('HEALTH'), 'the shell after q');
    expect(modes()).toBe('0 1');
  });

  test('a resize while stopped: fg draws the frame at the new size', async () => {
    await startedAndStopped();
    app.tmux('resize-window', '-t', app.session, '-x', '60', '-y', '15');
    app.literal('fg');
    app.keys('Enter');
    const s = await app.waitFor((x) => x.includes('HEALTH') && selected(x).includes('frontend/worker'), 'the console after fg', undefined, {
      settled: true,
    });
    const lines = s.replace(/\s+$/, '').split('\n');
    expect(lines[0]).toMatch(/^gc-tui /);
    expect(lines.length).toBeLessThanOrEqual(15);
  });

  test('kill %1 while stopped: the console ends (143) and gives the shell back; it does not hang', async () => {
    await startedAndStopped();
    app.literal('kill %1; fg; echo "EXIT:$?"');
    app.keys('Enter');
    await app.waitFor((x) => /EXIT:143/.test(x), 'the exit code of the killed console');
    // The shell has its terminal back: a command runs and echoes.
    app.literal('echo ALIVE-$((20+22))');
    app.keys('Enter');
    const s = await app.waitFor((x) => x.includes('ALIVE-42'), 'a command after it');
    expect(modes()).toBe('0 1');
    expect(s).not.toContain('HEALTH');
  });

  /**
   * Kills job 1 and waits (5 s at most) for its process to be gone, then prints `ENDED-42:gone.` or
   * `ENDED-42:alive.` (computed: the command never shows it); bash then says how the job ended ("Terminated") before
   * its prompt. A console stopped again on its way out (SIGTTOU) stays alive. Neither `wait` (its status is gone
   * once bash has told of the job) nor `jobs` (it prints that notice itself, where it was sent to /dev/null) tells.
   */
  const KILL_AND_WAIT =
    'P=$(jobs -p %1); kill %1; for i in $(seq 50); do kill -0 $P 2>/dev/null || break; sleep 0.1; done; kill -0 $P 2>/dev/null && S=alive || S=gone; echo "ENDED-$((6*7)):$S."';
  const ended = (x: string) => x.includes('ENDED-42:') && /Terminated/.test(x);

  test('kill %1 alone while stopped: the console ends there, in the background, without fg', async () => {
    await startedAndStopped();
    // Ending, it must not set the terminal's modes back (Node does at exit): from the background that stopped it
    // with SIGTTOU, and the job stayed "Stopped (tty output)" instead of ending.
    app.literal(KILL_AND_WAIT);
    app.keys('Enter');
    const s = await app.waitFor(ended, 'the killed console gone and its job told of');
    expect(s).toMatch(/ENDED-42:gone\.$/m);
    expect(modes()).toBe('0 1');
  });

  test('bg while stopped: the console leaves the terminal alone and stops again; kill %1 then ends it', async () => {
    await startedAndStopped();
    app.literal(`bg; for i in $(seq 100); do jobs %1 | grep -q Stopped && break; sleep 0.1; done; jobs -l`);
    app.keys('Enter');
    let s = await app.waitFor((x) => /Stopped \(tty output\)/.test(x), 'the console stopped again, for the terminal');
    expect(s).not.toContain('HEALTH');
    expect(modes()).toBe('0 1');
    app.literal(KILL_AND_WAIT);
    app.keys('Enter');
    s = await app.waitFor(ended, 'the killed console gone and its job told of');
    expect(s).toMatch(/ENDED-42:gone\.$/m);
  });

  /** The console started in the background (`&`, a line of its own), then seen stopped, waiting for the terminal. */
  async function startedInBackground(): Promise<void> {
    app.startShell({ x: 100, y: 30 });
    await app.waitFor((s) => lastLine(s) === PROMPT.trim(), 'the shell prompt');
    app.literal(`stty -g > ${dirname(file)}/tty-before`);
    app.keys('Enter');
    // Its own line: it starts while the shell reads the next one, the terminal in the shell's line-editing modes.
    app.literal(`node ${CLI} --store ${file} &`);
    app.keys('Enter');
    app.literal('for i in $(seq 100); do jobs %1 | grep -q Stopped && break; sleep 0.1; done; jobs -l');
    app.keys('Enter');
    const s = await app.waitFor((x) => /Stopped \(tty output\)/.test(x), 'the console stopped, waiting for the terminal');
    expect(s).not.toContain('HEALTH');
    expect(modes()).toBe('0 1');
  }

  /** Prints TTY-2SAME when the terminal's modes are those of before the console started, else TTY-2CHANGED. */
  const ttySame = () => {
    const dir = dirname(file);
    return `stty -g > ${dir}/tty-after; cmp -s ${dir}/tty-before ${dir}/tty-after && echo "TTY-$((1+1))SAME" || echo "TTY-$((1+1))CHANGED"`;
  };

  test('started in the background: it waits, stopped, for the terminal; fg brings it up, and q leaves the modes as they were', async () => {
    await startedInBackground();
    app.literal('fg');
    app.keys('Enter');
    await app.waitFor((x) => x.includes('HEALTH') && selected(x).includes('backend/worker'), 'the console after fg');
    expect(modes()).toBe('1 0');
    app.keys('j');
    await app.waitFor((x) => selected(x).includes('frontend/worker'), 'j after fg');
    app.keys('q');
    await app.waitFor((x) => lastLine(x) === PROMPT.trim() && !x.includes('HEALTH'), 'the shell after q');
    app.literal(ttySame());
    app.keys('Enter');
    const s = await app.waitFor((x) => /TTY-2(SAME|CHANGED)/.test(x), 'the modes compared');
    expect(s).toContain('TTY-2SAME');
  });

  test("started in the background, then kill %1: it ends without touching the terminal, the shell's modes intact", async () => {
    await startedInBackground();
    // Node sets the terminal's modes back at a SIGTERM as it found them at its start: from a line of its own that was
    // the shell's line editor's (no echo, no line buffering), and the shell's next commands ran with them.
    app.literal(`${KILL_AND_WAIT}; ${ttySame()}`);
    app.keys('Enter');
    const s = await app.waitFor((x) => ended(x) && /TTY-2(SAME|CHANGED)/.test(x), 'the console gone and the modes compared');
    expect(s).toMatch(/ENDED-42:gone\.$/m);
    expect(s).toContain('TTY-2SAME');
  });

  test('with no job-control shell above it: ctrl-z says so, and the console goes on', async () => {
    app.start(CLI, `--store ${file}`);
    await app.waitFor((s) => s.includes('HEALTH') && selected(s).includes('backend/worker'), 'the pools view');
    app.keys('j');
    await app.waitFor((s) => selected(s).includes('frontend/worker'), 'j');
    app.keys('C-z');
    let s = await app.waitFor((x) => x.includes('^Z: suspend is not available here; q quits'), 'the message');
    expect(selected(s)).toContain('frontend/worker');
    expect(modes()).toBe('1 0');
    app.keys('j');
    await app.waitFor((x) => selected(x).includes('mayor'), 'j after ctrl-z');
    app.keys('q');
    s = await app.waitFor((x) => x.includes('EXITED:0'), 'exit');
    expect(s).not.toContain('HEALTH');
    expect(modes()).toBe('0 1');
  });
});

// ctrl-z: the console gives the terminal back as a shell expects it, stops itself as a shell's ctrl-z would,
// and on `fg` takes the terminal again and redraws the same frame; where there is no job control it says so.
import { afterEach, describe, expect, test } from 'vitest';
import type { JobControl } from '../../src/console/services.js';
import { localServices } from '../../src/console/services.js';
import { leaveScreen } from '../../src/ui/screen.js';
import {
  ownsTerminal,
  processJobControl,
  suspendToShell,
  suspendUnavailable,
  untilForeground,
  type SuspendOutcome,
} from '../../src/ui/suspend.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, renderApp, type Harness } from './render.js';
import { selected } from '../support/frame-lines.js';

/** Job control that logs what is asked of it; `continues`: stop() returns as a stopped job continued by `fg` does. */
function fakeJobs(
  log: string[],
  continues: boolean,
  whileStopped = () => {},
): JobControl & { afterStopDue(): void; listening(): number; owns: boolean; cont(): void } {
  const conts: (() => void)[] = [];
  let due: (() => void) | null = null;
  return {
    owns: true,
    ownsTerminal() {
      return this.owns;
    },
    stop: (why) => {
      log.push(why ? `stop ${why}` : 'stop');
      whileStopped();
      // A continued process hears SIGCONT on its event loop, after stop() returned.
      if (continues) queueMicrotask(() => conts.slice().forEach((c) => c()));
    },
    onContinue: (cb) => {
      log.push('listen');
      conts.push(cb);
      return () => {
        const i = conts.indexOf(cb);
        if (i >= 0) conts.splice(i, 1);
      };
    },
    afterStop: (cb) => {
      due = cb;
      return () => {
        due = null;
      };
    },
    afterStopDue: () => due?.(),
    listening: () => conts.length,
    cont: () => conts.slice().forEach((c) => c()),
  };
}

function fakeTerminal(log: string[]) {
  return { leave: () => log.push('leave'), enter: () => log.push('enter'), redraw: () => log.push('redraw') };
}

/** ctrl-z on fake job control, then a continue heard while the terminal is another group's (`bg`). */
function continuedInBackground() {
  const log: string[] = [];
  const jobs = fakeJobs(log, false);
  const outcomes: SuspendOutcome[] = [];
  suspendToShell(jobs, fakeTerminal(log), (o) => outcomes.push(o));
  jobs.owns = false;
  jobs.cont();
  return { log, jobs, outcomes };
}

describe('suspendToShell', () => {
  test('gives the terminal back, stops, and on continue takes it again and redraws', async () => {
    const log: string[] = [];
    const jobs = fakeJobs(log, true);
    const outcome = await new Promise<SuspendOutcome>((res) => suspendToShell(jobs, fakeTerminal(log), res));
    expect(outcome).toBe('resumed');
    expect(log).toEqual(['listen', 'leave', 'stop', 'enter', 'redraw']);
    expect(jobs.listening()).toBe(0);
    // A late "no effect" check does nothing more.
    jobs.afterStopDue();
    expect(log).toHaveLength(5);
  });

  test('a stop without effect (an orphaned process group): the terminal is taken again at once, and it says so', () => {
    const log: string[] = [];
    const jobs = fakeJobs(log, false);
    const outcomes: SuspendOutcome[] = [];
    suspendToShell(jobs, fakeTerminal(log), (o) => outcomes.push(o));
    expect(log).toEqual(['listen', 'leave', 'stop']);
    jobs.afterStopDue();
    expect(outcomes).toEqual(['unavailable']);
    expect(log).toEqual(['listen', 'leave', 'stop', 'enter', 'redraw']);
    expect(jobs.listening()).toBe(0);
  });

  test('continued in the background (bg): the terminal is left alone and the console stops again, then fg takes it', () => {
    const { log, jobs, outcomes } = continuedInBackground();
    // Not taken: no raw mode, no alternate screen on a terminal the shell has (that would stop it with SIGTTOU).
    expect(log).toEqual(['listen', 'leave', 'stop', 'listen']);
    expect(outcomes).toEqual([]);
    jobs.afterStopDue();
    expect(log).toEqual(['listen', 'leave', 'stop', 'listen', 'stop tty']);
    jobs.owns = true;
    jobs.cont();
    expect(outcomes).toEqual(['resumed']);
    expect(log.slice(-2)).toEqual(['enter', 'redraw']);
    expect(jobs.listening()).toBe(0);
  });

  test('continued just before the shell hands over the terminal: taken once it has it, with no second stop', () => {
    const { log, jobs, outcomes } = continuedInBackground();
    jobs.owns = true;
    jobs.afterStopDue();
    expect(outcomes).toEqual(['resumed']);
    expect(log).toEqual(['listen', 'leave', 'stop', 'listen', 'enter', 'redraw']);
    expect(jobs.listening()).toBe(0);
  });

  test("whether the terminal is the process's: its group against the terminal's foreground group", () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid …
    expect(ownsTerminal(() => '4242 (node) S 4000 4242 4000 34818 4242 4194304 1 0')).toBe(true);
    expect(ownsTerminal(() => '4242 (node) T 4000 4242 4000 34818 4000 4194304 1 0')).toBe(false);
    // The terminal hung up: no foreground group.
    expect(ownsTerminal(() => '4242 (node) S 1 4242 4000 0 -1 4194304 1 0')).toBe(false);
    // A command name may hold spaces and parentheses.
    expect(ownsTerminal(() => '4242 (a) b (c) S 4000 4242 4000 34818 4000 0')).toBe(false);
    expect(ownsTerminal(() => '4242 (a) b (c) S 4000 4242 4000 34818 4242 0')).toBe(true);
    // Where it cannot be told (no /proc): taken as before.
    expect(
      ownsTerminal(() => {
        throw new Error('ENOENT');
      }),
    ).toBe(true);
  });

  test('no job control: the terminal is not touched', () => {
    const log: string[] = [];
    const outcomes: SuspendOutcome[] = [];
    suspendToShell(null, fakeTerminal(log), (o) => outcomes.push(o));
    expect(outcomes).toEqual(['unavailable']);
    expect(log).toEqual([]);
  });

  test('cancelled while stopped (the console unmounted): a later continue leaves the terminal alone', () => {
    const log: string[] = [];
    const jobs = fakeJobs(log, false);
    const cancel = suspendToShell(jobs, fakeTerminal(log), () => log.push('done'));
    cancel();
    jobs.afterStopDue();
    expect(jobs.listening()).toBe(0);
    expect(log).toEqual(['listen', 'leave', 'stop']);
  });

  test('the process has job control only on a terminal, and not on Windows', () => {
    expect(processJobControl({ isTTY: false }, 'linux')).toBeNull();
    expect(processJobControl({ isTTY: true }, 'win32')).toBeNull();
    expect(processJobControl({ isTTY: true }, 'linux')).not.toBeNull();
  });
});

describe('untilForeground: a console started in the background', () => {
  /** untilForeground on fake job control whose terminal is another group's; `ended`: the signals that ended it. */
  function waiting(continues = false) {
    const log: string[] = [];
    const jobs = fakeJobs(log, continues);
    jobs.owns = false;
    const ended: string[] = [];
    let ready = false;
    void untilForeground(jobs, (s) => ended.push(s)).then(() => {
      ready = true;
    });
    return { log, jobs, ended, ready: async () => (await new Promise((r) => setImmediate(r)), ready) };
  }

  test('in the foreground it goes on at once, stopping nothing', async () => {
    const log: string[] = [];
    await untilForeground(fakeJobs(log, false));
    await untilForeground(null);
    expect(log).toEqual([]);
  });

  test('it stops as a job that needs the terminal, before touching it; fg: it goes on', async () => {
    const w = waiting();
    expect(w.log).toEqual(['listen', 'stop tty']);
    expect(await w.ready()).toBe(false);
    w.jobs.owns = true;
    w.jobs.cont();
    expect(await w.ready()).toBe(true);
    expect(w.jobs.listening()).toBe(0);
  });

  test('bg: after a margin for a signal sent with the continue, it stops again; a signal while it waits ends it', async () => {
    const w = waiting();
    const before = process.listenerCount('SIGTERM');
    w.jobs.cont();
    expect(w.log).toEqual(['listen', 'stop tty', 'listen']);
    w.jobs.afterStopDue();
    expect(w.log).toEqual(['listen', 'stop tty', 'listen', 'listen', 'stop tty']);
    expect(await w.ready()).toBe(false);
    // kill %1 (SIGTERM, then a continue): ended as if it had no handler, the terminal untouched.
    process.emit('SIGTERM', 'SIGTERM');
    expect(w.ended).toEqual(['SIGTERM']);
    w.jobs.owns = true;
    w.jobs.cont();
    expect(await w.ready()).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(before - 1);
  });

  test('a stop without effect (an orphaned process group): it goes on as before', async () => {
    const w = waiting();
    w.jobs.afterStopDue();
    expect(await w.ready()).toBe(true);
    expect(w.log).toEqual(['listen', 'stop tty']);
    expect(w.jobs.listening()).toBe(0);
  });
});

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const CTRL_Z = '\u001a';

describe('ctrl-z in the console', () => {
  /** The console on a terminal that logs raw mode and what is written, from the ctrl-z on. */
  async function consoleAt(jobs: JobControl | undefined) {
    h = renderApp(storeWith(demoState()), { services: { ...localServices(), jobControl: jobs } });
    await h.waitForFrame((f) => selected(f).includes('backend/worker'), 'the pools view');
    await h.press('j');
    await h.waitForFrame((f) => selected(f).includes('frontend/worker'), 'j');
    const log: string[] = [];
    const stdin = h.stdin as unknown as { setRawMode(m: boolean): void };
    stdin.setRawMode = (m: boolean) => log.push(`raw ${m}`);
    const stdout = h.stdout as unknown as { write(s: string): boolean };
    const write = stdout.write.bind(stdout);
    stdout.write = (s: string) => {
      log.push(JSON.stringify(s.slice(0, 40)));
      return write(s);
    };
    return log;
  }

  test('suspends and comes back with the same frame: the screen, cursor, paste marks and raw mode undone, then redone', async () => {
    const log: string[] = [];
    // While it is stopped the console has something new to draw (a live update): it must not draw it on the shell's screen.
    const jobs = fakeJobs(log, true, () => h!.store.getState().setMessage({ text: 'an update while stopped', tone: 'info' }));
    const term = await consoleAt(jobs);
    await h!.press(CTRL_Z);
    await h!.waitForFrame(() => log.includes('stop') && term.some((l) => l.startsWith('"\\u001b[2J')), 'the redraw');
    // Given back exactly as quitting gives it back (screen.ts), then taken again with the cursor hidden.
    const left: string[] = [];
    leaveScreen({ isTTY: true, setRawMode: (m) => left.push(`raw ${m}`) }, { write: (s) => left.push(JSON.stringify(s)) });
    expect(term.slice(0, 2)).toEqual(left);
    expect(term.slice(2, 5), "nothing is drawn on the shell's screen").toEqual([
      'raw true',
      JSON.stringify('\u001b[?1049h\u001b[H\u001b[?2004h'),
      JSON.stringify('\u001b[?25l'),
    ]);
    // The whole frame again through Ink's write (a clear, then Ink draws its last frame whole; the tmux test sees
    // it), and nothing of the console's state is lost: the cursor goes on from the row it was on.
    expect(term[5]).toMatch(/^"\\u001b\[2J\\u001b\[H/);
    expect(log).toEqual(['listen', 'stop']);
    await h!.press('j');
    const after = await h!.waitForFrame((f) => selected(f).includes('mayor'), 'j after the suspend');
    expect(after).not.toContain(suspendUnavailable());
  });

  test('a half-typed filter survives a suspend', async () => {
    const jobs = fakeJobs([], true);
    const term = await consoleAt(jobs);
    await h!.press('/', 'f', 'r');
    await h!.waitForFrame((f) => f.includes('/fr'), 'the filter typed');
    await h!.press(CTRL_Z);
    await h!.waitForFrame(() => term.includes('raw true'), 'back');
    await h!.press('o');
    const f = await h!.waitForFrame((x) => x.includes('/fro'), 'typing goes on');
    expect(h!.store.getState().ui.mode).toBe('filter');
    expect(f).not.toContain(suspendUnavailable());
  });

  test("A's review pane survives a suspend: its place in the list and the count typed", async () => {
    const jobs = fakeJobs([], true);
    const term = await consoleAt(jobs);
    await h!.press('6');
    await h!.waitForFrame((x) => x.includes('STATUS'), 'the repairs view');
    await h!.press('A');
    const range = (f: string) => /\((\d+–\d+ of \d+)\)/.exec(f)?.[1] ?? '';
    const status = (f: string) => f.split('\n').at(-2) ?? '';
    await h!.waitForFrame((x) => range(x).startsWith('1–'), 'the review pane');
    await h!.press('j', 'j', '7');
    const before = await h!.waitForFrame((x) => range(x).startsWith('3–') && status(x).endsWith(' 7'), 'scrolled, and typed');
    await h!.press(CTRL_Z);
    await h!.waitForFrame(() => term.includes('raw true'), 'back');
    await h!.press('j');
    const f = await h!.waitForFrame((x) => range(x).startsWith('4–'), 'scrolling goes on from there');
    // The count typed and the prompt (how many lines are yet to be read counts down as the pane stays on screen).
    const prompt = (x: string) => status(x).replace(/\(\d+ of \d+ not yet on screen\)/, '(…)');
    expect(prompt(f)).toBe(prompt(before));
    expect(prompt(f)).toMatch(/Type 7 to approve these 7 repairs: 7$/);
    expect(f).not.toContain(suspendUnavailable());
  });

  test('where the stop has no effect, the console comes back at once and says suspend is not available', async () => {
    const log: string[] = [];
    const jobs = fakeJobs(log, false);
    const term = await consoleAt(jobs);
    await h!.press(CTRL_Z);
    await h!.waitForFrame(() => log.includes('stop'), 'the stop');
    jobs.afterStopDue();
    const f = await h!.waitForFrame((x) => x.includes(suspendUnavailable()), 'the message');
    expect(selected(f)).toContain('frontend/worker');
    expect(term).toContain('raw true');
  });

  // Inside a prompt the status line is the prompt's: the message goes on a line above it, and the prompt, with what
  // is typed, stays open (typing goes on). `open` opens it; `shows` is how its line reads.
  const PROMPTS: [string, (app: Harness) => Promise<void>, RegExp][] = [
    ['the filter', (app) => app.press('/', 'f', 'r'), /^\/fr/],
    [
      'the reject reason',
      async (app) => {
        await app.press('6');
        await app.waitForFrame((x) => x.includes('STATUS'), 'the repairs view');
        await app.press('r', 'f', 'r');
      },
      /Reject .* fr/,
    ],
    [
      'the count prompt',
      async (app) => {
        await app.press('6');
        await app.waitForFrame((x) => x.includes('STATUS'), 'the repairs view');
        // A marked repair: `A` asks for the count of the marks at once.
        await app.press(' ');
        await app.waitForFrame((x) => x.includes('1 marked'), 'one mark');
        await app.press('A', '1');
      },
      /^Type \d+.* 1/,
    ],
  ];
  for (const [what, open, shows] of PROMPTS)
    test(`with no job control, ctrl-z in ${what} says so above it, and the prompt stays open`, async () => {
      await consoleAt(undefined);
      await open(h!);
      const status = (f: string) => f.split('\n').at(-2) ?? '';
      await h!.waitForFrame((x) => shows.test(status(x)), what);
      const mode = h!.store.getState().ui.mode;
      await h!.press(CTRL_Z);
      const f = await h!.waitForFrame((x) => x.includes(suspendUnavailable()), 'the message');
      expect(status(f), 'the prompt keeps its line').toMatch(shows);
      expect(f.split('\n').at(-3)).toContain(suspendUnavailable());
      expectFits(f, 100, 30);
      expect(h!.store.getState().ui.mode).toBe(mode);
      await h!.press('o');
      await h!.waitForFrame((x) => new RegExp(`${shows.source}o`).test(status(x)), 'typing goes on');
    });

  test('with no job control, ctrl-z says so and leaves the terminal alone', async () => {
    const term = await consoleAt(undefined);
    await h!.press(CTRL_Z);
    const f = await h!.waitForFrame((x) => x.includes(suspendUnavailable()), 'the message');
    expect(selected(f)).toContain('frontend/worker');
    expect(term.filter((l) => l.startsWith('raw'))).toEqual([]);
  });
});

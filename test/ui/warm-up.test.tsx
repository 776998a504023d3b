// The off-screen warm-up run while the first read is on its way: the keys reach a console of its own, nothing is
// drawn on the terminal, the operator's console state is not touched, and nothing that goes wrong in it reaches the
// real console or the process.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useInput } from 'ink';
import { useEffect, useState } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { warmUp, type ScratchMount } from '../../src/ui/warm-up.js';
import { App } from '../../src/ui/App.js';
import { demoState, storeWith } from './fixture.js';
import { renderApp } from './render.js';
import { until } from '../support/wait.js';

const SIZE = { rows: 40, columns: 120 };
const CHILD = join(import.meta.dirname, '..', 'support', 'warm-up-child.tsx');
const REJECTING = join(import.meta.dirname, '..', 'support', 'warm-up-rejection-child.tsx');

/**
 * warm-up-rejection-child.tsx run with these node arguments and NODE_OPTIONS: its exit code, stdout and stderr, the
 * pid and the rejection id Node counts left out (the warm-up cannot know it), and the source line Node quotes above a
 * thrown error (where it was thrown: the warm-up's listener throws it on).
 */
async function rejecting(node: string[], nodeOptions: string, ...args: string[]) {
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', ...node, REJECTING, ...args],
      { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: nodeOptions } },
      (_, stdout, stderr) => res({ code: child.exitCode, stdout, stderr }),
    );
  });
  const stderr = r.stderr
    .replace(/\(node:\d+\)/g, '(node)')
    .replace(/ \(rejection id: \d+\)/g, '')
    .replace(/^\S+:\d+\n.*\n *\^\n/, '');
  return { ...r, stderr };
}

/** A real console's first frame, and its frame after `j` moved the cursor (its keys work). */
async function realConsole() {
  const h = renderApp(storeWith(demoState(), SIZE));
  const first = await h.waitForFrame((x) => x.includes('TEMPLATE'), 'the pools view');
  await h.press('j');
  const moved = await h.waitForFrame((x) => x !== first, 'the cursor moved by j');
  h.unmount();
  return { first, moved };
}

class Injected extends Error {}

/**
 * The scratch console failing at one point: its mount, a render after a key, a key's handler, a timer's callback, a
 * promise its effect rejects and nothing handles.
 */
const FAILING: Record<string, ScratchMount> = {
  mount: () => {
    throw new Injected('at mount');
  },
  render: (store) => {
    function FailsOnSecondKey() {
      const [keys, setKeys] = useState(0);
      useInput(() => setKeys((n) => n + 1));
      if (keys >= 2) throw new Injected('in a render');
      return <App store={store} color={false} />;
    }
    return <FailsOnSecondKey />;
  },
  key: (store) => {
    function FailsOnKey() {
      useInput(() => {
        throw new Injected('on a key');
      });
      return <App store={store} color={false} />;
    }
    return <FailsOnKey />;
  },
  timer: (store) => {
    function FailsInTimer() {
      useEffect(() => {
        const t = setTimeout(() => {
          throw new Injected('in a timer callback');
        }, 0);
        return () => clearTimeout(t);
      }, []);
      return <App store={store} color={false} />;
    }
    return <FailsInTimer />;
  },
  promise: (store) => {
    function RejectsInEffect() {
      useEffect(() => {
        void (async () => {
          await null;
          throw new Injected("in an effect's async code");
        })();
      }, []);
      return <App store={store} color={false} />;
    }
    return <RejectsInEffect />;
  },
};

describe('the warm-up before the first look', () => {
  afterEach(() => vi.restoreAllMocks());

  test('draws its frames off screen, and a console mounted after it starts as one mounted before it', async () => {
    const before = await realConsole();
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const frames = await warmUp(SIZE, () => false);
    // The first frame and the keys' frames: the keys reached the scratch console.
    expect(frames).toBeGreaterThan(1);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    // Its keys (cursor moves, a view switch) left nothing behind in what consoles share (the keymap, the rows' caches).
    expect(await realConsole()).toEqual(before);
  });

  test('does nothing once the first look is there', async () => {
    expect(await warmUp(SIZE, () => true)).toBe(0);
  });

  test('stops typing when the first look comes', async () => {
    let asked = 0;
    // The first look arrives after the first key.
    const frames = await warmUp(SIZE, () => ++asked > 2);
    expect(asked).toBe(3);
    expect(frames).toBeGreaterThan(0);
  });

  test.each(Object.keys(FAILING))(
    'a scratch console failing %s stops the warm-up, prints nothing and leaves the real console as it was',
    async (point) => {
      const before = await realConsole();
      const out = vi.spyOn(process.stdout, 'write');
      const err = vi.spyOn(process.stderr, 'write');
      const uncaught = vi.fn();
      process.on('uncaughtException', uncaught);
      // As in gc-tui's own process, no other 'unhandledRejection' listener (the test runner's would report one).
      const runners = process.listeners('unhandledRejection');
      process.removeAllListeners('unhandledRejection');
      let asked = 0;
      let left: number | undefined;
      try {
        // Resolves (never rejects), having stopped before its last key.
        await warmUp(
          SIZE,
          () => {
            asked++;
            return false;
          },
          FAILING[point],
        );
        left = process.listenerCount('unhandledRejection');
      } finally {
        process.off('uncaughtException', uncaught);
        process.removeAllListeners('unhandledRejection');
        for (const l of runners) process.on('unhandledRejection', l);
      }
      // The warm-up's listener stays once it ended (its scratch console's code may reject later), and is the only one.
      expect(left).toBe(1);
      // Asked before the first key and before each key typed: it stopped within three of its eight keys.
      expect(asked).toBeLessThanOrEqual(3);
      expect(uncaught).not.toHaveBeenCalled();
      expect(out).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
      vi.restoreAllMocks();
      expect(await realConsole()).toEqual(before);
    },
  );

  test("a rejection of the process's own code while it runs is thrown as Node throws it without the warm-up", async () => {
    // The runner's listeners out of the way, as in gc-tui's own process: an unhandled rejection is then thrown.
    const rejections = process.listeners('unhandledRejection');
    const exceptions = process.listeners('uncaughtException');
    process.removeAllListeners('unhandledRejection');
    process.removeAllListeners('uncaughtException');
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    const outside = new Injected('outside the scratch console');
    let frames: number | undefined;
    try {
      const running = warmUp(SIZE, () => false);
      void Promise.reject(outside);
      frames = await running;
    } finally {
      process.off('uncaughtException', uncaught);
      process.removeAllListeners('unhandledRejection');
      for (const l of rejections) process.on('unhandledRejection', l);
      for (const l of exceptions) process.on('uncaughtException', l);
    }
    expect(uncaught).toHaveBeenCalledTimes(1);
    expect(uncaught.mock.calls[0][0]).toBe(outside);
    // Not the scratch console's failure: it typed its keys.
    expect(frames).toBeGreaterThan(1);
  });

  test("a timer the scratch console sets once the warm-up has ended is guarded too; the process's own timers are not", async () => {
    let open = () => {};
    const ended = new Promise<void>((res) => (open = res));
    let fired = false;
    // Its effect's promise settles after the warm-up ended, and sets a timer then, whose callback throws.
    const late: ScratchMount = (store) => {
      function SetsTimerLate() {
        useEffect(() => {
          void ended.then(() =>
            setTimeout(() => {
              fired = true;
              throw new Injected('in a timer set after the warm-up ended');
            }, 0),
          );
        }, []);
        return <App store={store} color={false} />;
      }
      return <SetsTimerLate />;
    };
    // The runner's listeners out of the way, as in gc-tui's own process: an uncaught exception would end it.
    const exceptions = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    const outside = new Injected('outside the scratch console');
    try {
      await warmUp(SIZE, () => false, late);
      open();
      await until(() => fired, 'the timer set after the warm-up fired');
      setTimeout(() => {
        throw outside;
      }, 0);
      await until(() => uncaught.mock.calls.length > 0, "the error of the process's own timer");
    } finally {
      process.off('uncaughtException', uncaught);
      for (const l of exceptions) process.on('uncaughtException', l);
    }
    expect(uncaught.mock.calls.map((c: unknown[]) => c[0])).toEqual([outside]);
  });

  test('its --unhandled-rejections mode is the one the process started with: NODE_OPTIONS changed later changes it not, as in Node', async () => {
    const rejections = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const saved = process.env.NODE_OPTIONS;
    const outside = new Injected('outside the scratch console');
    // What the warm-up's listener, the only one, does with a rejection of the process's own code: Node's default.
    const rejected = () => process.emit('unhandledRejection', outside, Promise.resolve());
    try {
      await warmUp(SIZE, () => false);
      expect(rejected).toThrow(outside);
      process.env.NODE_OPTIONS = `${saved ?? ''} --unhandled-rejections=none`;
      expect(rejected).toThrow(outside);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
      process.removeAllListeners('unhandledRejection');
      for (const l of rejections) process.on('unhandledRejection', l);
    }
  });

  // Node's --unhandled-rejections mode, however given: `=MODE` or the next argument, `_` for `-`, in NODE_OPTIONS or
  // on the command line (which wins). `mode`: the one Node runs by.
  const MODES = [
    { node: ['--unhandled-rejections=throw'], options: '', mode: 'throw', given: 'node --unhandled-rejections=MODE' },
    { node: ['--unhandled-rejections=warn'], options: '', mode: 'warn', given: 'node --unhandled-rejections=MODE' },
    { node: [], options: '--unhandled-rejections=warn-with-error-code', mode: 'warn-with-error-code', given: 'in NODE_OPTIONS' },
    {
      node: ['--unhandled-rejections', 'warn-with-error-code'],
      options: '',
      mode: 'warn-with-error-code',
      given: 'node --unhandled-rejections MODE',
    },
    { node: ['--unhandled-rejections=strict'], options: '', mode: 'strict', given: 'node --unhandled-rejections=MODE' },
    { node: [], options: '--unhandled-rejections none', mode: 'none', given: 'NODE_OPTIONS, MODE after it' },
    { node: ['--unhandled-rejections=throw'], options: '"--unhandled_rejections=none"', mode: 'throw', given: 'over NODE_OPTIONS' },
  ];

  test.each(MODES)(
    "$mode, $given: a rejection of the process's own code while it runs or after it ended is what it is without the warm-up",
    async ({ node, options, mode }) => {
      // Side by side: the same rejection without the warm-up, while it runs and after it.
      const [bare, warm, late] = await Promise.all(['bare', 'warm', 'late'].map((how) => rejecting(node, options, 'outside', how)));
      expect(warm).toEqual(bare);
      expect(late).toEqual(bare);
      // The mode is the one Node ran by: a thrown rejection ends the process, a warning does not.
      expect({ ended: bare.stdout === '', warned: bare.stderr.includes('UnhandledPromiseRejectionWarning') }).toEqual({
        ended: mode === 'throw' || mode === 'strict',
        warned: mode === 'warn' || mode === 'warn-with-error-code',
      });
    },
  );

  test.each(MODES)(
    '$mode, $given: a scratch console rejection, while it runs or after it ended, is its own failure: nothing printed, exit code 0',
    async ({ node, options }) => {
      for (const how of ['warm', 'late'])
        expect(await rejecting(node, options, 'scratch', how), how).toEqual({ code: 0, stdout: 'ran on, exit code 0\n', stderr: '' });
    },
  );

  test('leaves nothing to be written to the process stdout or stderr at exit', () => {
    // A process that runs only the warm-up: its stdout and stderr stay empty up to its end (Ink's cursor code once
    // registered an exit hook that wrote ESC[?25h to the real stderr).
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    expect({ code: r.status, stdout: r.stdout, stderr: JSON.stringify(r.stderr) }).toEqual({ code: 0, stdout: '', stderr: '""' });
  });
});

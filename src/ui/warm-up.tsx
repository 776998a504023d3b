// The console's key-to-frame path run once, off screen, while the main thread waits for the first read: the first
// key an operator types after the first frame otherwise runs React's update, Ink's frame writer, the input parser and
// the key handlers for the first time, in the interpreter (docs/speed.md).
//
// It is an optimisation and must never be the reason the real console fails: whatever goes wrong in the scratch
// console (its mount, a render, a key, a timer it set, a promise of its async code that rejects unhandled, then or
// later) stops the warm-up and is dropped, and it writes nothing to the process's own stdout or stderr, then or at exit.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import { render, type Instance } from 'ink';
import { Component, type ReactElement, type ReactNode } from 'react';
import { plan } from '../engine/index.js';
import type { Bead, State } from '../engine/types.js';
import { nodeStartArgs } from '../console/node-args.js';
import { createAppStore, type AppStore } from '../console/state.js';
import { App } from './App.js';
import { MAX_FPS } from './mount.js';

/** Typed into the scratch console: the pools view's cursor moves, a view switch there and back. */
const KEYS = ['j', 'j', 'k', '2', 'j', '1', 'j', 'k'];
/** Past Ink's frame throttle at MAX_FPS, so each key's frame is made as an operator's would be. */
const KEY_GAP_MS = 20;
const AT = Date.parse('2026-01-01T00:00:00Z');

function sampleBead(i: number): Bead {
  const agent = `warm/worker-${i}`;
  return {
    id: `warm-${i}`,
    title: agent,
    status: 'open',
    issue_type: 'session',
    labels: ['gc:session', `agent:${agent}`],
    metadata: {
      template: 'warm/worker',
      pool_managed: 'true',
      session_origin: 'ephemeral',
      session_name: `s-warm-${i}`,
      state: i % 2 ? 'active' : 'asleep',
      agent_name: agent,
      alias: agent,
      pool_slot: String(i),
    },
    created_at: '2026-01-01T00:00:00Z',
  };
}

/** A small city of one pool, its own: nothing of the operator's. */
export function sampleState(): State {
  const beads: Bead[] = [];
  for (let i = 1; i <= 6; i++) beads.push(sampleBead(i));
  return {
    city: { workspace: { name: 'warm-up' }, agents: [{ name: 'worker', dir: 'warm', max_active_sessions: 8 }] },
    beads,
  };
}

class ScratchOutput extends EventEmitter {
  // Not a terminal to Ink's cursor code: cli-cursor hides the cursor only on a TTY, and the first time it does so it
  // registers restore-cursor's exit hook, which writes `ESC[?25h` to the process's real stderr at exit, whether or not
  // the real console ever took the terminal (a first read that fails is then one line on stderr and those bytes).
  // Ink then draws the scratch frames as to a pipe (no full-screen branch, no synchronized-output markers): the same
  // React update, layout, frame writer and input path the operator's first key runs.
  readonly isTTY = false;
  readonly rows: number;
  readonly columns: number;
  constructor(size: { rows: number; columns: number }) {
    super();
    this.rows = size.rows;
    this.columns = size.columns;
  }
  write(): boolean {
    return true;
  }
}

class ScratchInput extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/** A render error in the scratch console: caught here, before Ink's own boundary draws it and exits. */
class Contained extends Component<{ onError: (e: unknown) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(e: unknown) {
    this.props.onError(e);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** What the running warm-up was told of its scratch console's failures. */
interface Scratch {
  fail(e: unknown): void;
}

/**
 * The warm-up in whose async context code runs (the scratch console's renders, effects and timers inherit it): a timer
 * callback that throws there is the scratch console's failure, not an uncaught exception of the process.
 */
const scratchContext = new AsyncLocalStorage<Scratch>();

type TimerSetter = (callback: (...args: unknown[]) => void, ...rest: unknown[]) => unknown;
const TIMERS = ['setTimeout', 'setInterval', 'setImmediate'] as const;

/** The guarded timer functions in place, by name, each over the one it was put over. */
const guards = new Map<(typeof TIMERS)[number], TimerSetter>();

/**
 * The global timer functions guard the callbacks of timers set in the scratch console's context (React's effects and
 * Ink's throttles read them at call time); any other caller, the real console's code, gets the original. Put in place
 * at the first warm-up and left there: the scratch console's code may still run after it ended (a promise it made
 * settling later, a timer it set firing later) and set a timer then, whose callback's error would otherwise be an
 * uncaught exception of the process. Each warm-up puts back a guard something else replaced (a test's fake timers).
 */
function guardScratchTimers(): void {
  const g = globalThis as unknown as Record<(typeof TIMERS)[number], TimerSetter>;
  for (const name of TIMERS) {
    if (guards.has(name) && g[name] === guards.get(name)) continue;
    const original = g[name];
    const guarded: TimerSetter = (callback, ...rest) => {
      const scratch = scratchContext.getStore();
      if (scratch === undefined || typeof callback !== 'function') return original(callback, ...rest);
      return original(
        (...args: unknown[]) => {
          try {
            callback(...args);
          } catch (e) {
            scratch.fail(e);
          }
        },
        ...rest,
      );
    };
    Object.assign(guarded, original); // e.g. setTimeout's util.promisify.custom
    guards.set(name, guarded);
    g[name] = guarded;
  }
}

/** The mode, read at the first warm-up and kept: Node reads it once, as the process starts. */
let startMode: string | null = null;

/** Node's --unhandled-rejections mode as this process was started (modeOf its node arguments). */
function unhandledRejectionsMode(): string {
  return (startMode ??= modeOf(nodeStartArgs()));
}

/**
 * The --unhandled-rejections mode these node arguments give, else Node's default: NODE_OPTIONS first, then the
 * command line's, the last one given winning as in Node; `=MODE` or the next argument, `_` for `-` in its name.
 */
function modeOf(args: readonly string[]): string {
  let mode = 'throw';
  for (let i = 0; i < args.length; i++) {
    const m = /^--unhandled[-_]rejections(?:=(.*))?$/.exec(args[i]);
    if (m) mode = m[1] ?? args[++i] ?? mode;
  }
  return mode;
}

const ORIGIN =
  'This error originated either by throwing inside of an async function without a catch block, or by rejecting a ' +
  'promise which was not handled with .catch().';
const WARNING = 'UnhandledPromiseRejectionWarning';

const errorLike = (x: unknown): x is { stack: unknown } => typeof x === 'object' && x !== null && Object.hasOwn(x, 'stack');

/** What Node throws for a rejection no one handles (`throw` mode). */
function asThrown(reason: unknown): unknown {
  if (reason instanceof Error) return reason;
  return Object.assign(new Error(`${ORIGIN} The promise rejected with the reason "${inspect(reason)}".`), {
    code: 'ERR_UNHANDLED_REJECTION',
  });
}

/**
 * The two warnings Node gives for a rejection no one handles (promises.js emitUnhandledRejectionWarning), but for the
 * rejection id it counts, which no API tells.
 */
function warnUnhandled(reason: unknown): void {
  let text: string;
  try {
    text = errorLike(reason) ? String(reason.stack) : String(reason);
  } catch {
    text = inspect(reason);
  }
  process.emitWarning(text, WARNING);
  const warning = new Error(
    `Unhandled promise rejection. ${ORIGIN} To terminate the node process on unhandled promise rejection, use the CLI ` +
      'flag `--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode).',
  );
  warning.name = WARNING;
  if (errorLike(reason)) warning.stack = String(reason.stack);
  process.emitWarning(warning);
}

/**
 * A promise rejected in the scratch console's context with no handler (an effect's async code), during the warm-up or
 * after it ended, is its failure (dropped once it ended), where it would otherwise be an uncaught exception of the
 * process, or a warning on its stderr: Node runs the 'unhandledRejection' listeners, its 'uncaughtException' ones for
 * a rejection under `strict`, and its warning's process.emitWarning, in the rejected promise's async context. Every
 * other rejection is what the process's `--unhandled-rejections` mode makes it, as if nothing listened:
 *
 * - A listener of 'unhandledRejection' changes what Node does with every rejection where its mode hangs on whether
 *   one listens: where this one is the only listener, it does what Node would have done — throws it (`throw`, the
 *   default), warns of it and sets exit code 1 (`warn-with-error-code`), warns of it (`strict`, once another
 *   'uncaughtException' listener took it); Node warns (`warn`) or says nothing (`none`) whoever listens.
 * - Under `strict` Node throws a rejection before any 'unhandledRejection' listener runs: an 'uncaughtException'
 *   listener takes the scratch console's. One of these cannot hand any other error back to Node (one thrown in it
 *   ends the process with exit code 7, not 1): where it is the only listener, it takes itself and the rejection
 *   listener away and throws the error again on the next tick, which Node then ends the process for, as it would have.
 * - Under `warn` Node warns of a rejection whoever listens: its two warnings are dropped in the scratch context.
 *
 * Put in place at the first warm-up and left there (a rejection of the scratch console's code may come at any time
 * after it); each warm-up puts back what was taken away. Timers have guardScratchTimers.
 */
function containScratchRejections(): void {
  const mode = unhandledRejectionsMode();
  if (!process.listeners('unhandledRejection').includes(onRejection)) process.on('unhandledRejection', onRejection);
  const strict = mode === 'strict' && !process.listeners('uncaughtException').includes(onStrictException);
  if (strict) process.on('uncaughtException', onStrictException);
  if (mode === 'warn' && process.emitWarning !== quietScratchWarnings) {
    original.emitWarning = process.emitWarning;
    process.emitWarning = quietScratchWarnings;
  }
}

const original: { emitWarning: typeof process.emitWarning } = { emitWarning: process.emitWarning };

function onRejection(reason: unknown): void {
  const scratch = scratchContext.getStore();
  if (scratch !== undefined) return scratch.fail(reason);
  if (process.listenerCount('unhandledRejection') > 1) return;
  const mode = unhandledRejectionsMode();
  if (mode === 'throw') throw asThrown(reason);
  if (mode === 'warn-with-error-code' || mode === 'strict') warnUnhandled(reason);
  if (mode === 'warn-with-error-code') process.exitCode = 1;
}

function onStrictException(error: unknown, origin: string): void {
  const scratch = scratchContext.getStore();
  if (origin === 'unhandledRejection' && scratch !== undefined) return scratch.fail(error);
  if (process.listenerCount('uncaughtException') > 1) return;
  process.off('uncaughtException', onStrictException);
  process.off('unhandledRejection', onRejection);
  process.nextTick(() => {
    throw error;
  });
}

/** process.emitWarning under `warn`, but for the warnings Node gives of a scratch console's rejection. */
const quietScratchWarnings = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
  const type = rest[0];
  const named = (warning instanceof Error && warning.name === WARNING) || type === WARNING || (isTyped(type) && type.type === WARNING);
  if (named && scratchContext.getStore() !== undefined) return;
  return (original.emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
} as typeof process.emitWarning;

const isTyped = (x: unknown): x is { type: unknown } => typeof x === 'object' && x !== null && 'type' in x;

/** What the warm-up mounts: the console's App on its scratch store (a test mounts one that fails). */
export type ScratchMount = (store: AppStore) => ReactElement;

const mountApp: ScratchMount = (store) => <App store={store} color={false} />;

/**
 * Mount the console on a sample city of its own into a scratch Ink instance (its frames go nowhere), type a few keys
 * into it and unmount it, stopping early once `stop()` says the real first look is here, or at the scratch console's
 * first failure (dropped: see above). Returns the frames Ink made. Never throws.
 */
export async function warmUp(
  size: { rows: number; columns: number },
  stop: () => boolean,
  mount: ScratchMount = mountApp,
): Promise<number> {
  if (stop()) return 0;
  let failed = false;
  let frames = 0;
  const scratch: Scratch = {
    fail: () => {
      failed = true;
    },
  };
  guardScratchTimers();
  containScratchRejections();
  let instance: Instance | null = null;
  try {
    await scratchContext.run(scratch, async () => {
      const state = sampleState();
      const store = createAppStore({ readOnly: true, operator: 'warm-up', viewport: size });
      store.getState().loaded(state, plan(state, new Date(AT)), AT);
      const stdin = new ScratchInput();
      const stdout = new ScratchOutput(size);
      instance = render(<Contained onError={scratch.fail}>{mount(store)}</Contained>, {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        stderr: new ScratchOutput(size) as unknown as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: MAX_FPS,
        onRender: () => void frames++,
      });
      for (const key of KEYS) {
        await sleep(KEY_GAP_MS);
        if (failed || stop()) break;
        stdin.type(key);
      }
    });
  } catch {
    // The scratch console failed at its mount or on a key: the warm-up just stops.
  } finally {
    try {
      (instance as Instance | null)?.unmount();
      (instance as Instance | null)?.cleanup();
    } catch {
      // An unmount that throws (an effect's cleanup) is the scratch console's failure too.
    }
  }
  return frames;
}

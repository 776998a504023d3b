// Entry of the interactive console (the CLI imports this lazily, only on a TTY). Owns the terminal:
// alternate screen in, everything restored on quit, on SIGINT/SIGTERM/SIGHUP and on a crash.
// No JSX and no static React import here: React picks its build from NODE_ENV when first loaded,
// and its development build diffs every prop of every render (seconds per frame at 100 000 beads).
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createAppStore } from '../console/state.js';
import { createDemoSim, type DemoSim } from '../console/demo-sim.js';
import { prepareDemoStore } from '../store/demo.js';
import { sanitize } from '../store/output/sanitize.js';
import { resolveSource } from '../store/source.js';
import type { Source } from '../store/types.js';
import { startLive } from '../console/watch.js';
import { marksAtQuit, marksLine, quitLine, settled, unfinishedAtQuit, type Unfinished } from '../console/quit-report.js';
import { showLoading } from './loading.js';
import { enterScreen, leaveScreen, letGoOfHungUpTerminal, terminalFds, type TtyInput, type TtyOutput } from './screen.js';
import { endBySignal, isSuspended, processJobControl, untilForeground } from './suspend.js';
import { colorEnabled } from './theme.js';
import { prepareSnapshot, warmViews } from './views/prepare.js';
import type { RulesChoice } from '../store/rules.js';

export interface RunOptions {
  store?: string;
  city?: string;
  /** `--beads FILE`: the city's beads from captures (the console is then read-only). */
  beads?: string[];
  readOnly: boolean;
  demo: boolean;
  by: string;
  /** `--rules`: the rule edition the console's plans follow, or `auto` (default). */
  rules?: RulesChoice;
}

/**
 * Take the screen (the alternate screen) for the console, and return what gives it back. Raw mode comes first:
 * between this and Ink reading the keys (loading it, its first render), a key typed would otherwise be echoed by
 * the terminal onto the console's first frame; in raw mode it waits, unechoed, for Ink to read it.
 */
export function takeScreen(stdin: TtyInput, stdout: TtyOutput): () => void {
  enterScreen(stdin, stdout);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    // Ink sets cooked mode again when it unmounts; this covers a console that never mounted.
    leaveScreen(stdin, stdout);
  };
}

/**
 * `--demo`'s temporary folder (the folder of its store copy `file`) removed, unless a file of the operator's is in it:
 * anything but the store and the files the console keeps beside it (`<store>.lock`, `.audit.jsonl`, `.metrics.jsonl`,
 * a write's temporary file), i.e. an export (`e`, `E`), which goes next to the store. Returns the files kept (their
 * names; none when the folder was removed). Safe to call twice: the second finds nothing.
 */
export function leaveDemoFolder(file: string): string[] {
  const dir = dirname(file);
  const own = basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const kept = names.filter((n) => n !== own && !n.startsWith(`${own}.`)).sort();
  if (kept.length === 0) rmSync(dir, { recursive: true, force: true });
  return kept;
}

/** How long a quit waits for a dropped decision to record its outcome before it says what it knows. */
const QUIT_SETTLE_MS = 2000;

/** The exit code of a console that crashed: the contract's "error" (1 means drift). */
export const CRASH_EXIT_CODE = 2;

/** One stderr line for an error: `gc-tui: <message>`, control characters made visible, on one line. */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `gc-tui: ${sanitize(msg.replace(/[\r\n]+/g, ' ').trim())}\n`;
}

/**
 * Wait until the console ends: null when it quit (or was unmounted by a signal), CRASH_EXIT_CODE when it
 * crashed, after handing `onCrash` the one stderr line to print.
 */
export async function untilExit(instance: { waitUntilExit(): Promise<unknown> }, onCrash: (line: string) => void): Promise<number | null> {
  try {
    await instance.waitUntilExit();
    return null;
  } catch (e) {
    // A crash is an error (2), never "drift" (1); the message can carry bead data, so it is sanitized.
    onCrash(errorLine(e));
    return CRASH_EXIT_CODE;
  }
}

export async function runInteractive(opts: RunOptions): Promise<number> {
  let source: Source;
  let sim: DemoSim | null = null;
  let demoFile: string | null = null;
  try {
    if (opts.demo) {
      const file = (demoFile = prepareDemoStore());
      // However the console ends (a crash, a hang-up, an error on the first read): its throwaway copy goes with it.
      process.once('exit', () => leaveDemoFolder(file));
      source = { kind: 'store', path: file };
      sim = createDemoSim({ file });
    } else {
      source = resolveSource({ store: opts.store, city: opts.city, beads: opts.beads });
    }
  } catch (e) {
    process.stderr.write(errorLine(e));
    return 2;
  }

  const stdout = process.stdout;
  const store = createAppStore({
    source,
    readOnly: opts.readOnly,
    rules: opts.rules,
    operator: opts.by,
    viewport: { rows: stdout.rows || 24, columns: stdout.columns || 80 },
  });
  // From the first moment: which input is read, how big it is, and what the reader is doing (on a terminal). Not
  // from the background: there it would write over the shell's line, and it waits for `fg` below before it draws.
  const jobControl = processJobControl(process.stdin);
  const stopLoading = jobControl && !jobControl.ownsTerminal() ? () => undefined : showLoading(process.stderr, store, source);
  const live = startLive({ store, source, prepare: prepareSnapshot, warm: warmViews, drawsFirstLook: true });
  // From the sources (tsx, tests) React picks its build by NODE_ENV when mount.js first loads it; the built
  // package has the production build only (scripts/build.mjs). Loaded while the worker reads: this thread waits.
  const env = process.env;
  env.NODE_ENV ??= 'production';
  const mounting = import('./mount.js');
  mounting.catch(() => undefined); // awaited below, unless the first read fails
  // The thread idles until the first look: the key-to-frame path is run there once, off screen (warm-up.tsx).
  let shown = false;
  const warming = mounting
    .then((m) => m.warmUp({ rows: stdout.rows || 24, columns: stdout.columns || 80 }, () => shown))
    .catch(() => undefined);
  try {
    await live.shown;
  } finally {
    shown = true;
    stopLoading();
  }
  await warming;
  // The first read decides, as headless commands do: input that cannot be read or is invalid is one
  // line on stderr and exit 2, before the terminal is touched (no second read to find out). Its first look
  // means it was read, validated and planned: the console takes the screen while its beads arrive.
  const first = store.getState();
  if (!first.current && !first.glance && first.error) {
    await live.stop();
    process.stderr.write(errorLine(first.error));
    return 2;
  }
  sim?.start();

  // Started in the background: stopped until `fg`, before the terminal is touched (suspend.ts).
  await untilForeground(jobControl);
  const restore = takeScreen(process.stdin, stdout);
  const ttys = terminalFds();
  process.once('exit', () => {
    restore();
    letGoOfHungUpTerminal(ttys);
  });
  // From the moment the screen is taken: a signal before Ink is mounted gives it back and exits (the terminal
  // is raw by then, so ^C reaches Ink as a key once it reads them).
  let instance: ReturnType<Awaited<typeof mounting>['mount']> | null = null;
  let code = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    code = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
    // Suspended (ctrl-z): the terminal is the shell's already; end now, and touch it no more (suspend.ts).
    if (isSuspended()) return endBySignal(signal);
    if (instance) instance.unmount();
    else process.exit(code);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);

  const { mount } = await mounting;
  // ctrl-z stops the process as a shell's ctrl-z would (suspend.ts); the services of tests have no job control.
  // Its first frame shows the first look: the worker then sends the beads it held back (plan-worker-body.ts untilDrawn).
  instance = mount(
    store,
    { ...live.services, jobControl: jobControl ?? undefined },
    { color: colorEnabled(), firstFrame: live.firstLookDrawn },
  );

  let unfinished: Unfinished | null;
  let marked: string[];
  try {
    const crashed = await untilExit(instance, (line) => {
      restore();
      process.stderr.write(line);
    });
    if (crashed !== null) code = crashed;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    restore();
    // A decision still being written as the screen ends: stopping the reader drops it if it waits for the lock.
    unfinished = unfinishedAtQuit(store);
    marked = marksAtQuit(store, unfinished);
    await Promise.all([live.stop(), sim?.stop()]);
  }
  await settled(store, QUIT_SETTLE_MS);
  // Not a request left undone (the exit code stays): what the operator had marked and did not approve.
  const dropped = marksLine(marked);
  if (dropped) process.stderr.write(dropped);
  const last = quitLine(store, unfinished);
  if (last) {
    process.stderr.write(last);
    // Something the operator asked for was not done: a script must not read the quit as a clean end (a signal's or a
    // crash's code stays as it is).
    if (code === 0) code = 1;
  }
  // The demo's folder goes now, unless an export of the operator's went there: then it stays, and this says where.
  const kept = demoFile ? leaveDemoFolder(demoFile) : [];
  if (demoFile && kept.length > 0) {
    const dir = dirname(demoFile);
    process.stderr.write(
      `gc-tui: the demo's folder is kept for what was exported to it: ${kept.map((n) => sanitize(join(dir, n))).join(', ')}\n`,
    );
  }
  return code;
}

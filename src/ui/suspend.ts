// ctrl-z. The console reads keys in raw mode, so the terminal never turns ctrl-z into SIGTSTP: the console does
// what the terminal would, as less and vim do. It gives the terminal back as a shell expects it, stops itself
// (SIGTSTP, so the shell reports the job stopped), and on SIGCONT (`fg`) takes the terminal again and redraws the
// whole frame (the shell wrote over the screen). Its state is never touched: it is the same React tree and store.
// A stop can have no effect: the process group is orphaned (the console started by tmux or `setsid` with no
// job-control shell above it), where the kernel drops SIGTSTP. Then the console comes back at once and says so.
import { readFileSync } from 'node:fs';
import type { JobControl } from '../console/services.js';
import { firstKey } from './keymap.js';

/** What a suspend does to the terminal (use-keys.ts gives Ink's; tests give a log). */
export interface SuspendTerminal {
  /** Give the terminal back as a shell expects it (screen.ts leaveScreen). */
  leave(): void;
  /** Take it again as the console set it up, with the cursor hidden as Ink hides it. */
  enter(): void;
  /** Clear the screen and draw the whole frame again. */
  redraw(): void;
}

/**
 * Drop what is written to `stream` until the returned function is called: while the terminal is the shell's, the
 * console draws nothing on it (a frame queued before the stop, a live update, a resize). Nothing is lost: the
 * frame is drawn whole when the console takes the terminal back.
 */
export function holdWrites(stream: { write(...args: never[]): unknown }): () => void {
  const own = Object.prototype.hasOwnProperty.call(stream, 'write');
  const previous = stream.write;
  stream.write = () => true;
  const release = () => {
    if (held !== release) return;
    held = null;
    if (own) stream.write = previous;
    else delete (stream as { write?: unknown }).write;
  };
  held = release;
  return release;
}

/** What gives back the writes held now (the console is suspended), or null. */
let held: (() => void) | null = null;

/** Whether the console is suspended: the terminal is the shell's, and the console's writes are held. */
export function isSuspended(): boolean {
  return held !== null;
}

/**
 * End the process by `signal` as if it had no handler for it: a SIGTERM or SIGHUP that reaches a suspended console
 * (`kill %1`, a terminal closed under a stopped job, which the kernel continues with SIGHUP) ends it there, with the
 * terminal left as the shell has it. Not process.exit: an unmount would wait on held writes, and at exit Node (libuv's
 * uv_tty_reset_mode) sets the terminal's modes back as it found them, which from a background process group the
 * kernel answers with SIGTTOU: the console stopped again instead of ending (`kill %1` left it "Stopped (tty
 * output)"). With no listener left the signal's action is the default, and the kernel ends the process at once.
 */
export function endBySignal(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

/**
 * The terminal's size read again (a resize while the console was stopped reached the shell, not it): Node's tty
 * stream does this on SIGWINCH and emits `resize` when it changed, which Ink and the viewport hook follow.
 */
export function refreshSize(stream: unknown): void {
  const refresh = (stream as { _refreshSize?: () => void })._refreshSize;
  if (typeof refresh === 'function') refresh.call(stream);
}

/** What ctrl-z says where it cannot suspend (its keys as the registry names them: `^Z`, `q`). */
export function suspendUnavailable(): string {
  return `${firstKey('global', 'suspend')}: suspend is not available here; ${firstKey('global', 'quit-ask')} quits`;
}

export type SuspendOutcome = 'resumed' | 'unavailable';

/**
 * Suspend to the shell: `done` hears whether the console was stopped and continued, or could not be (no job
 * control: the terminal was not given up, or it was given up and is taken again at once). Returns what cancels a
 * suspend still waiting to be continued (the console unmounting): the terminal is then left as it is.
 */
export function suspendToShell(jobs: JobControl | null, term: SuspendTerminal, done: (outcome: SuspendOutcome) => void): () => void {
  if (!jobs) {
    done('unavailable');
    return () => undefined;
  }
  let settled = false;
  let stopListening: () => void = () => undefined;
  let cancelWait: () => void = () => undefined;
  const back = (outcome: SuspendOutcome) => {
    if (settled) return;
    settled = true;
    stopListening();
    cancelWait();
    term.enter();
    term.redraw();
    done(outcome);
  };
  // Continued by `fg`: the terminal is the console's again. Continued in the background (`bg`, or `kill %1`, which
  // continues the job just after its SIGTERM, and the continue can be heard first): the terminal is the shell's, and
  // setting its modes would stop the console with SIGTTOU where it stands, deaf to that SIGTERM. It stays suspended
  // and, after a margin for a signal sent with the continue (and for a shell that hands over the terminal only just
  // after it), stops again as a job that needs the terminal.
  const continued = () => {
    stopListening();
    cancelWait();
    if (jobs.ownsTerminal()) return back('resumed');
    stopListening = jobs.onContinue(continued);
    cancelWait = jobs.afterStop(() => {
      cancelWait = () => undefined;
      if (jobs.ownsTerminal()) back('resumed');
      else jobs.stop('tty');
    });
  };
  // Listening before the stop: the continue signal comes while the process is stopped.
  stopListening = jobs.onContinue(continued);
  term.leave();
  jobs.stop();
  if (!settled) cancelWait = jobs.afterStop(() => back('unavailable'));
  return () => {
    settled = true;
    stopListening();
    cancelWait();
  };
}

/**
 * Resolve once the terminal is the process's (its group the foreground one): a console started in the background
 * (`gc-tui --demo &`) waits for `fg` stopped as a job that needs the terminal ("Stopped (tty output)"), as vim and less
 * do, before it touches the terminal's modes (`bg` stops it again). It stops itself rather than let its first setting
 * of the modes stop it: a stop inside that call could not hear a signal (the call is made again on the continue, and
 * stops again), and Node, ending on a SIGTERM it has no listener for, sets the modes back as it found them at its
 * start, which for a job started while the shell's line editor had the terminal are the editor's (no echo, no line
 * buffering): `kill %1` left the shell's next commands without them. While it waits, SIGINT, SIGTERM and SIGHUP end it
 * as if it had no handler (endBySignal), the terminal untouched. Resolves at once where there is no job control.
 */
export function untilForeground(jobs: JobControl | null, end: (signal: NodeJS.Signals) => void = endBySignal): Promise<void> {
  if (!jobs || jobs.ownsTerminal()) return Promise.resolve();
  return waitForeground(jobs, end);
}

function waitForeground(jobs: JobControl, end: (signal: NodeJS.Signals) => void): Promise<void> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  return new Promise((resolve) => {
    let settled = false;
    let stopListening: () => void = () => undefined;
    let cancelWait: () => void = () => undefined;
    const done = () => {
      if (settled) return;
      settled = true;
      stopListening();
      cancelWait();
      for (const s of signals) process.off(s, end);
      resolve();
    };
    const stop = () => {
      stopListening = jobs.onContinue(continued);
      jobs.stop('tty');
      // Back with no continue: the stop had no effect (an orphaned process group, no terminal of its own). The
      // console goes on as it did before it asked.
      if (!settled) cancelWait = jobs.afterStop(done);
    };
    // As suspendToShell's continue in the background: a margin for a signal sent with the continue (`kill %1`), then
    // the terminal is looked at again.
    function continued() {
      stopListening();
      cancelWait();
      if (jobs.ownsTerminal()) return done();
      stopListening = jobs.onContinue(continued);
      cancelWait = jobs.afterStop(() => {
        stopListening();
        if (jobs.ownsTerminal()) done();
        else stop();
      });
    }
    for (const s of signals) process.on(s, end);
    stop();
  });
}

/**
 * How long after a stop that returned the console waits for its continue signal before it takes the stop for one
 * without effect. A stop sent to itself takes effect before kill() returns, and its continue signal is queued as
 * the process continues: this is only a margin for the signal to reach the event loop.
 */
const CONTINUE_WAIT_MS = 50;

/** The process's own job control; null where there is none to try (Windows, input that is not a terminal). */
export function processJobControl(stdin: { isTTY?: boolean }, platform = process.platform): JobControl | null {
  if (platform === 'win32' || !stdin.isTTY) return null;
  return {
    stop: (why) => {
      process.kill(process.pid, why === 'tty' ? 'SIGTTOU' : 'SIGTSTP');
    },
    ownsTerminal: () => ownsTerminal(),
    onContinue: (cb) => {
      process.once('SIGCONT', cb);
      return () => {
        process.off('SIGCONT', cb);
      };
    },
    afterStop: (cb) => {
      // A timer, then the check phase: the poll phase between them hands on a continue signal already queued.
      let immediate: ReturnType<typeof setImmediate> | null = null;
      const timer = setTimeout(() => {
        immediate = setImmediate(cb);
      }, CONTINUE_WAIT_MS);
      return () => {
        clearTimeout(timer);
        if (immediate) clearImmediate(immediate);
      };
    },
  };
}

/**
 * Whether the process's group is its terminal's foreground group (tcgetpgrp() == getpgrp(), which Node does not
 * offer): Linux's /proc/self/stat has both (after the command name in parentheses: state, ppid, pgrp, session,
 * tty_nr, tpgid; tpgid is -1 once the terminal hung up). Where it cannot be read, true: the console takes the terminal
 * on a continue, as it did before it asked.
 */
export function ownsTerminal(stat: () => string = () => readFileSync('/proc/self/stat', 'utf8')): boolean {
  let text: string;
  try {
    text = stat();
  } catch {
    return true;
  }
  const [, , pgrp, , , tpgid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return tpgid === undefined || pgrp === tpgid;
}

// What the console's actions use besides its state: where reads, plans and writes run, how to re-read the
// input, and the clock. The live reader (watch.ts startLive) creates them; the review actions and the key
// handlers receive them beside the store, never from inside it.
import { inProcessJobs, type Jobs } from './jobs.js';

export interface ConsoleServices {
  /** Where reads, plans and writes run: the live reader's plan worker, or this thread. */
  readonly jobs: Jobs;
  /** Re-read the input now (coalesced with a read in progress). */
  refresh(): Promise<void>;
  /** The clock for plans and decisions (tests fix it). */
  clock(): Date;
  /**
   * Put text on the clipboard (`c`). Absent: the console writes an OSC 52 sequence to its terminal (the live
   * console); localServices makes it a no-op unless given one (tests capture it).
   */
  copy?(text: string): void;
  /**
   * Job control for ctrl-z (ui/suspend.ts): the live console's is the process's own; absent (tests, a console not
   * on a terminal), ctrl-z says suspend is not available.
   */
  jobControl?: JobControl;
}

/** How the process stops itself as a shell's ctrl-z would, and hears that it was continued (`fg`). */
export interface JobControl {
  /**
   * Stop this process (SIGTSTP; `tty`: SIGTTOU, a job that needs the terminal another group has, as the shell then
   * says): returns once it is continued, or at once when the stop had no effect.
   */
  stop(why?: 'tty'): void;
  /** Whether the terminal is this process's: its process group is the terminal's foreground group (true where that cannot be told). */
  ownsTerminal(): boolean;
  /** Call `cb` once, when the process is continued (SIGCONT); returns what stops listening. */
  onContinue(cb: () => void): () => void;
  /**
   * Call `cb` once a stop that returned has surely been followed by its continue signal, if it had one (a
   * continue signal is then heard first); returns what cancels it.
   */
  afterStop(cb: () => void): () => void;
}

/**
 * Services without a live reader: work on this thread, nothing to re-read, the wall clock. For a console
 * on a state handed to it (tests, the bench) and for headless use of the review actions.
 */
export function localServices(opts: { clock?: () => Date; jobs?: Jobs; copy?: (text: string) => void } = {}): ConsoleServices {
  return {
    jobs: opts.jobs ?? inProcessJobs(),
    refresh: () => Promise.resolve(),
    clock: opts.clock ?? (() => new Date()),
    copy: opts.copy ?? (() => {}),
  };
}

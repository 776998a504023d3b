// One driver for the console in a real terminal: tmux on a socket of its own (never the user's
// server), the built CLI started without CI (Ink draws nothing under CI=true), and waits that poll
// the screen for what a person would look for instead of sleeping a fixed time.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../support/files.js';
import { waitFor } from '../support/wait.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux is not installed: skipping the terminal end-to-end tests (apt-get install tmux)');

/** The prompt of startShell's shell. */
export const PROMPT = 'gc-e2e$ ';

/** A socket path in a new temp dir, so no server has ever listened on it. */
const freshSocket = (): string => join(tempDir('gc-tui-tmux-'), 'socket');

export class TmuxApp {
  /**
   * The server's socket, in a temp dir removed after the test file: tmux leaves its socket file behind when its
   * server ends, so a named socket (-L) would leave one in /tmp/tmux-<uid> for every test that starts a console.
   * kill() moves to a new one: `kill-server` returns before the old server has closed its socket, and a session
   * started on that socket meanwhile fails with "server exited unexpectedly" (seen in CI when one app ran two tests).
   */
  private socket = freshSocket();

  constructor(readonly session = 'app') {}

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  /**
   * Start `node <cli> <args>` in a detached window (in directory `cwd`, default this process's); the pane stays after
   * exit and shows `EXITED:<code>`.
   */
  start(cli: string, args: string, opts: { x?: number; y?: number; env?: string; cwd?: string } = {}): void {
    const cmd = `env -u CI -u CONTINUOUS_INTEGRATION ${opts.env ?? ''} node ${cli} ${args}; echo EXITED:$?; sleep 30`;
    const size = ['-x', String(opts.x ?? 120), '-y', String(opts.y ?? 40)];
    this.tmux('new-session', '-d', '-s', this.session, ...size, ...(opts.cwd ? ['-c', opts.cwd] : []), cmd);
  }

  /**
   * Start an interactive shell with job control (bash, no rc files) in a detached window, its prompt `PROMPT`:
   * what is run in it is a job of the shell's, as an operator's console is (ctrl-z stops it, `fg` continues it).
   */
  startShell(opts: { x?: number; y?: number } = {}): void {
    const cmd = `env -u CI -u CONTINUOUS_INTEGRATION PS1='${PROMPT}' bash --norc --noprofile -i`;
    this.tmux('new-session', '-d', '-s', this.session, '-x', String(opts.x ?? 120), '-y', String(opts.y ?? 40), cmd);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }

  keys(...k: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...k);
  }

  literal(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /**
   * Poll the screen until `predicate` holds. With `settled`, only a screen read the same twice in a row counts:
   * a capture can catch a frame half drawn, and a check of the whole frame must not see that. `timeoutMs` is
   * only a safety net (scaled; see test/support/wait.ts).
   */
  waitFor(predicate: (s: string) => boolean, what: string, timeoutMs = 30_000, opts: { settled?: boolean } = {}): Promise<string> {
    let previous: string | null = null;
    const holds = (s: string) => {
      const same = s === previous;
      previous = s;
      return predicate(s) && (!opts.settled || same);
    };
    return waitFor(() => this.screen(), holds, what, { timeoutMs, pollMs: 100, show: (s) => `screen:\n${s}` });
  }

  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
    this.socket = freshSocket();
  }
}

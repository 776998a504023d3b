// The terminal as the console sets it up and gives it back: taken when the console starts and given back when it
// quits (run.tsx), and given back and taken again around a suspend (suspend.ts). Ink hides the cursor itself.
import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON } from './terminal-input.js';

export const ALT_SCREEN_ON = '\u001b[?1049h\u001b[H';
export const ALT_SCREEN_OFF = '\u001b[?1049l';
export const SHOW_CURSOR = '\u001b[?25h';
export const HIDE_CURSOR = '\u001b[?25l';
/** Erase the whole screen and go home: what is on it was drawn by someone else (a shell, while suspended). */
export const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/** The terminal's input as the console sets it up (process.stdin). */
export interface TtyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** The terminal's output. */
export interface TtyOutput {
  write(s: string): unknown;
}

function canRaw(stdin: TtyInput): boolean {
  return !!stdin.isTTY && typeof stdin.setRawMode === 'function';
}

/**
 * Raw mode, then the alternate screen with pastes marked (use-keys.ts): a paste goes into a prompt, never runs as
 * keys. Raw first: a key typed before Ink reads them waits, unechoed, instead of landing on the frame.
 */
export function enterScreen(stdin: TtyInput, stdout: TtyOutput): void {
  if (canRaw(stdin)) stdin.setRawMode!(true);
  stdout.write(ALT_SCREEN_ON + BRACKETED_PASTE_ON);
}

/** The terminal as a shell expects it: no paste marks, the main screen, a cursor, cooked mode. */
export function leaveScreen(stdin: TtyInput, stdout: TtyOutput): void {
  stdout.write(BRACKETED_PASTE_OFF + ALT_SCREEN_OFF + SHOW_CURSOR);
  if (canRaw(stdin)) stdin.setRawMode!(false);
}

/** Which of stdin, stdout and stderr (0, 1, 2) are a terminal now. */
export function terminalFds(): number[] {
  return [0, 1, 2].filter((fd) => isatty(fd));
}

/**
 * At exit: close those of `fds` (a terminal when the console started) that are a terminal no more, because it hung
 * up (its window closed, an ssh link dropped). Node restores every terminal it started on as it exits, and on one
 * that is gone that fails an assertion: Node 20 aborts (exit 134, "Assertion failed" and a native stack on stderr,
 * a core dump where they are kept) instead of ending with the console's own code. A closed descriptor is skipped.
 */
export function letGoOfHungUpTerminal(fds: readonly number[]): void {
  for (const fd of fds) {
    if (isatty(fd)) continue;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing for Node to restore either.
    }
  }
}

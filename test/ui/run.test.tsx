// The console's exit path: a crash exits 2 (an error; 1 means drift) with one sanitized line on stderr.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { describe, expect, test } from 'vitest';
import { CRASH_EXIT_CODE, errorLine, takeScreen, untilExit } from '../../src/ui/run.js';
import { within } from '../support/wait.js';

class FakeStream extends EventEmitter {
  columns = 80;
  rows = 24;
  isTTY = false;
  out = '';
  write = (s: string) => {
    this.out += s;
    return true;
  };
}

function Boom(): never {
  throw new Error('bead dup\u001b]0;pwned\u0007 broke\nthe console');
}

describe('a console crash', () => {
  test('exits 2, not 1, and prints one sanitized line', async () => {
    const stdout = new FakeStream();
    const stderr = new FakeStream();
    const instance = render(<Boom />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    const lines: string[] = [];
    const code = await within(
      untilExit(instance, (l) => lines.push(l)),
      20_000,
      'the crashed console to exit',
    );
    expect(code).toBe(2);
    expect(CRASH_EXIT_CODE).toBe(2);
    expect(lines).toEqual(['gc-tui: bead dup\\e]0;pwned\\x07 broke the console\n']);
  });

  test('a console that quits reports no code of its own', async () => {
    const lines: string[] = [];
    expect(await untilExit({ waitUntilExit: () => Promise.resolve() }, (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([]);
  });

  test('errorLine: one line, control characters visible, for errors and other values', () => {
    expect(errorLine(new Error('a\u001b[2Jb'))).toBe('gc-tui: a\\e[2Jb\n');
    expect(errorLine('x\r\ny')).toBe('gc-tui: x y\n');
  });
});

describe('takeScreen', () => {
  /** A terminal that logs what is done to it, in order. */
  function terminal(isTTY: boolean) {
    const log: string[] = [];
    const stdin = { isTTY, setRawMode: (m: boolean) => log.push(`raw ${m}`) };
    const stdout = { write: (s: string) => log.push(JSON.stringify(s)) };
    return { log, stdin, stdout };
  }

  test('a terminal goes raw before the alternate screen, so a key typed before Ink reads it is not echoed onto the frame; pastes are marked while the console runs', () => {
    const { log, stdin, stdout } = terminal(true);
    const restore = takeScreen(stdin, stdout);
    expect(log).toEqual(['raw true', JSON.stringify('\u001b[?1049h\u001b[H\u001b[?2004h')]);
    restore();
    restore();
    expect(log.slice(2)).toEqual([JSON.stringify('\u001b[?2004l\u001b[?1049l\u001b[?25h'), 'raw false']);
  });

  test('input that is not a terminal is left alone', () => {
    const { log, stdin, stdout } = terminal(false);
    takeScreen(stdin, stdout)();
    expect(log.filter((l) => l.startsWith('raw'))).toEqual([]);
  });
});

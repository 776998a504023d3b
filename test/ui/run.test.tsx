// The console's exit path: a crash exits 2 (an error; 1 means drift) with one sanitized line on stderr.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { describe, expect, test } from 'vitest';
import { CRASH_EXIT_CODE, errorLine, untilExit } from '../../src/ui/run.js';
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

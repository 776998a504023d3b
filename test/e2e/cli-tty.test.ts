// The CLI's argument and input checks on a terminal (tmux): the same as headless, before the console takes
// the terminal over. Needs tmux; skipped without it.
import { afterEach, describe, expect, test } from 'vitest';
import { tempDir, write } from '../support/files.js';
import { CLI, DEMO } from './cli-helpers.js';
import { hasTmux, TmuxApp } from './tmux-driver.js';
import { join } from 'node:path';

let app: TmuxApp | null = null;
afterEach(() => {
  app?.kill();
  app = null;
});
/** Run the CLI on a terminal until it exits; the screen and whether the alternate screen is still on. */
async function onTerminal(args: string): Promise<{ screen: string; code: number; alternate: string }> {
  app = new TmuxApp();
  app.start(CLI, args);
  const screen = await app.waitFor((s) => /EXITED:\d+/.test(s), 'the exit');
  const code = Number(/EXITED:(\d+)/.exec(screen)![1]);
  return { screen, code, alternate: app.tmux('display-message', '-p', '-t', app.session, '#{alternate_on}').trim() };
}

describe.skipIf(!hasTmux)('on a terminal', () => {
  test('--demo with --store is refused (exit 2, one line), as headless; the demo does not open', async () => {
    const r = await onTerminal(`--demo --store ${DEMO}`);
    expect(r.code).toBe(2);
    expect(r.screen).toContain('gc-tui: --demo opens the bundled demo city; do not combine it with --store or --city');
    expect(r.screen).not.toContain('HEALTH');
    expect(r.alternate).toBe('0');
  });

  test('--demo with --city is refused the same way', async () => {
    const r = await onTerminal('--demo --city /nonexistent');
    expect(r.code).toBe(2);
    expect(r.screen).toContain('do not combine it with --store or --city');
  });

  test('a missing store: one clear line, exit 2, the terminal untouched', async () => {
    const r = await onTerminal(`--store ${join(tempDir(), 'missing.json')}`);
    expect(r.code).toBe(2);
    expect(r.screen).toMatch(/gc-tui: \S*missing\.json: no such file/);
    expect(r.screen.match(/gc-tui:/g)).toHaveLength(1);
    expect(r.alternate).toBe('0');
  });

  test('a city without city.toml: one clear line, exit 2', async () => {
    const dir = tempDir();
    write(join(dir, '.gc', 'beads.json'), '{"seq": 0, "beads": []}\n');
    const r = await onTerminal(`--city ${dir}`);
    expect(r.code).toBe(2);
    expect(r.screen).toMatch(/gc-tui: \S*city\.toml: no such file/);
    expect(r.alternate).toBe('0');
  });

  test('a store with bad JSON: the line and column, exit 2, the console never opens', async () => {
    const file = join(tempDir(), 'bad.json');
    write(file, '{"schema": "gc-tui/1",\n "beads": [}');
    const r = await onTerminal(`--store ${file}`);
    expect(r.code).toBe(2);
    expect(r.screen).toMatch(/gc-tui: \S*bad\.json: line 2, column 12: /);
    expect(r.screen).not.toContain('HEALTH');
    expect(r.alternate).toBe('0');
  });
});

// The console's terminal hangs up (its window closed, an ssh link dropped): the console ends with SIGHUP's code,
// 129, and says nothing about it. On Node 20 its exit used to restore a terminal that was gone, which fails an
// assertion and aborts (134, "Assertion failed" and a native stack, a core dump where they are kept).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { waitFor } from '../support/wait.js';
import { CLI } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';
import { demoState } from '../ui/fixture.js';

// Between tmux and the console, as a login shell is: the terminal's session leader. The kernel tells the session
// leader of a terminal that hung up (SIGHUP), and the shell passes it on to its job; this one then writes down how
// the console ended, in a file (the terminal is gone).
const LAUNCHER = `
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const [report, ...args] = process.argv.slice(2);
const env = { ...process.env };
delete env.CI; // Ink draws nothing under CI
delete env.CONTINUOUS_INTEGRATION;
const child = spawn(process.execPath, args, { stdio: ['inherit', 'inherit', 'pipe'], env });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
process.on('SIGHUP', () => child.kill('SIGHUP'));
child.on('exit', (code, signal) => writeFileSync(report, JSON.stringify({ code, signal, stderr })));
`;

let app = new TmuxApp();

describe.skipIf(!hasTmux)('the terminal hangs up', () => {
  afterEach(() => {
    app.kill();
  });

  test('the console ends with 129, and no assertion or stack on stderr', async () => {
    const dir = tempDir('gc-tui-hangup-');
    const store = join(dir, 'store.json');
    writeFileSync(`${store}.tmp`, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...demoState(), decisions: [] }, null, 1));
    renameSync(`${store}.tmp`, store);
    const launcher = join(dir, 'launcher.mjs');
    writeFileSync(launcher, LAUNCHER);
    const report = join(dir, 'report.json');

    app = new TmuxApp();
    app.tmux('new-session', '-d', '-s', app.session, '-x', '100', '-y', '30', `node ${launcher} ${report} ${CLI} --store ${store}`);
    await app.waitFor((s) => s.includes('HEALTH'), 'the pools view');
    // The terminal goes away under the console.
    app.kill();

    const text = await waitFor(
      () => (existsSync(report) ? readFileSync(report, 'utf8') : ''),
      (t) => t.endsWith('}'),
      'how the console ended',
    );
    const ended = JSON.parse(text) as { code: number | null; signal: string | null; stderr: string };
    expect(ended.stderr).not.toMatch(/Assertion|Native stack/);
    expect(ended).toMatchObject({ code: 129, signal: null });
  });
});

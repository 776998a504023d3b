// The console on a Gas City city directory named as the operator typed it (`--city .`): what the screen calls
// the city. Needs the build (test/support/global-setup.ts makes it) and tmux.
import { realpathSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { CLI, makeCity } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';

let app = new TmuxApp();

describe.skipIf(!hasTmux)('the console on a city', () => {
  let dir = '';
  beforeEach(() => {
    app = new TmuxApp();
    dir = realpathSync(tempDir('gc-tui-city-'));
    makeCity(dir);
  });
  afterEach(() => app.kill());

  test('started with --city . in the city: the header and the status line name its directory, never "."', async () => {
    app.start(CLI, '--city . --by e2e-op', { cwd: dir, x: 160, y: 40 });
    const s = await app.waitFor((x) => x.includes('HEALTH') && x.includes('frontend/worker'), 'the pools view');
    expect(s.split('\n')[0]).toMatch(/^gc-tui maintainer-city /);
    expect(s.split('\n')[0]).toContain(` ${dir} `);
    expect(s.split('\n')[0]).not.toMatch(/ \. /);
    app.keys('6', '/');
    app.literal('mc-poison');
    app.keys('Enter');
    await app.waitFor((x) => x.split('\n').some((l) => l.startsWith('>') && l.includes('mc-poison')), 'the repair under the cursor');
    app.keys('a');
    // Both of its repairs (restamp-slot, repair-alias) change metadata only: no confirmation.
    const done = await app.waitFor((x) => /applied \S+:mc-poison \(/.test(x), 'the approval');
    expect(done).toMatch(new RegExp(`applied \\S+:mc-poison \\(${dir}\\)`));
    expect(done).not.toContain('(.)');
  });
});

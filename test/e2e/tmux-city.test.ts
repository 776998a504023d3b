// The console on a Gas City city directory named as the operator typed it (`--city .`): what the screen calls
// the city. Needs the build (test/support/global-setup.ts makes it) and tmux.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir, write } from '../support/files.js';
import { CLI, makeCity } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';

let app = new TmuxApp();

/**
 * The console on the city `dir`: bead `id` of frontend/worker selected in the slots view and `y` pressed; the JSON the
 * pane shows once it shows `last` (the bead's last member).
 */
async function rawBead(dir: string, id: string, last: string): Promise<string> {
  app.start(CLI, '--city .', { cwd: dir, x: 160, y: 60 });
  await app.waitFor((x) => x.includes('HEALTH'), 'the pools view');
  app.keys(':');
  app.literal('slots frontend/worker');
  app.keys('Enter');
  await app.waitFor((x) => x.includes('AGENT_NAME') && new RegExp(`^> .*${id}`, 'm').test(x), 'the slots view');
  app.keys('y');
  const s = await app.waitFor((x) => x.includes(`bead ${id}`) && x.includes(last), 'the raw bead', 30_000, { settled: true });
  const ls = s.split('\n');
  return ls
    .slice(
      ls.findIndex((l) => l.startsWith('{')),
      ls.findIndex((l) => l.startsWith('}')) + 1,
    )
    .join('\n');
}

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

  test('y shows a bead as its file stores it, as valid JSON: bd-written numbers, booleans and null, controls escaped', async () => {
    // The metadata as bd writes it: not strings (Gas City reads them as strings), and hostile text.
    const metadata =
      '{"template": "frontend/worker", "pool_managed": true, "session_origin": "ephemeral", "agent_name": "frontend/worker-1", "alias": "frontend/worker-1", "pool_slot": 1, ' +
      '"state": "active", "attached": false, "restarts": 3, "note": null, "big": 12345678901234567890, ' +
      '"title_esc": "x\\u001b[2J\\u001b]0;pwned\\u0007y", "del": "a\\u007fb", "bidi": "c\\u202ed", "nl": "e\\nf"}';
    write(
      join(dir, '.gc', 'beads.json'),
      `{"seq": 1, "beads": [{"id": "mc-raw", "title": "raw", "status": "open", "issue_type": "session", "labels": ["gc:session"], ` +
        `"created_at": "2026-05-06T01:00:00Z", "metadata": ${metadata}}]}`,
    );
    const text = await rawBead(dir, 'mc-raw', '"created_at"');
    // Valid JSON, its values as stored (the big number digit for digit).
    const bead = JSON.parse(text) as { metadata: Record<string, unknown> };
    expect(bead.metadata).toMatchObject({ pool_slot: 1, attached: false, restarts: 3, note: null });
    expect(text).toContain('"big": 12345678901234567890');
    expect(bead.metadata).toMatchObject({ title_esc: 'x\u001b[2J\u001b]0;pwned\u0007y', del: 'a\u007fb', bidi: 'c\u202ed', nl: 'e\nf' });
    // Shown as JSON escapes, nothing raw on the terminal.
    expect(text).toContain('"title_esc": "x\\u001b[2J\\u001b]0;pwned\\u0007y"');
    expect(text).toContain('"del": "a\\u007fb"');
    expect(text).toContain('"bidi": "c\\u202ed"');
  });

  test('y shows the numbers of a bead as its file spells them: 2.50, 1.0, -0 and 1e2, in fields gc-tui does not know and in metadata', async () => {
    const metadata =
      '{"template": "frontend/worker", "session_origin": "ephemeral", "agent_name": "frontend/worker-1", "alias": "frontend/worker-1", ' +
      '"pool_slot": "1", "state": "active", "weight": 1.0, "nested": {"a": 1.50, "b": [-0, 1e2]}}';
    write(
      join(dir, '.gc', 'beads.json'),
      `{"seq": 1, "beads": [{"id": "mc-num", "title": "numbers", "status": "open", "issue_type": "session", "labels": ["gc:session"], ` +
        `"created_at": "2026-05-06T01:00:00Z", "metadata": ${metadata}, "extra": {"score": 2.50, "list": [1.0, -0, 1E2, 7]}, "ratio": 5e-1}]}`,
    );
    const text = await rawBead(dir, 'mc-num', '"ratio"');
    // Still valid JSON, of the same values; each number spelled as in the file (JSON.parse made them 2.5, 1, 0, 100, 0.5).
    expect(JSON.parse(text)).toMatchObject({ extra: { score: 2.5, list: [1, -0, 100, 7] }, ratio: 0.5, metadata: { weight: 1 } });
    expect(text).toContain('"score": 2.50');
    expect(text).toMatch(/"list": \[\s*1\.0,\s*-0,\s*1E2,\s*7\s*\]/);
    expect(text).toContain('"ratio": 5e-1');
    expect(text).toContain('"weight": 1.0');
    expect(text).toContain('"nested": {"a":1.50,"b":[-0,1e2]}');
  });
});

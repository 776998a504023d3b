// q while an approval waits for the store's lock (another writer holds it): the approval is dropped and the audit
// log says so, and the console's last word on stderr names it, and it exits 1, so neither the operator nor a script
// leaves believing it was made.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { holdLock, type Peer } from '../support/locks.js';
import { CLI, DEMO } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';
import type { AuditEntry } from '../../src/store/types.js';

const app = new TmuxApp();
let peer: Peer | null = null;
afterEach(async () => {
  app.kill();
  await peer?.release();
  peer = null;
});

test.skipIf(!hasTmux)(
  'q while an approval waits for the lock: one stderr line says which approval did not happen, and it exits 1',
  async () => {
    const dir = tempDir('gc-tui-tmux-quit-');
    const file = join(dir, 'demo.json');
    copyFileSync(DEMO, file);
    const before = readFileSync(file, 'utf8');
    peer = await holdLock(`${file}.lock`);
    app.start(CLI, `--store ${file}`);
    await app.waitFor((x) => x.includes('HEALTH'), 'the console');
    app.keys('6');
    await app.waitFor((x) => x.includes('undecided'), 'the repairs view');
    app.keys('/');
    app.literal('restamp-slot dc-f2b');
    app.keys('Enter');
    await app.waitFor((x) => /^> undecided .*restamp-slot/m.test(x) && x.includes('~ metadata.pool_slot: "5" → "2"'), 'its card');
    app.keys('a');
    await app.waitFor((x) => x.includes('applying restamp-slot:dc-f2b'), 'the approval waiting for the lock');
    app.keys('q');
    const s = await app.waitFor((x) => x.includes('EXITED:'), 'the console gone');
    expect(s).toContain('gc-tui: quit while approving restamp-slot:dc-f2b: not applied (recorded in the audit log)');
    // What was asked for was not done: the exit code says so, as the line does.
    expect(s).toMatch(/^EXITED:1$/m);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const audit = readFileSync(`${file}.audit.jsonl`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditEntry);
    expect(audit).toMatchObject([{ repair: 'restamp-slot:dc-f2b', result: 'failed', note: '', why: 'the console is closing' }]);
  },
);

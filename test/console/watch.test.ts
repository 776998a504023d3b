// The console's file watcher on its own (watchFiles): a city's files lie in several folders, and a file of them that
// goes and comes back, or that is not there yet (a namepool file, .gc/gc-tui/decisions.json), is seen when it comes,
// through its folder, and is then watched itself. The look for a change the watcher missed (settleMs) is put beyond
// these tests, so what they see is the watcher's.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchFiles, type FileWatch } from '../../src/console/watch.js';
import { tempDir, write } from '../support/files.js';
import { until } from '../support/wait.js';

const NEVER = 600_000;
let open: FileWatch[] = [];
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()));
  open = [];
});

/** A watcher of `files`, counting the changes it reports. */
async function watching(files: string[]): Promise<{ w: FileWatch; changes: () => number }> {
  let n = 0;
  const w = watchFiles(files, () => n++, 10, NEVER);
  open.push(w);
  await w.ready;
  return { w, changes: () => n };
}

/** Replaced by rename, as Gas City and gc-tui write their files. */
function replace(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

describe('watchFiles', () => {
  it('a file of a city that is removed is seen back, watched itself again, and each change after it is seen', async () => {
    const city = tempDir();
    const cityToml = write(join(city, 'city.toml'), '[workspace]\n');
    const beads = write(join(city, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
    const { w, changes } = await watching([cityToml, beads]);
    expect(w.watching().sort()).toEqual([cityToml, beads].sort());

    unlinkSync(beads);
    await until(() => changes() >= 1, 'the removal');
    // The folder is watched once the removal's re-watch has run (a turn of the event loop after the report).
    await until(() => w.watching().includes(dirname(beads)), 'the folder watched');
    const gone = changes();
    replace(beads, '{"seq":1,"beads":[]}\n');
    await until(() => changes() > gone, 'the file back');
    await until(() => w.watching().includes(beads) && !w.watching().includes(dirname(beads)), 'the file watched itself');
    const back = changes();
    replace(beads, '{"seq":2,"beads":[]}\n');
    await until(() => changes() > back, 'the change after it');
  });

  it('a wanted file that is not there is watched through its folder until it comes, then itself', async () => {
    const city = tempDir();
    const cityToml = write(join(city, 'city.toml'), '[workspace]\n');
    const decisions = join(city, '.gc', 'gc-tui', 'decisions.json');
    write(join(city, '.gc', 'gc-tui', 'other.json'), '{}\n');
    const { w, changes } = await watching([cityToml, decisions]);
    expect(w.watching().sort()).toEqual([cityToml, dirname(decisions)].sort());

    replace(decisions, '{"decisions":[]}\n');
    await until(() => changes() >= 1, 'the file coming');
    await until(() => w.watching().includes(decisions) && !w.watching().includes(dirname(decisions)), 'the file watched itself');
    const came = changes();
    replace(decisions, '{"decisions":[1]}\n');
    await until(() => changes() > came, 'its change');
  });
});

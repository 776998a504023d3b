// A top-level key named twice (a bad merge: two "beads" arrays) would be read as the last one, and the first lost
// at the next write. Every reader of a data file refuses it instead, naming the file, the line and the column of
// the second one: the streamed read of a headless command, the whole read, the console's re-reads, a city's
// .gc/beads.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateTopKey } from '../../src/store/formats/duplicate-keys.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreReread } from '../../src/store/formats/store-reread.js';
import { loadSource } from '../../src/store/source.js';
import { pooled } from '../support/builders.js';
import { tempDir } from '../support/files.js';

const MESSAGE = 'appears twice at the top level (the second would silently replace the first); keep one';

describe('duplicateTopKey', () => {
  it('finds the second of two top-level keys, escaped spellings included, and where it is', () => {
    expect(duplicateTopKey('{"a":1,"b":[1,2],"a":2}')).toEqual({ key: 'a', offset: 17 });
    expect(duplicateTopKey('\ufeff {"beads":[],"\\u0062eads":[]}')).toEqual({ key: 'beads', offset: 14 });
    expect(duplicateTopKey('{"a":"x\\"a\\":1","b":{"a":1,"a":2},"c":[{"a":1},{"a":2}]}')).toBeNull();
    expect(duplicateTopKey('{"a":1,"b":2}')).toBeNull();
    expect(duplicateTopKey('{}')).toBeNull();
    expect(duplicateTopKey('[1,1]')).toBeNull();
  });
});

function storeText(second: boolean): string {
  const doc = JSON.stringify(
    { schema: 'gc-tui/1', city: { agents: [{ name: 'worker', dir: 'frontend', max_active_sessions: 4 }] }, beads: [] },
    null,
    2,
  );
  const bead = JSON.stringify(
    pooled('mc-1', 'frontend/worker', { pool_slot: '1', agent_name: 'frontend/worker-1', alias: 'frontend/worker-1', state: 'asleep' }),
  );
  return second ? doc.replace(/\n}$/, `,\n  "beads": [${bead}]\n}`) : doc.replace('"beads": []', `"beads": [${bead}]`);
}

describe('a store file with a top-level key twice', () => {
  it('is refused by the streamed read, the whole read and the re-reads, naming the line and column of the second', async () => {
    const file = join(tempDir(), 's.json');
    writeFileSync(file, storeText(true));
    const where = /s\.json: line 13, column 3: the key "beads" appears twice at the top level/;
    await expect(loadStore(file)).rejects.toThrow(where);
    // The console's first read (whole), and a re-read after a good one (the text around the beads).
    await expect(loadStore(file, new StoreReread())).rejects.toThrow(where);
    const reread = new StoreReread();
    writeFileSync(file, storeText(false));
    expect((await loadStore(file, reread)).state.beads.map((b) => b.id)).toEqual(['mc-1']);
    writeFileSync(file, storeText(true));
    await expect(loadStore(file, reread)).rejects.toThrow(where);
    expect(readFileSync(file, 'utf8')).toBe(storeText(true));
  });

  it("in a city's .gc/beads.json, too", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'city.toml'), '[workspace]\nname = "c"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 2\n');
    mkdirSync(join(dir, '.gc'));
    writeFileSync(join(dir, '.gc', 'beads.json'), '{\n  "seq": 1,\n  "beads": [],\n  "seq": 2\n}\n');
    await expect(loadSource({ kind: 'city', dir })).rejects.toThrow(`beads.json: line 4, column 3: the key "seq" ${MESSAGE}`);
  });
});

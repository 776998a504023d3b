// The heap a re-read of a big store allocates when one bead changed (the plan worker's outside change): the beads taken
// from the last read are put in the new list at once, at its length, and each bead's place in the text is kept in two
// typed columns. At 100 000 beads the list grown a bead at a time, a flag per bead and two lists of places grown the same
// way were about 9 MB of garbage at every outside change, most of it old by the time the change was packed (docs/speed.md).
// Real files, read as the console's plan worker reads them (kept in files of their own: kept-bytes.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { setKeepInFileFromForTests, setKeptFileDirsForTests } from '../../src/store/formats/kept-bytes.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreReread } from '../../src/store/formats/store-reread.js';
import { allocatedBy } from '../support/allocations.js';
import { tempDir } from '../support/files.js';

const BEADS = 40_000;

interface Doc {
  beads: { id: string; metadata?: Record<string, string> }[];
}

beforeAll(() => {
  setKeepInFileFromForTests(1 << 20);
  setKeptFileDirsForTests([tempDir('gc-tui-reread-allocations-kept-')]);
});
afterAll(() => {
  setKeepInFileFromForTests();
  setKeptFileDirsForTests();
});

test('a re-read of one changed bead allocates about its new bead list on the heap, not lists grown a bead at a time', async () => {
  const doc = generateStore({ beads: BEADS, seed: 7, order: 'created' }) as Doc;
  const file = join(tempDir('gc-tui-reread-allocations-'), 'store.json');
  writeFileSync(file, JSON.stringify(doc));
  const reader = new StoreReread();
  const first = await loadStore(file, reader);
  reader.release();
  const at = doc.beads.findIndex((b, i) => i >= BEADS / 2 && typeof b.metadata?.state === 'string');
  for (const marker of ['zq0001', 'zq0002']) {
    doc.beads[at].metadata!.state = marker;
    writeFileSync(file, JSON.stringify(doc));
    const { value: loaded, bytes } = await allocatedBy(() => loadStore(file, reader));
    reader.release();
    // What the user sees: the file as written, the other beads the objects of the last read.
    expect(JSON.stringify(loaded.state.beads)).toBe(JSON.stringify(doc.beads));
    expect(loaded.state.beads[at].metadata?.state).toBe(marker);
    expect(loaded.state.beads[at - 1]).toBe(first.state.beads[at - 1]);
    expect(reader.reused).toBe(BEADS - 1);
    // The new list is 8 bytes a bead (here about 11 to 16 a bead in all); before, about 106.
    expect(bytes / BEADS).toBeLessThan(30);
  }
});

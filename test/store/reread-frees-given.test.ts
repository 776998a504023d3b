// A re-read of a store file (the plan worker's, at each outside change) gives its read buffer up to the bytes it keeps in
// a file of their own, which free it once written (kept-bytes.ts `given`). The write runs on the thread pool while the
// text is parsed; its callback, which frees the buffer, needs a turn of the reading thread's event loop, and the plan and
// the reply's packing that follow a read give none: so the read waits for it (load-store.ts readText), and the read
// returns with its buffer's memory already given back, not held through them (at 100 000 beads 37 MB of the console's
// peak). Real files, a fresh module graph (the port that frees memory made as its module is loaded, as in a worker).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test, vi } from 'vitest';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { tempDir } from '../support/files.js';

/** V8's full collection. */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface Doc {
  beads: { id: string; title: string }[];
}

const BEADS = 12_000;

test('a re-read returns with its read buffer freed, and each re-read gives the document of the file as written', async () => {
  vi.resetModules();
  const { loadStore } = await import('../../src/store/formats/load-store.js');
  const { StoreReread } = await import('../../src/store/formats/store-reread.js');
  const kept = await import('../../src/store/formats/kept-bytes.js');
  kept.setKeepInFileFromForTests(1 << 20);
  kept.setKeptFileDirsForTests([tempDir('gc-tui-reread-frees-')]);
  try {
    const gc = fullGc();
    const doc = generateStore({ beads: BEADS, seed: 21 }) as Doc;
    const file = join(tempDir('gc-tui-reread-frees-store-'), 'store.json');
    const write = (beads: Doc['beads']) => {
      const text = JSON.stringify({ ...doc, beads });
      writeFileSync(file, text);
      return text.length;
    };
    let beads = doc.beads;
    write(beads);
    const reader = new StoreReread();
    await loadStore(file, reader);
    for (let n = 1; n <= 3; n++) {
      // Another writer changes one bead's title (a change of the file's length too).
      const at = (n * 4099) % BEADS;
      const title = `changed outside ${'x'.repeat(n)}`;
      beads = beads.map((b, i) => (i === at ? { ...b, title } : b));
      const size = write(beads);
      gc(); // what earlier reads left is not counted below
      const before = process.memoryUsage().arrayBuffers;
      const loaded = await loadStore(file, reader);
      const held = process.memoryUsage().arrayBuffers - before;
      // The read's buffer, `size` bytes, is no longer held as the read returns (what is left: the kept file's 1 MiB
      // comparison piece, made at the first re-read, and small buffers).
      expect(held).toBeLessThan(size / 2);
      // And the file as written: the changed bead, every other one taken from the last read (compared with the bytes
      // the last read kept in their file).
      expect(reader.reused).toBe(BEADS - 1);
      expect(loaded.state.beads).toHaveLength(BEADS);
      expect(loaded.state.beads[at].title).toBe(title);
      expect(loaded.state).toEqual((await loadStore(file)).state);
    }
  } finally {
    kept.setKeepInFileFromForTests();
    kept.setKeptFileDirsForTests();
  }
});

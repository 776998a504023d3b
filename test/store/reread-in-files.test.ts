// The console's re-read of a big store file (from KEEP_IN_FILE_FROM; lowered here) once its last read is kept in a file
// of its own: the file is copied into the next kept file a piece at a time (kept-bytes.ts KeptBytes.copyOf), the copy
// compared with the last one in their files, and only the parts that changed read back (store-reread.ts parseKept). The
// file's whole bytes are never in the process (at 100 000 beads the plan worker held them as one 37 MB buffer, at the
// console's highest memory: docs/speed.md), and whatever the file goes through, the document is a whole parse's of one
// version of it, the one kept for the next read and write. Real files; a fresh module graph for the memory test (the
// port that frees memory made as its module is loaded, as in a worker).
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import {
  KeptBytes,
  setCopiedPieceHookForTests,
  setKeepInFileFromForTests,
  setKeptFileDirsForTests,
} from '../../src/store/formats/kept-bytes.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreReread } from '../../src/store/formats/store-reread.js';
import { openFilesIn, tempDir } from '../support/files.js';

/** V8's full collection. */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface Doc {
  beads: { id: string; title: string }[];
  [key: string]: unknown;
}

const BEADS = 12_000;

/** A store of BEADS beads (several of kept-bytes.ts's 1 MiB pieces), and a way to write it with its beads changed. */
function store(seed: number): { file: string; doc: Doc; write: (d: Doc) => Buffer } {
  const doc = generateStore({ beads: BEADS, seed }) as Doc;
  const file = join(tempDir('gc-tui-reread-in-files-store-'), 'store.json');
  const write = (d: Doc) => {
    const bytes = Buffer.from(JSON.stringify(d));
    writeFileSync(file, bytes);
    return bytes;
  };
  write(doc);
  return { file, doc, write };
}

/** `doc` with bead `at`'s title made `title`. */
const titled = (doc: Doc, at: number, title: string): Doc => ({
  ...doc,
  beads: doc.beads.map((b, i) => (i === at ? { ...b, title } : b)),
});

/** What a read without a re-read makes of the file now (a fresh read: store-stream.ts), or its error's words. */
const fresh = (file: string) =>
  loadStore(file).then(
    (l) => JSON.stringify(l.state),
    (e: unknown) => `error: ${(e as Error).message}`,
  );
const viaReread = (file: string, r: StoreReread) =>
  loadStore(file, r).then(
    (l) => JSON.stringify(l.state),
    (e: unknown) => `error: ${(e as Error).message}`,
  );

/** The reader's next read's basis, as write.ts compares it: the kept bytes of the last read (store-reread.ts lastValid). */
function basisOf(r: StoreReread): KeptBytes {
  const kept = r.lastValid()?.text;
  expect(kept).toBeInstanceOf(KeptBytes);
  return kept as KeptBytes;
}

/** The re-read's modules loaded afresh (the port that frees memory made as its module is loaded, as in a worker), kept from 1 MiB. */
async function freshModules(prefix: string) {
  vi.resetModules();
  const { loadStore: load } = await import('../../src/store/formats/load-store.js');
  const { StoreReread: Reread } = await import('../../src/store/formats/store-reread.js');
  const kept = await import('../../src/store/formats/kept-bytes.js');
  kept.setKeepInFileFromForTests(1 << 20);
  kept.setKeptFileDirsForTests([tempDir(prefix)]);
  return { load, Reread, kept };
}

test('a re-read of a big store never holds its bytes whole, gives the document of the file, and keeps the copy as its next basis', async () => {
  const { load, Reread, kept } = await freshModules('gc-tui-reread-in-files-');
  // What the process holds outside the heap while the re-read compares the new bytes with the last read's (the end it
  // shares with it is found once the beads that changed are known): the new bytes, when they are held, are counted here.
  const held: number[] = [];
  const sharedEnd = kept.KeptBytes.prototype.sharedEnd;
  const spy = vi.spyOn(kept.KeptBytes.prototype, 'sharedEnd').mockImplementation(function (this: KeptBytes, ...args) {
    held.push(process.memoryUsage().arrayBuffers);
    return sharedEnd.apply(this, args);
  });
  try {
    const gc = fullGc();
    const { file, doc, write } = store(31);
    const reader = new Reread();
    await load(file, reader);
    reader.release(); // as the console's reads are, once answered (console/jobs.ts)
    await kept.KeptBytes.settled();
    let now = doc;
    for (let n = 1; n <= 3; n++) {
      // Another writer changes one bead's title (a change of the file's length too).
      const at = (n * 4099) % BEADS;
      const title = `changed outside ${'x'.repeat(n)}`;
      now = titled(now, at, title);
      const bytes = write(now);
      gc(); // what earlier reads left is not counted below
      const before = process.memoryUsage().arrayBuffers;
      held.length = 0;
      const loaded = await load(file, reader);
      const after = process.memoryUsage().arrayBuffers;
      // While it compared, and as it returns, the process held much less than the file outside its heap: the 1 MiB
      // pieces it reads both kept files back in, the parts that changed.
      expect(held.length).toBeGreaterThan(0);
      expect(Math.max(...held) - before).toBeLessThan(bytes.length / 2);
      expect(after - before).toBeLessThan(bytes.length / 2);
      // The file as written: the changed bead parsed, every other one taken from the last read.
      expect(reader.reused).toBe(BEADS - 1);
      expect(loaded.state.beads[at].title).toBe(title);
      expect(JSON.stringify(loaded.state)).toBe(await fresh(file));
      // The copy is what the next read and a write compare the file with: these bytes, in their file.
      const basis = reader.lastValid()?.text;
      expect(basis).toBeInstanceOf(kept.KeptBytes);
      expect((basis as KeptBytes).inFile).toBe(true);
      expect((basis as KeptBytes).equals(bytes)).toBe(true);
      reader.release();
    }
  } finally {
    spy.mockRestore();
    kept.setKeepInFileFromForTests();
    kept.setKeptFileDirsForTests();
  }
});

test("a re-read lets go of its comparison's pieces as it returns: nothing more held outside the heap than before it", async () => {
  // The plan worker plans and packs the change after its re-read: the two 1 MiB pieces the kept files were compared in
  // are not held through that (at 100 000 beads, where the console's memory peaks: docs/speed.md).
  const { load, Reread, kept } = await freshModules('gc-tui-reread-in-files-pieces-');
  try {
    const gc = fullGc();
    const { file, doc, write } = store(34);
    const reader = new Reread();
    await load(file, reader);
    reader.release();
    await kept.KeptBytes.settled();
    let now = doc;
    for (let n = 1; n <= 2; n++) {
      const at = (n * 3041) % BEADS;
      now = titled(now, at, `changed outside ${n}`);
      write(now);
      gc();
      const before = process.memoryUsage().arrayBuffers;
      const loaded = await load(file, reader);
      gc(); // only what the read holds on to is counted
      expect(loaded.state.beads[at].title).toBe(`changed outside ${n}`);
      expect(reader.reused).toBe(BEADS - 1); // compared in the kept files, as the console's re-reads are
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 << 10);
      reader.release();
    }
  } finally {
    kept.setKeepInFileFromForTests();
    kept.setKeptFileDirsForTests();
  }
});

describe('a re-read copied into its kept file', () => {
  let dir: string;
  beforeEach(() => {
    setKeepInFileFromForTests(1 << 20);
    dir = tempDir('gc-tui-reread-in-files-kept-');
    setKeptFileDirsForTests([dir]);
  });
  afterEach(() => {
    setCopiedPieceHookForTests();
    setKeepInFileFromForTests();
    setKeptFileDirsForTests();
  });

  /** A reader that read `file` once, released as the console's is: its next read is a copy (comparesInFiles). */
  async function readOnce(file: string): Promise<StoreReread> {
    const r = new StoreReread();
    await loadStore(file, r);
    r.release();
    await KeptBytes.settled();
    expect(r.comparesInFiles()).toBe(true);
    return r;
  }

  test('a new file renamed over the store while it is copied: the document and the basis are the file as it was opened', async () => {
    const { file, doc, write } = store(32);
    const r = await readOnce(file);
    const was = write(titled(doc, 5, 'as opened'));
    const opened = await fresh(file);
    const next = Buffer.from(JSON.stringify(titled(doc, 9000, 'renamed over it')));
    const copied: number[] = [];
    setCopiedPieceHookForTests((n) => {
      // After the first piece, another writer's new file replaces the store (Gas City's way: write, then rename).
      if (copied.push(n) === 1) {
        writeFileSync(`${file}.new`, next);
        renameSync(`${file}.new`, file);
      }
    });
    expect(await viaReread(file, r)).toBe(opened);
    expect(copied.length).toBeGreaterThan(2); // copied a piece at a time, from the file it opened
    expect(copied.at(-1)).toBe(was.length);
    expect(r.reused).toBe(BEADS - 1);
    expect(basisOf(r).equals(was)).toBe(true);
    // The next read is the new file, compared with that copy.
    r.release();
    setCopiedPieceHookForTests();
    expect(await viaReread(file, r)).toBe(await fresh(file));
    expect(r.reused).toBe(BEADS - 2); // bead 5 as it was at first, bead 9000 renamed
    expect(basisOf(r).equals(next)).toBe(true);
  });

  test('a store rewritten in place while it is copied is copied again: never a mix of the two versions', async () => {
    const { file, doc, write } = store(33);
    const r = await readOnce(file);
    write(titled(doc, 5, 'before the rewrite'));
    // Rewritten in place (the same file, truncated and written) after the first piece: one bead near the start
    // changes, and one near the end, so that a copy of the start of one version and the rest of the other parses.
    const rewritten = Buffer.from(JSON.stringify(titled(titled(doc, 6, 'rewritten in place'), BEADS - 2, 'and here')));
    let pieces = 0;
    setCopiedPieceHookForTests(() => {
      if (++pieces === 1) writeFileSync(file, rewritten);
    });
    const read = await viaReread(file, r);
    expect(pieces).toBeGreaterThan(2);
    expect(read).toBe(await fresh(file));
    expect(read).toContain('rewritten in place');
    expect(basisOf(r).equals(rewritten)).toBe(true);
  });

  test('anything unusual is read whole, as a whole parse reads it: a change that is not ASCII, around the beads, a new layout, a break, a small file, no file', async () => {
    const { file, doc, write } = store(34);
    const r = await readOnce(file);
    const copies = vi.spyOn(KeptBytes, 'copyOf');
    const steps: [string, () => void, { copied: boolean; reused?: number }][] = [
      ['one bead', () => write(titled(doc, 7, 'one bead')), { copied: true, reused: BEADS - 1 }],
      ['not ASCII', () => write(titled(doc, 7, 'é not ASCII')), { copied: true, reused: BEADS - 1 }],
      // The last read was not ASCII: read as before, its text compared.
      ['ASCII again', () => write(titled(doc, 7, 'ascii again')), { copied: false, reused: BEADS - 1 }],
      ['a key before the beads', () => write({ schema: doc.schema, note: 'x', ...doc }), { copied: true }],
      ['indented', () => writeFileSync(file, JSON.stringify(doc, null, 2)), { copied: true, reused: 0 }],
      ['compact again', () => write(doc), { copied: true, reused: 0 }],
      [
        'a break in a bead',
        () => writeFileSync(file, JSON.stringify(doc).replace(`"id":"${doc.beads[7].id}"`, `"id":"${doc.beads[7].id}",,`)),
        { copied: true },
      ],
      ['whole again', () => write(doc), { copied: false }],
      ['a bead removed', () => write({ ...doc, beads: doc.beads.filter((_, i) => i !== 100) }), { copied: true }],
      ['a small file', () => write({ ...doc, beads: doc.beads.slice(0, 10) }), { copied: false }],
    ];
    for (const [what, change, want] of steps) {
      change();
      copies.mockClear();
      const read = await viaReread(file, r);
      expect({ what, read }).toEqual({ what, read: await fresh(file) });
      expect({ what, copied: copies.mock.calls.length > 0 }).toEqual({ what, copied: want.copied });
      if (want.reused !== undefined) expect({ what, reused: r.reused }).toEqual({ what, reused: want.reused });
      r.release();
      await KeptBytes.settled();
    }
    copies.mockRestore();
  });

  test('a store that is gone by the time it is read again: the words of a fresh read', async () => {
    const { file, doc, write } = store(36);
    const r = await readOnce(file);
    write(titled(doc, 7, 'written, then gone'));
    rmSync(file);
    const read = await viaReread(file, r);
    expect(read).toBe(await fresh(file));
    expect(read).toMatch(/no such file/);
  });

  test.runIf(process.platform === 'linux')(
    'holds one kept file at a time, none after a read that fails or once forgotten; nothing listed in its folder',
    async () => {
      const { file, doc, write } = store(35);
      const r = await readOnce(file);
      for (let k = 0; k < 4; k++) {
        write(titled(doc, 11 * k, `change ${k}`));
        await loadStore(file, r);
        r.release();
        expect(openFilesIn(dir)).toHaveLength(1);
      }
      // A broken file: no document, nothing kept (the next read is whole).
      writeFileSync(file, JSON.stringify(doc).slice(0, -3));
      const broken = await viaReread(file, r);
      expect(openFilesIn(dir)).toHaveLength(0); // closed at once, not when the collector finds the copy unreferenced
      expect(broken).toBe(await fresh(file));
      expect(broken).toMatch(/unexpected end of file/);
      write(doc);
      await loadStore(file, r);
      r.release();
      await KeptBytes.settled();
      write(titled(doc, 3, 'kept in a file again'));
      await loadStore(file, r);
      expect(openFilesIn(dir)).toHaveLength(1);
      r.forget();
      expect(openFilesIn(dir)).toHaveLength(0);
      expect(readFileSync(file).length).toBeGreaterThan(1 << 20);
    },
  );
});

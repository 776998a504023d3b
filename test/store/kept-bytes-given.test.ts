// Bytes given up to their KeptBytes (the plan worker's re-read of a store file: load-store.ts readText) are freed as
// soon as they are in their file, and never before: while the thread pool's write may still read them they stay whole,
// and the file holds exactly them, whatever the write's timing. Here the write is held back, on real files, by keeping
// every thread of libuv's pool busy opening FIFOs nobody writes to until the test lets them go (no clock).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, open, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { KeptBytes, setKeepInFileFromForTests, setKeptFileDirsForTests } from '../../src/store/formats/kept-bytes.js';
import { StoreReread } from '../../src/store/formats/store-reread.js';
import { tempDir } from '../support/files.js';

beforeEach(() => setKeptFileDirsForTests([tempDir('gc-tui-kept-given-')]));
afterEach(async () => {
  // A test that failed while holding the pool lets it go here, for the next.
  for (const pool of held.splice(0)) await pool.release();
  setKeptFileDirsForTests();
  setKeepInFileFromForTests();
});

/** The pools held (holdThreadPool) and not let go yet. */
const held: { release: () => Promise<void> }[] = [];

/** libuv's pool: its size (UV_THREADPOOL_SIZE, 4 unless set). */
const POOL = Number(process.env.UV_THREADPOOL_SIZE) > 0 ? Number(process.env.UV_THREADPOOL_SIZE) : 4;

/**
 * Every thread of libuv's pool held in an open(2) of a FIFO for reading, which waits for a writer: work queued after
 * this (a KeptBytes' write) waits until `release` opens each FIFO for writing (on this thread, not the pool's).
 */
function holdThreadPool(): { release: () => Promise<void> } {
  const dir = tempDir('gc-tui-pool-');
  const fifos = Array.from({ length: POOL }, (_, i) => join(dir, `fifo-${i}`));
  execFileSync('mkfifo', fifos);
  const opened = fifos.map(
    (f) =>
      new Promise<void>((resolve, reject) =>
        open(f, 'r', (e, fd) => {
          if (e) return reject(e);
          closeSync(fd);
          resolve();
        }),
      ),
  );
  let released: Promise<void> | null = null;
  const pool = {
    release: () => (released ??= letGo()),
  };
  held.push(pool);
  return pool;
  async function letGo(): Promise<void> {
    held.splice(held.indexOf(pool) >>> 0, 1);
    for (const f of fifos) {
      // ENXIO: no reader yet (the pool's thread has not reached its open): a turn later.
      for (;;) {
        try {
          closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
          break;
        } catch (e) {
          if ((e as { code?: unknown }).code !== 'ENXIO') throw e;
          await turns(1);
        }
      }
    }
    await Promise.all(opened);
  }
}

/** A few turns of the event loop: a write the pool could take would be done by then. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** 3 MiB over several of the pieces a comparison reads back (kept-bytes.ts PIECE), each byte told apart by place. */
function content(seed: number): Buffer {
  const b = Buffer.alloc(3 << 20);
  for (let i = 0; i < b.length; i++) b[i] = 97 + ((i * 7919 + seed) % 26);
  return b;
}

test.runIf(process.platform === 'linux')(
  'given bytes stay whole while their write is pending, and are freed, not left to a collection, once in their file',
  async () => {
    const bytes = content(1);
    const given = Buffer.from(bytes);
    const pool = holdThreadPool();
    const kept = new KeptBytes(given, { given: true });
    await turns();
    expect(kept.inFile).toBe(false); // its write waits behind the held pool
    expect(given.length).toBe(bytes.length);
    expect(kept.equals(bytes)).toBe(true);
    await pool.release();
    await KeptBytes.settled();
    expect(kept.inFile).toBe(true);
    expect(given.length).toBe(0); // detached: its memory is gone
    // The file holds exactly what was read, a piece at a time.
    expect(kept.equals(bytes)).toBe(true);
    const changed = Buffer.from(bytes);
    changed[(2 << 20) + 5] ^= 1;
    expect(kept.equals(changed)).toBe(false);
    expect(kept.text()).toBe(bytes.toString('utf8'));
    kept.drop();
  },
);

test.runIf(process.platform === 'linux')(
  'given bytes dropped while their write is pending are freed once it is done; bytes handed out are never freed',
  async () => {
    const pool = holdThreadPool();
    const given = content(2);
    const dropped = new KeptBytes(given, { given: true });
    const lentBytes = content(3);
    const lent = new KeptBytes(lentBytes, { given: true });
    const out = lent.bytes()!; // a caller holds them now
    dropped.drop();
    await turns();
    expect(given.length).toBe(3 << 20); // the pool's write still reads them
    await pool.release();
    await KeptBytes.settled();
    expect(given.length).toBe(0);
    expect(lent.inFile).toBe(true);
    expect(out.equals(content(3))).toBe(true);
    lent.drop();
    expect(out.equals(content(3))).toBe(true);
  },
);

test.runIf(process.platform === 'linux')(
  "a store's re-reads with given bytes give the document of each text, its last read's write pending or done",
  async () => {
    setKeepInFileFromForTests(1 << 10);
    const texts = [0, 1, 2].map(
      (v) =>
        `{"schema":1,"beads":[${Array.from({ length: 3000 }, (_, i) => `{"id":"b-${i}","status":"${i === 1500 ? `v${v}` : 'open'}","n":${i}}`).join(',')}]}`,
    );
    const reader = new StoreReread();
    const pool = holdThreadPool();
    const docs: unknown[] = [];
    const givens: Buffer[] = [];
    // The first read's write is held back: the second compares with its bytes as read.
    for (const text of texts.slice(0, 2)) {
      const bytes = Buffer.from(text);
      givens.push(bytes);
      docs.push(reader.parse(() => bytes.toString('utf8'), bytes, true));
    }
    expect(reader.reused).toBe(2999);
    expect(givens.map((g) => g.length)).toEqual(texts.slice(0, 2).map((t) => t.length));
    await pool.release();
    await KeptBytes.settled();
    // A re-read's given bytes are freed; a first read's are not (freed, the console's launch peak was 17 MiB higher).
    expect(givens.map((g) => g.length)).toEqual([texts[0].length, 0]);
    // The third compares with the second's bytes from their file.
    const bytes = Buffer.from(texts[2]);
    docs.push(reader.parse(() => bytes.toString('utf8'), bytes, true));
    expect(reader.reused).toBe(2999);
    expect(docs).toEqual(texts.map((t) => JSON.parse(t) as unknown));
    await KeptBytes.settled();
    expect(bytes.length).toBe(0);
    reader.forget();
  },
);

// KeptBytes.settled() is what the plan worker waits on before it collects its heap and packs the first read's reply:
// by then the bytes kept in their file must be collectable, or the reply lands on top of them (at 100 000 beads 37 MB
// of the console's peak memory).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { KeptBytes, setKeptFileDirsForTests } from '../../src/store/formats/kept-bytes.js';
import { tempDir } from '../support/files.js';

beforeAll(() => setKeptFileDirsForTests([tempDir('gc-tui-kept-settled-')]));
afterAll(() => setKeptFileDirsForTests());

/** V8's full collection. */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Bytes kept in a file of their own, seen only through a WeakRef (the KeptBytes let go of them once written). */
function keep(): { kept: KeptBytes; bytes: WeakRef<Buffer> } {
  const raw = Buffer.alloc(4 << 20, 'x');
  return { kept: new KeptBytes(raw), bytes: new WeakRef(raw) };
}

test('once settled, the bytes written to their file are no longer held: a full collection then frees them', async () => {
  const gc = fullGc();
  const { kept, bytes } = keep();
  await KeptBytes.settled();
  gc();
  expect(bytes.deref()).toBeUndefined();
  // Still what was kept: compared from the file.
  expect(kept.equals(Buffer.alloc(4 << 20, 'x'))).toBe(true);
  kept.drop();
});

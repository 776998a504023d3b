// A file's bytes kept for a later comparison (kept-bytes.ts): held as read, then written to a private file of their
// own; either way they come back byte for byte, and a comparison tells any byte changed, added or removed. The file is
// gone from its folder from the start, and closed (so gone for good) once the bytes are let go.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { KeptBytes, setKeptFileDirsForTests } from '../../src/store/formats/kept-bytes.js';
import { openFilesIn, tempDir } from '../support/files.js';

const text = `{"beads":[${Array.from({ length: 2000 }, (_, i) => `{"id":"b-${i}","title":"é ${i} 😀"}`).join(',')}]}`;

/** How long a start `a` and `b` share, byte by byte. */
function naiveStart(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** How long an end, at most `max`, `a` and `b` share, byte by byte. */
function naiveEnd(a: Uint8Array, b: Uint8Array, max: number): number {
  let i = 0;
  while (i < max && i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

afterEach(() => setKeptFileDirsForTests());

describe('kept bytes', () => {
  it('give back the bytes and their text, and compare byte for byte, before and after they are in their file', async () => {
    const bytes = Buffer.from(text, 'utf8');
    const kept = new KeptBytes(Buffer.from(bytes));
    const check = () => {
      expect(kept.bytes()!.equals(bytes)).toBe(true);
      expect(kept.text()).toBe(text);
      expect(kept.equals(bytes)).toBe(true);
      for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
        const changed = Buffer.from(bytes);
        changed[at] ^= 1;
        expect(kept.equals(changed)).toBe(false);
      }
      expect(kept.equals(bytes.subarray(0, bytes.length - 1))).toBe(false);
      expect(kept.equals(Buffer.concat([bytes, Buffer.from(' ')]))).toBe(false);
    };
    check();
    await KeptBytes.settled();
    expect(kept.inFile).toBe(true);
    check();
    kept.drop();
  });

  it('tell how long a start and an end they share with other bytes, and whether a span is the same, exactly, across the pieces they are read back in', async () => {
    // Over two pieces of 1 MiB (kept-bytes.ts PIECE): a difference at either side of a piece's edge is found where it is.
    const n = (5 << 20) >> 1;
    const base = Buffer.alloc(n);
    for (let i = 0; i < n; i++) base[i] = 97 + ((i * 7919) % 26);
    const kept = new KeptBytes(Buffer.from(base));
    const check = () =>
      fc.assert(
        fc.property(
          fc.oneof(fc.constantFrom(0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 2 << 20, n - 1), fc.nat(n - 1)),
          fc.constantFrom('change', 'insert', 'remove'),
          (at, kind) => {
            const other =
              kind === 'change'
                ? Buffer.concat([base.subarray(0, at), Buffer.from([base[at] ^ 1]), base.subarray(at + 1)])
                : kind === 'insert'
                  ? Buffer.concat([base.subarray(0, at), Buffer.from('#'), base.subarray(at)])
                  : Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]);
            expect(kept.sharedStart(other)).toBe(naiveStart(base, other));
            expect(kept.sharedEnd(other, n)).toBe(naiveEnd(base, other, n));
            expect(kept.sharedEnd(other, 10)).toBe(Math.min(10, naiveEnd(base, other, n)));
            expect(kept.equals(other)).toBe(false);
            const from = Math.max(0, at - 3);
            expect(kept.same(other, from, from, Math.min(n, at + 3))).toBe(false);
            expect(kept.same(other, 0, 0, Math.min(at, other.length))).toBe(true);
          },
        ),
        { numRuns: 40 },
      );
    check();
    await KeptBytes.settled();
    expect(kept.inFile).toBe(true);
    check();
    expect(kept.equals(base)).toBe(true);
    kept.drop();
  });

  it.runIf(process.platform === 'linux')(
    'are held in a file no folder lists, open only while kept: nothing is left once they are let go',
    async () => {
      const dir = tempDir();
      setKeptFileDirsForTests([dir]);
      const bytes = Buffer.from(text, 'utf8');
      const kept = new KeptBytes(bytes);
      await KeptBytes.settled();
      expect(kept.inFile).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
      const open = openFilesIn(dir);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatch(/ \(deleted\)$/);
      kept.drop();
      expect(openFilesIn(dir)).toEqual([]);
      // Let go, they compare with nothing: a write's basis then reads the file again.
      expect(kept.bytes()).toBeNull();
      expect(kept.equals(bytes)).toBe(false);
    },
  );

  it('a folder that takes no file keeps them as read, with the same comparisons', async () => {
    setKeptFileDirsForTests([`${tempDir()}/missing`]);
    const bytes = Buffer.from(text, 'utf8');
    const kept = new KeptBytes(Buffer.from(bytes));
    await KeptBytes.settled();
    expect(kept.inFile).toBe(false);
    expect(kept.text()).toBe(text);
    expect(kept.equals(bytes)).toBe(true);
    const changed = Buffer.from(bytes);
    changed[7] ^= 1;
    expect(kept.equals(changed)).toBe(false);
  });
});

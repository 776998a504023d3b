// A file's bytes kept for a later comparison (kept-bytes.ts): held as read, then written to a private file of their
// own; either way they come back byte for byte, and a comparison tells any byte changed, added or removed. The file is
// gone from its folder from the start, and closed (so gone for good) once the bytes are let go.
import { closeSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { KeptBytes, setCopiedPieceHookForTests, setKeptFileDirsForTests } from '../../src/store/formats/kept-bytes.js';
import { openFilesIn, tempDir } from '../support/files.js';

const text = `{"beads":[${Array.from({ length: 2000 }, (_, i) => `{"id":"b-${i}","title":"é ${i} 😀"}`).join(',')}]}`;

/** 2.5 MiB over several of the pieces a comparison reads back (kept-bytes.ts PIECE), and how they are edited. */
const N = (5 << 20) >> 1;
function pieces(): Buffer {
  const base = Buffer.alloc(N);
  for (let i = 0; i < N; i++) base[i] = 97 + ((i * 7919) % 26);
  return base;
}
/** Where an edit goes: both sides of a piece's edge, and anywhere. */
const editAt = fc.oneof(fc.constantFrom(0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 2 << 20, N - 1), fc.nat(N - 1));
const editKind = fc.constantFrom('change', 'insert', 'remove');
/** `base` with byte `at` changed, a byte inserted before it, or it removed. */
function edited(base: Buffer, at: number, kind: string): Buffer {
  if (kind === 'change') return Buffer.concat([base.subarray(0, at), Buffer.from([base[at] ^ 1]), base.subarray(at + 1)]);
  if (kind === 'insert') return Buffer.concat([base.subarray(0, at), Buffer.from('#'), base.subarray(at)]);
  return Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]);
}

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

afterEach(() => {
  setKeptFileDirsForTests();
  setCopiedPieceHookForTests();
});

/** The bytes of a file written with `bytes`, copied into kept bytes of their own (KeptBytes.copyOf). */
function copied(bytes: Uint8Array): KeptBytes | null {
  const file = join(tempDir(), 'copied');
  writeFileSync(file, bytes);
  const fd = openSync(file, 'r');
  try {
    return KeptBytes.copyOf(fd);
  } finally {
    closeSync(fd);
  }
}

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
    const n = N;
    const base = pieces();
    const kept = new KeptBytes(Buffer.from(base));
    const check = () =>
      fc.assert(
        fc.property(editAt, editKind, (at, kind) => {
          const other = edited(base, at, kind);
          expect(kept.sharedStart(other)).toBe(naiveStart(base, other));
          expect(kept.sharedEnd(other, n)).toBe(naiveEnd(base, other, n));
          expect(kept.sharedEnd(other, 10)).toBe(Math.min(10, naiveEnd(base, other, n)));
          expect(kept.equals(other)).toBe(false);
          const from = Math.max(0, at - 3);
          expect(kept.same(other, from, from, Math.min(n, at + 3))).toBe(false);
          expect(kept.same(other, 0, 0, Math.min(at, other.length))).toBe(true);
        }),
        { numRuns: 40 },
      );
    check();
    await KeptBytes.settled();
    expect(kept.inFile).toBe(true);
    check();
    expect(kept.equals(base)).toBe(true);
    kept.drop();
  });

  it('copied from a file a piece at a time, are its bytes; compared file to file, as with bytes in memory', async () => {
    const dir = tempDir();
    setKeptFileDirsForTests([dir]);
    const n = N;
    const base = pieces();
    const copiedTo: number[] = [];
    setCopiedPieceHookForTests((k) => copiedTo.push(k));
    const copy = copied(base)!;
    setCopiedPieceHookForTests();
    // Never more than one piece of 1 MiB in memory (kept-bytes.ts PIECE), written as it is read: in its file at once.
    expect(copiedTo).toEqual([1 << 20, 2 << 20, n]);
    expect(copy.inFile).toBe(true);
    expect(copy.length).toBe(n);
    expect(copy.bytes()!.equals(base)).toBe(true);
    expect(copy.equals(base)).toBe(true);
    expect(copy.range((1 << 20) - 3, (1 << 20) + 3)!.equals(base.subarray((1 << 20) - 3, (1 << 20) + 3))).toBe(true);
    expect(copy.range(n - 2, n + 5)!.equals(base.subarray(n - 2))).toBe(true);
    const kept = new KeptBytes(Buffer.from(base));
    await KeptBytes.settled();
    fc.assert(
      fc.property(editAt, editKind, (at, kind) => {
        const other = edited(base, at, kind);
        const theirs = copied(other)!;
        for (const mine of [kept, copy]) {
          expect(mine.sharedStart(theirs)).toBe(naiveStart(base, other));
          expect(theirs.sharedStart(mine)).toBe(naiveStart(base, other));
          expect(mine.sharedEnd(theirs, n)).toBe(naiveEnd(base, other, n));
          expect(theirs.sharedEnd(mine, n + 1)).toBe(naiveEnd(base, other, n));
          expect(mine.sharedEnd(theirs, 10)).toBe(Math.min(10, naiveEnd(base, other, n)));
        }
        expect(copy.sharedStart(copy)).toBe(n);
        theirs.drop();
      }),
      { numRuns: 20 },
    );
    expect(readdirSync(dir)).toEqual([]);
    kept.drop();
    copy.drop();
    if (process.platform === 'linux') expect(openFilesIn(dir)).toEqual([]);
    // Let go, it compares with nothing and gives nothing back.
    expect(copy.range(0, 10)).toBeNull();
    expect(copy.sharedStart(base)).toBe(0);
  });

  it('a copy with no folder to take it is none: the reader then reads the file itself', () => {
    setKeptFileDirsForTests([`${tempDir()}/missing`]);
    expect(copied(Buffer.from(text))).toBeNull();
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

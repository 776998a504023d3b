// A write's re-read under its lock (readRegularFileOrSame): the bytes read before when the file still holds them,
// else exactly what the file holds now, wherever its first different byte is (within the first stretch compared or
// after it, at the last byte, past the end) and with the read's own limits.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFile, readRegularFileOrSame } from '../../src/store/fs/read-bounded.js';
import { tmp } from './hardening-fixtures.js';

/** 1 MiB of varied bytes: several of the stretches the re-read compares at a time. */
function bigBytes(): Buffer {
  const b = Buffer.alloc(1024 * 1024 + 17);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + (i >> 9)) & 0xff;
  return b;
}

describe('readRegularFileOrSame', () => {
  it('answers the very bytes read before when the file holds them still', () => {
    const file = join(tmp(), 'store.json');
    writeFileSync(file, bigBytes());
    const before = readRegularFile(file);
    expect(readRegularFileOrSame(file, before)).toBe(before);
  });

  it('answers what the file holds now when one byte differs, wherever it is', () => {
    const file = join(tmp(), 'store.json');
    const before = bigBytes();
    for (const at of [0, 1000, 256 * 1024 - 1, 256 * 1024, 700_000, before.length - 1]) {
      const now = Buffer.from(before);
      now[at] ^= 0x55;
      writeFileSync(file, now);
      const read = readRegularFileOrSame(file, before);
      expect(read).not.toBe(before);
      expect(read.equals(now)).toBe(true);
    }
  });

  it('answers what the file holds now when it grew or shrank', () => {
    const file = join(tmp(), 'store.json');
    const before = bigBytes();
    for (const now of [Buffer.concat([before, Buffer.from('x')]), before.subarray(0, before.length - 1), Buffer.alloc(0)]) {
      writeFileSync(file, now);
      const read = readRegularFileOrSame(file, before);
      expect(read).not.toBe(before);
      expect(read.equals(now)).toBe(true);
    }
  });

  it('keeps the limits and refusals of any read: too large, not a regular file', () => {
    const dir = tmp();
    const file = join(dir, 'store.json');
    const before = bigBytes();
    writeFileSync(file, before);
    expect(() => readRegularFileOrSame(file, before, { maxBytes: 1000 })).toThrow(/over the 1000 bytes limit/);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(() => readRegularFileOrSame(join(dir, 'fifo'), before)).toThrow(/is not a regular file/);
  });
});

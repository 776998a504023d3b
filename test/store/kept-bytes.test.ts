// A file's bytes kept for a later comparison (kept-bytes.ts): held as read, then deflated off the JS thread; either
// way they come back byte for byte, and a comparison tells any byte changed, added or removed.
import { describe, expect, it } from 'vitest';
import { KeptBytes } from '../../src/store/formats/kept-bytes.js';

const text = `{"beads":[${Array.from({ length: 2000 }, (_, i) => `{"id":"b-${i}","title":"é ${i} 😀"}`).join(',')}]}`;

describe('kept bytes', () => {
  it('give back the bytes and their text, and compare byte for byte, before and after they are deflated', async () => {
    const bytes = Buffer.from(text, 'utf8');
    const kept = new KeptBytes(Buffer.from(bytes));
    const check = () => {
      expect(kept.bytes().equals(bytes)).toBe(true);
      expect(kept.text()).toBe(text);
      expect(kept.equals(bytes)).toBe(true);
      const changed = Buffer.from(bytes);
      changed[changed.length >> 1] ^= 1;
      expect(kept.equals(changed)).toBe(false);
      expect(kept.equals(bytes.subarray(0, bytes.length - 1))).toBe(false);
      expect(kept.equals(Buffer.concat([bytes, Buffer.from(' ')]))).toBe(false);
    };
    check();
    await KeptBytes.settled();
    expect(kept.deflated).toBe(true);
    check();
  });
});

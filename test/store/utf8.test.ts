// firstNonUtf8 agrees with Node's own UTF-8 check, and names the first byte of the first broken sequence.
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { firstNonUtf8, isUtf8Of } from '../../src/store/formats/utf8.js';

describe('firstNonUtf8', () => {
  it('names the first byte of the first broken sequence', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x62], -1],
      [[0xc3, 0xa9], -1],
      [[0xf0, 0x9f, 0x98, 0x80], -1],
      [[0x61, 0xff], 1],
      [[0xc3, 0x28], 0],
      [[0x61, 0xe2, 0x82], 1],
      [[0xc0, 0x80], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // beyond U+10FFFF
    ];
    for (const [bytes, at] of cases) expect(firstNonUtf8(Uint8Array.from(bytes)), bytes.join(' ')).toBe(at);
  });

  it('agrees with buffer.isUtf8 on random bytes; the bytes before the one named are UTF-8', () => {
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.from(Array.from({ length: 1 + (n % 9) }, () => (rand() < 160 ? rand() & 0x7f : 0x80 + (rand() & 0x7f))));
      const at = firstNonUtf8(b);
      expect(at === -1, b.toString('hex')).toBe(isUtf8(b));
      if (at >= 0) expect(isUtf8(b.subarray(0, at))).toBe(true);
    }
  });
});

describe('isUtf8Of', () => {
  it('is true only for the text’s own UTF-8 bytes, a multi-byte character or a surrogate pair on any part’s edge', () => {
    const part = 1 << 18; // the UTF-16 units encoded at a time
    for (const shift of [-2, -1, 0, 1]) {
      const text = 'a'.repeat(part + shift) + '\u00e9\u{1F600}€' + 'b'.repeat(part) + '\u{1F600}';
      const bytes = Buffer.from(text, 'utf8');
      expect(isUtf8Of(bytes, text), `shift ${shift}`).toBe(true);
      expect(isUtf8Of(bytes.subarray(0, bytes.length - 1), text)).toBe(false);
      expect(isUtf8Of(Buffer.concat([bytes, Buffer.from('x')]), text)).toBe(false);
      const other = Buffer.from(bytes);
      other[part + 2] ^= 1;
      expect(isUtf8Of(other, text)).toBe(false);
    }
    expect(isUtf8Of(Buffer.alloc(0), '')).toBe(true);
    // Bytes that are not UTF-8 decode to U+FFFD: they are not that text's bytes, though they read as it.
    const broken = Buffer.from([0x61, 0xff, 0x62]);
    expect(isUtf8Of(broken, broken.toString('utf8'))).toBe(false);
  });
});

// Value rules: slot numbers, instants as strict as Go's, byte order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, inQuotes, parseInstant, parseSlotNumber, sortByBytes } from '../../src/engine/values.js';

describe('values', () => {
  it('slot numbers are [1-9][0-9]* up to 999999', () => {
    expect(['1', '999999', '0', '01', '1000000', ' 1', '1e3', ''].map(parseSlotNumber)).toEqual([1, 999999, 0, 0, 0, 0, 0, 0]);
  });
  it('parses RFC 3339 with fractions and offsets, and refuses impossible times', () => {
    expect(parseInstant('2026-06-01T10:00:00.123456789-07:00')).toBe(Date.parse('2026-06-01T17:00:00.123Z') + 0.456789);
    expect(parseInstant('2026-05-06T02:13:00Z')).toBe(Date.parse('2026-05-06T02:13:00Z'));
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-05-06T24:00:00Z',
      '2026-05-06T02:13:60Z',
      '2026-05-06T02:13:00+25:00',
      // RFC 3339 allows these; Go's time.Parse(time.RFC3339) does not, and a rollback must not act on them.
      '2026-05-06t02:13:00Z',
      '2026-05-06 02:13:00Z',
      '2026-05-06T02:13:00z',
      '2026-05-06',
      'yesterday',
      '',
    ]) {
      expect(parseInstant(bad), bad).toBeNull();
    }
    expect(parseInstant('2028-02-29T00:00:00Z')).not.toBeNull();
    // What Go's general parser takes besides the strict form: an hour of one digit, a comma before the fraction, an
    // offset of 24 hours.
    expect(parseInstant('2026-05-06T2:13:00Z')).toBe(Date.parse('2026-05-06T02:13:00Z'));
    expect(parseInstant('2026-05-06T02:13:00,5Z')).toBe(Date.parse('2026-05-06T02:13:00.500Z'));
    expect(parseInstant('2026-05-06T02:13:00+24:00')).toBe(Date.parse('2026-05-05T02:13:00Z'));
    expect(parseInstant('2026-05-06T02:13:00+25:00')).toBeNull();
    // Go's zero time, and a leap day of a year below 100 (Date.UTC would read them as 1901 and 1904).
    expect(parseInstant('0001-01-01T00:00:00Z')).toBe(-62135596800000);
    expect(parseInstant('0004-02-29T00:00:00Z')).not.toBeNull();
    expect(parseInstant('0100-02-29T00:00:00Z')).toBeNull();
  });
  it('byte order puts astral characters after the whole BMP', () => {
    expect(['b', 'a', '\uffff', '\u{1F600}', 'B'].sort(compareBytes)).toEqual(['B', 'a', 'b', '\uffff', '\u{1F600}']);
  });
  it('a quoted value escapes its backslashes and quotes, with or without any (the common case skips the escaping)', () => {
    expect([inQuotes('plain'), inQuotes('a"b'), inQuotes('a\\b\u001b'), inQuotes('')]).toEqual([
      '"plain"',
      '"a\\"b"',
      '"a\\\\b\u001b"',
      '""',
    ]);
    // The form before the shortcut, on any text.
    const escaped = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '"', '\\', '\u001b', 'é') }), (v) => inQuotes(v) === escaped(v)));
    fc.assert(fc.property(fc.string(), (v) => inQuotes(v) === escaped(v)));
  });
  it('sortByBytes orders as a sort by compareBytes, stably, surrogates or not', () => {
    // Code units where UTF-16 order and byte order part: above and below the surrogates, and surrogates alone or paired.
    const unit = fc.constantFrom('a', 'B', '-', '\u00e9', '\ud7ff', '\ud83d', '\ude00', '\ue000', '\uffff');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit, maxLength: 4 })), fc.nat(3)), { maxLength: 40 }),
        (rows) => {
          const want = [...rows].sort((a, b) => compareBytes(a[0], b[0]));
          expect(sortByBytes([...rows], (r) => r[0])).toEqual(want);
        },
      ),
    );
  });
});

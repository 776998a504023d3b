// parseJsonText's fast path: JSON.parse, then one walk for depth and for numbers JSON.parse may have rounded.
import { describe, expect, it } from 'vitest';
import { JsonNumberText, JsonSyntaxError, MAX_JSON_DEPTH, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';

describe('parseJsonText', () => {
  it('keeps integers beyond 2^53 digit for digit, wherever they are, and leaves long digit strings alone', () => {
    const v = parseJsonText('{"a":[1,{"b":9007199254740993}],"c":"12345678901234567890","d":-9007199254740993,"e":9007199254740991}') as {
      a: [number, { b: JsonNumberText }];
      c: string;
      d: JsonNumberText;
      e: number;
    };
    expect(v.a[1].b).toBeInstanceOf(JsonNumberText);
    expect(v.a[1].b.text).toBe('9007199254740993');
    expect(v.d.text).toBe('-9007199254740993');
    expect(v.c).toBe('12345678901234567890');
    expect(v.e).toBe(9007199254740991);
    expect(stringifyJson(v, { indent: '', finalNewline: false })).toBe(
      '{"a":[1,{"b":9007199254740993}],"c":"12345678901234567890","d":-9007199254740993,"e":9007199254740991}',
    );
  });

  it('reads a top-level big integer and non-integer big numbers as numbers', () => {
    expect((parseJsonText('18446744073709551616') as JsonNumberText).text).toBe('18446744073709551616');
    expect(parseJsonText('[1e300, 12345678901234567.5]')).toEqual([1e300, Number('12345678901234567.5')]);
  });

  it('refuses nesting beyond the limit with the place, with or without big integers', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(() => parseJsonText(deep)).toThrow(JsonSyntaxError);
    expect(() => parseJsonText(`{"n":9007199254740993,"x":${deep}}`)).toThrow(/line 1, column \d+: nesting deeper than/);
  });
});

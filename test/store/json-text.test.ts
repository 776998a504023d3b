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

  it('reads a top-level big integer', () => {
    expect((parseJsonText('18446744073709551616') as JsonNumberText).text).toBe('18446744073709551616');
  });

  it('keeps every literal a JS number would change as written, and writes it back so', () => {
    const text =
      '{"x":{"inf":1e400,"exp":12345678901234567890e0,"big":1e300,"half":12345678901234567.5,"neg":-1E999},"ok":[1.5,1e3,-0.25]}';
    const v = parseJsonText(text) as { x: Record<string, JsonNumberText>; ok: number[] };
    expect(Object.values(v.x).map((n) => n.text)).toEqual(['1e400', '12345678901234567890e0', '1e300', '12345678901234567.5', '-1E999']);
    expect(v.ok).toEqual([1.5, 1000, -0.25]);
    expect(stringifyJson(v, { indent: '', finalNewline: false })).toBe(text.replace('1e3,', '1000,'));
    expect(stringifyJson(v)).toContain('"inf": 1e400,');
  });

  it('refuses nesting beyond the limit with the place, with or without big integers', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(() => parseJsonText(deep)).toThrow(JsonSyntaxError);
    expect(() => parseJsonText(`{"n":9007199254740993,"x":${deep}}`)).toThrow(/line 1, column \d+: nesting deeper than/);
  });
});

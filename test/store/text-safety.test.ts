// sanitize() and the JSON reader/writer: what reaches a terminal, and what goes back to disk.
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';
import { shellQuote } from '../../src/store/gc/script.js';
import { csvCell } from '../../src/store/output/export.js';
import { escapeJsonText } from '../../src/store/formats/json-text.js';
import { quote, sanitize } from '../../src/store/output/sanitize.js';
import { formatZ, parseRfc3339 } from '../../src/store/time.js';

describe('sanitize', () => {
  it('turns every control character into a visible escape', () => {
    expect(sanitize('a\u001b[2Jb')).toBe('a\\e[2Jb');
    expect(sanitize('bell\u0007 nul\u0000 del\u007f')).toBe('bell\\x07 nul\\x00 del\\x7f');
    expect(sanitize('line\nbreak\ttab\rcr')).toBe('line\\nbreak\\ttab\\rcr');
    expect(sanitize('c1 csi \u009b31m nel \u0085')).toBe('c1 csi \\x9b31m nel \\x85');
    expect(sanitize('osc \u001b]0;title\u0007')).toBe('osc \\e]0;title\\x07');
    expect(sanitize('rtl \u202eevil\u2066')).toBe('rtl \\u{202e}evil\\u{2066}');
    // The line and paragraph separators: a line break to some terminals and viewers.
    expect(sanitize('one\u2028two\u2029')).toBe('one\\u{2028}two\\u{2029}');
  });

  it('makes every format character visible but the two joiners emoji and scripts need: tags, shaping controls, annotations', () => {
    const kept = new Set([0x200c, 0x200d]);
    const raw: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!/\p{Cf}/u.test(ch) || kept.has(cp)) continue;
      const shown = cp <= 0xff ? `\\x${cp.toString(16)}` : `\\u{${cp.toString(16)}}`;
      if (sanitize(`a${ch}b`) !== `a${shown}b`) raw.push(cp.toString(16));
    }
    expect(raw).toEqual([]);
    // Tag characters spell hidden ASCII ("hi" here); each shows as its escape, one per code point.
    expect(sanitize('ok\u{e0068}\u{e0069}')).toBe('ok\\u{e0068}\\u{e0069}');
    expect(sanitize('a\u200db\u200cc')).toBe('a\u200db\u200cc');
    expect(shellQuote('x\u{e0041}')).toBe("$'x\\xf3\\xa0\\x81\\x81'");
    expect(csvCell('\u206aa')).toBe('\\u{206a}a');
  });

  it('quote() never shows two different values the same: backslashes and quotes escaped, controls once', () => {
    expect(quote('a\nb')).toBe('"a\\nb"');
    expect(quote('a\\nb')).toBe('"a\\\\nb"');
    expect(quote('x\u001b[2J "q"')).toBe('"x\\e[2J \\"q\\""');
    expect(quote('x\\e[2J')).not.toBe(quote('x\u001b[2J'));
  });

  it('leaves ordinary text, including non-ASCII, alone', () => {
    const s = 'frontend/worker-3 → ünïcødé 名前 🚀 "quoted" \\ back';
    expect(sanitize(s)).toBe(s);
  });

  it('escapeJsonText keeps JSON value-equal', () => {
    const v = { a: 'x\u009by\u202ez\u007f', b: ['\u0085', 'l\u2028p\u2029'] };
    const text = escapeJsonText(JSON.stringify(v));
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\u202e]/);
    expect(JSON.parse(text)).toEqual(v);
  });
});

describe('JSON syntax errors name line and column', () => {
  it.each([
    ['{"a": 1,}', 1, 9, "trailing comma before '}'"],
    ['{\n  "a": [1, 2,]\n}', 2, 14, "trailing comma before ']'"],
    ['{\n  "a" 1\n}', 2, 7, "expected ':' after property name"],
    ['{\n  "a": tru\n}', 2, 8, 'expected a value'],
    ['{"a": 01}', 1, 8, 'invalid number'],
    ['{"a": "x\\q"}', 1, 9, 'invalid escape'],
    ['[1, 2] 3', 1, 8, 'after the end of the JSON document'],
    ['   ', 1, 4, 'the file is empty'],
    ['{"a": "abc', 1, 7, 'unterminated string'],
    ['{"名前": x}', 1, 8, "unexpected 'x'"],
  ])('%j', (text, line, column, message) => {
    let thrown: unknown = null;
    try {
      parseJsonText(text);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(JsonSyntaxError);
    const p = (thrown as JsonSyntaxError).problem;
    expect(p).toMatchObject({ line, column });
    expect(p.message).toContain(message);
  });

  it('accepts what JSON.parse accepts', () => {
    const text = '\ufeff{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}';
    expect(parseJsonText(text)).toEqual({ a: [1, -2500, true, false, null, 'é\n'], b: {} });
  });
});

describe('integers beyond 2^53 survive a read and a write', () => {
  it('keeps the digits of a fence token', () => {
    const text = '{\n  "fences": {\n    "gc-1": 9223372036854775807\n  },\n  "seq": 3,\n  "x": 1.5\n}\n';
    const v = parseJsonText(text);
    expect(stringifyJson(v)).toBe(text);
  });

  it('a "__proto__" key stays plain data', () => {
    const v = parseJsonText('{"__proto__": {"polluted": 1}, "n": 12345678901234567890}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
  });
});

describe('time', () => {
  it('parses RFC 3339 with Z or an offset, rejects the rest', () => {
    expect(parseRfc3339('2026-05-06T02:13:00Z')!.toISOString()).toBe('2026-05-06T02:13:00.000Z');
    expect(parseRfc3339('2026-05-06T04:13:00.5+02:00')!.toISOString()).toBe('2026-05-06T02:13:00.500Z');
    // A fraction finer than a millisecond is cut, never rounded up into the next second.
    expect(parseRfc3339('2026-05-06T02:13:00.999999999Z')!.toISOString()).toBe('2026-05-06T02:13:00.999Z');
    const rejected = ['2026-05-06', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-05-06T25:00:00Z', '2026-05-06T02:13:00', 'now'];
    // As Go reads it: no leap second, no offset beyond 24:60 (Go takes "+01:60", as some write it), no blanks around it.
    expect(parseRfc3339('2026-05-06T02:13:00+01:60')!.toISOString()).toBe('2026-05-06T00:13:00.000Z');
    rejected.push('2026-05-06T02:13:60Z', '2026-05-06T02:13:00+25:00', '2026-05-06T02:13:00+01:61', ' 2026-05-06T02:13:00Z');
    for (const bad of rejected) {
      expect(parseRfc3339(bad), bad).toBeNull();
    }
  });

  it('formats as YYYY-MM-DDTHH:MM:SSZ', () => {
    expect(formatZ(new Date('2026-05-06T04:13:07.999+02:00'))).toBe('2026-05-06T02:13:07Z');
  });
});

// parseJsonText's fast path: JSON.parse, then one walk for depth and for numbers JSON.parse may have rounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emitJson,
  emitJsonText,
  escapeJsonText,
  isJsonRoundTrip,
  JsonNumberText,
  JsonSyntaxError,
  MAX_JSON_DEPTH,
  parseJsonText,
  stringifyJson,
  withNumberSpellings,
  type JsonLayout,
} from '../../src/store/formats/json-text.js';
import { PROPERTY_RUNS } from '../support/runs.js';

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

  it('says a document saved as UTF-16 without a byte order mark looks like UTF-16, and reads the same document in UTF-8', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.object(), fc.array(fc.jsonValue())),
        fc.constantFrom('', ' ', '\n', '\r\n', '\t'),
        fc.constantFrom(undefined, 2),
        (v, lead, indent) => {
          const text = lead + JSON.stringify(v, null, indent);
          const little = Buffer.from(text, 'utf16le');
          for (const [bytes, order] of [
            [little, 'after'],
            [Buffer.from(little).swap16(), 'before'],
          ] as const)
            expect(() => parseJsonText(bytes.toString('utf8'))).toThrow(
              new RegExp(`^line 1, column 1: the file looks like UTF-16 \\(it starts with the bytes [0-9a-f ]+: a zero byte ${order} each`),
            );
          expect(() => parseJsonText(text)).not.toThrow();
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

describe('a document saved as UTF-32', () => {
  /** `text` in UTF-32 (little endian, or big endian), with the byte order mark or without. */
  const utf32 = (text: string, big: boolean): Buffer =>
    Buffer.concat(
      [...text].map((c) => {
        const b = Buffer.alloc(4);
        if (big) b.writeUInt32BE(c.codePointAt(0)!);
        else b.writeUInt32LE(c.codePointAt(0)!);
        return b;
      }),
    );

  it('is said to look like UTF-32, not UTF-16, its first bytes named, with a byte order mark or without', () => {
    const doc = '{"seq": 0, "beads": []}\n';
    // Each but the first went unsaid or was said to look like UTF-16 (ff fe 00 00 starts as UTF-16's mark does).
    const cases: [Buffer, string][] = [
      [utf32(`\ufeff${doc}`, false), "ff fe 00 00, UTF-32's byte order mark \\(little endian\\)"],
      [utf32(`\ufeff${doc}`, true), "00 00 fe ff, UTF-32's byte order mark \\(big endian\\)"],
      [utf32(doc, false), '7b 00 00 00: three zero bytes after the first character, as UTF-32 little endian without'],
      [utf32(doc, true), '00 00 00 7b: three zero bytes before the first character, as UTF-32 big endian without'],
    ];
    for (const [bytes, start] of cases)
      expect(() => parseJsonText(bytes.toString('utf8')), start).toThrow(
        new RegExp(`^line 1, column 1: the file looks like UTF-32 \\(it starts with the bytes ${start}`),
      );
    // UTF-16's mark is still UTF-16's.
    expect(() => parseJsonText(Buffer.from(`\ufeff${doc}`, 'utf16le').toString('utf8'))).toThrow(
      /looks like UTF-16 \(it starts with the bytes ff fe,/,
    );
  });
});

describe('withNumberSpellings (a write that cannot splice writes the whole document)', () => {
  it('writes every number the change leaves alone as the file spelled it, in the changed bead and everywhere else', () => {
    const text =
      '{"seq": 1.10, "beads": [{"id": "a", "status": "open", "x_precise": 0.12345678901234567890123, "x_negzero": -0,' +
      ' "metadata": {"ratio": 1.0, "big": 1e2, "pool_slot": "4"}, "unknown_field": {"x": [1, 2.50]}},' +
      ' {"id": "b", "n": 1E+2, "huge": 1e400, "int": 12345678901234567890}]}';
    const old = parseJsonText(text) as { beads: Record<string, unknown>[] } & Record<string, unknown>;
    const a = old.beads[0];
    const next = {
      ...old,
      beads: [{ ...a, status: 'closed', metadata: { ...(a.metadata as object), pool_slot: '2', extra: 3.5 } }, old.beads[1]],
      revisions: { a: 1 },
    };
    const layout: JsonLayout = { indent: '', finalNewline: false };
    expect(stringifyJson(next, layout)).toContain('"ratio":1,'); // what a whole rewrite wrote
    expect(stringifyJson(withNumberSpellings(text, old, next), layout)).toBe(
      '{"seq":1.10,"beads":[{"id":"a","status":"closed","x_precise":0.12345678901234567890123,"x_negzero":-0,' +
        '"metadata":{"ratio":1.0,"big":1e2,"pool_slot":"2","extra":3.5},"unknown_field":{"x":[1,2.50]}},' +
        '{"id":"b","n":1E+2,"huge":1e400,"int":12345678901234567890}],"revisions":{"a":1}}',
    );
  });
});

describe('emitJson', () => {
  const partsOf = (v: unknown, layout: JsonLayout, itemsPerPart: number): string[] => {
    const parts: string[] = [];
    emitJson((part) => parts.push(part), v, layout, itemsPerPart);
    return parts;
  };
  // Line breaks and a byte order mark as a file saved on Windows has them (a rewrite keeps the file's layout).
  const layoutArb = fc.record(
    {
      indent: fc.constantFrom('', '  ', '    ', '\t', ' '.repeat(12)),
      finalNewline: fc.boolean(),
      eol: fc.constantFrom('\n' as const, '\r\n' as const),
      bom: fc.boolean(),
    },
    { requiredKeys: ['indent', 'finalNewline'] },
  );
  // toJSON is called with the member's key, and a member whose toJSON gives undefined is left out.
  const keyed = { toJSON: (key: string) => (key === '' || key === '0' ? undefined : `at ${key}`) };
  // Leaves JSON.stringify treats each its own way: omitted members, toJSON, controls it leaves raw, astral text.
  const leafArb = fc.oneof(
    fc.constant(keyed),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('a\u009b2J\u007f\u202e→', '→', '', '\u2028'),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
  );
  const valueArb = fc
    .anything({
      values: [leafArb],
      key: fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('__proto__', 'toJSON', 'beads')),
      maxDepth: 5,
      maxKeys: 6,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      withMap: true,
    })
    .filter((v) => v !== undefined && v !== keyed); // a document is a value; stringifyJson of nothing is no text

  it('hands out parts whose concatenation is stringifyJson, for any value and layout', () => {
    fc.assert(
      fc.property(valueArb, layoutArb, fc.integer({ min: 1, max: 4 }), (v, layout, n) => {
        expect(partsOf(v, layout, n).join('')).toBe(stringifyJson(v, layout));
      }),
      { numRuns: PROPERTY_RUNS * 10 },
    );
  });

  it('writes a big array in slices, and a store document as stringifyJson does', () => {
    const beads = Array.from({ length: 6001 }, (_, i) => ({ id: `b-${i}`, metadata: { alias: i % 7 ? 'x' : 'ç\u0085→' }, n: [i] }));
    const doc = { schema: 'gc-tui/1', city: { agents: [] }, beads, plan: { repairs: beads.slice(0, 3), empty: [], none: {} } };
    // A slice's text goes out as a part of its own (not joined with the commas and keys around it): a file saved on
    // Windows still gets its line breaks and mark there too.
    const layouts: JsonLayout[] = [
      { indent: '', finalNewline: true },
      { indent: '  ', finalNewline: true },
      { indent: '\t', finalNewline: false, eol: '\r\n', bom: true },
    ];
    for (const layout of layouts) {
      const parts = partsOf(doc, layout, 500);
      expect(parts.join('')).toBe(stringifyJson(doc, layout));
      // No part holds much more than a slice of the beads.
      expect(parts.length).toBeGreaterThan(3);
      expect(Math.max(...parts.map((p) => p.length)) * 3).toBeLessThan(stringifyJson(beads, layout).length);
    }
  });

  it('emitJsonText is JSON.stringify (toJSON and all) with controls escaped, for any value and layout', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          valueArb,
          valueArb.map((v) => ({ v, n: new JsonNumberText('9007199254740993') })),
        ),
        layoutArb,
        fc.integer({ min: 1, max: 4 }),
        (v, layout, n) => {
          const parts: string[] = [];
          emitJsonText((part) => parts.push(part), v, layout, n);
          const indent = layout.indent.slice(0, 10);
          const text = indent === '' ? JSON.stringify(v) : JSON.stringify(v, null, indent);
          const eol = layout.eol ?? '\n';
          expect(parts.join('')).toBe(
            (layout.bom ? '\ufeff' : '') + escapeJsonText(text).replace(/\n/g, eol) + (layout.finalNewline ? eol : ''),
          );
        },
      ),
      { numRuns: PROPERTY_RUNS * 10 },
    );
  });

  it('falls back to one part for big integers kept as written', () => {
    const v = parseJsonText('{"a":[1,2,3],"n":9007199254740993}');
    expect(partsOf(v, { indent: '  ', finalNewline: true }, 1)).toEqual([stringifyJson(v)]);
  });
});

describe('isJsonRoundTrip (a document checked itself is checked as its text reads back)', () => {
  /** The value with each JsonNumberText as its text, for a comparison that tells 1e400 from 1e401. */
  const plain = (v: unknown): unknown =>
    v instanceof JsonNumberText
      ? { numberText: v.text }
      : Array.isArray(v)
        ? v.map(plain)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
          : v;
  const leafArb = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom('a\u009b2J\u007f\u202e→', '\u2028', '__proto__'),
    fc.double(),
    fc.integer(),
    fc.constantFrom(2 ** 53, -(2 ** 60), 1e21, -0, Number.NaN, Infinity),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constantFrom('9007199254740993', '1e400', '-1E999', '1.10', '-0', '1e2', '12', 'x').map((t) => new JsonNumberText(t)),
    fc.date({ noInvalidDate: true }),
  );
  const valueArb = fc.anything({
    values: [leafArb],
    key: fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('__proto__', 'toJSON')),
    maxDepth: 4,
    maxKeys: 5,
    withNullPrototype: true,
    withSparseArray: true,
    withBoxedValues: true,
    withMap: true,
  });

  it('says yes only of a value its text reads back as, number texts and all', () => {
    let yes = 0;
    fc.assert(
      fc.property(valueArb, (v) => {
        if (!isJsonRoundTrip(v)) return;
        yes++;
        expect(plain(parseJsonText(stringifyJson(v)))).toEqual(plain(v));
      }),
      { numRuns: PROPERTY_RUNS * 10 },
    );
    expect(yes).toBeGreaterThan(0);
  });

  it('says no of what a write leaves out, changes or cannot write back', () => {
    const doc = (x: unknown) => ({ schema: 'gc-tui/1', beads: [{ id: 'a', x }] });
    expect(isJsonRoundTrip(doc('s'))).toBe(true);
    expect(isJsonRoundTrip(doc(new JsonNumberText('9007199254740993')))).toBe(true);
    for (const x of [undefined, Number.NaN, Infinity, -0, 2 ** 53 + 2, new Date(0), new Map(), new Array(3), () => 1, 1n])
      expect(isJsonRoundTrip(doc(x)), String(x)).toBe(false);
    // A number text kept only for its spelling reads back as a number (1.1, not "1.10"); one that is no literal cannot be read.
    for (const t of ['1.10', '-0', '1e2', '12', 'x', '01']) expect(isJsonRoundTrip(doc(new JsonNumberText(t))), t).toBe(false);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(isJsonRoundTrip(cycle)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    expect(isJsonRoundTrip(deep)).toBe(true);
    expect(isJsonRoundTrip([deep])).toBe(false);
  });
});

describe('escapeJsonText', () => {
  it('writes DEL, C1, line separators and every format character but the joiners as \\u escapes, and leaves every other character', () => {
    // Unicode's own Cf category (not the list the code keeps), plus DEL, C1 and U+2028/U+2029; the two joiners kept.
    const controls = /(?![\u200c\u200d])[\p{Cf}\u007f-\u009f\u2028\u2029]/gu;
    const units = (ch: string) => [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`);
    const expected = (text: string) => text.replace(controls, (ch) => units(ch).join(''));
    // ASCII runs (its fast path looks for DEL alone), with controls, Latin-1, other BMP and astral characters among them.
    const piece = fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '\u007f',
          '\u0080',
          '\u009b',
          '\u009f',
          '\u00a0',
          'é',
          '\u200e',
          '\u202e',
          '\u2066',
          '\u2069',
          '→',
          '😀',
          '\u00ad',
          '\u200b',
          '\u200c',
          '\u200d',
          '\u2028',
          '\u206a',
          '\ufeff',
          '\ufffa',
          '\u{e0041}',
          '\u{e0001}',
          '\u{1d173}',
          '👩\u200d💻',
        ),
      },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(escapeJsonText(text)).toBe(expected(text));
      }),
      { numRuns: PROPERTY_RUNS * 10 },
    );
    expect(escapeJsonText('{"a": "x\u007fy"}')).toBe('{"a": "x\\u007fy"}');
    // A tag character is two UTF-16 units: two escapes, which JSON reads back as the same character.
    const tagged = JSON.stringify({ a: 'ok\u{e0041}\u200b' });
    expect(escapeJsonText(tagged)).toBe('{"a":"ok\\udb40\\udc41\\u200b"}');
    expect(JSON.parse(escapeJsonText(tagged))).toEqual(JSON.parse(tagged));
  });
});

// A write that changes some beads copies every other byte of the file it read (splice-beads.ts). Its bytes must be
// exactly what stringifying the whole document writes for a file we wrote, and must read back as the new document
// whatever the unchanged beads' own spacing, even when something could shift an item (separator-like text in a bead);
// a raw control it copies is escaped; when a byte is not UTF-8 or a key is named twice around the beads, it declines.
// How a changed bead keeps its own members: splice-members.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beadSpans } from '../../src/store/formats/bead-spans.js';
import { detectJsonLayout, parseJsonText, stringifyJson, type JsonLayout } from '../../src/store/formats/json-text.js';
import {
  spliceAroundBeads,
  spliceBeads,
  spliceBeadsPlaced,
  spliceDocumentBytes,
  type BeadsAt,
} from '../../src/store/formats/splice-beads.js';
import { parseStoreBytes, UNUSUAL, type BeadsFound } from '../../src/store/formats/store-stream.js';
import { PROPERTY_RUNS } from '../support/runs.js';

// Strings that could look like structure: braces, commas, quotes, escapes, non-ASCII, line separators.
const tricky = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('},{', '}, {', '"', '\\', '\\"', '{', '}', '[', ']', ',', 'é', '😀', '\u2028', '\n', '\t', 'beads', '__proto__'),
);
const bead = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 6 }),
    status: fc.constantFrom('open', 'closed'),
    metadata: fc.dictionary(fc.oneof(tricky, fc.constantFrom('alias', 'state', 'pool_slot')), tricky, { maxKeys: 4 }),
    deps: fc.array(fc.record({ id: fc.string({ maxLength: 3 }), type: fc.constantFrom('blocks', 'parent') }), { maxLength: 3 }),
    nested: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 })),
  },
  { requiredKeys: ['id', 'status'] },
);
const layouts: JsonLayout[] = [
  { indent: '', finalNewline: false },
  { indent: '', finalNewline: true },
  { indent: '  ', finalNewline: true },
  { indent: '    ', finalNewline: false },
  { indent: '\t', finalNewline: true },
];

type Doc = Record<string, unknown> & { beads: Record<string, unknown>[] };

function docOf(beads: Record<string, unknown>[], tail: boolean): Doc {
  const doc: Doc = { schema: 'gc-tui/1', city: { workspace: { name: 'x' }, agents: [{ name: 'w', dir: 'r' }] }, beads };
  if (tail) doc.decisions = [{ repair: 'r:1', decision: 'rejected' }];
  return doc;
}

/** `doc` with the beads at `which` replaced by changed copies (new objects), as applyRepairs makes them. */
function changed(doc: Doc, which: number[]): Doc {
  const beads = doc.beads.map((b, i) =>
    which.includes(i) ? { ...b, status: 'closed', metadata: { ...(b.metadata as object), alias: `new-${i}` }, updated_at: 'T' } : b,
  );
  return { ...doc, beads };
}

const input = fc
  .record({
    beads: fc.array(bead, { minLength: 1, maxLength: 8 }),
    layout: fc.constantFrom(...layouts),
    tail: fc.boolean(),
    pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  })
  .map(({ beads, layout, tail, pick }) => ({ doc: docOf(beads, tail), layout, which: [...new Set(pick.map((p) => p % beads.length))] }));

describe('spliceBeads', () => {
  it('answers, for a file we wrote, exactly the bytes of the whole document stringified, whatever its beads hold', () => {
    fc.assert(
      fc.property(input, ({ doc, layout, which }) => {
        const text = stringifyJson(doc, layout);
        const read = parseJsonText(text) as Doc;
        const next = changed(read, which);
        const out = spliceBeads(Buffer.from(text, 'utf8'), layout, read, next);
        expect(out).not.toBeNull();
        expect(Buffer.concat(out!).toString('utf8')).toBe(stringifyJson(next, layout));
      }),
      { numRuns: PROPERTY_RUNS * 4 },
    );
  });

  it('keeps an unchanged bead exactly as the file spelled it (its own spacing and escapes), and the result reads back as the new document', () => {
    const beads = [
      { id: 'a', status: 'open', metadata: { alias: 'w-1' } },
      { id: 'b', status: 'open', metadata: { alias: 'w-2' } },
      { id: 'c', status: 'open', metadata: { alias: 'w-3' } },
    ];
    const layout: JsonLayout = { indent: '', finalNewline: true };
    // Bead a as another writer spelled it: spaces after colons, an escaped letter.
    const text = stringifyJson(docOf(beads, true), layout).replace('{"id":"a","status":"open"', '{"id": "\\u0061", "status": "open"');
    expect(text).toContain('"\\u0061"');
    const read = parseJsonText(text) as Doc;
    const next = changed(read, [1]);
    const out = spliceBeads(Buffer.from(text, 'utf8'), layout, read, next)!;
    expect(out).not.toBeNull();
    const written = Buffer.concat(out).toString('utf8');
    expect(written).toContain('{"id": "\\u0061", "status": "open"');
    expect(JSON.parse(written)).toEqual(next);
    expect(written).toContain('"alias":"new-1"');
  });

  it('copies a raw control the file held as read and escapes one it writes anew; declines a byte that is not UTF-8', () => {
    const layout: JsonLayout = { indent: '', finalNewline: false };
    // A raw C1 control (U+0085), line separator and bidi override in an unchanged bead, and in an unchanged member of
    // the changed one: another writer's bytes, kept as found. A value the splice writes holds one escaped.
    const plain = [
      { id: 'a', status: 'open', metadata: { note: 'N', other: 'B' } },
      { id: 'b', status: 'open', metadata: { kept: 'K' } },
    ];
    const raw = stringifyJson(docOf(plain, false), layout).replace('"N"', '"\u0085"').replace('"B"', '"\u202e"').replace('"K"', '"\u2028"');
    const rawRead = parseJsonText(raw) as Doc;
    const next = changed(rawRead, [1]);
    const bead = next.beads[1] as { metadata: Record<string, string> };
    bead.metadata = { ...bead.metadata, made: 'x\u202ey' };
    const out = spliceBeads(Buffer.from(raw, 'utf8'), layout, rawRead, next);
    expect(out).not.toBeNull();
    const written = Buffer.concat(out!).toString('utf8');
    expect(parseJsonText(written)).toEqual(next);
    expect(written).toContain('"note":"\u0085","other":"\u202e"');
    expect(written).toContain('"kept":"\u2028"');
    expect(written).toContain('"made":"x\\u202ey"');
    expect(written.slice(0, written.indexOf('{"id":"b"'))).toBe(raw.slice(0, raw.indexOf('{"id":"b"')));
    // A byte that is not UTF-8 is the caller's to refuse (a whole rewrite would write U+FFFD in its place).
    const bad = Buffer.from(stringifyJson(docOf(plain, false), layout).replace('"N"', '"\u00ff"'), 'latin1');
    expect(
      spliceBeads(bad, layout, parseJsonText(bad.toString('utf8')) as Doc, changed(parseJsonText(bad.toString('utf8')) as Doc, [1])),
    ).toBeNull();
  });

  it('replaces the very bead that changed when gaps are spelled otherwise and beads hold separator-like text or a copy of another bead', () => {
    const layout: JsonLayout = { indent: '', finalNewline: false };
    /** Every bead changed in turn: the result reads back as the new document, and what was not changed is kept. */
    const each = (text: string) => {
      const read = parseJsonText(text) as Doc;
      for (let k = 0; k < read.beads.length; k++) {
        const next = changed(read, [k]);
        const out = spliceBeads(Buffer.from(text), layout, read, next);
        expect(out, `bead ${k} of ${text}`).not.toBeNull();
        expect(JSON.parse(Buffer.concat(out!).toString('utf8')), `bead ${k} of ${text}`).toEqual(next);
      }
    };
    // A gap with a space (another writer) and "},{" inside a string.
    const beads = ['a', 'b', 'c', 'd'].map((id) => ({ id, status: 'open', metadata: { note: id === 'b' ? 'x},{y' : id } }));
    const text = stringifyJson(docOf(beads, false), layout).replace('},{"id":"c"', '}, {"id":"c"');
    each(text);
    const read = parseJsonText(text) as Doc;
    const out = spliceBeads(Buffer.from(text), layout, read, changed(read, [2]))!;
    expect(Buffer.concat(out).toString('utf8')).toContain('"note":"x},{y"}}, {"id":"c","status":"closed"');
    // Bead a holds, in a list of its own, an exact copy of bead k; the beads one per line.
    const k = { id: 'k', status: 'open' };
    each(
      `{"schema":"gc-tui/1","beads":[\n${JSON.stringify({ id: 'a', status: 'open', history: [{ p: 0 }, k, { p: 1 }] })},\n${JSON.stringify(k)},\n${JSON.stringify({ id: 'c', status: 'open' })}]}`,
    );
    // Strings whose quotes, counted naively, would put a separator outside them.
    each(`{"schema":"gc-tui/1","beads":[{"s":"},{",":":"},{"}, {",":":"}, {"c":1}]}`);
  });

  it('writes a bumped token map in the same pass, and keeps a BOM', () => {
    const layout: JsonLayout = { indent: '  ', finalNewline: true };
    const beads = [
      { id: 'a', status: 'open' },
      { id: 'b', status: 'open' },
    ];
    const doc = { ...docOf(beads, false), revisions_sealed: true, revisions: { a: 1 } };
    const text = stringifyJson(doc, layout);
    const read = parseJsonText(text) as Doc;
    const next = { ...changed(read, [0]), revisions: { a: 2 } };
    expect(Buffer.concat(spliceBeads(Buffer.from(text), layout, read, next)!).toString('utf8')).toBe(stringifyJson(next, layout));
    const withBom = spliceBeads(Buffer.from(`\ufeff${text}`, 'utf8'), layout, read, next);
    expect(Buffer.concat(withBom!).toString('utf8')).toBe(`\ufeff${stringifyJson(next, layout)}`);
    // A map the write creates goes where the document puts it, laid out as the file is.
    const fenced = { ...changed(read, [1]), fences: { b: 1 } };
    expect(Buffer.concat(spliceBeads(Buffer.from(text), layout, read, fenced)!).toString('utf8')).toBe(stringifyJson(fenced, layout));
  });

  it('keeps the text around the beads and every unchanged bead byte for byte in a file laid out by hand', () => {
    // Any spacing between tokens, numbers spelled as JSON allows (1.10, 1E+2, -0): a changed bead is written in the
    // file's own indent unit, and the rest is what the file held.
    const space = fc.constantFrom('', ' ', '\n', '\n    ', '\t', '  ');
    const hand = fc.record({
      beads: fc.array(bead, { minLength: 1, maxLength: 6 }),
      gaps: fc.array(space, { minLength: 1, maxLength: 40 }),
      pick: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(hand, ({ beads, gaps, pick }) => {
        let g = 0;
        const gap = () => gaps[g++ % gaps.length];
        // Scalars and keys spelled as gc-tui writes them (escaped where it escapes: a file needing that is declined).
        const one = (v: unknown) => stringifyJson(v, { indent: '', finalNewline: false });
        const loose = (v: unknown): string => {
          if (Array.isArray(v)) return `[${gap()}${v.map(loose).join(`${gap()},${gap()}`)}${gap()}]`;
          if (v !== null && typeof v === 'object')
            return `{${gap()}${Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .map(([k, x]) => `${one(k)}${gap()}:${gap()}${loose(x)}`)
              .join(`${gap()},${gap()}`)}${gap()}}`;
          return one(v);
        };
        const doc = docOf(beads, true);
        const text = `{\n  "x_num": 1.10, "x_exp": 1E+2,\n  "x_neg0": -0,${loose(doc).slice(1)}\n`;
        const read = parseJsonText(text) as Doc;
        const layout = detectJsonLayout(text);
        const which = [...new Set(pick.map((p) => p % beads.length))].sort((a, b) => a - b);
        const next = changed(read, which);
        const out = spliceBeads(Buffer.from(text, 'utf8'), layout, read, next);
        expect(out).not.toBeNull();
        const written = Buffer.concat(out!).toString('utf8');
        expect(parseJsonText(written)).toEqual(next);
        expect(written.startsWith('{\n  "x_num": 1.10, "x_exp": 1E+2,\n  "x_neg0": -0,')).toBe(true);
        // Cut out the changed beads' text from both: what is left is the same.
        const spans = beadSpans(text)!;
        const kept = (t: string, s: { starts: ArrayLike<number>; ends: ArrayLike<number> }) =>
          which.reduceRight((acc, k) => acc.slice(0, s.starts[k]) + acc.slice(s.ends[k]), t);
        expect(kept(written, beadSpans(written)!)).toBe(kept(text, spans));
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });

  it('in a file laid out by hand, changes the members around the beads that the write changes, and only them', () => {
    const text =
      '{ "schema": "gc-tui/1", "seq": 1.10, "x": -0,\n  "beads": [ {"id": "a", "status": "open"}, {"id": "b", "status": "open"} ] }';
    const read = parseJsonText(text) as Doc;
    const layout = detectJsonLayout(text);
    const out = (next: Record<string, unknown>) => Buffer.concat(spliceBeads(Buffer.from(text), layout, read, next)!).toString('utf8');
    // A value made anew where its member shares a line with others is written on one line, compact.
    const bead = '{"id": "b", "status": "closed", "metadata": {"alias":"new-1"}, "updated_at": "T"}';
    expect(out({ ...changed(read, [1]), seq: 2 })).toBe(
      `{ "schema": "gc-tui/1", "seq": 2, "x": -0,\n  "beads": [ {"id": "a", "status": "open"}, ${bead} ] }`,
    );
    // An added member is spaced as the separator before the member it follows.
    expect(out({ ...changed(read, [1]), decisions: [] })).toBe(
      `{ "schema": "gc-tui/1", "seq": 1.10, "x": -0,\n  "beads": [ {"id": "a", "status": "open"}, ${bead} ],\n  "decisions": [] }`,
    );
  });

  it('declines when the text around the beads names a key twice (the write refuses such a file, naming where)', () => {
    const text = '{ "schema": "gc-tui/1", "city": {"agents": [], "agents": []},\n  "beads": [ {"id": "a", "status": "open"} ] }';
    const read = parseJsonText(text) as Doc;
    expect(spliceBeads(Buffer.from(text), detectJsonLayout(text), read, changed(read, [0]))).toBeNull();
  });
});

/** The text of the array `at` places in `bytes`, parsed: it must be the whole array, its `[` to its `]`. */
function arrayAt(bytes: Buffer, at: BeadsAt): unknown {
  expect(bytes[at.head]).toBe(0x5b);
  expect(bytes[bytes.length - at.tail - 1]).toBe(0x5d);
  return parseJsonText(bytes.toString('utf8', at.head, bytes.length - at.tail));
}

// An approval's write says where the beads array is in what it wrote; a decision's write to those bytes then walks only
// the text around it (spliceAroundBeads), which must make the bytes the walk of the whole document makes.
describe('spliceBeadsPlaced', () => {
  it('places the beads array in what it wrote, and a decision appended from there writes what the whole walk writes', () => {
    const placing = input.chain((i) =>
      fc.record({ bom: fc.boolean(), sealed: fc.boolean(), crlf: fc.boolean() }).map((how) => ({ ...i, ...how })),
    );
    fc.assert(
      fc.property(placing, ({ doc, layout: base, which, bom, sealed, crlf }) => {
        const layout: JsonLayout = { ...base, ...(bom ? { bom } : {}), ...(crlf && base.indent !== '' ? { eol: '\r\n' as const } : {}) };
        // A sealed file's revisions are bumped with the beads: the text around them changes too (the whole walk).
        const was = sealed ? { ...doc, revisions_sealed: true, revisions: { a: 1 } } : doc;
        const bytes = Buffer.from(stringifyJson(was, layout), 'utf8');
        const read = parseJsonText(bytes.toString('utf8').replace(/^\ufeff/, '')) as Doc;
        const next = sealed ? { ...changed(read, which), revisions: { a: 2 } } : changed(read, which);
        const out = spliceBeadsPlaced(bytes, layout, read, next);
        expect(out?.beads).toBeDefined();
        const written = Buffer.concat(out!.parts);
        expect(written.toString('utf8')).toBe(stringifyJson(next, layout));
        expect(arrayAt(written, out!.beads!)).toEqual(next.beads);
        // The next write, a decision: the same bytes as the walk of the whole document, and the array placed again.
        const decided = { ...next, decisions: [...((next.decisions as unknown[]) ?? []), { repair: 'r:2', decision: 'rejected' }] };
        const around = spliceAroundBeads(written, layout, next, decided, out!.beads!);
        expect(around).not.toBeNull();
        const again = Buffer.concat(around!.parts);
        expect(again.equals(Buffer.concat(spliceDocumentBytes(written, layout, next, decided)!))).toBe(true);
        expect(arrayAt(again, around!.beads)).toEqual(next.beads);
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });

  it('places the array in a file laid out by hand, and none when it rewrites the array whole', () => {
    const text = '{ "schema": "gc-tui/1", "seq": 1.10,\n  "beads": [ {"id": "a", "status": "open"}, {"id": "b", "status": "open"} ] }';
    const read = parseJsonText(text) as Doc;
    const layout = detectJsonLayout(text);
    const next = { ...changed(read, [1]), seq: 2 };
    const out = spliceBeadsPlaced(Buffer.from(text), layout, read, next)!;
    const written = Buffer.concat(out.parts);
    expect(arrayAt(written, out.beads!)).toEqual(next.beads);
    expect(written.toString('utf8', 0, out.beads!.head)).toBe('{ "schema": "gc-tui/1", "seq": 2,\n  "beads": ');
    expect(out.beads!.tail).toBe(2);
  });
});

describe('spliceBeadsPlaced after a streamed read of the same bytes (the beads found by their separator)', () => {
  /** The document of `bytes` as apply's read parses it, and where that read found the beads array. */
  function streamed(bytes: Buffer, chunk: number): { read: Doc; found: BeadsFound } {
    const found: BeadsFound = { open: -1, close: -1, objectPairs: true };
    const read = parseStoreBytes(bytes, chunk, undefined, found);
    expect(read).not.toBe(UNUSUAL);
    return { read: read as Doc, found };
  }

  /** The bytes a change of beads `which` makes from `bytes`, from the read that found them and from the exact scan. */
  function both(bytes: Buffer, layout: JsonLayout, which: number[], chunk = 64): { searched: string | null; scanned: string | null } {
    const { read, found } = streamed(bytes, chunk);
    const next = changed(read, which);
    const text = (parts: Buffer[] | undefined) => (parts ? Buffer.concat(parts).toString('utf8') : null);
    return {
      searched: text(spliceBeadsPlaced(bytes, layout, read, next, undefined, found)?.parts),
      scanned: text(spliceBeads(bytes, layout, read, next) ?? undefined),
    };
  }

  /** `b` with no list of objects: its first dependency alone, no nested value. */
  const withoutLists = (b: Record<string, unknown>) => {
    const c = { ...b };
    delete c.nested;
    if (Array.isArray(c.deps)) c.deps = (c.deps[0] as unknown) ?? {};
    return c;
  };

  it('writes what the exact scan writes, for files we wrote and files others spaced or filled otherwise', () => {
    const spaced = fc.constantFrom('},{', '}, {', '},\n{', '} ,{');
    fc.assert(
      fc.property(input, fc.nat(64), spaced, ({ doc, layout, which }, chunk, gap) => {
        const text = stringifyJson(doc, layout);
        const bytes = Buffer.from(text, 'utf8');
        const { searched, scanned } = both(bytes, layout, which, chunk + 16);
        expect(searched).toBe(stringifyJson(changed(parseJsonText(text) as Doc, which), layout));
        expect(searched).toBe(scanned);
        // The same beads with no list of objects (the read then finds no two objects side by side in a bead).
        const flat = { ...doc, beads: doc.beads.map(withoutLists) };
        const flatText = stringifyJson(flat, layout);
        const plain = both(Buffer.from(flatText, 'utf8'), layout, which, chunk + 16);
        expect(plain.searched).toBe(stringifyJson(changed(parseJsonText(flatText) as Doc, which), layout));
        // One gap between two beads spaced by another writer: the same bytes as the scan (which reads the spans exactly).
        const at = text.indexOf('},{"id"');
        if (layout.indent !== '' || at < 0) return;
        const other = Buffer.from(`${text.slice(0, at)}${gap}${text.slice(at + 3)}`, 'utf8');
        const again = both(other, layout, which, chunk + 16);
        expect(again.searched).toBe(again.scanned);
      }),
      { numRuns: PROPERTY_RUNS * 4 },
    );
  });

  it('replaces the very bead that changed when a gap is spelled otherwise and a bead holds separator-like text or a copy of another bead', () => {
    const layout: JsonLayout = { indent: '', finalNewline: false };
    const each = (text: string) => {
      const bytes = Buffer.from(text);
      const count = (JSON.parse(text) as Doc).beads.length;
      for (let k = 0; k < count; k++) {
        const { searched, scanned } = both(bytes, layout, [k]);
        expect(searched, `bead ${k} of ${text}`).not.toBeNull();
        expect(searched, `bead ${k} of ${text}`).toBe(scanned);
        expect(JSON.parse(searched!), `bead ${k} of ${text}`).toEqual(changed(JSON.parse(text) as Doc, [k]));
      }
    };
    // A gap with a space (another writer) and "},{" inside a string.
    const beads = ['a', 'b', 'c', 'd'].map((id) => ({ id, status: 'open', metadata: { note: id === 'b' ? 'x},{y' : id } }));
    each(stringifyJson(docOf(beads, false), layout).replace('},{"id":"c"', '}, {"id":"c"'));
    // A string that ends in "},{" before a key's colon, and one before the next member.
    each(`{"schema":"gc-tui/1","beads":[{"s":"},{",":":"},{"}, {",":":"}, {"c":1},{"t":"a},{"},{"},{":"v"}]}`);
    // Bead a holds, in a list of its own, an exact copy of bead k (compact, and one bead a line as the layout would not).
    const k = { id: 'k', status: 'open' };
    const a = { id: 'a', status: 'open', history: [{ p: 0 }, k, { p: 1 }] };
    each(`{"schema":"gc-tui/1","beads":[${JSON.stringify(a)}, ${JSON.stringify(k)},${JSON.stringify({ id: 'c', status: 'open' })}]}`);
    const indented: JsonLayout = { indent: '  ', finalNewline: true };
    const laid = stringifyJson({ schema: 'gc-tui/1', beads: [{ id: 'a', status: 'open', history: [{ p: 0 }, k] }, k] }, indented);
    // The copy in the list moved out to the beads' own indent, and the gap before bead k spelled otherwise.
    const odd = laid
      .replace('},\n      {\n        "id": "k"', '},\n    {\n        "id": "k"')
      .replace('  },\n    {\n      "id": "k"', '  } ,\n    {\n      "id": "k"');
    expect(odd).not.toBe(laid);
    const bytes = Buffer.from(odd);
    for (const which of [[0], [1]]) {
      const { searched, scanned } = both(bytes, indented, which);
      expect(searched).toBe(scanned);
      expect(JSON.parse(searched!)).toEqual(changed(JSON.parse(odd) as Doc, which));
    }
  });
});

describe('spliceAroundBeads', () => {
  it('declines a place that is another array than the beads (a tag list in the city, the decisions), and takes the right one', () => {
    const layout: JsonLayout = { indent: '  ', finalNewline: true };
    const doc = { schema: 'gc-tui/1', city: { tags: ['a', 'b'] }, beads: [{ id: 'a', status: 'open' }], decisions: [] as unknown[] };
    const text = stringifyJson(doc, layout);
    const bytes = Buffer.from(text);
    const read = parseJsonText(text) as Doc;
    const next = { ...read, decisions: [{ repair: 'r:1', decision: 'rejected' }] };
    const place = (open: string, close: string): BeadsAt => {
      const head = text.indexOf(open) + open.length - 1;
      return { head, tail: bytes.length - (text.indexOf(close, head) + close.length) };
    };
    expect(spliceAroundBeads(bytes, layout, read, next, place('"tags": [', ']'))).toBeNull();
    expect(spliceAroundBeads(bytes, layout, read, next, place('"decisions": [', ']'))).toBeNull();
    const right = spliceAroundBeads(bytes, layout, read, next, place('"beads": [', '\n  ]'));
    expect(Buffer.concat(right!.parts).toString('utf8')).toBe(stringifyJson(next, layout));
    expect(arrayAt(Buffer.concat(right!.parts), right!.beads)).toEqual(next.beads);
  });
});

// A store file read a stretch at a time (store-stream.ts) must give exactly what a whole parse of its text
// gives (key order, big integers, `__proto__` keys, broken UTF-8 included), or leave the file to the whole
// read, which words the error; and a command's read of a store (loadStore) must give the same state or the
// same error as before, whatever the file holds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreReread } from '../../src/store/formats/store-reread.js';
import { SharedStrings } from '../../src/store/formats/shared-strings.js';
import { parseStoreBytes, readStoreStreamed, UNUSUAL } from '../../src/store/formats/store-stream.js';
import { city, pooled } from '../support/builders.js';
import { tempDir } from '../support/files.js';
import { PROPERTY_RUNS } from '../support/runs.js';

/** What a whole parse makes of the file's text (big integers written as found), or its error's message. */
function whole(file: string): string {
  try {
    return stringifyJson(parseJsonText(readFileSync(file, 'utf8')));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function streamed(file: string, chunk: number): string | typeof UNUSUAL {
  const doc = readStoreStreamed(file, chunk);
  return doc === UNUSUAL ? UNUSUAL : stringifyJson(doc);
}

// Strings that trip a scanner: quotes, backslashes before quotes, brackets, a bead's end and the next's start,
// commas, unicode, escapes.
const tricky = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    '"',
    '\\',
    '\\"',
    '"\\',
    '{',
    '}',
    '},{',
    '} , {',
    '}]',
    '[',
    ']',
    ',',
    ':',
    'é',
    '😀',
    '\u2028',
    '\n',
    'beads',
    '__proto__',
  ),
);
const metadata = fc.dictionary(fc.oneof(tricky, fc.constantFrom('alias', 'state', 'pool_slot')), tricky, { maxKeys: 4 });
const bead = fc.record(
  {
    id: fc.oneof(fc.constantFrom('a', 'b', '__proto__', 'x"y'), fc.string({ minLength: 1, maxLength: 4 })),
    status: fc.constantFrom('open', 'closed'),
    metadata,
    labels: fc.array(tricky, { maxLength: 2 }),
    // Arrays of objects inside a bead: `},{` that is not between beads.
    nested: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.array(fc.record({ a: tricky }), { maxLength: 3 })),
  },
  { requiredKeys: ['id'] },
);

const layout = fc.record({
  indent: fc.constantFrom(0, 1, 2, '\t'),
  bom: fc.boolean(),
  // Keys after the beads, an array of objects among them (its `},{` is not between beads either).
  tail: fc.constantFrom('none', 'decisions', 'objects'),
  newline: fc.boolean(),
  // Lines ended as on Windows (a raw newline only ever stands between tokens: JSON escapes it in strings).
  crlf: fc.boolean(),
});

/** A store text of `list`, laid out as `l` says, with keys before and after the beads. */
function storeText(
  list: unknown[],
  l: { indent: number | string; bom: boolean; tail: string; newline: boolean; crlf: boolean },
  c: unknown = { workspace: { name: 'x' }, agents: [] },
): string {
  const doc: Record<string, unknown> = { schema: 'gc-tui/1', city: c, beads: list };
  if (l.tail === 'decisions') doc.decisions = [];
  if (l.tail === 'objects') doc.later = [{ id: 'p' }, { id: 'q' }];
  const text = (l.bom ? '\ufeff' : '') + JSON.stringify(doc, null, l.indent) + (l.newline ? '\n' : '');
  return l.crlf ? text.replace(/\n/g, '\r\n') : text;
}

// What else a file can hold at any place: a break, a number JSON.parse would round, bytes that are not UTF-8
// (alone or in the middle of a character), another "beads", an escaped key, a deep nesting.
const damage = fc.oneof(
  fc.constant(null),
  fc.record({
    at: fc.nat(),
    bytes: fc.oneof(
      fc
        .constantFrom('', '"', ',', ']', '}', '{', '[', 'x', '\\', ' ', '99999999999999999999', '1e400', ',"beads":[]', ',"\\u0062eads":[]')
        .map((s) => Buffer.from(s)),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a.map((x) => x | 0x80))),
    ),
    replace: fc.boolean(),
  }),
);

function damaged(text: string, d: { at: number; bytes: Buffer; replace: boolean } | null): Buffer {
  const b = Buffer.from(text, 'utf8');
  if (!d) return b;
  const at = d.at % (b.length + 1);
  return Buffer.concat([b.subarray(0, at), d.bytes, b.subarray(d.replace ? at + 1 : at)]);
}

describe('a store file read a stretch at a time', () => {
  it('gives what a whole parse of its text gives, or leaves the file to the whole read, with any stretch size', () => {
    const dir = tempDir();
    let n = 0;
    let usual = 0;
    fc.assert(
      fc.property(fc.array(bead, { maxLength: 8 }), layout, damage, fc.integer({ min: 4, max: 300 }), (list, l, d, chunk) => {
        const file = join(dir, `s${n++}.json`);
        writeFileSync(file, damaged(storeText(list, l), d));
        const want = whole(file);
        const got = streamed(file, chunk);
        // A write's read (the bytes already held) answers as the file's, and leaves the bytes as they were.
        const bytes = readFileSync(file);
        const held = parseStoreBytes(bytes, chunk);
        expect(held === UNUSUAL ? UNUSUAL : stringifyJson(held)).toBe(got);
        expect(bytes.equals(readFileSync(file))).toBe(true);
        if (got !== UNUSUAL) {
          usual++;
          expect(got).toBe(want);
        } else if (d === null) {
          // An undamaged store is never left to the whole read: what is compared above is the streamed read.
          expect.unreachable(`an undamaged store text was left to the whole read: ${readFileSync(file, 'utf8')}`);
        }
      }),
      { numRuns: PROPERTY_RUNS * 10 },
    );
    expect(usual).toBeGreaterThan(PROPERTY_RUNS);
  });

  it('keeps an integer past 2^53 digit for digit, and refuses nesting past the limit, in a bead as in a whole parse', () => {
    const dir = tempDir();
    const text = (x: string) => `{"schema":1,"city":{},"beads":[{"id":"a"},{"id":"b","n":${x}}],"seq":${x}}`;
    const big = write(dir, 'big.json', text('12345678901234567890'));
    expect(streamed(big, 8)).toBe(whole(big));
    expect(whole(big)).toContain('12345678901234567890');
    // At the limit in the file, a bead is at its depth (an array in an object): one level less parses.
    const deep = write(dir, 'deep.json', text('['.repeat(MAX_JSON_DEPTH - 2) + ']'.repeat(MAX_JSON_DEPTH - 2)));
    expect(whole(deep)).toMatch(/^error: .*nesting deeper/);
    expect(streamed(deep, 16)).toBe(UNUSUAL);
    const limit = write(dir, 'limit.json', text('['.repeat(MAX_JSON_DEPTH - 3) + ']'.repeat(MAX_JSON_DEPTH - 3)));
    expect(whole(limit)).not.toMatch(/^error/);
    expect(streamed(limit, 16)).toBe(whole(limit));
  });

  it('reads UTF-8 cut anywhere, broken sequences included, as the whole text decodes it', () => {
    const dir = tempDir();
    // Raw bytes inside a bead's string: ASCII, whole characters, and bytes ≥ 0x80 that need not make UTF-8.
    const piece = fc.oneof(
      fc.constantFrom('a', ' ', '}', '},{', ']', 'é', '😀', '€').map((s) => Buffer.from(s)),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a.map((x) => x | 0x80))),
    );
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 6 }), { maxLength: 6 }), fc.integer({ min: 4, max: 40 }), (titles, chunk) => {
        const items = titles.map((t, i) => Buffer.concat([Buffer.from(`{"id":"b${i}","title":"`), ...t, Buffer.from('"}')]));
        const body = items.flatMap((b, i) => (i ? [Buffer.from(','), b] : [b]));
        const file = join(dir, `u${n++}.json`);
        writeFileSync(file, Buffer.concat([Buffer.from('{"schema":1,"city":{},"beads":['), ...body, Buffer.from(']}')]));
        const got = streamed(file, chunk);
        expect(got).not.toBe(UNUSUAL);
        expect(got).toBe(whole(file));
        const held = parseStoreBytes(readFileSync(file), chunk);
        expect(held === UNUSUAL ? UNUSUAL : stringifyJson(held)).toBe(got);
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  it('leaves a key that escapes "beads" to the whole read, which refuses the key named twice, before or after the beads', () => {
    const dir = tempDir();
    const beads = '"beads":[{"id":"a"}]';
    const escaped = '"be\\u0061ds":[{"id":"b"}]';
    for (const [name, text] of [
      ['after.json', `{"schema":1,"city":{},${beads},${escaped}}`],
      ['before.json', `{"schema":1,"city":{},${escaped},${beads}}`],
    ]) {
      const file = write(dir, name, text);
      expect(streamed(file, 8)).toBe(UNUSUAL);
      // The re-read of a console refuses it too (duplicate-keys.ts): JSON.parse would keep the last one only.
      const reread = new StoreReread();
      expect(() => reread.parse(readFileSync(file, 'utf8'))).toThrow(/the key "beads" appears twice at the top level/);
    }
  });

  it('reads a generated store of thousands of beads in many stretches', () => {
    const dir = tempDir();
    const beads = Array.from({ length: 3000 }, (_, i) => pooled(`s${i}`, 'worker', { pool_slot: String(i + 1), note: `é${i}😀}]` }));
    const file = write(dir, 'many.json', JSON.stringify({ schema: 'gc-tui/1', city: city([{ name: 'worker' }]), beads, seq: 3 }));
    const got = streamed(file, 4096);
    expect(got).not.toBe(UNUSUAL);
    expect(got).toBe(whole(file));
  });
});

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadStore', () => {
  /** The state a read gives, or its error's message. */
  const outcome = (p: Promise<{ state: unknown; extra?: unknown }>) =>
    p.then(
      (l) => stringifyJson({ state: l.state, extra: l.extra }),
      (e: unknown) => `error: ${(e as Error).message}`,
    );

  it('gives the state or the error of a whole read (a first re-read is one) for any store file', async () => {
    const dir = tempDir();
    const c = city([{ name: 'worker', max_active_sessions: 4 }]);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(bead, { maxLength: 5 }), fc.boolean(), layout, damage, async (extra, valid, l, d) => {
        const list = valid ? ['s1', 's2'].map((id, i) => pooled(id, 'worker', { pool_slot: String(i + 1) })) : extra;
        const file = join(dir, `l${n++}.json`);
        writeFileSync(file, damaged(storeText(list, l, c), d));
        expect(await outcome(loadStore(file))).toBe(await outcome(loadStore(file, new StoreReread())));
      }),
      { numRuns: PROPERTY_RUNS * 3 },
    );
  });

  it('says which file and where, as before, for a file that is not JSON, not an object, or empty', async () => {
    const dir = tempDir();
    const texts = [
      '',
      '   ',
      'null',
      '0',
      '[]',
      '{"schema":"gc-tui/1","beads":[{"id":"a"},]}',
      '{"beads":[{"id":"a"}]} x',
      '\ufeff{"beads":[',
    ];
    for (const [i, text] of texts.entries()) {
      const file = write(dir, `e${i}.json`, text);
      const got = await outcome(loadStore(file));
      expect(got).toBe(await outcome(loadStore(file, new StoreReread())));
      expect(got).toMatch(/^error: /);
    }
  });
});

describe('the values a read shares among beads', () => {
  it('are the same values: no field added, removed or changed, whatever the beads hold', () => {
    const anyBead = fc.oneof(
      bead,
      fc.record({
        id: fc.string(),
        created_at: fc.oneof(fc.constantFrom('2026-05-06T02:00:00Z', '2026-05-06T02:01:00Z'), fc.jsonValue()),
        updated_at: fc.jsonValue(),
        metadata: fc.oneof(
          fc.jsonValue(),
          fc.record(
            { template: fc.oneof(fc.constantFrom('backend/builder', 'ops/polecat'), fc.jsonValue()), alias: tricky, agent_name: tricky },
            { requiredKeys: [] },
          ),
        ),
      }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(anyBead, { maxLength: 12 }), (list) => {
        const before = JSON.parse(JSON.stringify(list)) as unknown[];
        const beads = JSON.parse(JSON.stringify(list)) as unknown[];
        new SharedStrings().share(beads);
        expect(beads).toStrictEqual(before);
        expect(beads.map((b) => (b && typeof b === 'object' ? Object.keys(b) : []))).toStrictEqual(
          before.map((b) => (b && typeof b === 'object' ? Object.keys(b) : [])),
        );
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  it('gives a store read by a command the state of a whole read', async () => {
    const dir = tempDir();
    const beads = Array.from({ length: 500 }, (_, i) =>
      pooled(`s${i}`, 'worker', { pool_slot: String(i + 1), alias: `worker-${i}`, agent_name: `worker-${i}` }),
    );
    const file = write(dir, 'shared.json', JSON.stringify({ schema: 'gc-tui/1', city: city([{ name: 'worker' }]), beads }));
    const read = await loadStore(file);
    expect(stringifyJson(read.state)).toBe(stringifyJson((await loadStore(file, new StoreReread())).state));
  });
});

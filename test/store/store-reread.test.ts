// The console's re-read of a store file (store-reread.ts) parses only the beads whose text changed. Whatever
// the text, it must give exactly what a whole parse gives (key order, big integers, `__proto__` keys
// included), or the same error; and a bead whose text did not change is the object of the last read.
import { closeSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';
import { KeptBytes, setKeepInFileFromForTests, setKeptFileDirsForTests } from '../../src/store/formats/kept-bytes.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreReread, StoreRereads } from '../../src/store/formats/store-reread.js';
import { city, pooled } from '../support/builders.js';
import { openFilesIn, tempDir } from '../support/files.js';
import { PROPERTY_RUNS } from '../support/runs.js';

/** The text a whole parse makes of `text` (big integers written as found), or its error's message. */
function whole(text: string): string {
  try {
    return stringifyJson(parseJsonText(text));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function reread(r: StoreReread, text: string, bytes?: Buffer): { text: string; doc: unknown } {
  try {
    const doc = r.parse(text, bytes);
    return { text: stringifyJson(doc), doc };
  } catch (e) {
    return { text: `error: ${(e as Error).message}`, doc: null };
  }
}

/** `bytes` written to a file, copied from it into a kept file (KeptBytes.copyOf), and re-read from that copy (parseKept). */
function rereadCopy(r: StoreReread, bytes: Buffer): { text: string; doc: unknown } {
  writeFileSync(copiedFrom(), bytes);
  const fd = openSync(copiedFrom(), 'r');
  let kept: KeptBytes | null;
  try {
    kept = KeptBytes.copyOf(fd);
  } finally {
    closeSync(fd);
  }
  expect(kept?.inFile).toBe(true);
  try {
    const doc = r.parseKept(kept!);
    return { text: stringifyJson(doc), doc };
  } catch (e) {
    return { text: `error: ${(e as Error).message}`, doc: null };
  }
}

let copiedFile: string | undefined;
const copiedFrom = () => (copiedFile ??= join(tempDir(), 'copied.json'));

// Strings that trip a scanner: quotes, backslashes before quotes, brackets, commas, unicode, escapes.
const tricky = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('"', '\\', '\\"', '"\\', '{', '}', '[', ']', ',', ':', 'é', '😀', '\u2028', '\n', 'beads', '__proto__'),
);
const metadata = fc.dictionary(fc.oneof(tricky, fc.constantFrom('alias', 'state', 'pool_slot')), tricky, { maxKeys: 4 });
const bead = fc.record(
  {
    id: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'e', '__proto__', 'x"y'), fc.string({ minLength: 1, maxLength: 4 })),
    status: fc.constantFrom('open', 'closed'),
    metadata,
    labels: fc.array(tricky, { maxLength: 2 }),
    nested: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 })),
  },
  { requiredKeys: ['id'] },
);
const beads = fc.array(bead, { maxLength: 8 });

/** A store text of `list`, laid out as `layout` says, with keys before and after the beads. */
function storeText(list: unknown[], layout: { indent: number; bom: boolean; tail: boolean }): string {
  const doc: Record<string, unknown> = { schema: 1, city: { workspace: { name: 'x' }, agents: [] }, beads: list };
  if (layout.tail) doc.decisions = [];
  return (layout.bom ? '\ufeff' : '') + JSON.stringify(doc, null, layout.indent);
}

const layout = fc.record({ indent: fc.constantFrom(0, 2), bom: fc.boolean(), tail: fc.boolean() });

// What happens to a text between reads: a bead edited, added, removed, moved; the layout changed; a break.
const edit = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bead }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), bead }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('layout' as const), layout }),
  fc.record({
    kind: fc.constant('break' as const),
    at: fc.nat(),
    junk: fc.constantFrom('', '"', ',', ']', '}', '{', 'x', '\\', '99999999999999999999'),
  }),
);

// These stores are small: kept in a file all the same, so that the re-read from bytes read back is what is tested.
beforeAll(() => setKeepInFileFromForTests(0));
afterAll(() => setKeepInFileFromForTests());

describe('a re-read of a store text', () => {
  it('gives what a whole parse gives, or its error, through any sequence of edits', () => {
    fc.assert(
      fc.property(beads, layout, fc.array(edit, { minLength: 1, maxLength: 6 }), (start, lay, edits) => {
        const r = new StoreReread();
        let list = start.slice();
        let l = lay;
        const texts = [storeText(list, l)];
        for (const e of edits) {
          const n = list.length;
          if (e.kind === 'set' && n > 0) list[e.at % n] = e.bead;
          else if (e.kind === 'add') list.splice(e.at % (n + 1), 0, e.bead);
          else if (e.kind === 'remove' && n > 0) list.splice(e.at % n, 1);
          else if (e.kind === 'move' && n > 0) list.splice(e.to % n, 0, ...list.splice(e.at % n, 1));
          else if (e.kind === 'layout') l = e.layout;
          const text = storeText(list, l);
          if (e.kind === 'break') {
            const at = e.at % (text.length + 1);
            texts.push(text.slice(0, at) + e.junk + text.slice(at + 1));
          } else texts.push(text);
          list = list.slice();
        }
        for (const text of texts) expect(reread(r, text).text).toBe(whole(text));
        // The same when each read is released (its text let go, its bytes kept): the next read decodes them again.
        const kept = new StoreReread();
        for (const text of texts) {
          const bytes = Buffer.from(text, 'utf8');
          const decoded = bytes.toString('utf8');
          expect(reread(kept, decoded, bytes).text).toBe(whole(decoded));
          kept.release();
        }
        // And when each read is a copy of the file in a kept file of its own (parseKept: the console's re-read of a big
        // file), compared with the last one in their files: the same document, or error, as a whole parse.
        const copied = new StoreReread();
        for (const text of texts) {
          const bytes = Buffer.from(text, 'utf8');
          expect(rereadCopy(copied, bytes).text).toBe(whole(bytes.toString('utf8')));
          copied.release();
        }
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  it('once released and its bytes in their file, parses only the beads whose text changed, and keeps the others', async () => {
    const list = Array.from({ length: 50 }, (_, i) => ({ id: `b-${i}`, title: `é ${i}`, metadata: { n: String(i) } }));
    const r = new StoreReread();
    const read = (beads: unknown[]) => {
      const bytes = Buffer.from(storeText(beads, { indent: 2, bom: true, tail: true }), 'utf8');
      return r.parse(bytes.toString('utf8'), bytes) as { beads: unknown[] };
    };
    const before = read(list);
    r.release();
    await KeptBytes.settled();
    const next = list.slice();
    next[7] = { ...list[7], title: 'renamed' };
    const after = read(next);
    expect(r.parsedWhole).toBe(false);
    expect(r.reused).toBe(list.length - 1);
    for (let j = 0; j < list.length; j++) if (j !== 7) expect(after.beads[j]).toBe(before.beads[j]);
    expect(stringifyJson(after)).toBe(whole(storeText(next, { indent: 2, bom: true, tail: true })));
  });

  it('keeps the objects of the beads whose text did not change', () => {
    fc.assert(
      fc.property(fc.uniqueArray(bead, { selector: (b) => b.id, minLength: 2, maxLength: 8 }), fc.nat(), bead, (list, at, other) => {
        const r = new StoreReread();
        const before = r.parse(storeText(list, { indent: 2, bom: false, tail: true })) as { beads: unknown[] };
        const i = at % list.length;
        const next = list.slice();
        next[i] = { ...other, id: list[i].id };
        const after = r.parse(storeText(next, { indent: 2, bom: false, tail: true })) as { beads: unknown[] };
        for (let j = 0; j < list.length; j++) if (j !== i) expect(after.beads[j]).toBe(before.beads[j]);
        // One added at the front: every other bead kept, found again by its id.
        const added = r.parse(storeText([{ id: 'new-one' }, ...next], { indent: 2, bom: false, tail: true })) as { beads: unknown[] };
        for (let j = 0; j < next.length; j++) expect(added.beads[j + 1]).toBe(after.beads[j]);
        expect(r.reused).toBe(next.length);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('keeps an integer past 2^53 digit for digit, and refuses nesting past the limit, in a changed bead as in a whole parse', () => {
    const r = new StoreReread();
    const text = (x: string) => `{"schema":1,"city":{},"beads":[{"id":"a"},{"id":"b","n":${x}}]}`;
    r.parse(text('1'));
    const big = text('12345678901234567890');
    expect(stringifyJson(r.parse(big))).toBe(whole(big));
    expect(stringifyJson(r.parse(big))).toContain('12345678901234567890');
    const deep = text('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH));
    expect(reread(r, deep).text).toBe(whole(deep));
    expect(whole(deep)).toMatch(/^error: .*nesting deeper/);
  });
});

describe('loadStore with a re-read', () => {
  it('reads a store file rewritten with one bead changed: the same state as a fresh read, the other beads kept', async () => {
    const file = join(tempDir(), 'store.json');
    const c = city([{ name: 'worker', max_active_sessions: 4 }]);
    const list = ['s1', 's2', 's3'].map((id, i) => pooled(id, 'worker', { pool_slot: String(i + 1) }));
    writeFileSync(file, JSON.stringify({ schema: 'gc-tui/1', city: c, beads: list }, null, 2));
    const r = new StoreReread();
    const first = await loadStore(file, r);
    writeFileSync(
      file,
      JSON.stringify(
        { schema: 'gc-tui/1', city: c, beads: [list[0], { ...list[1], metadata: { ...list[1].metadata, state: 'active' } }, list[2]] },
        null,
        2,
      ),
    );
    const second = await loadStore(file, r);
    expect(JSON.stringify(second.state)).toBe(JSON.stringify((await loadStore(file)).state));
    expect(second.state.beads[0]).toBe(first.state.beads[0]);
    expect(second.state.beads[1]).not.toBe(first.state.beads[1]);
    expect(second.state.beads[1].metadata?.state).toBe('active');
    expect(second.state.beads[2]).toBe(first.state.beads[2]);
  });

  it('compares an ASCII file with its last read, released, as bytes: neither text is decoded whole, nor the last one read back whole', async () => {
    const file = join(tempDir(), 'store.json');
    const c = city([{ name: 'worker', max_active_sessions: 4 }]);
    const list = ['s1', 's2', 's3'].map((id, i) => pooled(id, 'worker', { pool_slot: String(i + 1) }));
    const write = (beads: unknown[]) => writeFileSync(file, JSON.stringify({ schema: 'gc-tui/1', city: c, beads }, null, 2));
    write(list);
    const r = new StoreReread();
    const first = await loadStore(file, r);
    r.release();
    await KeptBytes.settled();
    const active = { ...list[1], metadata: { ...list[1].metadata, state: 'active' } };
    write([list[0], active, list[2]]);
    const decoded = vi.spyOn(KeptBytes.prototype, 'text');
    const wholeBack = vi.spyOn(KeptBytes.prototype, 'bytes');
    const size = statSync(file).size;
    const toString = vi.spyOn(Buffer.prototype, 'toString');
    // Decoded whole: the file's bytes, from their start to their end.
    const wholeTexts = () =>
      toString.mock.calls.filter((args, k) => (toString.mock.contexts[k] as Buffer).length === size && !args[1] && args[2] === undefined)
        .length;
    try {
      const second = await loadStore(file, r);
      expect(decoded).not.toHaveBeenCalled();
      expect(wholeTexts()).toBe(0);
      expect(wholeBack).not.toHaveBeenCalled();
      expect(JSON.stringify(second.state)).toBe(JSON.stringify((await loadStore(file)).state));
      expect(r.reused).toBe(2);
      expect(second.state.beads[0]).toBe(first.state.beads[0]);
      expect(second.state.beads[1].metadata?.state).toBe('active');
      // A file that is not ASCII any more is compared as a text, as before.
      r.release();
      await KeptBytes.settled();
      write([list[0], active, { ...list[2], title: 'é' }]);
      const third = await loadStore(file, r);
      expect(decoded).toHaveBeenCalledTimes(1);
      expect(r.reused).toBe(2);
      expect(third.state.beads[2].title).toBe('é');
    } finally {
      toString.mockRestore();
      decoded.mockRestore();
      wholeBack.mockRestore();
    }
  });

  it('decodes the file as a fresh read does: a BOM, broken UTF-8, a character split across 512 KiB; a file that is gone', async () => {
    const file = join(tempDir(), 'store.json');
    const c = city([{ name: 'worker', max_active_sessions: 4 }]);
    // s2's title puts an 'é' (two bytes) across the file's first 512 KiB (fs reads a file in pieces of that size),
    // and has a lone continuation byte (broken UTF-8) further on.
    const doc = (title: string) => ({
      schema: 'gc-tui/1',
      city: c,
      beads: [pooled('s1', 'worker', { pool_slot: '1' }), { ...pooled('s2', 'worker', { pool_slot: '2' }), title }],
    });
    const before = 3 + Buffer.byteLength(JSON.stringify(doc('\u0000')).split('\\u0000')[0]); // the BOM, then the text before the title
    const text = JSON.stringify(doc(`${'x'.repeat(512 * 1024 - 1 - before)}é${'y'.repeat(600 * 1024)}é`));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(bytes.subarray(512 * 1024 - 1, 512 * 1024 + 1).toString('utf8')).toBe('é');
    bytes[bytes.indexOf('yyy')] = 0x80;
    writeFileSync(file, bytes);
    const r = new StoreReread();
    const fresh = JSON.stringify((await loadStore(file)).state);
    expect(JSON.stringify((await loadStore(file, r)).state)).toBe(fresh);
    expect(fresh).toContain('\ufffd');
    expect(fresh).toContain('é');
    writeFileSync(file, bytes); // the same again: the kept text
    expect(JSON.stringify((await loadStore(file, r)).state)).toBe(fresh);
    // And again once the reader let the text go and holds the bytes in their file: they decode to the same text.
    r.release();
    await KeptBytes.settled();
    expect(JSON.stringify((await loadStore(file, r)).state)).toBe(fresh);
    expect(r.reused).toBe(2);
    const gone = join(tempDir(), 'gone.json');
    const words = (p: Promise<unknown>) =>
      p.then(
        () => 'read',
        (e: unknown) => (e as Error).message,
      );
    expect(await words(loadStore(gone, new StoreReread()))).toBe(await words(loadStore(gone)));
  });
});

describe('validation through re-reads', () => {
  const c = city([{ name: 'worker', max_active_sessions: 4 }]);
  const list = ['s1', 's2', 's3'].map((id, i) => pooled(id, 'worker', { pool_slot: String(i + 1) }));
  const text = (beads: unknown[]) => JSON.stringify({ schema: 'gc-tui/1', city: c, beads }, null, 2);
  const message = (p: Promise<unknown>) =>
    p.then(
      () => 'read',
      (e: unknown) => (e as Error).message,
    );

  it('a bad bead is reported on every read while it stays, whichever other bead changes', async () => {
    const file = join(tempDir(), 'store.json');
    const r = new StoreReread();
    writeFileSync(file, text(list));
    await loadStore(file, r);
    const bad = [list[0], { ...list[1], status: 5 }, list[2]];
    writeFileSync(file, text(bad));
    const first = await message(loadStore(file, r));
    expect(first).toMatch(/beads\[1\]\.status/);
    expect(first).toBe(await message(loadStore(file))); // the words of a fresh read
    writeFileSync(file, text(bad));
    expect(await message(loadStore(file, r))).toBe(first);
    writeFileSync(file, text([{ ...list[0], title: 'renamed' }, bad[1], list[2]]));
    expect(await message(loadStore(file, r))).toBe(first);
  });

  it('a duplicate id made by an edit is reported, though both beads were valid before', async () => {
    const file = join(tempDir(), 'store.json');
    const r = new StoreReread();
    writeFileSync(file, text(list));
    await loadStore(file, r);
    writeFileSync(file, text([list[0], list[1], { ...list[2], id: 's1' }]));
    expect(await message(loadStore(file, r))).toMatch(/duplicate bead id "s1"/);
  });

  it('the shape of a bead kept from a valid read is not checked again; a changed one is', () => {
    const r = new StoreReread();
    const doc = r.parse(text(list)) as { beads: unknown[] };
    r.markValid(doc);
    r.parse(text([list[0], { ...list[1], title: 'x' }, list[2]]));
    expect(Array.from(r.known!)).toEqual([1, 0, 1]);
    // A read that did not pass validation vouches for nothing.
    r.parse(text([list[0], list[1], list[2]]));
    expect(r.known).toBeNull();
  });
});

describe('what a re-read keeps of the last read', () => {
  it('a file under KEEP_IN_FILE_FROM stays its text after release; one from that size on is held as its bytes', async () => {
    const list = Array.from({ length: 20 }, (_, i) => ({ id: `b-${i}`, metadata: { n: String(i) } }));
    const keptOf = async (from: number) => {
      setKeepInFileFromForTests(from);
      const r = new StoreReread();
      const bytes = Buffer.from(storeText(list, { indent: 2, bom: false, tail: true }), 'utf8');
      const doc = r.parse(bytes.toString('utf8'), bytes) as { beads: unknown[] };
      r.markValid(doc);
      r.release();
      await KeptBytes.settled();
      return { kept: r.lastValid()!.text, size: bytes.length };
    };
    try {
      const { size } = await keptOf(0);
      const small = await keptOf(size + 1);
      expect(typeof small.kept).toBe('string');
      const big = await keptOf(size);
      expect(big.kept).toBeInstanceOf(KeptBytes);
      expect((big.kept as KeptBytes).inFile).toBe(true);
      expect((big.kept as KeptBytes).text()).toBe(small.kept);
    } finally {
      setKeepInFileFromForTests(0);
    }
  });
  it.runIf(process.platform === 'linux')('holds one kept file at a time, however many reads; none once the reader is let go', async () => {
    const dir = tempDir();
    setKeptFileDirsForTests([dir]);
    try {
      const list = Array.from({ length: 20 }, (_, i) => ({ id: `b-${i}`, metadata: { n: String(i) } }));
      const readers = new StoreRereads();
      const r = readers.for('a.json');
      for (let k = 0; k < 4; k++) {
        const bytes = Buffer.from(storeText([...list, { id: `new-${k}` }], { indent: 2, bom: false, tail: true }), 'utf8');
        r.parse(bytes.toString('utf8'), bytes);
        r.release();
        await KeptBytes.settled();
        expect(openFilesIn(dir)).toHaveLength(1);
      }
      // Two other files read: the first one's reader is let go, and its kept file with it.
      for (const other of ['b.json', 'c.json']) {
        const bytes = Buffer.from(storeText(list, { indent: 0, bom: false, tail: false }), 'utf8');
        readers.for(other).parse(bytes.toString('utf8'), bytes);
      }
      await KeptBytes.settled();
      expect(readers.peek('a.json')).toBeUndefined();
      expect(openFilesIn(dir)).toHaveLength(2);
    } finally {
      setKeptFileDirsForTests();
    }
  });
});

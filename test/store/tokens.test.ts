// Gas City's concurrency tokens on every write: `revisions` (sealed files only) and `fences` (ownership
// transitions), bumped digit for digit beyond 2^53, every other key kept as found. Real files in temp dirs.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { Repair } from '../../src/engine/types.js';
import { JsonNumberText, parseJsonText, stringifyJson } from '../../src/store/formats/json-text.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreRereads } from '../../src/store/formats/store-reread.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { applyRepairsLocked, isOwnershipTransition, stampTokens } from '../../src/store/write.js';
import { NOW } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/tokens');
const SAMPLE = resolve(import.meta.dirname, '../../fixtures/gascity-samples/beads.json');
type Doc = Record<string, unknown> & { beads: Record<string, unknown>[] };

/** A fixture's beads.json with the real Gas City sample beads added (they must come through untouched). */
function fixtureText(name: string, edit: (text: string) => string = (t) => t): string {
  const doc = parseJsonText(edit(readFileSync(join(FIXTURES, name), 'utf8'))) as Doc;
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { beads: Record<string, unknown>[] };
  doc.beads.push(...sample.beads);
  return stringifyJson(doc);
}

function city(text: string): { source: Source; beadsFile: string } {
  const dir = tempDir();
  copyFileSync(join(FIXTURES, 'city.toml'), join(dir, 'city.toml'));
  return { source: { kind: 'city', dir }, beadsFile: write(join(dir, '.gc', 'beads.json'), text) };
}

/** The same beads and maps as a gc-tui store file (what `import` makes of such a city). */
function storeText(cityText: string): string {
  const { seq, beads, ...rest } = parseJsonText(cityText) as Doc;
  const agents = [
    { name: 'worker', dir: 'pack', max_active_sessions: 10 },
    { name: 'helper', dir: 'pack', max_active_sessions: 10 },
  ];
  return stringifyJson({ schema: 'gc-tui/1', city: { rigs: [{ name: 'pack' }], agents }, seq, beads, decisions: [], ...rest });
}

function read(file: string): Doc {
  return parseJsonText(readFileSync(file, 'utf8')) as Doc;
}

/** A token map with every value as its exact integer text (absent map: undefined). */
function exact(map: unknown): Record<string, string> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, v instanceof JsonNumberText ? v.text : String(v)]),
  );
}

async function repairsOf(source: Source, now = NOW): Promise<Repair[]> {
  return plan((await loadSource(source)).state, now).repairs;
}

async function applyIds(source: Source, ids: string[] | 'all'): Promise<void> {
  const all = await repairsOf(source);
  const chosen = ids === 'all' ? all : all.filter((r) => ids.includes(r.id));
  expect(chosen.map((r) => r.id).sort()).toEqual(ids === 'all' ? all.map((r) => r.id).sort() : [...ids].sort());
  const result = await applyRepairsLocked(source, chosen, { now: NOW, by: 'tester' });
  expect(result.stale).toEqual([]);
}

const ALL_IDS = [
  'clear-conflicting-alias:tk-alias',
  'close-duplicate:tk-d6a',
  'release-orphaned-work:tk-orphan',
  'repair-alias:tk-slot',
  'restamp-slot:tk-slot',
  'unassign-cross-template-work:tk-cross',
];

/** The maps of beads.sealed.json after one write of every repair above. */
const SEALED_AFTER_ALL = {
  revisions: {
    'run-anchor': '9223372036854775806', // untouched, beyond 2^53
    'tk-alias': '1', // absent counted as 0
    'tk-cross': '8',
    'tk-d6a': '1',
    'tk-d6b': '12', // untouched
    'tk-orphan': '42',
    'tk-slot': '9007199254740994', // 2^53 + 1, two repairs, one bump
  },
  fences: {
    'run-anchor.preflight': '9007199254740993', // untouched, beyond 2^53
    'tk-cross': '1', // unassigned: created
    'tk-d6a': '3', // closed: no bump
    'tk-orphan': '9007199254740992', // released: 2^53 - 1 crosses into integer text
    'tk-slot': '5', // metadata only: no bump
  },
};

describe('a sealed city (revisions_sealed: true)', () => {
  it('bumps revisions once per changed bead and fences on ownership transitions only; nothing else changes', async () => {
    const { source, beadsFile } = city(fixtureText('beads.sealed.json'));
    const before = read(beadsFile);
    expect((await repairsOf(source)).map((r) => r.id)).toEqual(ALL_IDS);
    await applyIds(source, 'all');

    const text = readFileSync(beadsFile, 'utf8');
    const after = read(beadsFile);
    expect(exact(before.revisions)).toEqual({
      'run-anchor': '9223372036854775806',
      'tk-cross': '7',
      'tk-d6b': '12',
      'tk-orphan': '41',
      'tk-slot': '9007199254740993',
    });
    expect(exact(after.revisions)).toEqual(SEALED_AFTER_ALL.revisions);
    expect(exact(after.fences)).toEqual(SEALED_AFTER_ALL.fences);
    // Gas City's encoder sorts map keys: new ids join in byte order.
    expect(Object.keys(after.revisions as object)).toEqual(Object.keys(SEALED_AFTER_ALL.revisions));
    expect(Object.keys(after.fences as object)).toEqual(Object.keys(SEALED_AFTER_ALL.fences));
    // Written as integer text, digit for digit.
    expect(text).toContain('"tk-slot": 9007199254740994');
    expect(text).toContain('"tk-orphan": 9007199254740992');
    expect(text).toContain('"run-anchor": 9223372036854775806');
    expect(text).toContain('"run-anchor.preflight": 9007199254740993');

    // Every other top-level key as found, in its place.
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const key of ['seq', 'deps', 'revisions_sealed']) expect(after[key], key).toEqual(before[key]);
    // Only the repaired beads changed; the sample beads are byte-for-byte the same objects.
    const changed = new Set(['tk-alias', 'tk-d6a', 'tk-orphan', 'tk-slot', 'tk-cross']);
    after.beads.forEach((b, i) => {
      expect(b.id).toBe(before.beads[i].id);
      if (!changed.has(b.id as string)) expect(b, String(b.id)).toEqual(before.beads[i]);
      else expect(b.updated_at, String(b.id)).toBe('2026-05-06T02:13:00Z');
    });
    const byId = new Map(after.beads.map((b) => [b.id, b]));
    expect(byId.get('tk-d6a')).toMatchObject({ status: 'closed', assignee: 'keeper' });
    expect(byId.get('tk-orphan')).toMatchObject({ status: 'open', assignee: '' });
  });

  it('one bump per bead per write: two repairs in one write bump once, the same two in two writes bump twice', async () => {
    const one = city(fixtureText('beads.sealed.json'));
    await applyIds(one.source, ['repair-alias:tk-slot', 'restamp-slot:tk-slot']);
    expect(exact(read(one.beadsFile).revisions)!['tk-slot']).toBe('9007199254740994');

    const two = city(fixtureText('beads.sealed.json'));
    await applyIds(two.source, ['restamp-slot:tk-slot']);
    await applyIds(two.source, ['repair-alias:tk-slot']);
    expect(exact(read(two.beadsFile).revisions)!['tk-slot']).toBe('9007199254740995');
  });

  it.each([
    ['close-duplicate:tk-d6a', 'a close bumps the revision but not the fence', { 'tk-d6a': '1' }, {}],
    [
      'release-orphaned-work:tk-orphan',
      'a release bumps the fence (beyond 2^53) and the revision',
      { 'tk-orphan': '42' },
      { 'tk-orphan': '9007199254740992' },
    ],
    [
      'unassign-cross-template-work:tk-cross',
      'an unassign bumps the fence (absent counts as 0) and the revision',
      { 'tk-cross': '8' },
      { 'tk-cross': '1' },
    ],
  ])('%s: %s', async (id, _what, revisions, fences) => {
    const { source, beadsFile } = city(fixtureText('beads.sealed.json'));
    const before = read(beadsFile);
    await applyIds(source, [id]);
    const after = read(beadsFile);
    expect(exact(after.revisions)).toEqual({ ...exact(before.revisions), ...revisions });
    expect(exact(after.fences)).toEqual({ ...exact(before.fences), ...fences });
  });

  it('a sealed file without the maps gets them, where Gas City writes them (revisions, revisions_sealed, fences)', async () => {
    const noMaps = (t: string) => {
      const doc = parseJsonText(t) as Doc;
      delete doc.revisions;
      delete doc.fences;
      return stringifyJson(doc);
    };
    const { source, beadsFile } = city(fixtureText('beads.sealed.json', noMaps));
    expect(Object.keys(read(beadsFile))).toEqual(['seq', 'beads', 'deps', 'revisions_sealed']);
    await applyIds(source, 'all');
    const after = read(beadsFile);
    expect(Object.keys(after)).toEqual(['seq', 'beads', 'deps', 'revisions', 'revisions_sealed', 'fences']);
    expect(exact(after.revisions)).toEqual({ 'tk-alias': '1', 'tk-cross': '1', 'tk-d6a': '1', 'tk-orphan': '1', 'tk-slot': '1' });
    expect(exact(after.fences)).toEqual({ 'tk-cross': '1', 'tk-orphan': '1' });
  });
});

describe("a token as Gas City's decoder reads it (revisions and fences are Go map[string]int64)", () => {
  const withToken = (key: 'revisions' | 'fences', literal: string) => (t: string) =>
    key === 'revisions'
      ? t.replace('"tk-cross": 7', `"tk-cross": ${literal}`)
      : t.replace('"tk-orphan": 9007199254740991', `"tk-orphan": ${literal}`);
  const placeOf = (key: 'revisions' | 'fences') => (key === 'revisions' ? 'revisions["tk-cross"]' : 'fences["tk-orphan"]');

  it('a null token counts as 0, as Go stores it: the bump writes 1, in a sealed city and in a store file', async () => {
    const nulls = (t: string) => withToken('fences', 'null')(withToken('revisions', 'null')(t));
    const { source, beadsFile } = city(fixtureText('beads.sealed.json', nulls));
    expect(read(beadsFile).revisions).toMatchObject({ 'tk-cross': null });
    await applyIds(source, 'all');
    const expected = {
      revisions: { ...SEALED_AFTER_ALL.revisions, 'tk-cross': '1' },
      fences: { ...SEALED_AFTER_ALL.fences, 'tk-orphan': '1' },
    };
    expect(exact(read(beadsFile).revisions)).toEqual(expected.revisions);
    expect(exact(read(beadsFile).fences)).toEqual(expected.fences);

    const path = write(join(tempDir(), 'tokens.json'), storeText(fixtureText('beads.sealed.json', nulls)));
    await applyIds({ kind: 'store', path }, 'all');
    expect(exact(read(path).revisions)).toEqual(expected.revisions);
    expect(exact(read(path).fences)).toEqual(expected.fences);
  });

  it('a negative token is an int64 too: it loads and bumps (-1 becomes 0)', async () => {
    const { source, beadsFile } = city(fixtureText('beads.sealed.json', withToken('revisions', '-1')));
    await applyIds(source, ['unassign-cross-template-work:tk-cross']);
    expect(exact(read(beadsFile).revisions)!['tk-cross']).toBe('0');
  });

  describe.each(['revisions', 'fences'] as const)('any other value in %s is refused at load (every command, exit 2)', (key) => {
    it.each([
      ['"x"', 'string "x"'],
      ['true', 'boolean true'],
      ['1.5', 'number 1.5'],
      ['[]', 'an array'],
      ['{}', 'an object'],
      ['1e400', 'number 1e400'],
      ['9223372036854775808', 'number 9223372036854775808, beyond a Go int64 (±2^63)'],
      ['-9223372036854775809', 'number -9223372036854775809, beyond a Go int64 (±2^63)'],
    ])('%s, naming the file, the token and what it holds; nothing is written', async (literal, got) => {
      const { source, beadsFile } = city(fixtureText('beads.sealed.json', withToken(key, literal)));
      const bytes = readFileSync(beadsFile);
      const message = `${beadsFile}: ${placeOf(key)}: must be an integer Gas City can read (a Go int64: no fraction or exponent, within ±2^63) or null, got ${got}`;
      await expect(loadSource(source)).rejects.toThrow(message);
      // The same for a store file that carries the maps.
      const path = write(join(tempDir(), 'tokens.json'), storeText(fixtureText('beads.sealed.json', withToken(key, literal))));
      await expect(loadSource({ kind: 'store', path })).rejects.toThrow(`${path}: ${placeOf(key)}: must be an integer`);
      expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
      // Not even gc-tui's own directory: a refused input leaves nothing behind.
      expect(existsSync(join(dirname(beadsFile), 'gc-tui'))).toBe(false);
    });
  });

  it('a spelled token after a bead id holding a brace (a}b) is found too', async () => {
    // The search for a spelled token once stopped at the first `}` after the map's name, inside that id.
    const braced = fixtureText('beads.sealed.json', (t) => t.replace('"run-anchor":', '"run}anchor":'));
    const { source, beadsFile } = city(withToken('revisions', '7.0')(braced));
    await expect(loadSource(source)).rejects.toThrow(`${beadsFile}: revisions["tk-cross"]: must be an integer Gas City can read`);
  });

  it.each([
    ['revisions', '"revi\\u0073ions"', '7.0'],
    ['fences', '"\\u0066\\u0065nces"', '1e2'],
  ] as const)('a spelled token in a map whose name is written with \\u escapes (%s as %s) is found too', async (key, name, literal) => {
    // Go's decoder reads the escaped name as the same key; the search for the maps once looked for the plain name only.
    const escaped = (t: string) => t.replace(`"${key}":`, `${name}:`);
    const message = (file: string) => `${file}: ${placeOf(key)}: must be an integer Gas City can read`;
    const { source, beadsFile } = city(escaped(withToken(key, literal)(fixtureText('beads.sealed.json'))));
    expect(readFileSync(beadsFile, 'utf8')).toContain(`${name}:`);
    const bytes = readFileSync(beadsFile);
    await expect(loadSource(source)).rejects.toThrow(message(beadsFile));
    await expect(applyRepairsLocked(source, [], { now: NOW, by: 'tester' })).rejects.toThrow(message(beadsFile));
    expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
    const path = write(join(tempDir(), 'tokens.json'), escaped(withToken(key, literal)(storeText(fixtureText('beads.sealed.json')))));
    expect(readFileSync(path, 'utf8')).toContain(`${name}:`);
    await expect(loadSource({ kind: 'store', path })).rejects.toThrow(message(path));
  });

  // JSON.parse reads `7.0` as 7; Go's decoder refuses it into an int64 (strconv.ParseInt): refused, not bumped to 8.
  describe.each([
    ['revisions', '7.0'],
    ['fences', '1e2'],
    ['fences', '-1.0E+1'],
  ] as const)('an integer written with a fraction or an exponent (%s: %s) is refused at load', (key, literal) => {
    const message = (file: string) =>
      `${file}: ${placeOf(key)}: must be an integer Gas City can read (a Go int64: no fraction or exponent, within ±2^63) or null, got number ${literal}`;

    it('in a city and in a store file, on every read; nothing is written', async () => {
      const { source, beadsFile } = city(withToken(key, literal)(fixtureText('beads.sealed.json')));
      const bytes = readFileSync(beadsFile);
      await expect(loadSource(source)).rejects.toThrow(message(beadsFile));
      await expect(applyRepairsLocked(source, [], { now: NOW, by: 'tester' })).rejects.toThrow(message(beadsFile));
      expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
      const path = write(join(tempDir(), 'tokens.json'), withToken(key, literal)(storeText(fixtureText('beads.sealed.json'))));
      await expect(loadSource({ kind: 'store', path })).rejects.toThrow(message(path));
      // The console's re-read of a store it read before, which parses only what changed.
      const reread = new StoreRereads();
      const good = storeText(fixtureText('beads.sealed.json'));
      write(path, good);
      await loadStore(path, reread.for(path));
      write(path, withToken(key, literal)(good));
      await expect(loadStore(path, reread.for(path))).rejects.toThrow(message(path));
    });

    it('also when it appears between the plan and the write: the token is not bumped', async () => {
      const { source, beadsFile } = city(fixtureText('beads.sealed.json'));
      const repairs = await repairsOf(source);
      write(beadsFile, withToken(key, literal)(readFileSync(beadsFile, 'utf8')));
      const bytes = readFileSync(beadsFile);
      await expect(applyRepairsLocked(source, repairs, { now: NOW, by: 'tester' })).rejects.toThrow(message(beadsFile));
      expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
      const path = write(join(tempDir(), 'tokens.json'), storeText(fixtureText('beads.sealed.json')));
      const store: Source = { kind: 'store', path };
      const planned = await repairsOf(store);
      write(path, withToken(key, literal)(readFileSync(path, 'utf8')));
      await expect(applyRepairsLocked(store, planned, { now: NOW, by: 'tester' })).rejects.toThrow(message(path));
    });
  });

  it.each([
    ['"revisions": 5', 'revisions', 'number 5'],
    ['"fences": []', 'fences', 'an array'],
    ['"fences": "x"', 'fences', 'string "x"'],
  ])('a map that is not an object (%s) is refused at load, even in an unsealed file', async (member, key, got) => {
    const { source, beadsFile } = city(fixtureText('beads.unsealed.json', (t) => t.replace(/\n}\s*$/, `,\n  ${member}\n}\n`)));
    await expect(loadSource(source)).rejects.toThrow(
      `${beadsFile}: ${key}: must be an object of bead id → integer (Gas City reads it as a Go map[string]int64) or null, got ${got}`,
    );
  });

  it('a null map is an empty one, and revisions_sealed must be a bool (or null) as Go decodes it', async () => {
    const nullMaps = (t: string) =>
      t.replace(/"revisions": \{[^}]*\}/, '"revisions": null').replace(/"fences": \{[^}]*\}/, '"fences": null');
    const { source, beadsFile } = city(fixtureText('beads.sealed.json', nullMaps));
    await applyIds(source, 'all');
    expect(exact(read(beadsFile).fences)).toEqual({ 'tk-cross': '1', 'tk-orphan': '1' });

    const odd = city(fixtureText('beads.sealed.json', (t) => t.replace('"revisions_sealed": true', '"revisions_sealed": "yes"')));
    await expect(loadSource(odd.source)).rejects.toThrow(
      `${odd.beadsFile}: revisions_sealed: must be true, false or null (a Go bool), got string "yes"`,
    );
  });
});

describe("a token at int64's largest value (Gas City's type for both maps)", () => {
  it('is not bumped past it: the write is refused, naming the file and the token, and nothing is written', async () => {
    const atMax = (t: string) => {
      const doc = parseJsonText(t) as Doc;
      (doc.fences as Record<string, unknown>)['tk-orphan'] = new JsonNumberText('9223372036854775807');
      return stringifyJson(doc);
    };
    const { source, beadsFile } = city(fixtureText('beads.sealed.json', atMax));
    const bytes = readFileSync(beadsFile);
    const repairs = (await repairsOf(source)).filter((r) => r.id === 'release-orphaned-work:tk-orphan');
    await expect(applyRepairsLocked(source, repairs, { now: NOW, by: 'tester' })).rejects.toThrow(
      /beads\.json: fences\["tk-orphan"\]: is 9223372036854775807 already, the largest Gas City keeps \(int64\)/,
    );
    expect(readFileSync(beadsFile).equals(bytes)).toBe(true);
  });
});

describe('an unsealed city', () => {
  it('stays unsealed: no revisions map, no revisions_sealed and no fences are invented', async () => {
    const { source, beadsFile } = city(fixtureText('beads.unsealed.json'));
    await applyIds(source, 'all');
    const after = read(beadsFile);
    expect(Object.keys(after)).toEqual(['seq', 'beads', 'deps']);
    expect(after.beads.find((b) => b.id === 'tk-orphan')).toMatchObject({ status: 'open', assignee: '' });
  });

  it('revisions_sealed: false leaves revisions as found (Gas City re-seeds them) and still bumps an existing fences map', async () => {
    const unseal = (t: string) => t.replace('"revisions_sealed": true', '"revisions_sealed": false');
    const { source, beadsFile } = city(fixtureText('beads.sealed.json', unseal));
    const before = read(beadsFile);
    expect(before.revisions_sealed).toBe(false);
    await applyIds(source, 'all');
    const after = read(beadsFile);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after.revisions_sealed).toBe(false);
    expect(exact(after.revisions)).toEqual(exact(before.revisions));
    expect(exact(after.fences)).toEqual(SEALED_AFTER_ALL.fences);
  });
});

describe('a gc-tui store file carrying the maps', () => {
  it('gets the same bumps as the city', async () => {
    const dir = tempDir();
    const path = write(join(dir, 'tokens.json'), storeText(fixtureText('beads.sealed.json')));
    const source: Source = { kind: 'store', path };
    const before = read(path);
    await applyIds(source, 'all');
    const after = read(path);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(exact(after.revisions)).toEqual(SEALED_AFTER_ALL.revisions);
    expect(exact(after.fences)).toEqual(SEALED_AFTER_ALL.fences);
    expect(readFileSync(path, 'utf8')).toContain('"tk-slot": 9007199254740994');
  });

  it('a store without the maps gets none', async () => {
    const dir = tempDir();
    const path = write(join(dir, 'plain.json'), storeText(fixtureText('beads.unsealed.json')));
    const source: Source = { kind: 'store', path };
    const keys = Object.keys(read(path));
    await applyIds(source, 'all');
    expect(Object.keys(read(path))).toEqual(keys);
    expect(keys).not.toContain('revisions');
    expect(keys).not.toContain('fences');
  });
});

describe('stampTokens (the rules on their own)', () => {
  const sealed = (fences?: Record<string, unknown>) => ({
    seq: 1,
    beads: [],
    revisions: {},
    revisions_sealed: true,
    ...(fences ? { fences } : {}),
  });

  it('a reopen (closed → open or in_progress) bumps the fence; closing and staying closed do not', () => {
    const closed = { id: 'a', status: 'closed' };
    const out = stampTokens(
      sealed({ a: 2, b: 2, c: 2 }),
      [closed, { id: 'b', status: 'open' }, { id: 'c', status: 'closed' }],
      [
        { id: 'a', status: 'open' },
        { id: 'b', status: 'closed' },
        { id: 'c', status: 'closed', title: 'edited' },
      ],
      'f',
    );
    expect(exact(out.fences)).toEqual({ a: '3', b: '2', c: '2' });
    expect(exact(out.revisions)).toEqual({ a: '1', b: '1', c: '1' });
  });

  it('absent, null and "" are all no assignee; any other change of owner is a transition', () => {
    expect(isOwnershipTransition({ id: 'x' }, { id: 'x', assignee: '' })).toBe(false);
    expect(isOwnershipTransition({ id: 'x', assignee: null }, { id: 'x' })).toBe(false);
    expect(isOwnershipTransition({ id: 'x', assignee: 'a' }, { id: 'x', assignee: 'b' })).toBe(true);
    expect(isOwnershipTransition({ id: 'x' }, { id: 'x', assignee: 'a' })).toBe(true);
    expect(isOwnershipTransition({ id: 'x', assignee: 'a' }, { id: 'x', assignee: '' })).toBe(true);
    expect(isOwnershipTransition({ id: 'x', status: 'in_progress' }, { id: 'x', status: 'open' })).toBe(false);
  });

  it('an unchanged bead (the same object) is not bumped; the input document is not mutated', () => {
    const bead = { id: 'a', status: 'open' };
    const top = sealed({ a: 1 });
    const snapshot = JSON.stringify(top);
    const out = stampTokens(top, [bead], [bead], 'f');
    expect(JSON.stringify(top)).toBe(snapshot);
    expect(exact(out.revisions)).toEqual({});
    expect(exact(out.fences)).toEqual({ a: '1' });
  });

  it('an id named __proto__ stays a plain key', () => {
    const out = stampTokens(sealed(), [{ id: '__proto__', assignee: 'a' }], [{ id: '__proto__', assignee: '' }], 'f');
    expect(Object.keys(out.revisions as object)).toEqual(['__proto__']);
    expect(exact(out.fences)).toEqual({ ['__proto__']: '1' });
    expect(Object.getPrototypeOf(out.fences)).toBe(Object.prototype);
  });
});

// Keep the fixture honest: the unsealed file is the sealed one without its token keys.
it('fixtures/tokens: beads.unsealed.json is beads.sealed.json without revisions, revisions_sealed and fences', () => {
  const sealed = JSON.parse(readFileSync(join(FIXTURES, 'beads.sealed.json'), 'utf8')) as Doc;
  const unsealed = JSON.parse(readFileSync(join(FIXTURES, 'beads.unsealed.json'), 'utf8')) as Doc;
  const { revisions: _r, revisions_sealed: _s, fences: _f, ...rest } = sealed;
  expect(unsealed).toEqual(rest);
});

describe('numbers a JS number would change, in keys gc-tui does not know', () => {
  const ODD = '"x_limits": {"inf": 1e400, "exp": 12345678901234567890e0, "tiny_big": -1E999, "half": 12345678901234567.5}';

  it.each([
    ['indented', (t: string) => t],
    ['compact', (t: string) => JSON.stringify(JSON.parse(t))],
  ])('%s: an apply writes them back as they were written', async (_layout, layout) => {
    const text = layout(fixtureText('beads.unsealed.json')).replace(/^\{/, `{${ODD},`);
    const { source, beadsFile } = city(text);
    await applyIds(source, 'all');
    const after = readFileSync(beadsFile, 'utf8');
    expect(after).not.toBe(text); // the apply did write
    for (const literal of ['1e400', '12345678901234567890e0', '-1E999', '12345678901234567.5']) expect(after).toContain(literal);
    expect(after).not.toContain('null,');
  });
});

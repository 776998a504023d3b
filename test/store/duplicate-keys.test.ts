// A top-level key named twice (a bad merge: two "beads" arrays) would be read as the last one, and the first lost
// at the next write. Every reader of a data file refuses it instead, naming the file, the line and the column of
// the second one: the streamed read of a headless command, the whole read, the console's re-reads, a city's
// .gc/beads.json. A key named twice deeper down is read as JSON readers read it (the last one, as Gas City's Go
// decoder does), but a write refuses to make anew any text that holds one: the first copy would be lost from the file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateTopKey, firstDuplicateKey } from '../../src/store/formats/duplicate-keys.js';
import { plan } from '../../src/engine/index.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { recordDecision } from '../../src/store/decisions.js';
import { NOW } from '../support/builders.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { StoreReread } from '../../src/store/formats/store-reread.js';
import { loadSource } from '../../src/store/source.js';
import { pooled } from '../support/builders.js';
import { tempDir } from '../support/files.js';

const MESSAGE = 'appears twice at the top level (the second would silently replace the first); keep one';

describe('duplicateTopKey', () => {
  it('finds the second of two top-level keys, escaped spellings included, and where it is', () => {
    expect(duplicateTopKey('{"a":1,"b":[1,2],"a":2}')).toEqual({ key: 'a', offset: 17 });
    expect(duplicateTopKey('\ufeff {"beads":[],"\\u0062eads":[]}')).toEqual({ key: 'beads', offset: 14 });
    expect(duplicateTopKey('{"a":"x\\"a\\":1","b":{"a":1,"a":2},"c":[{"a":1},{"a":2}]}')).toBeNull();
    expect(duplicateTopKey('{"a":1,"b":2}')).toBeNull();
    expect(duplicateTopKey('{}')).toBeNull();
    expect(duplicateTopKey('[1,1]')).toBeNull();
  });
});

describe('firstDuplicateKey', () => {
  it('finds a key named twice in one object at any depth, and only there', () => {
    expect(firstDuplicateKey('{"a":1,"b":{"c":1,"c":2}}')).toEqual({ key: 'c', offset: 18, depth: 2 });
    expect(firstDuplicateKey('{"b":[{"c":1},{"c":2,"\\u0063":3}]}')).toEqual({ key: 'c', offset: 21, depth: 3 });
    // The same key in two objects, in an array, or inside a string is no duplicate.
    expect(firstDuplicateKey('{"a":{"k":1},"b":{"k":1},"c":["k","k"],"d":"\\"k\\":1,\\"k\\":2"}')).toBeNull();
    // From an offset: the text of one item of a document.
    const text = '{"x":1,"x":2,"beads":[{"id":"a","id":"b"}]}';
    expect(firstDuplicateKey(text, text.indexOf('[{') + 1)).toEqual({ key: 'id', offset: text.lastIndexOf('"id"'), depth: 1 });
  });

  it("in an object of many keys (a sealed city's revisions, one per bead), the same: escapes decoded, nested objects apart", () => {
    const many = (n: number, extra: string) =>
      `{"revisions":{${Array.from({ length: n }, (_, i) => `"mc-${i}":${i}`).join(',')}${extra}},"fences":{"mc-0":1}}`;
    expect(firstDuplicateKey(many(5000, ''))).toBeNull();
    // The second spelling of mc-7 is escaped; the object "deep" is another one: its mc-1 is none of the map's.
    const text = many(5000, ',"deep":{"mc-1":1,"mc-1":2},"\\u006dc-7":1');
    expect(firstDuplicateKey(text)).toEqual({ key: 'mc-1', offset: text.lastIndexOf('"mc-1"'), depth: 3 });
    const escaped = many(5000, ',"deep":{"mc-1":1},"\\u006dc-7":1');
    expect(firstDuplicateKey(escaped)).toEqual({ key: 'mc-7', offset: escaped.indexOf('"\\u006dc-7"'), depth: 2 });
  });
});

function storeText(second: boolean): string {
  const doc = JSON.stringify(
    { schema: 'gc-tui/1', city: { agents: [{ name: 'worker', dir: 'frontend', max_active_sessions: 4 }] }, beads: [] },
    null,
    2,
  );
  const bead = JSON.stringify(
    pooled('mc-1', 'frontend/worker', { pool_slot: '1', agent_name: 'frontend/worker-1', alias: 'frontend/worker-1', state: 'asleep' }),
  );
  return second ? doc.replace(/\n}$/, `,\n  "beads": [${bead}]\n}`) : doc.replace('"beads": []', `"beads": [${bead}]`);
}

describe('a store file with a top-level key twice', () => {
  it('is refused by the streamed read, the whole read and the re-reads, naming the line and column of the second', async () => {
    const file = join(tempDir(), 's.json');
    writeFileSync(file, storeText(true));
    const where = /s\.json: line 13, column 3: the key "beads" appears twice at the top level/;
    await expect(loadStore(file)).rejects.toThrow(where);
    // The console's first read (whole), and a re-read after a good one (the text around the beads).
    await expect(loadStore(file, new StoreReread())).rejects.toThrow(where);
    const reread = new StoreReread();
    writeFileSync(file, storeText(false));
    expect((await loadStore(file, reread)).state.beads.map((b) => b.id)).toEqual(['mc-1']);
    writeFileSync(file, storeText(true));
    await expect(loadStore(file, reread)).rejects.toThrow(where);
    expect(readFileSync(file, 'utf8')).toBe(storeText(true));
  });

  it("in a city's .gc/beads.json, too", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'city.toml'), '[workspace]\nname = "c"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 2\n');
    mkdirSync(join(dir, '.gc'));
    writeFileSync(join(dir, '.gc', 'beads.json'), '{\n  "seq": 1,\n  "beads": [],\n  "seq": 2\n}\n');
    await expect(loadSource({ kind: 'city', dir })).rejects.toThrow(`beads.json: line 4, column 3: the key "seq" ${MESSAGE}`);
  });
});

describe('a write whose text would lose a key named twice below the top level', () => {
  const bead = (extra: string) =>
    `{"id": "mc-1", "status": "open", "issue_type": "session", ${extra}"metadata": {"template": "frontend/worker", "pool_managed": "true", "agent_name": "frontend/worker-2", "alias": "frontend/worker-2", "pool_slot": "5", "state": "asleep"}}`;
  const agents = '[{"name": "worker", "dir": "frontend", "max_active_sessions": 4}]';

  async function tryApply(text: string): Promise<{ error: unknown; after: string }> {
    const file = join(tempDir(), 's.json');
    writeFileSync(file, text);
    const { state } = await loadStore(file);
    const repairs = plan(state, NOW).repairs;
    expect(repairs.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    const error = await applyRepairsLocked({ kind: 'store', path: file }, repairs, { now: NOW, by: 'tester' }).then(
      () => null,
      (e: unknown) => e,
    );
    return { error, after: readFileSync(file, 'utf8') };
  }

  it('in the bead it changes (its text made anew, the rest copied): refused, naming the line and column, nothing written', async () => {
    // As gc-tui writes a store (so the write copies every other bead's bytes), with a bead's labels twice.
    const doc = JSON.stringify({ schema: 'gc-tui/1', city: { agents: JSON.parse(agents) }, beads: [JSON.parse(bead(''))] }, null, 2) + '\n';
    const text = doc.replace('"issue_type": "session",', '"issue_type": "session",\n      "labels": ["🔥🔥🔥"], "labels": ["second"],');
    const { error, after } = await tryApply(text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"labels": ["second"]'));
    // Columns count characters: the emoji before the key on its line are one each.
    const column = [...lines[line].slice(0, lines[line].indexOf('"labels": ["second"]'))].length + 1;
    expect(String(error)).toContain(
      `s.json: line ${line + 1}, column ${column}: the key "labels" appears twice in one object (a rewrite would keep only the second); keep one`,
    );
    expect(after).toBe(text);
  });

  it('anywhere in a document written whole: refused, nothing written', async () => {
    const text = `{"schema": "gc-tui/1", "city": {"agents": ${agents}, "agents": ${agents}}, "beads": [${bead('')}]}`;
    const { error, after } = await tryApply(text);
    expect(String(error)).toMatch(/s\.json: line 1, column \d+: the key "agents" appears twice in one object/);
    expect(after).toBe(text);
  });
});

describe('a decision recorded in a store whose text has a key named twice below the top level', () => {
  it('is refused, naming where, and nothing is written (the store is written whole from what was parsed)', async () => {
    const file = join(tempDir(), 's.json');
    const text = storeText(false).replace('"status":"open",', '"status":"open","title":"a","title":"b",');
    writeFileSync(file, text);
    const decision = {
      repair: 'restamp-slot:mc-1',
      decision: 'rejected' as const,
      by: 't',
      at: '2026-05-06T02:13:00Z',
      reason: '',
      changes: [],
    };
    await expect(recordDecision({ kind: 'store', path: file }, decision)).rejects.toThrow(
      /s\.json: line \d+, column \d+: the key "title" appears twice in one object/,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe("a city's own decisions file with a key named twice", () => {
  it('is refused at the next decision, naming where, and nothing is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'city.toml'), '[workspace]\nname = "c"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 2\n');
    mkdirSync(join(dir, '.gc', 'gc-tui'), { recursive: true });
    const file = join(dir, '.gc', 'gc-tui', 'decisions.json');
    const text = '[\n  {"repair": "restamp-slot:a", "decision": "rejected", "reason": "first", "reason": "second"}\n]\n';
    writeFileSync(file, text);
    const decision = {
      repair: 'restamp-slot:b',
      decision: 'rejected' as const,
      by: 't',
      at: '2026-05-06T02:13:00Z',
      reason: '',
      changes: [],
    };
    await expect(recordDecision({ kind: 'city', dir }, decision)).rejects.toThrow(
      /decisions\.json: line 2, column \d+: the key "reason" appears twice in one object/,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('a store file that holds the JSON null', () => {
  it('is refused for what it holds, not as a missing file', async () => {
    const file = join(tempDir(), 'n.json');
    writeFileSync(file, 'null');
    await expect(loadStore(file)).rejects.toThrow(/n\.json: \(top level\): must be a JSON object/);
  });
});

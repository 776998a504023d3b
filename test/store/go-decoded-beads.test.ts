// A city's beads (`.gc/beads.json`, a capture) are read as Gas City's Go decoder reads them
// (`internal/beads/beads.go` `Bead`; bd's `bdIssue`): a field whose JSON type its Go type cannot take (a number
// title, a created_at that is not a time) fails that decoder, so the file is refused, naming it and the place; a
// null is the Go zero value (a null status, issue_type or assignee is ""). Real files on disk.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { isGoTime } from '../../src/store/formats/bead-check.js';
import { parseBeadsCapture } from '../../src/store/formats/beads-capture.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { loadStore, writeStoreDocument } from '../../src/store/formats/load-store.js';
import { exportJsonDocument, storeDocumentOf } from '../../src/store/output/export.js';
import { applyRepairsLocked } from '../../src/store/write.js';
import { NOW, sessionRecord, work } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

const CITY_TOML = '[beads]\nprovider = "file"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = 5\n';

function cityWith(beads: unknown[]): string {
  const dir = tempDir();
  write(join(dir, 'city.toml'), CITY_TOML);
  write(join(dir, '.gc', 'beads.json'), JSON.stringify({ seq: beads.length, beads }, null, 2));
  return dir;
}

describe("a field Gas City's decoder cannot take is refused, naming the file and the place", () => {
  const cases: [string, unknown, RegExp][] = [
    ['title', 5, /must be a string, got number 5/],
    ['status', 3, /must be a string, got number 3/],
    ['assignee', true, /must be a string, got boolean true/],
    ['description', ['x'], /must be a string, got an array/],
    ['created_at', 'yesterday', /must be an RFC 3339 time Gas City can read .* or null, got string "yesterday"/],
    ['created_at', 17, /must be an RFC 3339 time Gas City can read .* or null, got number 17/],
    ['created_at', '2026-02-30T00:00:00Z', /must be an RFC 3339 time .*, got string "2026-02-30T00:00:00Z"/],
    ['updated_at', '2026-05-06 02:00:00Z', /must be an RFC 3339 time .*, got string "2026-05-06 02:00:00Z"/],
    ['defer_until', 'tomorrow', /must be an RFC 3339 time .*, got string "tomorrow"/],
    ['labels', 'gc:session', /must be an array, got string "gc:session"/],
    ['needs', [1], /must be a string, got number 1/],
    ['ephemeral', 'yes', /must be a boolean, got string "yes"/],
    // Go `*int`: a number with a fraction, a string, one beyond int64.
    ['priority', 1.5, /must be an integer Gas City can read \(a Go int: .*\) or null, got number 1\.5/],
    ['priority', '1', /must be an integer Gas City can read .* or null, got string "1"/],
    ['close_reason', 5, /must be a string, got number 5/],
    ['is_blocked', 'yes', /must be a boolean, got string "yes"/],
    ['is_blocked', 1, /must be a boolean, got number 1/],
    ['dependencies', 'gc-1', /must be an array, got string "gc-1"/],
    ['dependencies', [5], /must be an object, got number 5/],
    ['dependencies', [{ issue_id: 'w-1', depends_on_id: 7, type: 'blocks' }], /must be a string, got number 7/],
  ];
  /** Where in the field the problem is, when it is inside it. */
  const INSIDE: Record<string, string> = {
    'needs [1]': '\\[0\\]',
    'dependencies [5]': '\\[0\\]',
    'dependencies [{"issue_id":"w-1","depends_on_id":7,"type":"blocks"}]': '\\[0\\]\\.depends_on_id',
  };
  for (const [field, value, message] of cases) {
    it(`${field}: ${JSON.stringify(value)}`, async () => {
      const dir = cityWith([work('w-0'), { ...work('w-1'), [field]: value }]);
      const where = `beads\\[1\\]\\.${field}${INSIDE[`${field} ${JSON.stringify(value)}`] ?? ''}`;
      await expect(loadCity(dir)).rejects.toThrow(new RegExp(`\\.gc/beads\\.json: ${where}: ${message.source}`));
    });
  }

  it('in a capture too: the capture and the place in it', () => {
    const text = JSON.stringify([{ ...work('w-1'), title: 5 }]);
    expect(() => parseBeadsCapture(text, 'cap.json')).toThrow(/^cap\.json: \[0\]\.title: must be a string, got number 5$/);
    const issues = JSON.stringify({ issues: [work('w-0'), { ...work('w-1'), created_at: 17 }] });
    expect(() => parseBeadsCapture(issues, 'cap.json')).toThrow(/^cap\.json: issues\[1\]\.created_at: must be an RFC 3339 time/);
  });

  it('a capture\'s time text Go cannot parse (the corpus\'s "<TS>") is read as no time, not refused', () => {
    const [b] = parseBeadsCapture(JSON.stringify([{ ...work('w-1'), created_at: '<TS>', updated_at: 'now' }]), 'cap.json');
    expect(b.id).toBe('w-1');
    expect(b).not.toHaveProperty('created_at');
    expect(b).not.toHaveProperty('updated_at');
  });
});

describe("times as Go's time.Parse(time.RFC3339) takes them (what Time.UnmarshalJSON runs)", () => {
  it('accepts its lax forms and refuses what it refuses', () => {
    for (const s of [
      '2026-05-06T02:00:00Z',
      '2026-06-01T10:00:00.123456789-07:00',
      '2026-05-06T2:00:00Z', // a one-digit hour
      '2026-05-06T02:00:00,5Z', // a comma before the fraction
      '2026-05-06T02:00:00+24:00', // Go's range test is > 24
      '2026-05-06T02:00:00+12:60',
      '2024-02-29T23:59:59Z',
      '2000-02-29T00:00:00Z',
    ])
      expect(isGoTime(s), s).toBe(true);
    for (const s of [
      '',
      'yesterday',
      '2026-05-06',
      '2026-05-06T02:00Z',
      '2026-05-06T02:00:00',
      '2026-05-06t02:00:00Z',
      '2026-05-06T02:00:00z',
      '2026-05-06 02:00:00Z',
      '2026-05-06T24:00:00Z',
      '2026-05-06T02:60:00Z',
      '2026-05-06T02:00:60Z',
      '2026-13-06T02:00:00Z',
      '2026-00-06T02:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-05-06T02:00:00+25:00',
      '2026-05-06T02:00:00+00:61',
      '2026-05-06T02:00:00+0000',
      '2026-05-06T02:00:00.Z',
      '2026-05-06T02:00:00Z ',
      '+026-05-06T02:00:00Z',
      '2026-5-06T02:00:00Z',
    ])
      expect(isGoTime(s), s).toBe(false);
  });
});

describe('a null is the Go zero value', () => {
  it('status, issue_type and assignee null read as "", metadata null as no metadata, labels null as none; a snapshot reopens', async () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'active' });
    const beads = [
      { ...work('w-1', { route: 'worker' }), assignee: null },
      { ...work('w-2'), status: null, issue_type: null, metadata: null, labels: ['x', null], needs: null, ephemeral: null },
      { ...s, labels: null, created_at: null, defer_until: null, title: null, description: null },
    ];
    const dir = cityWith(beads);
    const loaded = await loadCity(dir);
    expect(loaded.state.beads[0]).toMatchObject({ id: 'w-1', assignee: '' });
    expect(loaded.state.beads[1]).toMatchObject({ id: 'w-2', status: '', issue_type: '', metadata: {}, labels: ['x', ''] });
    expect(loaded.state.beads[2]).not.toHaveProperty('labels');
    // An unassigned work bead: the same plan as with no assignee at all.
    const absent = await loadCity(cityWith([work('w-1', { route: 'worker' }), beads[1], beads[2]]));
    expect(plan(loaded.state, NOW)).toEqual(plan(absent.state, NOW));

    // A snapshot of it reopens as a store file, with the same plan.
    const out = join(tempDir(), 'snap.json');
    const p = plan(loaded.state, NOW);
    await writeStoreDocument(out, exportJsonDocument(loaded, p, NOW));
    expect(plan((await loadStore(out)).state, NOW)).toEqual(p);
  });

  it('a capture\'s null status is mapped as gc maps "": open', () => {
    const [b] = parseBeadsCapture(JSON.stringify([{ ...work('w-1'), status: null }]), 'cap.json');
    expect(b.status).toBe('open');
  });
});

/** A city whose beads.json is `text` as written (numbers spelled as given, which JSON.stringify cannot do). */
function cityWithText(text: string): string {
  const dir = tempDir();
  write(join(dir, 'city.toml'), CITY_TOML);
  write(join(dir, '.gc', 'beads.json'), text);
  return dir;
}

/** beads.json text of [w-0, w-1] with `fields` (raw JSON text, e.g. `"priority": 1.0`) added to w-1. */
function beadsText(fields: string): string {
  const w1 = JSON.stringify(work('w-1'), null, 2).replace(/\n}$/, `,\n  ${fields}\n}`);
  return `{\n"seq": 2,\n"beads": [\n${JSON.stringify(work('w-0'), null, 2)},\n${w1}\n]\n}\n`;
}

describe('priority as a Go int: an integer written with a fraction or an exponent is refused, as strconv.ParseInt refuses it', () => {
  for (const literal of ['1.0', '2e0', '1E2', '-0.0', '3.000']) {
    it(`"priority": ${literal}`, async () => {
      await expect(loadCity(cityWithText(beadsText(`"priority": ${literal}`)))).rejects.toThrow(
        new RegExp(
          `\\.gc/beads\\.json: beads\\[1\\]\\.priority: must be an integer Gas City can read .* or null, got number ${literal.replace('.', '\\.')}$`,
        ),
      );
    });
  }

  it('takes what Go takes: digits (-0 too), up to 2^63-1 either way; null is none', async () => {
    for (const literal of ['0', '-0', '4', '-3', '9223372036854775807', '-9223372036854775808', 'null']) {
      const loaded = await loadCity(cityWithText(beadsText(`"priority": ${literal}`)));
      expect(
        loaded.state.beads.map((b) => b.id),
        literal,
      ).toEqual(['w-0', 'w-1']);
    }
    await expect(loadCity(cityWithText(beadsText('"priority": 9223372036854775808')))).rejects.toThrow(
      /beads\[1\]\.priority: must be an integer Gas City can read/,
    );
    await expect(loadCity(cityWithText(beadsText('"priority": -9223372036854775809')))).rejects.toThrow(
      /beads\[1\]\.priority: must be an integer Gas City can read/,
    );
  });

  it('a priority beyond 2^53 (a Go int takes it) is read, and a snapshot of the city reopens as a store with the same plan', async () => {
    const beads = [
      { ...work('w-1', { route: 'worker' }), priority: 1 },
      { ...work('w-2', { route: 'worker' }), priority: 2 },
    ];
    const text = JSON.stringify({ seq: 2, beads }, null, 2).replace('"priority": 1', '"priority": 9007199254740993');
    const loaded = await loadCity(cityWithText(text));
    const p = plan(loaded.state, NOW);
    const out = join(tempDir(), 'snap.json');
    await writeStoreDocument(out, exportJsonDocument(loaded, p, NOW));
    expect(readFileSync(out, 'utf8')).toContain('"priority": 9007199254740993');
    expect(plan((await loadStore(out)).state, NOW)).toEqual(p);
  });

  it("only a bead's own priority: the same literal as a metadata value or in a nested object is not the Bead's int", async () => {
    const nested =
      '"metadata": {"priority": 1.0, "gc.routed_to": "worker"},\n  "dependencies": [{"issue_id": "w-1", "depends_on_id": "w-0", "type": "blocks", "priority": 2.0}]';
    const loaded = await loadCity(cityWithText(beadsText(nested)));
    // As Go's StringMap reads it: its text.
    expect(loaded.state.beads[1].metadata).toMatchObject({ priority: '1.0' });
    await expect(loadCity(cityWithText(beadsText(`${nested},\n  "priority": 2.0`)))).rejects.toThrow(
      /beads\[1\]\.priority: .*, got number 2\.0$/,
    );
  });

  it('a key spelled with \\u escapes is the key Go reads: "priorit\\u0079": 1.0 is refused, in a city and in a bd capture', async () => {
    await expect(loadCity(cityWithText(beadsText(String.raw`"priorit\u0079": 1.0`)))).rejects.toThrow(
      /\.gc\/beads\.json: beads\[1\]\.priority: must be an integer Gas City can read .*, got number 1\.0$/,
    );
    // A metadata key so spelled is a metadata value, as Go's StringMap reads it: its text.
    const loaded = await loadCity(cityWithText(beadsText(String.raw`"metadata": {"\u0070riority": 1.0, "gc.routed_to": "worker"}`)));
    expect(loaded.state.beads[1].metadata).toMatchObject({ priority: '1.0' });
    expect(() => parseBeadsCapture(String.raw`[{"id": "w-0"}, {"id": "w-1", "\u0070riority": 2e0}]`, 'cap.json')).toThrow(
      /^cap\.json: \[1\]\.priority: must be an integer Gas City can read .*, got number 2e0$/,
    );
    expect(() => parseBeadsCapture(String.raw`{"issues": [{"id": "w-1", "is_bl\u006Fcked": 1.0}]}`, 'cap.json')).toThrow(
      /^cap\.json: issues\[0\]\.is_blocked: must be a boolean, an integer .*, got number 1\.0$/,
    );
  });

  it('a write refuses such a file too, and leaves it as it was', async () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' });
    const dir = cityWithText(JSON.stringify({ seq: 1, beads: [s] }, null, 2));
    const loaded = await loadCity(dir);
    const p = plan(loaded.state, NOW);
    expect(p.repairs.map((r) => r.id)).toEqual(['restamp-slot:mc-1']);
    const file = join(dir, '.gc', 'beads.json');
    const bad = readFileSync(file, 'utf8').replace('"priority": 2', '"priority": 2.0');
    writeFileSync(file, bad);
    await expect(applyRepairsLocked({ kind: 'city', dir }, p.repairs, { now: NOW, by: 'x' })).rejects.toThrow(
      /\.gc\/beads\.json: beads\[0\]\.priority: must be an integer Gas City can read .*, got number 2\.0/,
    );
    expect(readFileSync(file, 'utf8')).toBe(bad);
  });
});

describe("Gas City's Bead.Dependencies, a Go []Dep", () => {
  it('takes null (none), a null row (the zero Dep), null fields and keys Dep does not have; refuses a field that is not a string', async () => {
    const row = { issue_id: null, depends_on_id: 'w-0', type: 'blocks', created_at: 5, metadata: '{}' };
    const loaded = await loadCity(
      cityWith([
        { ...work('w-0'), dependencies: null },
        { ...work('w-1'), dependencies: [null, row] },
      ]),
    );
    expect(loaded.state.beads.map((b) => b.id)).toEqual(['w-0', 'w-1']);
    await expect(loadCity(cityWith([work('w-0'), { ...work('w-1'), dependencies: [null, { ...row, type: 2 }] }]))).rejects.toThrow(
      /\.gc\/beads\.json: beads\[1\]\.dependencies\[1\]\.type: must be a string, got number 2$/,
    );
  });
});

describe("the file's own deps (Gas City's fileData.Deps) is a Go []Dep too", () => {
  const rows = (deps: unknown) => JSON.stringify({ seq: 2, beads: [work('w-0'), work('w-1')], deps }, null, 2);
  const refused: [unknown, string][] = [
    [{}, 'deps: must be an array, got an object'],
    ['x', 'deps: must be an array, got string "x"'],
    [[1], 'deps\\[0\\]: must be an object, got number 1'],
    [[{ issue_id: 5 }], 'deps\\[0\\]\\.issue_id: must be a string, got number 5'],
    [
      [null, { issue_id: 'w-1', depends_on_id: 'w-0', type: 'blocks' }, { type: ['blocks'] }],
      'deps\\[2\\]\\.type: must be a string, got an array',
    ],
    [[{ issue_id: 'w-1', Type: 'blocks' }], 'deps\\[0\\]\\.Type: Gas City reads this key as "type"'],
  ];
  for (const [deps, message] of refused)
    it(`refuses ${JSON.stringify(deps)}, naming the file and the place, as it refuses a bead's dependencies`, async () => {
      await expect(loadCity(cityWithText(rows(deps)))).rejects.toThrow(new RegExp(`\\.gc/beads\\.json: ${message}`));
    });

  it('takes null, none, null rows, null fields and keys Dep does not have; a write under the lock refuses one written in after the plan', async () => {
    for (const deps of [null, [], [null, { issue_id: null, depends_on_id: 'w-0', type: 'blocks', created_at: 5 }]])
      expect((await loadCity(cityWithText(rows(deps)))).state.beads.map((b) => b.id)).toEqual(['w-0', 'w-1']);
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' });
    const dir = cityWithText(JSON.stringify({ seq: 1, beads: [s], deps: [] }, null, 2));
    const p = plan((await loadCity(dir)).state, NOW);
    expect(p.repairs.length).toBeGreaterThan(0);
    const file = join(dir, '.gc', 'beads.json');
    const bad = readFileSync(file, 'utf8').replace('"deps": []', '"deps": [{"issue_id": 5}]');
    writeFileSync(file, bad);
    await expect(applyRepairsLocked({ kind: 'city', dir }, p.repairs, { now: NOW, by: 'x' })).rejects.toThrow(
      /deps\[0\]\.issue_id: must be a string, got number 5/,
    );
    expect(readFileSync(file, 'utf8')).toBe(bad);
  });
});

describe("a seq of null (Gas City's Go decoder leaves fileData.Seq, an int, at 0)", () => {
  it('is read and planned; a write keeps "seq": null as it was; a snapshot of the city keeps it and reopens', async () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' });
    const dir = cityWithText(JSON.stringify({ seq: null, beads: [s] }, null, 2));
    const loaded = await loadCity(dir);
    const p = plan(loaded.state, NOW);
    expect(p.repairs.length).toBeGreaterThan(0);

    const out = join(tempDir(), 'snap.json');
    await writeStoreDocument(out, exportJsonDocument(loaded, p, NOW));
    expect(readFileSync(out, 'utf8')).toContain('"seq": null');
    expect(plan((await loadStore(out)).state, NOW)).toEqual(p);

    const file = join(dir, '.gc', 'beads.json');
    const before = readFileSync(file, 'utf8');
    await applyRepairsLocked({ kind: 'city', dir }, p.repairs, { now: NOW, by: 'x' });
    const after = readFileSync(file, 'utf8');
    expect(after).not.toBe(before);
    expect((JSON.parse(after) as { seq: unknown }).seq).toBeNull();
  });
});

describe("seq is a Go int (fileData.Seq): a fraction, an exponent or a value beyond 2^63 is refused, as Gas City's decoder refuses it", () => {
  const withSeq = (literal: string) => `{\n"seq": ${literal},\n"beads": [\n${JSON.stringify(work('w-0'), null, 2)}\n]\n}\n`;

  for (const literal of ['1.0', '2e0', '1E2', '3.000', '9223372036854775808', '1e400']) {
    it(`"seq": ${literal}`, async () => {
      await expect(loadCity(cityWithText(withSeq(literal)))).rejects.toThrow(
        new RegExp(`\\.gc/beads\\.json: seq: must be an integer Gas City can read .*, got number ${literal.replace('.', '\\.')}$`),
      );
    });
  }

  it("takes what Go takes: digits up to 2^63-1, -0, null; a seq-named key of a bead or in metadata is not the file's", async () => {
    for (const literal of ['0', '-0', '7', '9223372036854775807', 'null']) {
      const loaded = await loadCity(cityWithText(withSeq(literal)));
      expect(
        loaded.state.beads.map((b) => b.id),
        literal,
      ).toEqual(['w-0']);
    }
    const loaded = await loadCity(cityWithText(beadsText('"seq": 1.5,\n  "metadata": {"seq": 2.0, "gc.routed_to": "worker"}')));
    expect(loaded.state.beads.map((b) => b.id)).toEqual(['w-0', 'w-1']);
  });

  it('a key spelled with \\u escapes is the key Go reads: "s\\u0065q": 1.0 is refused', async () => {
    const text = withSeq('1.0').replace('"seq"', String.raw`"s\u0065q"`);
    await expect(loadCity(cityWithText(text))).rejects.toThrow(/\.gc\/beads\.json: seq: .*, got number 1\.0$/);
  });
});

describe("a capture is refused only for what every reader gc has for it refuses (bd's bdIssue, or Bead)", () => {
  it("bd's is_blocked: an integer or a yes/no word is read as gc reads it; anything else is refused", () => {
    const read = (v: string) => parseBeadsCapture(`[{"id": "w-1", "is_blocked": ${v}}]`, 'cap.json')[0].is_blocked;
    expect([read('1'), read('0'), read('" Yes "'), read('"f"'), read('true'), read('null')]).toEqual([
      true,
      false,
      true,
      false,
      true,
      null,
    ]);
    expect(() => read('"maybe"')).toThrow(
      /^cap\.json: \[0\]\.is_blocked: must be a boolean, an integer or one of .* or null, got string "maybe"$/,
    );
    expect(() => read('1.0')).toThrow(/^cap\.json: \[0\]\.is_blocked: must be a boolean, an integer .*, got number 1\.0$/);
  });

  it('bd\'s is_blocked "yes" holds the work back from new demand (2026-08), as gc reads it', () => {
    const text = JSON.stringify([{ ...work('w-1', { route: 'worker' }), is_blocked: 'yes' }, work('w-2', { route: 'worker' })]);
    const beads = parseBeadsCapture(text, 'cap.json');
    const c = { agents: [{ name: 'worker', max_active_sessions: 5 }] };
    expect(plan({ city: c, beads }, NOW, '2026-08').pools.find((x) => x.template === 'worker')?.desired).toBe(1);
  });

  it('close_reason, which bdIssue does not read, is not checked; priority is an int in both', () => {
    expect(parseBeadsCapture('[{"id": "w-1", "close_reason": 5}]', 'cap.json')[0].id).toBe('w-1');
    expect(() => parseBeadsCapture('{"issues": [{"id": "w-0"}, {"id": "w-1", "priority": 2.0}]}', 'cap.json')).toThrow(
      /^cap\.json: issues\[1\]\.priority: must be an integer Gas City can read .*, got number 2\.0$/,
    );
    expect(() => parseBeadsCapture('[{"id": "w-1", "priority": 0.5}]', 'cap.json')).toThrow(
      /^cap\.json: \[0\]\.priority: must be an integer/,
    );
  });
});

// Go's decoder matches keys to fields regardless of case (go-keys.ts): "Assignee" is Gas City's assignee. gc-tui
// reads keys as spelled, so such a file is refused rather than planned on other data; metadata keys are a map's.
describe('a key Go reads as a field of another spelling is refused, naming it', () => {
  it('in a city file and in a write under the lock; a metadata key of that spelling is only metadata', async () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-2', alias: 'worker-2', pool_slot: '4', state: 'asleep' });
    const dir = cityWith([s, { ...work('w-1'), ASSIGNEE: 'worker-2', status: 'in_progress' }]);
    await expect(loadCity(dir)).rejects.toThrow(
      /\.gc\/beads\.json: beads\[1\]\.ASSIGNEE: Gas City reads this key as "assignee": Go matches JSON keys to fields regardless of case; .*: rename it "assignee", the same to Gas City$/,
    );
    // The Kelvin sign (U+212A) folds to k in Go.
    await expect(loadCity(cityWith([{ ...work('w-1'), ['is_bloc\u212aed']: true }]))).rejects.toThrow(
      /beads\[0\]\["is_bloc\u212aed"\]: Gas City reads this key as "is_blocked"/,
    );
    await expect(loadCity(cityWithText(JSON.stringify({ Seq: 1, beads: [] })))).rejects.toThrow(
      /\.gc\/beads\.json: Seq: Gas City reads this key as "seq"/,
    );
    const fine = cityWith([{ ...s, metadata: { ...(s.metadata as Record<string, string>), Template: 'x' } }]);
    expect((await loadCity(fine)).state.beads[0].metadata?.Template).toBe('x');

    // Written in after the plan: the locked write reads it, refuses, and leaves the file as it was.
    const ok = cityWith([s]);
    const p = plan((await loadCity(ok)).state, NOW);
    const file = join(ok, '.gc', 'beads.json');
    const bad = readFileSync(file, 'utf8').replace('"status": "open"', '"Status": "closed"');
    writeFileSync(file, bad);
    await expect(applyRepairsLocked({ kind: 'city', dir: ok }, p.repairs, { now: NOW, by: 'x' })).rejects.toThrow(
      /beads\[0\]\.Status: Gas City reads this key as "status"/,
    );
    expect(readFileSync(file, 'utf8')).toBe(bad);
  });

  it('in a capture: the capture and the place in it', () => {
    expect(() => parseBeadsCapture('{"issues": [{"id": "w-0"}, {"id": "w-1", "Status": "closed"}]}', 'cap.json')).toThrow(
      /^cap\.json: issues\[1\]\.Status: Gas City reads this key as "status"/,
    );
  });
});

describe('a key named twice in a bead, the later null: read as Go reads it (a null leaves a string, bool or time as it was)', () => {
  const session = sessionRecord('s-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'active' });
  const held = work('w-1', { route: 'worker', assignee: 'worker-1', status: 'in_progress' });

  it('the bead keeps its assignee, status, title, created_at and ephemeral, and the city plans as it does without the nulls', async () => {
    const nulls = '"assignee": null, "status": null, "title": null, "created_at": null, "ephemeral": null';
    const text = `{"seq": 2, "beads": [${JSON.stringify(session)}, ${JSON.stringify(held).replace(/}$/, `, "ephemeral": false, ${nulls}}`)}]}`;
    const dir = cityWithText(text);
    const read = await loadCity(dir);
    expect(read.state.beads[1]).toEqual({ ...held, ephemeral: false });
    const clean = await loadCity(cityWith([session, held]));
    expect(plan(read.state, NOW)).toEqual(plan(clean.state, NOW));
    // The file is kept as written: the raw bead still holds the nulls a write would have to keep.
    expect(readFileSync(join(dir, '.gc', 'beads.json'), 'utf8')).toBe(text);
  });

  it('several values: the last that is not null; only nulls: the zero value, as before', async () => {
    const text = `{"seq": 1, "beads": [{"id": "w-1", "issue_type": "task", "assignee": "a", "assignee": "b", "assignee": null, "status": null}]}`;
    expect((await loadCity(cityWithText(text))).state.beads[0]).toMatchObject({ assignee: 'b', status: '' });
  });

  it('a first value Go cannot take fails its decoder: refused, naming the file and the place', async () => {
    const dir = cityWithText(`{"seq": 1, "beads": [{"id": "w-1", "title": 5, "title": null}]}`);
    await expect(loadCity(dir)).rejects.toThrow(
      new RegExp(
        `^${join(dir, '.gc', 'beads.json')}: beads\\[0\\]\\.title: named twice in this bead, the second null: Gas City reads the first ` +
          '\\(a null leaves a Go string as it was\\), and 5 is no string to it, so it cannot read the file: keep one "title"$',
      ),
    );
  });
});

describe("metadata values that are not strings are read as Gas City's StringMap reads them: their JSON text, as written", () => {
  // internal/beads/bdstore.go StringMap.UnmarshalJSON: a string unquoted, anything else its raw JSON text, trimmed.
  const RAW = '"n": 1.0, "e": 1e2, "z": -0, "t": true, "nul": null, "o": {"a": 1.0, "b": [1E2]}, "big": 12345678901234567890, ';
  const GO_READS = { n: '1.0', e: '1e2', z: '-0', t: 'true', nul: '', o: '{"a": 1.0, "b": [1E2]}', big: '12345678901234567890' };

  function rawCity(): { dir: string; beadsFile: string } {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '2', state: 'active' });
    const text = JSON.stringify({ seq: 1, beads: [s] }, null, 2).replace('"pool_managed": "true"', `${RAW}"pool_managed": "true"`);
    const dir = cityWithText(text);
    return { dir, beadsFile: join(dir, '.gc', 'beads.json') };
  }

  it('on a read, in an import and in an export: 1.0 stays "1.0", not "1"', async () => {
    const { dir } = rawCity();
    const loaded = await loadCity(dir);
    expect(loaded.state.beads[0].metadata).toMatchObject(GO_READS);
    const imported = join(tempDir(), 'imported.json');
    await writeStoreDocument(imported, storeDocumentOf(loaded));
    expect((await loadStore(imported)).state.beads[0].metadata).toMatchObject(GO_READS);
    const snapshot = join(tempDir(), 'snapshot.json');
    await writeStoreDocument(snapshot, exportJsonDocument(loaded, plan(loaded.state, NOW), NOW));
    expect((await loadStore(snapshot)).state.beads[0].metadata).toMatchObject(GO_READS);
  });

  it('a number alone, laid out by hand with a space before its colon, is read as written too', async () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '2', state: 'active' });
    const text = JSON.stringify({ seq: 1, beads: [s] }, null, 2).replace('"pool_slot": "2"', '"pool_slot" : 2.0');
    expect((await loadCity(cityWithText(text))).state.beads[0].metadata).toMatchObject({ pool_slot: '2.0' });
  });

  it('in a capture of bd list --json too (gc reads it through the same StringMap)', () => {
    const s = sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '2', state: 'active' });
    const text = JSON.stringify([s], null, 2).replace('"pool_managed": "true"', `${RAW}"pool_managed": "true"`);
    expect(parseBeadsCapture(text, 'list.json')[0].metadata).toMatchObject(GO_READS);
  });

  it('an apply on that bead keeps each such value as written, and the state it returns reads them as before', async () => {
    const { dir, beadsFile } = rawCity();
    const source = { kind: 'city' as const, dir };
    const repairs = plan((await loadCity(dir)).state, NOW).repairs;
    expect(repairs.map((r) => r.beadId)).toContain('mc-1');
    const result = await applyRepairsLocked(source, repairs, { now: NOW, by: 'tester' });
    expect(readFileSync(beadsFile, 'utf8')).toContain(RAW);
    expect((await loadCity(dir)).state.beads[0].metadata).toMatchObject(GO_READS);
    expect(result.applied.map((r) => r.beadId)).toContain('mc-1');
    expect(result.state.beads[0].metadata).toMatchObject(GO_READS);
  });
});

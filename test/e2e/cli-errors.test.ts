// Bad input: each case exits 2 with one stderr line naming the file and the place, and leaves the file as it was.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { tempDir, write, writeJson } from '../support/files.js';
import { makeCity, ROOT, run, SAMPLES, type RunOptions } from './cli-helpers.js';

const agents = [{ name: 'worker', dir: 'frontend', max_active_sessions: 4 }];
const okBead = sessionRecord('mc-1', {
  template: 'frontend/worker',
  agent_name: 'frontend/worker-1',
  alias: 'frontend/worker-1',
  pool_slot: '1',
  state: 'active',
});

/** Run `check` on a file and assert the contract for bad input. Returns the stderr line. */
function expectRejected(args: string[], file: string, expected: RegExp, opts: RunOptions = {}): string {
  let before: Buffer | null = null;
  try {
    before = readFileSync(file);
  } catch {
    // missing file, directory, or unreadable: nothing to compare
  }
  const r = run(args, opts);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(2); // one line + the final newline
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(expected);
  if (before) expect(readFileSync(file).equals(before)).toBe(true);
  return r.stderr;
}

/** For root: run the CLI without the capabilities that bypass file permissions (none needed for anyone else). */
const isRoot = process.getuid?.() === 0;
const WITHOUT_DAC = isRoot
  ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search']
  : undefined;
/** Whether an unreadable file is unreadable to the CLI here: always for a user; for root, if setpriv can drop the capabilities. */
const canMeetEacces = !isRoot || spawnSync(WITHOUT_DAC![0], [...WITHOUT_DAC!.slice(1), 'true']).status === 0;
if (!canMeetEacces) console.warn('running as root without a working setpriv (util-linux): skipping the unreadable-file test');

function storeWith(name: string, doc: unknown): string {
  return writeJson(join(tempDir(), name), doc);
}

describe('a bad store file', () => {
  it("a schema problem is said in plain words, with what was found (not in the validator's own)", () => {
    const cases: [unknown, string][] = [
      [{ schema: 'gc-tui/1', city: { agents }, beads: [{ id: '' }] }, 'beads[0].id: must not be empty, got string ""'],
      [{ schema: 'gc-tui/1', city: { agents }, beads: [], seq: 'x' }, 'seq: must be an integer ≥ 0 or null, got string "x"'],
      [{ schema: 'gc-tui/1', city: { agents }, beads: [], demand: { w: -1 } }, 'demand.w: must be ≥ 0, got number -1'],
      [{ schema: 'gc-tui/1', city: { agents }, beads: [{ id: 'a', metadata: [1] }] }, 'beads[0].metadata: must be an object, got an array'],
      [{ schema: 'gc-tui/1', city: { agents: [{ name: '' }] }, beads: [] }, 'city.agents[0].name: must not be empty, got string ""'],
    ];
    for (const [doc, said] of cases) {
      const f = storeWith('words.json', doc);
      expectRejected(
        ['check', '--store', f],
        f,
        new RegExp(`^gc-tui: \\S+words\\.json: ${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
      );
    }
  });

  it('a demand for a template no agent has (a typo that would otherwise pass silently)', () => {
    const f = storeWith('stray-demand.json', {
      schema: 'gc-tui/1',
      city: { agents },
      beads: [okBead],
      demand: { 'frontend/worker': 1, 'frontend/wroker': 2 },
    });
    expectRejected(
      ['check', '--store', f],
      f,
      /^gc-tui: \S+stray-demand\.json: demand\["frontend\/wroker"\]: no configured agent is "frontend\/wroker" \(agents: "frontend\/worker"\)$/m,
    );
  });

  it('duplicate bead ids', () => {
    const f = storeWith('dup-beads.json', { schema: 'gc-tui/1', city: { agents }, beads: [okBead, { ...okBead, title: 'again' }] });
    expectRejected(
      ['check', '--store', f],
      f,
      /^gc-tui: \S+dup-beads\.json: beads\[1\]\.id: duplicate bead id "mc-1" \(first at beads\[0\]\.id\)$/m,
    );
  });

  it('a top-level key twice (two "beads" arrays): every command refuses it, naming the second one', () => {
    const f = write(
      join(tempDir(), 'two-beads.json'),
      `{"schema":"gc-tui/1","city":${JSON.stringify({ agents })},"beads":[],\n "beads":[${JSON.stringify(okBead)}]}\n`,
    );
    for (const args of [['check'], ['export', '--format', 'json']])
      expectRejected(
        [...args, '--store', f],
        f,
        /^gc-tui: \S+two-beads\.json: line 2, column 2: the key "beads" appears twice at the top level \(the second would silently replace the first\); keep one$/m,
      );
    // apply reads what it writes as the write does, and refuses before writing anything (no audit line either).
    const dir = tempDir();
    const drifted = readFileSync(join(ROOT, 'fixtures/scenarios/alias-conflict-after-clear.json'), 'utf8');
    const g = write(join(dir, 'twice.json'), drifted.replace(/\}\s*$/, ',\n  "note": 1,\n  "note": 2\n}\n'));
    expectRejected(
      ['apply', '--all', '--store', g],
      g,
      /^gc-tui: \S+twice\.json: line \d+, column 3: the key "note" appears twice at the top level/m,
    );
    expect(readdirSync(dir).filter((n) => !n.endsWith('.lock'))).toEqual(['twice.json']);

    // The second "beads" a copy of the first, in the layout gc-tui writes: the head and the tail of the document
    // are what writing it would make, but the first array is not the one JSON readers take. apply writes nothing.
    const canonical = `${JSON.stringify(JSON.parse(drifted), null, 2)}\n`;
    const at = canonical.indexOf('"beads": [');
    const end = canonical.indexOf('\n  ]', at) + 4;
    const two = write(join(dir, 'two.json'), `${canonical.slice(0, end)},\n  ${canonical.slice(at, end)}${canonical.slice(end)}`);
    expectRejected(['apply', '--all', '--store', two], two, /^gc-tui: \S+two\.json: line \d+, column 3: the key "beads" appears twice/m);
    expect(readdirSync(dir).filter((n) => !n.endsWith('.lock'))).toEqual(['twice.json', 'two.json']);
  });

  it('duplicate qualified template names', () => {
    const f = storeWith('dup-templates.json', {
      schema: 'gc-tui/1',
      city: { agents: [...agents, { name: 'worker', dir: 'backend' }, { name: 'worker', dir: 'frontend' }] },
      beads: [],
    });
    expectRejected(
      ['check', '--store', f],
      f,
      /dup-templates\.json: city\.agents\[2\]: duplicate template "frontend\/worker" \(first at city\.agents\[0\]\)$/m,
    );
  });

  it('duplicate rig names', () => {
    const f = storeWith('dup-rigs.json', {
      schema: 'gc-tui/1',
      city: { rigs: [{ name: 'frontend' }, { name: 'frontend', max_active_sessions: 2 }], agents },
      beads: [],
    });
    expectRejected(['check', '--store', f], f, /dup-rigs\.json: city\.rigs\[1\]: duplicate rig name "frontend"/);
  });

  it.each([
    ['a negative cap', { name: 'worker', max_active_sessions: -1 }, 'max_active_sessions', 'number -1'],
    ['a fractional cap', { name: 'worker', max_active_sessions: 1.5 }, 'max_active_sessions', 'number 1.5'],
    ['a string cap', { name: 'worker', min_active_sessions: '3' }, 'min_active_sessions', 'string "3"'],
  ])('%s', (_label, agent, key, got) => {
    const f = storeWith('cap.json', { schema: 'gc-tui/1', city: { agents: [agent] }, beads: [] });
    expectRejected(
      ['check', '--store', f],
      f,
      new RegExp(`cap\\.json: city\\.agents\\[0\\]\\.${key}: must be an integer ≥ 0 or null, got ${got.replace('.', '\\.')}$`, 'm'),
    );
  });

  it('a cap on a rig or the workspace is checked too; null means no cap', () => {
    const f = storeWith('rigcap.json', {
      schema: 'gc-tui/1',
      city: { workspace: { max_active_sessions: null }, rigs: [{ name: 'r', max_active_sessions: -2 }], agents },
      beads: [],
    });
    expectRejected(['check', '--store', f], f, /city\.rigs\[0\]\.max_active_sessions: must be an integer ≥ 0 or null/);
  });

  it('a metadata value that is not a string', () => {
    const f = storeWith('meta.json', {
      schema: 'gc-tui/1',
      city: { agents },
      beads: [okBead, { ...okBead, id: 'mc-2', metadata: { ...(okBead.metadata as object), pool_slot: 4 } }],
    });
    expectRejected(
      ['check', '--store', f],
      f,
      /meta\.json: beads\[1\]\.metadata\.pool_slot: metadata values must be strings, got number 4$/m,
    );
  });

  it('a metadata key that is not an identifier is quoted in the path', () => {
    const f = storeWith('meta2.json', {
      schema: 'gc-tui/1',
      city: { agents },
      beads: [{ id: 'w-1', issue_type: 'task', metadata: { 'gc.routed_to': true } }],
    });
    expectRejected(
      ['check', '--store', f],
      f,
      /beads\[0\]\.metadata\["gc\.routed_to"\]: metadata values must be strings, got boolean true/,
    );
  });

  it('a wrong schema', () => {
    const f = storeWith('schema.json', { schema: 'gc-tui/2', city: { agents }, beads: [] });
    expectRejected(['check', '--store', f], f, /schema\.json: schema: must be "gc-tui\/1", got string "gc-tui\/2"$/m);
  });

  it.each([
    ['schema', { city: { agents }, beads: [] }, /: schema: is required but missing/],
    ['city.agents', { schema: 'gc-tui/1', city: { rigs: [] }, beads: [] }, /: city\.agents: is required but missing/],
    ['city', { schema: 'gc-tui/1', beads: [] }, /: city: is required but missing/],
    ['beads', { schema: 'gc-tui/1', city: { agents } }, /: beads: is required but missing/],
  ])('missing %s', (_key, doc, expected) => {
    const f = storeWith('missing-key.json', doc);
    expectRejected(['check', '--store', f], f, expected);
  });

  it('not an object at the top', () => {
    const f = storeWith('array.json', [okBead]);
    expectRejected(['check', '--store', f], f, /array\.json: \(top level\): must be a JSON object/);
  });

  it('an empty file', () => {
    const f = write(join(tempDir(), 'empty.json'), '');
    expectRejected(['check', '--store', f], f, /empty\.json: line 1, column 1: the file is empty/);
  });

  it('a UTF-16 file (its byte order mark, ff fe or fe ff, then the JSON): said to look like UTF-16, the bytes named', () => {
    const doc = JSON.stringify({ schema: 'gc-tui/1', city: { agents: [] }, beads: [] });
    const le = write(join(tempDir(), 'le.json'), Buffer.from(`\ufeff${doc}`, 'utf16le'));
    // It said "unexpected '\ufffd'", the character a byte that is not UTF-8 reads as.
    expectRejected(['check', '--store', le], le, /le\.json: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes ff fe/);
    const be = write(join(tempDir(), 'be.json'), Buffer.from(`\ufeff${doc}`, 'utf16le').swap16());
    expectRejected(['check', '--store', be], be, /be\.json: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes fe ff/);
  });

  it('a UTF-16 file without a byte order mark: said to look like UTF-16, the bytes and their order named', () => {
    const doc = JSON.stringify({ schema: 'gc-tui/1', city: { agents: [] }, beads: [] }, null, 2);
    const le = write(join(tempDir(), 'le.json'), Buffer.from(doc, 'utf16le'));
    // It said "line 1, column 2: unexpected character U+0000 (expected a double-quoted property name)".
    expectRejected(
      ['check', '--store', le],
      le,
      /le\.json: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes 7b 00 0a 00: a zero byte after each character, as UTF-16 little endian without a byte order mark writes it\), not UTF-8: save it as UTF-8$/m,
    );
    const be = write(join(tempDir(), 'be.json'), Buffer.from(`\n${doc}`, 'utf16le').swap16());
    expectRejected(
      ['check', '--store', be],
      be,
      /be\.json: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes 00 0a 00 7b: a zero byte before/,
    );
  });

  it('bad JSON, with line and column', () => {
    const f = write(
      join(tempDir(), 'bad.json'),
      '{\n  "schema": "gc-tui/1",\n  "city": { "agents": [] },\n  "beads": [ { "id": "a" } { "id": "b" } ]\n}\n',
    );
    expectRejected(['check', '--store', f], f, /bad\.json: line 4, column 28: unexpected '\{' \(expected ',' or '\]'/);
  });

  it('bad JSON: a trailing comma and an unterminated string', () => {
    const f = write(join(tempDir(), 'comma.json'), '{"schema": "gc-tui/1",\n"beads": [],\n}');
    expectRejected(['check', '--store', f], f, /comma\.json: line 3, column 1: trailing comma before '\}'/);
    const g = write(join(tempDir(), 'string.json'), '{"schema": "gc-tui/1", "beads": [], "city": {"agents": [{"name": "x\n');
    expectRejected(['check', '--store', g], g, /string\.json: line 1, column 68: character U\+000A inside a string/);
  });

  it('a directory instead of a file', () => {
    const d = join(tempDir(), 'store.json');
    mkdirSync(d);
    expectRejected(['check', '--store', d], d, /store\.json: is a directory, not a file$/m);
  });

  it('a missing file', () => {
    const f = join(tempDir(), 'nope.json');
    expectRejected(['check', '--store', f], f, /nope\.json: no such file$/m);
  });

  // Root reads any file: as root, the CLI runs without the capabilities that let it (util-linux setpriv drops
  // them from its bounding set), so it meets the same EACCES a user would, wherever the checkout lives.
  it.skipIf(!canMeetEacces)('a file without read permission', () => {
    const f = storeWith('secret.json', { schema: 'gc-tui/1', city: { agents }, beads: [] });
    chmodSync(f, 0o000);
    try {
      expectRejected(['check', '--store', f], f, /secret\.json: permission denied$/m, { prefix: WITHOUT_DAC });
    } finally {
      chmodSync(f, 0o644);
    }
  });
});

describe('a bad city', () => {
  function city(toml: string, files: Record<string, string> = {}): string {
    const dir = tempDir();
    write(join(dir, 'city.toml'), toml);
    for (const [name, text] of Object.entries(files)) write(join(dir, name), text);
    return dir;
  }

  it('bad TOML, with line and column', () => {
    const dir = city('[workspace]\nname = "x"\n\n[[agent]]\nname = "worker" "oops"\n');
    expectRejected(['check', '--city', dir], join(dir, 'city.toml'), /city\.toml: line 5, column 17: invalid TOML/);
  });

  it('a string left open says so, and a control character in a string is named (not "control characters are not allowed")', () => {
    // smol-toml calls the line's end a control character in the string, so the message sent an operator looking for an
    // invisible character instead of the missing quote.
    for (const [toml, place] of [
      ['[workspace]\nname = "x\n[[agent]]\nname = "w"\n', 'line 2, column 10'],
      ["[workspace]\r\nname = 'x\r\n", 'line 2, column 10'],
    ]) {
      const dir = city(toml);
      expectRejected(
        ['check', '--city', dir],
        join(dir, 'city.toml'),
        new RegExp(`city\\.toml: ${place}: invalid TOML: unterminated string: no closing quote before the end of the line`),
      );
    }
    const dir = city('[workspace]\nname = "a\u0001b"\n');
    expectRejected(
      ['check', '--city', dir],
      join(dir, 'city.toml'),
      /city\.toml: line 2, column 10: invalid TOML: character U\+0001 inside a string \(control characters must be escaped\)$/m,
    );
  });

  it('city.toml saved as UTF-16, with a byte order mark or without: said to look like UTF-16', () => {
    const toml = '[[agent]]\nname = "w"\n';
    const dir = city('');
    const file = join(dir, 'city.toml');
    // It said "line 1, column 2: invalid TOML: illegal character in key" (column 1 with the mark).
    write(file, Buffer.from(`\ufeff${toml}`, 'utf16le'));
    expectRejected(
      ['check', '--city', dir],
      file,
      /city\.toml: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes ff fe, UTF-16's byte order mark\)/,
    );
    write(file, Buffer.from(toml, 'utf16le').swap16());
    expectRejected(
      ['check', '--city', dir],
      file,
      /city\.toml: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes 00 5b 00 5b: a zero byte before each character, as UTF-16 big endian without a byte order mark writes it\), not UTF-8: save it as UTF-8$/m,
    );
  });

  it('a cap that is not an integer ≥ 0, with its line', () => {
    const dir = city('[workspace]\nname = "x"\n\n[[agent]]\nname = "a"\n\n[[agent]]\nname = "worker"\nmax_active_sessions = -1\n');
    expectRejected(
      ['check', '--city', dir],
      join(dir, 'city.toml'),
      /city\.toml: line 9 \(agent\[1\]\.max_active_sessions\): must be an integer ≥ 0, got number -1$/m,
    );
  });

  it('a cap too large for gc-tui (valid TOML, a Go int64): exit 2 naming file, line and key, not "invalid TOML"', () => {
    const dir = city('[[agent]]\nname = "a"\nmax_active_sessions = 9223372036854775807\n');
    expectRejected(
      ['check', '--city', dir],
      join(dir, 'city.toml'),
      /city\.toml: line 3 \(agent\[0\]\.max_active_sessions\): must be an integer ≥ 0, got 9223372036854775807: too large for a cap \(at most 9007199254740991\)$/m,
    );
  });

  it('duplicate qualified template names in one file', () => {
    const dir = city('[[agent]]\nname = "worker"\ndir = "fe"\n\n[[agent]]\nname = "worker"\ndir = "fe"\n');
    expectRejected(
      ['check', '--city', dir],
      join(dir, 'city.toml'),
      /city\.toml: line 5 \(agent\[1\]\): duplicate template "fe\/worker" \(first declared in \S+city\.toml at line 1 \(agent\[0\]\)\)$/m,
    );
  });

  it('duplicate rig names', () => {
    const dir = city('[[rigs]]\nname = "fe"\n\n[[rigs]]\nname = "fe"\n');
    expectRejected(['check', '--city', dir], join(dir, 'city.toml'), /city\.toml: line 5 \(rigs\[1\]\.name\): duplicate rig name "fe"/);
  });

  it('no city.toml in the directory', () => {
    const dir = tempDir();
    expectRejected(['check', '--city', dir], dir, /city\.toml: no such file \(is \S+ a Gas City city directory\?\)$/m);
  });

  it('not a directory', () => {
    const f = write(join(tempDir(), 'file'), 'x');
    expectRejected(['check', '--city', f], f, /file: is not a directory$/m);
  });

  it('bad JSON in .gc/beads.json, with line and column', () => {
    const dir = city('[[agent]]\nname = "w"\n', { '.gc/beads.json': '{\n  "seq": 1,\n  "beads": [\n    {"id": "gc-1",}\n  ]\n}\n' });
    expectRejected(['check', '--city', dir], join(dir, '.gc/beads.json'), /beads\.json: line 4, column 19: trailing comma before '\}'/);
  });

  it('.gc/beads.json saved as UTF-16 without a byte order mark: said to look like UTF-16', () => {
    const dir = city('[[agent]]\nname = "w"\n');
    write(join(dir, '.gc/beads.json'), Buffer.from('{\n  "seq": 0,\n  "beads": []\n}\n', 'utf16le'));
    expectRejected(
      ['check', '--city', dir],
      join(dir, '.gc/beads.json'),
      /beads\.json: line 1, column 1: the file looks like UTF-16 \(it starts with the bytes 7b 00 0a 00/,
    );
  });

  it('duplicate bead ids in .gc/beads.json', () => {
    const beads = JSON.parse(readFileSync(join(SAMPLES, 'beads.json'), 'utf8')) as { beads: unknown[] };
    beads.beads.push(beads.beads[0]);
    const dir = city('[[agent]]\nname = "w"\n', { '.gc/beads.json': JSON.stringify(beads, null, 2) });
    expectRejected(
      ['check', '--city', dir],
      join(dir, '.gc/beads.json'),
      /beads\.json: beads\[8\]\.id: duplicate bead id "run-anchor" \(first at beads\[0\]\.id\)/,
    );
  });
});

describe("a city bead as Gas City's Go decoder reads it", () => {
  it('a field its decoder cannot take (a number title, a created_at that is not a time) is exit 2, naming the file and the place; apply writes nothing', () => {
    for (const [field, value, detail] of [
      ['title', 5, 'must be a string, got number 5'],
      ['created_at', '2026-05-06', 'must be an RFC 3339 time Gas City can read'],
    ] as const) {
      const { dir, beadsFile } = makeCity(tempDir());
      const doc = JSON.parse(readFileSync(beadsFile, 'utf8')) as { beads: Record<string, unknown>[] };
      doc.beads[1][field] = value;
      write(beadsFile, JSON.stringify(doc, null, 2));
      for (const cmd of ['check', 'apply'])
        expectRejected(
          [cmd, '--city', dir, ...(cmd === 'apply' ? ['--all'] : [])],
          beadsFile,
          new RegExp(`beads\\.json: beads\\[1\\]\\.${field}: ${detail}`),
        );
    }
  });

  it('a key Go reads as a field of another spelling ("Assignee", "STATUS", "Revisions_Sealed"): exit 2 naming it and why, for every command; nothing written', () => {
    const GO_CASE =
      'Go matches JSON keys to fields regardless of case; gc-tui reads keys as spelled and would plan on other data than Gas City';
    const cases: [(doc: { beads: Record<string, unknown>[] } & Record<string, unknown>) => void, string][] = [
      // The PR #2076 bead, assigned as Gas City reads it: gc-tui would see it unassigned.
      [
        (d) => (d.beads[0].Assignee = 'frontend/worker-3'),
        `beads[0].Assignee: Gas City reads this key as "assignee": ${GO_CASE}: rename it "assignee", the same to Gas City`,
      ],
      // Gas City refuses the file over this one ("Priority" is its int priority), gc-tui would not have looked at it.
      [
        (d) => {
          delete d.beads[1].priority;
          d.beads[1].Priority = 1.5;
        },
        `beads[1].Priority: Gas City reads this key as "priority": ${GO_CASE}: rename it "priority", the same to Gas City`,
      ],
      // ſ (U+017F) folds to s in Go.
      [
        (d) => (d.beads[1]['\u017ftatus'] = 'closed'),
        'beads[1]["\u017ftatus"]: Gas City reads this key as "status", as it reads the "status" this bead also has',
      ],
      [
        (d) => (d.beads[1].STATUS = 'closed'),
        `beads[1].STATUS: Gas City reads this key as "status", as it reads the "status" this bead also has (the later of the two wins): ${GO_CASE}: keep one of them, spelled "status"`,
      ],
      [
        (d) => (d.beads[1].dependencies = [{ Issue_ID: 'mc-ok', type: 'blocks' }]),
        'beads[1].dependencies[0].Issue_ID: Gas City reads this key as "issue_id"',
      ],
      [
        (d) => {
          d.Revisions_Sealed = true;
          delete d.revisions_sealed;
        },
        `Revisions_Sealed: Gas City reads this key as "revisions_sealed": ${GO_CASE}: rename it "revisions_sealed", the same to Gas City`,
      ],
    ];
    for (const [i, [edit, said]] of cases.entries()) {
      const { dir, beadsFile } = makeCity(tempDir());
      const doc = JSON.parse(readFileSync(beadsFile, 'utf8')) as { beads: Record<string, unknown>[] } & Record<string, unknown>;
      edit(doc);
      write(beadsFile, JSON.stringify(doc, null, 2));
      const line = new RegExp(
        `^gc-tui: ${beadsFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        'm',
      );
      // Every command reads the file the same way: each is run on the first case, check on all.
      const commands = i === 0 ? [['check'], ['apply', '--all'], ['export', '--format', 'json']] : [['check']];
      for (const args of commands) expectRejected([...args, '--city', dir], beadsFile, line);
    }
    // Metadata is a map: its keys are Gas City's as they are.
    const { dir, beadsFile } = makeCity(tempDir());
    const doc = JSON.parse(readFileSync(beadsFile, 'utf8')) as { beads: { metadata: Record<string, unknown> }[] };
    doc.beads[1].metadata.Alias = 'frontend/worker-9';
    write(beadsFile, JSON.stringify(doc, null, 2));
    expect(run(['check', '--city', dir, '--now', NOW_ISO]).code).toBe(1);
  });

  it('a null status, issue_type or assignee is "" (not an error); a write keeps the nulls as found', () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const text = readFileSync(beadsFile, 'utf8');
    const odd = '{ "id": "w-null", "title": null, "status": null, "issue_type": null, "assignee": null, "labels": null, "metadata": null }';
    write(beadsFile, text.replace('"beads": [', `"beads": [\n    ${odd},`));
    expect(run(['check', '--city', dir, '--now', NOW_ISO]).code).toBe(1);
    const r = run(['apply', '--city', dir, '--all', '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = JSON.parse(readFileSync(beadsFile, 'utf8')) as { beads: unknown[] };
    expect(after.beads[0]).toEqual(JSON.parse(odd));
  });

  it('a beads.json whose beads are null or left out is a city with no beads, as Go decodes it (a nil slice), for every command', () => {
    // Go writes a nil slice as null. Both said "gc-tui: internal error: Cannot read properties of null (reading 'length')", exit 2.
    for (const text of ['{"seq":0,"beads":null}\n', '{"seq":3}\n']) {
      const { dir, beadsFile } = makeCity(tempDir());
      write(beadsFile, text);
      const check = run(['check', '--city', dir, '--now', NOW_ISO, '--json']);
      expect([check.code, check.stderr]).toEqual([0, '']);
      expect((JSON.parse(check.stdout) as { repairs: unknown[] }).repairs).toEqual([]);
      expect(run(['export', '--city', dir, '--format', 'csv']).code).toBe(0);
      const apply = run(['apply', '--city', dir, '--all']);
      expect([apply.code, apply.stdout, apply.stderr]).toEqual([0, 'nothing to apply\n', '']);
      const out = join(tempDir(), 'store.json');
      expect(run(['import', '--city', dir, '--out', out]).code).toBe(0);
      expect((JSON.parse(readFileSync(out, 'utf8')) as { beads: unknown[] }).beads).toEqual([]);
      expect(readFileSync(beadsFile, 'utf8')).toBe(text);
    }
  });
});

describe('bad options', () => {
  it('help of a command that does not exist: one line, exit 2, as for the command itself', () => {
    const r = run(['help', 'bogus']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'gc-tui: unknown command "bogus" (see gc-tui --help)\n']);
    const known = run(['help', 'check']);
    expect([known.code, known.stdout.split('\n')[0]]).toEqual([0, 'Usage: gc-tui check [options]']);
  });

  it('a mistyped command names the one it most likely meant, as a mistyped option does; one line, exit 2', () => {
    // It said only 'unknown command "chek" (see gc-tui --help)', while --jsn got "(Did you mean --json?)".
    for (const [typed, meant] of [
      ['chek', 'check'],
      ['aply', 'apply'],
      ['exprot', 'export'],
      ['imprt', 'import'],
      ['plna', 'plan'],
    ]) {
      for (const args of [[typed], ['help', typed]]) {
        const r = run(args);
        expect([r.code, r.stdout, r.stderr]).toEqual([
          2,
          '',
          `gc-tui: unknown command "${typed}" (did you mean ${meant}? see gc-tui --help)\n`,
        ]);
      }
    }
    const far = run(['x']);
    expect([far.code, far.stderr]).toEqual([2, 'gc-tui: unknown command "x" (see gc-tui --help)\n']);
  });

  it('an empty --by: the audit log would name no one; exit 2, nothing written', () => {
    const dir = tempDir();
    const file = writeJson(join(dir, 'store.json'), {
      schema: 'gc-tui/1',
      city: { agents },
      beads: [
        sessionRecord('mc-1', {
          template: 'frontend/worker',
          agent_name: 'frontend/worker-1',
          alias: 'frontend/worker-1',
          pool_slot: '3',
          state: 'active',
        }),
      ],
    });
    for (const by of ['', '  ']) {
      expectRejected(
        ['apply', '--all', '--store', file, '--by', by],
        file,
        /^gc-tui: --by: the operator name the audit log records must not be empty$/m,
      );
    }
    expect(readdirSync(dir)).toEqual(['store.json']);
  });

  it('an empty path (a shell variable unset): exit 2 saying so, naming the option; nothing read or written', () => {
    // It said "gc-tui: : no such directory" or "gc-tui: : cannot write: no such file", naming a file called "".
    const dir = tempDir();
    const file = writeJson(join(dir, 'store.json'), { schema: 'gc-tui/1', city: { agents }, beads: [okBead] });
    const { dir: city } = makeCity(tempDir());
    const cases: [string[], string][] = [
      [['check', '--city', ''], '--city <dir>'],
      [['check', '--store', ''], '--store <file>'],
      [['check', '--store', file, '--out', ''], '--out <file>'],
      [['plan', '--store', file, '--out', ''], '--out <file>'],
      [['apply', '--plan', ''], '--plan <file>'],
      [['apply', '--city', city, '--all', '--emit-script', ''], '--emit-script <file>'],
      [['export', '--store', file, '--format', 'md', '--out', ''], '--out <file>'],
      [['import', '--city', city, '--out', ''], '--out <file>'],
      [['check', '--city', city, '--beads', ''], '--beads <file>'],
    ];
    for (const [args, option] of cases) {
      const r = run(args, { cwd: dir });
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        '',
        `gc-tui: option '${option}' argument '' is invalid. An empty path names no file (is a shell variable unset?)\n`,
      ]);
    }
    expect(readdirSync(dir)).toEqual(['store.json']);
  });
});

describe('what was typed on the command line', () => {
  it('reaches stderr as visible escapes, each shown once: options, values and ids can hold escape sequences too', () => {
    const dir = tempDir();
    const file = writeJson(join(dir, 'store.json'), { schema: 'gc-tui/1', city: { agents }, beads: [okBead] });
    const cases: [string[], string][] = [
      [['check', '--store', file, '--\u001b[2J'], "gc-tui: unknown option '--\\e[2J'"],
      [['export', '--store', file, '--format', '\u001b]0;x\u0007'], "argument '\\e]0;x\\x07' is invalid"],
      [['check', '--store', file, '--rules', '\u009b31m'], "argument '\\x9b31m' is invalid"],
      [['apply', '--store', file, '--repair', 'x\u001b]0;pwn\u0007'], 'unknown repair id "x\\e]0;pwn\\x07"'],
      [['nope\u2028\u202e'], 'unknown command "nope\\u{2028}\\u{202e}"'],
      // A line break typed in a value stays on the message's line: it could otherwise fake a line of gc-tui's.
      [['check', '--store', file, '--rules', 'x\r\ngc-tui: 0 repairs'], "argument 'x\\r\\ngc-tui: 0 repairs' is invalid"],
    ];
    for (const [args, shown] of cases) {
      const r = run(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      // eslint-disable-next-line no-control-regex -- the point: no raw control reaches the terminal
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      expect(r.stderr).toContain(shown);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(readdirSync(dir)).toEqual(['store.json']);
  });
});

describe.skipIf(!existsSync('/dev/full'))('stdout that cannot be written', () => {
  // A report a script redirects to a full disk is not delivered: exit 2 and one line, not a cut-off file and 0 or 1.
  it.each([
    ['check --json', ['check', '--json']],
    ['check', ['check']],
    ['export --format json', ['export', '--format', 'json']],
    ['export --format csv', ['export', '--format', 'csv']],
  ])('%s > /dev/full exits 2 and says so', (_name, args) => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = run([...args, '--store', join(ROOT, 'fixtures', 'demo-city.json'), '--now', '2026-05-06T02:13:00Z'], { stdout: fd });
      expect(r.stderr).toBe('gc-tui: standard output: cannot write: no space left on device\n');
      expect(r.code).toBe(2);
    } finally {
      closeSync(fd);
    }
  });
});

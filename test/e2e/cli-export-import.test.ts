// `export` (json/md/csv snapshots) and `import` (a city turned into a store file), on real files.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { readJson, tempDir, write, writeJson } from '../support/files.js';
import { BIG_FENCE, copyInto, DEMO, EXAMPLES, makeCity, ROOT, run, SAMPLES, unpackGastownPool } from './cli-helpers.js';

type Doc = { beads: { id: string; metadata?: Record<string, unknown> }[] } & Record<string, unknown>;

describe('export --format json', () => {
  it('is a store file plus the plan, reopens with --store, and is byte-stable', () => {
    const dir = tempDir();
    const out = join(dir, 'snap.json');
    const r = run(['export', '--store', DEMO, '--format', 'json', '--out', out, '--now', NOW_ISO]);
    // The demo city drifts: exit 1, as check's, and the snapshot is written all the same.
    expect(r.code).toBe(1);
    const snap = readJson<Doc & { plan: Record<string, unknown>; snapshot: { time: string }; rules: string }>(out);
    expect(snap.schema).toBe('gc-tui/1');
    expect(snap.snapshot.time).toBe(NOW_ISO);
    expect(Object.keys(snap.plan)).toEqual(['metrics', 'repairs', 'findings', 'pools', 'rules']);
    // Reopened, it plans exactly like the original, under the edition it was planned by (now the store's own rules).
    const original = run(['check', '--json', '--store', DEMO, '--now', NOW_ISO]);
    const reopened = run(['check', '--json', '--store', out, '--now', NOW_ISO]);
    expect(reopened.code).toBe(original.code);
    const withoutWhy = (text: string) => {
      const o = JSON.parse(text) as { rules: { edition: string; why?: string } };
      delete o.rules.why;
      return o;
    };
    expect(withoutWhy(reopened.stdout)).toEqual(withoutWhy(original.stdout));
    // Why: the snapshot's own rules, and why its source was planned by that edition (not hidden behind the key).
    const originalWhy = (JSON.parse(original.stdout) as { rules: { why: string } }).rules.why;
    expect(originalWhy).toBe('no marker of a build newer than PR #2076');
    const reopenedWhy = `the store file says "rules": "${snap.rules}", the edition its snapshot was planned by (${originalWhy})`;
    expect(JSON.parse(reopened.stdout).rules.why).toBe(reopenedWhy);
    // A snapshot of the snapshot says the same, not nested.
    const again2 = join(dir, 'snap2.json');
    expect(run(['export', '--store', out, '--format', 'json', '--out', again2, '--now', NOW_ISO]).code).toBe(1);
    expect(JSON.parse(run(['check', '--json', '--store', again2, '--now', NOW_ISO]).stdout).rules.why).toBe(reopenedWhy);
    expect(JSON.parse(original.stdout)).toEqual(snap.plan);
    // Two snapshots of the same input at the same time are identical; stdout carries the same document.
    const again = run(['export', '--store', DEMO, '--format', 'json', '--now', NOW_ISO]);
    expect(again.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it.each([
    ['compact', '{"old":true}'],
    ['tab-indented with CRLF and a BOM', '\ufeff{\r\n\t"old": true\r\n}\r\n'],
  ])('over an existing %s file is a fresh snapshot: the bytes stdout gets, not the old file layout', (_, old) => {
    const dir = tempDir();
    const out = write(join(dir, 'snap.json'), old);
    expect(run(['export', '--store', DEMO, '--format', 'json', '--out', out, '--now', NOW_ISO]).code).toBe(1);
    const stdout = run(['export', '--store', DEMO, '--format', 'json', '--now', NOW_ISO]).stdout;
    expect(stdout.startsWith('{\n  "schema"')).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(stdout);
    // import --force over such a file writes the same layout as a new file.
    const fresh = join(dir, 'fresh.json');
    const city = makeCity(tempDir()).dir;
    expect(run(['import', '--city', city, '--out', fresh]).code).toBe(0);
    write(out, old);
    expect(run(['import', '--city', city, '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(fresh, 'utf8'));
  });
});

describe('a seq beyond 2^53 (Gas City writes it as found)', () => {
  it('import --out and export --out keep it digit for digit', () => {
    const { dir, beadsFile } = makeCity(tempDir());
    write(beadsFile, readFileSync(beadsFile, 'utf8').replace('"seq": 210', '"seq": 9007199254740993'));
    const imported = join(tempDir(), 'imported.json');
    const i = run(['import', '--city', dir, '--out', imported]);
    expect(i.stderr).not.toMatch(/must be/);
    expect(i.code).toBe(0);
    expect(readFileSync(imported, 'utf8')).toContain('"seq": 9007199254740993,');
    const snap = join(tempDir(), 'snap.json');
    const e = run(['export', '--store', imported, '--format', 'json', '--out', snap, '--now', NOW_ISO]);
    expect(e.stderr).not.toMatch(/must be/);
    expect(readFileSync(snap, 'utf8')).toContain('"seq": 9007199254740993,');
  });
});

describe("export's exit code is check's (kubectl diff): the snapshot is written either way", () => {
  const clean = join(ROOT, 'fixtures', 'scenarios', 'clean-alias-kept.json');
  const drifted = join(ROOT, 'fixtures', 'scenarios', 'alias-conflict-after-clear.json');
  const at = '2026-05-06T03:00:00Z';
  for (const format of ['json', 'md', 'csv']) {
    it(`--format ${format}: 0 on a clean store, 1 on a drifted one, to a file and to stdout`, () => {
      const dir = tempDir();
      for (const [store, code] of [
        [clean, 0],
        [drifted, 1],
      ] as const) {
        expect(run(['check', '--store', store, '--now', at]).code).toBe(code);
        const out = join(dir, `${code}.${format}`);
        const r = run(['export', '--store', store, '--format', format, '--out', out, '--now', at]);
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: `gc-tui: wrote ${format} snapshot to ${out}\n` });
        const toStdout = run(['export', '--store', store, '--format', format, '--now', at]);
        expect(toStdout.code).toBe(code);
        expect(toStdout.stdout).toBe(readFileSync(out, 'utf8'));
      }
    });
  }
});

describe('export --format json --rules', () => {
  it("writes the edition it planned by as the store's rules: the snapshot reopens under it, with the same plan", () => {
    const store = join(ROOT, 'fixtures', 'editions', 'stale-create-ages.json');
    const at = '2026-08-20T12:00:00Z';
    // By its markers this store is read as 2026-08; exported under 2026-05 it must stay 2026-05.
    const auto = JSON.parse(run(['check', '--json', '--store', store, '--now', at]).stdout) as { rules: { edition: string } };
    expect(auto.rules.edition).toBe('2026-08');
    const out = join(tempDir(), 'snap05.json');
    expect(run(['export', '--format', 'json', '--rules', '2026-05', '--store', store, '--now', at, '--out', out]).code).toBe(1);
    const snap = readJson<{ rules: string; plan: { repairs: unknown[] } }>(out);
    expect(snap.rules).toBe('2026-05');
    const reopened = JSON.parse(run(['check', '--json', '--store', out, '--now', at]).stdout) as {
      rules: { edition: string };
      repairs: unknown[];
    };
    expect(reopened.rules.edition).toBe('2026-05');
    expect((reopened.rules as { why?: string }).why).toBe(
      'the store file says "rules": "2026-05", the edition its snapshot was planned by (chosen with --rules 2026-05)',
    );
    expect(reopened.repairs).toEqual(snap.plan.repairs);
  });
});

describe('export --format md', () => {
  it('is an incident report: figures, pool slot tables, repairs before → after, findings, decisions', () => {
    const dir = tempDir();
    const store = copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 's.json');
    const doc = readJson<Doc>(store);
    doc.decisions = [
      { repair: 'restamp-slot:mc-poison', decision: 'approved', changes: [], by: 'alice', at: NOW_ISO, reason: 'ok | fine' },
    ];
    writeJson(store, doc);
    const r = run(['export', '--store', store, '--format', 'md', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    const md = r.stdout;
    expect(md).toMatch(/^# gc-tui report: example-city$/m);
    expect(md).toMatch(/^\| mismatched_aliases \| 1 \|$/m);
    expect(md).toMatch(/^### frontend\/worker$/m);
    expect(md).toMatch(/^\| 3 \| `mc-poison` \| `backend\/worker-4` \| asleep \|$/m);
    expect(md).toMatch(/^### restamp-slot:mc-poison$/m);
    expect(md).toMatch(/^\| metadata\.pool_slot \| "4" \| "3" \|$/m);
    expect(md).toMatch(/^\| metadata\.alias_history \| \(absent\) \| "backend\/worker-4" \|$/m);
    expect(md).toMatch(/^## Findings \(0\)$/m);
    expect(md).toMatch(/^\| restamp-slot:mc-poison \| approved \| alice \| 2026-05-06T02:13:00Z \| ok \\\| fine \|$/m);
  });

  it('of --demo names the demo city, not the path of its copy, which is gone as the command ends', () => {
    const md = run(['export', '--demo', '--format', 'md', '--now', NOW_ISO]);
    expect(md.stdout).toMatch(/^- Source: the demo city \(a temporary copy\)$/m);
    expect(md.stdout).not.toContain('gc-tui-demo-');
    const json = JSON.parse(run(['export', '--demo', '--format', 'json', '--now', NOW_ISO]).stdout) as Doc;
    expect(json.snapshot).toMatchObject({ source: { kind: 'store', demo: true } });
  });
});

describe('export --format csv', () => {
  it('has one row per session bead, sorted by id, with proper quoting', () => {
    const dir = tempDir();
    const store = writeJson(join(dir, 's.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', max_active_sessions: 4 }] },
      beads: [
        sessionRecord('mc-b', {
          template: 'worker',
          agent_name: 'worker-2',
          alias: 'worker-2',
          pool_slot: '2',
          state: 'asleep',
          session_name: 'has,comma "and quotes"',
        }),
        sessionRecord('mc-a', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '7', state: 'active' }),
        { id: 'w-1', title: 'work', status: 'open', issue_type: 'task' },
      ],
    });
    const out = join(dir, 'beads.csv');
    expect(run(['export', '--store', store, '--format', 'csv', '--out', out, '--now', NOW_ISO]).code).toBe(1);
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines[0]).toBe(
      'bead_id,template,status,state,agent_name,alias,pool_slot,owned_slot,role,session_name,created_at,updated_at,repairs,findings',
    );
    expect(lines[1]).toBe(
      'mc-a,worker,open,active,worker-1,worker-1,7,1,incumbent,,2026-05-06T02:00:00Z,2026-05-06T02:00:00Z,restamp-slot,',
    );
    expect(lines[2]).toBe(
      'mc-b,worker,open,asleep,worker-2,worker-2,2,2,incumbent,"has,comma ""and quotes""",2026-05-06T02:00:00Z,2026-05-06T02:00:00Z,,',
    );
    expect(lines.slice(3)).toEqual(['']);
  });

  it('covers every session bead of the demo city', () => {
    const r = run(['export', '--store', DEMO, '--format', 'csv']);
    const sessions = readJson<Doc>(DEMO).beads.filter((b) => (b as { issue_type?: string }).issue_type === 'session');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(sessions.length + 1);
  });
});

describe('import --city DIR --out FILE', () => {
  it('turns each real sample city into a store file that plans exactly like the city', () => {
    const dir = tempDir();
    const cities = unpackGastownPool(dir);
    expect(cities).toHaveLength(5);
    copyInto(join(dir, 'multi-pool-city'), join(SAMPLES, 'beads.json'), '.gc/beads.json');
    for (const c of cities) {
      const out = join(dir, `${c}.store.json`);
      // Gas City's own corpus runs these cities with GC_BEADS=file (the txtar says so); without it they are bd cities.
      const env = { GC_BEADS: 'file' };
      const r = run(['import', '--city', join(dir, c), '--out', out], { env });
      expect(r.code, c).toBe(0);
      const fromCity = run(['check', '--json', '--city', join(dir, c), '--now', NOW_ISO], { env });
      const fromStore = run(['check', '--json', '--store', out, '--now', NOW_ISO]);
      expect(fromStore.stdout, c).toBe(fromCity.stdout);
    }
    const multi = readJson<Doc & { city: { agents: { name: string; scale_check?: string }[] } }>(join(dir, 'multi-pool-city.store.json'));
    expect(multi.city.agents.map((a) => a.name)).toEqual(['mayor', 'polecat', 'dog']);
    expect(multi.city.agents[1].scale_check).toBe('echo 1');
    expect(multi.beads).toHaveLength(8);
  });

  it('reads agents/<name>/agent.toml with namepool.txt beside it, and a namepool path from agent.toml', () => {
    const dir = tempDir();
    // The sample pack.toml is schema 2: such a city declares its agents in agents/<name>/, not in city.toml.
    write(join(dir, 'city.toml'), '[workspace]\nname = "np"\n\n[[rigs]]\nname = "myproject"\n');
    write(
      join(dir, 'agents', 'polecat', 'agent.toml'),
      'dir = "myproject"\nmax_active_sessions = 5\nnamepool = "namepools/polecats.txt"\n',
    );
    copyInto(dir, join(SAMPLES, 'namepool.txt'), 'namepools/polecats.txt');
    write(join(dir, 'agents', 'coder', 'agent.toml'), 'dir = "myproject"\nmin_active_sessions = 1\nmax_active_sessions = 5\n');
    write(join(dir, 'agents', 'coder', 'namepool.txt'), '# coders\n\nada\n  grace  \n#x\nlinus\n');
    copyInto(dir, join(SAMPLES, 'pack.toml'), 'pack.toml');
    write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n'); // a file store as `gc init` writes it
    const out = join(dir, 'out.json');
    expect(run(['import', '--city', dir, '--out', out]).code).toBe(0);
    const doc = readJson<{
      city: { agents: { name: string; namepool?: string[] }[]; named_sessions: { template: string; identity: string }[] };
    }>(out);
    const polecat = doc.city.agents.find((a) => a.name === 'polecat')!;
    expect(polecat.namepool!.slice(0, 3)).toEqual(['furiosa', 'nux', 'slit']);
    expect(polecat.namepool!.some((n) => n.startsWith('#') || n === '')).toBe(false);
    expect(doc.city.agents.find((a) => a.name === 'coder')!.namepool).toEqual(['ada', 'grace', 'linus']);
    expect(doc.city.named_sessions.map((n) => n.identity)).toEqual(['mayor', 'deacon', 'myproject/committer']);
  });

  it('round trip: import a city, apply on the city, beads.json keeps every field the repair did not touch', () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const out = join(tempDir(), 'imported.json'); // not beside the city: a file left by another run would be refused
    expect(run(['import', '--city', dir, '--out', out]).code).toBe(0);
    const imported = readJson<Doc>(out);
    expect(Object.keys(imported)).toEqual([
      'schema',
      'city',
      'seq',
      'beads',
      'decisions',
      'deps',
      'revisions',
      'revisions_sealed',
      'fences',
    ]);
    expect(readFileSync(out, 'utf8')).toContain(BIG_FENCE);
    // bd-written values become strings in a store file, as Gas City decodes them.
    expect(imported.beads[0].metadata).toMatchObject({ restarts: '3', attached: 'false' });

    const before = readJson<Doc>(beadsFile);
    expect(run(['apply', '--city', dir, '--repair', 'restamp-slot:mc-poison', '--now', NOW_ISO]).code).toBe(0);
    const after = readJson<Doc>(beadsFile);
    for (const key of ['seq', 'deps', 'revisions_sealed', 'fences']) expect(after[key], key).toEqual(before[key]);
    // A sealed file: the changed bead's revision moves on by one (Gas City's conditional writes compare it).
    expect(after.revisions).toEqual({
      ...(before.revisions as Record<string, number>),
      'mc-poison': (before.revisions as Record<string, number>)['mc-poison'] + 1,
    });
    expect(readFileSync(beadsFile, 'utf8')).toContain(BIG_FENCE);
    after.beads.forEach((b, i) => {
      if (b.id !== 'mc-poison') expect(b).toEqual(before.beads[i]);
    });
    const { pool_slot: _p, ...untouchedMeta } = after.beads[0].metadata!;
    const { pool_slot: _q, ...originalMeta } = before.beads[0].metadata!;
    expect(untouchedMeta).toEqual(originalMeta);
    // The store imported earlier still plans the old drift: it is a snapshot, not a live view.
    expect(run(['check', '--store', out, '--now', NOW_ISO]).code).toBe(1);
  });

  it('refuses an existing --out file (exit 2, untouched) unless --force', () => {
    const { dir } = makeCity(tempDir());
    const out = write(join(tempDir(), 'taken.json'), 'precious\n');
    const r = run(['import', '--city', dir, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${out}: already exists; not overwritten (add --force to replace it)\n`);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
    const forced = run(['import', '--city', dir, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readJson<Doc>(out).schema).toBe('gc-tui/1');
    expect(run(['check', '--store', out, '--now', NOW_ISO]).code).toBe(1);
  });

  it('needs a city and --out: --city DIR, or the current directory when it holds city.toml (as every command)', () => {
    const elsewhere = tempDir();
    const r = run(['import', '--out', 'x.json'], { cwd: elsewhere });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gc-tui: import needs a city: --city DIR, or run it in a directory holding city.toml\n');
    expect(run(['import', '--city', '.']).code).toBe(2);
    expect(run(['import', '--store', 'a.json', '--out', 'x.json']).code).toBe(2);
    expect(readdirSync(elsewhere)).toEqual([]);

    const { dir } = makeCity(tempDir());
    const out = join(tempDir(), 'from-cwd.json');
    const here = run(['import', '--out', out], { cwd: dir });
    expect(here.code).toBe(0);
    // Named by its directory, not ".".
    expect(here.stderr.startsWith(`gc-tui: imported ${realpathSync(dir)} (`)).toBe(true);
    expect(here.stderr).toMatch(/ \(\d+ beads, \d+ templates\) to /);
    // The same store as --city DIR makes.
    const named = join(tempDir(), 'named.json');
    expect(run(['import', '--city', dir, '--out', named]).code).toBe(0);
    expect(readJson<Doc>(out).beads).toEqual(readJson<Doc>(named).beads);
  });
});

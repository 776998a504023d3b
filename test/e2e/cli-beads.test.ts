// Where a city's beads live (issue 10): a bd city is never "clean" when gc-tui cannot read its beads; its beads
// come from a capture (`--beads FILE|-`) or through a `gc` on PATH (here a small recording fake); such a city is
// read-only. Built CLI, real files.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, run, SAMPLES } from './cli-helpers.js';
import { NOW_ISO } from '../support/builders.js';
import { readJson, tempDir, write } from '../support/files.js';

const BD_CITY = resolve(ROOT, 'fixtures', 'bd-city');
const CAPTURES = resolve(ROOT, 'fixtures', 'bd-captures');
const SESSIONS = join(CAPTURES, 'sessions.json');
const OPEN_WORK = join(CAPTURES, 'open-work.json');
const CAPTURE_COMMAND = 'gc beads list --label gc:session --all --format=json > beads.json';

/** A fresh copy of the bd city fixture (`.beads/metadata.json`, no `.gc/beads.json`). */
function bdCity(): string {
  const dir = join(tempDir(), 'bd-city');
  cpSync(BD_CITY, dir, { recursive: true });
  return dir;
}

/** An empty directory for PATH: no gc on it. */
function noGcPath(): string {
  return tempDir('gc-tui-nogc-');
}

/**
 * A recording fake `gc`: each call appends `<cwd>|<args>` to $FAKE_GC_LOG; the session list prints
 * $FAKE_GC_SESSIONS, any other list $FAKE_GC_OPEN; FAKE_GC_EXIT / FAKE_GC_SLEEP make it fail or hang.
 */
function fakeGc(): { bin: string; log: string } {
  const bin = tempDir('gc-tui-fakegc-');
  const log = join(bin, 'calls.log');
  write(
    join(bin, 'gc'),
    `#!/bin/sh
echo "$PWD|$*" >> "$FAKE_GC_LOG"
if [ -n "$FAKE_GC_SLEEP" ]; then sleep "$FAKE_GC_SLEEP" & wait; fi
if [ -n "$FAKE_GC_EXIT" ]; then echo "gc beads list: dolt server not reachable" >&2; exit "$FAKE_GC_EXIT"; fi
case "$*" in
  *gc:session*) cat "$FAKE_GC_SESSIONS" ;;
  *) cat "$FAKE_GC_OPEN" ;;
esac
`,
  );
  chmodSync(join(bin, 'gc'), 0o755);
  return { bin, log };
}

function gcEnv(f: { bin: string; log: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${f.bin}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_GC_LOG: f.log,
    FAKE_GC_SESSIONS: SESSIONS,
    FAKE_GC_OPEN: OPEN_WORK,
    ...extra,
  };
}

describe('a bd city gc-tui cannot read is never clean', () => {
  it('check, plan, apply and export exit 2 naming the provider, why, and the command to run', () => {
    const dir = bdCity();
    const env = { PATH: noGcPath() };
    for (const args of [
      ['check', '--now', NOW_ISO],
      ['check', '--json'],
      ['plan', '--out', join(tempDir(), 'plan.json')],
      ['apply', '--all', '--dry-run'],
      ['export', '--format', 'json'],
      ['import', '--out', join(tempDir(), 'out.json')],
    ]) {
      const r = run([...args, '--city', dir], { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toContain(`gc-tui: ${dir}: the beads of this city are in a bd store`);
      expect(r.stderr).toContain('.beads/metadata.json marks a bd store');
      expect(r.stderr).toContain(CAPTURE_COMMAND);
      expect(r.stderr).toContain('--beads beads.json');
    }
    expect(readdirSync(join(dir, '.gc'))).toEqual(['site.toml']); // the fixture's own: gc-tui wrote nothing there
  });

  it('apply (not a dry run) without gc and without a capture: exit 2, nothing read, nothing written', () => {
    const dir = bdCity();
    const cwd = tempDir();
    const r = run(['apply', '--all', '--city', dir], { env: { PATH: noGcPath() }, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the beads of this city are in a bd store');
    expect(r.stderr).toContain(CAPTURE_COMMAND);
    expect(readdirSync(join(dir, '.gc'))).toEqual(['site.toml']); // the fixture's own: gc-tui wrote nothing there
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('no provider configured and no bead store on disk: bd, the default (not an empty file store)', () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), '[[agent]]\nname = "worker"\n');
    const r = run(['check', '--city', dir], { env: { PATH: noGcPath() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no provider configured, so Gas City's default, bd; there is no .gc/beads.json");
  });

  it('GC_BEADS and [beads] provider decide before the markers, as in Gas City', () => {
    const dir = bdCity();
    write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
    const env = { PATH: noGcPath() };
    // The marker wins over .gc/beads.json when nothing is configured.
    expect(run(['check', '--city', dir], { env }).stderr).toContain('.beads/metadata.json marks a bd store, and wins over .gc/beads.json');
    // GC_BEADS=file: the file store is read.
    expect(run(['check', '--city', dir], { env: { ...env, GC_BEADS: 'file' } }).code).toBe(0);
    // [beads] provider = "file" in city.toml: the same.
    write(join(dir, 'city.toml'), `[beads]\nprovider = "file"\n\n${readFileSync(join(BD_CITY, 'city.toml'), 'utf8')}`);
    expect(run(['check', '--city', dir], { env }).code).toBe(0);
    // GC_BEADS beats city.toml.
    const r = run(['check', '--city', dir], { env: { ...env, GC_BEADS: 'bd' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(GC_BEADS=bd in the environment)');
    // An exec provider is not read directly either.
    const x = run(['check', '--city', dir], { env: { ...env, GC_BEADS: 'exec:/opt/beads/gc-beads-br' } });
    expect(x.code).toBe(2);
    expect(x.stderr).toContain('in a exec:/opt/beads/gc-beads-br store');
  });
});

describe('--beads FILE', () => {
  it("reads the real bd capture (fixtures/gascity-samples/list.json, bd's flat array) end to end, its <TS> placeholders as no time", () => {
    const dir = bdCity();
    // The corpus replaced every timestamp by "<TS>" (SOURCES.md): a capture's time Go cannot parse is read as none.
    const r = run(['check', '--city', dir, '--beads', join(SAMPLES, 'list.json'), '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('beads: 0 session (0 open), 2 work');
    expect(r.stdout).toContain(`beads read from the capture ${join(SAMPLES, 'list.json')} (provider bd:`);
    expect(r.stdout).toMatch(/^result: clean/m);
    // With real times in their place, the same.
    const capture = write(
      join(tempDir(), 'list.json'),
      readFileSync(join(SAMPLES, 'list.json'), 'utf8').replaceAll('"<TS>"', '"2026-05-06T01:00:00.123456-07:00"'),
    );
    const timed = run(['check', '--city', dir, '--beads', capture, '--now', NOW_ISO]);
    expect(timed.code).toBe(0);
    expect(timed.stdout).toMatch(/^result: clean/m);
  });

  it("a bead naming a field twice, the later null, is read as gc decodes bd's output: the value before the null", () => {
    const dir = bdCity();
    const held = {
      id: 'hq-w2',
      title: 'Fix the login',
      status: 'in_progress',
      assignee: 'frontend/worker-9',
      issue_type: 'task',
      created_at: '2026-05-06T01:00:00Z',
      metadata: { 'gc.routed_to': 'frontend/worker' },
    };
    const clean = write(join(tempDir(), 'work.json'), JSON.stringify([held]));
    const twice = write(join(tempDir(), 'twice.json'), JSON.stringify([held]).replace(/}]$/, ', "assignee": null, "status": null}]'));
    const expected = run(['check', '--json', '--city', dir, '--beads', SESSIONS, '--beads', clean, '--now', NOW_ISO]);
    const r = run(['check', '--json', '--city', dir, '--beads', SESSIONS, '--beads', twice, '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(expected.stdout);
    // gc reads the worker that holds it: orphaned work to release (before, the null made it an unassigned, blocked bead).
    const repairs = (JSON.parse(r.stdout) as { repairs: { id: string; changes: unknown[] }[] }).repairs;
    expect(repairs.find((x) => x.id === 'release-orphaned-work:hq-w2')?.changes).toEqual([
      { field: 'assignee', before: 'frontend/worker-9', after: '' },
      { field: 'status', before: 'in_progress', after: 'open' },
    ]);
    // A first value gc's decoder cannot take is refused, naming the capture and the place in it.
    const bad = write(
      join(tempDir(), 'bad.json'),
      JSON.stringify({ issues: [{ ...held, assignee: 7 }] }).replace(/}]}$/, ', "assignee": null}]}'),
    );
    const refused = run(['check', '--city', dir, '--beads', bad, '--now', NOW_ISO]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`gc-tui: ${bad}: issues[0].assignee: named twice in this bead, the second null`);
  });

  it("plans a capture of gc's form ({issues}) the same as the flat array, and as the same beads in a file store", () => {
    const dir = bdCity();
    const flat = run(['check', '--json', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO]);
    expect(flat.code).toBe(1);
    const issues = write(join(tempDir(), 'issues.json'), JSON.stringify({ issues: readJson(SESSIONS) }));
    const wrapped = run(['check', '--json', '--city', dir, '--beads', issues, '--now', NOW_ISO]);
    expect(wrapped.stdout).toBe(flat.stdout);
    const fileCity = bdCity();
    write(join(fileCity, '.gc', 'beads.json'), JSON.stringify({ seq: 2, beads: readJson(SESSIONS) }));
    const fromFile = run(['check', '--json', '--city', fileCity, '--now', NOW_ISO], { env: { GC_BEADS: 'file' } });
    expect(fromFile.stdout).toBe(flat.stdout);
    const plan = JSON.parse(flat.stdout) as { repairs: { id: string }[] };
    expect(plan.repairs.map((r) => r.id)).toEqual(['repair-alias:hq-s1', 'restamp-slot:hq-s1']);
  });

  it('- reads stdin; several --beads are merged (the first copy of an id wins)', () => {
    const dir = bdCity();
    const r = spawnSync(process.execPath, [CLI, 'check', '--city', dir, '--beads', '-', '--beads', OPEN_WORK, '--now', NOW_ISO], {
      input: readFileSync(SESSIONS),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('beads: 2 session (2 open), 1 work');
    expect(r.stdout).toContain('beads read from the capture (stdin), ');
  });

  it('--help says what apply on a --beads city writes (the script, where) and that only the console is read-only', () => {
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    const top = flat(run(['--help']).stdout);
    const beads = /--beads <file> (.*?) --read-only/.exec(top)?.[1] ?? '';
    expect(beads).not.toContain('the city is then read-only');
    expect(beads).toContain(
      'The console is then read-only; apply writes through gc when gc is on PATH, else writes the gc commands to the script ./gc-tui-apply-<time>.sh in the current directory and applies nothing',
    );
    const apply = flat(run(['apply', '--help']).stdout);
    expect(apply).toContain(
      '(bd, or read from --beads): run through gc when it is on PATH, else written to the script ./gc-tui-apply-<time>.sh in the current directory (named on stderr), nothing applied',
    );
  });

  it('apply without gc on PATH writes the gc commands to a script and applies nothing; --dry-run shows the repairs', () => {
    const dir = bdCity();
    const cwd = tempDir();
    const env = { PATH: noGcPath() };
    const r = run(['apply', '--all', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO], { env, cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `gc-tui: ${dir}: gc is not on PATH: nothing applied; 2 repairs as gc commands written to gc-tui-apply-20260506T021300Z.sh: ` +
        'review it, then run `bash gc-tui-apply-20260506T021300Z.sh` where gc is\n',
    );
    expect(readFileSync(join(cwd, 'gc-tui-apply-20260506T021300Z.sh'), 'utf8')).toContain("'--key=alias' '--expected=backend/worker-4'");
    expect(readdirSync(join(dir, '.gc'))).toEqual(['site.toml']); // the fixture's own: gc-tui wrote nothing there
    // Another run in the same second (or with the same --now) gets a script of its own: the one reviewed stays.
    const reviewed = `${readFileSync(join(cwd, 'gc-tui-apply-20260506T021300Z.sh'), 'utf8')}# reviewed by ana\n`;
    writeFileSync(join(cwd, 'gc-tui-apply-20260506T021300Z.sh'), reviewed);
    const again = run(['apply', '--all', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO], { env, cwd });
    expect(again.stderr).toContain('2 repairs as gc commands written to gc-tui-apply-20260506T021300Z-2.sh: ');
    expect(readFileSync(join(cwd, 'gc-tui-apply-20260506T021300Z.sh'), 'utf8')).toBe(reviewed);
    expect(readFileSync(join(cwd, 'gc-tui-apply-20260506T021300Z-2.sh'), 'utf8')).toContain("'--key=alias' '--expected=backend/worker-4'");
    const dry = run(['apply', '--all', '--dry-run', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing written');
    // A plan saved from a capture keeps naming its captures, and is applied the same way.
    const planFile = join(tempDir(), 'plan.json');
    expect(run(['plan', '--out', planFile, '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO]).code).toBe(1);
    expect(readJson<{ input: { source: unknown } }>(planFile).input.source).toEqual({ kind: 'city', dir, beads: [SESSIONS] });
    const viaPlan = run(['apply', '--plan', planFile, '--now', NOW_ISO], { env, cwd: tempDir() });
    expect(viaPlan.code).toBe(1);
    expect(viaPlan.stderr).toContain('gc is not on PATH: nothing applied; 2 repairs as gc commands written to');
    expect(readdirSync(join(dir, '.gc'))).toEqual(['site.toml']); // the fixture's own: gc-tui wrote nothing there
  });

  it('export --format json of a captured city (priority null, bd-written numbers) reopens with --store and plans the same', () => {
    const dir = bdCity();
    const out = join(tempDir(), 'snap.json');
    expect(run(['export', '--format', 'json', '--out', out, '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO]).code).toBe(1);
    const fromCity = run(['check', '--json', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO]);
    const fromStore = run(['check', '--json', '--store', out, '--now', NOW_ISO]);
    expect(fromStore.stderr).toBe('');
    // The same plan under the same edition (the snapshot carries it as its rules: only the why differs).
    const withoutWhy = (text: string) => {
      const o = JSON.parse(text) as { rules: { edition: string; why?: string } };
      delete o.rules.why;
      return o;
    };
    expect(withoutWhy(fromStore.stdout)).toEqual(withoutWhy(fromCity.stdout));
    const imported = join(tempDir(), 'imported.json');
    expect(run(['import', '--city', dir, '--beads', SESSIONS, '--out', imported]).code).toBe(0);
    expect(run(['check', '--json', '--store', imported, '--now', NOW_ISO]).stdout).toBe(fromCity.stdout);
  });

  it('bad captures: exit 2 naming the file and the place in it', () => {
    const dir = bdCity();
    const cases: [string, RegExp][] = [
      ['[{"id": "a"}, {"id": 7}]', /bad\.json: \[1\]\.id: /],
      ['{"issues": [{"id": "a"}, {"id": "a"}]}', /bad\.json: issues\[1\]\.id: duplicate bead id "a" \(first at issues\[0\]\.id\)/],
      ['{"beads": [{"id": "a", "labels": "x"}]}', /bad\.json: beads\[0\]\.labels: /],
      ['{"nope": 1}', /bad\.json: \(top level\): must be bd's `bd list --json` array/],
      ['[{"id": "a",}]', /bad\.json: line 1, column 13: /],
    ];
    for (const [text, expected] of cases) {
      const file = write(join(tempDir(), 'bad.json'), text);
      const r = run(['check', '--city', dir, '--beads', file]);
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toMatch(expected);
    }
    expect(run(['check', '--city', dir, '--beads', join(dir, 'missing.json')]).stderr).toMatch(/missing\.json: /);
    expect(run(['check', '--store', join(SAMPLES, 'list.json'), '--beads', SESSIONS]).stderr).toBe(
      'gc-tui: --beads reads the beads of a city (--city DIR); a store file carries its own\n',
    );
  });
});

describe('gc on PATH', () => {
  it('reads the beads through gc: the session list, then the open beads, in the city directory', () => {
    const dir = bdCity();
    const f = fakeGc();
    const r = run(['check', '--city', dir, '--now', NOW_ISO], { env: gcEnv(f) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('beads: 2 session (2 open), 1 work');
    expect(r.stdout).toContain(`beads read through ${join(f.bin, 'gc')} (provider bd:`);
    expect(readFileSync(f.log, 'utf8')).toBe(`${dir}|beads list --label gc:session --all --format=json\n${dir}|beads list --format=json\n`);
    // The same plan as the captures.
    const captured = run(['check', '--json', '--city', dir, '--beads', SESSIONS, '--beads', OPEN_WORK, '--now', NOW_ISO]);
    expect(run(['check', '--json', '--city', dir, '--now', NOW_ISO], { env: gcEnv(f) }).stdout).toBe(captured.stdout);
  });

  it("gc failing: exit 2 with gc's first line and what to do; gc hanging: stopped after GC_TUI_GC_TIMEOUT_MS", () => {
    const dir = bdCity();
    const f = fakeGc();
    const failed = run(['check', '--city', dir], { env: gcEnv(f, { FAKE_GC_EXIT: '3' }) });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(
      `gc beads list --label gc:session --all --format=json (in ${dir}): exited 3: gc beads list: dolt server not reachable`,
    );
    expect(failed.stderr).toContain(CAPTURE_COMMAND);
    const started = Date.now();
    const hung = run(['check', '--city', dir], { env: gcEnv(f, { FAKE_GC_SLEEP: '30', GC_TUI_GC_TIMEOUT_MS: '500' }) });
    expect(hung.code).toBe(2);
    expect(hung.stderr).toContain('took longer than 500 ms (GC_TUI_GC_TIMEOUT_MS); stopped');
    expect(Date.now() - started).toBeLessThan(20_000); // gc and the child holding its output are both stopped
    const chatty = run(['check', '--city', dir], { env: gcEnv(f, { GC_TUI_MAX_FILE_BYTES: '1000' }) });
    expect(chatty.code).toBe(2);
    expect(chatty.stderr).toMatch(
      /gc beads list --label gc:session --all --format=json \(in .*\): printed more than .* \(GC_TUI_MAX_FILE_BYTES\); stopped/,
    );
  });

  it('a city with no session bead yet, through the controller: gc prints {"beads": null, ...}, read as no session beads', () => {
    // Go writes the list it never filled (no bead has the label) as null. It was exit 2: "(top level): must be bd's
    // `bd list --json` array, ...", so a fresh bd city with its controller up could not be checked at all.
    const dir = bdCity();
    const f = fakeGc();
    const none = write(join(tempDir(), 'none.json'), '{\n  "beads": null,\n  "_cache_age_s": 0.4\n}\n');
    const r = run(['check', '--city', dir, '--now', NOW_ISO], { env: gcEnv(f, { FAKE_GC_SESSIONS: none }) });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('beads: 1 session (1 open), 1 work'); // the open list's own session bead
    for (const text of ['null\n', '{"issues": null}', '{"schema_version": 1, "data": null}']) {
      const file = write(join(tempDir(), 'empty.json'), text);
      const c = run(['check', '--city', dir, '--beads', file, '--now', NOW_ISO]);
      expect([c.code, c.stderr], text).toEqual([0, '']);
      expect(c.stdout, text).toContain('beads: 0 session (0 open), 0 work');
    }
  });

  it('gc printing something that is not a bead list: exit 2 naming the command and the place', () => {
    const dir = bdCity();
    const f = fakeGc();
    const junk = write(join(tempDir(), 'junk.json'), '{"ok": true}');
    const r = run(['check', '--city', dir], { env: gcEnv(f, { FAKE_GC_SESSIONS: junk }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gc beads list --label gc:session --all --format=json (in ${dir}): (top level): must be bd's`);
  });
});

// `gc-tui check` and the no-command path, run as a user would: the built CLI on files in a temp dir.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { readJson, tempDir, write, writeJson } from '../support/files.js';
import { copyInto, DEMO, EXAMPLES, makeCity, run, SAMPLES, unpackGastownPool } from './cli-helpers.js';

const stripWording = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'reason' || k === 'message' ? undefined : x)));

describe('check --json', () => {
  it('matches the PR #2076 worked example of the contract (except wording)', () => {
    const dir = tempDir();
    const store = copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 'pr2076.json');
    const r = run(['check', '--store', store, '--json', '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const got = JSON.parse(r.stdout);
    // The contract's four keys, then the rule edition in use (issue 10).
    expect(Object.keys(got)).toEqual(['metrics', 'repairs', 'findings', 'pools', 'rules']);
    expect(got.rules).toEqual({ edition: '2026-05', why: 'no marker of a build newer than PR #2076' });
    delete got.rules;
    expect(stripWording(got)).toEqual(stripWording(readJson(join(EXAMPLES, 'pr2076-identity.check.json'))));
    for (const rep of got.repairs) expect(rep.reason).toMatch(/\S/);
  });

  it('shows every kind of drift in the bundled demo city', () => {
    const before = readFileSync(DEMO);
    const r = run(['check', '--store', DEMO, '--json']);
    expect(r.code).toBe(1);
    const p = JSON.parse(r.stdout) as { repairs: { kind: string }[]; findings: { kind: string }[]; metrics: Record<string, number> };
    expect(new Set(p.repairs.map((x) => x.kind))).toEqual(
      new Set([
        'backfill-template',
        'restamp-slot',
        'repair-alias',
        'clear-conflicting-alias',
        'unassign-cross-template-work',
        'release-orphaned-work',
        'close-duplicate',
        'rollback-stale-create',
      ]),
    );
    expect(new Set(p.findings.map((x) => x.kind))).toEqual(
      new Set([
        'duplicate-slot',
        'alias-conflict',
        'deferred-rollback',
        'unresolved-template',
        'out-of-bounds-identity',
        'unknown-demand',
        'unknown-state',
      ]),
    );
    expect(p.metrics.stale_creates).toBeGreaterThan(5);
    expect(p.metrics.deferred_rollbacks).toBe(p.metrics.stale_creates - 5);
    expect(readFileSync(DEMO).equals(before)).toBe(true);
  });
});

describe('check summary', () => {
  it('prints figures, then one line per repair and finding, and exits 1 on drift', () => {
    const dir = tempDir();
    const store = copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 'pr2076.json');
    const r = run(['check', '--store', store, '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.startsWith('figures:'))).toContain('mismatched_aliases=1');
    expect(lines.filter((l) => /^ {2}(repair-alias|restamp-slot):mc-poison /.test(l))).toHaveLength(2);
    expect(r.stdout).toContain('metadata.pool_slot "4" → "3"');
    expect(lines.at(-1)).toMatch(/^result: drift/);
  });

  it('exits 0 on a clean store', () => {
    const dir = tempDir();
    const store = writeJson(join(dir, 'clean.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', dir: 'frontend', max_active_sessions: 4 }] },
      beads: [
        sessionRecord('mc-1', {
          template: 'frontend/worker',
          agent_name: 'frontend/worker-1',
          alias: 'frontend/worker-1',
          pool_slot: '1',
          state: 'active',
        }),
      ],
    });
    const r = run(['check', '--store', store, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^result: clean/);
  });

  it('shows escape sequences in metadata as inert text, never raw control bytes', () => {
    const dir = tempDir();
    // Controls, bidi, and invisible format characters: a zero-width space, a tag character (hidden text), U+FEFF.
    const evil = '\u001b[2J\u001b]0;pwned\u0007x\u009b31m\u202e\u200b\u{e0041}\ufeff';
    const store = writeJson(join(dir, 'evil.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', max_active_sessions: 4 }] },
      beads: [sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: evil, pool_slot: '1', state: 'asleep' })],
    });
    for (const args of [
      ['check'],
      ['check', '--json'],
      ['export', '--format', 'md'],
      ['export', '--format', 'csv'],
      ['export', '--format', 'json'],
    ]) {
      const r = run([...args, '--store', store, '--now', NOW_ISO]);
      expect(r.code, args.join(' ')).not.toBe(2);
      // eslint-disable-next-line no-control-regex -- asserting their absence
      expect(r.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e\u200b\u{e0041}\ufeff]/u);
    }
    const human = run(['check', '--store', store, '--now', NOW_ISO]).stdout;
    expect(human).toContain('\\e[2J');
    expect(human).toContain('\\x07');
    // JSON output stays value-equal: the escapes decode back to the original string.
    const json = JSON.parse(run(['check', '--json', '--store', store, '--now', NOW_ISO]).stdout) as {
      repairs: { changes: { before: string }[] }[];
    };
    expect(json.repairs.flatMap((x) => x.changes.map((c) => c.before))).toContain(evil);
  });

  /** `text` as the md report writes it: its backslashes and brackets backslash-escaped (what these values hold of markdown). */
  const mdText = (text: string) => text.replace(/[\\[\]]/g, '\\$&');

  it('spells a control character one way on a line: the change column as the reason beside it (\\e, never \\u001b)', () => {
    const store = writeJson(join(tempDir(), 'esc.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', dir: 'fe', max_active_sessions: 5 }] },
      beads: [
        {
          id: 'w-1',
          title: '',
          status: 'in_progress',
          issue_type: 'task',
          assignee: 'ghost\u001b[5m\u202e',
          metadata: { 'gc.routed_to': 'fe/worker' },
        },
      ],
    });
    const shown = '"ghost\\e[5m\\u{202e}"';
    const line = run(['check', '--store', store, '--now', NOW_ISO])
      .stdout.split('\n')
      .find((l) => l.includes('release-orphaned-work:w-1'));
    expect(line).toBe(
      `  release-orphaned-work:w-1  assignee ${shown} → ""; status "in_progress" → "open"  — assignee ${shown} resolves to no open session bead (routed to fe/worker): release it`,
    );
    const md = run(['export', '--format', 'md', '--store', store, '--now', NOW_ISO]).stdout;
    // In markdown a backslash and a bracket are escaped, so the cell renders as the text of the line above.
    expect(md).toContain(`| assignee | ${mdText(shown)} | "" |`);
    expect(md).not.toContain('\\u001b');
    const dry = run(['apply', '--dry-run', '--all', '--store', store, '--now', NOW_ISO]).stdout;
    expect(dry).toContain(`- assignee: ${shown} → ""`);
  });

  it('quotes a value in a reason as in the change beside it: a quote or a backslash in it escaped, so where it ends is plain', () => {
    // The assignee `x" or "y` and the alias `a"b\` + ESC: raw in quotes they read as two values, or as other text.
    const store = writeJson(join(tempDir(), 'quotes.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', max_active_sessions: 5 }] },
      beads: [
        sessionRecord('s-1', { template: 'worker', agent_name: 'worker-1', alias: 'a"b\\\u001b', pool_slot: '1', state: 'active' }),
        { id: 'w-1', title: '', status: 'in_progress', issue_type: 'task', assignee: 'x" or "y', metadata: { 'gc.routed_to': 'worker' } },
      ],
    });
    const assignee = '"x\\" or \\"y"';
    const alias = '"a\\"b\\\\\\e"';
    const lines = run(['check', '--store', store, '--now', NOW_ISO]).stdout.split('\n');
    expect(lines.find((l) => l.includes('release-orphaned-work:w-1'))).toBe(
      `  release-orphaned-work:w-1  assignee ${assignee} → ""; status "in_progress" → "open"  — assignee ${assignee} resolves to no open session bead (routed to worker): release it`,
    );
    expect(lines.find((l) => l.includes('repair-alias:s-1'))).toContain(`metadata.alias ${alias} → "worker-1"`);
    expect(lines.find((l) => l.includes('repair-alias:s-1'))).toContain(`— owned slot 1 of worker: alias ${alias} → worker-1 (available)`);
    const md = run(['export', '--format', 'md', '--store', store, '--now', NOW_ISO]).stdout;
    expect(md).toContain(`template \`worker\`: assignee ${mdText(assignee)} resolves to no open session bead`);
    expect(md).toContain(`: owned slot 1 of worker: alias ${mdText(alias)} → worker-1 (available)`);
    const dry = run(['apply', '--dry-run', '--all', '--store', store, '--now', NOW_ISO]).stdout;
    expect(dry).toContain(`- assignee: ${assignee} → ""`);
    expect(dry).toContain(`# assignee ${assignee} resolves to no open session bead`);
    expect(dry).toContain(`~ metadata.alias: ${alias} → "worker-1"`);
    expect(dry).toContain(`# owned slot 1 of worker: alias ${alias} → worker-1 (available)`);
  });

  it('applies --now to the time rules and rejects a value that is not RFC 3339', () => {
    const dir = tempDir();
    const started = '2026-05-06T02:00:00Z';
    const store = writeJson(join(dir, 's.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', max_active_sessions: 4 }] },
      beads: [
        sessionRecord('mc-1', {
          template: 'worker',
          agent_name: 'worker-1',
          alias: 'worker-1',
          pool_slot: '1',
          state: 'creating',
          pending_create_claim: 'true',
          pending_create_started_at: started,
        }),
      ],
    });
    const early = JSON.parse(run(['check', '--json', '--store', store, '--now', '2026-05-06T02:05:00Z']).stdout);
    const late = JSON.parse(run(['check', '--json', '--store', store, '--now', '2026-05-06T02:10:00+00:00']).stdout);
    expect(early.metrics.stale_creates).toBe(0);
    expect(late.metrics.stale_creates).toBe(1);
    // RFC 3339 allows a lower-case t and z.
    expect(JSON.parse(run(['check', '--json', '--store', store, '--now', '2026-05-06t02:10:00z']).stdout).metrics.stale_creates).toBe(1);
    // Go-strict, as the README says: no leap second, no offset beyond a day.
    for (const bad of ['yesterday', '2026-02-30T00:00:00Z', '2026-05-06 02:00', '', '2026-05-06T02:13:60Z', '2026-05-06T02:13:00+25:00']) {
      const r = run(['check', '--store', store, '--now', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/^gc-tui: --now: .*not an RFC 3339 time/);
      expect(r.stdout).toBe('');
    }
  });
});

describe('inputs', () => {
  it('reads the current directory as a city when it holds city.toml (real gastown sample)', () => {
    const dir = tempDir();
    unpackGastownPool(dir);
    const city = join(dir, 'multi-pool-city');
    copyInto(city, join(SAMPLES, 'beads.json'), '.gc/beads.json');
    const r = run(['check', '--json', '--now', NOW_ISO], { cwd: city });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as { pools: { template: string; max: number | null; min: number }[] };
    expect(p.pools.map((x) => [x.template, x.max, x.min])).toEqual([
      ['dog', 3, 0],
      ['mayor', null, 0],
      ['polecat', 5, 0],
    ]);
  });

  it('falls back to ./gc-store.json, and says so when it is missing', () => {
    const dir = tempDir();
    const missing = run(['check'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'gc-tui: gc-store.json: no such file, and no city.toml in the current directory: name the input with --store FILE or --city DIR (or try --demo)\n',
    );
    // The console says the same, and does not start.
    const tui = run([], { cwd: dir });
    expect([tui.code, tui.stderr]).toEqual([2, missing.stderr]);
    copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 'gc-store.json');
    expect(run(['check', '--now', NOW_ISO], { cwd: dir }).code).toBe(1);
  });

  it('refuses --store together with --city', () => {
    const r = run(['check', '--store', 'a.json', '--city', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/either --store FILE or --city DIR/);
  });
});

describe('no command, no terminal', () => {
  it('prints the check summary and exits with its code', () => {
    const dir = tempDir();
    const store = copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 's.json');
    const r = run(['--store', store]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^gc-tui check: store /);
    expect(r.stdout).toContain('repair-alias:mc-poison');
  });

  it('a city named relatively (--city . in it) is named by its directory, not "."', () => {
    const dir = realpathSync(tempDir());
    makeCity(dir);
    const r = run(['check', '--city', '.'], { cwd: dir });
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^gc-tui check: city ${dir} \\(maintainer-city\\) at `));
    // So do apply's last line and import's (they said "(.)" and "imported .").
    const applied = run(['apply', '--all', '--city', '.', '--now', '2026-05-06T02:13:00Z'], { cwd: dir });
    expect(applied.stdout).toMatch(new RegExp(` applied, 0 stale \\(${dir}\\)\n$`));
    const imported = run(['import', '--city', '.', '--out', join(dir, 'out.json')], { cwd: dir });
    expect(imported.stderr).toMatch(new RegExp(`^gc-tui: imported ${dir} \\(`));
  });

  it('--demo checks a fresh copy of the demo city, leaving the bundled fixture alone', () => {
    const mtime = statSync(DEMO).mtimeMs;
    const r = run(['--demo']);
    expect(r.code).toBe(1);
    // Named as the demo city: the copy's path is gone as the command ends.
    expect(r.stdout).toMatch(/^gc-tui check: the demo city \(a temporary copy\) at /);
    expect(r.stdout).not.toContain('gc-tui-demo-');
    expect(statSync(DEMO).mtimeMs).toBe(mtime);
  });
});

describe('arguments', () => {
  it('--help and --version exit 0', () => {
    const h = run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage: gc-tui/);
    for (const c of ['check', 'apply', 'export', 'import']) expect(h.stdout).toContain(c);
    const v = run(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(readJson<{ version: string }>(join(import.meta.dirname, '../../package.json')).version);
  });

  it('check --help names every key check --json prints', () => {
    const keys = Object.keys(JSON.parse(run(['check', '--store', DEMO, '--json']).stdout) as object);
    const help = run(['check', '--help']);
    expect(help.code).toBe(0);
    const json = /--json\s+(.*)/.exec(help.stdout)?.[1] ?? '';
    expect(keys.filter((k) => !json.includes(k))).toEqual([]);
  });

  it('commander errors exit 2 with one line and no stack trace', () => {
    for (const args of [
      ['check', '--bogus'],
      ['frobnicate'],
      ['export'],
      ['export', '--format', 'xml'],
      ['import', '--city', '.'],
      ['check', 'extra'],
    ]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^gc-tui: .+\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('accepts a store with only the required keys (everything else has a default)', () => {
    const dir = tempDir();
    write(join(dir, 'x.json'), '{"schema": "gc-tui/1", "city": {"agents": []}, "beads": []}');
    const r = run(['check', '--json', '--store', join(dir, 'x.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).pools).toEqual([]);
  });
});

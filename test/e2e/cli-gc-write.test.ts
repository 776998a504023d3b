// Writes to a city whose beads Gas City keeps go through Gas City (issue 10 item 4): `apply --emit-script` writes
// the reviewed gc commands to a bash script (checked line by line, with `bash -n`, and run against a recording
// gc); with gc on PATH, `apply` makes the calls in order and their answers decide applied / stale / stopped,
// each call and answer in the audit log. Built CLI, real files, a recording fake gc (recording-gc.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/store/types.js';
import { NOW_ISO, pooled, sessionRecord, work } from '../support/builders.js';
import { readJson, tempDir, writeJson } from '../support/files.js';
import { ROOT, run, startCli } from './cli-helpers.js';
import { waitFor } from '../support/wait.js';
import { casArgs, recordingGc } from './recording-gc.js';

const SESSIONS = resolve(ROOT, 'fixtures', 'bd-captures', 'sessions.json');

function bdCity(): string {
  const dir = join(tempDir(), 'bd-city');
  cpSync(resolve(ROOT, 'fixtures', 'bd-city'), dir, { recursive: true });
  return dir;
}

function audit(dir: string): AuditEntry[] {
  const file = join(dir, '.gc', 'gc-tui', 'audit.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditEntry)
    : [];
}

function bashN(file: string): { status: number | null; stderr: string } {
  const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** The write calls of a log: everything but the two reads. */
function writes(calls: { args: string[] }[]): string[][] {
  return calls.map((c) => c.args).filter((a) => !a.includes('list'));
}

const cas = (dir: string, id: string, key: string, expected: string, next: string) => casArgs(dir, id, 'city:bd-city', key, expected, next);

describe('apply --emit-script FILE', () => {
  it('writes the reviewed repairs as gc commands, line by line; bash -n accepts it; nothing is applied', () => {
    const dir = bdCity();
    const script = join(tempDir(), 'apply.sh');
    const r = run(['apply', '--all', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO, '--by', 'alice', '--emit-script', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `wrote ${script}: 2 repairs as gc commands; nothing applied: review it, then run \`bash ${script}\` where gc is\n`,
    );
    expect(r.code).toBe(0);
    const lines = readFileSync(script, 'utf8').split('\n');
    expect(lines.slice(0, lines.indexOf('set -euo pipefail') + 1)).toEqual([
      '#!/usr/bin/env bash',
      '# gc-tui apply script: reviewed repairs as Gas City commands. Nothing has been applied; run it to apply them.',
      `# city: ${dir} (store references city:bd-city)`,
      '# rules: 2026-05 (no marker of a build newer than PR #2076)',
      '# made: 2026-05-06T02:13:00Z by alice',
      '# repairs: 2',
      '#   repair-alias:hq-s1',
      '#   restamp-slot:hq-s1',
      '# Each metadata key is one compare-and-set: written only while it still holds the value gc-tui saw. A conflict',
      '# makes that repair stale and skips its later calls (keys already written stay written); an error stops here.',
      'set -euo pipefail',
    ]);
    const q = `'--city' '${dir}' 'beads' 'metadata-cas' 'hq-s1' '--store-ref=city:bd-city'`;
    expect(lines.slice(lines.indexOf('applied=0'))).toEqual([
      'applied=0',
      'stale=0',
      '',
      '# 1/2 repair-alias:hq-s1: owned slot 3 of frontend/worker: alias "backend/worker-4" → frontend/worker-3 (available)',
      '#   metadata.alias: "backend/worker-4" -> "frontend/worker-3"',
      '#   metadata.alias_history: null -> "backend/worker-4"',
      `if cas 'gc' ${q} '--key=alias' '--expected=backend/worker-4' '--next=frontend/worker-3' '--json' \\`,
      `  && cas 'gc' ${q} '--key=alias_history' '--expected=' '--next=backend/worker-4' '--json'; then`,
      "  echo 'applied repair-alias:hq-s1'",
      '  applied=$((applied + 1))',
      'else',
      "  echo 'stale repair-alias:hq-s1: a value changed since it was reviewed; its later calls were not made'",
      '  stale=$((stale + 1))',
      'fi',
      '',
      '# 2/2 restamp-slot:hq-s1: owned slot is 3: agent identity "frontend/worker-3" names slot 3; pool_slot 4 is stale',
      '#   metadata.pool_slot: "4" -> "3"',
      `if cas 'gc' ${q} '--key=pool_slot' '--expected=4' '--next=3' '--json'; then`,
      "  echo 'applied restamp-slot:hq-s1'",
      '  applied=$((applied + 1))',
      'else',
      "  echo 'stale restamp-slot:hq-s1: a value changed since it was reviewed; its later calls were not made'",
      '  stale=$((stale + 1))',
      'fi',
      '',
      'echo "$applied applied, $stale stale"',
      'if [ "$stale" -gt 0 ]; then exit 1; fi',
      '',
    ]);
    expect(bashN(script)).toEqual({ status: 0, stderr: '' });
    expect(readdirSync(join(dir, '.gc'))).toEqual(['site.toml']); // the fixture's own: gc-tui wrote nothing there

    // Run where gc is: the calls in order; a conflict makes its repair stale and skips its later call.
    const gc = recordingGc();
    const ran = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { ...process.env, ...gc.env({ scenario: [{ match: '--key=alias ', answer: 'conflict' }] }) },
    });
    expect(ran.stdout).toBe(
      'stale repair-alias:hq-s1: a value changed since it was reviewed; its later calls were not made\napplied restamp-slot:hq-s1\n1 applied, 1 stale\n',
    );
    expect(ran.status).toBe(1);
    expect(writes(gc.calls())).toEqual([
      cas(dir, 'hq-s1', 'alias', 'backend/worker-4', 'frontend/worker-3'),
      cas(dir, 'hq-s1', 'pool_slot', '4', '3'),
    ]);
    // An error stops the script (exit 2), its message quoted.
    const stopped = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { ...process.env, ...gc.env({ scenario: [{ match: 'metadata-cas', answer: 'error' }] }) },
    });
    expect(stopped.status).toBe(2);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toContain('gc-tui script: gc failed; stopped at: gc --city');
  });

  it('quotes everything: metadata with quotes, newlines, $(...) and escape sequences reaches gc byte for byte', () => {
    const dir = bdCity();
    const nasty = `it's "x"\n$(touch pwned) \`id\` \\ \u001b[2J\u0007 \u202e end`;
    const beads = readJson<Record<string, unknown>[]>(SESSIONS);
    (beads[0].metadata as Record<string, unknown>).alias = nasty;
    const capture = writeJson(join(tempDir(), 'nasty.json'), beads);
    const script = join(tempDir(), 'nasty.sh');
    const r = run([
      'apply',
      '--repair',
      'repair-alias:hq-s1',
      '--city',
      dir,
      '--beads',
      capture,
      '--now',
      NOW_ISO,
      '--emit-script',
      script,
    ]);
    expect(r.code).toBe(0);
    const text = readFileSync(script, 'utf8');
    // eslint-disable-next-line no-control-regex -- the point: no raw control character in the file
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain(String.raw`$'--expected=it\'s "x"\x0a$(touch pwned) ` + '`id` ' + String.raw`\\ \x1b[2J\x07 \xe2\x80\xae end'`);
    expect(bashN(script)).toEqual({ status: 0, stderr: '' });
    const gc = recordingGc();
    const cwd = tempDir();
    const ran = spawnSync('bash', [script], { cwd, encoding: 'utf8', env: { ...process.env, ...gc.env() } });
    expect(ran.status).toBe(0);
    expect(writes(gc.calls())[0]).toEqual(cas(dir, 'hq-s1', 'alias', nasty, 'frontend/worker-3'));
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  });

  it('with a saved plan, leaves out a repair gone stale since the plan (as a dry run says), and exits 1', () => {
    const dir = bdCity();
    const capture = writeJson(join(tempDir(), 'capture.json'), readJson<Record<string, unknown>[]>(SESSIONS));
    const saved = join(tempDir(), 'plan.json');
    expect(run(['plan', '--city', dir, '--beads', capture, '--now', NOW_ISO, '--out', saved]).code).toBe(1);
    // Another writer moves hq-s1's pool_slot after the plan: its restamp no longer holds what it was planned on.
    const beads = readJson<Record<string, unknown>[]>(capture);
    (beads.find((b) => b.id === 'hq-s1')!.metadata as Record<string, unknown>).pool_slot = 5;
    writeJson(capture, beads);
    const script = join(tempDir(), 'apply.sh');
    const r = run(['apply', '--plan', saved, '--now', NOW_ISO, '--emit-script', script]);
    expect(r.stdout).toContain('stale restamp-slot:hq-s1: metadata.pool_slot is now "5" (expected "4"); not written\n');
    expect(r.stdout).toContain(`wrote ${script}: 1 repair as gc commands`);
    expect(r.code).toBe(1);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('#   repair-alias:hq-s1\n');
    expect(text).not.toContain('restamp-slot:hq-s1');
    expect(text).not.toContain("'--key=pool_slot'");
    const dry = run(['apply', '--plan', saved, '--now', NOW_ISO, '--dry-run']);
    expect(dry.stdout).toContain('stale');
    expect(dry.code).toBe(1);
  });

  it("refuses a link at FILE too, even one to nothing (the write would put its file in the link's place)", () => {
    const script = join(tempDir(), 'linked.sh');
    symlinkSync(join(tempDir(), 'nowhere.sh'), script);
    const r = run(['apply', '--all', '--city', bdCity(), '--beads', SESSIONS, '--now', NOW_ISO, '--emit-script', script]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${script}: already exists; not overwritten (add --force to replace it)\n`);
    expect(lstatSync(script).isSymbolicLink()).toBe(true);
  });

  it('refuses an existing FILE unless --force, which replaces it; --force without --emit-script is refused', () => {
    const dir = bdCity();
    const script = join(tempDir(), 'reviewed.sh');
    writeFileSync(script, '# a script someone reviewed\n');
    const args = ['apply', '--all', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO, '--emit-script', script];
    // It was replaced without a word; only the default name was kept from replacing one.
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${script}: already exists; not overwritten (add --force to replace it)\n`);
    expect(r.stdout).toBe('');
    expect(readFileSync(script, 'utf8')).toBe('# a script someone reviewed\n');
    const forced = run([...args, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^wrote \S+reviewed\.sh: 2 repairs as gc commands/);
    expect(readFileSync(script, 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n/);
    // --force forces nothing else (no stale repair, no refusal): alone it is a mistake, said so.
    const alone = run(['apply', '--all', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO, '--dry-run', '--force']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--force replaces an existing --emit-script FILE');
  });

  it('is refused for a store file and with --dry-run', () => {
    const store = join(tempDir(), 's.json');
    cpSync(resolve(ROOT, 'fixtures', 'demo-city.json'), store);
    const s = run(['apply', '--all', '--store', store, '--emit-script', join(tempDir(), 'x.sh')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('--emit-script writes Gas City commands for a city (--city DIR);');
    const d = run(['apply', '--all', '--dry-run', '--city', bdCity(), '--beads', SESSIONS, '--emit-script', join(tempDir(), 'x.sh')]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--emit-script applies nothing already');
  });
});

describe('apply with gc on PATH', () => {
  it('makes the calls in order, no shell; every call and its answer goes to the audit log', () => {
    const dir = bdCity();
    const gc = recordingGc();
    const r = run(['apply', '--all', '--city', dir, '--now', NOW_ISO, '--by', 'alice', '--reason', 'drift'], {
      env: gc.env({ sessions: SESSIONS }),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied repair-alias:hq-s1: ');
    expect(r.stdout).toContain(`2 applied, 0 stale (city ${dir}, through ${join(gc.bin, 'gc')})\n`);
    expect(gc.calls().every((c) => c.cwd === dir)).toBe(true);
    expect(writes(gc.calls())).toEqual([
      cas(dir, 'hq-s1', 'alias', 'backend/worker-4', 'frontend/worker-3'),
      cas(dir, 'hq-s1', 'alias_history', '', 'backend/worker-4'),
      cas(dir, 'hq-s1', 'pool_slot', '4', '3'),
    ]);
    const lines = audit(dir);
    expect(lines.map((l) => [l.repair, l.result, l.via, l.operator, l.note])).toEqual([
      ['repair-alias:hq-s1', 'applied', 'gc', 'alice', 'drift'],
      ['restamp-slot:hq-s1', 'applied', 'gc', 'alice', 'drift'],
    ]);
    expect(lines[0].batch).toBeDefined();
    expect(lines[1].batch).toBe(lines[0].batch);
    expect(lines[1].calls).toEqual([
      {
        args: cas(dir, 'hq-s1', 'pool_slot', '4', '3'),
        exit: 0,
        stdout: '{"schema_version":"1","ok":true,"bead_id":"hq-s1","store_ref":"city:bd-city","key":"pool_slot","outcome":"swapped"}',
        stderr: '',
        answer: 'ok',
      },
    ]);
  });

  it('a conflict: that repair is stale, its later calls are not made, the others go on; exit 1', () => {
    const dir = bdCity();
    const gc = recordingGc();
    const env = gc.env({ sessions: SESSIONS, scenario: [{ match: '--key=alias ', answer: 'conflict' }] });
    const r = run(['apply', '--all', '--city', dir, '--now', NOW_ISO], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'stale repair-alias:hq-s1: gc beads metadata-cas hq-s1 --key=alias: conflict: the key no longer holds the value gc-tui saw; not applied\n',
    );
    expect(r.stdout).toContain('applied restamp-slot:hq-s1');
    expect(writes(gc.calls()).map((a) => a.find((x) => x.startsWith('--key=')))).toEqual(['--key=alias', '--key=pool_slot']);
    const [stale, applied] = audit(dir);
    expect(stale).toMatchObject({ repair: 'repair-alias:hq-s1', result: 'stale', why: expect.stringContaining('conflict') });
    expect(stale.calls?.map((c) => c.answer)).toEqual(['conflict']);
    expect(applied).toMatchObject({ repair: 'restamp-slot:hq-s1', result: 'applied' });
  });

  it('an error: the apply stops there (exit 2, one line), later repairs are not attempted', () => {
    const dir = bdCity();
    const gc = recordingGc();
    const env = gc.env({ sessions: SESSIONS, scenario: [{ match: '--key=alias_history', answer: 'error' }] });
    const r = run(['apply', '--all', '--city', dir, '--now', NOW_ISO], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `gc-tui: ${dir}: repair-alias:hq-s1: gc beads metadata-cas hq-s1 --key=alias_history: exited 1 (gc: dolt server not reachable) (already written, kept: metadata.alias); stopped: 1 later repair not attempted\n`,
    );
    expect(writes(gc.calls()).length).toBe(2);
    const [failed] = audit(dir);
    expect(failed).toMatchObject({ repair: 'repair-alias:hq-s1', result: 'failed' });
    expect(failed.calls?.map((c) => [c.answer, c.exit, c.stderr])).toEqual([
      ['ok', 0, ''],
      ['error', 1, 'gc: dolt server not reachable'],
    ]);
    expect(audit(dir)).toHaveLength(1);
    // A gc without metadata-cas: said as such.
    const older = recordingGc();
    const o = run(['apply', '--all', '--city', bdCity(), '--now', NOW_ISO], {
      env: older.env({ sessions: SESSIONS, scenario: [{ match: 'metadata-cas', answer: 'unknown' }] }),
    });
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(
      'gc beads metadata-cas hq-s1 --key=alias: exited 1 (Error: unknown command "metadata-cas" for "gc beads"); this gc may be older than the command; stopped',
    );
  });

  it('closes with gc session close after its compare-and-set; releases with gc bd release-if-current (skipped: stale)', () => {
    const dir = bdCity();
    const gc = recordingGc();
    const capture = writeJson(join(tempDir(), 'cap.json'), [
      pooled('hq-a', 'frontend/worker', { agent_name: 'frontend/worker-1', alias: 'frontend/worker-1', pool_slot: '1', state: 'active' }),
      pooled('hq-b', 'frontend/worker', { agent_name: 'frontend/worker-1', alias: 'frontend/worker-1', pool_slot: '1', state: 'asleep' }),
      work('hq-w1', { route: 'backend/worker', assignee: 's-hq-a', status: 'in_progress' }),
    ]);
    const env = gc.env({ sessions: capture, scenario: [{ match: 'release-if-current', answer: 'conflict' }] });
    const r = run(['apply', '--all', '--city', dir, '--now', NOW_ISO], { env });
    expect(writes(gc.calls())).toEqual([
      cas(dir, 'hq-b', 'close_reason', '', 'duplicate-slot'),
      ['--city', dir, 'session', 'close', 'hq-b'],
      ['bd', '--city', dir, 'release-if-current', 'hq-w1', 's-hq-a'],
    ]);
    expect(r.stdout).toContain('applied close-duplicate:hq-b');
    expect(r.stdout).toContain(
      'stale unassign-cross-template-work:hq-w1: gc bd release-if-current hq-w1: skipped: the work is no longer in_progress with that assignee; not applied',
    );
    expect(r.code).toBe(1);
    expect(audit(dir).map((l) => [l.repair, l.result, l.calls?.map((c) => c.stdout)])).toEqual([
      ['close-duplicate:hq-b', 'applied', [expect.stringContaining('"outcome":"swapped"'), 'Session hq-b closed.']],
      ['unassign-cross-template-work:hq-w1', 'stale', ['skipped']],
    ]);
  });

  it('Ctrl-C during a call: the repair under way is finished and audited, no later one begins; exit 1', async () => {
    const dir = bdCity();
    const gc = recordingGc();
    const env = gc.env({ sessions: SESSIONS, scenario: [{ match: '--key=alias ', answer: 'hold' }] });
    const started = startCli(['apply', '--all', '--city', dir, '--now', NOW_ISO], { env });
    await waitFor(
      () => String(gc.held()),
      (v) => v === 'true',
      'the first write call under way',
    );
    started.child.kill('SIGINT');
    // The signal is held, not obeyed: the CLI is still there to make the repair's second call once gc answers.
    gc.release();
    const r = await started.result;
    expect(r.stderr).toBe(`gc-tui: ${dir}: interrupted (SIGINT): the repair under way was finished; 1 later repair not attempted\n`);
    expect(r.code).toBe(1);
    expect(writes(gc.calls()).map((a) => a.find((x) => x.startsWith('--key=')))).toEqual(['--key=alias', '--key=alias_history']);
    expect(audit(dir).map((l) => [l.repair, l.result, l.calls?.length])).toEqual([['repair-alias:hq-s1', 'applied', 2]]);
  });

  it('a repair no conditional gc command can make is not applied, and nothing is run for it', () => {
    const dir = bdCity();
    const gc = recordingGc();
    const capture = writeJson(join(tempDir(), 'cap.json'), [
      sessionRecord('hq-s9', {
        template: 'frontend/worker',
        agent_name: 'frontend/worker-2',
        alias: 'frontend/worker-2',
        pool_slot: '2',
        state: 'asleep',
      }),
      work('hq-w2', { route: 'frontend/worker', status: 'in_progress' }),
    ]);
    const r = run(['apply', '--all', '--city', dir, '--rules', '2026-08', '--now', NOW_ISO], { env: gc.env({ sessions: capture }) });
    expect(r.stdout).toContain(
      'not applied release-orphaned-work:hq-w2: no conditional gc command sets status "open" ("in_progress" before) without an assignee to release\n',
    );
    expect(r.code).toBe(1);
    expect(writes(gc.calls())).toEqual([]);
    // Its dry run answers as the apply does: exit 1, the repair listed as not possible, nothing run.
    const dry = run(['apply', '--all', '--dry-run', '--city', dir, '--rules', '2026-08', '--now', NOW_ISO], {
      env: gc.env({ sessions: capture }),
    });
    expect(dry.stdout).toContain('release-orphaned-work:hq-w2');
    expect(dry.code).toBe(1);
    expect(writes(gc.calls())).toEqual([]);
  });
});

describe('apply --dry-run on a city written through gc', () => {
  it('lists the exact calls it would make, each line as --emit-script writes it, and makes none', () => {
    const dir = bdCity();
    const gc = recordingGc();
    const r = run(['apply', '--all', '--dry-run', '--city', dir, '--now', NOW_ISO], { env: gc.env({ sessions: SESSIONS }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const q = `'gc' '--city' '${dir}' 'beads' 'metadata-cas' 'hq-s1' '--store-ref=city:bd-city'`;
    expect(r.stdout).toContain(
      [
        'gc calls, in order (each line as `apply --emit-script` writes it):',
        '  repair-alias:hq-s1:',
        `    ${q} '--key=alias' '--expected=backend/worker-4' '--next=frontend/worker-3' '--json'`,
        `    ${q} '--key=alias_history' '--expected=' '--next=backend/worker-4' '--json'`,
        '  restamp-slot:hq-s1:',
        `    ${q} '--key=pool_slot' '--expected=4' '--next=3' '--json'`,
        'dry run: nothing written',
      ].join('\n'),
    );
    expect(writes(gc.calls())).toEqual([]);
    expect(audit(dir)).toEqual([]);
    const script = join(tempDir(), 'same.sh');
    expect(run(['apply', '--all', '--city', dir, '--beads', SESSIONS, '--now', NOW_ISO, '--emit-script', script]).code).toBe(0);
    const listed = r.stdout.split('\n').filter((l) => l.startsWith("    'gc' "));
    expect(listed).toHaveLength(3);
    for (const line of listed) expect(readFileSync(script, 'utf8')).toContain(`cas ${line.trim()}`);
  });
});

// `--rules 2026-05|2026-08|auto` on `check` (issue 10): the edition in use and why, in the JSON and on the
// summary's second line; auto picks 2026-08 only on a marker of a newer build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/files.js';
import { copyInto, ROOT, run } from './cli-helpers.js';

const EDITIONS = join(ROOT, 'fixtures/editions');
const NOW = '2026-08-20T12:00:00Z';

function checkJson(args: string[]) {
  const r = run(['check', '--json', '--now', NOW, ...args]);
  return {
    code: r.code,
    stderr: r.stderr,
    got: JSON.parse(r.stdout) as { rules: { edition: string; why: string }; findings: { kind: string }[]; repairs: { id: string }[] },
  };
}

describe('check --rules', () => {
  it('auto: a start-pending bead is a marker of a newer build → 2026-08, named in why', () => {
    const store = copyInto(tempDir(), join(EDITIONS, 'start-pending.json'), 's.json');
    const { got, code } = checkJson(['--store', store]);
    expect(got.rules.edition).toBe('2026-08');
    expect(got.rules.why).toContain('session bead p1 is in state start-pending');
    expect(got.findings.map((f) => f.kind)).not.toContain('unknown-state');
    expect(got.repairs.map((r) => r.id)).toEqual(['rollback-stale-create:p2']);
    expect(code).toBe(1);
  });

  it('an explicit edition wins over the markers', () => {
    const store = copyInto(tempDir(), join(EDITIONS, 'start-pending.json'), 's.json');
    const { got } = checkJson(['--store', store, '--rules', '2026-05']);
    expect(got.rules).toEqual({ edition: '2026-05', why: 'chosen with --rules 2026-05' });
    expect(got.findings.map((f) => f.kind)).toEqual(['unknown-state', 'unknown-state']);
  });

  it('auto without a marker: 2026-05; the summary says so on its second line', () => {
    const store = copyInto(tempDir(), join(EDITIONS, 'singleton-canonical.json'), 's.json');
    const r = run(['check', '--store', store, '--now', NOW]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('rules: 2026-05 (no marker of a build newer than PR #2076)');
    const e = run(['check', '--store', store, '--now', NOW, '--rules', '2026-08']);
    expect(e.stdout.trimEnd().split('\n')[1]).toBe('rules: 2026-08 (chosen with --rules 2026-08)');
    expect(e.stdout).toContain('canonical-identity:c1');
  });

  it('auto follows a store file\'s own "rules" key (CONTRACT.md); --rules still wins; the key survives export', () => {
    const dir = tempDir();
    const store = join(dir, 's.json');
    const doc = JSON.parse(readFileSync(join(EDITIONS, 'singleton-canonical.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(store, JSON.stringify({ ...doc, rules: '2026-08' }));
    const r = run(['check', '--store', store, '--now', NOW]);
    expect(r.stdout.trimEnd().split('\n')[1]).toBe('rules: 2026-08 (the store file says "rules": "2026-08")');
    expect(r.stdout).toContain('canonical-identity:c1');
    expect(checkJson(['--store', store, '--rules', '2026-05']).got.rules.edition).toBe('2026-05');
    const snap = join(dir, 'snap.json');
    expect(run(['export', '--store', store, '--format', 'json', '--out', snap, '--now', NOW]).code).toBe(1);
    expect(checkJson(['--store', snap]).got.rules.why).toBe('the store file says "rules": "2026-08"');
  });

  it('a store whose "rules" is not an edition is bad input: exit 2 naming the key, nothing planned', () => {
    const store = join(tempDir(), 's.json');
    const doc = JSON.parse(readFileSync(join(EDITIONS, 'singleton-canonical.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(store, JSON.stringify({ ...doc, rules: 'latest' }));
    const r = run(['check', '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`gc-tui: ${store}: rules: must be "2026-05" or "2026-08", got string "latest"\n`);
  });

  it('refuses another value (exit 2)', () => {
    const store = copyInto(tempDir(), join(EDITIONS, 'singleton-canonical.json'), 's.json');
    const r = run(['check', '--store', store, '--rules', '2027-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2027-01');
  });
});

describe('the edition through plan, apply and export', () => {
  it('apply --all follows the edition check shows: the 2026-08 repair is applied, re-checked under 2026-08', () => {
    const store = copyInto(tempDir(), join(EDITIONS, 'singleton-canonical.json'), 's.json');
    const shown = checkJson(['--store', store, '--rules', '2026-08']).got.repairs.map((r) => r.id);
    expect(shown).toContain('canonical-identity:c1');
    const r = run(['apply', '--all', '--yes', '--store', store, '--now', NOW, '--rules', '2026-08']);
    expect(r.stdout).toMatch(/^applied canonical-identity:c1: /m);
    expect(r.stdout).not.toMatch(/^stale /m);
    expect(r.stdout).toContain(`${shown.length} applied, 0 stale`);
    // Under the edition it was applied by, nothing is left to do.
    expect(checkJson(['--store', store, '--rules', '2026-08']).got.repairs).toEqual([]);
  });

  it('a saved plan carries its edition; apply --plan re-checks under it and refuses another --rules', () => {
    const dir = tempDir();
    const store = copyInto(dir, join(EDITIONS, 'singleton-canonical.json'), 's.json');
    const planFile = join(dir, 'plan.json');
    expect(run(['plan', '--out', planFile, '--store', store, '--now', NOW, '--rules', '2026-08']).code).toBe(1);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as { rules: { edition: string }; repairs: { id: string }[] };
    expect(saved.rules.edition).toBe('2026-08');
    const refused = run(['apply', '--plan', planFile, '--yes', '--now', NOW, '--rules', '2026-05']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('was made under 2026-08');
    const r = run(['apply', '--plan', planFile, '--yes', '--now', NOW]);
    expect(r.stdout).toContain(`${saved.repairs.length} applied, 0 stale`);
  });

  it('export json puts the edition beside the plan, as check --json has it', () => {
    const store = copyInto(tempDir(), join(EDITIONS, 'start-pending.json'), 's.json');
    const r = run(['export', '--format', 'json', '--store', store, '--now', NOW]);
    const doc = JSON.parse(r.stdout) as { plan: { rules: { edition: string }; repairs: unknown[] } };
    const check = checkJson(['--store', store]).got;
    expect(doc.plan.rules).toEqual(check.rules);
    expect(doc.plan.repairs).toEqual(check.repairs);
  });
});

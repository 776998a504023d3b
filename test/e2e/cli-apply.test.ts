// `gc-tui apply`: locked compare-and-set writes on a store file and on a real-format city.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { readJson, tempDir, write, writeJson } from '../support/files.js';
import { BIG_FENCE, copyInto, EXAMPLES, makeCity, run } from './cli-helpers.js';
import { SPELLED_CITY_TOML, spelledCityBeads, spelledStore } from '../support/spelled-beads.js';

type Doc = { beads: { id: string; metadata: Record<string, unknown>; updated_at?: string }[] } & Record<string, unknown>;

function exampleStore(): string {
  return copyInto(tempDir(), join(EXAMPLES, 'pr2076-identity.store.json'), 'city.json');
}

function auditLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('apply on a store file', () => {
  it('applies one repair, stamps updated_at, leaves everything else, and logs it', () => {
    const store = exampleStore();
    const before = readJson<Doc>(store);
    const r = run([
      'apply',
      '--store',
      store,
      '--repair',
      'restamp-slot:mc-poison',
      '--now',
      NOW_ISO,
      '--by',
      'alice',
      '--reason',
      'ticket 42',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^applied restamp-slot:mc-poison: /m);

    const after = readJson<Doc>(store);
    const expected = structuredClone(before);
    expected.beads[0].metadata.pool_slot = '3';
    expected.beads[0].updated_at = NOW_ISO;
    expect(after).toEqual(expected);

    const lines = auditLines(`${store}.audit.jsonl`);
    expect(lines).toEqual([
      {
        time: NOW_ISO,
        operator: 'alice',
        action: 'apply',
        repair: 'restamp-slot:mc-poison',
        kind: 'restamp-slot',
        beadId: 'mc-poison',
        changes: [{ field: 'metadata.pool_slot', before: '4', after: '3' }],
        reason: expect.stringMatching(/\S/),
        note: 'ticket 42',
        result: 'applied',
      },
    ]);
  });

  it('reports an id that is not in the fresh plan on stderr, applies the rest, exits 1', () => {
    const store = exampleStore();
    const r = run([
      'apply',
      '--store',
      store,
      '--repair',
      'restamp-slot:mc-nope',
      'repair-alias:mc-poison',
      '--now',
      NOW_ISO,
      '--by',
      'bob',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gc-tui: \S+city\.json: unknown repair id "restamp-slot:mc-nope": not in the current plan/);
    const bead = readJson<Doc>(store).beads[0];
    expect(bead.metadata.alias).toBe('frontend/worker-3');
    expect(bead.metadata.alias_history).toBe('backend/worker-4');
    expect(bead.metadata.pool_slot).toBe('4');
    expect(auditLines(`${store}.audit.jsonl`).map((l) => [l.repair, l.result])).toEqual([['repair-alias:mc-poison', 'applied']]);
  });

  it('says a rejected repair is rejected (by whom, when, why) instead of unknown, and applies nothing of it', () => {
    const store = exampleStore();
    const check = JSON.parse(run(['check', '--json', '--store', store, '--now', NOW_ISO]).stdout) as {
      repairs: { id: string; changes: unknown[] }[];
    };
    const target = check.repairs.find((r) => r.id === 'repair-alias:mc-poison')!;
    const doc = readJson<Doc>(store);
    doc.decisions = [
      { repair: target.id, decision: 'rejected', changes: target.changes, by: 'carol', at: '2026-05-06T02:00:00Z', reason: 'not now' },
    ];
    writeJson(store, doc);
    const bytes = readFileSync(store);
    const r = run(['apply', '--store', store, '--repair', target.id, '--now', NOW_ISO, '--by', 'bob']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^gc-tui: \S+city\.json: repair "repair-alias:mc-poison" was rejected by carol at 2026-05-06T02:00:00Z \("not now"\): withheld while its changes stay the same; reopen it in the console \(o in the repairs view\) to apply it$/m,
    );
    expect(readFileSync(store).equals(bytes)).toBe(true);
    // check's summary names it too, between the repairs and the findings.
    const summary = run(['check', '--store', store, '--now', NOW_ISO]).stdout.split('\n');
    const at = summary.indexOf("withheld by a rejection (1; o in the console's repairs view reopens one):");
    expect(at).toBeGreaterThan(summary.findIndex((l) => l.startsWith('repairs (')));
    expect(summary[at + 1]).toBe('  repair-alias:mc-poison  rejected by carol at 2026-05-06T02:00:00Z: "not now"');
    expect(summary[at + 2]).toMatch(/^findings \(/);
    // And --json, beside the repairs it leaves out.
    const json = JSON.parse(run(['check', '--json', '--store', store, '--now', NOW_ISO]).stdout) as Record<string, unknown>;
    expect((json.repairs as { id: string }[]).map((x) => x.id)).not.toContain(target.id);
    expect(json.withheld).toEqual([{ ...target, rejected: { by: 'carol', at: '2026-05-06T02:00:00Z', reason: 'not now' } }]);
    expect(JSON.parse(run(['check', '--json', '--store', exampleStore(), '--now', NOW_ISO]).stdout)).not.toHaveProperty('withheld');
  });

  it('--all converges the example: check is clean afterwards', () => {
    const store = exampleStore();
    const r = run(['apply', '--store', store, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 applied, 0 stale/m);
    expect(run(['check', '--store', store, '--now', NOW_ISO]).code).toBe(0);
    const lines = auditLines(`${store}.audit.jsonl`);
    expect(lines.map((l) => l.operator)).toEqual([userInfo().username, userInfo().username]);
    expect(lines.map((l) => l.note)).toEqual(['', '']);
  });

  it('with nothing to apply, writes nothing and exits 0', () => {
    const dir = tempDir();
    const store = writeJson(join(dir, 'clean.json'), {
      schema: 'gc-tui/1',
      city: { agents: [{ name: 'worker', max_active_sessions: 2 }] },
      beads: [sessionRecord('mc-1', { template: 'worker', agent_name: 'worker-1', alias: 'worker-1', pool_slot: '1', state: 'active' })],
    });
    const bytes = readFileSync(store);
    const r = run(['apply', '--store', store, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('nothing to apply\n');
    expect(readFileSync(store).equals(bytes)).toBe(true);
    expect(readdirSync(dir)).toEqual(['clean.json']);
  });

  it('--read-only refuses to write, naming the file it would have written', () => {
    const store = exampleStore();
    const bytes = readFileSync(store);
    const r = run(['apply', '--read-only', '--store', store, '--all']);
    expect(r.code).toBe(2);
    // It names the way that writes nothing (a store has no gc commands to script).
    expect(r.stderr).toBe(`gc-tui: ${store}: apply is refused in --read-only mode (--dry-run shows what it would change)\n`);
    expect(readFileSync(store).equals(bytes)).toBe(true);
  });

  it('needs exactly one of --repair and --all', () => {
    const store = exampleStore();
    expect(run(['apply', '--store', store]).code).toBe(2);
    expect(run(['apply', '--store', store, '--all', '--repair', 'x']).code).toBe(2);
    expect(existsSync(`${store}.audit.jsonl`)).toBe(false);
  });
});

describe('apply on a city', () => {
  it('follows Gas City: changes only the repaired fields, keeps every other field and top-level key', () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const original = readFileSync(beadsFile, 'utf8');
    const r = run(['apply', '--city', dir, '--all', '--now', NOW_ISO, '--by', 'carol']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 applied, 0 stale/m);

    const text = readFileSync(beadsFile, 'utf8');
    // The int64 fence is beyond 2^53: it must survive digit for digit.
    expect(text).toContain(`"mc-ok": ${BIG_FENCE}`);
    const before = JSON.parse(original) as Doc;
    const after = JSON.parse(text) as Doc;
    const expected = structuredClone(before);
    Object.assign(expected.beads[0].metadata, { alias: 'frontend/worker-3', alias_history: 'backend/worker-4', pool_slot: '3' });
    expected.beads[0].updated_at = NOW_ISO;
    // The sealed file's revision of the changed bead moves on by one: two repairs, one write, one bump.
    (expected.revisions as Record<string, number>)['mc-poison'] += 1;
    expect(after).toEqual(expected);
    // bd-written non-string metadata on untouched keys stays as it was.
    expect(after.beads[0].metadata.restarts).toBe(3);
    expect(after.beads[0].metadata.attached).toBe(false);

    expect(readdirSync(join(dir, '.gc')).sort()).toEqual(['beads.json', 'beads.json.lock', 'gc-tui', 'site.toml']);
    const audit = auditLines(join(dir, '.gc', 'gc-tui', 'audit.jsonl'));
    expect(audit.map((l) => [l.repair, l.operator, l.result])).toEqual([
      ['repair-alias:mc-poison', 'carol', 'applied'],
      ['restamp-slot:mc-poison', 'carol', 'applied'],
    ]);
    expect(run(['check', '--city', dir, '--now', NOW_ISO]).code).toBe(0);
  });
});

describe('apply changes only the members it changes, in the bead it changes too', () => {
  // Numbers spelled as JSON.parse would not write them, in the changed bead and around it (spelled-beads.ts).
  it("a sealed city's .gc/beads.json: the slot, updated_at and the bead's revision change, every other byte is as it was", () => {
    const dir = tempDir();
    write(join(dir, 'city.toml'), SPELLED_CITY_TOML);
    const beadsFile = write(join(dir, '.gc', 'beads.json'), spelledCityBeads('4', '2026-05-06T02:00:00Z', '3'));
    const r = run(['apply', '--city', dir, '--all', '--now', NOW_ISO, '--by', 'carol']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^applied restamp-slot:mc-1: /m);
    expect(r.stdout).toMatch(/^1 applied, 0 stale/m);
    expect(readFileSync(beadsFile, 'utf8')).toBe(spelledCityBeads('3', NOW_ISO, '4'));
  });

  it('a store file: the same, its unknown fields and the keys around the beads spelled as they were', () => {
    const store = write(join(tempDir(), 'city.json'), spelledStore('4', '2026-05-06T02:00:00Z'));
    const r = run(['apply', '--store', store, '--all', '--now', NOW_ISO, '--by', 'carol']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^1 applied, 0 stale/m);
    expect(readFileSync(store, 'utf8')).toBe(spelledStore('3', NOW_ISO));
  });
});

describe.skipIf(process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0)('the operator the audit log names', () => {
  it('a uid with no passwd entry (a container) and no USER: its number, not "unknown"', () => {
    const store = exampleStore();
    chmodSync(dirname(store), 0o777);
    chmodSync(store, 0o666);
    const r = run(['apply', '--store', store, '--all', '--now', NOW_ISO], {
      prefix: ['setpriv', '--reuid=54321', '--regid=54321', '--clear-groups'],
      env: { USER: '', LOGNAME: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const audit = readFileSync(`${store}.audit.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { operator: string });
    expect(new Set(audit.map((l) => l.operator))).toEqual(new Set(['uid 54321']));
  });
});

describe('file permissions', () => {
  const mode = (f: string) => statSync(f).mode & 0o777;

  it('a 0600 store stays 0600 after apply', () => {
    const store = exampleStore();
    chmodSync(store, 0o600);
    const r = run(['apply', '--store', store, '--all', '--now', NOW_ISO, '--by', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ applied, 0 stale/);
    expect(mode(store)).toBe(0o600);
  });

  it('a group-writable store keeps its mode, whatever the umask', () => {
    const store = exampleStore();
    chmodSync(store, 0o664);
    expect(run(['apply', '--store', store, '--all', '--now', NOW_ISO]).code).toBe(0);
    expect(mode(store)).toBe(0o664);
  });

  it("a city's 0600 beads.json stays 0600 after apply", () => {
    const { dir, beadsFile } = makeCity(tempDir());
    chmodSync(beadsFile, 0o600);
    const r = run(['apply', '--city', dir, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 applied, 0 stale/m);
    expect(mode(beadsFile)).toBe(0o600);
  });

  it('a read-only (0444) store: its new lock and audit log stay writable by their owner (0644)', () => {
    const store = exampleStore();
    chmodSync(store, 0o444);
    expect(run(['apply', '--store', store, '--all', '--now', NOW_ISO]).code).toBe(0);
    expect(mode(store)).toBe(0o444);
    expect(mode(`${store}.lock`)).toBe(0o644);
    expect(mode(`${store}.audit.jsonl`)).toBe(0o644);
  });

  it("a city's read-only (0444) beads.json: the lock Gas City opens read-write is made 0644", () => {
    const { dir, beadsFile } = makeCity(tempDir());
    chmodSync(beadsFile, 0o444);
    expect(run(['apply', '--city', dir, '--all', '--now', NOW_ISO]).code).toBe(0);
    expect(mode(`${beadsFile}.lock`)).toBe(0o644);
    expect(mode(join(dir, '.gc', 'gc-tui', 'audit.jsonl'))).toBe(0o644);
  });

  it('export --format json over an existing 0600 file keeps its mode', () => {
    const store = exampleStore();
    const out = `${store}.snap.json`;
    expect(run(['export', '--store', store, '--format', 'json', '--out', out, '--now', NOW_ISO]).code).toBe(1);
    chmodSync(out, 0o600);
    expect(run(['export', '--store', store, '--format', 'json', '--out', out, '--now', NOW_ISO]).code).toBe(1);
    expect(mode(out)).toBe(0o600);
  });
});

// Saved plans: `gc-tui plan --out FILE` (and `check --json --out FILE`), then `gc-tui apply --plan FILE`, on
// real files. A plan is applied only as far as what is on disk still agrees with it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { readJson, tempDir, write, writeJson } from '../support/files.js';
import { copyInto, EXAMPLES, makeCity, run } from './cli-helpers.js';

type Doc = { beads: { id: string; metadata: Record<string, unknown>; updated_at?: string }[] } & Record<string, unknown>;
type PlanFile = { repairs: { id: string; changes: unknown[] }[]; input: { source: Record<string, string>; fingerprint: string } } & Record<
  string,
  unknown
>;

function exampleStore(): { dir: string; store: string } {
  const dir = tempDir();
  return { dir, store: copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 'city.json') };
}

function sha256(...files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return `sha256:${h.digest('hex')}`;
}

function auditResults(file: string): [unknown, unknown][] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((l) => [l.repair, l.result]);
}

/** An outside writer (a controller, a person) changes the bead between plan and apply. */
function changeSlotOnDisk(store: string, slot: string): void {
  const doc = readJson<Doc>(store);
  doc.beads[0].metadata.pool_slot = slot;
  writeJson(store, doc);
}

describe('plan --out', () => {
  it('writes the check --json object plus input {source, fingerprint}; exit code as check', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    const r = run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`gc-tui: wrote plan (2 repairs, 0 action findings) to ${file}\n`);

    const saved = readJson<PlanFile>(file);
    const { input, ...rest } = saved;
    expect(rest).toEqual(JSON.parse(run(['check', '--json', '--store', store, '--now', NOW_ISO]).stdout));
    expect(Object.keys(saved).at(-1)).toBe('input');
    expect(input).toEqual({ source: { kind: 'store', path: store }, fingerprint: sha256(store) });
  });

  it('check --json --out FILE writes the same file and prints nothing; without --json it prints the summary', () => {
    const { dir, store } = exampleStore();
    expect(run(['plan', '--store', store, '--out', join(dir, 'a.json'), '--now', NOW_ISO]).code).toBe(1);
    const viaCheck = run(['check', '--json', '--store', store, '--out', join(dir, 'b.json'), '--now', NOW_ISO]);
    expect(viaCheck.code).toBe(1);
    expect(viaCheck.stdout).toBe('');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    const summary = run(['check', '--store', store, '--out', join(dir, 'c.json'), '--now', NOW_ISO]);
    expect(summary.stdout).toMatch(/^result: drift \(2 repairs, 0 action findings\)$/m);
    expect(readFileSync(join(dir, 'c.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
  });

  it('of a city: the absolute directory, and the hash of city.toml then .gc/beads.json', () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const file = join(tempDir(), 'plan.json');
    // A relative --city is saved as an absolute path: the plan applies from any directory.
    expect(run(['plan', '--city', '.', '--out', file, '--now', NOW_ISO], { cwd: dir }).code).toBe(1);
    expect(readJson<PlanFile>(file).input).toEqual({
      source: { kind: 'city', dir },
      fingerprint: sha256(join(dir, 'city.toml'), beadsFile),
    });
  });

  it('refuses to write the plan over its own input, and a plan of --demo', () => {
    const { store } = exampleStore();
    const bytes = readFileSync(store);
    const r = run(['plan', '--store', store, '--out', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gc-tui: --out "\S+city\.json" is the input itself; write the plan to another file\n$/);
    expect(readFileSync(store).equals(bytes)).toBe(true);
    const demo = run(['plan', '--demo', '--out', join(tempDir(), 'p.json')]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/--demo works on a throwaway copy/);
  });

  it('apply --demo: refused (its result and the path it names would be gone as it exits), except as a dry run', () => {
    const cwd = tempDir();
    const r = run(['apply', '--demo', '--all', '--now', NOW_ISO], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gc-tui: --demo works on a throwaway copy of the demo city, removed as the command ends: add --dry-run/);
    expect(r.stdout).toBe('');
    const dry = run(['apply', '--demo', '--all', '--dry-run', '--now', NOW_ISO], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run: nothing written\n$/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('apply --plan', () => {
  it('applies exactly the plan, from any directory, with the plan input; one batch in the audit; exit 0', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    expect(run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]).code).toBe(1);
    const r = run(['apply', '--plan', file, '--now', NOW_ISO, '--by', 'alice'], { cwd: tempDir() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 applied, 0 stale/m);
    const bead = readJson<Doc>(store).beads[0];
    expect(bead.metadata).toMatchObject({ alias: 'frontend/worker-3', alias_history: 'backend/worker-4', pool_slot: '3' });
    expect(bead.updated_at).toBe(NOW_ISO);
    const lines = readFileSync(`${store}.audit.jsonl`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.repair, l.operator, l.result])).toEqual([
      ['repair-alias:mc-poison', 'alice', 'applied'],
      ['restamp-slot:mc-poison', 'alice', 'applied'],
    ]);
    expect(typeof lines[0].batch).toBe('string');
    expect(lines[1].batch).toBe(lines[0].batch);
  });

  it('--plan with --all is refused (exit 2, nothing written): the plan says which repairs', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    expect(run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]).code).toBe(1);
    const before = readFileSync(store, 'utf8');
    const r = run(['apply', '--plan', file, '--all', '--now', NOW_ISO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--plan FILE applies every repair of the plan (or those named with --repair); drop --all');
    expect(readFileSync(store, 'utf8')).toBe(before);
  });

  it('a bead changed on disk since the plan: stale, exit 1, the store bytes unchanged', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    changeSlotOnDisk(store, '5');
    const bytes = readFileSync(store);
    const r = run(['apply', '--plan', file, '--repair', 'restamp-slot:mc-poison', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gc-tui: ${store}: the input changed since the plan was made; each repair is re-checked\n`);
    expect(r.stdout).toMatch(/^stale restamp-slot:mc-poison: metadata\.pool_slot is now "5" \(expected "4"\); not applied$/m);
    expect(r.stdout).toMatch(/^0 applied, 1 stale/m);
    expect(readFileSync(store).equals(bytes)).toBe(true);
    expect(auditResults(`${store}.audit.jsonl`)).toEqual([['restamp-slot:mc-poison', 'stale']]);
  });

  it('a change the plan does not care about: says the input changed, re-checks, applies (exit 0)', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const doc = readJson<Doc>(store);
    doc.seq = 2;
    writeJson(store, doc);
    const r = run(['apply', '--plan', file, '--now', NOW_ISO]);
    expect(r.stderr).toBe(`gc-tui: ${store}: the input changed since the plan was made; each repair is re-checked\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 applied, 0 stale/m);
  });

  it('applies the plan repairs, not a fresh plan: a repair the plan does not hold is not applied', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const saved = readJson<PlanFile>(file);
    saved.repairs = saved.repairs.filter((r) => r.id === 'restamp-slot:mc-poison');
    writeJson(file, saved);
    const r = run(['apply', '--plan', file, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 applied, 0 stale/m);
    expect(readJson<Doc>(store).beads[0].metadata).toMatchObject({ alias: 'backend/worker-4', pool_slot: '3' });
  });

  it('a plan whose changes a fresh plan no longer proposes is stale, even when every before holds', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const saved = readJson<PlanFile>(file);
    const restamp = saved.repairs.find((r) => r.id === 'restamp-slot:mc-poison')!;
    restamp.changes = [{ field: 'metadata.pool_slot', before: '4', after: '9' }];
    writeJson(file, saved);
    const bytes = readFileSync(store);
    const r = run(['apply', '--plan', file, '--repair', 'restamp-slot:mc-poison', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^stale restamp-slot:mc-poison: re-planned/m);
    expect(readFileSync(store).equals(bytes)).toBe(true);
  });

  it('a stale repair says what differs from a fresh plan: a change it no longer makes, one made otherwise, one added', () => {
    type Change = { field: string; before: string | null; after: string | null };
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const saved = readJson<PlanFile>(file);
    const restamp = saved.repairs.find((r) => r.id === 'restamp-slot:mc-poison')!;
    const real = restamp.changes[0] as Change;
    const multi = saved.repairs.find((r) => r.changes.length >= 2)!;
    const all = multi.changes as Change[];
    const last = all[all.length - 1];
    const q = (v: string | null) => (v === null ? '(absent)' : JSON.stringify(v));
    const cases: [typeof restamp, Change[], string][] = [
      [
        restamp,
        [real, { field: 'metadata.extra', before: null, after: 'x' }],
        'a fresh plan no longer proposes metadata.extra (absent) → "x"',
      ],
      [
        restamp,
        [{ ...real, after: '9' }],
        `a fresh plan now proposes metadata.pool_slot ${q(real.before)} → ${q(real.after)}, not ${q(real.before)} → "9"`,
      ],
      [multi, all.slice(0, -1), `a fresh plan now also proposes ${last.field} ${q(last.before)} → ${q(last.after)}`],
    ];
    for (const [repair, changes, why] of cases) {
      const kept = repair.changes;
      repair.changes = changes;
      writeJson(file, saved);
      repair.changes = kept;
      const r = run(['apply', '--plan', file, '--repair', repair.id, '--now', NOW_ISO]);
      expect(r.stdout).toContain(`stale ${repair.id}: re-planned: ${why}`);
    }
  });

  it('a named repair that is not in the plan: one line on stderr, the rest applied, exit 1', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const r = run(['apply', '--plan', file, '--repair', 'close-duplicate:mc-nope', 'restamp-slot:mc-poison', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gc-tui: ${file}: unknown repair id "close-duplicate:mc-nope": not in this plan\n`);
    expect(r.stdout).toMatch(/^1 applied, 0 stale/m);
    expect(readJson<Doc>(store).beads[0].metadata.pool_slot).toBe('3');
  });

  it('--store naming the plan input (relative) is fine; naming another input is exit 2 and writes nothing', () => {
    const { dir, store } = exampleStore();
    const file = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const other = copyInto(tempDir(), store, 'other.json');
    const bytes = readFileSync(store);
    for (const args of [
      ['--store', other],
      ['--city', dir],
    ]) {
      const r = run(['apply', '--plan', file, ...args, '--now', NOW_ISO]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /^gc-tui: --(store|city) \S+ is not the input of the plan \S+plan\.json \(store \S+city\.json\); omit --store\/--city to use the plan's input\n$/,
      );
    }
    expect(readFileSync(store).equals(bytes)).toBe(true);
    expect(readFileSync(other).equals(bytes)).toBe(true);
    expect(existsSync(`${store}.audit.jsonl`)).toBe(false);
    const r = run(['apply', '--plan', relative(dir, file), '--store', 'city.json', '--now', NOW_ISO], { cwd: dir });
    expect(r.code).toBe(0);
  });

  it('a plan file that does not parse or validate: exit 2, the file and the place, nothing written', () => {
    const { dir, store } = exampleStore();
    const good = join(dir, 'plan.json');
    run(['plan', '--store', store, '--out', good, '--now', NOW_ISO]);
    const bytes = readFileSync(store);
    const mtime = statSync(store).mtimeMs;

    const bad = write(join(dir, 'bad.json'), '{\n  "repairs": [\n    {"id": "x",}\n  ]\n}\n');
    let r = run(['apply', '--plan', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${bad}: line 3, column 16: trailing comma before '}'\n`);

    const saved = readJson<PlanFile>(good);
    (saved.repairs[1].changes[0] as { before: unknown }).before = 4;
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify(saved));
    r = run(['apply', '--plan', wrong]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gc-tui: \S+wrong\.json: repairs\[1\]\.changes\[0\]\.before: \S.*\n$/);

    const noInput = writeJson(join(dir, 'no-input.json'), { ...saved, input: undefined, repairs: [] });
    r = run(['apply', '--plan', noInput]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${noInput}: input: is required but missing\n`);

    const mismatched = readJson<PlanFile>(good);
    mismatched.repairs[0].id = 'restamp-slot:mc-other';
    r = run(['apply', '--plan', writeJson(join(dir, 'mismatched.json'), mismatched)]);
    expect(r.code).toBe(2);
    // The value found said once.
    expect(r.stderr).toMatch(
      /^gc-tui: \S+mismatched\.json: repairs\[0\]\.id: must be "<kind>:<beadId>" \("[^"]+"\), got string "restamp-slot:mc-other"\n$/,
    );

    r = run(['apply', '--plan', join(dir, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gc-tui: ${join(dir, 'missing.json')}: no such file\n`);

    expect(readFileSync(store).equals(bytes)).toBe(true);
    expect(statSync(store).mtimeMs).toBe(mtime);
    expect(existsSync(`${store}.audit.jsonl`)).toBe(false);
  });

  it('on a city: a plan made, the bead changed by the controller, stale; re-planned, applied', () => {
    const { dir, beadsFile } = makeCity(tempDir());
    const file = join(tempDir(), 'plan.json');
    run(['plan', '--city', dir, '--out', file, '--now', NOW_ISO]);
    const changed = readFileSync(beadsFile, 'utf8').replace('"pool_slot": "4"', '"pool_slot": "7"');
    writeFileSync(beadsFile, changed);
    let r = run(['apply', '--plan', file, '--repair', 'restamp-slot:mc-poison', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^stale restamp-slot:mc-poison: metadata\.pool_slot is now "7" \(expected "4"\)/m);
    expect(readFileSync(beadsFile, 'utf8')).toBe(changed);
    run(['plan', '--city', dir, '--out', file, '--now', NOW_ISO]);
    r = run(['apply', '--plan', file, '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(run(['check', '--city', dir, '--now', NOW_ISO]).code).toBe(0);
  });
});

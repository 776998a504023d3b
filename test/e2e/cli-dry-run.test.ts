// `apply --dry-run` (a diff and a summary, nothing written), colours (chalk on a terminal only; NO_COLOR and
// FORCE_COLOR honoured), and the confirmation `apply` asks for on a terminal without --yes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { readJson, tempDir, writeJson } from '../support/files.js';
import { patience } from '../support/wait.js';
import { CLI, copyInto, DEMO, EXAMPLES, ROOT, type RunResult } from './cli-helpers.js';
import { hasTmux, TmuxApp } from './tmux-driver.js';

type Doc = { beads: { id: string; metadata: Record<string, unknown> }[] } & Record<string, unknown>;

const ESC = '\u001b';

/** Run the CLI with exactly these colour variables (none inherited from the test's own environment). */
function runColour(args: string[], colour: { FORCE_COLOR?: string; NO_COLOR?: string } = {}): RunResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...colour };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'NODE_ENV'] as const) if (!(k in colour)) delete env[k];
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: patience(60_000),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function exampleStore(): { dir: string; store: string } {
  const dir = tempDir();
  return { dir, store: copyInto(dir, join(EXAMPLES, 'pr2076-identity.store.json'), 'city.json') };
}

/** The store's bytes and mtime, and the directory listing: all must be as they were after a dry run. */
function snapshot(dir: string, store: string): { bytes: Buffer; mtime: number; files: string[] } {
  return { bytes: readFileSync(store), mtime: statSync(store).mtimeMs, files: readdirSync(dir).sort() };
}

describe('apply --dry-run', () => {
  it('prints a diff per repair and the summary, writes nothing (bytes, mtime, no audit, no lock)', () => {
    const { dir, store } = exampleStore();
    const doc = readJson<Doc>(store);
    doc.beads[0].metadata.pool_alias_conflict = 'backend/worker-4';
    writeJson(store, doc);
    const before = snapshot(dir, store);
    const r = runColour(['apply', '--store', store, '--all', '--dry-run', '--now', NOW_ISO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'repair-alias:mc-poison (repair-alias, R5, change)',
      '    ~ metadata.alias: "backend/worker-4" → "frontend/worker-3"',
      '    + metadata.alias_history = "backend/worker-4"',
      '    - metadata.pool_alias_conflict (was "backend/worker-4")',
    ]);
    expect(lines[4]).toMatch(/^ {4}# owned slot 3 of frontend\/worker: /);
    expect(lines.slice(5, 8)).toEqual(['', 'restamp-slot:mc-poison (restamp-slot, R6, change)', '    ~ metadata.pool_slot: "4" → "3"']);
    expect(lines.slice(9)).toEqual(['', '2 to change, 0 to close, 0 to unassign', 'dry run: nothing written', '']);
    expect(snapshot(dir, store)).toEqual(before);
  });

  it('counts closes and unassigns (the demo city), and --read-only allows it', () => {
    const dir = tempDir();
    const store = copyInto(dir, DEMO, 'demo.json');
    const before = snapshot(dir, store);
    const r = runColour(['apply', '--read-only', '--store', store, '--all', '--dry-run', '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^close-duplicate:\S+ \(close-duplicate, R3, close\)\n {4}~ status: "open" → "closed"\n {4}\+ metadata\.close_reason = "duplicate-slot"$/m,
    );
    // A value cleared to "" is a `-` (red), as the console's card marks it: it read `~ assignee: "…" → ""`.
    expect(r.stdout).toMatch(/^ {4}- assignee: "[^"]+" → ""$/m);
    expect(r.stdout).not.toMatch(/^ {4}~ .*→ ""$/m);
    expect(r.stdout).toMatch(/^\d+ to change, [1-9]\d* to close, [1-9]\d* to unassign\ndry run: nothing written\n$/m);
    expect(snapshot(dir, store)).toEqual(before);
  });

  it('with --plan: a stale repair is shown as stale and not counted; exit 1; nothing written', () => {
    const { dir, store } = exampleStore();
    const file = join(tempDir(), 'plan.json');
    runColour(['plan', '--store', store, '--out', file, '--now', NOW_ISO]);
    const doc = readJson<Doc>(store);
    doc.beads[0].metadata.pool_slot = '5';
    writeJson(store, doc);
    const before = snapshot(dir, store);
    const r = runColour(['apply', '--plan', file, '--dry-run', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the input changed since the plan was made; each repair is re-checked\n$/);
    expect(r.stdout).toMatch(
      /^restamp-slot:mc-poison \(restamp-slot, R6, change\) stale: metadata\.pool_slot is now "5" \(expected "4"\); would not be applied$/m,
    );
    expect(r.stdout).toMatch(/^1 to change, 0 to close, 0 to unassign\n1 stale: would not be applied\ndry run: nothing written\n$/m);
    expect(snapshot(dir, store)).toEqual(before);
  });

  it('--repair with an id not in the plan: reported, exit 1', () => {
    const { store } = exampleStore();
    const r = runColour([
      'apply',
      '--store',
      store,
      '--repair',
      'restamp-slot:mc-poison',
      'restamp-slot:mc-nope',
      '--dry-run',
      '--now',
      NOW_ISO,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown repair id "restamp-slot:mc-nope"/);
    expect(r.stdout).toMatch(/^1 to change, 0 to close, 0 to unassign$/m);
    expect(existsSync(`${store}.audit.jsonl`)).toBe(false);
  });
});

describe('colours', () => {
  it('none when stdout is not a terminal; FORCE_COLOR=1 turns them on, even over NO_COLOR', () => {
    const { store } = exampleStore();
    const args = ['apply', '--store', store, '--all', '--dry-run', '--now', NOW_ISO];
    expect(runColour(args).stdout).not.toContain(ESC);
    expect(runColour(args, { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(runColour(args, { FORCE_COLOR: '0' }).stdout).not.toContain(ESC);
    for (const colour of [{ FORCE_COLOR: '1' }, { FORCE_COLOR: '1', NO_COLOR: '1' }]) {
      const out = runColour(args, colour).stdout;
      expect(out).toContain(`${ESC}[33m~ metadata.pool_slot: "4" → "3"${ESC}[39m`);
      expect(out).toContain(`${ESC}[32m+ metadata.alias_history = "backend/worker-4"${ESC}[39m`);
    }
    const check = runColour(['check', '--store', store, '--now', NOW_ISO], { FORCE_COLOR: '1' }).stdout;
    expect(check).toContain(`${ESC}[33m${ESC}[1mresult: drift`);
    expect(runColour(['check', '--json', '--store', store, '--now', NOW_ISO], { FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
  });

  it('bead data is sanitized before it is coloured: an escape in metadata stays inert', () => {
    const { store } = exampleStore();
    const doc = readJson<Doc>(store);
    doc.beads[0].metadata.pool_alias_conflict = `x${ESC}[2Jy`;
    writeJson(store, doc);
    const out = runColour(['apply', '--store', store, '--all', '--dry-run', '--now', NOW_ISO], { FORCE_COLOR: '1' }).stdout;
    expect(out).toContain(`${ESC}[31m- metadata.pool_alias_conflict (was "x\\e[2Jy")${ESC}[39m`);
    expect(out).not.toContain(`${ESC}[2J`);
  });
});

let app: TmuxApp | null = null;
afterEach(() => {
  app?.kill();
  app = null;
});

describe.skipIf(!hasTmux)('apply on a terminal', () => {
  it('shows the coloured diff, asks, and applies on "yes"', async () => {
    const { store } = exampleStore();
    app = new TmuxApp();
    app.start(CLI, `apply --store ${store} --all --now ${NOW_ISO} --by tina`);
    await app.waitFor((s) => s.includes("Apply these 2 repairs? Only 'yes' is accepted:"), 'the question');
    const coloured = app.tmux('capture-pane', '-p', '-e', '-t', app.session);
    expect(coloured).toContain(`${ESC}[33m~ metadata.pool_slot: "4" → "3"`);
    expect(app.screen()).toContain('2 to change, 0 to close, 0 to unassign');
    expect(existsSync(`${store}.audit.jsonl`)).toBe(false);
    app.literal('yes');
    app.keys('Enter');
    const screen = await app.waitFor((s) => /EXITED:\d+/.test(s), 'the exit');
    expect(screen).toContain('EXITED:0');
    expect(screen).toMatch(/2 applied, 0 stale/);
    expect(readJson<Doc>(store).beads[0].metadata.pool_slot).toBe('3');
  });

  it('anything but "yes" cancels: nothing written, exit 1', async () => {
    const { dir, store } = exampleStore();
    const before = snapshot(dir, store);
    app = new TmuxApp();
    app.start(CLI, `apply --store ${store} --repair restamp-slot:mc-poison --now ${NOW_ISO}`);
    await app.waitFor((s) => s.includes("Apply this repair? Only 'yes' is accepted:"), 'the question');
    app.literal('y');
    app.keys('Enter');
    const screen = await app.waitFor((s) => /EXITED:\d+/.test(s), 'the exit');
    expect(screen).toContain('gc-tui: cancelled: nothing written');
    expect(screen).toContain('EXITED:1');
    expect(snapshot(dir, store)).toEqual(before);
  });

  it('--yes applies without asking; NO_COLOR=1 leaves the terminal output plain', async () => {
    const { store } = exampleStore();
    app = new TmuxApp();
    app.start(CLI, `apply --store ${store} --all --dry-run --now ${NOW_ISO}`, { env: '-u FORCE_COLOR NO_COLOR=1' });
    await app.waitFor((s) => /EXITED:0/.test(s), 'the dry run');
    expect(app.tmux('capture-pane', '-p', '-e', '-t', app.session)).not.toContain(ESC);
    app.kill();

    app = new TmuxApp();
    app.start(CLI, `apply --store ${store} --all --yes --now ${NOW_ISO}`);
    const screen = await app.waitFor((s) => /EXITED:\d+/.test(s), 'the exit');
    expect(screen).not.toContain('Only');
    expect(screen).toContain('EXITED:0');
    expect(screen).toMatch(/2 applied, 0 stale/);
  });
});

// Helpers for the end-to-end tests: run the built CLI on real files in throwaway directories.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sessionRecord } from '../support/builders.js';
import { siteToml } from '../support/city-dirs.js';
import { CLI } from '../support/built.js';
import { readJson, write } from '../support/files.js';
import { patience } from '../support/wait.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built cli.js (a private build of this run; see test/support/global-setup.ts). */
export { CLI };
export const SAMPLES = resolve(import.meta.dirname, '../../fixtures/gascity-samples'); // real Gas City files (SOURCES.md there)
export const EXAMPLES = resolve(import.meta.dirname, '../../fixtures/spec-examples'); // the contract's worked examples
export const DEMO = join(ROOT, 'fixtures', 'demo-city.json');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CI=... variables would make nothing different for headless commands, but keep the env predictable. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e.NODE_ENV;
  return e;
}

const isRoot = process.getuid?.() === 0;
const DROP_DAC = ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search'];
/** Run options under which a file without read permission is unreadable to the CLI: for root, without the capabilities that bypass file permissions. */
export const UNPRIVILEGED: RunOptions = isRoot ? { prefix: DROP_DAC } : {};
/** Whether a file without read permission can be unreadable to the CLI here: always for a user; for root, if setpriv can drop the capabilities. */
export const canMeetEacces = !isRoot || spawnSync(DROP_DAC[0], [...DROP_DAC.slice(1), 'true']).status === 0;

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** A command the CLI runs under, e.g. `setpriv` with its options: `<prefix…> node cli.js <args…>`. */
  prefix?: string[];
  /** Where stdout goes instead of a pipe the test reads (a file descriptor, e.g. /dev/full's). */
  stdout?: number;
}

/** Run the CLI to its end; a safety-net timeout only catches a CLI that hangs. */
export function run(args: string[], opts: RunOptions = {}): RunResult {
  const o: SpawnSyncOptions = {
    cwd: opts.cwd ?? ROOT,
    env: env(opts.env),
    encoding: 'utf8',
    timeout: patience(60_000),
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'],
  };
  const [cmd, ...pre] = opts.prefix ?? [process.execPath];
  const r = spawnSync(cmd, [...pre, ...(opts.prefix ? [process.execPath] : []), CLI, ...args], o);
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export interface Started {
  child: ChildProcess;
  /** Settles when the CLI has exited and its output is read. */
  result: Promise<RunResult>;
}

/** Start the CLI without blocking the test (for races against another writer). */
export function startCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Started {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: env(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const result = new Promise<RunResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, result };
}

export function copyInto(dir: string, src: string, name: string): string {
  const to = join(dir, name);
  cpSync(src, to);
  return to;
}

/** The files of a txtar archive (`-- name --` headers), as Gas City's own test corpus packs city dirs. */
export function parseTxtar(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | null = null;
  let body: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      if (current !== null) files.set(current, body.join('\n'));
      current = m[1];
      body = [];
    } else if (current !== null) body.push(line);
  }
  if (current !== null) files.set(current, body.join('\n'));
  return files;
}

/** Unpack the real sample `gastown-pool.txtar` into `dir`; returns the city directory names. */
export function unpackGastownPool(dir: string): string[] {
  const files = parseTxtar(readFileSync(join(SAMPLES, 'gastown-pool.txtar'), 'utf8'));
  const cities = new Set<string>();
  for (const [name, body] of files) {
    write(join(dir, name), body);
    cities.add(name.split('/')[0]);
  }
  return [...cities];
}

export const CITY_TOML = `[workspace]
name = "maintainer-city"

[daemon]
patrol_interval = "30s"

[beads]
provider = "file"

[[rigs]]
name = "frontend"
path = "/home/u/src/frontend"
max_active_sessions = 8

[[agent]]
name = "worker"
dir = "frontend"
start_command = "echo hello"
max_active_sessions = 10

[[agent]]
name = "worker"
dir = "backend"
max_active_sessions = 10
`;

/** 2^53 + 1: a fence token JSON.parse would round; it must come back digit for digit. */
export const BIG_FENCE = '9007199254740993';

/**
 * A city whose beads.json looks like Gas City's (fork) file store: the PR #2076 bead (two repairs), a healthy
 * bead, the real sample work beads, bd-style non-string metadata, and the out-of-band maps.
 */
export function makeCity(dir: string): { dir: string; beadsFile: string } {
  write(join(dir, 'city.toml'), CITY_TOML);
  // Its rig's path bound where `gc rig add` records it (else Gas City, and gc-tui, warn that it belongs there).
  write(join(dir, '.gc', 'site.toml'), siteToml({ frontend: '/home/u/src/frontend' }));
  const sample = readJson<{ seq: number; beads: Record<string, unknown>[] }>(join(SAMPLES, 'beads.json'));
  const poison = sessionRecord('mc-poison', {
    template: 'frontend/worker',
    agent_name: 'frontend/worker-3',
    alias: 'backend/worker-4',
    pool_slot: '4',
    session_name: 's-poisoned',
    state: 'asleep',
  });
  (poison.metadata as Record<string, unknown>).restarts = 3; // bd-written number
  (poison.metadata as Record<string, unknown>).attached = false; // bd-written bool
  poison.ref = 'session-ref';
  poison.ephemeral = true;
  const ok = sessionRecord('mc-ok', {
    template: 'frontend/worker',
    agent_name: 'frontend/worker-1',
    alias: 'frontend/worker-1',
    pool_slot: '1',
    state: 'active',
  });
  delete ok.updated_at; // legacy: Gas City omits it
  const text = `{
  "seq": 210,
  "beads": ${JSON.stringify([poison, ok, ...sample.beads], null, 2).replace(/\n/g, '\n  ')},
  "deps": [
    { "issue_id": "run-anchor.review", "depends_on_id": "run-anchor.preflight", "type": "blocks" }
  ],
  "revisions": { "mc-poison": 7, "mc-ok": 2 },
  "revisions_sealed": true,
  "fences": { "mc-ok": ${BIG_FENCE} }
}
`;
  const beadsFile = write(join(dir, '.gc', 'beads.json'), text);
  return { dir, beadsFile };
}

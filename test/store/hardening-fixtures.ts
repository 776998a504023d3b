// Shared by the test/store/hardening-*.test.ts files: throwaway cities and stores with drift to repair.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { plan } from '../../src/engine/index.js';
import type { Repair } from '../../src/engine/types.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { tempDir } from '../support/files.js';
import { siteToml } from '../support/city-dirs.js';

export const NOW = new Date('2026-05-06T03:00:00Z');

/**
 * A fresh directory (0755, so another user can be let in), removed after the test file by the shared setup
 * (test/support/setup.ts). A hook of this module's own ran once per worker, not once per file: the unit project
 * shares its module graph, so every file after the first left its directories behind.
 */
export function tmp(): string {
  const d = tempDir('gc-tui-hardening-');
  chmodSync(d, 0o755);
  return d;
}

export function put(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const AGENTS = [
  { name: 'worker', dir: 'frontend', max_active_sessions: 10 },
  { name: 'worker', dir: 'backend', max_active_sessions: 10 },
];

/** A session bead with a wrong alias and a stale pool_slot: two repairs (repair-alias, restamp-slot). */
export function driftingBead(id = 'mc-poison', extra: Record<string, string> = {}): Record<string, unknown> {
  return {
    id,
    title: 'frontend/worker-3',
    status: 'open',
    issue_type: 'session',
    priority: 2,
    labels: ['gc:session'],
    metadata: {
      pool_managed: 'true',
      session_origin: 'ephemeral',
      template: 'frontend/worker',
      agent_name: 'frontend/worker-3',
      alias: 'backend/worker-4',
      pool_slot: '4',
      session_name: `s-${id}`,
      state: 'asleep',
      ...extra,
    },
    created_at: '2026-05-06T02:00:00Z',
    updated_at: '2026-05-06T02:00:00Z',
  };
}

export const CITY_TOML = `[workspace]
name = "hardening-city"

[[rigs]]
name = "frontend"
max_active_sessions = 8

[[agent]]
name = "worker"
dir = "frontend"
max_active_sessions = 10

[[agent]]
name = "worker"
dir = "backend"
max_active_sessions = 10
`;

export function beadsJson(beads: unknown[] = [driftingBead()]): string {
  return JSON.stringify({ seq: 210, beads, revisions: { 'mc-poison': 7 }, revisions_sealed: true }, null, 2) + '\n';
}

/** A city in `dir` (a fresh one by default): city.toml and .gc/beads.json with drift. */
export function cityWithDrift(dir = tmp(), toml = CITY_TOML): { source: Source; dir: string; beads: string } {
  put(join(dir, 'city.toml'), toml);
  // Its rig bound to its folder, as `gc rig add` records it (else Gas City and gc-tui warn of a rig with no path).
  if (toml === CITY_TOML) put(join(dir, '.gc', 'site.toml'), siteToml({ frontend: 'frontend' }));
  const beads = put(join(dir, '.gc', 'beads.json'), beadsJson());
  return { source: { kind: 'city', dir }, dir, beads };
}

export function storeText(beads: unknown[] = [driftingBead()]): string {
  return (
    JSON.stringify(
      { schema: 'gc-tui/1', city: { rigs: [{ name: 'frontend', max_active_sessions: 8 }], agents: AGENTS }, beads, decisions: [] },
      null,
      2,
    ) + '\n'
  );
}

/** A store file `s.json` in `dir` (a fresh one by default) with drift. */
export function storeWithDrift(dir = tmp()): { source: Source; dir: string; file: string } {
  const file = put(join(dir, 's.json'), storeText());
  return { source: { kind: 'store', path: file }, dir, file };
}

/** The repairs a fresh plan of the input proposes now. */
export async function repairsOf(source: Source): Promise<Repair[]> {
  return plan((await loadSource(source)).state, NOW).repairs;
}

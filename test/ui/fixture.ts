// A small city with one of every kind of drift the console shows, plus hostile strings.
import { readFileSync } from 'node:fs';
import { plan } from '../../src/engine/index.js';
import type { Bead, State } from '../../src/engine/types.js';
import { createAppStore, type AppStore } from '../../src/console/state.js';
import { NOW, pooled, work } from '../support/builders.js';

export function demoState(): State {
  return {
    city: {
      workspace: { name: 'ui-city', max_active_sessions: null },
      daemon: { patrol_interval: '30s' },
      rigs: [{ name: 'frontend', max_active_sessions: 8 }],
      agents: [
        { name: 'worker', dir: 'frontend', max_active_sessions: 5, namepool: ['furiosa', 'nux', 'slit'] },
        { name: 'worker', dir: 'backend', max_active_sessions: 4 },
        { name: 'mayor', max_active_sessions: 1 },
      ],
      named_sessions: [{ template: 'mayor' }],
    },
    beads: [
      pooled('fe-ok', 'frontend/worker', { agent_name: 'frontend/furiosa', alias: 'frontend/furiosa', pool_slot: '1', state: 'active' }),
      // agent_name says slot 2, a stale pool_slot and a foreign alias point elsewhere (PR #2076).
      pooled('fe-poison', 'frontend/worker', { agent_name: 'frontend/nux', alias: 'backend/worker-4', pool_slot: '3' }),
      // A refused duplicate of slot 1.
      pooled(
        'fe-dup',
        'frontend/worker',
        { agent_name: 'frontend/furiosa', alias: '', pool_slot: '1', state: 'asleep' },
        { created_at: '2026-05-06T02:05:00Z' },
      ),
      // A create that started long ago.
      pooled('be-stale', 'backend/worker', {
        agent_name: 'backend/worker-2',
        alias: 'backend/worker-2',
        pool_slot: '2',
        state: 'creating',
        pending_create_claim: 'true',
        pending_create_started_at: '2026-05-06T01:00:00Z',
      }),
      pooled('be-one', 'backend/worker', { agent_name: 'backend/worker-1', alias: 'backend/worker-1', pool_slot: '1', state: 'awake' }),
      // Hostile strings: an escape sequence in the alias and a title that would clear the screen.
      pooled(
        'be-evil',
        'backend/worker',
        { agent_name: 'backend/worker-3', alias: 'evil\u001b[2J\u001b]0;pwned\u0007', pool_slot: '3' },
        { title: 'title\u001b[31mred\r\nnext' },
      ),
      // Wants backend/worker-4, which fe-poison's alias holds: a recorded, still open alias conflict.
      pooled('be-four', 'backend/worker', {
        agent_name: 'backend/worker-4',
        alias: '',
        pool_slot: '4',
        pool_alias_conflict: 'backend/worker-4',
        pool_alias_conflict_count: '2',
        pool_alias_conflict_at: '2026-05-06T02:03:00Z',
      }),
      pooled('mayor-1', 'mayor', {
        pool_managed: '',
        session_origin: 'named',
        configured_named_session: 'true',
        alias: 'mayor',
        state: 'active',
      }),
      work('wk-cross', { route: 'frontend/worker', assignee: 's-be-one', status: 'in_progress' }),
      work('wk-orphan', { route: 'backend/worker', assignee: 'gone-session', status: 'in_progress' }),
    ],
  };
}

/** Escape sequences where ids and names go: a bead id, a template (a pool of its own), an alias, an assignee. */
export const HOSTILE = {
  dupId: 'dup\u001b]0;pwned\u0007',
  template: 'evil\u001b[2Jtpl',
  beadId: 'id\u001b[H\u001b[2Jx',
  alias: 'al\u001b]8;;http://x\u0007ias',
  workId: 'wk\u001b[1Aup',
  /** A template no agent configures: the bead owns no slot, and only the findings view shows it. */
  ghost: 'gh\u001b]2;t\u0007ost',
};

/**
 * The demo city plus hostile ids and names: a refused duplicate of backend/worker's slot 1 whose id sets the
 * terminal title (the first pool, so the pools view's detail lists it at once), an agent whose name clears the
 * screen (its own pool) holding a bead with a hostile id and alias, orphaned work with a hostile id, and a bead
 * whose hostile template no agent configures.
 */
export function hostileState(): State {
  const s = demoState();
  s.city.agents.push({ name: HOSTILE.template, max_active_sessions: 2 });
  s.beads.push(
    pooled(
      HOSTILE.dupId,
      'backend/worker',
      { agent_name: 'backend/worker-1', alias: '', pool_slot: '1' },
      { created_at: '2026-05-06T02:06:00Z' },
    ),
    pooled(HOSTILE.beadId, HOSTILE.template, { agent_name: `${HOSTILE.template}-1`, alias: HOSTILE.alias, pool_slot: '1' }),
    work(HOSTILE.workId, { route: HOSTILE.template, assignee: 'nobody\u001b[5n', status: 'in_progress' }),
    pooled('ghost-1', HOSTILE.ghost, { agent_name: 'ghost-1', alias: '', pool_slot: '1' }),
  );
  return s;
}

/**
 * A time weeks after the demo city's creates began, as `--demo` opens it today: its stale creates (destructive
 * rollbacks) head the repairs queue.
 */
export const DEMO_LATER = new Date('2026-12-02T06:00:00Z');

/** The bundled demo city (what `--demo` opens): many names that differ only at their end (`backend/builder-1` … `-7`). */
export function demoCity(): State {
  return JSON.parse(readFileSync(new URL('../../fixtures/demo-city.json', import.meta.url), 'utf8')) as State;
}

export function storeWith(state: State, opts: { rows?: number; columns?: number; readOnly?: boolean; now?: Date } = {}): AppStore {
  const store = createAppStore({
    source: { kind: 'store', path: '/tmp/ui-city.json' },
    readOnly: opts.readOnly,
    viewport: { rows: opts.rows ?? 30, columns: opts.columns ?? 100 },
  });
  const now = opts.now ?? NOW;
  store.getState().loaded(state, plan(state, now), now.getTime());
  return store;
}

/** Many beads in one pool, for windowing tests. */
export function bigState(n: number): State {
  const beads: Bead[] = [];
  for (let i = 1; i <= n; i++) {
    beads.push(
      pooled(`big-${String(i).padStart(6, '0')}`, 'kimi', {
        agent_name: `kimi-${i}`,
        alias: `kimi-${i}`,
        pool_slot: String(i),
        state: i % 3 ? 'asleep' : 'active',
      }),
    );
  }
  return { city: { workspace: { name: 'big-city' }, agents: [{ name: 'kimi' }] }, beads };
}
